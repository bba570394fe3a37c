/**
 * The personal numbers of licences at rest: the holder's number (sealed, with its keyed search
 * hash), ID numbers and phones among the licence's fields (sealed one by one), and the sealed
 * canonical JSON (`content`, which repeats them: sealed whole; its SM3 digest and SM2 signature
 * stay over the plaintext, so verification opens it first). See platform/pii-vault.ts.
 */
import { and, asc, eq, gt, sql } from 'drizzle-orm';
import type { Db } from '../../db/index.js';
import { openFields, piiVault, sealFields, type PiiVault } from '../../platform/pii-vault.js';
import { needsSealing, type PiiPass } from '../identity/pii.js';
import { licenses } from './schema.js';

type LicenseRow = typeof licenses.$inferSelect;

/** The sealed fields of a licence, as `PiiVault` contexts. */
export const LICENSE_PII_FIELDS = { holderIdNumber: 'licenses.holder_id_number', data: 'licenses.data', content: 'licenses.content' } as const;

/** The stored form of a licence's personal columns: holder's number sealed and hashed, fields' numbers sealed, content sealed whole. */
export function sealLicenseColumns(vault: PiiVault, l: { holderIdNumber: string; data: Record<string, string>; content: string }) {
  return {
    holderIdNumber: vault.encrypt(l.holderIdNumber, LICENSE_PII_FIELDS.holderIdNumber),
    holderIdNumberHash: vault.hash('id', l.holderIdNumber),
    data: sealFields(vault, l.data, LICENSE_PII_FIELDS.data),
    content: vault.encrypt(l.content, LICENSE_PII_FIELDS.content),
  };
}

/**
 * A stored licence with its personal columns opened (for the holder's wallet, staff retrieving
 * it under an authorisation — callers log that — and seal verification, which shows nothing whole).
 * @throws PiiVaultError when a value is under a key the keyring lacks, or altered
 */
export function openLicense(l: LicenseRow, vault: PiiVault = piiVault()): LicenseRow {
  return {
    ...l,
    holderIdNumber: vault.open(l.holderIdNumber, LICENSE_PII_FIELDS.holderIdNumber)!,
    data: openFields(vault, l.data, LICENSE_PII_FIELDS.data),
    content: vault.open(l.content, LICENSE_PII_FIELDS.content)!,
  };
}

/** The search hash licences are found by for a holder's number. */
export function holderHash(idNumber: string): string {
  return piiVault().hash('id', idNumber)!;
}

/**
 * Seals the licences written before encryption (and, rotating, re-seals those under an older
 * key): holder's number, fields and content together, in batches of `pass.batchSize` in id order,
 * one transaction each; idempotent.
 * @returns the number of licences changed
 * @throws PiiVaultError when a value is under a key the keyring lacks
 */
export async function convertLicensePii(db: Db, vault: PiiVault, pass: PiiPass): Promise<number> {
  const pending = sql`(${needsSealing(licenses.holderIdNumber, vault, pass.mode)} OR ${needsSealing(licenses.content, vault, pass.mode)} OR ${licenses.holderIdNumberHash} IS NULL)`;
  let after = '00000000-0000-0000-0000-000000000000';
  let changed = 0;
  for (;;) {
    const n = await db.transaction(async (tx) => {
      const rows = await tx.select().from(licenses).where(and(gt(licenses.id, after), pending)).orderBy(asc(licenses.id)).limit(pass.batchSize).for('update');
      for (const r of rows) {
        const open = openLicense(r, vault);
        await tx.update(licenses).set(sealLicenseColumns(vault, open)).where(eq(licenses.id, r.id));
      }
      if (rows.length) after = rows[rows.length - 1]!.id;
      return rows.length;
    });
    changed += n;
    if (n) pass.onProgress?.(changed);
    if (n < pass.batchSize) return changed;
  }
}
