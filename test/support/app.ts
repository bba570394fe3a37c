import crypto from 'node:crypto';
/**
 * Starts the platform for API tests: a fresh migrated database on the given backend, the
 * reference data and demo accounts seeded, and a clock the test controls.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config.js';
import type { Database } from '../../src/db/index.js';
import { openTestDatabase, type Backend } from '../../src/db/testing.js';
import { DEMO_PASSWORD, seedDemo, seedReference } from '../../src/seed.js';
import { piiVaultFor, usePiiVault } from '../../src/platform/pii-vault.js';

export interface TestApp {
  app: FastifyInstance;
  database: Database;
  /** what issuing documents needs (master key, public URL), for calling services directly */
  issue: { masterKey: Buffer; publicUrl: string };
  /** Sets the platform clock (an ISO instant); business timestamps use it. */
  setNow(iso: string): void;
  /** Logs in and returns the bearer token. */
  login(username: string, password?: string): Promise<string>;
  /** `app.inject` with a bearer token and a JSON body. */
  call(method: 'GET' | 'POST' | 'PUT', url: string, token?: string, body?: unknown, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

/**
 * @param opts.web serve the built web app too
 * @param opts.config settings to override in the configuration (e.g. `oidc`); the clock, the
 *   master key and the web folder stay the test's
 */
export async function startTestApp(backend: Backend, opts: { web?: boolean; config?: Partial<Config> } = {}): Promise<TestApp> {
  const database = await openTestDatabase(backend);
  await seedReference(database.db);
  let now = new Date('2026-09-30T02:00:00Z');
  const masterKey = crypto.randomBytes(32);
  // seeding seals ID numbers and phones: the keyring first (buildApp sets the same one again)
  usePiiVault(piiVaultFor({ masterKey: () => masterKey, piiKeys: opts.config?.piiKeys ?? null }));
  await seedDemo(database.db, { masterKey, now: new Date('2026-09-01T02:00:00Z') });
  const config: Config = { ...loadConfig({}), ...opts.config, now: () => now, masterKey: () => masterKey, webDist: opts.web ? loadConfig({}).webDist : null };
  const app = await buildApp(config, database, { logger: process.env.TEST_LOG ? { level: 'error' } : false });
  await app.ready();
  const call: TestApp['call'] = (method, url, token, body, headers = {}) =>
    app.inject({
      method,
      url,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
      ...(body !== undefined ? { payload: body as object } : {}),
    });
  return {
    app,
    database,
    issue: { masterKey, publicUrl: config.publicUrl },
    setNow: (iso) => {
      now = new Date(iso);
    },
    async login(username, password = DEMO_PASSWORD) {
      const res = await call('POST', '/api/v1/auth/login', undefined, { username, password });
      if (res.statusCode !== 200) throw new Error(`login ${username}: ${res.statusCode} ${res.body}`);
      return res.json().token as string;
    },
    call,
    async close() {
      await app.close();
      await database.close();
    },
  };
}
