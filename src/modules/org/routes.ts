import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses } from '../../platform/http.js';
import { getRegion, listDepartments, listHalls, REGION_LEVELS } from './service.js';

const RegionRef = z.object({ code: z.string(), name: z.string(), level: z.enum(REGION_LEVELS) });

export const orgRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/regions/:code',
    {
      config: { policy: { allow: 'anyone', scope: 'public' } },
      schema: {
        tags: ['org'],
        summary: '行政区划及其下级 (a region and its children)',
        params: z.object({ code: z.string().regex(/^\d{2,12}$/, 'division code of 2–12 digits') }),
        response: { 200: RegionRef.extend({ parentCode: z.string().nullable(), children: z.array(RegionRef) }), ...errorResponses },
      },
    },
    async (req) => getRegion(app.db, req.params.code),
  );

  app.get('/departments', { config: { policy: { allow: 'anyone', scope: 'public' } }, schema: { tags: ['org'], summary: '部门列表 (departments)' } }, async () => ({ items: await listDepartments(app.db) }));

  app.get('/halls', { config: { policy: { allow: 'anyone', scope: 'public' } }, schema: { tags: ['org'], summary: '政务服务大厅与窗口 (halls and windows)' } }, async () => ({ items: await listHalls(app.db) }));
};
