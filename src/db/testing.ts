/**
 * Test helpers: a fresh, migrated database per test file, on PGlite (always) and on the
 * PostgreSQL server named by `DATABASE_URL` (when set; CI sets it).
 */
import crypto from 'node:crypto';
import pg from 'pg';
import { openDatabase, type Database } from './index.js';

export type Backend = 'pglite' | 'postgres';

/** The backends to run integration tests on: PGlite, plus PostgreSQL when `DATABASE_URL` is set. */
export function testBackends(): Backend[] {
  return process.env.DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];
}

/**
 * Opens a new empty database and migrates it. On PostgreSQL a database `ow_test_<random>` is
 * created on the server of `DATABASE_URL` and dropped by `close()`.
 */
export async function openTestDatabase(backend: Backend): Promise<Database> {
  if (backend === 'pglite') {
    const db = await openDatabase({ dataDir: 'memory://' });
    await db.migrate();
    return db;
  }
  const adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) throw new Error('DATABASE_URL is not set');
  const name = `ow_test_${crypto.randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const db = await openDatabase({ databaseUrl: url.toString(), poolSize: 8 });
  await db.migrate();
  return {
    ...db,
    async close() {
      await db.close();
      const a = new pg.Client({ connectionString: adminUrl });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  };
}
