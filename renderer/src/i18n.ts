// i18next with the desk's two catalogs: zh-CN first, English complete.
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en } from './locales/en';
import { zhCN } from './locales/zh-CN';

export type Locale = 'zh-CN' | 'en';

export const LOCALE_KEY = 'branchdesk.locale';

export function initialLocale(): Locale {
  return window.localStorage.getItem(LOCALE_KEY) === 'en' ? 'en' : 'zh-CN';
}

void i18next.use(initReactI18next).init({
  resources: { 'zh-CN': { translation: zhCN }, en: { translation: en } },
  lng: initialLocale(),
  fallbackLng: 'zh-CN',
  interpolation: { escapeValue: false },
  returnNull: false,
});

export default i18next;
