/**
 * Part 2, the limit: what PostgreSQL alone does with the SQL one transition issues.
 *
 * 1. Capture: the real `serve` is started with bench/lib/sql-trace.mjs preloaded
 *    (node --import), which appends every statement node-postgres sends, with its values, to a
 *    file; its background jobs are held off (ONEWINDOW_SWEEP_SECONDS = one day, after their run at
 *    start). Five applications are walked through the lifecycle one request at a time; the
 *    statements of each request are the lines the trace grew by. Two warm walks (not the first)
 *    that issued the same statements are compared value by value.
 * 2. Script: per action, a pgbench script (bench/sql/<action>.sql) with the statements in order,
 *    BEGIN/COMMIT included. Each value becomes
 *    - `:i`-derived when it is the application's id, or a value that differs between the two walks
 *      and goes into a column under a unique index (a new row's id, the application or document
 *      number, the idempotency key) — so every pgbench transaction works on its own row;
 *    - otherwise the captured value, inlined as a literal;
 *    each with an explicit cast to the type PostgreSQL infers for that parameter
 *    (PREPARE + pg_prepared_statements). `:i` = base + client_id × per + k, k counting the
 *    client's transactions (pgbench variables persist across a client's transactions).
 * 3. Rows: for each action, copies of an application in the state the action starts from (made
 *    through the API during the capture), with its events, one per pgbench transaction.
 * 4. pgbench -M prepared -c clients -j threads -t per, per action, with a per-transaction log
 *    (latency percentiles) and -r (per-statement latency). Afterwards every copied row is checked
 *    to have reached the action's target state and version (the UPDATE … WHERE version = … found
 *    its row), so the transactions did the real work.
 */
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { activitySampler, cpuMeter, histogram, HttpClient, latencyOf, root, round, runAsync, sleep, startServer, withClient, type Latency } from '../lib/common.js';
import { Driver, STEPS, type App } from '../lib/lifecycle-driver.js';

export interface LimitOptions {
  env: NodeJS.ProcessEnv;
  dbUrl: string;
  clients: number;
  threads: number;
  txPerClient: number;
  workDir: string;
  log: (s: string) => void;
}

export interface ActionLimit {
  action: string;
  statements: number;
  script: string;
  transactions: number;
  effective: number;
  tps: number;
  latencyMs: Latency;
  failed: number;
  /** cores busy while pgbench ran (1 = one core): PostgreSQL, pgbench is part of "machine" */
  cpuCores: { postgres: number; machine: number };
  /** pgbench's backends during the run, on average, by state and wait event */
  backends: Record<string, number>;
  /** the slowest statements by pgbench -r average latency */
  slowestStatements: { ms: number; sql: string }[];
}

export interface LimitResult {
  clients: number;
  threads: number;
  actions: ActionLimit[];
  /** one of each action: actions ÷ Σ (1 / tps) */
  combinedTps: number;
  latencyMs: Latency;
  notes: string[];
}

interface Traced {
  c: number;
  t: number;
  sql: string;
  values?: (string | null | { bytea: string })[];
}

type Value = string | null | { bytea: string };
const keyOf = (v: Value) => (v === null ? null : typeof v === 'string' ? `s:${v}` : `b:${v.bytea}`);

/** A SQL literal for pgbench: pgbench reads `:name` as a variable even inside quotes, so a literal with ':' is written as U&'…\003A…'. */
function literal(v: string): string {
  if (!v.includes(':')) return `'${v.replace(/'/g, "''")}'`;
  return `U&'${v.replace(/\\/g, '\\\\').replace(/'/g, "''").replace(/:/g, '\\003A')}'`;
}

/** The uuid of row `:i` in slot `slot` (0 = the application, 1… = other new rows of the same transaction). */
const uuidExpr = (slot: number) => `CAST('${String(slot).padStart(8, '0')}-0000-4000-8000-' || lpad(CAST(:i AS text), 12, '0') AS uuid)`;
const uuidSql = (slot: number, i: string) => `CAST('${String(slot).padStart(8, '0')}-0000-4000-8000-' || lpad(CAST(${i} AS text), 12, '0') AS uuid)`;

/** A unique text derived from `:i`, recognisably like the captured value: its non-digit head, 'B', `:i` zero-padded. */
function uniqueTextExpr(captured: string): string {
  const head = captured.replace(/\d+$/, '');
  return `${literal(`${head}B`)} || lpad(CAST(:i AS text), 12, '0')`;
}

