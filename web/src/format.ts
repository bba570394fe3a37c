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

/** Why an identifier fails its check, or null when it passes. */
export type IdProblem = 'length' | 'chars' | 'birthDate' | 'checksum';

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/**
 * Checks a citizen ID number (公民身份号码, GB 11643-1999): 17 digits, a real birth date at
 * positions 7–14, and the ISO 7064 MOD 11-2 check character (0–9 or X). Same rule as the server.
 */
export function citizenIdProblem(value: string): IdProblem | null {
  const s = value.trim().toUpperCase();
  if (s.length !== 18) return 'length';
  if (!/^\d{17}[\dX]$/.test(s)) return 'chars';
  const birth = `${s.slice(6, 10)}-${s.slice(10, 12)}-${s.slice(12, 14)}`;
  const d = new Date(`${birth}T00:00:00Z`);
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== birth) return 'birthDate';
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(s[i]) * ID_WEIGHTS[i];
  return ID_CHECK[sum % 11] === s[17] ? null : 'checksum';
}

const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/**
 * Checks a unified social credit code (统一社会信用代码, GB 32100-2015): 18 characters of
 * 0–9 and A–Y without I, O, S, V, Z, and the check character c18 = 31 − (Σ cᵢ·Wᵢ mod 31).
 * Same rule as the server.
 */
export function usccProblem(value: string): IdProblem | null {
  const s = value.trim().toUpperCase();
  if (s.length !== 18) return 'length';
  let sum = 0;
  for (let i = 0; i < 18; i++) if (USCC_CHARS.indexOf(s[i]) < 0) return 'chars';
  for (let i = 0; i < 17; i++) sum += USCC_CHARS.indexOf(s[i]) * USCC_WEIGHTS[i];
  const c = 31 - (sum % 31);
  return USCC_CHARS[c === 31 ? 0 : c] === s[17] ? null : 'checksum';
}

/** Today in Asia/Shanghai plus `days` calendar days, `YYYY-MM-DD`. */
export function shanghaiDatePlus(days: number): string {
  return dayjs().tz(TIME_ZONE).add(days, 'day').format('YYYY-MM-DD');
}
