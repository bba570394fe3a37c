import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses, Pagination } from '../../platform/http.js';
import { requirePrincipal } from '../../platform/auth.js';
import { AppError, pickLang, translate } from '../../platform/errors.js';
import { contentDispositionHeader, sniffUpload, UPLOAD_LIMITS, uploadFileName, XLSX_TYPE } from '../../platform/uploads.js';
import { exportCatalogCached, getExemptions, getItem, importCatalog, loadItemInputs, ONLINE_DEPTHS, saveItems, searchItems, setExemptions } from './service.js';
import { EXEMPTION_CATEGORIES, type ExemptionCategory } from './service-types.js';
import { CHANNELS, ItemCode, SERVICE_LEVELS } from './rules.js';

const ItemSummary = z.looseObject({
  code: z.string(),
  name: z.string(),
  type: z.string(),
  typeName: z.string(),
  departmentCode: z.string(),
  departmentName: z.string().nullable(),
  statutoryLimitDays: z.number().int().nullable().describe('法定时限，单位见 statutoryLimitUnit；null = 法律未规定或未知'),
  committedLimitDays: z.number().int().nullable().describe('承诺时限，单位见 committedLimitUnit；null = 时限待核实 (limitUnknown)'),
  onlineDepth: z.enum(ONLINE_DEPTHS),
  projectType: z.string(),
  requiredVisits: z.number().int(),
});

