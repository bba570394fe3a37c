/**
 * Helpers shared by the parts of `npm run bench` (bench/run.ts): databases on the PostgreSQL
 * server, the `onewindow` CLI, the real `serve` process, an HTTP client with keep-alive
 * connections, latency histograms and CPU accounting from /proc.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as hdr from 'hdr-histogram-js';
import pg from 'pg';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const ADMIN_URL = process.env.BENCH_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** The URL of database `name` on the benchmark's server. */
export function dbUrl(name: string): string {
  const u = new URL(ADMIN_URL);
  u.pathname = `/${name}`;
  return u.toString();
}

export async function withClient<T>(url: string, f: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  // a connection ended by the server (the database dropped at an interrupt) fails its queries; it must not crash the process
  c.on('error', () => {});
  await c.connect();
  try {
    return await f(c);
  } finally {
    await c.end();
  }
}

/** Databases this process created (dropped at exit by {@link dropCreatedDatabases}). */
const created = new Set<string>();

export async function createDatabase(name: string): Promise<string> {
  await withClient(ADMIN_URL, async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await c.query(`CREATE DATABASE ${name}`);
  });
  created.add(name);
  return dbUrl(name);
}

export async function dropDatabase(name: string): Promise<void> {
  await withClient(ADMIN_URL, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  created.delete(name);
}

export async function dropCreatedDatabases(): Promise<void> {
  for (const name of [...created]) await dropDatabase(name).catch((e) => console.error(`  could not drop ${name}: ${(e as Error).message}`));
}

/** Runs `onewindow <args>` to completion. */
export function cli(env: NodeJS.ProcessEnv, ...args: string[]): { code: number | null; out: string } {
  const r = spawnSync(process.execPath, [path.join(root, 'bin/onewindow.mjs'), ...args], { cwd: root, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { code: r.status, out: `${r.stdout}${r.stderr}`.trim() };
}

/** `onewindow migrate` then `onewindow seed [--no-demo]` on `url`; throws when either fails. */
export function migrateAndSeed(env: NodeJS.ProcessEnv, demo: boolean): string[] {
  const lines: string[] = [];
  for (const args of [['migrate'], demo ? ['seed'] : ['seed', '--no-demo']]) {
    const r = cli(env, ...args);
    if (r.code !== 0) throw new Error(`onewindow ${args.join(' ')} failed (${r.code}):\n${r.out}`);
    lines.push(`onewindow ${args.join(' ')}: ${r.out.split('\n').filter(Boolean)[0] ?? ''}`);
  }
  return lines;
}

/** The environment of a server on PostgreSQL database `url` listening on `port`. */
export function serverEnv(url: string, port: number): NodeJS.ProcessEnv {
  return {
    ...process.env,
    DATABASE_URL: url,
    PORT: String(port),
    HOST: '127.0.0.1',
    ONEWINDOW_MASTER_KEY: crypto.randomBytes(32).toString('hex'),
    ONEWINDOW_PUBLIC_URL: `http://127.0.0.1:${port}`,
    ONEWINDOW_LOG_LEVEL: 'warn',
  };
}

export function freePort(): number {
  return 4600 + Math.floor(Math.random() * 800);
}

/** A running `onewindow serve`. */
export interface Server {
  child: ChildProcess;
  pid: number;
  base: string;
  log: string;
  stop(): Promise<void>;
}

/**
 * Starts `node [--import preload] [--cpu-prof] bin/onewindow.mjs serve` and waits for the first
 * 200 of GET /api/v1/health.
 */
export async function startServer(env: NodeJS.ProcessEnv, opts: { preload?: string; cpuProfDir?: string; log: string }): Promise<Server> {
  const port = Number(env.PORT);
  const base = `http://127.0.0.1:${port}`;
  const nodeArgs: string[] = [];
  if (opts.preload) nodeArgs.push('--import', opts.preload);
  if (opts.cpuProfDir) nodeArgs.push('--cpu-prof', `--cpu-prof-dir=${opts.cpuProfDir}`);
  const fd = fs.openSync(opts.log, 'a');
  const child = spawn(process.execPath, [...nodeArgs, path.join(root, 'bin/onewindow.mjs'), 'serve'], { cwd: root, env, stdio: ['ignore', fd, fd] });
  fs.closeSync(fd);
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}; see ${opts.log}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the server did not answer within 120 s; see ${opts.log}`);
    }
    try {
      if ((await fetch(`${base}/api/v1/health`)).status === 200) break;
    } catch {
      // not listening yet
    }
    await sleep(50);
  }
  return {
    child,
    pid: child.pid!,
    base,
    log: opts.log,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Signs in `username` with the demo password; returns the bearer token. */
export async function login(base: string, username: string, password = 'onewindow-demo'): Promise<string> {
  const res = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}

/** A minimal HTTP/1.1 client over keep-alive connections (node:http), for closed-loop load. */
export class HttpClient {
  readonly agent: http.Agent;
  readonly host: string;
  readonly port: number;
  constructor(base: string, connections: number) {
    const u = new URL(base);
    this.host = u.hostname;
    this.port = Number(u.port);
    this.agent = new http.Agent({ keepAlive: true, maxSockets: connections, maxFreeSockets: connections });
  }
  request(method: string, pathname: string, headers: Record<string, string>, body?: unknown): Promise<{ status: number; text: string }> {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    return new Promise((resolve, reject) => {
      const req = http.request(
        { agent: this.agent, host: this.host, port: this.port, method, path: pathname, headers: payload ? { ...headers, 'content-type': 'application/json', 'content-length': String(payload.length) } : headers },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  }
  close() {
    this.agent.destroy();
  }
}

/** A latency histogram in microseconds (1 µs … 10 min, 3 significant digits). */
export function histogram(): hdr.Histogram {
  return hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 600_000_000, numberOfSignificantValueDigits: 3 });
}

export interface Latency {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

/** Milliseconds (two decimals) of a microsecond histogram. */
export function latencyOf(h: hdr.Histogram): Latency {
  const ms = (us: number) => Math.round(us / 10) / 100;
  return { n: h.totalCount, p50: ms(h.getValueAtPercentile(50)), p95: ms(h.getValueAtPercentile(95)), p99: ms(h.getValueAtPercentile(99)), max: ms(h.maxValue), mean: ms(h.mean) };
}

/** Percentiles (ms) of a list of milliseconds. */
export function latencyOfList(msList: number[]): Latency {
  const s = [...msList].sort((a, b) => a - b);
  const at = (q: number) => Math.round((s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))] ?? NaN) * 100) / 100;
  return { n: s.length, p50: at(0.5), p95: at(0.95), p99: at(0.99), max: at(1), mean: Math.round((s.reduce((a, b) => a + b, 0) / s.length) * 100) / 100 };
}

const TICK = 100; // USER_HZ on Linux

/** CPU milliseconds (user + system) a process has used so far, from /proc/<pid>/stat; 0 when gone. */
export function cpuMsOf(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICK;
  } catch {
    return 0;
  }
}

/** CPU milliseconds used so far by each process named `postgres` (backends, walwriter, checkpointer…), by pid. */
export function postgresCpuByPid(): Map<number, number> {
  const m = new Map<number, number>();
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      if (comm !== 'postgres') continue;
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      m.set(Number(d), ((Number(fields[11]) + Number(fields[12])) * 1000) / TICK);
    } catch {
      // the process ended meanwhile
    }
  }
  return m;
}

/** CPU milliseconds the whole machine has been busy (all processes, /proc/stat: not idle, not iowait). */
export function machineBusyMs(): number {
  const f = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const total = f.slice(0, 8).reduce((a, b) => a + b, 0);
  return ((total - f[3]! - f[4]!) * 1000) / TICK;
}

/**
 * PostgreSQL's CPU time over an interval: samples every postgres process every 200 ms, so backends
 * that exit before the end (pgbench's connections) still count, up to their last sample.
 */
function postgresCpuSampler() {
  const first = postgresCpuByPid();
  const last = new Map(first);
  const timer = setInterval(() => {
    for (const [pid, ms] of postgresCpuByPid()) last.set(pid, ms);
  }, 200);
  return () => {
    clearInterval(timer);
    for (const [pid, ms] of postgresCpuByPid()) last.set(pid, ms);
    let total = 0;
    for (const [pid, ms] of last) total += ms - (first.get(pid) ?? 0);
    return total;
  };
}

/**
 * CPU use over an interval, in cores (1.0 = one core busy the whole time), of the server process,
 * of PostgreSQL (every postgres process, sampled: also other clients' backends), of this benchmark process, and of the whole machine (every
 * process: what is beyond the three is someone else's load).
 */
export function cpuMeter(serverPid?: number) {
  const t0 = performance.now();
  const s0 = serverPid ? cpuMsOf(serverPid) : 0;
  const pgCpu = postgresCpuSampler();
  const c0 = process.cpuUsage();
  const m0 = machineBusyMs();
  return () => {
    const wall = performance.now() - t0;
    const c = process.cpuUsage(c0);
    const r = (x: number) => Math.round((x / wall) * 100) / 100;
    return { server: serverPid ? r(cpuMsOf(serverPid) - s0) : null, postgres: r(pgCpu()), bench: r((c.user + c.system) / 1000), machine: r(machineBusyMs() - m0) };
  };
}

/** VmRSS of a process in MiB. */
export function rssMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : NaN;
}

export async function machineFacts() {
  const pgVersion = await withClient(ADMIN_URL, async (c) => {
    const v = (await c.query<{ v: string }>('SELECT version() AS v')).rows[0]!.v;
    const settings = (await c.query<{ name: string; setting: string; unit: string | null }>(
      `SELECT name, setting, unit FROM pg_settings WHERE name IN ('max_connections','shared_buffers','synchronous_commit','fsync','wal_level','work_mem','effective_cache_size','max_parallel_workers_per_gather')`,
    )).rows;
    return { v, settings: Object.fromEntries(settings.map((s) => [s.name, s.unit ? `${s.setting} × ${s.unit}` : s.setting])) };
  });
  const pgbench = spawnSync('pgbench', ['--version'], { encoding: 'utf8' }).stdout?.trim();
  return {
    cores: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? '?',
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    postgres: pgVersion.v,
    postgresSettings: pgVersion.settings,
    pgbench,
    date: new Date().toISOString(),
  };
}

/** Runs a command without blocking the event loop, returning its output; throws with the output when it fails. */
export function runAsync(cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env: opts.env ?? process.env, cwd: opts.cwd ?? root, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${cmd} ${args.join(' ')} failed (${code}):\n${out}`))));
  });
}

