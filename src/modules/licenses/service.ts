/**
 * Electronic licences (电子证照) and licence-free handling (免证办).
 *
 * - Types come from `data/licenses/license-types.json` (the 11 kinds of the reference district).
 * - A grant of an item with `resultLicenseType` issues a licence to the applicant, identified in
 *   the structure of GB/T 36904 and sealed (SM2 over its canonical JSON) by the issuing
 *   department; licences of other authorities are imported to stand for the national library.
 * - The holder sees their licences, authorises their use (for one application, or for a
 *   department and purpose, until a time) and sees every retrieval (用证记录).
 * - An applicant may satisfy a material with a licence of the material's type: the clerk and
 *   reviewers then retrieve it, verified, under that authorisation, and each retrieval is logged.
 * - Anyone verifies a licence by identifier; they see only the fields its type marks public,
 *   with ID numbers and personal names masked.
 * - The holder's number, ID numbers and phones among the fields, and the sealed content are
 *   stored encrypted (pii.ts); licences are found by the number's keyed hash. A whole view by
 *   anyone but the holder (retrieval for an application, issuance) is an audit `pii.view`.
 * Dates are Asia/Shanghai calendar dates.
 */
import crypto from 'node:crypto';
import { and, asc, desc, eq, gt, inArray, isNull, or, sql } from 'drizzle-orm';
import type { Db } from '../../db/index.js';
import { isIsoDate, shanghaiDate } from '../../platform/calendar.js';
import { canonicalJson } from '../../platform/canonical-json.js';
import { AppError } from '../../platform/errors.js';
import { isUuid } from '../../platform/ids.js';
import { sm3Hex } from '../../platform/gm-crypto.js';
import { isValidCitizenId, isValidUscc, maskId, maskName } from '../../platform/personal-data.js';
import { openFields, piiVault } from '../../platform/pii-vault.js';
import { recordPiiView } from '../audit/pii-views.js';
import { idNumberHashOf, idNumberOf } from '../identity/pii.js';
import { holderHash, LICENSE_PII_FIELDS, openLicense, sealLicenseColumns } from './pii.js';
import type { IssueContext } from '../documents/service.js';
import { applications } from '../applications/schema.js';
import { users } from '../identity/schema.js';
import { appendAudit } from '../audit/service.js';
import { departments } from '../org/schema.js';
import type { Principal } from '../identity/service.js';
import { checkSeal, signWithSeal, verifierFor } from '../seals/service.js';
import { withinRegion } from '../org/service.js';
import { InvalidIdentifierError, makeLicenseIdentifier, parseLicenseIdentifier } from './identifier.js';
import { licenseAccessLog, licenseAuthorizations, licenses, licenseTypes, type LicenseField } from './schema.js';

/** Issuer code of identifiers issued here: the district's division code (GB/T 36904 allows it locally). */
export const ISSUER_CODE = '441802';
/** Longest a holder's authorisation may last, in days (one year, as an application's own). */
export const MAX_AUTHORIZATION_DAYS = 366;
/** The department whose seal vouches for imported licences (the data bureau). */
export const IMPORT_SEAL_DEPARTMENT = 'QC-ZSJ';

type LicenseRow = typeof licenses.$inferSelect;
type TypeRow = typeof licenseTypes.$inferSelect;

export interface LicenseTypeInput {
  code: string;
  name: string;
  typeCode: string;
  definer: string;
  issuerName: string;
  issuerDepartmentCode: string | null;
  holderKind: 'person' | 'organization';
  fields: LicenseField[];
  validityYears: number | null;
  law: string;
}

/** Inserts or updates licence types (seed). */
export async function upsertLicenseTypes(db: Db, rows: LicenseTypeInput[]): Promise<void> {
  for (const r of rows) {
    await db.insert(licenseTypes).values(r).onConflictDoUpdate({ target: licenseTypes.code, set: { ...r } });
  }
}

/** Every licence type. */
export async function listLicenseTypes(db: Db) {
  return db.select().from(licenseTypes).orderBy(asc(licenseTypes.typeCode));
}

async function typeOf(db: Db, code: string): Promise<TypeRow | undefined> {
  return (await db.select().from(licenseTypes).where(eq(licenseTypes.code, code)))[0];
}

const addYears = (date: string, years: number) => `${Number(date.slice(0, 4)) + years}${date.slice(4)}`;

