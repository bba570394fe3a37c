/**
 * The runner of the API fuzz test (test/fuzz.int.test.ts, test/fuzz-2.int.test.ts): starts the
 * platform on PGlite, signs in the demo accounts, and defines one test per route of its shard.
 * The routes are dealt into two shards, one per test file, so that the two halves run on both
 * cores, each with its own database.
 *
 * The route list is the policy table (`app.policyTable`: every /api/v1 route and who may call
 * it) and each route's schemas come from the OpenAPI document (`app.swagger()`), so a new route
 * is fuzzed without touching the test. For every route fast-check generates FUZZ_RUNS (default
 * 1,000) malformed requests (test/support/fuzz.ts), and each is sent twice: as a signed-in demo
 * user of a role the route allows, and anonymously (or with a token of nobody).
 *
 * Every answer must be below 500 and carry `X-Content-Type-Options: nosniff`; every error must be
 * JSON `{ error: { code, message } }`. A failure prints the request, which fast-check first
 * shrinks to a small one. After each route the database's fingerprint (test/support/
 * fingerprint.ts: row counts and an MD5 of every table; what is left out and why is written
 * there) must be what it was before: malformed requests store nothing.
 */
import crypto from 'node:crypto';
import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../../src/modules/identity/roles.js';
import type { PolicyRow } from '../../src/platform/policy.js';
import { startTestApp, type TestApp } from './app.js';
import { dbFingerprint, fingerprintDiff } from './fingerprint.js';
import { describeRequest, requestArbitrary, type FuzzRequest, type FuzzRoute, type JsonSchema } from './fuzz.js';

/** Inputs per route; each is sent signed-in and anonymously. */
export const FUZZ_RUNS = Number(process.env.FUZZ_RUNS ?? 1000);

interface Operation {
  parameters?: { in: string; name: string; required?: boolean; schema?: JsonSchema }[];
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
}

type Route = FuzzRoute & { policy: PolicyRow['policy'] };

/** Every /api/v1 route with what the OpenAPI document says of its parameters and body. */
function routesOf(t: TestApp): Route[] {
  const doc = t.app.swagger() as unknown as { paths: Record<string, Record<string, Operation>> };
  return t.app.policyTable
    .filter((r) => r.url.startsWith('/api/v1/'))
    .map((r) => {
      const op = doc.paths[r.url.replace(/:(\w+)/g, '{$1}')]?.[r.method.toLowerCase()] ?? {};
      const params = op.parameters ?? [];
      return {
        method: r.method,
        url: r.url,
        policy: r.policy,
        pathParams: [...r.url.matchAll(/:(\w+)/g)].map((m) => m[1]!),
        query: params.filter((p) => p.in === 'query').map((p) => ({ name: p.name, schema: p.schema ?? {}, required: !!p.required })),
        body: op.requestBody?.content?.['application/json']?.schema,
        // any POST may be an idempotent create (config.idempotent is not in the document)
        idempotent: r.method === 'POST' || params.some((p) => p.in === 'header' && p.name === 'idempotency-key'),
      };
    });
}

/** The roles whose demo account may call a route of `policy`. */
function rolesFor(policy: PolicyRow['policy']): Role[] {
  return policy.allow === 'anyone' || policy.allow === 'signed-in' ? [...ROLES] : ROLES.filter((r) => (policy.allow as readonly string[]).includes(r));
}

/** Throws, naming the request, unless `res` is a well-formed answer below 500. */
function check(res: LightMyRequestResponse, req: FuzzRequest, as: string): void {
  const fail = (why: string): never => {
    throw new Error(`${why}\n  as ${as}: ${res.statusCode} ${res.headers['content-type'] ?? ''} ${res.body.slice(0, 400)}\n  request: ${describeRequest(req)}`);
  };
  if (res.statusCode >= 500) fail('5xx answer');
  if (res.headers['x-content-type-options'] !== 'nosniff') fail('no X-Content-Type-Options: nosniff');
  if (res.statusCode < 400) return;
  if (!String(res.headers['content-type']).startsWith('application/json')) fail('error answer is not JSON');
  let body: { error?: { code?: unknown; message?: unknown } } = {};
  try {
    body = res.json();
  } catch {
    fail('error body does not parse');
  }
  const { code, message } = body.error ?? {};
  if (typeof code !== 'string' || !/^[A-Z][A-Z0-9_]*$/.test(code) || typeof message !== 'string' || !message) fail('error body is not { error: { code, message } }');
}

