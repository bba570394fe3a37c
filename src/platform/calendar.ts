/**
 * The official working-day calendar of the People's Republic of China, and the clock arithmetic
 * every deadline of the platform goes through.
 *
 * Rules, with their sources (full texts in the laws folder of the shared data):
 * - Time limits of administrative licensing are counted in working days, statutory holidays
 *   excluded (行政许可法 art. 82). Working days are Monday–Friday, except the statutory holidays
 *   of 全国年节及纪念日放假办法 as arranged by the State Council General Office's yearly notice,
 *   plus the weekend days that notice makes working days (调休上班).
 * - A period counted in days starts on the day after the event (民法典 art. 201): the
 *   acceptance day itself is not counted.
 * - When the last day of a period is a holiday or rest day, the period ends on the next working
 *   day (民法典 art. 203); this matters for periods in natural days (日).
 *
 * Data: the maintained npm package `chinese-days` (2004 to the latest published year). For a
 * year with no published arrangement only weekends are known; results reaching into such a
 * year are flagged `provisional`.
 *
 * All dates are calendar dates in Asia/Shanghai, as strings `YYYY-MM-DD`. The arithmetic works on
 * precomputed tables (a running count of working days per day), so one deadline is O(1) and
 * allocation-free apart from its result.
 */
import chineseDays from 'chinese-days';
import calendarData from 'chinese-days/dist/chinese-days.json' with { type: 'json' };

const DAY_MS = 86_400_000;

/** Thrown for a string that is not a real `YYYY-MM-DD` date, or one outside the calendar's range. */
export class InvalidDateError extends Error {
  constructor(value: string) {
    super(`not a date YYYY-MM-DD within the calendar: ${value}`);
  }
}

/** Unit of a time limit: 工作日, 自然日 (the law says 日), or 当场 (same day). */
export type LimitUnit = 'working_day' | 'natural_day' | 'same_day';

/**
 * How periods are counted. The default is the law's:
 * - `countStartDay: false` — the day of the event (acceptance) is not counted (民法典 art. 201);
 * - `moveToWorkingDay: true` — a natural-day period whose last day is a holiday or rest day ends
 *   on the next working day (民法典 art. 203).
 * A deployment may change them (configuration `ONEWINDOW_CLOCK_COUNT_START_DAY=1`,
 * `ONEWINDOW_CLOCK_MOVE_TO_WORKING_DAY=0`) where a local rule says otherwise.
 */
export interface ClockConvention {
  countStartDay: boolean;
  moveToWorkingDay: boolean;
}

export const LEGAL_CONVENTION: ClockConvention = { countStartDay: false, moveToWorkingDay: true };