/** The next GB/T 36904 identifier of a type issued here: serial = year + 7-digit sequence number. */
async function nextIdentifier(tx: Db, type: TypeRow, today: string): Promise<string> {
  const { rows } = (await tx.execute(sql`SELECT nextval('license_serial_seq')::text AS seq`)) as unknown as { rows: { seq: string }[] };
  return makeLicenseIdentifier({ typeCode: type.typeCode, issuerCode: ISSUER_CODE, serial: `${today.slice(0, 4)}${rows[0]!.seq.padStart(7, '0')}`, version: '001' });
}

/** Seals and stores a licence (in the caller's transaction). */
async function storeLicense(
  tx: Db,
  l: { identifier: string; type: TypeRow; holderKind: string; holderIdNumber: string; holderName: string; issuerName: string; data: Record<string, string>; validFrom: string; validTo: string | null; source: 'issued' | 'import'; applicationId: string | null },
  sealDepartment: string,
  ctx: IssueContext,
  now: Date,
) {
  const content = canonicalJson({
    identifier: l.identifier,
    type: l.type.code,
    typeName: l.type.name,
    typeCode: l.type.typeCode,
    holderKind: l.holderKind,
    holderIdNumber: l.holderIdNumber,
    holderName: l.holderName,
    issuer: l.issuerName,
    data: l.data,
    validFrom: l.validFrom,
    validTo: l.validTo,
    issuedAt: now.toISOString(),
  });
  const { seal, signatures } = await signWithSeal(tx, sealDepartment, [content], ctx.masterKey, now);
  const row = {
    id: crypto.randomUUID(),
    identifier: l.identifier,
    typeCode: l.type.code,
    holderKind: l.holderKind,
    holderName: l.holderName,
    issuerName: l.issuerName,
    validFrom: l.validFrom,
    validTo: l.validTo,
    status: 'valid',
    source: l.source,
    applicationId: l.applicationId,
    contentSm3: sm3Hex(content),
    signature: signatures[0]!,
    sealId: seal.id,
    issuedAt: now,
  };
  // the holder's number, the fields' numbers and the content stored sealed (pii.ts)
  await tx.insert(licenses).values({ ...row, ...sealLicenseColumns(piiVault(), { holderIdNumber: l.holderIdNumber, data: l.data, content }) });
  await appendAudit(tx, { stream: `license:${row.id}`, kind: l.source === 'issued' ? 'license.issued' : 'license.imported', actor: null, payload: { identifier: row.identifier, type: row.typeCode, contentSm3: row.contentSm3, applicationId: row.applicationId } }, now);
  return row;
}

/**
 * Issues the licence a grant produces (called in the decision's transaction): to the applicant,
 * with the fields the application's form gives (by field key) and the holder's name and number.
 * Printing the holder's number opens it: logged as a `pii.view` (purpose `license_issuance`) by
 * `actor`, the one deciding.
 * @param app.form as stored (its personal numbers sealed)
 * @returns the identifier, or null when the item issues none or the applicant has no identifier
 */
export async function issueLicenseForGrant(
  tx: Db,
  app: { id: string; applicantId: string; applicantName: string; form: Record<string, unknown>; decisionDepartmentCode: string },
  typeCode: string | null,
  ctx: IssueContext,
  now: Date,
  actor: { id: string; displayName: string } | null = null,
): Promise<string | null> {
  if (!typeCode) return null;
  const type = await typeOf(tx, typeCode);
  const [kind] = await tx.select({ kind: users.kind }).from(users).where(eq(users.id, app.applicantId));
  const holder = kind ? { kind: kind.kind, idNumber: await idNumberOf(tx, app.applicantId) } : undefined;
  if (!type || !holder?.idNumber) return null;
  await recordPiiView(tx, { actor, subject: `user:${app.applicantId}`, fields: ['users.id_number'], purpose: 'license_issuance', record: `application:${app.id}` }, now);
  const today = shanghaiDate(now);
  const form = openFields(piiVault(), app.form, 'applications.form');
  const data: Record<string, string> = {};
  for (const f of type.fields) {
    const v = form[f.key];
    if (typeof v === 'string' || typeof v === 'number') data[f.key] = String(v);
  }
  data.name ??= app.applicantName;
  if (type.fields.some((f) => f.key === 'uscc') && holder.kind === 'enterprise') data.uscc ??= holder.idNumber;
  if (type.fields.some((f) => f.key === 'idNumber') && holder.kind === 'person') data.idNumber ??= holder.idNumber;
  const row = await storeLicense(
    tx,
    {
      identifier: await nextIdentifier(tx, type, today),
      type,
      holderKind: holder.kind === 'enterprise' ? 'organization' : 'person',
      holderIdNumber: holder.idNumber,
      holderName: app.applicantName,
      issuerName: type.issuerName,
      data,
      validFrom: today,
      validTo: type.validityYears ? addYears(today, type.validityYears) : null,
      source: 'issued',
      applicationId: app.id,
    },
    type.issuerDepartmentCode ?? app.decisionDepartmentCode,
    ctx,
    now,
  );
  return row.identifier;
}

