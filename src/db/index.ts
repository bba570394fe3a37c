/**
 * Database connection: embedded PGlite (default) or a PostgreSQL server (`DATABASE_URL`),
 * one Drizzle schema and one folder of SQL migrations for both.
 */
import fs from 'node:fs';
import lockfile from 'proper-lockfile';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import * as schema from './schema.js';

export { schema };

/** A Drizzle database (or transaction) over either driver. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

/** Another process holds the embedded database folder. */
export class DataDirLockedError extends Error {
  constructor(readonly dataDir: string) {
    super(`The embedded database in ${dataDir} is in use by another OneWindow process; stop it first, or set ONEWINDOW_DATA_DIR to another folder.`);
    this.name = 'DataDirLockedError';
  }
}

export const MIGRATIONS_FOLDER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

export interface Database {
  db: Db;
  kind: 'pglite' | 'postgres';
  /** Applies every committed migration not yet applied. */
  migrate(): Promise<void>;
  /** Cheap liveness probe (`SELECT 1`). */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

/** The PGlite data-folder template prepared at install time for the installed version, if any. */
function templateFile(): string | undefined {
  try {
    const pkgDir = path.resolve(path.dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite')), '..');
    const { version } = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8')) as { version: string };
    const file = path.resolve(pkgDir, '../../.cache/onewindow', `pglite-${version}.tgz`);
    return fs.existsSync(file) ? file : undefined;
  } catch {
    return undefined;
  }
}

/** Whether `query` succeeds within `timeoutMs` (a probe that hangs counts as a failure). */
function probe(query: () => Promise<unknown>, timeoutMs = 2_000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
    timer.unref();
  });
  const answer = query().then(
    () => true,
    () => false,
  );
  return Promise.race([answer, late]).finally(() => clearTimeout(timer));
}

/** Error codes of a connection that could not be made or was lost (Node's socket errors). */
const CONNECTION_ERROR_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'ENOTFOUND', 'EAI_AGAIN']);

/**
 * PostgreSQL SQLSTATEs of a server that is unreachable for now: class 08 (connection exception),
 * 57P01–57P03 (admin or crash shutdown, cannot connect now) and 53300 (too many connections).
 */
const UNAVAILABLE_SQLSTATES = /^(08[0-9A-Z]{3}|57P0[123]|53300)$/;

/** What node-postgres and its pool say when a connection is lost, timed out or unusable. */
const CONNECTION_LOST_MESSAGES = /Connection terminated|timeout exceeded when trying to connect|is not queryable|Connection refused|Query read timeout/i;

/**
 * Whether `err` means the database server cannot be reached right now (connection refused, reset
 * or timed out, the server shutting down or refusing connections), as opposed to a failed query.
 * Looks through Drizzle's `DrizzleQueryError` (`cause`) and Node's `AggregateError` (`errors`).
 * Such a request answers 503 `DATABASE_UNAVAILABLE` with `Retry-After`; the pool reconnects on
 * the next request once the server is back.
 */
export function isDatabaseUnavailable(err: unknown, depth = 0): boolean {
  if (!err || typeof err !== 'object' || depth > 5) return false;
  const e = err as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
  if (typeof e.code === 'string' && (CONNECTION_ERROR_CODES.has(e.code) || UNAVAILABLE_SQLSTATES.test(e.code))) return true;
  // pg's own messages carry no code; a query's SQLSTATE error has one, so its text is not looked at
  if (e.code === undefined && typeof e.message === 'string' && CONNECTION_LOST_MESSAGES.test(e.message.split('\n')[0]!)) return true;
  if (Array.isArray(e.errors) && e.errors.some((x) => isDatabaseUnavailable(x, depth + 1))) return true;
  return isDatabaseUnavailable(e.cause, depth + 1);
}

