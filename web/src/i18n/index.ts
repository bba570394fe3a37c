import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import 'dayjs/locale/en';
import zhCN from './zh-CN';
import en from './en';
import pagesZhCN from './pages.zh-CN';
import pagesEn from './pages.en';
import statsZhCN from './stats.zh-CN';
import statsEn from './stats.en';

export const LANGUAGES = ['zh-CN', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
const LANG_KEY = 'ow_lang';

function initialLanguage(): Language {
  try {
    const saved = localStorage.getItem(LANG_KEY);
    if (saved === 'en' || saved === 'zh-CN') return saved;
  } catch {
    /* ignore */
  }
  return 'zh-CN';
}

function applyLanguage(lng: string): void {
  dayjs.locale(lng.startsWith('en') ? 'en' : 'zh-cn');
  if (typeof document !== 'undefined') document.documentElement.lang = lng;
}

const lng = initialLanguage();
applyLanguage(lng);

void i18n.use(initReactI18next).init({
  // the verification, seal, chief-representative, authorisation, project and check pages keep their
  // texts in their own files, under `pages.*`; the statistics dashboard and hall screen under `stats.*`
  resources: {
    'zh-CN': { translation: { ...zhCN, pages: pagesZhCN, stats: statsZhCN } },
    en: { translation: { ...en, pages: pagesEn, stats: statsEn } },
  },
  lng,
  fallbackLng: 'zh-CN',
  interpolation: { escapeValue: false },
  returnNull: false,
});

i18n.on('languageChanged', (l) => {
  applyLanguage(l);
  try {
    localStorage.setItem(LANG_KEY, l);
  } catch {
    /* ignore */
  }
});

export default i18n;
