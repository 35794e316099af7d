// The renderer's entry point: the desk, in zh-CN unless the teller chose English, or the
// counter's customer screen when the page was opened as one (its own token, its own connection).
import './zod-config';
import './style-nonce';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { CustomerScreen } from './display/CustomerScreen';
import { isDisplayPage } from './display/display-bridge';
import './i18n';
import './desk.css';

const root = document.getElementById('root');
if (root)
  createRoot(root).render(
    <StrictMode>{isDisplayPage() ? <CustomerScreen /> : <App />}</StrictMode>,
  );
