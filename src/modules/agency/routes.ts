import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requirePrincipal } from '../../platform/auth.js';
import { authorizeAgent, createProject, listAuthorizations, listProjects, projectTimeline, revokeAuthorization } from './service.js';
import { APPLICANT_ROLES } from '../identity/roles.js';

export const agencyRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/authorizations',
    { config: { policy: { allow: 'signed-in', scope: 'self' } }, schema: { tags: ['agency'], summary: '代办授权 (authorisations the caller gave, or holds as an agent)' } },
    async (req) => ({ items: await listAuthorizations(app.db, requirePrincipal(req)) }),
  );

  app.post(
    '/authorizations',
    {
      config: { policy: { allow: APPLICANT_ROLES, scope: 'self' }, idempotent: true },
      schema: {
        tags: ['agency'],
        summary: '授权帮办代办 (citizen or enterprise): let a service-team member apply for you',
        body: z.object({
          agentUsername: z.string().min(1).max(80),
          itemCodes: z.array(z.string().min(1).max(80)).max(200).default([]).describe('empty = any item'),
          validTo: z.string().max(10).describe('last valid day, YYYY-MM-DD (Asia/Shanghai)'),
        }),
      },
    },
    async (req, reply) => reply.code(201).send(await authorizeAgent(app.db, requirePrincipal(req), req.body, app.config.now())),
  );

  app.post(
    '/authorizations/:id/revoke',
    { config: { policy: { allow: APPLICANT_ROLES, scope: 'self' } }, schema: { tags: ['agency'], summary: '撤销代办授权', params: z.object({ id: z.string().max(64) }) } },
    async (req) => revokeAuthorization(app.db, requirePrincipal(req), req.params.id, app.config.now()),
  );

  app.get('/projects', { config: { policy: { allow: 'signed-in', scope: 'case' } }, schema: { tags: ['projects'], summary: '重点项目列表' } }, async (req) => ({ items: await listProjects(app.db, requirePrincipal(req)) }));

  app.post(
    '/projects',
    {
      config: { policy: { allow: ['clerk', 'admin'], scope: 'region' }, idempotent: true },
      schema: {
        tags: ['projects'],
        summary: '登记重点项目 (clerk or admin): the investing enterprise and the named service officer',
        body: z.object({
          code: z.string().min(1).max(60).describe('投资项目统一代码'),
          name: z.string().min(1).max(200),
          enterpriseUsername: z.string().min(1).max(80),
          officerUsername: z.string().min(1).max(80),
        }),
      },
    },
    async (req, reply) => reply.code(201).send(await createProject(app.db, requirePrincipal(req), req.body, app.config.now())),
  );

  app.get(
    '/projects/:id',
    { config: { policy: { allow: 'signed-in', scope: 'case' } }, schema: { tags: ['projects'], summary: '重点项目时间线: all its applications across departments, one timeline', params: z.object({ id: z.string().max(64) }) } },
    async (req) => projectTimeline(app.db, requirePrincipal(req), req.params.id),
  );
};