/**
 * Defines the fuzz tests of shard `shard` (0-based) of `shards`: the routes at positions
 * `shard`, `shard + shards`, … of the policy table. Call at the top level of a test file.
 */
export async function fuzzShard(shard: number, shards: number): Promise<void> {
  // Test names must exist when the file is collected: the route list is read from a running app.
  const t = await startTestApp('pglite');
  const routes = routesOf(t).filter((_r, i) => i % shards === shard);
  const tokens = {} as Record<Role, string>;
  // Signing out is a change whatever the request carries: the fuzzer signs out a throwaway
  // session, which the fingerprint leaves out.
  let burner = '';
  let burnerHash = '';
  const summary: string[] = [];
  const startedAt = performance.now();
  const cpuAtStart = process.cpuUsage();

  beforeAll(async () => {
    for (const role of ROLES) tokens[role] = await t.login(role);
    burner = await t.login('citizen');
    burnerHash = crypto.createHash('sha256').update(burner).digest('hex');
  });
  afterAll(async () => {
    await t.close();
  });

  describe(`API fuzzing, part ${shard + 1} of ${shards}: malformed input never answers 5xx and never stores anything`, () => {
    it('finds the routes and their schemas', () => {
      expect(routes.length).toBeGreaterThan(15);
      expect(routes.filter((r) => r.body).length).toBeGreaterThan(5);
    });

    for (const route of routes) {
      it(`${route.method} ${route.url}`, { timeout: 600_000 }, async () => {
        const roles = rolesFor(route.policy);
        const statuses = new Map<number, number>();
        const isLogout = route.url === '/api/v1/auth/logout';
        const before = await dbFingerprint(t.database.db, { ignoreSessionTokenHashes: [burnerHash] });
        const cpu = process.cpuUsage();
        const started = performance.now();
        let sent = 0;
        await fc.assert(
          fc.asyncProperty(requestArbitrary(route), async (req) => {
            const role = roles[req.who % roles.length]!;
            const base = { method: req.method as 'GET', url: req.url, remoteAddress: req.remoteAddress, ...(req.payload !== undefined ? { payload: req.payload } : {}) };
            const signedIn = await t.app.inject({ ...base, headers: { ...req.headers, authorization: `Bearer ${isLogout ? burner : tokens[role]}` } });
            check(signedIn, req, role);
            const anonymous = await t.app.inject({ ...base, headers: { ...req.headers, ...(req.anonymousAuthorization ? { authorization: req.anonymousAuthorization } : {}) } });
            check(anonymous, req, 'anonymous');
            for (const s of [signedIn.statusCode, anonymous.statusCode]) statuses.set(s, (statuses.get(s) ?? 0) + 1);
            sent++;
          }),
          { numRuns: FUZZ_RUNS },
        );
        const after = await dbFingerprint(t.database.db, { ignoreSessionTokenHashes: [burnerHash] });
        expect(fingerprintDiff(before, after), 'stored data changed').toEqual({});
        const used = process.cpuUsage(cpu);
        const who = roles.length === ROLES.length ? 'any role' : roles.join('/');
        const codes = [...statuses].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`).join(' ');
        const line = `${route.method} ${route.url}: ${sent} inputs × 2 (as ${who}, and anonymous) in ${((performance.now() - started) / 1000).toFixed(1)} s (CPU ${((used.user + used.system) / 1e6).toFixed(1)} s) — ${codes}`;
        summary.push(line);
        console.log(`fuzz ${line}`);
      });
    }

    it('reports the inputs sent', () => {
      const cpu = process.cpuUsage(cpuAtStart);
      console.log(
        `fuzz part ${shard + 1}/${shards}: ${summary.length} routes × ${FUZZ_RUNS} inputs, each sent signed-in and anonymously, in ${((performance.now() - startedAt) / 1000).toFixed(0)} s (CPU ${((cpu.user + cpu.system) / 1e6).toFixed(0)} s)\n${summary.join('\n')}`,
      );
      expect(summary.length).toBe(routes.length);
    });
  });
}
