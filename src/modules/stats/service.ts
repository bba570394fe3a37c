/**
 * Statistics (统计分析): the reference district's metrics, each defined once here and in
 * docs/metrics.md — formula, what counts, the time window.
 *
 * **Cohorts.** An application belongs to the Asia/Shanghai date it was submitted; its later fate
 * (accepted, decided, on time, rated) is counted against that day. A window `[from, to]` is the
 * applications submitted on those days, so every numerator is a part of its denominator and no
 * rate passes 100%. Overdue and warning counts are the open cases *now*, whatever their day.
 *
 * **Rollup.** The counts live in `stats_daily` (one row per day, department, region, channel),
 * rebuilt per day by {@link refreshStats} for the days a trigger marked dirty; the summary sums a
 * few hundred rows per month of data instead of reading every case. The stats module reads the
 * other modules' tables here, read-only, as a reporting projection.
 */
import { and, eq, gte, lte, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import type { Db } from '../../db/index.js';
import { addWorkingDays, isIsoDate, shanghaiDate, shiftDate } from '../../platform/calendar.js';
import { AppError } from '../../platform/errors.js';
import { withinRegion } from '../org/service.js';
import { statsDaily } from './schema.js';

export const CHANNELS = ['window', 'online', 'kiosk', 'mobile'] as const;
export type Channel = (typeof CHANNELS)[number];

/** Rating recorded when the applicant does not rate within {@link DEFAULT_RATING_AFTER_DAYS}. */
export const DEFAULT_RATING = 4;
/** Natural days after delivery before the default rating is recorded (好差评: 办结后 7 日内评价). */
export const DEFAULT_RATING_AFTER_DAYS = 7;
/** Lowest rating counted as satisfied: 基本满意 (3), 满意 (4), 非常满意 (5) are 好评 (国办发〔2019〕51号). */
export const SATISFIED_FROM = 3;
/** Working days ahead within which an open case's due date raises a warning (预警). */
export const WARNING_WORKING_DAYS = 3;

/** What a summary or breakdown covers. Dates are Asia/Shanghai `YYYY-MM-DD`, both included. */
export interface StatsFilter {
  from: string;
  to: string;
  /** the implementing department (实施主体) */
  departmentCode?: string;
  /** a region code (GB/T 2260 and town/village extensions): that region and every region below */
  regionCode?: string;
  channel?: Channel;
}

/** A rate with what it is made of; `value` is numerator ÷ denominator (0..1), null when nothing counts. */
export interface Rate {
  value: number | null;
  numerator: number;
  denominator: number;
}

/** numerator ÷ denominator as a {@link Rate}. */
export function rate(numerator: number, denominator: number): Rate {
  return { value: denominator > 0 ? numerator / denominator : null, numerator, denominator };
}

/** The rollup's count columns, in table order. */
const COUNT_COLUMNS = [
  'submitted',
  'accepted',
  'accepted_at_window',
  'rejected',
  'withdrawn',
  'withdrawn_after_acceptance',
  'in_progress',
  'decided',
  'granted',
  'denied',
  'delivered',
  'decided_with_due',
  'on_time',
  'immediate_decided',
  'immediate_same_day',
  'license_free',
  'license_uses',
  'rated_1',
  'rated_2',
  'rated_3',
  'rated_4',
  'rated_5',
  'rated_default',
] as const;
type CountColumn = (typeof COUNT_COLUMNS)[number];
export type Counts = Record<CountColumn, number>;

/** The Asia/Shanghai date of a timestamptz column (China keeps UTC+8 all year). */
const localDate = (column: string) => `(${column} AT TIME ZONE 'Asia/Shanghai')::date`;

/**
 * How each count is computed from one application `a` with its decision `d`, evaluation `e` and
 * deemed-acceptance event `dm` (each joined at most once). The definitions of docs/metrics.md.
 */
const COUNT_EXPRESSIONS: Record<CountColumn, string> = {
  submitted: 'count(*)',
  accepted: 'count(*) FILTER (WHERE a.accepted_at IS NOT NULL)',
  accepted_at_window: 'count(*) FILTER (WHERE a.accepted_at IS NOT NULL AND dm.application_id IS NULL)',
  rejected: "count(*) FILTER (WHERE a.status = 'rejected')",
  withdrawn: "count(*) FILTER (WHERE a.status = 'withdrawn')",
  withdrawn_after_acceptance: "count(*) FILTER (WHERE a.status = 'withdrawn' AND a.accepted_at IS NOT NULL)",
  in_progress: "count(*) FILTER (WHERE a.status IN ('submitted', 'supplement_requested', 'accepted', 'reviewed'))",
  decided: 'count(*) FILTER (WHERE d.application_id IS NOT NULL)',
  granted: "count(*) FILTER (WHERE d.outcome = 'granted')",
  denied: "count(*) FILTER (WHERE d.outcome = 'denied')",
  delivered: 'count(*) FILTER (WHERE a.delivery IS NOT NULL)',
  decided_with_due: 'count(*) FILTER (WHERE d.application_id IS NOT NULL AND a.due_date IS NOT NULL)',
  on_time: `count(*) FILTER (WHERE d.application_id IS NOT NULL AND a.due_date IS NOT NULL AND ${localDate('d.decided_at')} <= a.due_date)`,
  immediate_decided: "count(*) FILTER (WHERE d.application_id IS NOT NULL AND (a.committed_limit_days = 0 OR a.committed_limit_unit = 'same_day'))",
  immediate_same_day: `count(*) FILTER (WHERE d.application_id IS NOT NULL AND (a.committed_limit_days = 0 OR a.committed_limit_unit = 'same_day') AND ${localDate('d.decided_at')} = ${localDate('a.accepted_at')})`,
  license_free: "count(*) FILTER (WHERE jsonb_path_exists(a.materials, '$[*].licenseId'))",
  license_uses: "coalesce(sum(jsonb_array_length(jsonb_path_query_array(a.materials, '$[*] ? (exists(@.licenseId))'))), 0)",
  rated_1: "count(*) FILTER (WHERE e.source = 'applicant' AND e.rating = 1)",
  rated_2: "count(*) FILTER (WHERE e.source = 'applicant' AND e.rating = 2)",
  rated_3: "count(*) FILTER (WHERE e.source = 'applicant' AND e.rating = 3)",
  rated_4: "count(*) FILTER (WHERE e.source = 'applicant' AND e.rating = 4)",
  rated_5: "count(*) FILTER (WHERE e.source = 'applicant' AND e.rating = 5)",
  rated_default: "count(*) FILTER (WHERE e.source = 'default')",
};

const COHORT_JOINS = `FROM applications a
  LEFT JOIN decisions d ON d.application_id = a.id
  LEFT JOIN evaluations e ON e.application_id = a.id
  LEFT JOIN application_events dm ON dm.application_id = a.id AND dm.action = 'deem_accepted'`;

const countList = COUNT_COLUMNS.map((c) => `${COUNT_EXPRESSIONS[c]}`).join(',\n  ');

type Rows<T> = { rows: T[] };

/**
 * Rebuilds the rollup of the cohort days marked dirty (every write to an application, every
 * rating), a batch of days per transaction so transitions of those days wait only briefly.
 * Run by a job every minute, by the summary routes when days are dirty, and by `simulate`.
 * @param options.batchDays days per transaction (default 31)
 * @returns how many days were rebuilt
 */
export async function refreshStats(db: Db, now: Date, options: { batchDays?: number } = {}): Promise<{ days: number }> {
  const batch = options.batchDays ?? 31;
  let days = 0;
  for (;;) {
    const n = await db.transaction(async (tx) => {
      const { rows } = (await tx.execute(
        sql`DELETE FROM stats_dirty_days WHERE day IN (SELECT day FROM stats_dirty_days ORDER BY day LIMIT ${batch} FOR UPDATE SKIP LOCKED) RETURNING day::text AS day`,
      )) as unknown as Rows<{ day: string }>;
      if (!rows.length) return 0;
      const list = rows.map((r) => r.day).sort();
      await rebuildDays(tx, list, now);
      return list.length;
    });
    days += n;
    if (n < batch) return { days };
  }
}

/** Replaces the rollup rows of `days` (sorted `YYYY-MM-DD`) with counts from the cases. */
async function rebuildDays(tx: Db, days: string[], now: Date) {
  const dayArray = `{${days.join(',')}}`;
  // bounds on submitted_at let the index find the days' cases; the day list then picks them
  const from = `${days[0]}T00:00:00+08:00`;
  const to = `${shiftDate(days[days.length - 1]!, 1)}T00:00:00+08:00`;
  await tx.execute(sql`DELETE FROM stats_daily WHERE day = ANY(${dayArray}::date[])`);
  await tx.execute(
    sql.raw(`INSERT INTO stats_daily (day, department_code, region_code, channel, ${COUNT_COLUMNS.join(', ')}, refreshed_at)
SELECT ${localDate('a.submitted_at')}, a.department_code, a.region_code, a.channel,
  ${countList},
  '${now.toISOString()}'::timestamptz
${COHORT_JOINS}
WHERE a.submitted_at >= '${from}'::timestamptz AND a.submitted_at < '${to}'::timestamptz
  AND ${localDate('a.submitted_at')} = ANY('${dayArray}'::date[])
GROUP BY 1, 2, 3, 4`),
  );
}

/** Whether some cohort day waits for {@link refreshStats}. */
export async function statsStale(db: Db): Promise<boolean> {
  const { rows } = (await db.execute(sql`SELECT EXISTS (SELECT 1 FROM stats_dirty_days) AS stale`)) as unknown as Rows<{ stale: boolean }>;
  return Boolean(rows[0]?.stale);
}

/** A date statistics and the case list accept: a real `YYYY-MM-DD` from 2000 to 2099 (the platform's records). */
export function isReportableDate(d: string): boolean {
  return isIsoDate(d) && d >= '2000-01-01' && d <= '2099-12-31';
}

/** @throws AppError STATS_RANGE_INVALID unless `from` and `to` are reportable dates and `from` ≤ `to` */
function checkRange(f: StatsFilter) {
  if (!isReportableDate(f.from) || !isReportableDate(f.to) || f.from > f.to) throw new AppError('STATS_RANGE_INVALID');
}

/** The rollup's conditions for a filter. */
function rollupWhere(f: StatsFilter): SQL {
  const conds: SQL[] = [gte(statsDaily.day, f.from), lte(statsDaily.day, f.to)];
  if (f.departmentCode) conds.push(eq(statsDaily.departmentCode, f.departmentCode));
  if (f.regionCode) conds.push(withinRegion(statsDaily.regionCode, f.regionCode));
  if (f.channel) conds.push(eq(statsDaily.channel, f.channel));
  return and(...conds)!;
}

const sumColumns = (prefix = '') => sql.raw(COUNT_COLUMNS.map((c) => `coalesce(sum(${prefix}${c}), 0)::int AS ${c}`).join(', '));

/** The rates of docs/metrics.md from a set of counts. */
export function ratesOf(c: Counts) {
  const explicit = c.rated_1 + c.rated_2 + c.rated_3 + c.rated_4 + c.rated_5;
  const explicitSatisfied = c.rated_3 + c.rated_4 + c.rated_5;
  return {
    /** 办结率: of the accepted, those concluded — decided (grant or deny) or withdrawn after acceptance (终止) */
    completion: rate(c.decided + c.withdrawn_after_acceptance, c.accepted),
    /** 按时办结率: of the decided with a due date, those decided on or before it */
    onTime: rate(c.on_time, c.decided_with_due),
    /** 满意率: ratings 3–5 of all ratings, the default 满意 of unrated cases included */
    satisfaction: rate(explicitSatisfied + (SATISFIED_FROM <= DEFAULT_RATING ? c.rated_default : 0), explicit + c.rated_default),
    /** the same over the applicants' own ratings only */
    explicitSatisfaction: rate(explicitSatisfied, explicit),
    /** 即办率: of the decided cases of immediate items, those decided on the day of acceptance */
    immediateHandling: rate(c.immediate_same_day, c.immediate_decided),
    /** 一窗办理率: of the accepted, those accepted by the comprehensive window (the rest: deemed accepted by lapse) */
    singleWindow: rate(c.accepted_at_window, c.accepted),
  };
}

function countsOf(row: Record<string, unknown>): Counts {
  return Object.fromEntries(COUNT_COLUMNS.map((c) => [c, Number(row[c] ?? 0)])) as Counts;
}

/** Open cases now (whatever their cohort): overdue = past the due date; warning = due within {@link WARNING_WORKING_DAYS} working days. */
async function clockCounts(db: Db, f: Omit<StatsFilter, 'from' | 'to'>, now: Date) {
  const today = shanghaiDate(now);
  const warnUntil = addWorkingDays(today, WARNING_WORKING_DAYS).date;
  const conds = [...openClockConditions(f)];
  const { rows } = (await db.execute(
    sql`SELECT count(*) FILTER (WHERE due_date < ${today}::date)::int AS overdue,
               count(*) FILTER (WHERE due_date >= ${today}::date AND due_date <= ${warnUntil}::date)::int AS warning
        FROM applications WHERE ${sql.join(conds, sql` AND `)}`,
  )) as unknown as Rows<{ overdue: number; warning: number }>;
  return { overdue: Number(rows[0]?.overdue ?? 0), warning: Number(rows[0]?.warning ?? 0) };
}

/** Conditions of the open cases whose clock runs, for a filter (the case list's `clock` filter uses the same). */
export function openClockConditions(f: { departmentCode?: string; regionCode?: string; channel?: string }): SQL[] {
  const conds: SQL[] = [sql`status IN ('accepted', 'reviewed')`, sql`due_date IS NOT NULL`, sql`NOT (pauses @> '[{"to": null}]'::jsonb)`];
  if (f.departmentCode) conds.push(sql`department_code = ${f.departmentCode}`);
  if (f.regionCode) conds.push(withinRegion(sql`region_code`, f.regionCode));
  if (f.channel) conds.push(sql`channel = ${f.channel}`);
  return conds;
}

/** The due-date bounds of the case list's `clock` filter on `column`, as of `now`. */
export function clockCondition(column: SQLWrapper, clock: 'overdue' | 'warning', now: Date): SQL {
  const today = shanghaiDate(now);
  if (clock === 'overdue') return sql`${column} < ${today}::date`;
  return sql`${column} >= ${today}::date AND ${column} <= ${addWorkingDays(today, WARNING_WORKING_DAYS).date}::date`;
}

/**
 * The catalogue's metrics (optionally of one department's items):
 * - 可网办率 `onlineAvailable`: items of online depth III or IV ÷ items;
 * - `onlineDepth`: items per depth level I–IV;
 * - 时限压缩率 `timeLimitCompression`: Σ(statutory − committed) ÷ Σ statutory over items whose both
 *   limits are known, in the same unit, with a statutory limit above 0 (= 1 − Σ committed ÷ Σ statutory);
 * - `levels`: items that can be handled at district, town and village level (an item may count in several);
 * - `immediateItems` (即办件) and `licenseFreeItems` (免证办).
 */
export async function catalogMetrics(db: Db, departmentCode?: string) {
  const where = departmentCode ? sql`WHERE department_code = ${departmentCode}` : sql``;
  const { rows } = (await db.execute(sql`SELECT
      count(*)::int AS items,
      count(*) FILTER (WHERE online_depth = 'I')::int AS depth_i,
      count(*) FILTER (WHERE online_depth = 'II')::int AS depth_ii,
      count(*) FILTER (WHERE online_depth = 'III')::int AS depth_iii,
      count(*) FILTER (WHERE online_depth = 'IV')::int AS depth_iv,
      coalesce(sum(statutory_limit_days) FILTER (WHERE ${comparableLimits}), 0)::int AS statutory,
      coalesce(sum(committed_limit_days) FILTER (WHERE ${comparableLimits}), 0)::int AS committed,
      count(*) FILTER (WHERE service_levels ? 'district')::int AS district,
      count(*) FILTER (WHERE service_levels ? 'town')::int AS town,
      count(*) FILTER (WHERE service_levels ? 'village')::int AS village,
      count(*) FILTER (WHERE project_type = 'immediate')::int AS immediate,
      count(*) FILTER (WHERE license_free)::int AS license_free
    FROM service_items ${where}`)) as unknown as Rows<Record<string, number>>;
  const r = Object.fromEntries(Object.entries(rows[0] ?? {}).map(([k, v]) => [k, Number(v)]));
  return {
    items: r.items!,
    onlineAvailable: rate(r.depth_iii! + r.depth_iv!, r.items!),
    onlineDepth: { I: r.depth_i!, II: r.depth_ii!, III: r.depth_iii!, IV: r.depth_iv! },
    timeLimitCompression: rate(r.statutory! - r.committed!, r.statutory!),
    levels: { district: r.district!, town: r.town!, village: r.village! },
    immediateItems: r.immediate!,
    licenseFreeItems: r.license_free!,
  };
}

const comparableLimits = sql.raw(
  `statutory_limit_days > 0 AND committed_limit_days IS NOT NULL AND NOT limit_unknown AND (statutory_limit_unit = committed_limit_unit OR committed_limit_days = 0)`,
);

/**
 * The dashboard summary of a window: counts, rates with numerator and denominator, ratings,
 * channels, overdue and warning now, and the catalogue's metrics. Reads the rollup as of its last
 * refresh (`asOf`).
 * @throws AppError STATS_RANGE_INVALID when `from` is after `to`
 */
export async function summarize(db: Db, f: StatsFilter, now: Date) {
  checkRange(f);
  const [{ rows }, clock, catalog] = await Promise.all([
    db.execute(sql`SELECT ${sumColumns()},
        ${sql.raw(CHANNELS.map((c) => `coalesce(sum(submitted) FILTER (WHERE channel = '${c}'), 0)::int AS channel_${c}`).join(', '))},
        max(refreshed_at) AS as_of
      FROM stats_daily WHERE ${rollupWhere(f)}`) as unknown as Promise<Rows<Record<string, unknown>>>,
    clockCounts(db, f, now),
    catalogMetrics(db, f.departmentCode),
  ]);
  const row = rows[0] ?? {};
  const c = countsOf(row);
  const channels = Object.fromEntries(CHANNELS.map((ch) => [ch, Number(row[`channel_${ch}`] ?? 0)])) as Record<Channel, number>;
  return {
    filter: { from: f.from, to: f.to, departmentCode: f.departmentCode ?? null, regionCode: f.regionCode ?? null, channel: f.channel ?? null },
    asOf: (row.as_of ? new Date(row.as_of as string) : now).toISOString(),
    counts: {
      submitted: c.submitted,
      accepted: c.accepted,
      rejected: c.rejected,
      withdrawn: c.withdrawn,
      decided: c.decided,
      granted: c.granted,
      denied: c.denied,
      delivered: c.delivered,
      inProgress: c.in_progress,
      overdue: clock.overdue,
      warning: clock.warning,
      licenseFree: c.license_free,
      licenseUses: c.license_uses,
      evaluated: c.rated_1 + c.rated_2 + c.rated_3 + c.rated_4 + c.rated_5,
      defaultEvaluated: c.rated_default,
    },
    rates: {
      ...ratesOf(c),
      /** 网上办理占比: submitted online or on the mobile app ÷ submitted */
      onlineChannel: rate(channels.online + channels.mobile, c.submitted),
    },
    ratings: { '1': c.rated_1, '2': c.rated_2, '3': c.rated_3, '4': c.rated_4, '5': c.rated_5 },
    channels,
    catalog,
  };
}

export const BREAKDOWNS = ['month', 'department', 'town', 'channel', 'item'] as const;
export type Breakdown = (typeof BREAKDOWNS)[number];

/** Digits of a town's (镇街) region code: province 2, city 2, county 2, town 3. */
const TOWN_CODE_LENGTH = 9;

/**
 * The window's counts and rates per month, department, town (the first 9 digits of the region
 * code; a district-level service point is its own row), channel, or item (the item breakdown reads
 * the cases themselves, so it costs more on a long window).
 * @returns rows ordered by key (month), or by submitted, most first
 */
export async function breakdown(db: Db, by: Breakdown, f: StatsFilter, now: Date) {
  checkRange(f);
  let rows: Record<string, unknown>[];
  if (by === 'item') {
    const params: SQL[] = [sql`a.submitted_at >= ${`${f.from}T00:00:00+08:00`}::timestamptz`, sql`a.submitted_at < ${`${shiftDate(f.to, 1)}T00:00:00+08:00`}::timestamptz`];
    if (f.departmentCode) params.push(sql`a.department_code = ${f.departmentCode}`);
    if (f.regionCode) params.push(withinRegion(sql`a.region_code`, f.regionCode));
    if (f.channel) params.push(sql`a.channel = ${f.channel}`);
    ({ rows } = (await db.execute(
      sql`SELECT a.item_code AS key, max(a.item_name) AS label, ${sql.raw(COUNT_COLUMNS.map((c) => `(${COUNT_EXPRESSIONS[c]})::int AS ${c}`).join(', '))}
        ${sql.raw(COHORT_JOINS)}
        WHERE ${sql.join(params, sql` AND `)}
        GROUP BY a.item_code ORDER BY count(*) DESC, a.item_code LIMIT 500`,
    )) as unknown as Rows<Record<string, unknown>>);
  } else {
    const key = {
      month: sql`to_char(stats_daily.day, 'YYYY-MM')`,
      department: sql`stats_daily.department_code`,
      town: sql`left(stats_daily.region_code, ${TOWN_CODE_LENGTH})`,
      channel: sql`stats_daily.channel`,
    }[by];
    const label = {
      month: sql`to_char(stats_daily.day, 'YYYY-MM')`,
      department: sql`coalesce((SELECT name FROM departments WHERE code = stats_daily.department_code), stats_daily.department_code)`,
      town: sql`coalesce((SELECT name FROM regions WHERE code = left(stats_daily.region_code, ${TOWN_CODE_LENGTH})), left(stats_daily.region_code, ${TOWN_CODE_LENGTH}))`,
      channel: sql`stats_daily.channel`,
    }[by];
    ({ rows } = (await db.execute(
      sql`SELECT k.key, min(k.label) AS label, ${sumColumns('k.')} FROM (
          SELECT ${key} AS key, ${label} AS label, stats_daily.* FROM stats_daily WHERE ${rollupWhere(f)}
        ) k GROUP BY k.key ORDER BY ${by === 'month' ? sql`k.key` : sql`sum(k.submitted) DESC, k.key`}`,
    )) as unknown as Rows<Record<string, unknown>>);
  }
  const overdue = by === 'month' || by === 'item' ? new Map<string, number>() : await overdueBy(db, by, f, now);
  return {
    by,
    rows: rows.map((r) => {
      const c = countsOf(r);
      const rates = ratesOf(c);
      const key = String(r.key);
      return {
        key,
        label: String(r.label ?? key),
        counts: { submitted: c.submitted, accepted: c.accepted, decided: c.decided, onTime: c.on_time, overdue: overdue.get(key) ?? 0 },
        rates: { completion: rates.completion, onTime: rates.onTime, satisfaction: rates.satisfaction },
      };
    }),
  };
}

/** Open overdue cases now, per department, town or channel. */
async function overdueBy(db: Db, by: 'department' | 'town' | 'channel', f: StatsFilter, now: Date): Promise<Map<string, number>> {
  const key = { department: sql`department_code`, town: sql`left(region_code, ${TOWN_CODE_LENGTH})`, channel: sql`channel` }[by];
  const { rows } = (await db.execute(
    sql`SELECT ${key} AS key, count(*)::int AS n FROM applications
        WHERE ${sql.join([...openClockConditions(f), clockCondition(sql`due_date`, 'overdue', now)], sql` AND `)} GROUP BY 1`,
  )) as unknown as Rows<{ key: string; n: number }>;
  return new Map(rows.map((r) => [String(r.key), Number(r.n)]));
}

/**
 * What the hall's public screen shows for a year: totals, the three headline rates, the months,
 * and the catalogue's facts. No department, region or person is named.
 */
export async function publicSummary(db: Db, year: number, now: Date) {
  const f = { from: `${year}-01-01`, to: `${year}-12-31` };
  const [s, months] = await Promise.all([summarize(db, f, now), breakdown(db, 'month', f, now)]);
  return {
    year,
    asOf: s.asOf,
    counts: { submitted: s.counts.submitted, accepted: s.counts.accepted, decided: s.counts.decided, inProgress: s.counts.inProgress },
    rates: { completion: s.rates.completion, onTime: s.rates.onTime, satisfaction: s.rates.satisfaction },
    months: months.rows.map((m) => ({ month: m.key, submitted: m.counts.submitted, decided: m.counts.decided })),
    catalog: { items: s.catalog.items, onlineAvailable: s.catalog.onlineAvailable, timeLimitCompression: s.catalog.timeLimitCompression, immediateItems: s.catalog.immediateItems },
  };
}
