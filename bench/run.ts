/**
 * `npm run bench`: one command, one run, on the PostgreSQL server (127.0.0.1:5432, trust auth, or
 * BENCH_ADMIN_URL=postgres://user@host:port/postgres). Prints a table with the goals beside the
 * numbers and writes bench/results/latest.json (with the machine's facts).
 *
 * Parts (all by default; `--only lifecycle,limit` runs some):
 * - lifecycle — the real `serve` on a fresh database `onewindow_bench_<pid>` (dropped at the end),
 *   driven over HTTP by 64 concurrent clients: submit → accept → review → grant → deliver
 *   (bench/parts/lifecycle.ts), with a CPU profile of the server;
 * - limit — pgbench running the statements one transition issues (captured from the real server),
 *   same server, same concurrency (bench/parts/limit.ts, scripts in bench/sql/);
 * - dashboard — refreshStats and summarize of src/modules/stats over 1M and 10M generated cases
 *   in a separate database `onewindow_bench_dash_<pid>` (bench/parts/dashboard.ts);
 * - embedded — cold start and memory of `serve` on a fresh embedded database (bench/cold-start.mjs).
 *
 * Options: --only PARTS, --skip-10m, --clients 64, --apps 3000, --phase-seconds 60,
 * --mixed-seconds 30, --profile-seconds 20 (0: no profile), --pgbench-tx 250 (per client),
 * --pgbench-threads 2, --calls 200, --chunk 1000000, --sizes 1000000,10000000, --wait-quiet 0 (seconds
 * to wait before each part for the machine to be quiet: other processes using < 0.25 core per core).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createDatabase, dropCreatedDatabases, freePort, machineBusyMs, machineFacts, migrateAndSeed, root, round, serverEnv, sleep } from './lib/common.js';
import { runDashboard, type DashboardResult } from './parts/dashboard.js';
import { runEmbedded, type EmbeddedResult } from './parts/embedded.js';
import { runLifecycle, type LifecycleResult } from './parts/lifecycle.js';
import { runLimit, type LimitResult } from './parts/limit.js';

const PARTS = ['lifecycle', 'limit', 'dashboard', 'embedded'] as const;
type Part = (typeof PARTS)[number];

const { values: args } = parseArgs({
  options: {
    only: { type: 'string' },
    'skip-10m': { type: 'boolean', default: false },
    clients: { type: 'string', default: '64' },
    apps: { type: 'string', default: '3000' },
    'phase-seconds': { type: 'string', default: '60' },
    'mixed-seconds': { type: 'string', default: '30' },
    'profile-seconds': { type: 'string', default: '20' },
    'pgbench-tx': { type: 'string', default: '250' },
    'pgbench-threads': { type: 'string', default: '2' },
    calls: { type: 'string', default: '200' },
    chunk: { type: 'string', default: '1000000' },
    sizes: { type: 'string', default: '1000000,10000000' },
    'wait-quiet': { type: 'string', default: '0' },
  },
  strict: true,
});

const only = new Set((args.only ?? PARTS.join(',')).split(',').map((s) => s.trim()).filter(Boolean));
for (const p of only) if (!(PARTS as readonly string[]).includes(p)) throw new Error(`--only: unknown part ${p} (parts: ${PARTS.join(', ')})`);
const want = (p: Part) => only.has(p);
const num = (s: string | undefined) => Number(String(s).replace(/_/g, ''));
const clients = num(args.clients);
const sizes = args.sizes!.split(',').map(num).filter((n) => !(args['skip-10m'] && n >= 10_000_000));

const GOALS = {
  transitionsPerSecond: 1000,
  p99Ms: 50,
  ratio: 0.5,
  summarizeP95Ms: (cases: number) => (cases >= 10_000_000 ? 500 : 100),
  coldStartMs: 3000,
  rssMiB: 300,
};

const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'onewindow-bench-'));
const log = (s: string) => console.log(s);

interface Results {
  machine: Awaited<ReturnType<typeof machineFacts>> & { loadAverageAtStart: number[]; loadAverageAtEnd?: number[] };
  options: Record<string, unknown>;
  goals: Record<string, string>;
  lifecycle?: LifecycleResult | { error: string };
  limit?: (LimitResult & { ratio: { overall: number; phasesCombined: number; perAction: Record<string, number> } }) | { error: string };
  dashboard?: DashboardResult | { error: string };
  embedded?: EmbeddedResult | { error: string };
  loadAverageBeforePart: Record<string, number[]>;
  seconds: Record<string, number>;
  workDir: string;
  /** false until every selected part has run */
  complete: boolean;
  /** the signal that cut the run short, if one did */
  interrupted?: string;
}

