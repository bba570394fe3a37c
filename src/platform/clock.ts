/**
 * The statutory clock: the legal limits of administrative licensing and the state of a running
 * limit (remaining days, warning, overdue, paused), as pure functions over a {@link WorkingCalendar}.
 * Every deadline of the platform is computed here or in the calendar itself.
 *
 * Sources — 行政许可法 (2019 revision; its periods are working days by art. 82):
 * - art. 32: the one-time supplement notice (一次性告知) is due within 5 days of receiving the
 *   application; if it is not given in time, the application counts as accepted from receipt.
 * - art. 42: a decision within 20 days of acceptance; the head of the authority may extend it by
 *   10 days, telling the applicant why. Joint or centralised handling (统一办理、联合办理、集中办理):
 *   45 days, extendable by 15.
 * - art. 44: the licence is issued or served within 10 days of the decision to grant.
 * - art. 45: time for hearings, tendering, auctions, testing, inspection, quarantine and expert
 *   review is not counted (the clock is paused), and the applicant is told in writing.
 */
import { epochDay, shiftDate, type LimitUnit, type WorkingCalendar } from './calendar.js';

/** The limits of 行政许可法, in working days, with the article that sets each. */
export const STATUTORY_LIMITS = {
  /** art. 32 — one-time supplement notice */
  supplementNotice: 5,
  /** art. 42 — default decision limit */
  decision: 20,
  /** art. 42 — extension with the head's approval */
  decisionExtension: 10,
  /** art. 42 para. 2 — joint / centralised handling */
  jointDecision: 45,
  /** art. 42 para. 2 — extension of joint handling */
  jointExtension: 15,
  /** art. 44 — issue or serve the licence after a grant */
  delivery: 10,
} as const;

/** Share of the limit used at which a case turns to warning (预警), unless configured otherwise. */
export const DEFAULT_WARNING_SHARE = 0.8;

export interface Pause {
  /** first day the clock stands still (e.g. the supplement request day), `YYYY-MM-DD` */
  from: string;
  /** last day it stands still (e.g. the receipt day), or null while the pause runs */
  to: string | null;
  reason?: string;
}

export type ClockState = 'running' | 'warning' | 'overdue' | 'paused';

export interface ClockInput {
  /** the day the clock started (acceptance), not itself counted */
  start: string;
  /** the limit, in `unit` */
  limit: number;
  unit: LimitUnit;
  pauses?: readonly Pause[];
  /** extension granted (art. 42), in working days */
  extension?: number;
  /** the day to evaluate the clock on (Asia/Shanghai) */
  today: string;
  /** share of the limit used at which the state turns to warning (default 0.8) */
  warningShare?: number;
}

export interface ClockReading {
  /** the due date, or null while a pause runs */
  dueDate: string | null;
  provisional: boolean;
  /** working days of the limit counted so far (pauses excluded); natural days for natural-day limits */
  used: number;
  /** what is left of the limit (negative when overdue); null while paused */
  remaining: number | null;
  state: ClockState;
}

/**
 * Reads a running limit on `today`: due date (pauses and extension included), days used and
 * remaining, and the state — `paused` while a pause runs, `overdue` after the due date,
 * `warning` once `used ≥ warningShare × (limit + extension)`, else `running`.
 * Working-day limits count working days; natural-day limits count calendar days.
 */
export function readClock(calendar: WorkingCalendar, input: ClockInput): ClockReading {
  const pauses = input.pauses ?? [];
  const total = input.limit + (input.extension ?? 0);
  const share = input.warningShare ?? DEFAULT_WARNING_SHARE;
  const due =
    input.unit === 'working_day'
      ? calendar.addWorkingDaysWithPauses(input.start, total, pauses)
      : pauses.length === 0
        ? calendar.addLimit(input.start, total, input.unit)
        : // natural-day limits: paused calendar days push the end by as many days
          shiftNatural(calendar, input.start, total, pauses, input.unit);
  if (pauses.some((p) => p.to === null && p.from <= input.today)) {
    return { dueDate: null, provisional: false, used: countUsed(calendar, input, pauses), remaining: null, state: 'paused' };
  }
  const used = countUsed(calendar, input, pauses);
  const remaining = total - used;
  const state: ClockState = due.date !== null && input.today > due.date ? 'overdue' : total > 0 && used >= share * total ? 'warning' : 'running';
  return { dueDate: due.date, provisional: due.provisional, used, remaining, state };
}