/** Runs a command, returning its output; throws with the output when it fails. */
export function run(cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', env: opts.env ?? process.env, cwd: opts.cwd ?? root, maxBuffer: 256 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  return `${r.stdout}${r.stderr}`;
}

export const round = (x: number, digits = 0) => Math.round(x * 10 ** digits) / 10 ** digits;

/**
 * Samples pg_stat_activity of database `dbName` every `everyMs` (from another connection): what the
 * backends are doing — running, waiting for their client (ClientRead: the application), waiting for a
 * lock, flushing WAL at commit… The result is the average number of backends in each state
 * (`state` or `state/wait_event_type:wait_event`), over the samples.
 */
export function activitySampler(dbName: string, everyMs = 100) {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  client.on('error', () => {});
  const counts = new Map<string, number>();
  let samples = 0;
  let stopped = false;
  const ready = client.connect();
  const loop = (async () => {
    await ready;
    while (!stopped) {
      const t0 = performance.now();
      const { rows } = await client.query<{ state: string | null; type: string | null; event: string | null }>(
        `SELECT state, wait_event_type AS type, wait_event AS event FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid() AND backend_type = 'client backend'`,
        [dbName],
      );
      samples++;
      for (const r of rows) {
        const key = `${r.state ?? '?'}${r.type ? `/${r.type}:${r.event}` : ''}`;
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      await sleep(Math.max(0, everyMs - (performance.now() - t0)));
    }
  })();
  return async (): Promise<{ samples: number; backends: Record<string, number> }> => {
    stopped = true;
    await loop.catch(() => {});
    await client.end().catch(() => {});
    const backends = Object.fromEntries([...counts].sort((a, b) => b[1] - a[1]).map(([k, n]) => [k, round(n / Math.max(1, samples), 2)]));
    return { samples, backends };
  };
}