/** Why an import row is refused: a stable rule code and the message in both languages. */
export interface ImportReason {
  rule: 'TYPE' | 'HOLDER_ID' | 'HOLDER_NAME' | 'DATES' | 'DATA' | 'IDENTIFIER' | 'DUPLICATE';
  'zh-CN': string;
  en: string;
}
const reason = (rule: ImportReason['rule'], zh: string, en: string): ImportReason => ({ rule, 'zh-CN': zh, en });

/** One row of a licence import (CSV columns or JSON keys). */
export interface LicenseImportRow {
  type: string;
  holderIdNumber: string;
  holderName: string;
  data?: Record<string, string>;
  validFrom: string;
  validTo?: string | null;
  /** the national library's identifier; generated when absent */
  identifier?: string;
}

/**
 * Imports licences of other authorities (standing for the national licence library). Each row
 * is checked: known type, the holder's number by its checksum (GB 11643 / GB 32100), dates, and
 * a given identifier by GB/T 36904 (shape, check character, type code). Valid rows are sealed by
 * the data bureau's seal and stored; each row is taken whole or not at all.
 * @returns `{ total, imported, rejected: [{ row (1-based), reasons: [{rule, zh-CN, en}] }] }`
 */
export async function importLicenses(db: Db, rows: LicenseImportRow[], ctx: IssueContext, now: Date) {
  const types = new Map((await listLicenseTypes(db)).map((t) => [t.code, t]));
  const rejected: { row: number; reasons: ImportReason[] }[] = [];
  let imported = 0;
  for (const [i, r] of rows.entries()) {
    const reasons: ImportReason[] = [];
    const type = types.get(String(r.type ?? ''));
    if (!type) reasons.push(reason('TYPE', r.type ? `证照类型 ${r.type} 不存在` : '缺少证照类型', r.type ? `No licence type ${r.type}` : 'The licence type is missing'));
    const id = String(r.holderIdNumber ?? '').trim().toUpperCase();
    if (type && (type.holderKind === 'person' ? !isValidCitizenId(id) : !isValidUscc(id))) reasons.push(type.holderKind === 'person' ? reason('HOLDER_ID', '持证人公民身份号码校验不通过', 'The holder\'s citizen ID number fails its check') : reason('HOLDER_ID', '持证单位统一社会信用代码校验不通过', 'The holder\'s credit code fails its check'));
    if (!String(r.holderName ?? '').trim()) reasons.push(reason('HOLDER_NAME', '缺少持证人名称', 'The holder\'s name is missing'));
    if (!isIsoDate(String(r.validFrom ?? ''))) reasons.push(reason('DATES', '有效期起始日期须为真实日期 YYYY-MM-DD', 'validFrom must be a real date, YYYY-MM-DD'));
    if (r.validTo && !isIsoDate(String(r.validTo))) reasons.push(reason('DATES', '有效期截止日期须为真实日期 YYYY-MM-DD', 'validTo must be a real date, YYYY-MM-DD'));
    else if (r.validTo && isIsoDate(String(r.validFrom ?? '')) && r.validTo < r.validFrom) reasons.push(reason('DATES', '有效期截止日期早于起始日期', 'validTo is before validFrom'));
    const missing = type ? type.fields.filter((f) => !String(r.data?.[f.key] ?? '').trim()).map((f) => f.label) : [];
    if (missing.length) reasons.push(reason('DATA', `缺少证照字段：${missing.join('、')}`, `Missing licence fields: ${type!.fields.filter((f) => missing.includes(f.label)).map((f) => f.key).join(', ')}`));
    if (r.identifier) {
      try {
        const parsed = parseLicenseIdentifier(r.identifier);
        if (type && parsed.typeCode !== type.typeCode) reasons.push(reason('IDENTIFIER', '证照标识中的类型代码与证照类型不符', 'The identifier\'s type code is not the licence type\'s'));
      } catch (e) {
        reasons.push(e instanceof InvalidIdentifierError && e.reason === 'check' ? reason('IDENTIFIER', '证照标识校验位错误', 'The identifier\'s check character is wrong') : reason('IDENTIFIER', '证照标识格式不符合 GB/T 36904', 'The identifier is not in the GB/T 36904 structure'));
      }
    }
    if (reasons.length || !type) {
      rejected.push({ row: i + 1, reasons });
      continue;
    }
    try {
      await db.transaction(async (tx) => {
        const identifier = r.identifier ? parseLicenseIdentifier(r.identifier).identifier : await nextIdentifier(tx, type, shanghaiDate(now));
        const data = Object.fromEntries(Object.entries(r.data ?? {}).map(([k, v]) => [k, String(v)]));
        await storeLicense(
          tx,
          { identifier, type, holderKind: type.holderKind, holderIdNumber: id, holderName: r.holderName.trim(), issuerName: type.issuerName, data, validFrom: r.validFrom, validTo: r.validTo ?? null, source: 'import', applicationId: null },
          IMPORT_SEAL_DEPARTMENT,
          ctx,
          now,
        );
      });
      imported++;
    } catch (e) {
      if (String((e as { code?: string }).code ?? (e as { cause?: { code?: string } }).cause?.code) !== '23505') throw e;
      rejected.push({ row: i + 1, reasons: [reason('DUPLICATE', '证照标识已存在', 'The identifier already exists')] });
    }
  }
  return { total: rows.length, imported, rejected };
}