/** Columns under a unique index (primary keys included), per table. */
async function uniqueColumns(c: pg.Client): Promise<Map<string, Set<string>>> {
  const rows = (
    await c.query<{ table: string; column: string }>(`
      SELECT t.relname AS table, a.attname AS column
      FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid
      JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = ANY (i.indkey)
      WHERE i.indisunique AND t.relnamespace = 'public'::regnamespace`)
  ).rows;
  const m = new Map<string, Set<string>>();
  for (const r of rows) m.set(r.table, (m.get(r.table) ?? new Set()).add(r.column));
  return m;
}

/** The types PostgreSQL infers for a statement's parameters. */
async function parameterTypes(c: pg.Client, sql: string): Promise<string[]> {
  if (!/\$\d/.test(sql)) return [];
  await c.query(`PREPARE bench_probe AS ${sql}`);
  try {
    const r = await c.query<{ types: string[] }>(`SELECT parameter_types::text[] AS types FROM pg_prepared_statements WHERE name = 'bench_probe'`);
    return r.rows[0]!.types;
  } finally {
    await c.query('DEALLOCATE bench_probe');
  }
}

/** The pgbench script of one action from its statements in two walks (A, B); B's application is `appId`. */
async function buildScript(c: pg.Client, action: string, a: Traced[], b: Traced[], appId: string, unique: Map<string, Set<string>>): Promise<{ text: string; statements: number }> {
  const same = a.length === b.length && a.every((x, i) => x.sql === b[i]!.sql);
  if (!same) {
    throw new Error(
      `the ${action} requests of two warm walks issued different statements (${a.length} vs ${b.length}):\n` +
        a.map((x, i) => `  ${x.sql.slice(0, 80)}  |  ${b[i]?.sql.slice(0, 80) ?? '—'}`).join('\n'),
    );
  }
  // pass 1: values that must differ per transaction → expressions of :i
  const exprOf = new Map<string, string>([[`s:${appId}`, uuidExpr(0)]]);
  let slot = 1;
  for (let s = 0; s < b.length; s++) {
    const m = /^insert into "(\w+)" \(([^)]*)\) values \(([^)]*)\)/i.exec(b[s]!.sql);
    if (!m) continue;
    const cols = m[2]!.split(',').map((x) => x.trim().replace(/"/g, ''));
    const vals = m[3]!.split(',').map((x) => x.trim());
    cols.forEach((col, j) => {
      const p = /^\$(\d+)$/.exec(vals[j] ?? '');
      if (!p || !unique.get(m[1]!)?.has(col)) return;
      const k = Number(p[1]) - 1;
      const va = a[s]!.values?.[k] ?? null;
      const vb = b[s]!.values?.[k] ?? null;
      const key = keyOf(vb);
      if (key === null || keyOf(va) === key || exprOf.has(key)) return;
      if (typeof vb !== 'string') throw new Error(`${action}: a unique ${m[1]}.${col} that is not text`);
      exprOf.set(key, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(vb) ? uuidExpr(slot++) : uniqueTextExpr(vb));
    });
  }
  // pass 2: the statements, each parameter replaced by its expression or literal, with its type
  const out: string[] = [
    `-- pgbench script: the statements one \`${action}\` request issued in the server (captured by bench/lib/sql-trace.mjs),`,
    '-- generated by bench/parts/limit.ts (npm run bench); values that must differ per transaction are derived from :i.',
    '\\set k :k + 1',
    '\\set i :base + :client_id * :per + :k',
  ];
  for (const st of b) {
    const types = await parameterTypes(c, st.sql);
    const sql = st.sql.replace(/\$(\d+)/g, (_, n: string) => {
      const k = Number(n) - 1;
      const v = st.values?.[k] ?? null;
      const type = types[k] && types[k] !== 'unknown' ? types[k] : 'text';
      const key = keyOf(v);
      if (key === null) return `CAST(NULL AS ${type})`;
      const e = exprOf.get(key);
      if (e) return `CAST(${e} AS ${type})`;
      return `CAST(${typeof v === 'string' ? literal(v) : `'\\x${(v as { bytea: string }).bytea}'`} AS ${type})`;
    });
    out.push(`${sql.replace(/\s*\n\s*/g, ' ')};`);
  }
  return { text: out.join('\n') + '\n', statements: b.length };
}

