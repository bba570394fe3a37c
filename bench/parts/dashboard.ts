/**
 * Part 3, dashboard: the statistics summary over 1M and 10M cases.
 *
 * A separate database is migrated and seeded with the reference data (`onewindow migrate`,
 * `onewindow seed --no-demo`); then cases are generated directly in SQL, in chunks of 1M rows
 * (one statement per chunk: applications, their decisions, evaluations and a few deemed-acceptance
 * events), with synchronous_commit off, the tables' secondary indexes dropped during the load and
 * recreated after it (same definitions), and the statistics triggers disabled during the load —
 * every cohort day is marked dirty afterwards, as migration 0014 does for existing cases.
 *
 * Distributions: submitted over the last 365 days (weekends mostly moved to the Friday, window and
 * kiosk in office hours, online and mobile 07–23 h); channel online 45 %, window 35 %, mobile
 * 15 %, kiosk 5 %; items of the seeded catalogue (skewed towards some items: department, review
 * and decision departments, limits from the item); the 9-digit town codes of the regions table
 * (skewed); older cases mostly finished (rejected 5 %, withdrawn 6 %, revoked 0.5 %, decided and
 * awaiting delivery 3.5 %, delivered 85 %, of which 8 % denied), cases of the last 30 days
 * increasingly in progress; accepted within 2 days; decided within the item's limit (about 7 %
 * late); delivered within 3 days; 40 % of delivered cases rated by the applicant, the others rated
 * by default (4) 7 days after delivery; 15 % with an e-licence material; 1 % deemed accepted.
 *
 * Then `refreshStats(db, now)` (timed: the full rebuild, and after 1,000 updates to recent cases)
 * and `summarize(db, filter, now)` 200 times with a mix of filters (whole year, one department,
 * one town, one month), p50/p95/p99.
 */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { openDatabase } from '../../src/db/index.js';
import { cpuMeter, createDatabase, dropDatabase, latencyOfList, migrateAndSeed, root, round, serverEnv, withClient, type Latency } from '../lib/common.js';

export interface DashboardOptions {
  sizes: number[];
  chunk: number;
  /** connections generating at once */
  workers: number;
  calls: number;
  dbName: string;
  log: (s: string) => void;
  /** called with the results so far after each size */
  progress?: (r: DashboardResult) => void;
}

export interface SizeResult {
  cases: number;
  generation: { seconds: number; indexSeconds: number; vacuumAnalyzeSeconds: number; rows: Record<string, number>; databaseSize: string };
  refresh: { full: RefreshRun; afterUpdates: RefreshRun; updates: number } | null;
  summarize: { calls: number; latencyMs: Latency; byFilter: Record<string, Latency>; wholeYearSubmitted: number; explain: Explained[]; cpuCores: { postgres: number; bench: number; machine: number } } | null;
  error?: string;
}

/** One timed refreshStats; `withServerPool` when it failed on the server's pool settings and was timed again without the query timeout. */
export interface RefreshRun {
  seconds: number;
  days: number;
  withServerPool?: { failedAfterSeconds: number; error: string };
}

/** The message of an error and of its causes (Drizzle wraps the driver's error). */
function causeOf(e: unknown): string {
  const parts: string[] = [];
  for (let x = e as { message?: string; cause?: unknown } | undefined, k = 0; x && k < 4; x = x.cause as typeof x, k++) parts.push(String(x.message ?? x).split('\n')[0]!.slice(0, 160));
  return parts.join(' ← ');
}

export interface DashboardResult {
  statsModule: 'present' | 'missing';
  sizes: SizeResult[];
  notes: string[];
}

/** The subset of src/modules/stats/service.ts the benchmark calls. */
interface StatsModule {
  refreshStats(db: unknown, now: Date, options?: { batchDays?: number }): Promise<{ days: number } | unknown>;
  summarize(db: unknown, f: { from: string; to: string; departmentCode?: string; regionCode?: string; channel?: string }, now: Date): Promise<{ counts?: { submitted?: number } }>;
}

