/**
 * Pure helpers of the statistics dashboard (统计分析, /stats), the hall screen (大厅公示屏,
 * /screen) and the case list's drill-down filters: the API's shapes, number formats, the filters
 * read from and written to the URL. No React, no i18n, so they are unit-tested without a browser
 * (test/web-stats-logic.test.ts).
 */

// ---------------------------------------------------------------------------------------------
// The API's answers (GET /stats/summary, /stats/breakdown, /stats/public)

/** A rate with what it is computed from; `value` 0..1, null when the denominator is 0. */
export interface Rate {
  value: number | null;
  numerator: number;
  denominator: number;
}

export const APP_CHANNELS = ['window', 'online', 'kiosk', 'mobile'] as const;
export type AppChannel = (typeof APP_CHANNELS)[number];

export const ONLINE_DEPTHS = ['I', 'II', 'III', 'IV'] as const;
export const RATINGS = ['1', '2', '3', '4', '5'] as const;

export interface StatsSummary {
  filter: { from: string; to: string; departmentCode: string | null; regionCode: string | null; channel: string | null };
  asOf: string;
  counts: {
    submitted: number;
    accepted: number;
    rejected: number;
    withdrawn: number;
    decided: number;
    granted: number;
    denied: number;
    delivered: number;
    inProgress: number;
    overdue: number;
    warning: number;
    licenseFree: number;
    licenseUses: number;
    evaluated: number;
    defaultEvaluated: number;
  };
  rates: {
    completion: Rate;
    onTime: Rate;
    satisfaction: Rate;
    explicitSatisfaction: Rate;
    immediateHandling: Rate;
    singleWindow: Rate;
    onlineChannel: Rate;
  };
  ratings: Record<(typeof RATINGS)[number], number>;
  channels: Record<AppChannel, number>;
  catalog: {
    items: number;
    onlineAvailable: Rate;
    onlineDepth: Record<(typeof ONLINE_DEPTHS)[number], number>;
    timeLimitCompression: Rate;
    levels: { district: number; town: number; village: number };
    immediateItems: number;
    licenseFreeItems: number;
  };
}

export const BREAKDOWN_DIMENSIONS = ['month', 'department', 'town', 'channel', 'item'] as const;
export type BreakdownBy = (typeof BREAKDOWN_DIMENSIONS)[number];

export interface BreakdownRow {
  key: string;
  label: string;
  counts: { submitted: number; accepted: number; decided: number; onTime: number; overdue: number };
  rates: { completion: Rate; onTime: Rate; satisfaction: Rate };
}

export interface Breakdown {
  by: string;
  rows: BreakdownRow[];
}

export interface PublicStats {
  year: number;
  asOf: string;
  counts: { submitted: number; accepted: number; decided: number; inProgress: number };
  rates: { completion: Rate; onTime: Rate; satisfaction: Rate };
  months: { month: string; submitted: number; decided: number }[];
  catalog: { items: number; onlineAvailable: Rate; timeLimitCompression: Rate; immediateItems: number };
}

// ---------------------------------------------------------------------------------------------
// Formats

const NUMBER_FORMAT = new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 0 });

/** A count with thousands separators (`12,345`); `—` when missing. */
export function fmtCount(n: number | null | undefined): string {
  return typeof n === 'number' && Number.isFinite(n) ? NUMBER_FORMAT.format(n) : '—';
}

/** A 0..1 ratio as a percentage with two decimals (`99.52%`); `—` when there is none. */
export function fmtPercent(value: number | null | undefined): string {
  if (typeof value !== 'number' || !Number.isFinite(value)) return '—';
  return `${(Math.round(value * 10_000) / 100).toFixed(2)}%`;
}

/** A rate's `numerator / denominator` with thousands separators (`1,234 / 1,240`). */
export function fmtFraction(rate: Rate | null | undefined): string {
  if (!rate) return '—';
  return `${fmtCount(rate.numerator)} / ${fmtCount(rate.denominator)}`;
}

/** A rate as a number of percent for a chart axis (two decimals), or null. */
export function percentValue(rate: Rate | null | undefined): number | null {
  return rate && typeof rate.value === 'number' ? Math.round(rate.value * 10_000) / 100 : null;
}

