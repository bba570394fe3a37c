import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requirePrincipal } from '../../platform/auth.js';
import { shanghaiDate } from '../../platform/calendar.js';
import { AppError } from '../../platform/errors.js';
import { contentDispositionHeader } from '../../platform/uploads.js';
import type { Db } from '../../db/index.js';
import type { Principal } from '../identity/service.js';
import { findDepartment } from '../org/service.js';
import { exportWorkbook } from './export.js';
import { BREAKDOWNS, breakdown, CHANNELS, publicSummary, refreshStats, statsStale, summarize, type StatsFilter } from './service.js';

const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');
const Filter = z.object({
  from: IsoDate.optional().describe('first submission day (Asia/Shanghai), included; default 1 January of this year'),
  to: IsoDate.optional().describe('last submission day, included; default today'),
  departmentCode: z.string().min(1).max(60).optional().describe('the implementing department (实施主体)'),
  regionCode: z
    .string()
    .regex(/^\d{6}(\d{3}(\d{3})?)?$/, 'a 6, 9 or 12-digit division code')
    .optional()
    .describe('this region and the regions below it (district 6 digits, town 9, village 12)'),
  channel: z.enum(CHANNELS).optional(),
});

const RateSchema = z.object({ value: z.number().nullable().describe('numerator ÷ denominator, 0..1; null when the denominator is 0'), numerator: z.number(), denominator: z.number() });

/**
 * Who may see the statistics: admins and the approval bureau's signatories everything; a clerk her
 * region; a reviewer, or another department's signatory, his department.
 */
const STATS_ROLES = ['clerk', 'reviewer', 'signatory', 'admin'] as const;

/**
 * The filter a caller may use: defaults filled in; a clerk's region and a reviewer's department
 * are imposed when not given.
 * @throws AppError STATS_OUT_OF_SCOPE when the caller names a region or department outside theirs
 */
async function scopedFilter(db: Db, p: Principal, q: z.infer<typeof Filter>, now: Date): Promise<StatsFilter> {
  const today = shanghaiDate(now);
  const f: StatsFilter = { from: q.from ?? `${today.slice(0, 4)}-01-01`, to: q.to ?? today, departmentCode: q.departmentCode, regionCode: q.regionCode, channel: q.channel };
  const bureau = p.roles.includes('signatory') && p.departmentCode ? (await findDepartment(db, p.departmentCode))?.kind === 'approval_bureau' : false;
  const wide = p.roles.includes('admin') || bureau;
  if (!wide && p.roles.includes('clerk') && p.regionCode) {
    if (!f.regionCode) f.regionCode = p.regionCode;
    else if (!f.regionCode.startsWith(p.regionCode)) throw new AppError('STATS_OUT_OF_SCOPE', { what: { 'zh-CN': '区域', en: 'region' } });
  } else if (!wide && (p.roles.includes('reviewer') || p.roles.includes('signatory')) && p.departmentCode) {
    if (!f.departmentCode) f.departmentCode = p.departmentCode;
    else if (f.departmentCode !== p.departmentCode) throw new AppError('STATS_OUT_OF_SCOPE', { what: { 'zh-CN': '部门', en: 'department' } });
  }
  return f;
}

export const statsRoutes: FastifyPluginAsyncZod = async (app) => {
  /** Brings the rollup up to date when some day is dirty (the job does it every minute too). */
  const fresh = async () => {
    if (await statsStale(app.db)) await refreshStats(app.db, app.config.now());
  };
  const policy = { allow: [...STATS_ROLES], scope: 'region' } as const;

  app.get(
    '/stats/summary',
    {
      config: { policy },
      schema: {
        tags: ['stats'],
        summary:
          '统计汇总 (dashboard summary): the applications submitted in [from, to] — counts, and each rate with its numerator and denominator (formulas: docs/metrics.md); overdue and warning are the open cases now',
        querystring: Filter,
        response: {
          200: z.object({
            filter: z.object({ from: z.string(), to: z.string(), departmentCode: z.string().nullable(), regionCode: z.string().nullable(), channel: z.string().nullable() }),
            asOf: z.string(),
            counts: z.record(z.string(), z.number()),
            rates: z.record(z.string(), RateSchema),
            ratings: z.record(z.string(), z.number()),
            channels: z.record(z.string(), z.number()),
            catalog: z.object({
              items: z.number(),
              onlineAvailable: RateSchema,
              onlineDepth: z.record(z.string(), z.number()),
              timeLimitCompression: RateSchema,
              levels: z.record(z.string(), z.number()),
              immediateItems: z.number(),
              licenseFreeItems: z.number(),
            }),
          }),
        },
      },
    },
    async (req) => {
      const now = app.config.now();
      const f = await scopedFilter(app.db, requirePrincipal(req), req.query, now);
      await fresh();
      return summarize(app.db, f, now);
    },
  );

  app.get(
    '/stats/breakdown',
    {
      config: { policy },
      schema: {
        tags: ['stats'],
        summary: '分组统计 (breakdown): counts and rates per month, department, town (镇街), channel or item, for drill-down',
        querystring: Filter.extend({ by: z.enum(BREAKDOWNS) }),
      },
    },
    async (req) => {
      const now = app.config.now();
      const f = await scopedFilter(app.db, requirePrincipal(req), req.query, now);
      await fresh();
      return breakdown(app.db, req.query.by, f, now);
    },
  );

  app.get(
    '/stats/export.xlsx',
    {
      config: { policy },
      schema: { tags: ['stats'], summary: '导出统计 Excel (every table of the dashboard, one sheet each, with the formulas)', querystring: Filter },
    },
    async (req, reply) => {
      const now = app.config.now();
      const f = await scopedFilter(app.db, requirePrincipal(req), req.query, now);
      await fresh();
      const book = await exportWorkbook(app.db, f, now);
      return reply
        .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', contentDispositionHeader('attachment', `统计报表-${f.from}至${f.to}.xlsx`, `stats-${f.from}-${f.to}.xlsx`))
        .header('cache-control', 'private, no-store')
        .send(book);
    },
  );

  // The hall screen asks every minute from every screen: one computation per year per minute.
  const publicCache = new Map<number, { at: number; value: Awaited<ReturnType<typeof publicSummary>> }>();
  app.get(
    '/stats/public',
    {
      config: { policy: { allow: 'anyone', scope: 'public' }, rateLimit: { max: 120, timeWindow: '1 minute' } },
      schema: {
        tags: ['stats'],
        summary: '公开统计 (public, for the hall screen): the year\'s totals, completion, on-time and satisfaction rates, months, catalogue facts; no person, department or region named',
        querystring: z.object({ year: z.coerce.number().int().min(2000).max(2100).optional() }),
      },
    },
    async (req, reply) => {
      const now = app.config.now();
      const year = req.query.year ?? Number(shanghaiDate(now).slice(0, 4));
      const hit = publicCache.get(year);
      if (hit && now.getTime() - hit.at < 60_000 && now.getTime() >= hit.at) return reply.header('cache-control', 'public, max-age=60').send(hit.value);
      await fresh();
      const value = await publicSummary(app.db, year, now);
      publicCache.set(year, { at: now.getTime(), value });
      return reply.header('cache-control', 'public, max-age=60').send(value);
    },
  );
};
