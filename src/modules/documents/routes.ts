import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requirePrincipal } from '../../platform/auth.js';
import { AppError, pickLang } from '../../platform/errors.js';
import { errorResponses } from '../../platform/http.js';
import { contentDispositionHeader, sniffUpload, UPLOAD_LIMITS } from '../../platform/uploads.js';
import { getVisibleApplication } from '../applications/service.js';
import { DOCUMENT_KINDS, documentPdf, findDocument, VERIFY_REASON_LABELS, verifyByNumber, verifyPdf, type DocumentKind, type VerifyResult } from './service.js';

const VerifyResponse = z.object({
  valid: z.boolean(),
  reason: z.enum(['NOT_FOUND', 'ALTERED', 'REVOKED', 'DIGEST_MISMATCH', 'SIGNATURE_INVALID', 'SEAL_UNKNOWN', 'SEAL_FORGED', 'SEAL_NOT_VALID_AT_SIGNING']).nullable(),
  message: z.string(),
  document: z
    .object({
      number: z.string(),
      kind: z.string(),
      title: z.string(),
      applicationNumber: z.string(),
      itemName: z.string(),
      holder: z.string().nullable().describe('the addressee as printed; a natural person\'s name masked'),
      issuer: z.string(),
      issuedAt: z.string(),
      issuedDate: z.string(),
      revokedAt: z.string().nullable(),
      revocationReason: z.string().nullable(),
      pdfSm3: z.string(),
      pdfSignature: z.string().describe('detached SM2 signature (r‖s hex, user ID 1234567812345678) over pdfSm3 as text, by seal.publicKey'),
      seal: z
        .object({ esId: z.string().nullable(), name: z.string(), status: z.string(), validFrom: z.string(), validTo: z.string(), retiredAt: z.string().nullable(), publicKey: z.string() })
        .nullable(),
    })
    .nullable(),
});

/** Public verification is open to anyone; a per-address limit keeps numbers from being swept. */
const PUBLIC_LIMIT = { rateLimit: { max: 60, timeWindow: '1 minute' } };

export const documentRoutes: FastifyPluginAsyncZod = async (app) => {
  // The size limit is the verification route's bodyLimit (413 beyond).
  for (const type of ['application/pdf', 'application/octet-stream']) {
    app.addContentTypeParser(type, { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  }

  const issue = () => ({ masterKey: app.config.masterKey(), publicUrl: app.config.publicUrl });
  const withMessage = (r: VerifyResult, lang: 'zh-CN' | 'en') => ({ ...r, message: r.reason ? VERIFY_REASON_LABELS[r.reason][lang] : lang === 'en' ? 'Authentic, unaltered and in force' : '文书真实有效，未被篡改' });

  app.get(
    '/documents/:number/pdf',
    {
      config: { policy: { allow: 'signed-in', scope: 'case' } },
      schema: {
        tags: ['documents'],
        summary: '下载文书 PDF (a notice or decision of an application the caller may see)',
        params: z.object({ number: z.string().max(40) }),
      },
    },
    async (req, reply) => {
      const p = requirePrincipal(req);
      const doc = await findDocument(app.db, req.params.number);
      if (!doc) throw new AppError('DOCUMENT_NOT_FOUND', { number: req.params.number });
      await getVisibleApplication(app.db, p, doc.applicationId).catch(() => {
        throw new AppError('DOCUMENT_NOT_FOUND', { number: req.params.number });
      });
      return reply
        .type('application/pdf')
        // 受理通知书-QCSL2026000001.pdf (RFC 6266 filename*), QCSL2026000001.pdf for old clients
        .header('content-disposition', contentDispositionHeader('inline', `${DOCUMENT_KINDS[doc.kind as DocumentKind]?.title ?? '文书'}-${doc.number}.pdf`, `${doc.number}.pdf`))
        .header('cache-control', 'private, no-store')
        .send((await documentPdf(app.db, doc.number, issue()))!.pdf);
    },
  );

  app.get(
    '/verify/:number',
    {
      config: { ...PUBLIC_LIMIT, policy: { allow: 'anyone', scope: 'public' } },
      schema: {
        tags: ['documents'],
        summary: '文书核验 (public): is the document with this number authentic, unaltered and not revoked? Key facts without personal data',
        params: z.object({ number: z.string().max(40) }),
        response: { 200: VerifyResponse, ...errorResponses },
      },
    },
    async (req) => withMessage(await verifyByNumber(app.db, req.params.number, issue()), pickLang(req.headers['accept-language'])),
  );

  app.post(
    '/verify',
    {
      config: { ...PUBLIC_LIMIT, policy: { allow: 'anyone', scope: 'public' } },
      bodyLimit: UPLOAD_LIMITS.verifyPdf,
      schema: {
        tags: ['documents'],
        summary:
          '文书文件核验 (public): send the PDF\'s bytes (Content-Type application/pdf), 10 MB at most; a file altered by one byte fails; bytes that are not a PDF answer 415 UPLOAD_TYPE_MISMATCH',
        response: { 200: VerifyResponse, ...errorResponses },
      },
    },
    async (req) => {
      const body = req.body;
      if (!Buffer.isBuffer(body) || body.length === 0) throw new AppError('PDF_REQUIRED');
      await sniffUpload(body, 'pdf');
      return withMessage(await verifyPdf(app.db, body, issue()), pickLang(req.headers['accept-language']));
    },
  );
};