// ---------------------------------------------------------------------------------------------
// Dates

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function isDate(s: string | null | undefined): s is string {
  if (!s || !DATE.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** The first and last day of `month` (`2026-03`), e.g. `['2026-03-01', '2026-03-31']`. */
export function monthRange(month: string): [string, string] | null {
  const m = /^(\d{4})-(\d{2})$/.exec(month);
  if (!m) return null;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  if (mo < 1 || mo > 12) return null;
  const last = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  return [`${m[1]}-${m[2]}-01`, `${m[1]}-${m[2]}-${String(last).padStart(2, '0')}`];
}

/** The dashboard's default period: 1 January of `today`'s year to `today`. */
export function defaultPeriod(today: string): { from: string; to: string } {
  return { from: `${today.slice(0, 4)}-01-01`, to: today };
}

// ---------------------------------------------------------------------------------------------
// The dashboard's filters (in the /stats URL and sent to every /stats request)

export interface StatsFilter {
  from: string;
  to: string;
  departmentCode: string | null;
  regionCode: string | null;
  channel: AppChannel | null;
}

const CODE = /^[A-Za-z0-9_-]{1,64}$/;
/** a district (6 digits), town (9) or village (12) division code, as the API takes */
export const REGION_CODE = /^\d{6}(\d{3}(\d{3})?)?$/;
const REGION = REGION_CODE;

function channelOf(v: string | null): AppChannel | null {
  return v && (APP_CHANNELS as readonly string[]).includes(v) ? (v as AppChannel) : null;
}

/** The dashboard's filters from its URL, the default period where the dates are missing or wrong. */
export function readStatsFilter(params: URLSearchParams, today: string): StatsFilter {
  const period = defaultPeriod(today);
  let from = isDate(params.get('from')) ? params.get('from')! : period.from;
  let to = isDate(params.get('to')) ? params.get('to')! : period.to;
  if (from > to) [from, to] = [to, from];
  const dept = params.get('departmentCode');
  const region = params.get('regionCode');
  return {
    from,
    to,
    departmentCode: dept && CODE.test(dept) ? dept : null,
    regionCode: region && REGION.test(region) ? region : null,
    channel: channelOf(params.get('channel')),
  };
}

/** The query of a /stats request (and of the dashboard's URL): the set filters only. */
export function statsQuery(f: StatsFilter): Record<string, string> {
  const q: Record<string, string> = { from: f.from, to: f.to };
  if (f.departmentCode) q.departmentCode = f.departmentCode;
  if (f.regionCode) q.regionCode = f.regionCode;
  if (f.channel) q.channel = f.channel;
  return q;
}

/** `/api/v1/stats/export.xlsx?…` with the filters. */
export function exportUrl(f: StatsFilter): string {
  return `/api/v1/stats/export.xlsx?${new URLSearchParams(statsQuery(f)).toString()}`;
}

// ---------------------------------------------------------------------------------------------
// The case list's filters (GET /applications; the workbench reads them from its URL)

export const CLOCK_FILTERS = ['overdue', 'warning'] as const;
export type ClockFilter = (typeof CLOCK_FILTERS)[number];

/** Filters of the case list beyond its tab: the submission period, department, town, channel, clock. */
export interface ApplicationFilters {
  departmentCode?: string;
  regionCode?: string;
  channel?: AppChannel;
  /** submitted on or after (Asia/Shanghai date) */
  from?: string;
  /** submitted on or before */
  to?: string;
  clock?: ClockFilter;
  /** comma-separated statuses (the `all` tab only) */
  status?: string;
}

export const APPLICATION_FILTER_KEYS = ['departmentCode', 'regionCode', 'channel', 'from', 'to', 'clock', 'status'] as const;
export type ApplicationFilterKey = (typeof APPLICATION_FILTER_KEYS)[number];

/** The case list's filters from a URL; malformed values are left out. */
export function readApplicationFilters(params: URLSearchParams): ApplicationFilters {
  const f: ApplicationFilters = {};
  const dept = params.get('departmentCode');
  if (dept && CODE.test(dept)) f.departmentCode = dept;
  const region = params.get('regionCode');
  if (region && REGION.test(region)) f.regionCode = region;
  const channel = channelOf(params.get('channel'));
  if (channel) f.channel = channel;
  const from = params.get('from');
  if (isDate(from)) f.from = from;
  const to = params.get('to');
  if (isDate(to)) f.to = to;
  const clock = params.get('clock');
  if (clock && (CLOCK_FILTERS as readonly string[]).includes(clock)) f.clock = clock as ClockFilter;
  const status = params.get('status');
  if (status && /^[a-z_]+(,[a-z_]+)*$/.test(status) && status.length <= 200) f.status = status;
  return f;
}

export function hasApplicationFilters(f: ApplicationFilters): boolean {
  return APPLICATION_FILTER_KEYS.some((k) => f[k] !== undefined);
}

/** A stable string of the filters (a query key, a component key). */
export function applicationFiltersKey(f: ApplicationFilters): string {
  return APPLICATION_FILTER_KEYS.filter((k) => f[k] !== undefined)
    .map((k) => `${k}=${f[k]}`)
    .join('&');
}

/**
 * The case list (`/workbench`, tab 全部) showing the cases behind a number of the dashboard:
 * the dashboard's filters, then `extra` (a bar's department, town, channel, month or clock).
 * A month narrows the period to the month's days inside it. The overdue and warning cases are
 * the open cases now, whatever their submission date (as the API counts them): no period then.
 */
export function drillDownUrl(f: StatsFilter, extra: { departmentCode?: string; regionCode?: string; channel?: string; month?: string; clock?: ClockFilter }): string {
  let from = f.from;
  let to = f.to;
  if (extra.month) {
    const r = monthRange(extra.month);
    if (r) {
      from = r[0] > from ? r[0] : from;
      to = r[1] < to ? r[1] : to;
    }
  }
  const q = new URLSearchParams({ tab: 'all' });
  const dept = extra.departmentCode ?? f.departmentCode;
  const region = extra.regionCode ?? f.regionCode;
  const channel = extra.channel ?? f.channel;
  if (dept) q.set('departmentCode', dept);
  if (region) q.set('regionCode', region);
  if (channel) q.set('channel', channel);
  if (extra.clock) q.set('clock', extra.clock);
  else {
    q.set('from', from);
    q.set('to', to);
  }
  return `/workbench?${q.toString()}`;
}

/** The district's code: the region of the district hall (`kind` `district_hall`), else of any hall with a 6-digit region. */
export function districtCodeOf(halls: readonly { kind?: string; regionCode?: string }[] | undefined): string | null {
  if (!halls) return null;
  const hall = halls.find((h) => h.kind === 'district_hall' && h.regionCode) ?? halls.find((h) => h.regionCode && /^\d{6}$/.test(h.regionCode));
  return hall?.regionCode ? hall.regionCode.slice(0, 6) : null;
}