/** One year's arrangement: the holiday dates and the adjusted working dates (weekend days worked). */
export interface YearArrangement {
  year: number;
  holidays: readonly string[];
  workdays: readonly string[];
  /** only the statutory holidays are known (no State Council notice yet): results stay provisional */
  provisional?: boolean;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function digit(s: string, i: number): number {
  const c = s.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : NaN;
}

/**
 * Days since 1970-01-01 of a valid `YYYY-MM-DD`, or NaN. Parsed by hand (no RegExp, no Date):
 * this is the hot path of every deadline. Days from civil: H. Hinnant's algorithm.
 */
function toEpochDay(date: string): number {
  if (date.length !== 10 || date.charCodeAt(4) !== 45 || date.charCodeAt(7) !== 45) return NaN;
  const y = digit(date, 0) * 1000 + digit(date, 1) * 100 + digit(date, 2) * 10 + digit(date, 3);
  const m = digit(date, 5) * 10 + digit(date, 6);
  const d = digit(date, 8) * 10 + digit(date, 9);
  if (!(m >= 1 && m <= 12 && d >= 1)) return NaN;
  const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  if (d > (m === 2 && leap ? 29 : DAYS_IN_MONTH[m - 1]!)) return NaN;
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Days since 1970-01-01 of a `YYYY-MM-DD` date. @throws InvalidDateError */
export function epochDay(date: string): number {
  const d = toEpochDay(date);
  if (Number.isNaN(d)) throw new InvalidDateError(date);
  return d;
}

/** The `YYYY-MM-DD` date `days` calendar days after `date` (negative: before). @throws InvalidDateError */
export function shiftDate(date: string, days: number): string {
  return fromEpochDay(epochDay(date) + days);
}

/** Whether `date` is a real calendar date written `YYYY-MM-DD`. */
export function isIsoDate(date: string): boolean {
  return !Number.isNaN(toEpochDay(date));
}

function fromEpochDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/**
 * A working-day calendar over a fixed range of years, built from published arrangements.
 * Immutable; build a new one when an arrangement is added (e.g. an administrator's entry for a
 * year the package does not have yet).
 */
export class WorkingCalendar {
  readonly firstYear: number;
  readonly lastYear: number;
  private readonly start: number; // epoch day of firstYear-01-01
  private readonly working: Uint8Array; // 1 when the day is a working day
  private readonly cum: Int32Array; // working days from the range start through this day, inclusive
  private readonly workingDays: Int32Array; // epoch day of the k-th working day (0-based)
  private readonly unpublishedBefore: Int32Array; // count of unpublished years in [firstYear, y)
  private readonly strings: string[]; // the date string of each day, for cheap results
  private readonly yearIndex: Uint8Array; // year − firstYear of each day

  /**
   * @param arrangements published years; other years in the range count weekends only
   * @param range the years covered (default 2004–2099)
   */
  readonly convention: ClockConvention;

  constructor(
    arrangements: Iterable<YearArrangement>,
    range: { firstYear: number; lastYear: number } = { firstYear: 2004, lastYear: 2099 },
    convention: ClockConvention = LEGAL_CONVENTION,
  ) {
    this.convention = convention;
    this.firstYear = range.firstYear;
    this.lastYear = range.lastYear;
    this.start = Date.UTC(range.firstYear, 0, 1) / DAY_MS;
    const end = Date.UTC(range.lastYear + 1, 0, 1) / DAY_MS;
    const n = end - this.start;
    this.working = new Uint8Array(n);
    this.strings = new Array<string>(n);
    this.yearIndex = new Uint8Array(n);
    if (this.lastYear - this.firstYear > 255) throw new RangeError('a calendar covers at most 256 years');
    for (let i = 0; i < n; i++) {
      const weekday = (this.start + i + 4) % 7; // 1970-01-01 was a Thursday (4); 0 = Sunday
      this.working[i] = weekday === 0 || weekday === 6 ? 0 : 1;
      this.strings[i] = fromEpochDay(this.start + i);
      this.yearIndex[i] = Number(this.strings[i]!.slice(0, 4)) - this.firstYear;
    }
    const published = new Set<number>();
    for (const a of arrangements) {
      if (a.year < this.firstYear || a.year > this.lastYear) continue;
      if (!a.provisional) published.add(a.year);
      for (const d of a.holidays) this.working[this.index(d)] = 0;
      for (const d of a.workdays) this.working[this.index(d)] = 1;
    }
    this.cum = new Int32Array(n);
    let count = 0;
    for (let i = 0; i < n; i++) this.cum[i] = count += this.working[i]!;
    this.workingDays = new Int32Array(count);
    for (let i = 0, k = 0; i < n; i++) if (this.working[i]) this.workingDays[k++] = i;
    const years = this.lastYear - this.firstYear + 2;
    this.unpublishedBefore = new Int32Array(years);
    for (let y = 0; y < years - 1; y++) this.unpublishedBefore[y + 1] = this.unpublishedBefore[y]! + (published.has(this.firstYear + y) ? 0 : 1);
  }

  /** Index of a date in the tables. @throws InvalidDateError */
  private index(date: string): number {
    const i = toEpochDay(date) - this.start;
    if (!(i >= 0 && i < this.working.length)) throw new InvalidDateError(date);
    return i;
  }

  /** Whether any year from that of index `a` through that of index `b` is unpublished. */
  private provisionalBetween(a: number, b: number): boolean {
    return this.unpublishedBefore[this.yearIndex[b]! + 1]! - this.unpublishedBefore[this.yearIndex[a]!]! > 0;
  }

  /** Whether `year`'s arrangement is known. */
  isYearPublished(year: number): boolean {
    if (year < this.firstYear || year > this.lastYear) return false;
    const y = year - this.firstYear;
    return this.unpublishedBefore[y + 1] === this.unpublishedBefore[y];
  }

  /** Whether `date` is a working day. @throws InvalidDateError */
  isWorkingDay(date: string): boolean {
    return this.working[this.index(date)] === 1;
  }

  /**
   * The date `days` working days after `start`, the start day not counted (民法典 art. 201,
   * 行政许可法 art. 82); `days = 0` returns `start`.
   * @throws InvalidDateError; RangeError for a negative or fractional `days`, or past the range
   */
  addWorkingDays(start: string, days: number): { date: string; provisional: boolean } {
    const i = this.index(start);
    if (!Number.isInteger(days) || days < 0) throw new RangeError(`working days must be a whole number >= 0: ${days}`);
    if (days === 0) return { date: this.strings[i]!, provisional: this.provisionalBetween(i, i) };
    // With countStartDay, a working start day is day 1 itself.
    const k = this.cum[i]! + days - 1 - (this.convention.countStartDay ? this.working[i]! : 0);
    if (k >= this.workingDays.length) throw new RangeError(`beyond the calendar's last year ${this.lastYear}`);
    const j = this.workingDays[k]!;
    return { date: this.strings[j]!, provisional: this.provisionalBetween(i, j) };
  }

  /**
   * Like {@link addWorkingDays}, but the clock stands still during each pause (补正 art. 32,
   * special procedures art. 45): a pause `{from, to}` stops counting from `from` through `to`
   * inclusive (the request day through the receipt day). Pauses may come in any order and
   * overlap; a pause with `to: null` is still running, and then there is no due date yet.
   * @returns `{ date: null }` while a pause is open
   */
  addWorkingDaysWithPauses(
    start: string,
    days: number,
    pauses: readonly { from: string; to: string | null }[],
  ): { date: string | null; provisional: boolean } {
    if (!pauses.length) return this.addWorkingDays(start, days);
    // Pauses are counted on the legal convention (start day excluded).
    const i0 = this.index(start);
    if (!Number.isInteger(days) || days < 0) throw new RangeError(`working days must be a whole number >= 0: ${days}`);
    const spans = pauses
      .map((p) => ({ from: this.index(p.from), to: p.to === null ? Infinity : this.index(p.to) }))
      .sort((a, b) => a.from - b.from);
    let at = i0; // counting resumes after this index
    let left = days;
    for (const s of spans) {
      if (s.to <= at) continue;
      const from = Math.max(s.from, at + 1);
      // working days in (at, from)
      const available = this.cum[from - 1]! - this.cum[at]!;
      if (left <= available) break;
      left -= available;
      if (s.to === Infinity) return { date: null, provisional: false };
      at = s.to;
    }
    if (left === 0) return { date: this.strings[at]!, provisional: this.provisionalBetween(i0, at) };
    const k = this.cum[at]! + left - 1;
    if (k >= this.workingDays.length) throw new RangeError(`beyond the calendar's last year ${this.lastYear}`);
    const j = this.workingDays[k]!;
    return { date: this.strings[j]!, provisional: this.provisionalBetween(i0, j) };
  }

  /**
   * The last day of a period of `days` natural days (日) after `start`: `start + days` calendar
   * days, moved to the next working day when it is a holiday or rest day (民法典 art. 203).
   * @throws InvalidDateError, RangeError
   */
  addNaturalDays(start: string, days: number): { date: string; provisional: boolean } {
    const i = this.index(start);
    if (!Number.isInteger(days) || days < 0) throw new RangeError(`days must be a whole number >= 0: ${days}`);
    if (days === 0) return { date: this.strings[i]!, provisional: this.provisionalBetween(i, i) };
    let j = i + days - (this.convention.countStartDay ? 1 : 0);
    if (j >= this.working.length) throw new RangeError(`beyond the calendar's last year ${this.lastYear}`);
    if (this.convention.moveToWorkingDay && !this.working[j]) j = this.workingDays[this.cum[j]!]!; // the next working day
    return { date: this.strings[j]!, provisional: this.provisionalBetween(i, j) };
  }

  /**
   * The due date of a limit in its unit: `working_day` ({@link addWorkingDays}), `natural_day`
   * ({@link addNaturalDays}) or `same_day` (the start date itself).
   */
  addLimit(start: string, days: number, unit: LimitUnit): { date: string; provisional: boolean } {
    if (unit === 'natural_day') return this.addNaturalDays(start, days);
    return this.addWorkingDays(start, unit === 'same_day' ? 0 : days);
  }

  /** Working days in `(from, to]` — the count a deadline clock has used between two dates. */
  workingDaysBetween(from: string, to: string): number {
    return this.cum[this.index(to)]! - this.cum[this.index(from)]!;
  }
}

/** The arrangements the `chinese-days` package publishes, grouped by year. */
export function packagedArrangements(): YearArrangement[] {
  const byYear = new Map<number, { holidays: string[]; workdays: string[] }>();
  const get = (d: string) => {
    const y = Number(d.slice(0, 4));
    let a = byYear.get(y);
    if (!a) byYear.set(y, (a = { holidays: [], workdays: [] }));
    return a;
  };
  for (const d of Object.keys(calendarData.holidays)) get(d).holidays.push(d);
  for (const d of Object.keys(calendarData.workdays)) get(d).workdays.push(d);
  return [...byYear].map(([year, a]) => ({ year, ...a }));
}

/**
 * The statutory holidays of `year` under 全国年节及纪念日放假办法 (2024 revision, art. 2, in force
 * from 2025): 元旦 1-01; 春节 lunar New Year's Eve and the 1st–3rd of the first month; 清明 (the
 * solar term's day); 劳动节 5-01, 5-02; 端午 (lunar 5-05); 中秋 (lunar 8-15); 国庆 10-01…10-03.
 * Lunar and solar-term dates come from chinese-days. Without the yearly notice, rest days moved
 * next to them (调休) are unknown, so such a year stays provisional.
 */
export function statutoryHolidays(year: number): string[] {
  const lunar = (md: string) => chineseDays.getSolarDateFromLunar(`${year}-${md}`).date as string;
  const newYear = toEpochDay(lunar('01-01'));
  const springFestival = [-1, 0, 1, 2].map((d) => fromEpochDay(newYear + d));
  const qingming = chineseDays.getSolarTerms(`${year}-04-01`, `${year}-04-10`).find((t: { name: string }) => t.name === '清明')?.date as string | undefined;
  const days = [`${year}-01-01`, ...springFestival, ...(qingming ? [qingming] : []), `${year}-05-01`, `${year}-05-02`, lunar('05-05'), lunar('08-15'), `${year}-10-01`, `${year}-10-02`, `${year}-10-03`];
  return [...new Set(days.filter((d) => d.startsWith(`${year}-`)))].sort();
}

/**
 * The packaged arrangements, plus, for the years after the last published one (up to five),
 * their statutory holidays only, flagged provisional.
 */
export function arrangementsWithStatutoryHolidays(published: YearArrangement[]): YearArrangement[] {
  const last = Math.max(...published.filter((a) => !a.provisional).map((a) => a.year));
  const known = new Set(published.map((a) => a.year));
  const extra: YearArrangement[] = [];
  for (let y = last + 1; y <= last + 5; y++) if (!known.has(y)) extra.push({ year: y, holidays: statutoryHolidays(y), workdays: [], provisional: true });
  return [...published, ...extra];
}

/** The calendar of the packaged arrangements (and statutory holidays of later years), built on first use. */
let defaultCalendar: WorkingCalendar | undefined;
export function officialCalendar(): WorkingCalendar {
  return (defaultCalendar ??= new WorkingCalendar(arrangementsWithStatutoryHolidays(packagedArrangements())));
}

/** Next calendar date after `date` (`YYYY-MM-DD`). */
export function nextDate(date: string): string {
  return shiftDate(date, 1);
}

/** Whether the State Council's holiday arrangement for `year` is in the official calendar. */
export function isYearPublished(year: number): boolean {
  return officialCalendar().isYearPublished(year);
}

/** Whether `date` is a working day on the official calendar. @throws InvalidDateError */
export function isWorkingDay(date: string): boolean {
  return officialCalendar().isWorkingDay(date);
}

/**
 * The date `days` working days after `start` on the official calendar, the start day not
 * counted. Example (2026 notice: 10-01…10-07 off, Saturday 10-10 worked):
 * `addWorkingDays('2026-09-30', 5)` → `{ date: '2026-10-13', provisional: false }`.
 * @throws InvalidDateError, RangeError
 */
export function addWorkingDays(start: string, days: number): { date: string; provisional: boolean } {
  return officialCalendar().addWorkingDays(start, days);
}

/** {@link WorkingCalendar.addNaturalDays} on the official calendar. */
export function addNaturalDays(start: string, days: number): { date: string; provisional: boolean } {
  return officialCalendar().addNaturalDays(start, days);
}

/** The calendar date (`YYYY-MM-DD`) of instant `at` in Asia/Shanghai (UTC+8, no daylight saving). */
export function shanghaiDate(at: Date): string {
  return new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}
