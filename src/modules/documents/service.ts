/**
 * Notices and decisions (文书): issued as sealed PDFs, listed on their application, and
 * verifiable by anyone by number (the QR code) or by the file's bytes.
 *
 * Each document is signed twice with its issuer's seal (SM2, SM3, default user ID): over its
 * content (canonical JSON) and, detached, over the SM3 digest of the PDF's bytes. A PDF that
 * differs by one byte from the issued one has another digest, and fails verification.
 */
import crypto from 'node:crypto';
import { and, asc, eq, getTableColumns, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../db/index.js';
import { shanghaiDate } from '../../platform/calendar.js';
import { canonicalJson } from '../../platform/canonical-json.js';
import { sm3Hex } from '../../platform/gm-crypto.js';
import { maskName } from '../../platform/personal-data.js';
import { findDepartment } from '../org/service.js';
import { seals } from '../seals/schema.js';
import { checkSeal, publicSeal, signWithSeal, signWithSealId, verifierFor } from '../seals/service.js';
import { renderDocumentPdf } from './pdf.js';
import { documents } from './schema.js';

/**
 * The kinds of documents, their titles and number prefixes. Legal anchors (行政许可法):
 * acceptance, non-acceptance and the one-time supplement notice (art. 32), extension (art. 42),
 * special procedures (art. 45), decisions (art. 37–38), revocation (art. 69); the correction
 * order follows a failed post-approval check of a commitment (告知承诺制).
 */
export const DOCUMENT_KINDS = {
  acceptance_notice: { title: '受理通知书', prefix: 'SL' },
  non_acceptance_notice: { title: '不予受理通知书', prefix: 'BSL' },
  supplement_notice: { title: '补正材料通知书', prefix: 'BZ' },
  extension_notice: { title: '延长审批期限告知书', prefix: 'YQ' },
  special_procedure_notice: { title: '特别程序告知书', prefix: 'TB' },
  grant_decision: { title: '准予行政许可决定书', prefix: 'ZY' },
  deny_decision: { title: '不予行政许可决定书', prefix: 'BY' },
  revocation_decision: { title: '撤销行政许可决定书', prefix: 'CX' },
  correction_order: { title: '责令限期整改通知书', prefix: 'ZG' },
} as const;
export type DocumentKind = keyof typeof DOCUMENT_KINDS;

/** A document number: QC + prefix + year + 6-digit serial, e.g. QCSL2026000001. */
const NUMBER_PATTERN = 'QC[A-Z]{2,3}\\d{10}';
export const DOCUMENT_NUMBER = new RegExp(`^${NUMBER_PATTERN}$`);
/** A document number anywhere in a file's bytes (the PDF's Info dictionary carries it). */
const NUMBER_IN_FILE = new RegExp(NUMBER_PATTERN);

/** The application facts a document prints. */
export interface DocumentSubject {
  id: string;
  number: string;
  itemCode: string;
  itemName: string;
  applicantName: string;
  applicantKind: string;
}

export interface IssueInput {
  kind: DocumentKind;
  application: DocumentSubject;
  /** the issuing authority, whose seal signs */
  departmentCode: string;
  /** the name printed as issuer, when not the department's own (a delegated item: 行政许可法 art. 24) */
  issuerName?: string;
  /** addressee line; defaults to the applicant's name */
  recipient?: string;
  paragraphs: string[];
  fields: { label: string; value: string }[];
  list?: { heading: string; entries: string[] };
}

/** Where documents are issued: the master key (seal private keys) and the public base URL. */
export interface IssueContext {
  masterKey: Buffer;
  publicUrl: string;
}

/** The public verification page of a document number. */
export function verificationUrl(publicUrl: string, number: string): string {
  return `${publicUrl}/verify/${number}`;
}

/**
 * Issues a document in the caller's transaction: numbers it, and signs its content (canonical
 * JSON) with the issuer's seal. The PDF is rendered apart from the transition, on first need
 * ({@link documentPdf}: download or verification), from the sealed content: rendering and signing
 * a PDF costs ~40 ms of CPU, which would otherwise stall every transition that issues a notice.
 * @returns `{ number, kind }`
 * @throws AppError SEAL_NOT_FOUND when the issuing department does not exist
 */
export async function issueDocument(tx: Db, input: IssueInput, ctx: IssueContext, now: Date): Promise<{ number: string; kind: DocumentKind }> {
  const def = DOCUMENT_KINDS[input.kind];
  const issuedDate = shanghaiDate(now);
  const { rows } = (await tx.execute(sql`SELECT nextval('document_number_seq')::text AS seq`)) as unknown as { rows: { seq: string }[] };
  const seq = rows[0]!.seq;
  const number = `QC${def.prefix}${issuedDate.slice(0, 4)}${String(seq).padStart(6, '0')}`;
  const issuerName = input.issuerName ?? (await findDepartment(tx, input.departmentCode))?.name ?? input.departmentCode;
  const content = canonicalJson({
    kind: input.kind,
    title: def.title,
    number,
    applicationNumber: input.application.number,
    itemCode: input.application.itemCode,
    itemName: input.application.itemName,
    recipient: input.recipient ?? input.application.applicantName,
    recipientKind: input.application.applicantKind,
    paragraphs: input.paragraphs,
    fields: input.fields,
    list: input.list ?? null,
    issuer: issuerName,
    issuedAt: now.toISOString(),
    issuedDate,
  });
  const signed = await signWithSeal(tx, input.departmentCode, [content], ctx.masterKey, now);
  await tx.insert(documents).values({
    id: crypto.randomUUID(),
    number,
    kind: input.kind,
    applicationId: input.application.id,
    departmentCode: input.departmentCode,
    sealId: signed.seal.id,
    content,
    contentSm3: sm3Hex(content),
    contentSignature: signed.signatures[0]!,
    issuedAt: now,
  });
  return { number, kind: input.kind };
}

/** The content of a document as {@link issueDocument} sealed it. */
interface SealedContent {
  title: string;
  number: string;
  recipient: string;
  paragraphs: string[];
  fields: { label: string; value: string }[];
  list: { heading: string; entries: string[] } | null;
  issuer: string;
  issuedDate: string;
}

/**
 * A document's PDF: the stored one, or — the first time — rendered from its sealed content (seal
 * picture, QR code of the verification URL, the issue time as creation date), its SM3 digest
 * signed by the seal that signed the content, and stored. Two callers racing both render; the
 * first stored file is the document's for good and both get it.
 * @returns the PDF's bytes and digest, or undefined for an unknown number
 */
export async function documentPdf(db: Db, number: string, ctx: IssueContext): Promise<{ pdf: Buffer; pdfSm3: string } | undefined> {
  const doc = await findDocument(db, number);
  if (!doc) return undefined;
  if (doc.pdf && doc.pdfSm3) return { pdf: doc.pdf, pdfSm3: doc.pdfSm3 };
  const c = JSON.parse(doc.content) as SealedContent;
  const [dept, [seal]] = await Promise.all([findDepartment(db, doc.departmentCode), db.select().from(seals).where(eq(seals.id, doc.sealId))]);
  const pdf = await renderDocumentPdf({
    title: c.title,
    numberLine: `文号：${c.number}`,
    documentNumber: c.number,
    recipient: `${c.recipient}：`,
    paragraphs: c.paragraphs,
    fields: c.fields,
    list: c.list ?? undefined,
    issuerName: c.issuer,
    issuedDate: c.issuedDate,
    seal: { name: dept?.name ?? c.issuer, purpose: seal?.purpose ?? '', code: seal?.esId ?? undefined },
    verifyUrl: verificationUrl(ctx.publicUrl, c.number),
    createdAt: doc.issuedAt,
  });
  const pdfSm3 = sm3Hex(pdf);
  const [pdfSignature] = await signWithSealId(db, doc.sealId, [pdfSm3], ctx.masterKey);
  const stored = await db
    .update(documents)
    .set({ pdf, pdfSm3, pdfSignature })
    .where(and(eq(documents.id, doc.id), isNull(documents.pdf)))
    .returning({ id: documents.id });
  if (stored.length) return { pdf, pdfSm3 };
  const again = await findDocument(db, number);
  return { pdf: again!.pdf!, pdfSm3: again!.pdfSm3! };
}

/** The documents of an application, in issue order, as the application detail lists them. */
export async function listDocuments(db: Db, applicationId: string) {
  const rows = await db
    .select({ number: documents.number, kind: documents.kind, issuedAt: documents.issuedAt, revokedAt: documents.revokedAt })
    .from(documents)
    .where(eq(documents.applicationId, applicationId))
    .orderBy(asc(documents.issuedAt), asc(documents.number));
  return rows.map((r) => ({
    number: r.number,
    kind: r.kind as DocumentKind,
    title: DOCUMENT_KINDS[r.kind as DocumentKind]?.title ?? r.kind,
    url: `/api/v1/documents/${r.number}/pdf`,
    issuedAt: r.issuedAt.toISOString(),
    revoked: r.revokedAt !== null,
  }));
}

/** A document's row by number, or undefined. */
export async function findDocument(db: Db, number: string) {
  if (!DOCUMENT_NUMBER.test(number)) return undefined;
  return (await db.select().from(documents).where(eq(documents.number, number)))[0];
}

/** Every column but the PDF's bytes (reading them is most of the cost of a lookup). */
const { pdf: _pdf, ...recordColumns } = getTableColumns(documents);

/** A document's record without its PDF bytes, by number, or undefined. */
async function findRecord(db: Db, number: string) {
  if (!DOCUMENT_NUMBER.test(number)) return undefined;
  return (await db.select(recordColumns).from(documents).where(eq(documents.number, number)))[0];
}

/**
 * Marks the application's documents of `kinds` revoked (e.g. the grant decision, when the
 * decision is revoked). Verification then answers `REVOKED`.
 * @returns how many were revoked
 */
export async function revokeDocuments(tx: Db, applicationId: string, kinds: DocumentKind[], reason: string, now: Date): Promise<number> {
  let n = 0;
  for (const kind of kinds) {
    const rows = await tx
      .update(documents)
      .set({ revokedAt: now, revocationReason: reason })
      .where(and(eq(documents.applicationId, applicationId), eq(documents.kind, kind), isNull(documents.revokedAt)))
      .returning({ id: documents.id });
    n += rows.length;
  }
  return n;
}

/** Why a document is not authentic; null when it is. */
export type VerifyReason =
  | 'NOT_FOUND'
  | 'ALTERED'
  | 'REVOKED'
  | 'DIGEST_MISMATCH'
  | 'SIGNATURE_INVALID'
  | 'SEAL_UNKNOWN'
  | 'SEAL_FORGED'
  | 'SEAL_NOT_VALID_AT_SIGNING';

type DocumentRow = Omit<typeof documents.$inferSelect, 'pdf'>;

/**
 * The key facts of a document for the public: what the holder's paper prints, with a natural
 * person's name masked (张**; an enterprise's registered name is public); no ID number, phone,
 * address or form data.
 */
function publicFacts(doc: DocumentRow, seal: ReturnType<typeof publicSeal> | null) {
  const c = JSON.parse(doc.content) as { title: string; applicationNumber: string; itemName: string; recipient: string; recipientKind: string; issuer: string; issuedDate: string };
  return {
    number: doc.number,
    kind: doc.kind as DocumentKind,
    title: c.title,
    applicationNumber: c.applicationNumber,
    itemName: c.itemName,
    holder: c.recipientKind === 'enterprise' ? c.recipient : maskName(c.recipient),
    issuer: c.issuer,
    issuedAt: doc.issuedAt.toISOString(),
    issuedDate: c.issuedDate,
    revokedAt: doc.revokedAt?.toISOString() ?? null,
    revocationReason: doc.revokedAt ? doc.revocationReason : null,
    // callers render a document before describing it (verifyByNumber, verifyPdf)
    pdfSm3: doc.pdfSm3 ?? '',
    /** the detached SM2 signature (r‖s hex, default user ID) over `pdfSm3` as text, by the seal's key */
    pdfSignature: doc.pdfSignature ?? '',
    seal: seal && { esId: seal.esId, name: seal.name, status: seal.status, validFrom: seal.validFrom, validTo: seal.validTo, retiredAt: seal.retiredAt, publicKey: seal.publicKey },
  };
}

export type VerifyResult = { valid: boolean; reason: VerifyReason | null; document: ReturnType<typeof publicFacts> | null };

/**
 * Checks a stored document: seal, content digest and signature, the signature over the PDF's
 * digest, revocation. (A held file is compared with that signed digest by {@link verifyPdf}.)
 */
async function checkStored(db: Db, doc: DocumentRow): Promise<VerifyResult> {
  const sealCheck = await checkSeal(db, doc.sealId, doc.issuedAt);
  const facts = publicFacts(doc, sealCheck.seal ? publicSeal(sealCheck.seal) : null);
  if (!sealCheck.valid) return { valid: false, reason: sealCheck.reason, document: facts };
  const verify = verifierFor(sealCheck.seal.publicKey);
  if (sm3Hex(doc.content) !== doc.contentSm3) return { valid: false, reason: 'DIGEST_MISMATCH', document: facts };
  if (!verify(doc.content, doc.contentSignature) || (doc.pdfSm3 !== null && !verify(doc.pdfSm3, doc.pdfSignature ?? ''))) return { valid: false, reason: 'SIGNATURE_INVALID', document: facts };
  if (doc.revokedAt) return { valid: false, reason: 'REVOKED', document: facts };
  return { valid: true, reason: null, document: facts };
}

/**
 * Verifies a document by its number (the QR code's target): authentic, unaltered, not revoked.
 * A document not yet rendered is rendered first, so the answer carries its PDF's digest.
 * @returns `{ valid, reason, document }`; `reason` is null when valid, `NOT_FOUND` for an unknown number
 */
export async function verifyByNumber(db: Db, number: string, ctx: IssueContext): Promise<VerifyResult> {
  let doc = await findRecord(db, number);
  if (doc && doc.pdfSm3 === null) {
    await documentPdf(db, number, ctx);
    doc = await findRecord(db, number);
  }
  if (!doc) return { valid: false, reason: 'NOT_FOUND', document: null };
  return checkStored(db, doc);
}

/**
 * Verifies a PDF someone holds: its SM3 digest must be that of an issued document (then the
 * stored document is checked as by number). A file whose digest matches none but which names a
 * document number is `ALTERED` (the facts of the document it claims to be are returned);
 * otherwise `NOT_FOUND`.
 */
export async function verifyPdf(db: Db, bytes: Buffer, ctx: IssueContext): Promise<VerifyResult> {
  const digest = sm3Hex(bytes);
  const [doc] = await db.select(recordColumns).from(documents).where(eq(documents.pdfSm3, digest));
  if (doc) return checkStored(db, doc);
  const claimed = NUMBER_IN_FILE.exec(bytes.toString('latin1'))?.[0];
  let original = claimed ? await findRecord(db, claimed) : undefined;
  if (!original) return { valid: false, reason: 'NOT_FOUND', document: null };
  if (original.pdfSm3 === null) {
    await documentPdf(db, original.number, ctx);
    original = (await findRecord(db, original.number))!;
  }
  return { valid: false, reason: 'ALTERED', document: publicFacts(original, null) };
}

/** Reasons in both languages, for the verification page and API clients. */
export const VERIFY_REASON_LABELS: Record<VerifyReason, { 'zh-CN': string; en: string }> = {
  NOT_FOUND: { 'zh-CN': '未找到该文书：编号不存在或文件并非本平台出具', en: 'No such document: unknown number, or not issued by this platform' },
  ALTERED: { 'zh-CN': '文件已被篡改：与出具时的文件不一致', en: 'The file was altered: it differs from the one issued' },
  REVOKED: { 'zh-CN': '文书已被撤销', en: 'The document has been revoked' },
  DIGEST_MISMATCH: { 'zh-CN': '存档文书摘要不符，可能被篡改', en: 'The stored document does not match its digest' },
  SIGNATURE_INVALID: { 'zh-CN': '电子签章验证失败', en: 'The seal signature does not verify' },
  SEAL_UNKNOWN: { 'zh-CN': '所用电子印章不存在', en: 'The seal used is unknown' },
  SEAL_FORGED: { 'zh-CN': '电子印章信息验证失败', en: 'The seal information does not verify' },
  SEAL_NOT_VALID_AT_SIGNING: { 'zh-CN': '签章时电子印章不在有效期内或已停用', en: 'The seal was not valid when the document was sealed' },
};
