/**
 * Crash test: no acknowledged write is lost or applied twice when the server is killed mid-run.
 *
 * 1. Creates a fresh PostgreSQL database (`onewindow_crash`, dropped first), runs
 *    `onewindow migrate` and `onewindow seed`, and starts `onewindow serve` as a child process.
 * 2. Drives ≥ 10,000 state transitions (submissions and lifecycle actions) through the HTTP API
 *    from 48 concurrent clients, with the demo accounts: each client takes applications one after
 *    another through a plan (submit → accept → review → grant → deliver, with supplement, denial
 *    and withdrawal variants). Every request carries an Idempotency-Key: a submission's key makes
 *    its retry return the same application. The action route does not read the key; what makes an
 *    action's retry safe is the `version` it expects (a retry of an action already applied gets
 *    409 VERSION_CONFLICT, never a second transition). One action in ten is sent twice at once,
 *    as a client retrying too early would.
 * 3. Records every acknowledged (2xx) transition: application, action, resulting version.
 * 4. SIGKILLs the server once 40 % of the planned transitions are acknowledged, restarts it, and
 *    lets the clients carry on: a request without an answer is retried with the same key and
 *    version; a VERSION_CONFLICT is resolved by reading the application's events (the action
 *    went through before the kill, its answer was lost).
 * 5. Checks the database directly: every acknowledged transition is there exactly once as an
 *    event; no application has an action more often than its plan; no extra application was
 *    created; each application's status and version equal the replay of its events through the
 *    transition table (src/modules/applications/transitions.ts), with the documents and decision
 *    its events imply; and `onewindow audit verify` finds every hash chain intact.
 *
 * Usage: `npm run bench:crash` (PostgreSQL on 127.0.0.1:5432 with trust authentication, or
 * `CRASH_ADMIN_URL=postgres://user@host:port/db`). Prints the counts and writes them to
 * bench/results/crash-test.json; exits 1 when anything was lost, duplicated or inconsistent.
 * Tunables: CRASH_TRANSITIONS (10000), CRASH_CLIENTS (48), CRASH_KILL_AT (0.4).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { TRANSITIONS, type Action, type Status } from '../src/modules/applications/transitions.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TARGET = Number(process.env.CRASH_TRANSITIONS ?? 10_000);
const CLIENTS = Number(process.env.CRASH_CLIENTS ?? 48);
const KILL_AT = Number(process.env.CRASH_KILL_AT ?? 0.4);
const DUPLICATE_RATE = 0.1;
const ITEM = 'QC-SPJ-004'; // 占用、挖掘城市道路审批: citizens may apply; reviewed by 住建局, decided by 审批局
const DB_NAME = 'onewindow_crash';
const adminUrl = process.env.CRASH_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const dbUrl = (() => {
  const u = new URL(adminUrl);
  u.pathname = `/${DB_NAME}`;
  return u.toString();
})();
const port = 4100 + Math.floor(Math.random() * 500);
const base = `http://127.0.0.1:${port}`;
const runId = crypto.randomBytes(4).toString('hex');
const serverLog = path.join(os.tmpdir(), `onewindow-crash-${runId}.log`);
const serverEnv: NodeJS.ProcessEnv = {
  ...process.env,
  DATABASE_URL: dbUrl,
  PORT: String(port),
  HOST: '127.0.0.1',
  ONEWINDOW_MASTER_KEY: crypto.randomBytes(32).toString('hex'),
  ONEWINDOW_PUBLIC_URL: base,
  ONEWINDOW_LOG_LEVEL: 'warn',
};

type Actor = 'citizen' | 'clerk' | 'reviewer' | 'signatory';
interface Step {
  actor: Actor;
  action: Action;
  body?: Record<string, unknown>;
}

const accept: Step = { actor: 'clerk', action: 'accept' };
const review: Step = { actor: 'reviewer', action: 'review', body: { opinion: 'approve', comment: '符合条件' } };
const deliver: Step = { actor: 'clerk', action: 'deliver', body: { delivery: { method: 'mail', trackingNumber: 'SF1234567890' } } };
/** The plans applications are taken through, with how many of every 20 applications follow each. */
const PLANS: { name: string; weight: number; steps: Step[]; final: Status }[] = [
  { name: 'grant', weight: 10, steps: [accept, review, { actor: 'signatory', action: 'grant' }, deliver], final: 'delivered' },
  {
    name: 'supplement-deny',
    weight: 4,
    steps: [
      { actor: 'clerk', action: 'request_supplement', body: { comment: '请补正施工方案' } },
      { actor: 'citizen', action: 'supplement', body: { materials: [{ name: '施工方案（补正）' }] } },
      accept,
      review,
      { actor: 'signatory', action: 'deny', body: { comment: '占用期限超出规定' } },
      deliver,
    ],
    final: 'delivered',
  },
  { name: 'accept-withdraw', weight: 3, steps: [accept, { actor: 'citizen', action: 'withdraw' }], final: 'withdrawn' },
  { name: 'withdraw', weight: 3, steps: [{ actor: 'citizen', action: 'withdraw' }], final: 'withdrawn' },
];
const planCycle = PLANS.flatMap((p) => Array.from({ length: p.weight }, () => p));