/** Whether a licence can be used on `today`: valid status, within validity. */
export function usability(l: Pick<LicenseRow, 'status' | 'validFrom' | 'validTo'>, today: string): null | 'REVOKED' | 'SUSPENDED' | 'EXPIRED' | 'NOT_YET_VALID' {
  if (l.status === 'revoked') return 'REVOKED';
  if (l.status === 'suspended') return 'SUSPENDED';
  if (l.validTo && l.validTo < today) return 'EXPIRED';
  if (l.validFrom > today) return 'NOT_YET_VALID';
  return null;
}

/** Whether the sealed content is intact and its seal was valid when it sealed. @param l opened ({@link openLicense}) */
async function sealIntact(db: Db, l: LicenseRow): Promise<'DIGEST_MISMATCH' | 'SIGNATURE_INVALID' | 'SEAL_INVALID' | null> {
  if (sm3Hex(l.content) !== l.contentSm3) return 'DIGEST_MISMATCH';
  const seal = await checkSeal(db, l.sealId, l.issuedAt);
  if (!seal.valid) return 'SEAL_INVALID';
  if (!verifierFor(seal.seal.publicKey)(l.content, l.signature)) return 'SIGNATURE_INVALID';
  // the row's fields must be those sealed
  const c = JSON.parse(l.content) as { identifier: string; holderIdNumber: string; data: Record<string, string>; validTo: string | null };
  if (c.identifier !== l.identifier || c.holderIdNumber !== l.holderIdNumber || canonicalJson(c.data) !== canonicalJson(l.data) || c.validTo !== l.validTo) return 'DIGEST_MISMATCH';
  return null;
}

/** A licence whole, for its holder and for staff retrieving it under an authorisation. @param l opened ({@link openLicense}) */
function fullView(l: LicenseRow, type: TypeRow | undefined) {
  return {
    id: l.id,
    identifier: l.identifier,
    type: l.typeCode,
    typeName: type?.name ?? l.typeCode,
    holderKind: l.holderKind,
    holderName: l.holderName,
    holderIdNumber: l.holderIdNumber,
    issuerName: l.issuerName,
    fields: (type?.fields ?? []).map((f) => ({ key: f.key, label: f.label, value: l.data[f.key] ?? '' })),
    validFrom: l.validFrom,
    validTo: l.validTo,
    status: l.status as 'valid' | 'suspended' | 'revoked',
    statusReason: l.statusReason,
    source: l.source as 'issued' | 'import',
    issuedAt: l.issuedAt.toISOString(),
  };
}

/** The licences of the signed-in holder (by their ID number or USCC), whole, with their authorisations. */
export async function walletOf(db: Db, p: Principal) {
  const hash = await holderHashOf(db, p);
  if (!hash) return [];
  // the holder's own licences, opened whole for them (not logged: their own)
  const rows = (await db.select().from(licenses).where(eq(licenses.holderIdNumberHash, hash)).orderBy(desc(licenses.issuedAt))).map((l) => openLicense(l));
  const types = new Map((await listLicenseTypes(db)).map((t) => [t.code, t]));
  const auths = rows.length ? await db.select().from(licenseAuthorizations).where(inArray(licenseAuthorizations.licenseId, rows.map((r) => r.id))).orderBy(desc(licenseAuthorizations.createdAt)) : [];
  return rows.map((l) => ({
    ...fullView(l, types.get(l.typeCode)),
    authorizations: auths.filter((a) => a.licenseId === l.id).map(describeAuthorization),
  }));
}

