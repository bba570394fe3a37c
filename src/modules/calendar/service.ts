/**
 * The platform's working-day calendar: the packaged official arrangements (chinese-days), with
 * the administrator's entries for years not yet packaged laid over them. Every deadline of the
 * platform is computed on {@link getCalendar}.
 */
import { asc, eq } from 'drizzle-orm';
import type { Db } from '../../db/index.js';
import { appendAudit } from '../audit/service.js';
import { arrangementsWithStatutoryHolidays, isIsoDate, statutoryHolidays, LEGAL_CONVENTION, packagedArrangements, WorkingCalendar, type ClockConvention, type YearArrangement } from '../../platform/calendar.js';
import { AppError } from '../../platform/errors.js';
import { calendarYears } from './schema.js';

/** How long a node trusts its cached calendar before looking for entries made on other nodes, in ms. */
export const CALENDAR_CACHE_MS = 60_000;

const cache = new WeakMap<object, { calendar: WorkingCalendar; loadedAt: number }>();

/** The counting convention of this deployment (set once at start from configuration). */
let convention: ClockConvention = LEGAL_CONVENTION;

/** Sets the counting convention (see {@link ClockConvention}); calendars built after use it. */
export function setClockConvention(c: ClockConvention): void {
  convention = c;
}

/**
 * The calendar for this database: packaged arrangements, each year replaced by an entered one
 * where there is one. Cached per database for {@link CALENDAR_CACHE_MS}.
 */
export async function getCalendar(db: Db, nowMs = Date.now()): Promise<WorkingCalendar> {
  const hit = cache.get(db);
  if (hit && nowMs - hit.loadedAt < CALENDAR_CACHE_MS) return hit.calendar;
  const entered = await db.select().from(calendarYears).orderBy(asc(calendarYears.year));
  const years = new Map<number, YearArrangement>(packagedArrangements().map((a) => [a.year, a]));
  for (const e of entered) years.set(e.year, { year: e.year, holidays: e.holidays, workdays: e.workdays });
  const calendar = new WorkingCalendar(arrangementsWithStatutoryHolidays([...years.values()]), undefined, convention);
  cache.set(db, { calendar, loadedAt: nowMs });
  return calendar;
}

/** One year's arrangement as the API shows it. */
export async function getYear(db: Db, year: number) {
  const [entered] = await db.select().from(calendarYears).where(eq(calendarYears.year, year));
  if (entered) return { year, published: true, source: entered.source, holidays: [...entered.holidays].sort(), workdays: [...entered.workdays].sort() };
  const packaged = packagedArrangements().find((a) => a.year === year);
  if (packaged) return { year, published: true, source: 'chinese-days (国务院办公厅节假日安排通知)', holidays: [...packaged.holidays].sort(), workdays: [...packaged.workdays].sort() };
  // Not yet published: the statutory holidays are known, the adjusted days are not.
  const holidays = year >= 2025 ? statutoryHolidays(year) : [];
  return { year, published: false, source: holidays.length ? '全国年节及纪念日放假办法（2024年修订）第二条：仅法定节日，调休安排待国务院办公厅公布' : null, holidays, workdays: [] as string[] };
}

/**
 * Enters (or replaces) a year's arrangement, as an administrator does when the State Council
 * publishes it before the packaged data has it.
 * Holiday dates may fall on weekends (a holiday period spans them); working dates are the
 * adjusted weekend days worked (调休上班).
 * @throws AppError BAD_REQUEST when a date is malformed, not in `year`, or in both lists
 */
export async function setYear(
  db: Db,
  input: { year: number; holidays: string[]; workdays: string[]; source: string; replace?: boolean },
  actor: { id: string; displayName: string },
  now: Date,
) {
  const bad = (zh: string, en: string) => new AppError('CALENDAR_INVALID', { detail: { 'zh-CN': zh, en } });
  // A year the official data already has is replaced only on purpose (replace=true).
  if (!input.replace && packagedArrangements().some((a) => a.year === input.year)) {
    throw new AppError('CALENDAR_YEAR_PUBLISHED', { year: input.year });
  }
  const both = new Set(input.holidays.filter((d) => input.workdays.includes(d)));
  for (const d of [...input.holidays, ...input.workdays]) {
    if (!isIsoDate(d) || Number(d.slice(0, 4)) !== input.year) throw bad(`${d} 不是 ${input.year} 年的日期`, `${d} is not a date of ${input.year}`);
  }
  for (const d of input.workdays) {
    const weekday = new Date(`${d}T00:00:00Z`).getUTCDay();
    if (weekday !== 0 && weekday !== 6) throw bad(`${d} 是工作日，调休上班日只能是周末`, `${d} is a weekday; an adjusted working day is a weekend day`);
  }
  if (both.size) throw bad(`${[...both].join('、')} 不能既是假日又是上班日`, `${[...both].join(', ')} cannot be both a holiday and a working day`);
  const row = {
    year: input.year,
    holidays: [...new Set(input.holidays)].sort(),
    workdays: [...new Set(input.workdays)].sort(),
    source: input.source,
    updatedBy: actor.id,
    updatedAt: now,
  };
  await db.transaction(async (tx) => {
    await tx.insert(calendarYears).values(row).onConflictDoUpdate({ target: calendarYears.year, set: row });
    await appendAudit(tx, { stream: 'calendar', kind: 'calendar.year_set', actor, payload: { year: row.year, holidays: row.holidays, workdays: row.workdays, source: row.source } }, now);
  });
  cache.delete(db);
  return getYear(db, input.year);
}