interface App {
  n: number;
  plan: (typeof PLANS)[number];
  key: string;
  id?: string;
  version: number;
  done: number;
  failed?: string;
}
interface Ack {
  id: string;
  action: Action | 'submit';
  version: number;
  status: string;
  afterKill: boolean;
}

const apps: App[] = [];
let planned = 0;
while (planned < TARGET) {
  const plan = planCycle[apps.length % planCycle.length]!;
  apps.push({ n: apps.length, plan, key: `crash-${runId}-${apps.length}`, version: 0, done: 0 });
  planned += 1 + plan.steps.length;
}

const acks: Ack[] = [];
/** Milliseconds of each acknowledged request, by action. */
const latency: Record<string, number[]> = {};
const stats = { requests: 0, retries: 0, duplicateSends: 0, recovered: 0, networkErrors: 0, status5xx: {} as Record<string, number>, unexpected: [] as string[] };
let killed = false;
let killAt = 0;
let downtimeMs = 0;
let server: ChildProcess | undefined;
const tokens = {} as Record<Actor, string>;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Runs `onewindow <args>` to completion with the crash database. */
function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [path.join(root, 'bin/onewindow.mjs'), ...args], { cwd: root, env: serverEnv, encoding: 'utf8' });
  return { code: r.status, out: `${r.stdout}${r.stderr}`.trim() };
}

/** Starts `onewindow serve` and waits until its health check answers 200. */
async function startServer(): Promise<ChildProcess> {
  const log = fs.openSync(serverLog, 'a');
  const child = spawn(process.execPath, [path.join(root, 'bin/onewindow.mjs'), 'serve'], { cwd: root, env: serverEnv, stdio: ['ignore', log, log] });
  fs.closeSync(log);
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}; see ${serverLog}`);
    try {
      if ((await fetch(`${base}/api/v1/health`)).status === 200) return child;
    } catch {
      // not listening yet
    }
    await sleep(50);
  }
  throw new Error(`the server did not answer within 90 s; see ${serverLog}`);
}

type Outcome = { kind: 'ok'; status: number; body: Record<string, unknown> } | { kind: 'retry'; why: string } | { kind: 'error'; status: number; code: string };

/**
 * One HTTP call. A lost connection, a timeout, 502, 503 and 504 are `retry` (the server is down
 * or restarting); a 500 is a bug and an `error` like a 4xx.
 */
async function call(method: 'GET' | 'POST', url: string, actor: Actor, body?: unknown, key?: string): Promise<Outcome> {
  stats.requests++;
  try {
    const res = await fetch(base + url, {
      method,
      headers: { authorization: `Bearer ${tokens[actor]}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(key ? { 'idempotency-key': key } : {}) },
      body: body !== undefined ? JSON.stringify(body) : undefined,
      signal: AbortSignal.timeout(60_000),
    });
    const text = await res.text();
    const json = (text.startsWith('{') ? JSON.parse(text) : {}) as Record<string, unknown>;
    if (res.status >= 500) {
      const code = `${res.status} ${(json.error as { code?: string } | undefined)?.code ?? ''}`.trim();
      stats.status5xx[code] = (stats.status5xx[code] ?? 0) + 1;
      if ([502, 503, 504].includes(res.status)) return { kind: 'retry', why: code };
    }
    if (res.status >= 200 && res.status < 300) return { kind: 'ok', status: res.status, body: json };
    return { kind: 'error', status: res.status, code: (json.error as { code?: string } | undefined)?.code ?? String(res.status) };
  } catch (e) {
    stats.networkErrors++;
    return { kind: 'retry', why: (e as Error).message };
  }
}