function describeAuthorization(a: typeof licenseAuthorizations.$inferSelect) {
  return { id: a.id, applicationId: a.applicationId, departmentCode: a.departmentCode, purpose: a.purpose, validTo: a.validTo.toISOString(), createdAt: a.createdAt.toISOString(), revokedAt: a.revokedAt?.toISOString() ?? null };
}

/** The search hash of the caller's own ID number or USCC (licences are found by it); null for staff. */
async function holderHashOf(db: Db, p: Principal): Promise<string | null> {
  if (p.kind !== 'person' && p.kind !== 'enterprise') return null;
  return idNumberHashOf(db, p.id);
}

/**
 * The holder's licence by id.
 * @throws AppError LICENSE_NOT_FOUND (missing, or not the caller's)
 */
async function ownLicense(db: Db, p: Principal, licenseId: string): Promise<LicenseRow> {
  const hash = await holderHashOf(db, p);
  const [l] = hash && isUuid(licenseId) ? await db.select().from(licenses).where(and(eq(licenses.id, licenseId), eq(licenses.holderIdNumberHash, hash))) : [];
  if (!l) throw new AppError('LICENSE_NOT_FOUND');
  return l;
}

/**
 * The holder authorises the use of a licence: for one application (`applicationId`, theirs), or
 * for a department and purpose, until `validTo` (ISO instant, in the future).
 * @throws AppError LICENSE_NOT_FOUND, LICENSE_AUTHORIZATION_INVALID
 */
export async function authorizeLicenseUse(db: Db, p: Principal, licenseId: string, input: { applicationId?: string; departmentCode?: string; purpose?: string; validTo: string }, now: Date) {
  const l = await ownLicense(db, p, licenseId);
  const validTo = new Date(input.validTo);
  const bad = (zh: string, en: string) => new AppError('LICENSE_AUTHORIZATION_INVALID', { detail: { 'zh-CN': zh, en } });
  if (!(validTo > now)) throw bad('授权截止时间须晚于现在', 'The authorisation must end in the future');
  if (validTo.getTime() - now.getTime() > MAX_AUTHORIZATION_DAYS * 86_400_000) throw bad(`授权期限最长 ${MAX_AUTHORIZATION_DAYS} 天`, `An authorisation lasts at most ${MAX_AUTHORIZATION_DAYS} days`);
  if (!input.applicationId === !input.departmentCode) throw bad('须指定一个办件，或一个部门及用途', 'Name one application, or a department and a purpose');
  if (input.departmentCode && !input.purpose?.trim()) throw bad('按部门授权须写明用途', 'A department authorisation needs its purpose');
  // the application must be the holder's own, the department a known one (a malformed id was a 500)
  if (input.applicationId) {
    const [own] = isUuid(input.applicationId)
      ? await db.select({ id: applications.id }).from(applications).where(and(eq(applications.id, input.applicationId), eq(applications.applicantId, p.id)))
      : [];
    if (!own) throw bad('办件不存在，或不是您本人的办件', 'No such application of yours');
  }
  if (input.departmentCode && !(await db.select({ code: departments.code }).from(departments).where(eq(departments.code, input.departmentCode))).length) {
    throw bad('部门不存在', 'No such department');
  }
  const row = { id: crypto.randomUUID(), licenseId: l.id, holderId: p.id, applicationId: input.applicationId ?? null, departmentCode: input.departmentCode ?? null, purpose: (input.purpose ?? '').trim(), validTo, createdAt: now };
  await db.transaction(async (tx) => {
    await tx.insert(licenseAuthorizations).values(row);
    await appendAudit(tx, { stream: `license:${l.id}`, kind: 'license.authorized', actor: p, payload: { authorizationId: row.id, applicationId: row.applicationId, departmentCode: row.departmentCode, purpose: row.purpose, validTo: validTo.toISOString() } }, now);
  });
  return describeAuthorization({ ...row, revokedAt: null });
}

/**
 * The holder withdraws an authorisation now.
 * @throws AppError NOT_FOUND
 */
