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

/** Whether `query` succeeds. */
function probe(query: () => Promise<unknown>): Promise<boolean> {
  return query().then(
    () => true,
    () => false,
  );
}

/**
 * Opens the database.
 * @param opts.databaseUrl  a `postgres://` URL; when absent, PGlite is used
 * @param opts.dataDir      PGlite's folder (created if missing); `memory://` for an in-memory database
 */
export async function openDatabase(opts: { databaseUrl?: string; dataDir?: string; poolSize?: number }): Promise<Database> {
  if (opts.databaseUrl) {
    const pg = await import('pg');
    const { drizzle } = await import('drizzle-orm/node-postgres');
    const { migrate } = await import('drizzle-orm/node-postgres/migrator');
    const pool = new pg.default.Pool({ connectionString: opts.databaseUrl, max: opts.poolSize ?? 10 });
    // An idle client losing its server must not crash the process; the pool replaces it.
    pool.on('error', () => {});
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
