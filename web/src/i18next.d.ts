import 'i18next';
import type { Resources } from './i18n/zh-CN';
import type { PagesResources } from './i18n/pages.zh-CN';
import type { StatsResources } from './i18n/stats.zh-CN';

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: Resources & { pages: PagesResources; stats: StatsResources } };
  }
}