let cleaning = false;
async function cleanup() {
  if (cleaning) return;
  cleaning = true;
  await dropCreatedDatabases();
}

let current: Results | undefined;
const resultFile = path.join(root, 'bench/results/latest.json');
/** Writes the results so far (after each part, and when interrupted), so a run cut short keeps what it measured. */
function save(r: Results) {
  fs.mkdirSync(path.dirname(resultFile), { recursive: true });
  fs.writeFileSync(resultFile, JSON.stringify(r, null, 2) + '\n');
}

for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(sig, () => {
    console.error(`\n${sig}: saving what was measured and dropping the benchmark databases…`);
    if (current) {
      current.interrupted = `${sig} at ${new Date().toISOString()}`;
      save(current);
    }
    void cleanup().finally(() => process.exit(130));
  });
}

async function main() {
  const started = performance.now();
  const results: Results = {
    machine: { ...(await machineFacts()), loadAverageAtStart: os.loadavg().map((x) => round(x, 2)) },
    options: { ...args, parts: [...only], clients, sizes },
    goals: {
      lifecycle: `≥ ${GOALS.transitionsPerSecond} transitions/s with p99 < ${GOALS.p99Ms} ms at ${clients} clients`,
      limit: `HTTP transitions/s ÷ pgbench tps ≥ ${GOALS.ratio}`,
      dashboard: 'summarize p95 < 100 ms at 1M cases, < 500 ms at 10M',
      embedded: `cold start < ${GOALS.coldStartMs / 1000} s and RSS < ${GOALS.rssMiB} MB`,
    },
    loadAverageBeforePart: {},
    seconds: {},
    workDir,
    complete: false,
  };
  current = results;
  const m = results.machine;
  log(`OneWindow benchmark — ${m.date}: ${m.cores} cores (${m.cpuModel}), ${m.memoryGiB} GiB, Node ${m.node}, ${m.postgres.split(' on ')[0]}; load average ${m.loadAverageAtStart.join(' ')}`);
  log(`work folder (logs, traces, profile): ${workDir}`);
  if (m.loadAverageAtStart[0]! > m.cores / 2) log(`note: the machine is already busy (load average ${m.loadAverageAtStart[0]} on ${m.cores} cores): the numbers share the CPU with that load`);

  const timed = async <T>(part: Part, f: () => Promise<T> | T): Promise<T | { error: string }> => {
    log(`\n== ${part} ==`);
    const waitQuiet = num(args['wait-quiet']);
    if (waitQuiet > 0) {
      const until = Date.now() + waitQuiet * 1000;
      for (;;) {
        const b0 = machineBusyMs();
        await sleep(5000);
        const busy = (machineBusyMs() - b0) / 5000;
        if (busy < 0.25 * m.cores) break;
        if (Date.now() > until) {
          log(`  the machine is still busy (${round(busy, 2)} cores in use by others) after waiting ${waitQuiet} s: running anyway`);
          break;
        }
        log(`  waiting for the machine to be quiet: ${round(busy, 2)} cores in use by others`);
      }
    }
    results.loadAverageBeforePart[part] = os.loadavg().map((x) => round(x, 2));
    const t0 = performance.now();
    try {
      return await f();
    } catch (e) {
      log(`  ${part} failed: ${(e as Error).stack}`);
      return { error: (e as Error).message };
    } finally {
      results.seconds[part] = round((performance.now() - t0) / 1000, 1);
      save(results);
    }
  };

  try {
    // lifecycle and limit share one database on the server
    let env: NodeJS.ProcessEnv | undefined;
    let dbUrl = '';
    if (want('lifecycle') || want('limit')) {
      dbUrl = await createDatabase(`onewindow_bench_${process.pid}`);
      env = serverEnv(dbUrl, freePort());
      for (const line of migrateAndSeed(env, true)) log(`  ${line}`);
    }
    if (want('lifecycle')) {
      results.lifecycle = await timed('lifecycle', () =>
        runLifecycle({ env: env!, clients, apps: num(args.apps), phaseSeconds: num(args['phase-seconds']), mixedSeconds: num(args['mixed-seconds']), profileSeconds: num(args['profile-seconds']), workDir, log }),
      );
    }
    if (want('limit')) {
      const limit = await timed('limit', () => runLimit({ env: env!, dbUrl, clients, threads: num(args['pgbench-threads']), txPerClient: num(args['pgbench-tx']), workDir, log }));
      if ('error' in limit) results.limit = limit;
      else {
        const lc = results.lifecycle && !('error' in results.lifecycle) ? results.lifecycle : undefined;
        const perAction = Object.fromEntries(limit.actions.map((a) => [a.action, lc ? round((lc.phases.find((p) => p.action === a.action)?.perSecond ?? NaN) / a.tps, 3) : NaN]));
        results.limit = { ...limit, ratio: { overall: lc ? round(lc.mixed.perSecond / limit.combinedTps, 3) : NaN, phasesCombined: lc ? round(lc.phasesCombined.perSecond / limit.combinedTps, 3) : NaN, perAction } };
        save(results);
      }
    }
    if (want('dashboard')) {
      results.dashboard = await timed('dashboard', () => runDashboard({ sizes, chunk: num(args.chunk), workers: os.cpus().length, calls: num(args.calls), dbName: `onewindow_bench_dash_${process.pid}`, log, progress: (d) => save(Object.assign(results, { dashboard: d })) }));
    }
    if (want('embedded')) results.embedded = await timed('embedded', () => runEmbedded());
  } finally {
    await cleanup();
  }
  results.machine.loadAverageAtEnd = os.loadavg().map((x) => round(x, 2));
  results.seconds.total = round((performance.now() - started) / 1000, 1);

  results.complete = true;
  printTable(results);
  save(results);
  log(`\nwritten: bench/results/latest.json (${results.seconds.total} s in all)`);
}