export async function revokeLicenseAuthorization(db: Db, p: Principal, id: string, now: Date) {
  const rows = isUuid(id)
    ? await db
        .update(licenseAuthorizations)
        .set({ revokedAt: now })
        .where(and(eq(licenseAuthorizations.id, id), eq(licenseAuthorizations.holderId, p.id), isNull(licenseAuthorizations.revokedAt)))
        .returning({ id: licenseAuthorizations.id, licenseId: licenseAuthorizations.licenseId })
    : [];
  if (!rows.length) throw new AppError('NOT_FOUND');
  await appendAudit(db, { stream: `license:${rows[0]!.licenseId}`, kind: 'license.authorization_revoked', actor: p, payload: { authorizationId: id } }, now);
  return { id, revokedAt: now.toISOString() };
}

/**
 * Who retrieved the holder's licence, when, for what (用证记录), newest first.
 * @throws AppError LICENSE_NOT_FOUND
 */
export async function accessLogOf(db: Db, p: Principal, licenseId: string) {
  const l = await ownLicense(db, p, licenseId);
  const rows = await db
    .select({ r: licenseAccessLog, applicationNumber: applications.number, itemName: applications.itemName })
    .from(licenseAccessLog)
    .leftJoin(applications, eq(applications.id, licenseAccessLog.applicationId))
    .where(eq(licenseAccessLog.licenseId, l.id))
    .orderBy(desc(licenseAccessLog.at), desc(licenseAccessLog.id));
  return rows.map(({ r, applicationNumber, itemName }) => ({ at: r.at.toISOString(), accessorName: r.accessorName, departmentCode: r.departmentCode, applicationId: r.applicationId, applicationNumber, itemName, purpose: r.purpose, verified: r.verified }));
}

/**
 * Checks the licences an applicant names for materials: each is theirs, usable today, and of the
 * material's licence type.
 * @returns per material id, the licence row
 * @throws AppError LICENSE_NOT_FOUND (not the applicant's), LICENSE_NOT_USABLE, LICENSE_TYPE_MISMATCH
 */
export async function checkLicensesForMaterials(db: Db, holderIdNumber: string | null, uses: { materialId: number; licenseId: string; licenseType: string | null; materialName: string }[], today: string) {
  const out = new Map<number, LicenseRow>();
  for (const u of uses) {
    const [l] = holderIdNumber && isUuid(u.licenseId) ? await db.select().from(licenses).where(and(eq(licenses.id, u.licenseId), eq(licenses.holderIdNumberHash, holderHash(holderIdNumber)))) : [];
    if (!l) throw new AppError('LICENSE_NOT_FOUND');
    const why = usability(l, today);
    if (why) throw new AppError('LICENSE_NOT_USABLE', { reason: LICENSE_REASON_LABELS[why] });
    if (l.typeCode !== u.licenseType) throw new AppError('LICENSE_TYPE_MISMATCH', { name: u.materialName });
    out.set(u.materialId, l);
  }
  return out;
}

/** Records the holder's authorisation of licences for one application (in the submission's transaction). */
export async function authorizeForApplication(tx: Db, holderId: string, applicationId: string, licenseIds: string[], now: Date) {
  const validTo = new Date(now.getTime() + 365 * 86_400_000);
  for (const licenseId of new Set(licenseIds)) {
    await tx.insert(licenseAuthorizations).values({ id: crypto.randomUUID(), licenseId, holderId, applicationId, departmentCode: null, purpose: '办件用证', validTo, createdAt: now });
  }
}

/**
 * Staff retrieve the licences an application uses, under the holder's authorisation for that
 * application (or for their department), each verified now; every retrieval is logged.
 * @param app the application, already checked visible to `p`
 * @returns per licence: the whole licence, whether it verified, and why not
 */
