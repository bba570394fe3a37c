/**
 * The single electronic seal (一章办理): each deciding department — above all the approval
 * bureau — holds one active seal; every decision document is signed with it (SM2 over the
 * document, SM3 digest recorded). Modelled on GB/T 38540 (seal = image + issuer + validity +
 * the signer's public key); the full seal structure, rotation and public verification come with
 * the seal issue. Old seals stay stored, so earlier decisions remain verifiable.
 */
import crypto from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { Db } from '../../db/index.js';
import { generateSm2KeyPair, sm2Sign, sm2Verify, sm3Hex } from '../../platform/gm-crypto.js';
import { open, seal as boxSeal } from '../../platform/secret-box.js';
import { findDepartment } from '../org/service.js';
import { seals } from './schema.js';

/** Validity of a newly made seal, in years. */
export const SEAL_VALIDITY_YEARS = 5;

/**
 * The department's active seal, made on first use (a new SM2 key pair, the private key
 * encrypted with `masterKey`). Safe under concurrent first uses (one active seal per department).
 */
export async function getActiveSeal(db: Db, departmentCode: string, masterKey: Buffer, now: Date) {
  const find = async () => (await db.select().from(seals).where(and(eq(seals.departmentCode, departmentCode), eq(seals.status, 'active'))))[0];
  const existing = await find();
  if (existing) return existing;
  const dept = await findDepartment(db, departmentCode);
  const keys = generateSm2KeyPair();
  const validTo = new Date(now);
  validTo.setUTCFullYear(validTo.getUTCFullYear() + SEAL_VALIDITY_YEARS);
  await db
    .insert(seals)
    .values({
      id: crypto.randomUUID(),
      departmentCode,
      name: `${dept?.name ?? departmentCode}行政审批专用章`,
      publicKey: keys.publicKey,
      privateKeyEnc: boxSeal(keys.privateKey, masterKey),
      validFrom: now,
      validTo,
      status: 'active',
      createdAt: now,
    })
    .onConflictDoNothing();
  return (await find())!;
}

/**
 * Seals a document text with the department's active seal.
 * @returns `{ sealId, sealName, digestSm3, signatureSm2 }` — digest is SM3(document) hex,
 *   signature is SM2 (r‖s hex) over the document with the default user ID
 */
export async function sealDocument(db: Db, departmentCode: string, document: string, masterKey: Buffer, now: Date) {
  const s = await getActiveSeal(db, departmentCode, masterKey, now);
  const privateKey = open(s.privateKeyEnc, masterKey);
  return { sealId: s.id, sealName: s.name, digestSm3: sm3Hex(document), signatureSm2: sm2Sign(document, privateKey, s.publicKey) };
}

/**
 * Verifies a sealed document: the seal exists, the SM3 digest matches and the SM2 signature is
 * valid under the seal's public key. Needs no private key.
 */
export async function verifySealedDocument(db: Db, sealed: { sealId: string; document: string; digestSm3: string; signatureSm2: string }) {
  const [s] = await db.select().from(seals).where(eq(seals.id, sealed.sealId));
  if (!s) return { valid: false, reason: 'SEAL_UNKNOWN' as const };
  if (sm3Hex(sealed.document) !== sealed.digestSm3) return { valid: false, reason: 'DIGEST_MISMATCH' as const };
  if (!sm2Verify(sealed.document, sealed.signatureSm2, s.publicKey)) return { valid: false, reason: 'SIGNATURE_INVALID' as const };
  return { valid: true, reason: null, sealName: s.name, departmentCode: s.departmentCode };
}
