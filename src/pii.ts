/**
 * Sealing and re-sealing the personal numbers stored by every module (platform/pii-vault.ts):
 * accounts (identity), licences, application forms.
 *
 * - `plaintext` (start-up: `onewindow serve`, `migrate`, `seed`…): rows written before
 *   encryption, or by an older version, are sealed under the current key and their search hashes
 *   filled. SQL migrations cannot do this, as they do not hold the key. Fast when nothing is left:
 *   each module finds its rows through an indexed or cheap predicate.
 * - `rotate` (`onewindow pii rotate`): additionally re-seals every value under an older key,
 *   after `ONEWINDOW_PII_KEYS` gained a new current key; the old key can be dropped from the list
 *   once it has run.
 *
 * Both go in batches of rows, one transaction per batch, and are idempotent: a second run finds
 * nothing to do. A table that changed is vacuumed after, so the replaced row versions leave its
 * pages; write-ahead-log segments and backups taken before keep them until recycled or expired.
 */
import { sql } from 'drizzle-orm';
import type { Db } from './db/index.js';
import type { PiiVault } from './platform/pii-vault.js';
import { convertApplicationPii } from './modules/applications/pii.js';
import { convertUserPii } from './modules/identity/pii.js';
import { convertLicensePii } from './modules/licenses/pii.js';

/** Rows changed per table. */
export interface SealCounts {
  users: number;
  licenses: number;
  applications: number;
}

/**
 * Seals (or, rotating, re-seals) the stored personal numbers of every module.
 * @param opts.batchSize rows per transaction (default 500)
 * @param opts.onProgress called after each batch with the table and the rows changed in it so far
 * @returns the rows changed per table
 * @throws PiiVaultError when a stored value is under a key the keyring does not hold
 */
export async function sealPersonalData(
  db: Db,
  vault: PiiVault,
  opts: { mode: 'plaintext' | 'rotate'; batchSize?: number; onProgress?: (table: keyof SealCounts, changed: number) => void },
): Promise<SealCounts> {
  const pass = (table: keyof SealCounts) => ({ mode: opts.mode, batchSize: opts.batchSize ?? 500, onProgress: (n: number) => opts.onProgress?.(table, n) });
  const counts: SealCounts = {
    users: await convertUserPii(db, vault, pass('users')),
    licenses: await convertLicensePii(db, vault, pass('licenses')),
    applications: await convertApplicationPii(db, vault, pass('applications')),
  };
  // An UPDATE leaves the old row version (plaintext, or the old key's ciphertext) in the table
  // file until vacuumed: VACUUM (not FULL: no exclusive lock) prunes it from the pages.
  for (const table of Object.keys(counts) as (keyof SealCounts)[]) if (counts[table]) await db.execute(sql.raw(`VACUUM ${table}`));
  return counts;
}
