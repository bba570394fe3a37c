import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requirePrincipal } from '../../platform/auth.js';
import { grantEmpowerment, listEmpowerments, revokeEmpowerment } from './service.js';
import { STAFF_ROLES } from '../identity/roles.js';

export const chiefRepresentativeRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/chief-representatives',
    { config: { policy: { allow: STAFF_ROLES, scope: 'department' } }, schema: { tags: ['chief representatives'], summary: '首席代表授权列表 (staff: their department\'s; admin: all)' } },
    async (req) => ({ items: await listEmpowerments(app.db, requirePrincipal(req)) }),
  );

  app.post(
    '/chief-representatives',
    {
      config: { policy: { allow: ['signatory', 'admin'], scope: 'department' }, idempotent: true },
      schema: {
        tags: ['chief representatives'],
        summary: '授权首席代表 (a department\'s signatory, or admin): decide the listed items on the spot at a service point',
        body: z.object({
          username: z.string().min(1).max(80),
          hallCode: z.string().min(1).max(60),
          itemCodes: z.array(z.string().min(1).max(80)).min(1).max(200),
          basis: z.string().min(1).max(200).describe('the written authorisation, e.g. 清城住建〔2026〕12号'),
          validTo: z.iso.datetime({ offset: true }),
          departmentCode: z.string().max(60).optional().describe('admin only'),
        }),
      },
    },
    async (req, reply) => reply.code(201).send(await grantEmpowerment(app.db, requirePrincipal(req), req.body, app.config.now())),
  );

  app.post(
    '/chief-representatives/:id/revoke',
    { config: { policy: { allow: ['signatory', 'admin'], scope: 'department' } }, schema: { tags: ['chief representatives'], summary: '撤销首席代表授权', params: z.object({ id: z.string().max(64) }) } },
    async (req) => revokeEmpowerment(app.db, requirePrincipal(req), req.params.id, app.config.now()),
  );
};
