// The renderer's entry point. The teller's desk arrives with the UI issue; this proves the
// React build and the DOM-only boundary.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';

function App() {
  return (
    <main>
      <h1>BranchDesk 网点客户工作台</h1>
      <p>客户查询界面将在后续版本中提供。</p>
    </main>
  );
}

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}
