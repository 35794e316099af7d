// i18next with the desk's two catalogs: zh-CN first, English complete.
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en } from './locales/en';
import { zhCN } from './locales/zh-CN';
import { approvalsWords } from './locales/areas/approvals';
import { auditWords } from './locales/areas/audit';
import { consentWords } from './locales/areas/consent';
import { counterWords } from './locales/areas/counter';
import { deskWords } from './locales/areas/desk';
import { formsWords } from './locales/areas/forms';
import { insightWords } from './locales/areas/insight';
import { privacyWords } from './locales/areas/privacy';
import { qualityWords } from './locales/areas/quality';
import { rolesWords } from './locales/areas/roles';

export type Locale = 'zh-CN' | 'en';

export const LOCALE_KEY = 'branchdesk.locale';

export function initialLocale(): Locale {
  return window.localStorage.getItem(LOCALE_KEY) === 'en' ? 'en' : 'zh-CN';
}

const areas = [
  approvalsWords,
  auditWords,
  consentWords,
  counterWords,
  deskWords,
  formsWords,
  insightWords,
  privacyWords,
  qualityWords,
  rolesWords,
];

type Catalog = { [key: string]: string | Catalog };

/** `over` merged into `base`, key by key at every depth; an area's word wins over the main one. */
function merged(base: Catalog, over: Catalog): Catalog {
  const out: Catalog = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const below = out[key];
    out[key] =
      typeof value === 'object' && typeof below === 'object' ? merged(below, value) : value;
  }
  return out;
}

const catalog = (locale: Locale, main: Catalog): Catalog =>
  areas.reduce<Catalog>((all, area) => merged(all, area[locale] as Catalog), main);

void i18next.use(initReactI18next).init({
  resources: {
    'zh-CN': { translation: catalog('zh-CN', zhCN) },
    en: { translation: catalog('en', en) },
  },
  lng: initialLocale(),
  fallbackLng: 'zh-CN',
  interpolation: { escapeValue: false },
  returnNull: false,
});

export default i18next;
