import dayjs from 'dayjs';
import timezone from 'dayjs/plugin/timezone';
import utc from 'dayjs/plugin/utc';
import i18n from './i18n';

dayjs.extend(utc);
dayjs.extend(timezone);

/** Times are shown in Beijing time wherever the browser is: deadlines and records are Asia/Shanghai. */
export const TIME_ZONE = 'Asia/Shanghai';

/** An ISO instant as `YYYY-MM-DD HH:mm` in Asia/Shanghai. */
export function fmtTime(v: string | null | undefined): string {
  if (!v) return '—';
  const d = dayjs(v);
  return d.isValid() ? d.tz(TIME_ZONE).format('YYYY-MM-DD HH:mm') : v;
}

/** A calendar date (`YYYY-MM-DD`, already Asia/Shanghai) or an instant, as `YYYY-MM-DD` in Asia/Shanghai. */
export function fmtDate(v: string | null | undefined): string {
  if (!v) return '—';
  if (/^\d{4}-\d{2}-\d{2}$/.test(v)) return v;
  const d = dayjs(v);
  return d.isValid() ? d.tz(TIME_ZONE).format('YYYY-MM-DD') : v;
}

/** Today's date in Asia/Shanghai, `YYYY-MM-DD`. */
export function todayInShanghai(): string {
  return dayjs().tz(TIME_ZONE).format('YYYY-MM-DD');
}

/** A random UUID, also where crypto.randomUUID is unavailable (plain-HTTP intranet hosts). */
export function newUuid(): string {
  const c = globalThis.crypto;
  if (c && typeof c.randomUUID === 'function') return c.randomUUID();
  const b = new Uint8Array(16);
  c.getRandomValues(b);
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** How a time limit is counted (API v1 `statutoryLimitUnit` / `committedLimitUnit`). */
export type LimitUnit = 'working_day' | 'natural_day' | 'same_day';

/**
 * A time limit as shown to people: "5 个工作日" / "5 working days", "30 日（自然日）" /
 * "30 calendar days", "当场办结" / "same day". A missing statutory limit is "法律未规定" /
 * "not fixed by law"; any other missing limit is "—".
 */
export function fmtLimit(
  days: number | null | undefined,
  unit: string | null | undefined,
  kind: 'statutory' | 'committed' = 'committed',
): string {
  if (unit === 'same_day') return i18n.t('days.sameDay');
  if (days === null || days === undefined) return kind === 'statutory' ? i18n.t('days.notFixed') : i18n.t('days.none');
  if (days === 0) return i18n.t('days.sameDay');
  if (unit === 'natural_day') return i18n.t('days.naturalDays', { count: days });
  return i18n.t('days.workingDays', { count: days });
}

/** Whether the interface is in English. */
export function isEnglish(): boolean {
  return !!i18n.language?.startsWith('en');
}

/** A list joined the way the interface language writes it: "、" in Chinese, ", " in English. */
export function joinList(parts: readonly string[]): string {
  return parts.join(isEnglish() ? ', ' : '、');
}

/** A department's name in the interface language: `nameEn` in English when there is one. */
export function deptDisplayName(d: { name: string; nameEn?: string | null } | null | undefined): string | undefined {
  if (!d) return undefined;
  return isEnglish() && d.nameEn ? d.nameEn : d.name;
}

/** An item type (`01`…`10`, `20`) in the interface language, else the server's name or the code. */
export function itemTypeName(type: string | null | undefined, typeName?: string | null): string {
  if (type && (ITEM_TYPE_CODES as readonly string[]).includes(type)) return i18n.t(`itemType.${type as ItemTypeCode}`);
  return typeName || type || '—';
}

export const ITEM_TYPE_CODES = ['01', '02', '03', '04', '05', '06', '07', '08', '09', '10', '20'] as const;
export type ItemTypeCode = (typeof ITEM_TYPE_CODES)[number];