const GENERATE = `
WITH r AS (
  SELECT i, random() AS r_item, random() AS r_town, random() AS r_ch, random() AS r_day, random() AS r_wk, random() AS r_tod,
         random() AS r_st, random() AS r_fate, random() AS r_acc, random() AS r_dur, random() AS r_del, random() AS r_eval,
         random() AS r_rating, random() AS r_app, random() AS r_kind, random() AS r_lic, random() AS r_deny, random() AS r_dm,
         random() AS r_deem
  FROM generate_series($1::bigint, $2::bigint) AS i
), s AS (
  SELECT r.*, it.code AS item_code, it.name AS item_name, it.department_code, it.review_department_code, it.decision_department_code,
         it.committed_limit_days, it.committed_limit_unit, tw.code AS region_code,
         CASE WHEN r_ch < 0.45 THEN 'online' WHEN r_ch < 0.80 THEN 'window' WHEN r_ch < 0.95 THEN 'mobile' ELSE 'kiosk' END AS channel,
         ($3::timestamptz AT TIME ZONE 'Asia/Shanghai')::date AS today
  FROM r
  JOIN bench_gen_items it ON it.rn = 1 + floor(power(r_item, 1.7) * $4::int)::int
  JOIN bench_gen_towns tw ON tw.rn = 1 + floor(power(r_town, 1.3) * $5::int)::int
  OFFSET 0
), t AS (
  SELECT s.*, greatest(s.today - 365, CASE
           WHEN extract(isodow FROM d0) = 6 AND r_wk < 0.85 THEN d0 - 1
           WHEN extract(isodow FROM d0) = 7 AND r_wk < 0.85 THEN d0 - 2
           ELSE d0 END) AS day
  FROM s, LATERAL (SELECT s.today - 365 + floor(s.r_day * 365)::int AS d0) x
  OFFSET 0
), u AS (
  SELECT t.*,
         ((day::timestamp + CASE WHEN channel IN ('window', 'kiosk') THEN interval '9 hours' + r_tod * interval '8.5 hours'
                                 ELSE interval '7 hours' + r_tod * interval '16 hours' END) AT TIME ZONE 'Asia/Shanghai') AS submitted_at,
         (today - day) AS age,
         CASE WHEN committed_limit_days = 0 OR committed_limit_unit = 'same_day' THEN 0
              WHEN committed_limit_unit = 'natural_day' THEN coalesce(committed_limit_days, 20)
              ELSE coalesce(committed_limit_days, 20) * 1.4 END AS span_days
  FROM t
  OFFSET 0
), v AS (
  SELECT u.*,
         CASE WHEN r_st < least(1.0, age / 30.0) THEN
                CASE WHEN r_fate < 0.05 THEN 'rejected' WHEN r_fate < 0.08 THEN 'withdrawn_before' WHEN r_fate < 0.11 THEN 'withdrawn_after'
                     WHEN r_fate < 0.115 THEN 'revoked' WHEN r_fate < 0.135 THEN 'granted' WHEN r_fate < 0.15 THEN 'denied' ELSE 'delivered' END
              ELSE CASE WHEN r_fate < 0.3 THEN 'submitted' WHEN r_fate < 0.4 THEN 'supplement_requested' WHEN r_fate < 0.75 THEN 'accepted' ELSE 'reviewed' END
         END AS fate
  FROM u
  OFFSET 0
), w AS (
  SELECT v.*,
         CASE WHEN fate IN ('accepted', 'reviewed', 'granted', 'denied', 'delivered', 'revoked', 'withdrawn_after') THEN
           greatest(submitted_at, least($3::timestamptz - interval '2 minutes',
             submitted_at + CASE WHEN span_days = 0 THEN r_acc * interval '2 hours' ELSE r_acc * least(2.0, age * 0.4) * interval '1 day' END))
         END AS accepted_at
  FROM v
  OFFSET 0
), x AS (
  SELECT w.*,
         CASE WHEN accepted_at IS NOT NULL AND committed_limit_days IS NOT NULL THEN (accepted_at AT TIME ZONE 'Asia/Shanghai')::date + ceil(span_days)::int END AS due_date,
         CASE WHEN fate IN ('granted', 'denied', 'delivered', 'revoked') THEN
           greatest(accepted_at, least($3::timestamptz - interval '1 minute',
             accepted_at + CASE WHEN span_days = 0 THEN r_dur * interval '3 hours' ELSE span_days * power(r_dur, 0.8) * 1.06 * interval '1 day' END))
         END AS decided_at
  FROM w
  OFFSET 0
), y AS (
  SELECT x.*,
         CASE WHEN fate = 'delivered' THEN greatest(decided_at, least($3::timestamptz, decided_at + r_del * interval '3 days')) END AS delivered_at,
         CASE WHEN r_dm < 0.5 THEN 'window' WHEN r_dm < 0.7 THEN 'mail' ELSE 'online' END AS delivery_method,
         CASE WHEN fate = 'denied' OR (fate = 'delivered' AND r_deny < 0.08) THEN 'denied' ELSE 'granted' END AS outcome,
         md5('applicant-' || floor(r_app * 300000)::text)::uuid AS applicant_id
  FROM x
  OFFSET 0
), rows AS MATERIALIZED (
  SELECT y.*, ('00000000-0000-4000-9000-' || lpad(i::text, 12, '0'))::uuid AS id FROM y
), a AS (
  INSERT INTO applications (id, number, item_code, item_name, applicant_id, applicant_name, applicant_kind, channel, status, version, form, materials,
                            department_code, region_code, review_department_code, decision_department_code, committed_limit_days, committed_limit_unit,
                            submitted_at, received_at, accepted_at, due_date, completed_at, updated_at, idempotency_key, request_hash,
                            delivery_method, delivery, pickup_code)
  SELECT id, 'QCG' || lpad(i::text, 12, '0'), item_code, item_name, applicant_id, '申请人' || floor(r_app * 300000)::text,
         CASE WHEN r_kind < 0.8 THEN 'person' ELSE 'enterprise' END, channel,
         CASE WHEN fate LIKE 'withdrawn%' THEN 'withdrawn' ELSE fate END,
         CASE fate WHEN 'submitted' THEN 1 WHEN 'supplement_requested' THEN 2 WHEN 'accepted' THEN 2 WHEN 'reviewed' THEN 3 WHEN 'granted' THEN 4
                   WHEN 'denied' THEN 4 WHEN 'delivered' THEN 5 WHEN 'revoked' THEN 6 WHEN 'rejected' THEN 2 WHEN 'withdrawn_before' THEN 2 ELSE 3 END,
         '{}'::jsonb, CASE WHEN r_lic < 0.15 THEN '[{"name":"居民身份证","licenseId":"generated"}]'::jsonb ELSE '[]'::jsonb END,
         department_code, region_code, review_department_code, decision_department_code, committed_limit_days, committed_limit_unit,
         submitted_at, submitted_at, accepted_at, due_date, decided_at, greatest(submitted_at, accepted_at, decided_at, delivered_at),
         'generated-' || i, 'generated', delivery_method,
         CASE WHEN fate = 'delivered' THEN jsonb_build_object('method', delivery_method, 'deliveredAt', to_jsonb(delivered_at), 'byId', NULL) END,
         CASE WHEN decided_at IS NOT NULL THEN lpad(floor(r_del * 1000000)::text, 6, '0') END
  FROM rows
  RETURNING 1
), d AS (
  INSERT INTO decisions (application_id, outcome, decided_at, department_code, signer_id, document, digest_sm3, seal_id, seal_name, signature_sm2)
  SELECT id, outcome, decided_at, decision_department_code, '00000000-0000-4000-9000-000000000001'::uuid, '{}', 'generated',
         '00000000-0000-4000-9000-000000000002'::uuid, '行政审批专用章', 'generated'
  FROM rows WHERE decided_at IS NOT NULL
  RETURNING 1
), e AS (
  INSERT INTO evaluations (id, application_id, applicant_id, rating, source, created_at)
  SELECT ('00000000-0000-4000-a000-' || lpad(i::text, 12, '0'))::uuid, id, applicant_id,
         CASE WHEN r_eval >= 0.4 THEN 4 WHEN r_rating < 0.02 THEN 1 WHEN r_rating < 0.05 THEN 2 WHEN r_rating < 0.12 THEN 3 WHEN r_rating < 0.30 THEN 4 ELSE 5 END,
         CASE WHEN r_eval < 0.4 THEN 'applicant' ELSE 'default' END,
         CASE WHEN r_eval < 0.4 THEN least($3::timestamptz, delivered_at + r_rating * interval '5 days') ELSE delivered_at + interval '7 days' END
  FROM rows WHERE fate = 'delivered' AND (r_eval < 0.4 OR delivered_at < $3::timestamptz - interval '7 days')
  RETURNING 1
), ev AS (
  INSERT INTO application_events (application_id, seq, action, from_status, to_status, actor_id, actor_name, actor_role, comment, created_at)
  SELECT id, 2, 'deem_accepted', 'submitted', 'accepted', '00000000-0000-4000-9000-000000000003'::uuid, '系统', 'system', '', accepted_at
  FROM rows WHERE accepted_at IS NOT NULL AND r_deem < 0.01
  RETURNING 1
)
SELECT (SELECT count(*) FROM a) AS applications, (SELECT count(*) FROM d) AS decisions, (SELECT count(*) FROM e) AS evaluations, (SELECT count(*) FROM ev) AS events`;

