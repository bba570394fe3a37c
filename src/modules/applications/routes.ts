import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requirePrincipal } from '../../platform/auth.js';
import { AppError } from '../../platform/errors.js';
import { errorResponses, Pagination } from '../../platform/http.js';
import { sanitizeFileName } from '../../platform/uploads.js';
import { evaluateApplication, findEvaluation } from '../evaluations/service.js';
import { getApplication, listApplications, performAction, revealApplicant, submitApplication } from './service.js';
import { PII_PURPOSE_CODES } from '../audit/pii-views.js';
import { ACTIONS, STATUSES } from './transitions.js';
import { APPLICANT_ROLES } from '../identity/roles.js';

const Material = z.object({
  materialId: z.number().int().positive().optional(),
  name: z.string().max(200).optional(),
  fileName: z
    .string()
    .max(255)
    .transform((name) => sanitizeFileName(name, ''))
    .optional()
    .describe('the file\'s name as the applicant gave it; kept without path, control characters or quotes'),
  licenseId: z.string().max(64).optional().describe('免证办: the applicant\'s electronic licence standing for this material (authorises its use for this application)'),
});

const Created = z.object({ id: z.string(), number: z.string(), status: z.enum(STATUSES), version: z.number().int() });

export const applicationRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/applications',
    {
      config: { policy: { allow: ['citizen', 'enterprise', 'clerk', 'agent'], scope: 'case' } },
      schema: {
        tags: ['applications'],
        summary: '提交办件申请 (submit an application): by the applicant, by a window clerk for the applicant present (一窗受理), or by an authorised agent (帮办代办); Idempotency-Key makes retries safe',
        headers: z.looseObject({ 'idempotency-key': z.string().optional() }),
        body: z.object({
          itemCode: z.string().min(1).max(80),
          form: z.record(z.string(), z.unknown()).default({}),
          materials: z.array(Material).max(100).default([]),
          applicant: z
            .object({ kind: z.enum(['person', 'enterprise']), idNumber: z.string().min(1).max(18), name: z.string().min(1).max(200) })
            .optional()
            .describe('window clerk only: the applicant, by citizen ID number (GB 11643) or USCC (GB 32100)'),
          onBehalfOf: z.string().max(64).optional().describe('agent only: the account id of the applicant who authorised them'),
          commitment: z.object({ textSm3: z.string().regex(/^[0-9a-fA-F]{64}$/) }).optional().describe('告知承诺制: SM3 of the item\'s commitment text the applicant signs'),
          deliveryMethod: z.enum(['window', 'mail', 'online']).optional(),
          projectId: z.string().max(64).optional().describe('the key project (重点项目) the application belongs to'),
          channel: z.enum(['online', 'mobile', 'kiosk']).optional().describe('an applicant\'s own submission: web portal (default), mobile app or self-service kiosk; ignored for a clerk\'s or an agent\'s'),
        }),
        response: { 200: Created, 201: Created, ...errorResponses },
      },
    },
    async (req, reply) => {
      const p = requirePrincipal(req);
      const key = req.headers['idempotency-key'];
      if (typeof key !== 'string' || key.length < 8 || key.length > 128) throw new AppError('IDEMPOTENCY_KEY_REQUIRED');
      const { application, created } = await submitApplication(app.db, p, req.body, key, app.config.now());
      reply.code(created ? 201 : 200);
      return { id: application.id, number: application.number, status: application.status as (typeof STATUSES)[number], version: application.version };
    },
  );

  app.get(
    '/applications',
    {
      config: { policy: { allow: 'signed-in', scope: 'case' } },
      schema: {
        tags: ['applications'],
        summary: '办件列表：调用者可见的办件 (applications the caller may see)',
        querystring: Pagination.extend({
          queue: z.enum(['mine']).optional().describe('mine: only cases waiting for the caller\'s action (work queue)'),
          status: z
            .string()
            .max(200)
            .regex(new RegExp(`^(${STATUSES.join('|')})(,(${STATUSES.join('|')}))*$`), 'one or more statuses, comma-separated')
            .optional(),
          departmentCode: z.string().min(1).max(60).optional().describe('the implementing department'),
          regionCode: z.string().regex(/^\d{6}(\d{3}(\d{3})?)?$/, 'a 6, 9 or 12-digit division code').optional().describe('this region and those below it'),
          channel: z.enum(['window', 'online', 'kiosk', 'mobile']).optional(),
          from: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD').optional().describe('submitted on or after this day (Asia/Shanghai)'),
          to: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD').optional().describe('submitted on or before this day'),
          clock: z.enum(['overdue', 'warning']).optional().describe('open cases past their due date, or due within 3 working days'),
        }),
      },
    },
    async (req) => listApplications(app.db, requirePrincipal(req), req.query, app.config.now()),
  );

  app.get(
    '/applications/:id',
    { config: { policy: { allow: 'signed-in', scope: 'case' } }, schema: { tags: ['applications'], summary: '办件详情 (one application with its events)', params: z.object({ id: z.string().max(64) }) } },
    async (req) => {
      const p = requirePrincipal(req);
      const detail = await getApplication(app.db, p, req.params.id, app.config.now());
      return { ...detail, evaluation: (await findEvaluation(app.db, detail.id)) ?? null };
    },
  );

  app.get(
    '/applications/:id/applicant',
    {
      config: { policy: { allow: ['citizen', 'enterprise', 'clerk', 'reviewer', 'signatory'], scope: 'case' } },
      schema: {
        tags: ['applications'],
        summary:
          '申请人个人信息完整查看 (the applicant\'s ID number, phone and form whole): the applicant, or staff handling the case for a purpose — clerks window_identity_check | contact_applicant, the back office case_review | contact_applicant; each staff view is logged (audit pii.view)',
        params: z.object({ id: z.string().max(64) }),
        querystring: z.object({ purpose: z.enum(PII_PURPOSE_CODES).describe('why the numbers are needed whole (logged)') }),
      },
    },
    async (req) => revealApplicant(app.db, requirePrincipal(req), req.params.id, req.query.purpose, app.config.now()),
  );

  app.post(
    '/applications/:id/actions/:action',
    {
      config: { policy: { allow: 'signed-in', scope: 'case' } },
      schema: {
        tags: ['applications'],
        summary:
          '办件操作 (a lifecycle action): accept, reject, request_supplement, supplement, review, opinion, grant, deny, pause_clock, resume_clock, extend, deliver, receive, revoke, withdraw, provide_material',
        params: z.object({ id: z.string().max(64), action: z.string().max(40) }),
        body: z.object({
          version: z.number().int().positive().optional().describe('required except for opinion (joint-review opinions are concurrent)'),
          opinion: z.enum(['approve', 'reject']).optional().describe('review / opinion: approve (default) or reject; a rejecting joint-review opinion routes the case back'),
          procedure: z.object({ kind: z.enum(['hearing', 'inspection', 'testing', 'quarantine', 'appraisal', 'expert_review', 'other']) }).optional().describe('pause_clock: the special procedure (art. 45)'),
          delivery: z
            .object({ method: z.enum(['window', 'mail']), pickupCode: z.string().max(12).optional(), trackingNumber: z.string().max(60).optional() })
            .optional()
            .describe('deliver: the applicant\'s pickup code at the window, or the mail tracking number'),
          comment: z.string().max(2000).optional(),
          materials: z.array(Material).max(100).optional(),
          conditional: z
            .object({ materialIds: z.array(z.number().int().positive()).min(1).max(50), deadline: z.string().max(10) })
            .optional()
            .describe('accept only: 容缺受理 — materials the item allows to be missing, and the day they must be supplied by'),
        }),
        response: { 200: z.object({ status: z.enum(STATUSES), version: z.number().int(), dueDate: z.string().nullable() }), ...errorResponses },
      },
    },
    async (req) => {
      const p = requirePrincipal(req);
      const action = req.params.action;
      if (!(ACTIONS as readonly string[]).includes(action)) throw new AppError('UNKNOWN_ACTION', { action });
      return performAction(app.db, p, req.params.id, action as (typeof ACTIONS)[number], req.body, app.config.now(), { masterKey: app.config.masterKey(), publicUrl: app.config.publicUrl });
    },
  );

  app.post(
    '/applications/:id/evaluation',
    {
      config: { policy: { allow: APPLICANT_ROLES, scope: 'case' } },
      schema: {
        tags: ['evaluations'],
        summary: '好差评 (rate a delivered application, once, by its applicant)',
        params: z.object({ id: z.string().max(64) }),
        body: z.object({ rating: z.number().int().min(1).max(5), comment: z.string().max(2000).optional() }),
        response: { 201: z.object({ id: z.string(), rating: z.number().int(), comment: z.string(), createdAt: z.string() }), ...errorResponses },
      },
    },
    async (req, reply) => {
      const p = requirePrincipal(req);
      const result = await evaluateApplication(app.db, p, req.params.id, req.body, app.config.now());
      return reply.code(201).send(result);
    },
  );
};