function countUsed(calendar: WorkingCalendar, input: ClockInput, pauses: readonly Pause[]): number {
  if (input.today <= input.start) return 0;
  const counter = (a: string, b: string) => (input.unit === 'working_day' ? calendar.workingDaysBetween(a, b) : naturalDaysBetween(a, b));
  let used = counter(input.start, input.today);
  for (const p of pauses) {
    // paused days within (start, today]
    const from = p.from > input.start ? p.from : nextDay(input.start);
    const to = p.to === null || p.to > input.today ? input.today : p.to;
    if (from <= to) used -= counter(prevDay(from), to);
  }
  return Math.max(0, used);
}

function shiftNatural(calendar: WorkingCalendar, start: string, total: number, pauses: readonly Pause[], unit: LimitUnit) {
  if (pauses.some((p) => p.to === null)) return { date: null, provisional: false };
  const paused = pauses.reduce((n, p) => n + naturalDaysBetween(prevDay(p.from), p.to!), 0);
  return calendar.addLimit(start, total + paused, unit);
}

const naturalDaysBetween = (a: string, b: string) => Math.max(0, epochDay(b) - epochDay(a));
const nextDay = (d: string) => shiftDate(d, 1);
const prevDay = (d: string) => shiftDate(d, -1);

/**
 * The last day for the one-time supplement notice of an application received on `received`
 * (art. 32: 5 days). Past it, without a notice, the application counts as accepted on `received`.
 */
export function supplementNoticeDeadline(calendar: WorkingCalendar, received: string) {
  return calendar.addWorkingDays(received, STATUTORY_LIMITS.supplementNotice);
}

/** The last day to issue or serve the licence after a grant on `decided` (art. 44: 10 days). */
export function deliveryDeadline(calendar: WorkingCalendar, decided: string) {
  return calendar.addWorkingDays(decided, STATUTORY_LIMITS.delivery);
}

/** Office hours of a working day, as [start, end) pairs of minutes after midnight, Asia/Shanghai. */
export type OfficeHours = readonly (readonly [number, number])[];

/** 09:00–12:00 and 14:00–18:00 — the usual hours of a service hall; configurable per deployment. */
export const DEFAULT_OFFICE_HOURS: OfficeHours = [
  [9 * 60, 12 * 60],
  [14 * 60, 18 * 60],
];

const SHANGHAI_OFFSET_MIN = 8 * 60;

/**
 * The instant `hours` office hours after `from`, counting only office hours of working days
 * (for hotline work orders and evaluation follow-ups). An instant outside office hours starts
 * counting at the next opening.
 * @param from an instant; @param hours ≥ 0 (fractions allowed: minutes are exact)
 */
export function addOfficeHours(calendar: WorkingCalendar, from: Date, hours: number, office: OfficeHours = DEFAULT_OFFICE_HOURS): Date {
  if (!(hours >= 0)) throw new RangeError(`hours must be ≥ 0: ${hours}`);
  let left = Math.round(hours * 60);
  // local (Asia/Shanghai) minutes since the epoch
  let t = Math.floor(from.getTime() / 60_000) + SHANGHAI_OFFSET_MIN;
  for (let guard = 0; guard < 100_000; guard++) {
    const dayStart = Math.floor(t / 1440) * 1440;
    const date = new Date(dayStart * 60_000).toISOString().slice(0, 10);
    if (calendar.isWorkingDay(date)) {
      for (const [a, b] of office) {
        const s = Math.max(t, dayStart + a);
        const e = dayStart + b;
        if (s >= e) continue;
        if (left <= e - s) return new Date((s + left - SHANGHAI_OFFSET_MIN) * 60_000);
        left -= e - s;
        t = e;
      }
    }
    t = dayStart + 1440;
  }
  throw new RangeError('office hours not found within the calendar');
}

/** Office minutes between two instants (0 when `to` ≤ `from`), on working days only. */
export function officeMinutesBetween(calendar: WorkingCalendar, from: Date, to: Date, office: OfficeHours = DEFAULT_OFFICE_HOURS): number {
  let t = Math.floor(from.getTime() / 60_000) + SHANGHAI_OFFSET_MIN;
  const end = Math.floor(to.getTime() / 60_000) + SHANGHAI_OFFSET_MIN;
  let total = 0;
  while (t < end) {
    const dayStart = Math.floor(t / 1440) * 1440;
    const date = new Date(dayStart * 60_000).toISOString().slice(0, 10);
    if (calendar.isWorkingDay(date)) for (const [a, b] of office) total += Math.max(0, Math.min(end, dayStart + b) - Math.max(t, dayStart + a));
    t = dayStart + 1440;
  }
  return total;
}
