/**
 * The personal numbers of accounts (users.id_number, users.phone): sealed at rest with the
 * process's keyring (platform/pii-vault.ts), found by their keyed search hash, opened whole for
 * the account itself, and for others only with a purpose, each such view logged
 * (audit/pii-views.ts). Also the start-up conversion of rows written before encryption and the
 * re-sealing under a new key (`onewindow pii rotate`).
 */
import crypto from 'node:crypto';
import { and, asc, eq, gt, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import type { Db } from '../../db/index.js';
import { piiVault, type PiiVault } from '../../platform/pii-vault.js';
import { recordPiiView, type PiiPurpose } from '../audit/pii-views.js';
import { users } from './schema.js';

/** The sealed fields of an account, as `PiiVault` contexts. */
export const USER_PII_FIELDS = { idNumber: 'users.id_number', phone: 'users.phone' } as const;

/** The column values that store an account's numbers: sealed values and their search hashes. */
export function sealUserPii(vault: PiiVault, u: { idNumber?: string | null; phone?: string | null }) {
  const idNumber = u.idNumber?.trim() ? u.idNumber.trim().toUpperCase() : null;
  const phone = u.phone?.trim() || null;
  return {
    idNumber: vault.seal(idNumber, USER_PII_FIELDS.idNumber),
    idNumberHash: vault.hash('id', idNumber),
    phone: vault.seal(phone, USER_PII_FIELDS.phone),
    phoneHash: vault.hash('phone', phone),
  };
}

/**
 * The username of an account opened at the window for an applicant who has none (it cannot sign
 * in until claimed): `p-` (person) or `e-` (enterprise) and 20 hex characters of the number's
 * keyed search hash — stable, so two clerks opening it at once make one account, and not
 * computable from a guessed number without the key.
 */
export function applicantUsername(vault: PiiVault, kind: 'person' | 'enterprise', idNumber: string): string {
  return `${kind === 'person' ? 'p' : 'e'}-${vault.hash('id', idNumber)!.slice(0, 20)}`;
}

/** The username such accounts had before encryption (SHA-256 of the number, unkeyed): renamed by the conversion. */
function legacyApplicantUsername(kind: string, idNumber: string): string {
  return `${kind === 'person' ? 'p' : 'e'}-${crypto.createHash('sha256').update(idNumber).digest('hex').slice(0, 20)}`;
}

/** The applicant account of `kind` holding `idNumber` (by its search hash), if any. */
export async function findUserByIdNumber(db: Db, kind: 'person' | 'enterprise', idNumber: string) {
  const [u] = await db
    .select()
    .from(users)
    .where(and(eq(users.kind, kind), eq(users.idNumberHash, piiVault().hash('id', idNumber)!)))
    .limit(1);
  return u;
}

/**
 * An account's ID number, opened, for the platform's own use (exemption categories, a licence's
 * holder): not shown to anyone by this function, so not logged. null when it has none.
 */
export async function idNumberOf(db: Db, userId: string): Promise<string | null> {
  const [u] = await db.select({ idNumber: users.idNumber }).from(users).where(eq(users.id, userId));
  return piiVault().open(u?.idNumber, USER_PII_FIELDS.idNumber);
}

/** An account's ID-number search hash (null when it has none): lookups of licences and the like. */
export async function idNumberHashOf(db: Db, userId: string): Promise<string | null> {
  const [u] = await db.select({ hash: users.idNumberHash }).from(users).where(eq(users.id, userId));
  return u?.hash ?? null;
}

/** The signed-in person's own numbers, whole (their profile; not logged: it is their own). */
export async function ownPersonalData(db: Db, userId: string): Promise<{ idNumber: string | null; phone: string | null }> {
  const [u] = await db.select({ idNumber: users.idNumber, phone: users.phone }).from(users).where(eq(users.id, userId));
  const vault = piiVault();
  return { idNumber: vault.open(u?.idNumber, USER_PII_FIELDS.idNumber), phone: vault.open(u?.phone, USER_PII_FIELDS.phone) };
}

/**
 * An account's numbers, whole, for `viewer` (already authorised by the caller) for `purpose`:
 * logged as a `pii.view` on the account's chain unless the viewer is the account itself.
 * @param record the record they are seen for, e.g. `application:<id>`
 */
export async function personalDataFor(
  db: Db,
  viewer: { id: string; displayName: string },
  userId: string,
  purpose: PiiPurpose,
  record: string | null,
  now: Date,
): Promise<{ idNumber: string | null; phone: string | null }> {
  const data = await ownPersonalData(db, userId);
  if (viewer.id !== userId) {
    const fields: string[] = [];
    if (data.idNumber) fields.push(USER_PII_FIELDS.idNumber);
    if (data.phone) fields.push(USER_PII_FIELDS.phone);
    if (fields.length) await recordPiiView(db, { actor: viewer, subject: `user:${userId}`, fields, purpose, record }, now);
  }
  return data;
}

/** How a conversion pass runs: `plaintext` seals only what is not sealed yet; `rotate` also re-seals values under an older key. */
export interface PiiPass {
  mode: 'plaintext' | 'rotate';
  /** rows per transaction */
  batchSize: number;
  /** called after each batch with the rows changed so far */
  onProgress?: (changed: number) => void;
}

/** SQL: the stored value `col` needs sealing (or re-sealing, when rotating). */
export function needsSealing(col: SQLWrapper, vault: PiiVault, mode: PiiPass['mode']): SQL {
  const pattern = mode === 'rotate' ? `^p${vault.currentKeyId}\\.` : '^p[0-9]+\\.';
  return sql`(${col} IS NOT NULL AND ${col} <> '' AND ${col} !~ ${pattern})`;
}

/**
 * Seals every account's numbers not sealed yet (and, rotating, those under an older key), fills
 * missing search hashes, and renames accounts opened at the window under the old unkeyed
 * username. Batches of `pass.batchSize` rows in id order, one transaction each; idempotent.
 * @returns the number of accounts changed
 * @throws PiiVaultError when a value is under a key the keyring lacks
 */
export async function convertUserPii(db: Db, vault: PiiVault, pass: PiiPass): Promise<number> {
  const pending = sql`(${needsSealing(users.idNumber, vault, pass.mode)} OR ${needsSealing(users.phone, vault, pass.mode)}
    OR (${users.idNumber} IS NOT NULL AND ${users.idNumber} <> '' AND ${users.idNumberHash} IS NULL)
    OR (${users.phone} IS NOT NULL AND ${users.phone} <> '' AND ${users.phoneHash} IS NULL))`;
  let after = '00000000-0000-0000-0000-000000000000';
  let changed = 0;
  for (;;) {
    const n = await db.transaction(async (tx) => {
      const rows = await tx.select().from(users).where(and(gt(users.id, after), pending)).orderBy(asc(users.id)).limit(pass.batchSize).for('update');
      for (const r of rows) {
        const idNumber = vault.open(r.idNumber, USER_PII_FIELDS.idNumber);
        const phone = vault.open(r.phone, USER_PII_FIELDS.phone);
        const legacy = idNumber && (r.kind === 'person' || r.kind === 'enterprise') && r.username === legacyApplicantUsername(r.kind, idNumber);
        await tx
          .update(users)
          .set({ ...sealUserPii(vault, { idNumber, phone }), ...(legacy ? { username: applicantUsername(vault, r.kind as 'person' | 'enterprise', idNumber) } : {}) })
          .where(eq(users.id, r.id));
      }
      if (rows.length) after = rows[rows.length - 1]!.id;
      return rows.length;
    });
    changed += n;
    if (n) pass.onProgress?.(changed);
    if (n < pass.batchSize) return changed;
  }
}