export const catalogRoutes: FastifyPluginAsyncZod = async (app) => {
  // Catalogue files arrive as the raw request body (admin upload), at most 10 MB (413 beyond).
  // Any other type reaches the import route as bytes too, which then names the right formats.
  for (const type of ['text/csv', XLSX_TYPE, '*']) {
    app.addContentTypeParser(type, { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  }

  app.post(
    '/catalog/import',
    {
      config: { policy: { allow: ['admin'], scope: 'platform' } },
      bodyLimit: UPLOAD_LIMITS.catalog,
      schema: {
        tags: ['catalog'],
        summary:
          '导入事项目录 (admin: import a catalogue file; body = the .csv (text/csv, UTF-8) or .xlsx file itself, 10 MB at most; the content must match the type: 415 UPLOAD_TYPE_MISMATCH otherwise; an optional Content-Disposition filename becomes the items\' source)',
        querystring: z.object({ createDepartments: z.enum(['true', 'false']).default('false'), regionCode: z.string().max(12).optional(), source: z.string().max(200).optional() }),
      },
    },
    async (req) => {
      const p = requirePrincipal(req);
      const type = String(req.headers['content-type'] ?? '').split(';')[0]!.trim();
      if (!Buffer.isBuffer(req.body) || (type !== 'text/csv' && type !== XLSX_TYPE)) throw new AppError('UNSUPPORTED_CATALOG_FILE');
      // the bytes must be what the type says: a renamed program or picture stops here
      const kind = (await sniffUpload(req.body, type === 'text/csv' ? 'csv' : 'xlsx')) as 'csv' | 'xlsx';
      return importCatalog(app.db, req.body, kind, {
        source: req.query.source ?? uploadFileName(req.headers['content-disposition']) ?? 'upload',
        createDepartments: req.query.createDepartments === 'true',
        regionCode: req.query.regionCode,
        actor: p,
        now: app.config.now(),
      });
    },
  );

  app.get(
    '/items/:code/exemptions',
    { config: { policy: { allow: 'anyone', scope: 'public' } }, schema: { tags: ['catalog'], summary: '豁免清单 (materials waived for categories of applicants)', params: z.object({ code: ItemCode }) } },
    async (req) => ({ items: await getExemptions(app.db, req.params.code) }),
  );

  app.put(
    '/items/:code/exemptions',
    {
      config: { policy: { allow: ['admin'], scope: 'platform' } },
      schema: {
        tags: ['catalog'],
        summary: '设置豁免清单 (admin): replaces the list',
        params: z.object({ code: ItemCode }),
        body: z.object({
          items: z
            .array(z.object({ materialId: z.number().int().positive(), category: z.enum(Object.keys(EXEMPTION_CATEGORIES) as [ExemptionCategory, ...ExemptionCategory[]]), basis: z.string().min(1).max(300) }))
            .max(200),
        }),
      },
    },
    async (req) => {
      const p = requirePrincipal(req);
      return { items: await setExemptions(app.db, req.params.code, req.body.items, p, app.config.now()) };
    },
  );

  app.put(
    '/items/:code',
    {
      config: { policy: { allow: ['admin'], scope: 'platform' } },
      schema: {
        tags: ['catalog'],
        summary: '新增或修改事项 (admin: save one item; the consistency rules are checked)',
        params: z.object({ code: ItemCode }),
        body: z.looseObject({}).describe('the item: see ServiceItemInput in src/modules/catalog/rules.ts and docs/api-v1.md'),
      },
    },
    async (req, reply) => {
      requirePrincipal(req);
      const item: Record<string, unknown> = { ...req.body, code: req.params.code };
      // GET /items/{code} withholds limitSource.note (the compiler's provenance remark): an item
      // read, edited and sent back whole has none, and the save must not erase the stored one.
      const sent = item.limitSource;
      if (sent === undefined || (typeof sent === 'object' && sent !== null && !Array.isArray(sent) && !('note' in sent))) {
        const note = (await loadItemInputs(app.db, [req.params.code])).get(req.params.code)?.limitSource.note;
        if (note !== undefined) item.limitSource = { ...(sent as object | undefined), note };
      }
      const { rejected } = await saveItems(app.db, [item], { actor: requirePrincipal(req), now: app.config.now() });
      if (rejected.length) {
        const lang = pickLang(req.headers['accept-language']);
        const reasons = rejected[0]!.reasons;
        if (reasons.every((r) => r.rule === 'SCHEMA')) {
          throw new AppError('VALIDATION_ERROR', { detail: { 'zh-CN': reasons.map((r) => r['zh-CN']).join('；'), en: reasons.map((r) => r.en).join('; ') } });
        }
        return reply.code(422).send({
          error: { code: 'ITEM_RULES_BROKEN', message: translate('ITEM_RULES_BROKEN', lang, { detail: reasons.map((r) => r[lang]).join(lang === 'en' ? '; ' : '；') }) },
          violations: reasons,
        });
      }
      return getItem(app.db, req.params.code);
    },
  );

  app.get('/catalog/export.xlsx', { config: { policy: { allow: 'anyone', scope: 'public' } }, schema: { tags: ['catalog'], summary: '导出事项目录与实施清单 (the catalogue and implementation list as Excel)' } }, async (_req, reply) => {
    const file = await exportCatalogCached(app.db);
    return reply.type(XLSX_TYPE).header('content-disposition', contentDispositionHeader('attachment', '事项目录与实施清单.xlsx', 'catalog.xlsx')).send(file);
  });

  app.get(
    '/items',
    {
      config: { policy: { allow: 'anyone', scope: 'public' } },
      schema: {
        tags: ['catalog'],
        summary: '事项检索 (search service items)',
        querystring: Pagination.extend({
          q: z.string().max(100).optional(),
          departmentCode: z.string().max(60).optional(),
          level: z.enum(SERVICE_LEVELS).optional(),
          channel: z.enum(CHANNELS).optional(),
          theme: z.string().max(40).optional(),
        }),
        response: { 200: z.object({ items: z.array(ItemSummary), total: z.number().int() }), ...errorResponses },
      },
    },
    async (req) => searchItems(app.db, req.query),
  );

  app.get(
    '/items/:code',
    {
      config: { policy: { allow: 'anyone', scope: 'public' } },
      schema: {
        tags: ['catalog'],
        summary: '办事指南 (the service guide of one item)',
        params: z.object({ code: z.string().max(120) }),
        response: {
          200: ItemSummary.extend({
            legalBasis: z.string(),
            limitSource: z.looseObject({}),
            materials: z.array(z.looseObject({ id: z.number().int(), name: z.string(), required: z.boolean() })),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => getItem(app.db, req.params.code),
  );
};
