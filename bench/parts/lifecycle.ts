/**
 * Part 1, lifecycle: the real `serve` process on PostgreSQL, driven over HTTP by concurrent
 * closed-loop clients (each sends its next request when the previous one is answered).
 *
 * - warm-up: a few applications through the whole lifecycle (not measured);
 * - phases: N applications are submitted by `clients` concurrent clients, then accepted, then
 *   reviewed, granted and delivered, one phase per action, so each action's throughput and
 *   latency is its own. A phase stops taking new applications after `phaseSeconds`; the next
 *   phase works on the applications the previous one finished;
 * - mixed: `clients` clients each walk applications through all five steps, one after another,
 *   for `mixedSeconds` — the actions interleaved as real traffic;
 * - profile (optional): the server restarted under `node --cpu-prof` and the mixed load run again
 *   (shorter); the profile's top functions say where the server's time goes.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Histogram } from 'hdr-histogram-js';
import { activitySampler, cpuMeter, histogram, HttpClient, latencyOf, round, startServer, type Latency, type Server } from '../lib/common.js';
import { summarizeProfile, type ProfileSummary } from '../lib/cpuprofile.js';
import { ACTIONS, Driver, STEPS, type App } from '../lib/lifecycle-driver.js';

export interface LifecycleOptions {
  env: NodeJS.ProcessEnv;
  clients: number;
  apps: number;
  phaseSeconds: number;
  mixedSeconds: number;
  profileSeconds: number;
  workDir: string;
  log: (s: string) => void;
}

export interface PhaseResult {
  action: string;
  transitions: number;
  seconds: number;
  perSecond: number;
  latencyMs: Latency;
  errors: Record<string, number>;
  /** cores busy during the phase (1 = one core) */
  cpuCores: { server: number | null; postgres: number; bench: number; machine: number };
}

export interface LifecycleResult {
  clients: number;
  item: string;
  phases: PhaseResult[];
  /** the five phases together: Σ transitions ÷ Σ seconds (one of each action per application) */
  phasesCombined: { transitions: number; seconds: number; perSecond: number; latencyMs: Latency };
  mixed: {
    transitions: number;
    seconds: number;
    perSecond: number;
    latencyMs: Latency;
    perAction: Record<string, Latency>;
    applicationsCompleted: number;
    errors: Record<string, number>;
    cpuCores: PhaseResult['cpuCores'];
    /** the server's PostgreSQL backends during the run, on average: running, idle (waiting for the server process: ClientRead), waiting for a lock, flushing WAL… */
    backends?: { samples: number; backends: Record<string, number> };
  };
  profile: (ProfileSummary & { transitionsPerSecondUnderProfiler: number }) | null;
  serverLog: string;
}

let appCounter = 0;
const runId = crypto.randomBytes(4).toString('hex');
function newApps(n: number): App[] {
  return Array.from({ length: n }, () => {
    const k = appCounter++;
    return { n: k, key: `bench-${runId}-${k}`, version: 0, done: 0 };
  });
}

/** One phase: every app of `apps` takes its next step (they are all at the same step). */
async function phase(driver: Driver, server: Server, apps: App[], clients: number, maxSeconds: number): Promise<{ result: PhaseResult; done: App[]; hist: Histogram }> {
  const action = STEPS[apps[0]!.done]!.action;
  const hist = histogram();
  const errors: Record<string, number> = {};
  const done: App[] = [];
  let next = 0;
  const meter = cpuMeter(server.pid);
  const t0 = performance.now();
  const deadline = t0 + maxSeconds * 1000;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < deadline) {
        const app = apps[next++];
        if (!app) return;
        const o = await driver.next(app);
        if (o.ok) {
          hist.recordValue(Math.max(1, Math.round(o.ms * 1000)));
          done.push(app);
        } else errors[`${o.status} ${o.code}`] = (errors[`${o.status} ${o.code}`] ?? 0) + 1;
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  return { result: { action, transitions: done.length, seconds: round(seconds, 2), perSecond: round(done.length / seconds, 1), latencyMs: latencyOf(hist), errors, cpuCores: meter() }, done, hist };
}

/** Closed loop: each client walks applications through all steps until `seconds` pass. */
async function mixed(driver: Driver, server: Server | null, clients: number, seconds: number) {
  const all = histogram();
  const per = new Map(ACTIONS.map((a) => [a, histogram()]));
  const errors: Record<string, number> = {};
  let transitions = 0;
  let completed = 0;
  const meter = cpuMeter(server?.pid);
  const t0 = performance.now();
  const deadline = t0 + seconds * 1000;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < deadline) {
        const [app] = newApps(1);
        while (app!.done < STEPS.length && performance.now() < deadline) {
          const action = STEPS[app!.done]!.action;
          const o = await driver.next(app!);
          if (!o.ok) {
            errors[`${action} ${o.status} ${o.code}`] = (errors[`${action} ${o.status} ${o.code}`] ?? 0) + 1;
            break;
          }
          const us = Math.max(1, Math.round(o.ms * 1000));
          all.recordValue(us);
          per.get(action)!.recordValue(us);
          transitions++;
        }
        if (app!.done === STEPS.length) completed++;
      }
    }),
  );
  const elapsed = (performance.now() - t0) / 1000;
  return {
    transitions,
    seconds: round(elapsed, 2),
    perSecond: round(transitions / elapsed, 1),
    latencyMs: latencyOf(all),
    perAction: Object.fromEntries([...per].map(([a, h]) => [a, latencyOf(h)])),
    applicationsCompleted: completed,
    errors,
    cpuCores: meter(),
  };
}

