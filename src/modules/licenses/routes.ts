import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import { requirePrincipal } from '../../platform/auth.js';
import { AppError, pickLang } from '../../platform/errors.js';
import { UPLOAD_LIMITS, uploadText, useUtf8JsonParser } from '../../platform/uploads.js';
import { getVisibleApplication } from '../applications/service.js';
import {
  accessLogOf,
  authorizeLicenseUse,
  importLicenses,
  LICENSE_REASON_LABELS,
  licenseUsage,
  listLicenseTypes,
  retrieveForApplication,
  revokeLicenseAuthorization,
  setLicenseStatus,
  verifyLicense,
  walletOf,
  type LicenseImportRow,
} from './service.js';
import { APPLICANT_ROLES, STAFF_ROLES } from '../identity/roles.js';

const ImportRow = z.object({
  type: z.string().max(60),
  holderIdNumber: z.string().max(18),
  holderName: z.string().max(200),
  data: z.record(z.string(), z.string().max(2000)).optional(),
  validFrom: z.string().max(10),
  validTo: z.string().max(10).nullable().optional(),
  identifier: z.string().max(120).optional(),
});

export const licenseRoutes: FastifyPluginAsyncZod = async (app) => {
  const issue = () => ({ masterKey: app.config.masterKey(), publicUrl: app.config.publicUrl });

  app.get('/licenses/types', { config: { policy: { allow: 'anyone', scope: 'public' } }, schema: { tags: ['licences'], summary: '电子证照类型 (the registry: issuer, holder kind, fields, validity)' } }, async () => ({ items: await listLicenseTypes(app.db) }));

  app.get('/licenses/mine', { config: { policy: { allow: APPLICANT_ROLES, scope: 'self' } }, schema: { tags: ['licences'], summary: '我的证照 (the holder\'s licence wallet, whole, with authorisations)' } }, async (req) => ({ items: await walletOf(app.db, requirePrincipal(req)) }));

  app.post(
    '/licenses/:id/authorizations',
    {
      config: { policy: { allow: APPLICANT_ROLES, scope: 'self' }, idempotent: true },
      schema: {
        tags: ['licences'],
        summary: '用证授权 (holder): for one application, or for a department and purpose, until validTo',
        params: z.object({ id: z.string().max(64) }),
        body: z.object({ applicationId: z.string().max(64).optional(), departmentCode: z.string().max(60).optional(), purpose: z.string().max(200).optional(), validTo: z.iso.datetime({ offset: true }) }),
      },
    },
    async (req, reply) => reply.code(201).send(await authorizeLicenseUse(app.db, requirePrincipal(req), req.params.id, req.body, app.config.now())),
  );

  app.post(
    '/license-authorizations/:id/revoke',
    { config: { policy: { allow: APPLICANT_ROLES, scope: 'self' } }, schema: { tags: ['licences'], summary: '撤回用证授权 (holder)', params: z.object({ id: z.string().max(64) }) } },
    async (req) => revokeLicenseAuthorization(app.db, requirePrincipal(req), req.params.id, app.config.now()),
  );

  app.get(
    '/licenses/:id/access-log',
    { config: { policy: { allow: APPLICANT_ROLES, scope: 'self' } }, schema: { tags: ['licences'], summary: '用证记录 (holder): who retrieved the licence, when, for what', params: z.object({ id: z.string().max(64) }) } },
    async (req) => ({ items: await accessLogOf(app.db, requirePrincipal(req), req.params.id) }),
  );

  // Imports arrive as CSV bytes or JSON: both must be UTF-8 text (415 UPLOAD_TYPE_MISMATCH for a
  // picture, a program or GBK bytes), at most 10 MB (413 beyond).
  app.addContentTypeParser('text/csv', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  useUtf8JsonParser(app);

  app.post(
    '/licenses/import',
    {
      config: { policy: { allow: ['admin'], scope: 'platform' } },
      bodyLimit: UPLOAD_LIMITS.licenses,
      // a CSV file is checked to be UTF-8 text and decoded before the schema sees it
      preValidation: async (req) => {
        if (Buffer.isBuffer(req.body)) req.body = await uploadText(req.body, 'csv');
      },
      schema: {
        tags: ['licences'],
        summary: '导入外部电子证照 (admin): JSON {rows:[…]} or CSV (columns type, holderIdNumber, holderName, validFrom, validTo, identifier, data.<field>…); rows checked one by one; 10 MB at most',
        body: z.union([z.string().max(10 * 1024 * 1024), z.object({ rows: z.array(ImportRow).max(10_000) })]),
      },
    },
    async (req) => {
      requirePrincipal(req);
      let rows: LicenseImportRow[];
      if (typeof req.body === 'string') {
        let records: Record<string, string>[];
        try {
          records = parse(req.body, { columns: true, skip_empty_lines: true, trim: true, bom: true });
        } catch {
          throw new AppError('BAD_REQUEST', { detail: { 'zh-CN': 'CSV 无法解析', en: 'the CSV cannot be parsed' } });
        }
        rows = records.map((r) => ({
          type: r.type ?? '',
          holderIdNumber: r.holderIdNumber ?? '',
          holderName: r.holderName ?? '',
          validFrom: r.validFrom ?? '',
          validTo: r.validTo || null,
          identifier: r.identifier || undefined,
          data: Object.fromEntries(Object.entries(r).filter(([k, v]) => k.startsWith('data.') && v).map(([k, v]) => [k.slice(5), v])),
        }));
      } else {
        rows = req.body.rows as LicenseImportRow[];
      }
      return importLicenses(app.db, rows, issue(), app.config.now());
    },
  );

  app.get(
    '/licenses/verify/:identifier',
    {
      config: { policy: { allow: 'anyone', scope: 'public' }, rateLimit: { max: 60, timeWindow: '1 minute' } },
      schema: {
        tags: ['licences'],
        summary: '电子证照核验 (public): authentic, unaltered, valid, not revoked or expired; 400 INVALID_IDENTIFIER for a malformed identifier or wrong check character, 404 for one not held',
        params: z.object({ identifier: z.string().max(200) }),
      },
    },
    async (req) => {
      const r = await verifyLicense(app.db, req.params.identifier, app.config.now());
      const lang = pickLang(req.headers['accept-language']);
      return { ...r, message: r.reason ? LICENSE_REASON_LABELS[r.reason][lang] : lang === 'en' ? 'Authentic and in force' : '证照真实有效' };
    },
  );

  app.post(
    '/licenses/:identifier/status',
    {
      config: { policy: { allow: ['signatory', 'admin'], scope: 'department' } },
      schema: {
        tags: ['licences'],
        summary: '注销、暂停或恢复证照 (signatory of the issuing department, admin)',
        params: z.object({ identifier: z.string().max(200) }),
        body: z.object({ status: z.enum(['valid', 'suspended', 'revoked']), reason: z.string().max(1000).default('') }),
      },
    },
    async (req) => setLicenseStatus(app.db, requirePrincipal(req), req.params.identifier, req.body, app.config.now()),
  );

  app.get(
    '/licenses/usage',
    {
      config: { policy: { allow: STAFF_ROLES, scope: 'region' } },
      schema: {
        tags: ['licences'],
        summary: '免证办统计: materials satisfied by an electronic licence, per item or per department',
        querystring: z.object({ by: z.enum(['item', 'department']).default('item') }),
      },
    },
    async (req) => {
      const p = requirePrincipal(req);
      if (p.kind !== 'staff') throw new AppError('FORBIDDEN');
      // the caller's region and below; admins the whole platform
      return { items: await licenseUsage(app.db, req.query.by, p.roles.includes('admin') ? null : (p.regionCode ?? '-')) };
    },
  );

  app.get(
    '/applications/:id/licenses',
    {
      config: { policy: { allow: 'signed-in', scope: 'case' } },
      schema: {
        tags: ['licences'],
        summary: '办件用证 (staff handling the application, the holder): the licences standing for its materials, verified; each retrieval is logged for the holder',
        params: z.object({ id: z.string().max(64) }),
      },
    },
    async (req) => {
      const p = requirePrincipal(req);
      const application = await getVisibleApplication(app.db, p, req.params.id);
      const handles = p.roles.some((r) => r === 'clerk' || r === 'reviewer' || r === 'signatory');
      if (!handles && application.applicantId !== p.id) throw new AppError('FORBIDDEN');
      return { items: await retrieveForApplication(app.db, p, application, app.config.now()) };
    },
  );
};