/** Copies of application `template` (with its events) as rows base+1 … base+count of slot 0. */
async function cloneRows(c: pg.Client, template: string, base: number, count: number) {
  const cols = (await c.query<{ column_name: string }>(`SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1 ORDER BY ordinal_position`, ['applications'])).rows.map((r) => r.column_name);
  const expr = (col: string) => (col === 'id' ? uuidSql(0, 'g.i') : col === 'number' ? `'QCPB' || lpad(g.i::text, 12, '0')` : col === 'idempotency_key' ? `'bench-pg-' || g.i` : `t."${col}"`);
  await c.query(`INSERT INTO applications (${cols.map((x) => `"${x}"`).join(', ')}) SELECT ${cols.map(expr).join(', ')} FROM applications t, generate_series($2::bigint, $3::bigint) AS g(i) WHERE t.id = $1`, [template, base + 1, base + count]);
  const ecols = (await c.query<{ column_name: string }>(`SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1 AND column_name <> 'id' ORDER BY ordinal_position`, ['application_events'])).rows.map((r) => r.column_name);
  await c.query(
    `INSERT INTO application_events (${ecols.map((x) => `"${x}"`).join(', ')}) SELECT ${ecols.map((col) => (col === 'application_id' ? uuidSql(0, 'g.i') : `e."${col}"`)).join(', ')} FROM application_events e, generate_series($2::bigint, $3::bigint) AS g(i) WHERE e.application_id = $1 ORDER BY g.i, e.seq`,
    [template, base + 1, base + count],
  );
}

/** Runs pgbench; returns its summary, per-statement latencies and the per-transaction latencies. */
async function pgbench(o: LimitOptions, action: string, script: string, base: number) {
  const u = new URL(o.dbUrl);
  const prefix = path.join(o.workDir, `pgbench-${action}`);
  for (const f of fs.readdirSync(o.workDir)) if (f.startsWith(`pgbench-${action}.`)) fs.rmSync(path.join(o.workDir, f));
  const args = ['-h', u.hostname, '-p', u.port || '5432', '-U', decodeURIComponent(u.username || 'postgres'), '-n', '-M', 'prepared', '-c', String(o.clients), '-j', String(o.threads), '-t', String(o.txPerClient), '-D', 'k=0', '-D', `base=${base}`, '-D', `per=${o.txPerClient}`, '-f', script, '-r', '--log', `--log-prefix=${prefix}`, u.pathname.slice(1)];
  const out = await runAsync('pgbench', args, { cwd: o.workDir });
  const tps = Number(/tps = ([\d.]+) \(without initial connection time\)/.exec(out)?.[1] ?? NaN);
  const processed = Number(/number of transactions actually processed: (\d+)/.exec(out)?.[1] ?? NaN);
  const failed = Number(/number of failed transactions: (\d+)/.exec(out)?.[1] ?? 0);
  const h = histogram();
  for (const f of fs.readdirSync(o.workDir)) {
    if (!f.startsWith(`pgbench-${action}.`)) continue;
    for (const line of fs.readFileSync(path.join(o.workDir, f), 'utf8').split('\n')) {
      const us = Number(line.split(' ')[2]);
      if (line && Number.isFinite(us)) h.recordValue(Math.max(1, us));
    }
  }
  const statementLines = out.split('\n').slice(out.split('\n').findIndex((l) => /statement latencies/.test(l)) + 1);
  const slowest = statementLines
    .map((l) => /^\s+([\d.]+)\s+(\d+)\s+(.*)$/.exec(l))
    .filter((m): m is RegExpExecArray => !!m && !m[3]!.startsWith('\\'))
    .map((m) => ({ ms: Number(m[1]), sql: m[3]!.slice(0, 140) }))
    .sort((x, y) => y.ms - x.ms)
    .slice(0, 5);
  return { tps, processed, failed, hist: h, slowest, out };
}