export async function retrieveForApplication(db: Db, p: Principal, app: { id: string; materials: unknown[] }, now: Date) {
  const uses = (app.materials as { materialId?: number; name?: string; licenseId?: string }[]).filter((m) => m.licenseId);
  if (!uses.length) return [];
  const types = new Map((await listLicenseTypes(db)).map((t) => [t.code, t]));
  const today = shanghaiDate(now);
  const out = [];
  for (const m of uses) {
    const [stored] = await db.select().from(licenses).where(eq(licenses.id, m.licenseId!));
    if (!stored) continue;
    const l = openLicense(stored);
    const [auth] = await db
      .select()
      .from(licenseAuthorizations)
      .where(
        and(
          eq(licenseAuthorizations.licenseId, l.id),
          isNull(licenseAuthorizations.revokedAt),
          gt(licenseAuthorizations.validTo, now),
          or(eq(licenseAuthorizations.applicationId, app.id), p.departmentCode ? eq(licenseAuthorizations.departmentCode, p.departmentCode) : sql`false`),
        ),
      )
      .limit(1);
    if (!auth) {
      out.push({ materialId: m.materialId ?? null, materialName: m.name ?? '', authorized: false as const, license: null, verified: false, reason: 'NOT_AUTHORIZED' as const });
      continue;
    }
    const reason = (await sealIntact(db, l)) ?? usability(l, today);
    // the holder looking at their own licence is not a use of it; anyone else's retrieval is
    // logged for the holder (用证记录) and, as it shows their numbers whole, as a pii.view
    if (auth.holderId !== p.id) {
      await db.insert(licenseAccessLog).values({ licenseId: l.id, accessorId: p.id, accessorName: p.displayName, departmentCode: p.departmentCode, applicationId: app.id, authorizationId: auth.id, purpose: auth.purpose || '办件用证', at: now, verified: reason === null });
      await recordPiiView(db, { actor: p, subject: `user:${auth.holderId}`, fields: [LICENSE_PII_FIELDS.holderIdNumber, LICENSE_PII_FIELDS.data], purpose: 'license_use', record: `license:${l.id}` }, now);
    }
    out.push({ materialId: m.materialId ?? null, materialName: m.name ?? '', authorized: true as const, license: fullView(l, types.get(l.typeCode)), verified: reason === null, reason });
  }
  return out;
}

/**
 * Changes a licence's status — `suspended` or `revoked` with a reason, or back to `valid` from
 * suspension — by a signatory of the issuing department or an administrator. A revocation is final.
 * @throws AppError INVALID_IDENTIFIER, LICENSE_NOT_FOUND, FORBIDDEN, LICENSE_STATUS_INVALID
 */
export async function setLicenseStatus(db: Db, p: Principal, identifier: string, input: { status: 'valid' | 'suspended' | 'revoked'; reason: string }, now: Date) {
  const l = await findByIdentifier(db, identifier);
  const type = await typeOf(db, l.typeCode);
  const issuer = type?.issuerDepartmentCode;
  if (!p.roles.includes('admin') && !(p.roles.includes('signatory') && issuer && p.departmentCode === issuer)) throw new AppError('FORBIDDEN');
  if (l.status === 'revoked') throw new AppError('LICENSE_STATUS_INVALID', { detail: { 'zh-CN': '已注销（吊销）的证照不能再变更状态', en: 'A revoked licence cannot change status again' } });
  if (input.status !== 'valid' && !input.reason.trim()) throw new AppError('COMMENT_REQUIRED', { action: { 'zh-CN': input.status === 'revoked' ? '注销证照' : '暂停证照', en: input.status === 'revoked' ? 'revoke a licence' : 'suspend a licence' } });
  await db.transaction(async (tx) => {
    await tx.update(licenses).set({ status: input.status, statusReason: input.status === 'valid' ? null : input.reason.trim(), statusChangedAt: now }).where(eq(licenses.id, l.id));
    await appendAudit(tx, { stream: `license:${l.id}`, kind: `license.${input.status}`, actor: p, payload: { identifier: l.identifier, from: l.status, to: input.status, reason: input.reason.trim() } }, now);
  });
  return { identifier: l.identifier, status: input.status, statusReason: input.status === 'valid' ? null : input.reason.trim(), statusChangedAt: now.toISOString() };
}

/**
 * A licence by identifier.
 * @throws AppError INVALID_IDENTIFIER (400: malformed, or wrong check character), LICENSE_NOT_FOUND (404: well-formed, not held)
 */
async function findByIdentifier(db: Db, identifier: string): Promise<LicenseRow> {
  let id: string;
  try {
    id = parseLicenseIdentifier(identifier).identifier;
  } catch (e) {
    const check = e instanceof InvalidIdentifierError && e.reason === 'check';
    throw new AppError('INVALID_IDENTIFIER', { detail: check ? { 'zh-CN': '校验位错误（ISO 7064 MOD 37,36）', en: 'wrong check character (ISO 7064 MOD 37,36)' } : { 'zh-CN': '不符合 GB/T 36904 结构', en: 'not in the GB/T 36904 structure' } });
  }
  const [l] = await db.select().from(licenses).where(eq(licenses.identifier, id));
  if (!l) throw new AppError('LICENSE_NOT_FOUND');
  return l;
}