/**
 * Opens the database.
 * @param opts.databaseUrl  a `postgres://` URL; when absent, PGlite is used
 * @param opts.dataDir      PGlite's folder (created if missing); `memory://` for an in-memory database
 * @param opts.poolSize     PostgreSQL: connections in the pool (default 10)
 * @param opts.connectTimeoutMs PostgreSQL: how long a request waits for a connection (a new one,
 *   or a free one of a busy pool) before it fails and answers 503 (default 5,000 ms)
 * @param opts.queryTimeoutMs PostgreSQL: how long a query may wait for the server's answer on an
 *   open connection before it fails and answers 503 (default 15,000 ms: a stalled network)
 *
 * On PostgreSQL the server may go away and come back: a lost connection fails only the queries
 * on it (no `error` event reaches the process unhandled), the pool drops it, and the next request
 * connects again.
 */
export async function openDatabase(opts: { databaseUrl?: string; dataDir?: string; poolSize?: number; connectTimeoutMs?: number; queryTimeoutMs?: number }): Promise<Database> {
  if (opts.databaseUrl) {
    const pg = await import('pg');
    const { drizzle } = await import('drizzle-orm/node-postgres');
    const { migrate } = await import('drizzle-orm/node-postgres/migrator');
    // query_timeout: a server that stops answering on an open connection (a stalled network)
    // fails the query after this long, so the request answers 503 instead of hanging
    const pool = new pg.default.Pool({ connectionString: opts.databaseUrl, max: opts.poolSize ?? 10, connectionTimeoutMillis: opts.connectTimeoutMs ?? 5_000, query_timeout: opts.queryTimeoutMs ?? 15_000, keepAlive: true });
    // An idle client losing its server must not crash the process; the pool replaces it.
    pool.on('error', () => {});
    // Nor may a checked-out one (a transaction between two queries): node-postgres emits `error`
    // on the client, and the pool listens only while the client is idle. Its queries fail
    // instead, and the pool drops the broken client when it is released.
    pool.on('connect', (client) => client.on('error', () => {}));
    const db = drizzle(pool, { schema }) as unknown as Db;
    return {
      db,
      kind: 'postgres',
      async migrate() {
        // One node migrates at a time when several start together.
        const client = await pool.connect();
        try {
          await client.query('SELECT pg_advisory_lock(4418020001)');
          await migrate(drizzle(client, { schema }), { migrationsFolder: MIGRATIONS_FOLDER });
        } finally {
          await client.query('SELECT pg_advisory_unlock(4418020001)').catch(() => {});
          client.release();
        }
      },
      ping: () => probe(() => pool.query('SELECT 1')),
      close: () => pool.end(),
    };
  }
  const { PGlite } = await import('@electric-sql/pglite');
  const { drizzle } = await import('drizzle-orm/pglite');
  const { migrate } = await import('drizzle-orm/pglite/migrator');
  const dataDir = opts.dataDir ?? 'memory://';
  let template: Blob | undefined;
  let release: (() => Promise<void>) | undefined;
  if (!dataDir.startsWith('memory://')) {
    fs.mkdirSync(dataDir, { recursive: true });
    // One process per embedded database: a second one would keep its own copy in memory and
    // writes of one would be lost to the other. A lock that is not refreshed for 10 s is stale
    // (its process died) and is taken over.
    release = await lockfile.lock(dataDir, { stale: 10_000, update: 2_000, lockfilePath: path.join(dataDir, 'onewindow.lock') }).catch((e: { code?: string }) => {
      if (e.code === 'ELOCKED') throw new DataDirLockedError(dataDir);
      throw e;
    });
    // A new folder is unpacked from the install-time template when there is one (see scripts/pglite-template.mjs).
    const file = templateFile();
    if (!fs.existsSync(path.join(dataDir, 'PG_VERSION')) && file) template = new Blob([fs.readFileSync(file)]);
  }
  const client = await PGlite.create(template ? { dataDir, loadDataDir: template } : { dataDir });
  const db = drizzle(client, { schema }) as unknown as Db;
  return {
    db,
    kind: 'pglite',
    migrate: () => migrate(db as never, { migrationsFolder: MIGRATIONS_FOLDER }),
    ping: () => probe(() => client.query('SELECT 1')),
    close: async () => {
      await client.close();
      await release?.();
    },
  };
}