export async function runLifecycle(o: LifecycleOptions): Promise<LifecycleResult> {
  const serverLog = path.join(o.workDir, 'server-lifecycle.log');
  let server = await startServer(o.env, { log: serverLog });
  try {
    const tokens = await Driver.signIn(server.base);
    let http = new HttpClient(server.base, o.clients);
    let driver = new Driver(http, tokens);

    // warm-up: JIT, connection pool, caches
    const warm = newApps(o.clients * 2);
    for (let s = 0; s < STEPS.length; s++) await phase(driver, server, warm.filter((a) => a.done === s), o.clients, 60);
    o.log(`  warm-up: ${warm.filter((a) => a.done === STEPS.length).length}/${warm.length} applications through the lifecycle`);

    const phases: PhaseResult[] = [];
    const merged = histogram();
    let apps = newApps(o.apps);
    for (let s = 0; s < STEPS.length && apps.length; s++) {
      const { result, done, hist } = await phase(driver, server, apps, o.clients, o.phaseSeconds);
      merged.add(hist);
      phases.push(result);
      const errs = Object.entries(result.errors).map(([k, v]) => `${k} ×${v}`).join(', ');
      o.log(`  ${result.action.padEnd(8)} ${String(result.transitions).padStart(6)} in ${result.seconds.toFixed(1).padStart(5)} s = ${result.perSecond.toFixed(1).padStart(7)}/s  p50 ${result.latencyMs.p50} ms  p99 ${result.latencyMs.p99} ms  cpu server ${result.cpuCores.server} pg ${result.cpuCores.postgres} bench ${result.cpuCores.bench} machine ${result.cpuCores.machine}${errs ? `  errors: ${errs}` : ''}`);
      apps = done;
    }
    const totalSeconds = phases.reduce((a, p) => a + p.seconds, 0);
    const perSecondCombined = ACTIONS.length / phases.reduce((a, p) => a + 1 / p.perSecond, 0);
    const phasesCombined = { transitions: phases.reduce((a, p) => a + p.transitions, 0), seconds: round(totalSeconds, 2), perSecond: round(perSecondCombined, 1), latencyMs: latencyOf(merged) };

    const sampler = activitySampler(new URL(o.env.DATABASE_URL!).pathname.slice(1));
    const mix: LifecycleResult['mixed'] = await mixed(driver, server, o.clients, o.mixedSeconds);
    mix.backends = await sampler();
    o.log(`  the server's database connections, on average: ${Object.entries(mix.backends.backends).map(([k, v]) => `${k} ${v}`).join(', ')}`);
    o.log(`  mixed    ${String(mix.transitions).padStart(6)} in ${mix.seconds.toFixed(1).padStart(5)} s = ${mix.perSecond.toFixed(1).padStart(7)}/s  p50 ${mix.latencyMs.p50} ms  p99 ${mix.latencyMs.p99} ms  cpu server ${mix.cpuCores.server} pg ${mix.cpuCores.postgres} bench ${mix.cpuCores.bench} machine ${mix.cpuCores.machine}`);
    http.close();
    await server.stop();

    let profile: LifecycleResult['profile'] = null;
    if (o.profileSeconds > 0) {
      const dir = path.join(o.workDir, 'cpuprofile');
      fs.rmSync(dir, { recursive: true, force: true });
      fs.mkdirSync(dir, { recursive: true });
      server = await startServer(o.env, { log: serverLog, cpuProfDir: dir });
      http = new HttpClient(server.base, o.clients);
      driver = new Driver(http, await Driver.signIn(server.base));
      await mixed(driver, null, o.clients, Math.min(5, o.profileSeconds)); // warm-up under the profiler too
      const fromUs = Number(process.hrtime.bigint() / 1000n);
      const m = await mixed(driver, null, o.clients, o.profileSeconds);
      const toUs = Number(process.hrtime.bigint() / 1000n);
      http.close();
      await server.stop();
      // one profile per thread: the main thread's is the largest (the others: loader and worker threads)
      const file = fs
        .readdirSync(dir)
        .filter((f) => f.endsWith('.cpuprofile'))
        .sort((a, b) => fs.statSync(path.join(dir, b)).size - fs.statSync(path.join(dir, a)).size)[0];
      if (file) {
        profile = { ...summarizeProfile(path.join(dir, file), 20, { fromUs, toUs }), transitionsPerSecondUnderProfiler: m.perSecond };
        o.log(`  profile (${m.perSecond}/s under the profiler): ${path.join(dir, file)}`);
      } else o.log('  profile: no .cpuprofile was written');
    }
    return { clients: o.clients, item: 'QC-SPJ-004', phases, phasesCombined, mixed: mix, profile, serverLog };
  } finally {
    await server.stop();
  }
}
