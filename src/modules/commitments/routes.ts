import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requirePrincipal } from '../../platform/auth.js';
import { recordCommitmentCheck } from '../applications/service.js';
import { listCommitmentChecks } from './service.js';

export const commitmentRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/commitment-checks',
    {
      config: { policy: { allow: ['reviewer', 'signatory', 'admin'], scope: 'department' } },
      schema: {
        tags: ['commitments'],
        summary: '告知承诺事中事后核查任务 (the caller\'s department\'s; admin: all)',
        querystring: z.object({ status: z.string().regex(/^(open|passed|failed)(,(open|passed|failed))*$/).optional() }),
      },
    },
    async (req) => ({ items: await listCommitmentChecks(app.db, requirePrincipal(req), req.query.status) }),
  );

  app.post(
    '/commitment-checks/:id/result',
    {
      config: { policy: { allow: ['reviewer', 'signatory', 'admin'], scope: 'department' } },
      schema: {
        tags: ['commitments'],
        summary: '记录核查结果: passed, or failed with a correction order (reviewer) or revocation of the decision (signatory); a failure records a false commitment',
        params: z.object({ id: z.string().max(64) }),
        body: z.object({
          result: z.enum(['passed', 'failed']),
          finding: z.string().max(2000).default(''),
          outcome: z.enum(['correction', 'revocation']).optional(),
          correctionDueDate: z.string().max(10).optional(),
        }),
      },
    },
    async (req) => recordCommitmentCheck(app.db, requirePrincipal(req), req.params.id, req.body, app.config.now(), { masterKey: app.config.masterKey(), publicUrl: app.config.publicUrl }),
  );
};