const fmt = (x: number | null | undefined, digits = 0) => (x === null || x === undefined || Number.isNaN(x) ? '—' : x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }));
const verdict = (ok: boolean | null) => (ok === null ? '' : ok ? 'met' : 'MISSED');

function printTable(r: Results) {
  const rows: [string, string, string, string, string][] = [];
  const add = (part: string, what: string, value: string, goal = '', v: boolean | null = null) => rows.push([part, what, value, goal, verdict(v)]);
  const failed = (part: string, x: { error: string }) => add(part, 'FAILED', x.error.split('\n')[0]!.slice(0, 100));

  if (r.lifecycle) {
    if ('error' in r.lifecycle) failed('lifecycle', r.lifecycle);
    else {
      const l = r.lifecycle;
      const ok = l.mixed.perSecond >= GOALS.transitionsPerSecond && l.mixed.latencyMs.p99 < GOALS.p99Ms;
      add('lifecycle', `overall, ${l.clients} clients, actions interleaved`, `${fmt(l.mixed.perSecond, 1)} /s   p50 ${fmt(l.mixed.latencyMs.p50, 1)} ms  p99 ${fmt(l.mixed.latencyMs.p99, 1)} ms`, `≥ ${fmt(GOALS.transitionsPerSecond)}/s, p99 < ${GOALS.p99Ms} ms`, ok);
      add('lifecycle', 'five phases combined (one of each action)', `${fmt(l.phasesCombined.perSecond, 1)} /s   p50 ${fmt(l.phasesCombined.latencyMs.p50, 1)} ms  p99 ${fmt(l.phasesCombined.latencyMs.p99, 1)} ms`);
      for (const p of l.phases) {
        const errs = Object.values(p.errors).reduce((a, b) => a + b, 0);
        add('lifecycle', `  ${p.action} (${fmt(p.transitions)} in ${fmt(p.seconds, 1)} s)`, `${fmt(p.perSecond, 1)} /s   p50 ${fmt(p.latencyMs.p50, 1)} ms  p99 ${fmt(p.latencyMs.p99, 1)} ms${errs ? `  ${errs} errors` : ''}   cpu: server ${fmt(p.cpuCores.server, 2)} pg ${fmt(p.cpuCores.postgres, 2)} machine ${fmt(p.cpuCores.machine, 2)}`);
      }
      const c = l.mixed.cpuCores;
      add('lifecycle', '  CPU during the interleaved run (cores)', `server ${fmt(c.server, 2)}  postgres ${fmt(c.postgres, 2)}  bench client ${fmt(c.bench, 2)}  machine ${fmt(c.machine, 2)} of ${r.machine.cores}`);
      if (l.mixed.backends) add('lifecycle', "  the server's DB connections, average", Object.entries(l.mixed.backends.backends).slice(0, 5).map(([k, v]) => `${k} ${fmt(v, 2)}`).join('; '));
      if (l.profile) {
        const top = l.profile.topSelf.slice(0, 5).map((f) => `${f.function.replace(/:\d+$/, '')} [${f.place}] ${f.selfPctOfBusy}%`).join('; ');
        add('lifecycle', '  server profile, top self time', top);
        const places = l.profile.topInclusivePlaces.filter((p) => p.place.startsWith('src/') || p.place.startsWith('npm:')).slice(0, 6).map((p) => `${p.place} ${p.pctOfBusy}%`).join('; ');
        add('lifecycle', '  server profile, inclusive by place', places);
      }
    }
  }
  if (r.limit) {
    if ('error' in r.limit) failed('limit', r.limit);
    else {
      const x = r.limit;
      for (const a of x.actions) add('limit', `  pgbench ${a.action} (${a.statements} statements, ${fmt(a.effective)}/${fmt(a.transactions)} effective)`, `${fmt(a.tps, 0)} tps   p50 ${fmt(a.latencyMs.p50, 2)} ms  p99 ${fmt(a.latencyMs.p99, 2)} ms   HTTP ÷ pgbench ${fmt(x.ratio.perAction[a.action], 3)}`);
      add('limit', `pgbench, one of each action, ${x.clients} clients -j ${x.threads}`, `${fmt(x.combinedTps, 0)} tps   p50 ${fmt(x.latencyMs.p50, 2)} ms  p99 ${fmt(x.latencyMs.p99, 2)} ms`);
      add('limit', 'ratio HTTP overall ÷ pgbench', `${fmt(x.ratio.overall, 3)}   (five phases combined ÷ pgbench: ${fmt(x.ratio.phasesCombined, 3)})`, `≥ ${GOALS.ratio}`, Number.isNaN(x.ratio.overall) ? null : x.ratio.overall >= GOALS.ratio);
    }
  }
  if (r.dashboard) {
    if ('error' in r.dashboard) failed('dashboard', r.dashboard);
    else {
      if (r.dashboard.statsModule === 'missing') add('dashboard', 'stats module', 'MISSING: src/modules/stats/service.ts (refreshStats, summarize)');
      for (const s of r.dashboard.sizes) {
        const n = s.cases >= 1e6 ? `${s.cases / 1e6}M` : fmt(s.cases);
        add('dashboard', `${n} cases: generated`, `${fmt(s.generation.seconds, 0)} s + indexes ${fmt(s.generation.indexSeconds, 0)} s + vacuum analyze ${fmt(s.generation.vacuumAnalyzeSeconds, 0)} s; ${s.generation.databaseSize}`);
        if (s.refresh) {
          const show = (x: { seconds: number; days: number; withServerPool?: { failedAfterSeconds: number } }) =>
            `${fmt(x.seconds, 1)} s (${x.days} days)${x.withServerPool ? ` — FAILS with the server's 15 s query timeout (after ${fmt(x.withServerPool.failedAfterSeconds, 1)} s); timed without it` : ''}`;
          add('dashboard', `${n}: refreshStats, full`, show(s.refresh.full));
          add('dashboard', `${n}: refreshStats after ${s.refresh.updates} updates`, show(s.refresh.afterUpdates));
        }
        if (s.summarize) {
          const goal = GOALS.summarizeP95Ms(s.cases);
          add('dashboard', `${n}: summarize ×${s.summarize.calls}`, `p50 ${fmt(s.summarize.latencyMs.p50, 1)} ms  p95 ${fmt(s.summarize.latencyMs.p95, 1)} ms  p99 ${fmt(s.summarize.latencyMs.p99, 1)} ms`, `p95 < ${goal} ms`, s.summarize.latencyMs.p95 < goal);
          add('dashboard', '  p95 by filter', Object.entries(s.summarize.byFilter).map(([k, v]) => `${k} ${fmt(v.p95, 0)} ms`).join('; '));
        }
        if (s.error) add('dashboard', `${n}: stats`, `FAILED: ${s.error.slice(0, 100)}`);
      }
    }
  }
  if (r.embedded) {
    if ('error' in r.embedded) failed('embedded', r.embedded);
    else for (const e of r.embedded.runs) add('embedded', e.run, `${fmt(e.firstOkMs)} ms to the first 200, RSS ${fmt(e.rssMiB)} MiB`, `< ${GOALS.coldStartMs} ms, < ${GOALS.rssMiB} MB`, e.firstOkMs < GOALS.coldStartMs && e.rssMiB < GOALS.rssMiB);
  }

  const header: [string, string, string, string, string] = ['part', 'measure', 'value', 'goal', ''];
  const w = header.map((h, i) => Math.max(h.length, ...rows.map((row) => [...row[i]!].length)));
  const line = (row: string[]) => row.map((c, i) => c + ' '.repeat(Math.max(0, w[i]! - [...c].length))).join('  ').trimEnd();
  const m = r.machine;
  console.log(`\nOneWindow benchmark, ${m.date.slice(0, 16).replace('T', ' ')} UTC — ${m.cores} cores, Node ${m.node}, ${m.postgres.split(' on ')[0]}, load average ${m.loadAverageAtStart[0]} at start, ${m.loadAverageAtEnd?.[0]} at end\n`);
  console.log(line(header));
  console.log(line(w.map((n) => '-'.repeat(n))));
  for (const row of rows) console.log(line(row));
}

main().catch(async (e) => {
  console.error(e);
  await cleanup();
  process.exit(1);
});
