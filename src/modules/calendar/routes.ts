import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requirePrincipal } from '../../platform/auth.js';
import { AppError } from '../../platform/errors.js';
import { isIsoDate } from '../../platform/calendar.js';
import { errorResponses } from '../../platform/http.js';
import { recomputeProvisionalDueDates } from '../applications/service.js';
import { getCalendar, getYear, setYear } from './service.js';

const IsoDate = z.string().refine(isIsoDate, 'a real date YYYY-MM-DD');
const Year = z.coerce.number().int().min(2004).max(2099);
const YearBody = z.object({
  year: z.number().int(),
  published: z.boolean(),
  source: z.string().nullable(),
  holidays: z.array(z.string()),
  workdays: z.array(z.string()),
});

export const calendarRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/calendar/working-days',
    {
      config: { policy: { allow: 'anyone', scope: 'public' } },
      schema: {
        tags: ['calendar'],
        summary: '工作日推算：from 之后第 days 个工作日 (the date N working days after from; from itself not counted)',
        querystring: z.object({ from: IsoDate, days: z.coerce.number().int().min(0).max(3650) }),
        response: { 200: z.object({ date: z.string(), provisional: z.boolean() }), ...errorResponses },
      },
    },
    async (req) => {
      const cal = await getCalendar(app.db);
      try {
        return cal.addWorkingDays(req.query.from, req.query.days);
      } catch {
        throw new AppError('CALENDAR_INVALID', { detail: { 'zh-CN': `超出日历范围（${cal.firstYear}–${cal.lastYear} 年）`, en: `outside the calendar (${cal.firstYear}–${cal.lastYear})` } });
      }
    },
  );

  app.get(
    '/calendar/:year',
    {
      config: { policy: { allow: 'anyone', scope: 'public' } },
      schema: {
        tags: ['calendar'],
        summary: '某年节假日与调休上班日 (a year\'s holidays and adjusted working days)',
        params: z.object({ year: Year }),
        response: { 200: YearBody, ...errorResponses },
      },
    },
    async (req) => getYear(app.db, req.params.year),
  );

  app.put(
    '/calendar/:year',
    {
      config: { policy: { allow: ['admin'], scope: 'platform' } },
      schema: {
        tags: ['calendar'],
        summary: '录入某年节假日安排 (admin: enter a year\'s arrangement; a year already published needs replace=true); provisional due dates are recomputed',
        params: z.object({ year: Year }),
        querystring: z.object({ replace: z.enum(['true', 'false']).default('false') }),
        body: z.object({
          holidays: z.array(z.string()).max(366),
          workdays: z.array(z.string()).max(366),
          source: z.string().min(1).max(500),
        }),
        response: { 200: YearBody.extend({ recomputed: z.object({ checked: z.number().int(), changed: z.number().int() }) }), ...errorResponses },
      },
    },
    async (req) => {
      const p = requirePrincipal(req);
      const year = await setYear(app.db, { year: req.params.year, ...req.body, replace: req.query.replace === 'true' }, p, app.config.now());
      const recomputed = await recomputeProvisionalDueDates(app.db, await getCalendar(app.db));
      return { ...year, recomputed };
    },
  );
};