export async function runLimit(o: LimitOptions): Promise<LimitResult> {
  const notes: string[] = [];
  const trace = path.join(o.workDir, 'sql-trace.jsonl');
  fs.rmSync(trace, { force: true });
  // background jobs (deadline sweeps, statistics rollup) would interleave their statements with the
  // requests': they run 1 s after start, then every ONEWINDOW_SWEEP_SECONDS — set to a day here, and
  // the capture starts once the trace has been still for 2 s
  const server = await startServer({ ...o.env, ONEWINDOW_BENCH_SQL_TRACE: trace, ONEWINDOW_SWEEP_SECONDS: '86400' }, { preload: path.join(root, 'bench/lib/sql-trace.mjs'), log: path.join(o.workDir, 'server-capture.log') });
  const WALKS = 5;
  const segments = new Map<string, Traced[][]>();
  const templates = new Map<string, string>();
  const appIds: string[] = [];
  try {
    const http = new HttpClient(server.base, 1);
    const driver = new Driver(http, await Driver.signIn(server.base));
    const lines = () => fs.readFileSync(trace, 'utf8').split('\n').filter(Boolean);
    for (let still = 0, n = lines().length; still < 4; ) {
      await sleep(500);
      const m = lines().length;
      still = m === n ? still + 1 : 0;
      n = m;
    }
    // walks one request at a time; the statements of a request are the lines it added
    for (let rep = 0; rep < WALKS; rep++) {
      const app: App = { n: 900_000 + rep, key: `bench-capture-${process.pid}-${rep}`, version: 0, done: 0 };
      for (const step of STEPS) {
        const before = lines().length;
        const r = await driver.next(app);
        if (!r.ok) throw new Error(`capture: ${step.action} answered ${r.status} ${r.code}`);
        const seg = lines().slice(before).map((l) => JSON.parse(l) as Traced);
        segments.set(step.action, [...(segments.get(step.action) ?? []), seg]);
      }
      appIds.push(app.id!);
    }
    // one application left in the state each action starts from
    for (let s = 1; s < STEPS.length; s++) {
      const app: App = { n: 900_100 + s, key: `bench-template-${process.pid}-${s}`, version: 0, done: 0 };
      while (app.done < s) {
        const r = await driver.next(app);
        if (!r.ok) throw new Error(`template for ${STEPS[s]!.action}: ${r.status} ${r.code}`);
      }
      templates.set(STEPS[s]!.action, app.id!);
    }
    http.close();
  } finally {
    await server.stop();
  }

  const actions: ActionLimit[] = [];
  const merged = histogram();
  fs.mkdirSync(path.join(root, 'bench/sql'), { recursive: true });
  await withClient(o.dbUrl, async (c) => {
    const unique = await uniqueColumns(c);
    for (const [idx, step] of STEPS.entries()) {
      // two warm walks (not the first) that issued the same statements; the later one is the script
      const walks = segments.get(step.action)!;
      const sameSql = (x: Traced[], y: Traced[]) => x.length === y.length && x.every((q, i) => q.sql === y[i]!.sql);
      let pair: [number, number] | undefined;
      for (let b = walks.length - 1; b >= 2 && !pair; b--) for (let a = b - 1; a >= 1 && !pair; a--) if (sameSql(walks[a]!, walks[b]!)) pair = [a, b];
      if (!pair) notes.push(`${step.action}: no two warm walks issued the same statements; the last two are compared`);
      const [ia, ib] = pair ?? [walks.length - 2, walks.length - 1];
      const { text, statements } = await buildScript(c, step.action, walks[ia]!, walks[ib]!, appIds[ib]!, unique);
      const script = path.join(root, 'bench/sql', `${step.action}.sql`);
      fs.writeFileSync(script, text);
      const base = (idx + 1) * 100_000_000;
      const count = o.clients * o.txPerClient;
      const template = templates.get(step.action);
      if (template) {
        const t0 = performance.now();
        await cloneRows(c, template, base, count);
        o.log(`  ${step.action}: ${count} rows in state '${STEPS[idx - 1]!.to}' prepared in ${round((performance.now() - t0) / 1000, 1)} s`);
      }
      await c.query('ANALYZE applications');
      await c.query('ANALYZE application_events');
      await c.query('CHECKPOINT');
      const meter = cpuMeter();
      const sampler = activitySampler(new URL(o.dbUrl).pathname.slice(1));
      const r = await pgbench(o, step.action, script, base);
      const cpu = meter();
      const { backends } = await sampler();
      merged.add(r.hist);
      const effective = Number(
        (
          await c.query<{ n: string }>(
            `SELECT count(*) AS n FROM applications WHERE id BETWEEN ${uuidSql(0, '$1::bigint')} AND ${uuidSql(0, '$2::bigint')} AND status = $3 AND version = $4`,
            [base + 1, base + count, step.to, idx + 1],
          )
        ).rows[0]!.n,
      );
      if (effective !== r.processed) notes.push(`${step.action}: ${r.processed} pgbench transactions, but ${effective} rows reached '${step.to}' v${idx + 1}`);
      actions.push({
        action: step.action,
        statements,
        script: path.relative(root, script),
        transactions: r.processed,
        effective,
        tps: round(r.tps, 1),
        latencyMs: latencyOf(r.hist),
        failed: r.failed,
        cpuCores: { postgres: cpu.postgres, machine: cpu.machine },
        backends,
        slowestStatements: r.slowest,
      });
      const l = latencyOf(r.hist);
      o.log(`  pgbench ${step.action.padEnd(8)} ${statements} statements: ${round(r.tps)} tps  p50 ${l.p50} ms  p99 ${l.p99} ms  (${effective}/${r.processed} rows reached '${step.to}')  cpu pg ${cpu.postgres} machine ${cpu.machine}`);
    }
  });
  const combinedTps = round(actions.length / actions.reduce((x, a) => x + 1 / a.tps, 0), 1);
  return { clients: o.clients, threads: o.threads, actions, combinedTps, latencyMs: latencyOf(merged), notes };
}