/** Why a licence does not verify. */
export type LicenseReason = 'REVOKED' | 'SUSPENDED' | 'EXPIRED' | 'NOT_YET_VALID' | 'DIGEST_MISMATCH' | 'SIGNATURE_INVALID' | 'SEAL_INVALID';

export const LICENSE_REASON_LABELS: Record<LicenseReason, { 'zh-CN': string; en: string }> = {
  REVOKED: { 'zh-CN': '证照已注销', en: 'the licence is revoked' },
  SUSPENDED: { 'zh-CN': '证照已暂停使用', en: 'the licence is suspended' },
  EXPIRED: { 'zh-CN': '证照已过有效期', en: 'the licence has expired' },
  NOT_YET_VALID: { 'zh-CN': '证照尚未生效', en: 'the licence is not yet valid' },
  DIGEST_MISMATCH: { 'zh-CN': '证照数据与签章时不一致', en: 'the licence data differ from what was sealed' },
  SIGNATURE_INVALID: { 'zh-CN': '证照电子签章验证失败', en: 'the licence seal signature does not verify' },
  SEAL_INVALID: { 'zh-CN': '签章所用电子印章无效', en: 'the seal used is not valid' },
};

/**
 * Public verification of a licence by identifier (the QR code's content): authentic (sealed
 * content intact), in force (not revoked, suspended or expired). Shows the fields the type marks
 * public; personal ones (names, ID numbers) masked.
 * @returns `{ valid, reason, license }`
 * @throws AppError INVALID_IDENTIFIER (400), LICENSE_NOT_FOUND (404)
 */
export async function verifyLicense(db: Db, identifier: string, now: Date) {
  // opened to check the seal and mask: nothing personal leaves whole
  const l = openLicense(await findByIdentifier(db, identifier));
  const type = await typeOf(db, l.typeCode);
  const reason: LicenseReason | null = (await sealIntact(db, l)) ?? usability(l, shanghaiDate(now));
  const mask = (f: LicenseField, v: string) => (!f.personal ? v : /^[0-9A-Z]{15,18}$/.test(v) ? (maskId(v) ?? '') : (maskName(v) ?? ''));
  return {
    valid: reason === null,
    reason,
    license: {
      identifier: l.identifier,
      typeName: type?.name ?? l.typeCode,
      issuerName: l.issuerName,
      holderName: l.holderKind === 'organization' ? l.holderName : maskName(l.holderName),
      holderIdNumber: maskId(l.holderIdNumber),
      fields: (type?.fields ?? []).filter((f) => f.public).map((f) => ({ key: f.key, label: f.label, value: mask(f, l.data[f.key] ?? '') })),
      validFrom: l.validFrom,
      validTo: l.validTo,
      status: l.status,
      statusReason: l.status === 'valid' ? null : l.statusReason,
      issuedAt: l.issuedAt.toISOString(),
    },
  };
}

/**
 * How many submitted materials were satisfied by an electronic licence (免证办), per item or per
 * department, most first.
 * @param regionCode only applications handled in this region and the regions below it (division
 *   code prefix); null for the whole platform (admins)
 */
export async function licenseUsage(db: Db, by: 'item' | 'department', regionCode: string | null = null) {
  const key = by === 'item' ? sql`a.item_code` : sql`a.department_code`;
  const { rows } = (await db.execute(sql`
    SELECT ${key} AS key, MIN(a.item_name) AS item_name, COUNT(*)::int AS materials, COUNT(DISTINCT a.id)::int AS applications
    FROM applications a, jsonb_array_elements(a.materials) m
    WHERE m ? 'licenseId' AND ${regionCode === null ? sql`true` : withinRegion(sql`a.region_code`, regionCode)}
    GROUP BY ${key}
    ORDER BY COUNT(*) DESC, ${key}`)) as unknown as { rows: { key: string; item_name: string; materials: number; applications: number }[] };
  return rows.map((r) => ({ [by === 'item' ? 'itemCode' : 'departmentCode']: r.key, ...(by === 'item' ? { itemName: r.item_name } : {}), materials: Number(r.materials), applications: Number(r.applications) }));
}

/** Licences issued for an application (its result), for the application's detail. */
export async function licensesIssuedFor(db: Db, applicationId: string) {
  return db.select({ identifier: licenses.identifier, typeCode: licenses.typeCode, status: licenses.status }).from(licenses).where(eq(licenses.applicationId, applicationId));
}