/** Retries of one request before the client gives up on its application (about 5 minutes). */
const MAX_ATTEMPTS = 300;

/** Backoff before retry `attempt` (1, 2 …): 50 ms doubling up to 1 s, with jitter; throws past MAX_ATTEMPTS. */
function backoff(attempt: number): Promise<void> {
  if (attempt > MAX_ATTEMPTS) throw new Error(`gave up after ${MAX_ATTEMPTS} attempts`);
  return sleep(Math.min(1_000, 50 * 2 ** Math.min(attempt, 5)) * (0.5 + Math.random()));
}

/** Submits `app` until an answer; a retry carries the same Idempotency-Key and body. */
async function submit(app: App): Promise<void> {
  const body = { itemCode: ITEM, form: { road: `演示路 ${app.n} 号`, days: 7 }, materials: [], deliveryMethod: 'mail' };
  for (let attempt = 0; ; attempt++) {
    if (attempt > 0) (stats.retries++, await backoff(attempt));
    const t0 = performance.now();
    const r = await call('POST', '/api/v1/applications', 'citizen', body, app.key);
    if (r.kind === 'retry') continue;
    (latency.submit ??= []).push(performance.now() - t0);
    if (r.kind === 'error') throw new Error(`submit #${app.n}: ${r.status} ${r.code}`);
    app.id = String(r.body.id);
    app.version = Number(r.body.version);
    acks.push({ id: app.id, action: 'submit', version: app.version, status: String(r.body.status), afterKill: killed });
    return;
  }
}

/** The application's events as the clerk sees them (seq and action). */
async function events(app: App): Promise<{ seq: number; action: string }[]> {
  for (let attempt = 0; ; attempt++) {
    if (attempt > 0) await backoff(attempt);
    const r = await call('GET', `/api/v1/applications/${app.id}`, 'clerk');
    if (r.kind === 'ok') return r.body.events as { seq: number; action: string }[];
    if (r.kind === 'error') throw new Error(`read #${app.n}: ${r.status} ${r.code}`);
  }
}

/**
 * Takes one step of `app`'s plan until it is known to have happened: acknowledged (2xx), or found
 * among the events after a VERSION_CONFLICT (applied by an earlier attempt whose answer was lost).
 */
async function step(app: App, s: Step): Promise<void> {
  const url = `/api/v1/applications/${app.id}/actions/${s.action}`;
  const body = { ...(s.body ?? {}), version: app.version };
  const key = `${app.key}-v${app.version}`;
  const twice = Math.random() < DUPLICATE_RATE;
  for (let attempt = 0; ; attempt++) {
    if (attempt > 0) (stats.retries++, await backoff(attempt));
    const sends = twice && attempt === 0 ? 2 : 1;
    if (sends === 2) stats.duplicateSends++;
    const t0 = performance.now();
    const outcomes = await Promise.all(Array.from({ length: sends }, () => call('POST', url, s.actor, body, key)));
    const ok = outcomes.filter((o): o is Extract<Outcome, { kind: 'ok' }> => o.kind === 'ok');
    if (ok.length) (latency[s.action] ??= []).push(performance.now() - t0);
    for (const o of ok) acks.push({ id: app.id!, action: s.action, version: Number(o.body.version), status: String(o.body.status), afterKill: killed });
    if (ok.length) {
      app.version = Number(ok[0]!.body.version);
      return;
    }
    const errors = outcomes.filter((o): o is Extract<Outcome, { kind: 'error' }> => o.kind === 'error');
    if (errors.some((e) => e.code === 'VERSION_CONFLICT')) {
      const ev = (await events(app)).find((e) => e.seq === app.version + 1);
      if (ev?.action === s.action) {
        stats.recovered++;
        app.version = ev.seq;
        return;
      }
      throw new Error(`#${app.n} ${s.action}: VERSION_CONFLICT, and event ${app.version + 1} is ${ev?.action ?? 'missing'}`);
    }
    if (errors.length === outcomes.length) throw new Error(`#${app.n} ${s.action} at v${app.version}: ${errors.map((e) => `${e.status} ${e.code}`).join(', ')}`);
  }
}

