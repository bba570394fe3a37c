import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses, Pagination } from '../../platform/http.js';
import { getItem, ONLINE_DEPTHS, searchItems } from './service.js';
import { CHANNELS, SERVICE_LEVELS } from './rules.js';

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
  app.get(
    '/items',
    {
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
      schema: {
        tags: ['catalog'],
        summary: '办事指南 (the service guide of one item)',
        params: z.object({ code: z.string().max(80) }),
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
