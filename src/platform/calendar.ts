/**
 * The official working-day calendar of the People's Republic of China.
 *
 * Time limits of administrative licensing are counted in working days (行政许可法 art. 82:
 * "本法规定的行政机关实施行政许可的期限以工作日计算，不含法定节假日"). Working days are Monday–Friday,
 * except statutory holidays (全国年节及纪念日放假办法, and the State Council General Office's
 * yearly notice), plus the weekend days the notice makes working days (调休上班).
 *
 * Data: the maintained npm package `chinese-days` (holidays and adjusted working days from the
 * State Council notices, 2004 to the latest published year). For a year the State Council has not
 * yet published, only weekends are known: {@link isYearPublished} tells, and callers mark such
 * deadlines provisional.
 *
 * All dates here are calendar dates in Asia/Shanghai, as strings `YYYY-MM-DD`.
 */
import chineseDays from 'chinese-days';
import calendarData from 'chinese-days/dist/chinese-days.json' with { type: 'json' };

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

const publishedYears: ReadonlySet<number> = new Set(
  [...Object.keys(calendarData.holidays), ...Object.keys(calendarData.workdays)].map((d) => Number(d.slice(0, 4))),
);

/** Thrown for a string that is not a real `YYYY-MM-DD` date. */
export class InvalidDateError extends Error {
  constructor(value: string) {
    super(`not a date YYYY-MM-DD: ${value}`);
  }
}

function assertDate(date: string): void {
  if (!ISO_DATE.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`)) || new Date(`${date}T00:00:00Z`).toISOString().slice(0, 10) !== date) {
    throw new InvalidDateError(date);
  }
}

/** Next calendar date after `date` (`YYYY-MM-DD`). */
export function nextDate(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/** Whether the State Council's holiday arrangement for `year` is in the calendar data. */
export function isYearPublished(year: number): boolean {
  return publishedYears.has(year);
}

/**
 * Whether `date` (`YYYY-MM-DD`, Asia/Shanghai) is a working day: a weekday that is not a statutory
 * holiday, or a weekend day made a working day by the yearly notice.
 * @throws InvalidDateError for a malformed date.
 */
export function isWorkingDay(date: string): boolean {
  assertDate(date);
  return chineseDays.isWorkday(date);
}

/**
 * The date that is `days` working days after `start`, the start day itself not counted
 * (民法典 art. 201: a period counted in days starts on the next day; 行政许可法 art. 82: working days).
 * `days = 0` returns `start` (an immediate item is due the day it is accepted).
 *
 * Example (State Council 2026 notice: 10-01…10-07 off, Saturday 10-10 worked):
 * `addWorkingDays('2026-09-30', 5)` → `'2026-10-13'` (10-08, 10-09, 10-10, 10-12, 10-13).
 *
 * @param start acceptance date, `YYYY-MM-DD` in Asia/Shanghai
 * @param days  a whole number of working days ≥ 0
 * @returns `{ date, provisional }` — `provisional` is true when a year on the way is not yet
 *          published, so only weekends were known for it.
 * @throws InvalidDateError for a malformed date; RangeError for a negative or fractional `days`.
 */
export function addWorkingDays(start: string, days: number): { date: string; provisional: boolean } {
  assertDate(start);
  if (!Number.isInteger(days) || days < 0) throw new RangeError(`working days must be a whole number >= 0: ${days}`);
  let date = start;
  let provisional = !isYearPublished(Number(start.slice(0, 4)));
  let left = days;
  while (left > 0) {
    date = nextDate(date);
    if (!isYearPublished(Number(date.slice(0, 4)))) provisional = true;
    if (chineseDays.isWorkday(date)) left -= 1;
  }
  return { date, provisional };
}

/** The calendar date (`YYYY-MM-DD`) of instant `at` in Asia/Shanghai (UTC+8, no daylight saving). */
export function shanghaiDate(at: Date): string {
  return new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

/**
 * The last day of a period of `days` natural days (日) starting after `start`: `start + days`
 * calendar days, the start day not counted (民法典 art. 201); when that last day is a statutory
 * holiday or rest day, the period ends on the next working day (民法典 art. 203).
 * Some special laws count in 日 rather than 工作日 (e.g. 居民身份证法 art. 12: 60 日).
 *
 * @param start `YYYY-MM-DD` (Asia/Shanghai); @param days whole number ≥ 0
 * @returns `{ date, provisional }` as {@link addWorkingDays}
 * @throws InvalidDateError, RangeError
 */
export function addNaturalDays(start: string, days: number): { date: string; provisional: boolean } {
  assertDate(start);
  if (!Number.isInteger(days) || days < 0) throw new RangeError(`days must be a whole number >= 0: ${days}`);
  if (days === 0) return { date: start, provisional: !isYearPublished(Number(start.slice(0, 4))) };
  const d = new Date(`${start}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  let date = d.toISOString().slice(0, 10);
  let provisional = !isYearPublished(Number(date.slice(0, 4)));
  while (!chineseDays.isWorkday(date)) {
    date = nextDate(date);
    if (!isYearPublished(Number(date.slice(0, 4)))) provisional = true;
  }
  return { date, provisional };
}

/**
 * The due date of a limit in its unit: working days ({@link addWorkingDays}), natural days
 * ({@link addNaturalDays}), or `same_day` (the start date).
 */
export function dueDateFor(start: string, days: number, unit: 'working_day' | 'natural_day' | 'same_day'): { date: string; provisional: boolean } {
  if (unit === 'natural_day') return addNaturalDays(start, days);
  if (unit === 'same_day') return addWorkingDays(start, 0);
  return addWorkingDays(start, days);
}
