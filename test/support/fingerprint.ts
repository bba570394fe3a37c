/**
 * A fingerprint of everything the platform stores, to check that refused requests changed
 * nothing: for every table of the `public` schema, its row count and the MD5 of all its rows as
 * text in a stable order (`md5(string_agg(t::text, '' ORDER BY t::text))`). Runs on PGlite and
 * PostgreSQL alike.
 *
 * What is left out, and why — only what a refused request may legitimately touch:
 * - `sessions.last_seen_at`: any signed-in request may refresh it (at most once a minute, for the
 *   idle limit); it is bookkeeping of the session, not data the request stored.
 * - sessions named in `ignoreSessionTokenHashes`: a throwaway session that a test revokes on
 *   purpose (sign-out is a change, whatever else the request carried).
 * Nothing else is left out. In particular `idempotency_records` stays in (a refused request must
 * free the key it claimed), as do `license_access_log` (views of a licence are logged only when a
 * real licence is shown, never for a refused request), `audit_events` (personal-data views are
 * logged only when a real record is shown), `users` (a wrong password for a real account counts
 * towards its lockout: the fuzzer never names a real account) and `api_tokens` (its
 * `last_used_at` moves only for a real machine token, which the fuzzer never sends).
 */
import { sql } from 'drizzle-orm';
import type { Db } from '../../src/db/index.js';

/** table name → `count:md5` */
export type Fingerprint = Record<string, string>;

async function rows<T>(db: Db, query: ReturnType<typeof sql>): Promise<T[]> {
  return ((await db.execute(query)) as unknown as { rows: T[] }).rows;
}

/**
 * The fingerprint of the database (see the module comment for what is left out).
 * @param opts.only just these tables (a test whose allowed calls log views or open sessions
 *   fingerprints the records it guards)
 */
export async function dbFingerprint(db: Db, opts: { ignoreSessionTokenHashes?: string[]; only?: readonly string[] } = {}): Promise<Fingerprint> {
  const all = (await rows<{ name: string }>(db, sql`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`)).map((r) => r.name);
  const tables = opts.only ? all.filter((t) => opts.only!.includes(t)) : all;
  const ignored = opts.ignoreSessionTokenHashes ?? [];
  const parts = tables.map((name) => {
    const source =
      name === 'sessions'
        ? sql`(SELECT to_jsonb(s) - 'last_seen_at' AS row FROM sessions s WHERE NOT (s.token_hash = ANY(${sql.raw(`ARRAY[${ignored.map((h) => `'${h.replace(/[^0-9a-f]/g, '')}'`).join(',')}]::text[]`)})))`
        : sql.raw(`"${name}"`);
    return sql`SELECT ${name}::text AS name, count(*)::text || ':' || coalesce(md5(string_agg(t::text, '' ORDER BY t::text)), '') AS print FROM ${source} t`;
  });
  const union = sql.join(parts, sql` UNION ALL `);
  const result: Fingerprint = {};
  for (const r of await rows<{ name: string; print: string }>(db, union)) result[r.name] = r.print;
  return result;
}

/** The tables whose fingerprints differ, with both prints; empty when nothing changed. */
export function fingerprintDiff(before: Fingerprint, after: Fingerprint): Record<string, [string | undefined, string | undefined]> {
  const diff: Record<string, [string | undefined, string | undefined]> = {};
  for (const k of new Set([...Object.keys(before), ...Object.keys(after)])) if (before[k] !== after[k]) diff[k] = [before[k], after[k]];
  return diff;
}