const LOAD_TABLES = ['applications', 'decisions', 'evaluations'];

/** One statement of a summarize call, run again under EXPLAIN ANALYZE. */
export interface Explained {
  filter: string;
  sql: string;
  executionMs: number;
  planningMs: number;
  /** JIT compile time (ms) when the server compiled the query, else 0 */
  jitMs: number;
  /** the plan's nodes, one line each, indented: type, relation/index, actual rows and time */
  plan: string[];
}

/** Runs `f`, recording the statements node-postgres sends meanwhile (text and values). */
async function recordQueries(f: () => Promise<unknown>): Promise<{ text: string; values: unknown[] }[]> {
  const seen: { text: string; values: unknown[] }[] = [];
  const proto = pg.Client.prototype as unknown as { query: (...a: unknown[]) => unknown };
  const original = proto.query;
  proto.query = function (this: unknown, config: unknown, values?: unknown, ...rest: unknown[]) {
    const c = config as { text?: string; values?: unknown[] } | string;
    if (typeof c === 'string') seen.push({ text: c, values: Array.isArray(values) ? values : [] });
    else if (c && typeof c.text === 'string') seen.push({ text: c.text, values: c.values ?? (Array.isArray(values) ? values : []) });
    return original.call(this, config, values, ...rest);
  };
  try {
    await f();
  } finally {
    proto.query = original;
  }
  return seen;
}

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  'Actual Total Time'?: number;
  Plans?: PlanNode[];
}