/** Kills the server (SIGKILL) once KILL_AT of the planned transitions are acknowledged, and restarts it. */
async function killer(): Promise<void> {
  while (acks.length < planned * KILL_AT) await sleep(20);
  killed = true;
  killAt = acks.length;
  const down = Date.now();
  server!.kill('SIGKILL');
  await new Promise((r) => server!.once('exit', r));
  console.log(`  SIGKILL after ${killAt} acknowledged transitions; restarting…`);
  server = await startServer();
  downtimeMs = Date.now() - down;
  console.log(`  serving again after ${downtimeMs} ms`);
}

/** One client: takes the next application and walks it through its plan, until none are left. */
async function client(queue: { next: number }): Promise<void> {
  for (;;) {
    const app = apps[queue.next++];
    if (!app) return;
    try {
      await submit(app);
      for (const s of app.plan.steps) {
        await step(app, s);
        app.done++;
      }
    } catch (e) {
      app.failed = (e as Error).message;
      stats.unexpected.push(app.failed);
    }
  }
}

interface EventRow {
  application_id: string;
  seq: number;
  action: string;
  from_status: string | null;
  to_status: string;
}

/** Checks the database against the acknowledgements and the transition table. */
async function verify() {
  const db = new pg.Client({ connectionString: dbUrl });
  await db.connect();
  const rows = (await db.query<{ id: string; status: string; version: number; idempotency_key: string }>('SELECT id, status, version, idempotency_key FROM applications')).rows;
  const evRows = (await db.query<EventRow>('SELECT application_id, seq, action, from_status, to_status FROM application_events ORDER BY application_id, seq')).rows;
  const docRows = (await db.query<{ application_id: string; kind: string; n: string }>('SELECT application_id, kind, count(*) AS n FROM documents GROUP BY 1, 2')).rows;
  const decisionIds = new Set((await db.query<{ application_id: string }>('SELECT application_id FROM decisions')).rows.map((r) => r.application_id));
  await db.end();

  const eventsOf = new Map<string, EventRow[]>();
  for (const e of evRows) eventsOf.set(e.application_id, [...(eventsOf.get(e.application_id) ?? []), e]);
  const docsOf = new Map<string, Record<string, number>>();
  for (const d of docRows) docsOf.set(d.application_id, { ...(docsOf.get(d.application_id) ?? {}), [d.kind]: Number(d.n) });

  // every acknowledged transition: there, once, as the event the answer named
  let present = 0;
  let lost = 0;
  let duplicated = 0;
  const lostSamples: string[] = [];
  const seen = new Set<string>();
  for (const a of acks) {
    const k = `${a.id}#${a.version}`;
    if (seen.has(k)) {
      duplicated++; // two answers claimed the same transition
      continue;
    }
    seen.add(k);
    const ev = eventsOf.get(a.id)?.find((e) => e.seq === a.version);
    if (ev && ev.action === a.action && ev.to_status === a.status) present++;
    else (lost++, lostSamples.push(`${k} ${a.action}→${a.status}: ${ev ? `${ev.action}→${ev.to_status}` : 'missing'}`));
  }

  // no action more often than the plan has it; no application the clients did not create
  const byKey = new Map(apps.map((a) => [a.key, a]));
  let extraApplications = 0;
  const dupSamples: string[] = [];
  for (const r of rows) {
    const app = byKey.get(r.idempotency_key);
    if (!app || app.id !== r.id) {
      extraApplications++;
      continue;
    }
    const allowed = new Map<string, number>([['submit', 1]]);
    for (const s of app.plan.steps) allowed.set(s.action, (allowed.get(s.action) ?? 0) + 1);
    const counted = new Map<string, number>();
    for (const e of eventsOf.get(r.id) ?? []) counted.set(e.action, (counted.get(e.action) ?? 0) + 1);
    for (const [action, n] of counted) {
      if (n > (allowed.get(action) ?? 0)) (duplicated += n - (allowed.get(action) ?? 0), dupSamples.push(`${r.id} ${action} ×${n}`));
    }
  }
  duplicated += extraApplications;

  // the stored status and version are the replay of the events through the transition table,
  // and the documents and decision are those the events imply
  const DOCUMENT_OF: Partial<Record<string, string>> = { accept: 'acceptance_notice', request_supplement: 'supplement_notice', grant: 'grant_decision', deny: 'deny_decision' };
  let inconsistent = 0;
  const badSamples: string[] = [];
  for (const r of rows) {
    const evs = eventsOf.get(r.id) ?? [];
    const problems: string[] = [];
    let status: Status | null = null;
    evs.forEach((e, i) => {
      if (e.seq !== i + 1) problems.push(`seq ${e.seq} at position ${i + 1}`);
      if (i === 0) {
        if (e.action !== 'submit' || e.from_status !== null || e.to_status !== 'submitted') problems.push(`first event ${e.action}`);
        status = 'submitted';
        return;
      }
      if (e.from_status !== status) problems.push(`event ${e.seq} from ${e.from_status}, replay at ${status}`);
      const t = TRANSITIONS.find((x) => x.from === status && x.action === e.action && (x.to === e.to_status || (x.steps && x.from === e.to_status)));
      if (!t) problems.push(`event ${e.seq}: no transition ${status} --${e.action}--> ${e.to_status}`);
      status = e.to_status as Status;
    });
    if (status !== r.status) problems.push(`status ${r.status}, replay ${status}`);
    if (evs.length !== r.version) problems.push(`version ${r.version}, ${evs.length} events`);
    const expectedDocs: Record<string, number> = {};
    for (const e of evs) if (DOCUMENT_OF[e.action]) expectedDocs[DOCUMENT_OF[e.action]!] = (expectedDocs[DOCUMENT_OF[e.action]!] ?? 0) + 1;
    const docs = docsOf.get(r.id) ?? {};
    for (const kind of new Set([...Object.keys(docs), ...Object.keys(expectedDocs)])) if ((docs[kind] ?? 0) !== (expectedDocs[kind] ?? 0)) problems.push(`${docs[kind] ?? 0} ${kind}, events imply ${expectedDocs[kind] ?? 0}`);
    if (decisionIds.has(r.id) !== evs.some((e) => e.action === 'grant' || e.action === 'deny')) problems.push('decision record does not match the events');
    if (problems.length) (inconsistent++, badSamples.push(`${r.id}: ${problems.join('; ')}`));
  }

  const incomplete = apps.filter((a) => a.failed || a.done < a.plan.steps.length).length;
  const finalWrong = apps.filter((a) => a.id && rows.find((r) => r.id === a.id)?.status !== a.plan.final).length;
  const audit = cli('audit', 'verify');
  return { applications: rows.length, totalEvents: evRows.length, present, lost, duplicated, extraApplications, inconsistent, incomplete, finalWrong, audit, samples: { lost: lostSamples.slice(0, 5), duplicated: dupSamples.slice(0, 5), inconsistent: badSamples.slice(0, 5) } };
}

