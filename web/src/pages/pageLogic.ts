/**
 * Pure helpers of the verification, seal, chief-representative, authorisation, project and
 * commitment-check pages: no React, no i18n, so they are unit-tested without a browser
 * (test/web-page-logic.test.ts).
 */

/** A seal picture (SVG text from our own server) as an `<img src>`: never inserted as markup. */
export function svgDataUrl(svg: string): string {
  return `data:image/svg+xml;utf8,${encodeURIComponent(svg)}`;
}

/** A document number as typed: spaces removed, upper case. */
export function normalizeDocNumber(input: string): string {
  return input.replace(/\s+/g, '').toUpperCase();
}

/** Whether a typed document number looks like one (letters and digits, at most 40: the API's limit). */
export function isDocNumber(input: string): boolean {
  return /^[A-Z0-9]{4,40}$/.test(normalizeDocNumber(input));
}

/**
 * The end of a calendar day in Asia/Shanghai as an ISO instant with offset, e.g.
 * `2027-06-30T23:59:59+08:00`: an empowerment "valid until 2027-06-30" lasts the whole day.
 */
export function endOfShanghaiDay(date: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new Error(`not a date: ${date}`);
  return `${date}T23:59:59+08:00`;
}

/** The state of something granted until a moment or a day and revocable: `active`, `revoked` or `expired`. */
export type GrantState = 'active' | 'revoked' | 'expired';

/**
 * @param validTo an ISO instant (the end of validity), or a `YYYY-MM-DD` last valid day in Asia/Shanghai
 * @param now the current instant
 * @param today today's date in Asia/Shanghai (`YYYY-MM-DD`), compared with a `validTo` day
 */
export function grantState(g: { revokedAt: string | null; validTo: string }, now: Date, today: string): GrantState {
  if (g.revokedAt) return 'revoked';
  if (/^\d{4}-\d{2}-\d{2}$/.test(g.validTo)) return g.validTo < today ? 'expired' : 'active';
  return new Date(g.validTo).getTime() <= now.getTime() ? 'expired' : 'active';
}

/** How an open task's due day compares with today (both `YYYY-MM-DD` in Asia/Shanghai). */
export function dueState(dueDate: string | null | undefined, today: string): 'overdue' | 'today' | 'later' | 'none' {
  if (!dueDate) return 'none';
  if (dueDate < today) return 'overdue';
  return dueDate === today ? 'today' : 'later';
}

/** Loose check of the national investment project code (投资项目统一代码), e.g. 2026-441802-47-01-000001. */
export function looksLikeProjectCode(code: string): boolean {
  return /^\d{4}-\d{6}-\d{2}-\d{2}-\d{6}$/.test(code.trim());
}

/** Statuses after which an application is decided (for a project's summary). */
export const DECIDED_STATUSES: readonly string[] = ['granted', 'denied', 'delivered', 'revoked'];
/** Statuses of an application still in progress. */
export const OPEN_STATUSES: readonly string[] = ['submitted', 'supplement_requested', 'accepted', 'reviewed'];
