import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requirePrincipal } from '../../platform/auth.js';
import { listSeals, rotateSeal } from './service.js';

export const sealRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/seals',
    { config: { policy: { allow: 'anyone', scope: 'public' } }, schema: { tags: ['seals'], summary: '电子印章列表 (every seal, public parts: code, holder, validity, public key, picture; GB/T 38540 model)' } },
    async () => ({ items: await listSeals(app.db) }),
  );

  app.post(
    '/seals/:departmentCode/rotate',
    {
      config: { policy: { allow: ['admin'], scope: 'department' } },
      schema: {
        tags: ['seals'],
        summary: '印章轮换 (admin): retire the department\'s active seal and make a new one; documents sealed before stay verifiable',
        params: z.object({ departmentCode: z.string().max(60) }),
      },
    },
    async (req) => {
      const p = requirePrincipal(req);
      return rotateSeal(app.db, req.params.departmentCode, app.config.masterKey(), app.config.now(), p);
    },
  );
};