async function main() {
  console.log(`Crash test: ${apps.length} applications, ${planned} planned transitions, ${CLIENTS} clients, SIGKILL at ${Math.round(KILL_AT * 100)} % (server log: ${serverLog})`);
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${DB_NAME} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${DB_NAME}`);
  await admin.end();
  for (const args of [['migrate'], ['seed']]) {
    const r = cli(...args);
    if (r.code !== 0) throw new Error(`onewindow ${args.join(' ')} failed (${r.code}):\n${r.out}`);
    console.log(`  onewindow ${args.join(' ')}: ${r.out.split('\n')[0]}`);
  }
  server = await startServer();
  for (const who of ['citizen', 'clerk', 'reviewer', 'signatory'] as Actor[]) {
    const res = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: who, password: 'onewindow-demo' }) });
    if (res.status !== 200) throw new Error(`login ${who}: ${res.status} ${await res.text()}`);
    tokens[who] = ((await res.json()) as { token: string }).token;
  }

  const started = performance.now();
  const queue = { next: 0 };
  const progress = setInterval(() => console.log(`  ${acks.length} acknowledged, ${stats.retries} retries${killed ? ' (after the kill)' : ''}`), 10_000);
  const kill = killer();
  await Promise.all(Array.from({ length: CLIENTS }, () => client(queue)));
  clearInterval(progress);
  if (!killed) throw new Error('the run ended before the kill point');
  await kill;
  const seconds = (performance.now() - started) / 1000;
  server!.kill('SIGTERM');
  await new Promise((r) => server!.once('exit', r));

  const v = await verify();
  const applied = acks.length + stats.recovered;
  const result = {
    at: new Date().toISOString(),
    node: process.version,
    database: 'PostgreSQL (DATABASE_URL)',
    clients: CLIENTS,
    applications: apps.length,
    plannedTransitions: planned,
    acknowledged: acks.length,
    present: v.present,
    lost: v.lost,
    duplicated: v.duplicated,
    inconsistent: v.inconsistent,
    totalEvents: v.totalEvents,
    appliedWithoutAnswer: stats.recovered,
    incompleteApplications: v.incomplete,
    applicationsNotAtPlannedEnd: v.finalWrong,
    extraApplications: v.extraApplications,
    seconds: Math.round(seconds * 10) / 10,
    transitionsPerSecond: Math.round(applied / seconds),
    latencyMs: Object.fromEntries(
      Object.entries(latency).map(([action, ms]) => {
        const sorted = [...ms].sort((x, y) => x - y);
        const at = (q: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!);
        return [action, { n: ms.length, median: at(0.5), p95: at(0.95), max: at(1) }];
      }),
    ),
    kill: { afterAcknowledged: killAt, downtimeMs, acknowledgedAfterRestart: acks.filter((a) => a.afterKill).length },
    requests: stats.requests,
    retries: stats.retries,
    duplicateSends: stats.duplicateSends,
    networkErrors: stats.networkErrors,
    serverErrors: stats.status5xx,
    unexpected: stats.unexpected.slice(0, 10),
    auditVerify: { exitCode: v.audit.code, output: v.audit.out.split('\n') },
    samples: v.samples,
  };
  fs.mkdirSync(path.join(root, 'bench/results'), { recursive: true });
  fs.writeFileSync(path.join(root, 'bench/results/crash-test.json'), JSON.stringify(result, null, 2) + '\n');
  console.table({
    acknowledged: result.acknowledged,
    present: result.present,
    lost: result.lost,
    duplicated: result.duplicated,
    inconsistent: result.inconsistent,
    'total events': result.totalEvents,
    'applied, answer lost (recovered)': result.appliedWithoutAnswer,
    'incomplete applications': result.incompleteApplications,
    'transitions/s': result.transitionsPerSecond,
    seconds: result.seconds,
    'downtime ms': downtimeMs,
    'audit verify exit': v.audit.code,
  });
  const ok = v.lost === 0 && v.duplicated === 0 && v.inconsistent === 0 && v.incomplete === 0 && v.finalWrong === 0 && v.audit.code === 0 && acks.length + stats.recovered === planned;
  console.log(ok ? 'PASS: nothing lost, duplicated or inconsistent; every hash chain intact.' : 'FAIL: see bench/results/crash-test.json');
  process.exit(ok ? 0 : 1);
}

main().catch((e) => {
  console.error(e);
  server?.kill('SIGKILL');
  process.exit(2);
});
