import { customType, index, pgSequence, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (v) => (Buffer.isBuffer(v) ? v : Buffer.from(v)),
});

/** Sequence behind document numbers (one series for all kinds; the kind is in the prefix). */
export const documentNumberSeq = pgSequence('document_number_seq', { startWith: 1 });

/**
 * Every notice and decision the platform issues (受理通知书, 不予受理通知书, 补正材料通知书,
 * 准予/不予行政许可决定书 …), sealed: the SM2 signature covers the document's canonical JSON
 * and, detached, the PDF's bytes. Rows are never deleted; revocation is recorded.
 */
export const documents = pgTable(
  'documents',
  {
    id: uuid('id').primaryKey(),
    /** public number, e.g. QCSL2026000001: printed, in the QR code and the verification URL */
    number: text('number').notNull().unique(),
    kind: text('kind').notNull(),
    applicationId: uuid('application_id').notNull(),
    departmentCode: text('department_code').notNull(),
    sealId: uuid('seal_id').notNull(),
    /** canonical JSON of the document's content */
    content: text('content').notNull(),
    contentSm3: text('content_sm3').notNull(),
    contentSignature: text('content_signature').notNull(),
    /**
     * the PDF, rendered from `content` on first need (download, verification) and then kept for
     * good; null until then (documents/service.ts `documentPdf`)
     */
    pdf: bytea('pdf'),
    /** SM3 of the PDF bytes and the detached SM2 signature over them by the same seal; null until rendered */
    pdfSm3: text('pdf_sm3'),
    pdfSignature: text('pdf_signature'),
    issuedAt: timestamp('issued_at', { withTimezone: true }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    revocationReason: text('revocation_reason'),
  },
  (t) => [index('documents_application_idx').on(t.applicationId), index('documents_pdf_sm3_idx').on(t.pdfSm3)],
);