function planLines(n: PlanNode, depth = 0, out: string[] = []): string[] {
  const on = n['Index Name'] ? ` using ${n['Index Name']}` : n['Relation Name'] ? ` on ${n['Relation Name']}` : '';
  out.push(`${'  '.repeat(depth)}${n['Node Type']}${on}: rows ${n['Actual Rows']}×${n['Actual Loops']}, ${round(n['Actual Total Time'] ?? 0, 1)} ms`);
  for (const c of n.Plans ?? []) planLines(c, depth + 1, out);
  return out;
}

/** EXPLAIN (ANALYZE, BUFFERS) of every statement one summarize call with `filter` sends. */
async function explainSummarize(c: pg.Client, call: () => Promise<unknown>, filter: string): Promise<Explained[]> {
  const out: Explained[] = [];
  for (const q of await recordQueries(call)) {
    if (!/^\s*select/i.test(q.text)) continue;
    const r = await c.query<{ 'QUERY PLAN': [{ Plan: PlanNode; 'Execution Time': number; 'Planning Time': number; JIT?: { Timing?: { Total?: number } } }] }>(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${q.text}`, q.values);
    const e = r.rows[0]!['QUERY PLAN'][0];
    out.push({ filter, sql: q.text.replace(/\s+/g, ' ').slice(0, 160), executionMs: round(e['Execution Time'], 1), planningMs: round(e['Planning Time'], 1), jitMs: round(e.JIT?.Timing?.Total ?? 0, 1), plan: planLines(e.Plan) });
  }
  return out;
}

/** Secondary indexes (not backing a constraint) of the load tables: dropped for the load, recreated after it. */
async function dropSecondaryIndexes(c: pg.Client): Promise<string[]> {
  const rows = (
    await c.query<{ name: string; def: string }>(
      `SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS def
       FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid
       WHERE t.relname = ANY($1) AND t.relnamespace = 'public'::regnamespace
         AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)`,
      [LOAD_TABLES],
    )
  ).rows;
  for (const r of rows) await c.query(`DROP INDEX ${r.name}`);
  return rows.map((r) => r.def);
}

/** The statistics triggers (functions onewindow_stats_mark_*), disabled during the load. */
async function statsTriggers(c: pg.Client): Promise<{ table: string; name: string }[]> {
  return (
    await c.query<{ table: string; name: string }>(
      `SELECT t.tgrelid::regclass::text AS table, t.tgname AS name FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid
       WHERE NOT t.tgisinternal AND p.proname LIKE 'onewindow_stats_mark%'`,
    )
  ).rows;
}

async function load(c: pg.Client, url: string, from: number, to: number, chunk: number, workers: number, now: Date, log: (s: string) => void) {
  const counts: Record<string, number> = { applications: 0, decisions: 0, evaluations: 0, events: 0 };
  const nItems = Number((await c.query<{ n: string }>('SELECT count(*) AS n FROM bench_gen_items')).rows[0]!.n);
  const nTowns = Number((await c.query<{ n: string }>('SELECT count(*) AS n FROM bench_gen_towns')).rows[0]!.n);
  const triggers = await statsTriggers(c);
  for (const t of triggers) await c.query(`ALTER TABLE ${t.table} DISABLE TRIGGER ${t.name}`);
  const indexes = await dropSecondaryIndexes(c);
  const t0 = performance.now();
  // chunks of at most `chunk` rows, taken by `workers` connections at once (one per core)
  const size = Math.min(chunk, Math.ceil((to - from + 1) / workers));
  const chunks: [number, number][] = [];
  for (let lo = from; lo <= to; lo += size) chunks.push([lo, Math.min(to, lo + size - 1)]);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(workers, chunks.length) }, async () => {
      const w = new pg.Client({ connectionString: url });
      w.on('error', () => {});
      await w.connect();
      try {
        await w.query('SET synchronous_commit = off');
        await w.query('SET jit = off');
        for (let k = next++; k < chunks.length; k = next++) {
          const [lo, hi] = chunks[k]!;
          const r = (await w.query<Record<string, string>>(GENERATE, [lo, hi, now, nItems, nTowns])).rows[0]!;
          for (const key of Object.keys(counts)) counts[key]! += Number(r[key]);
          log(`    rows ${lo.toLocaleString()}–${hi.toLocaleString()} done at ${round((performance.now() - t0) / 1000, 1)} s`);
        }
      } finally {
        await w.end();
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  const t1 = performance.now();
  for (const def of indexes) await c.query(def);
  const indexSeconds = (performance.now() - t1) / 1000;
  for (const t of triggers) await c.query(`ALTER TABLE ${t.table} ENABLE TRIGGER ${t.name}`);
  // what the triggers would have marked: every cohort day of the new cases
  if (triggers.length) {
    await c.query(
      `INSERT INTO stats_dirty_days (day) SELECT DISTINCT (submitted_at AT TIME ZONE 'Asia/Shanghai')::date FROM applications WHERE id BETWEEN $1::uuid AND $2::uuid ON CONFLICT DO NOTHING`,
      [`00000000-0000-4000-9000-${String(from).padStart(12, '0')}`, `00000000-0000-4000-9000-${String(to).padStart(12, '0')}`],
    );
  }
  const t2 = performance.now();
  await c.query('VACUUM ANALYZE applications');
  await c.query('VACUUM ANALYZE decisions');
  await c.query('VACUUM ANALYZE evaluations');
  await c.query('VACUUM ANALYZE application_events');
  const vacuumAnalyzeSeconds = (performance.now() - t2) / 1000;
  return { seconds, indexSeconds, vacuumAnalyzeSeconds, counts, indexes: indexes.length };
}

const isoDate = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 10);

export async function runDashboard(o: DashboardOptions): Promise<DashboardResult> {
  const notes: string[] = [];
  const file = path.join(root, 'src/modules/stats/service.ts');
  let stats: StatsModule | null = null;
  if (fs.existsSync(file)) {
    try {
      stats = (await import(pathToFileURL(file).href)) as StatsModule;
      if (typeof stats.refreshStats !== 'function' || typeof stats.summarize !== 'function') {
        notes.push('src/modules/stats/service.ts does not export refreshStats and summarize');
        stats = null;
      }
    } catch (e) {
      notes.push(`src/modules/stats/service.ts could not be loaded: ${(e as Error).message.split('\n')[0]}`);
    }
  } else notes.push('src/modules/stats/service.ts does not exist: only the generator ran');

  const url = await createDatabase(o.dbName);
  const env = serverEnv(url, 0);
  for (const line of migrateAndSeed(env, false)) o.log(`  ${line}`);
  // the server's pool settings (openDatabase's defaults: 10 connections, query timeout 15 s)
  const database = await openDatabase({ databaseUrl: url });
  let patient: Awaited<ReturnType<typeof openDatabase>> | undefined;
  const sizes: SizeResult[] = [];
  const now = new Date();
  const today = isoDate(now);
  const shift = (d: string, days: number) => isoDate(new Date(Date.parse(`${d}T00:00:00+08:00`) + days * 86_400_000 + 12 * 3600_000));
  try {
    await withClient(url, async (c) => {
      // the generator's session only: no commit flush per chunk, and no JIT (compiling the generator's
      // expressions costs more than running them); the statistics calls use the server's settings
      await c.query('SET synchronous_commit = off');
      await c.query('SET jit = off');
      await c.query(`SET maintenance_work_mem = '512MB'`);
      await c.query(`CREATE TABLE bench_gen_items AS SELECT row_number() OVER (ORDER BY code) AS rn, code, name, department_code, review_department_code, decision_department_code, committed_limit_days, committed_limit_unit FROM service_items`);
      await c.query(`CREATE TABLE bench_gen_towns AS SELECT row_number() OVER (ORDER BY code) AS rn, code FROM regions WHERE level = 'town' AND length(code) = 9`);
      const departments = (await c.query<{ code: string }>('SELECT DISTINCT department_code AS code FROM bench_gen_items ORDER BY 1')).rows.map((r) => r.code);
      const towns = (await c.query<{ code: string }>('SELECT code FROM bench_gen_towns ORDER BY rn')).rows.map((r) => r.code);
      o.log(`  ${departments.length} departments with items, ${towns.length} towns`);

      let have = 0;
      for (const size of o.sizes) {
        o.log(`  generating cases ${(have + 1).toLocaleString()}–${size.toLocaleString()} …`);
        const g = await load(c, url, have + 1, size, o.chunk, o.workers, now, o.log);
        have = size;
        const dbSize = (await c.query<{ s: string }>('SELECT pg_size_pretty(pg_database_size(current_database())) AS s')).rows[0]!.s;
        const rows: Record<string, number> = {};
        for (const t of ['applications', 'decisions', 'evaluations', 'application_events']) rows[t] = Number((await c.query<{ n: string }>(`SELECT count(*) AS n FROM ${t}`)).rows[0]!.n);
        o.log(`  ${size.toLocaleString()} cases: load ${round(g.seconds, 1)} s, ${g.indexes} indexes ${round(g.indexSeconds, 1)} s, vacuum analyze ${round(g.vacuumAnalyzeSeconds, 1)} s; database ${dbSize}`);
        const result: SizeResult = {
          cases: size,
          generation: { seconds: round(g.seconds, 1), indexSeconds: round(g.indexSeconds, 1), vacuumAnalyzeSeconds: round(g.vacuumAnalyzeSeconds, 1), rows, databaseSize: dbSize },
          refresh: null,
          summarize: null,
        };
        sizes.push(result);
        o.progress?.({ statsModule: stats ? 'present' : 'missing', sizes, notes });
        if (!stats) continue;
        try {
          // refreshStats as the server's job runs it: on a pool with the server's settings (query
          // timeout 15 s). When a batch fails there, the days are marked dirty again and the refresh
          // is timed once more on a pool without the timeout, to know what it takes.
          const timedRefresh = async (what: string, prepare: () => Promise<unknown>): Promise<RefreshRun> => {
            await prepare();
            const t0 = performance.now();
            try {
              const r = (await stats.refreshStats(database.db, now)) as { days?: number };
              return { seconds: round((performance.now() - t0) / 1000, 2), days: Number(r?.days ?? NaN) };
            } catch (e) {
              const failedAfter = round((performance.now() - t0) / 1000, 2);
              const error = causeOf(e);
              o.log(`  refreshStats (${what}) failed on the server's pool settings after ${failedAfter} s: ${error}`);
              patient ??= await openDatabase({ databaseUrl: url, queryTimeoutMs: 24 * 3600_000 });
              await prepare();
              const t1 = performance.now();
              const r = (await stats.refreshStats(patient.db, now)) as { days?: number };
              return { seconds: round((performance.now() - t1) / 1000, 2), days: Number(r?.days ?? NaN), withServerPool: { failedAfterSeconds: failedAfter, error } };
            }
          };
          // the full rebuild: every cohort day is dirty after the load
          const markAll = () => c.query(`INSERT INTO stats_dirty_days (day) SELECT DISTINCT (submitted_at AT TIME ZONE 'Asia/Shanghai')::date FROM applications ON CONFLICT DO NOTHING`);
          const full = await timedRefresh('full', markAll);
          // a minute of traffic: 1,000 recent cases change (as transitions would), then the job's refresh
          const updates = 1000;
          const touch = () =>
            c.query(
              `UPDATE applications SET updated_at = $1 WHERE id IN (SELECT id FROM applications WHERE submitted_at >= $1::timestamptz - interval '30 days' AND status IN ('submitted','accepted','reviewed') ORDER BY random() LIMIT ${updates})`,
              [now],
            );
          const inc = await timedRefresh(`after ${updates} updates`, touch);
          result.refresh = { full, afterUpdates: inc, updates };
          const show = (r: RefreshRun) => `${r.seconds} s (${r.days} days)${r.withServerPool ? ` without the pool's query timeout — with it: failed after ${r.withServerPool.failedAfterSeconds} s` : ''}`;
          o.log(`  refreshStats: full ${show(full)}; after ${updates} updates of recent cases ${show(inc)}`);

          const yearFrom = shift(today, -365);
          const kinds: { kind: string; filter: (k: number) => Parameters<StatsModule['summarize']>[1] }[] = [
            { kind: 'whole year', filter: () => ({ from: yearFrom, to: today }) },
            { kind: 'one department', filter: (k) => ({ from: yearFrom, to: today, departmentCode: departments[k % departments.length] }) },
            { kind: 'one town', filter: (k) => ({ from: yearFrom, to: today, regionCode: towns[k % towns.length] }) },
            {
              kind: 'one month',
              filter: (k) => {
                const m = new Date(Date.parse(`${today}T00:00:00Z`));
                m.setUTCDate(1);
                m.setUTCMonth(m.getUTCMonth() - 1 - (k % 11));
                const last = new Date(Date.UTC(m.getUTCFullYear(), m.getUTCMonth() + 1, 0));
                return { from: m.toISOString().slice(0, 10), to: last.toISOString().slice(0, 10) };
              },
            },
          ];
          const whole = await stats.summarize(database.db, { from: yearFrom, to: today }, now);
          const wholeYearSubmitted = Number(whole?.counts?.submitted ?? NaN);
          if (wholeYearSubmitted !== rows.applications) notes.push(`${size.toLocaleString()} cases: the whole-year summary counts ${wholeYearSubmitted} submitted, the table holds ${rows.applications}`);
          for (let k = 0; k < 8; k++) await stats.summarize(database.db, kinds[k % kinds.length]!.filter(k), now); // warm-up
          const times: number[] = [];
          const byKind = new Map<string, number[]>();
          const meter = cpuMeter();
          for (let k = 0; k < o.calls; k++) {
            const kind = kinds[k % kinds.length]!;
            const f = kind.filter(Math.floor(k / kinds.length));
            const t = performance.now();
            await stats.summarize(database.db, f, now);
            const ms = performance.now() - t;
            times.push(ms);
            byKind.set(kind.kind, [...(byKind.get(kind.kind) ?? []), ms]);
          }
          const cpu = meter();
          // evidence: the plans of the whole-year and one-town summaries (the statements as sent, re-run under EXPLAIN ANALYZE on the generator's connection, JIT as the server is configured)
          await c.query('RESET jit');
          const explain = [
            ...(await explainSummarize(c, () => stats.summarize(database.db, kinds[0]!.filter(0), now), kinds[0]!.kind)),
            ...(await explainSummarize(c, () => stats.summarize(database.db, kinds[2]!.filter(0), now), kinds[2]!.kind)),
          ];
          await c.query('SET jit = off');
          result.summarize = { calls: o.calls, latencyMs: latencyOfList(times), byFilter: Object.fromEntries([...byKind].map(([k, v]) => [k, latencyOfList(v)])), wholeYearSubmitted, explain, cpuCores: { postgres: cpu.postgres, bench: cpu.bench, machine: cpu.machine } };
          for (const e of explain) o.log(`    ${e.filter}: ${e.executionMs} ms (+ plan ${e.planningMs} ms${e.jitMs ? `, JIT ${e.jitMs} ms` : ''}) ${e.sql.slice(0, 90)}`);
          o.log(`  summarize ×${o.calls}: p50 ${result.summarize.latencyMs.p50} ms  p95 ${result.summarize.latencyMs.p95} ms  p99 ${result.summarize.latencyMs.p99} ms  (${[...byKind].map(([k, v]) => `${k} p95 ${latencyOfList(v).p95}`).join(', ')}); cpu pg ${cpu.postgres} bench ${cpu.bench} machine ${cpu.machine}`);
        } catch (e) {
          result.error = causeOf(e);
          o.log(`  stats failed: ${(e as Error).stack}`);
        }
        o.progress?.({ statsModule: stats ? 'present' : 'missing', sizes, notes });
      }
    });
  } finally {
    await database.close();
    await patient?.close();
    await dropDatabase(o.dbName);
  }
  return { statsModule: stats ? 'present' : 'missing', sizes, notes };
}
