/**
 * The personal numbers in applications at rest: ID numbers and phones among the form's values
 * (a clerk's or applicant's contact phone, a number a licence will print) are sealed one by one
 * (platform/pii-vault.ts, field `applications.form`); `pii_key_id` records the key the row was
 * sealed under, so the start-up conversion and `onewindow pii rotate` find their rows by index
 * rather than by reading every form. The request digest that guards idempotency keys is keyed too,
 * because the request it digests holds the applicant's numbers.
 */
import crypto from 'node:crypto';
import { and, asc, eq, gt, isNull, ne, or } from 'drizzle-orm';
import type { Db } from '../../db/index.js';
import { canonicalJson } from '../../platform/canonical-json.js';
import { maskFields, openFields, piiVault, sealFields, type PiiVault } from '../../platform/pii-vault.js';
import type { PiiPass } from '../identity/pii.js';
import { applications } from './schema.js';

/** The `PiiVault` context of form values. */
export const FORM_FIELD = 'applications.form';

/** A form as stored: its personal numbers sealed under the current key, and that key's id. */
export function sealForm(form: Record<string, unknown>): { form: Record<string, unknown>; piiKeyId: number } {
  const vault = piiVault();
  return { form: sealFields(vault, form, FORM_FIELD), piiKeyId: vault.currentKeyId };
}

/** A stored form opened whole (the applicant's own view, a licence printing a field). */
export function openForm(form: Record<string, unknown>): Record<string, unknown> {
  return openFields(piiVault(), form, FORM_FIELD);
}

/** A stored form for staff: personal numbers masked (`138****1234`, `4418**********1235`). */
export function maskedForm(form: Record<string, unknown>): Record<string, unknown> {
  return maskFields(openForm(form));
}

/**
 * The digest kept in `request_hash`: HMAC-SHA256 (the vault's hash key) of the SHA-256 hex of the
 * request's canonical JSON. The inner SHA-256 is what rows written before encryption hold, so the
 * conversion keys those in place and retries of old requests still match.
 */
export function requestDigest(input: unknown): string {
  return piiVault().digest(crypto.createHash('sha256').update(canonicalJson(input)).digest('hex'));
}

/**
 * Seals the forms of applications written before encryption (`pii_key_id` null; their
 * `request_hash` is keyed at the same time) and, rotating, re-seals those under an older key.
 * Batches of `pass.batchSize` in id order, one transaction each; idempotent.
 * @returns the number of applications changed
 * @throws PiiVaultError when a value is under a key the keyring lacks
 */
export async function convertApplicationPii(db: Db, vault: PiiVault, pass: PiiPass): Promise<number> {
  const pending = pass.mode === 'rotate' ? or(isNull(applications.piiKeyId), ne(applications.piiKeyId, vault.currentKeyId))! : isNull(applications.piiKeyId);
  let after = '00000000-0000-0000-0000-000000000000';
  let changed = 0;
  for (;;) {
    const n = await db.transaction(async (tx) => {
      const rows = await tx
        .select({ id: applications.id, form: applications.form, piiKeyId: applications.piiKeyId, requestHash: applications.requestHash })
        .from(applications)
        .where(and(gt(applications.id, after), pending))
        .orderBy(asc(applications.id))
        .limit(pass.batchSize)
        .for('update');
      for (const r of rows) {
        const form = sealFields(vault, openFields(vault, r.form, FORM_FIELD), FORM_FIELD);
        await tx
          .update(applications)
          .set({ form, piiKeyId: vault.currentKeyId, ...(r.piiKeyId === null ? { requestHash: vault.digest(r.requestHash) } : {}) })
          .where(eq(applications.id, r.id));
      }
      if (rows.length) after = rows[rows.length - 1]!.id;
      return rows.length;
    });
    changed += n;
    if (n) pass.onProgress?.(changed);
    if (n < pass.batchSize) return changed;
  }
}
