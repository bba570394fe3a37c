import { date, index, integer, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * The dashboard's daily rollup (统计日汇总): for each cohort day — the Asia/Shanghai date an
 * application was submitted — and each department, region and channel, the counts the metrics of
 * docs/metrics.md are made of. A case's later fate (accepted, decided, on time, rated) is counted
 * against the day it was submitted, so every numerator is a subset of its denominator.
 *
 * Rebuilt per day by `refreshStats` (stats/service.ts) for the days marked in `stats_dirty_days`;
 * never written by anything else.
 */
export const statsDaily = pgTable(
  'stats_daily',
  {
    day: date('day', { mode: 'string' }).notNull(),
    /** the implementing department (实施主体) of the item */
    departmentCode: text('department_code').notNull(),
    /** the region of the service point (applications.region_code) */
    regionCode: text('region_code').notNull(),
    /** window | online | kiosk | mobile */
    channel: text('channel').notNull(),
    submitted: integer('submitted').notNull(),
    accepted: integer('accepted').notNull(),
    /** accepted by a comprehensive-window clerk (not deemed accepted by lapse, art. 32) */
    acceptedAtWindow: integer('accepted_at_window').notNull(),
    rejected: integer('rejected').notNull(),
    withdrawn: integer('withdrawn').notNull(),
    /** withdrawn after acceptance (terminated: 终止), part of `concluded` */
    withdrawnAfterAcceptance: integer('withdrawn_after_acceptance').notNull(),
    /** still open: submitted, supplement requested, accepted or reviewed */
    inProgress: integer('in_progress').notNull(),
    /** a decision was taken (grant or deny; later delivered or revoked included) */
    decided: integer('decided').notNull(),
    granted: integer('granted').notNull(),
    denied: integer('denied').notNull(),
    delivered: integer('delivered').notNull(),
    /** decided and with a committed due date */
    decidedWithDue: integer('decided_with_due').notNull(),
    /** … decided on or before the due date (Asia/Shanghai) */
    onTime: integer('on_time').notNull(),
    /** decided, of an immediate item (committed limit 0, 即办件) */
    immediateDecided: integer('immediate_decided').notNull(),
    /** … decided on the day of acceptance */
    immediateSameDay: integer('immediate_same_day').notNull(),
    /** applications with at least one material given as an e-licence (免证办) */
    licenseFree: integer('license_free').notNull(),
    /** e-licences used in place of materials */
    licenseUses: integer('license_uses').notNull(),
    /** the applicant's own ratings, 1 非常不满意 … 5 非常满意 */
    rated1: integer('rated_1').notNull(),
    rated2: integer('rated_2').notNull(),
    rated3: integer('rated_3').notNull(),
    rated4: integer('rated_4').notNull(),
    rated5: integer('rated_5').notNull(),
    /** ratings recorded by default (满意) when the applicant did not rate within 7 days */
    ratedDefault: integer('rated_default').notNull(),
    refreshedAt: timestamp('refreshed_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.day, t.departmentCode, t.regionCode, t.channel] }), index('stats_daily_department_idx').on(t.departmentCode, t.day)],
);

/**
 * Cohort days whose rollup is out of date: a trigger on `applications` (insert, update) and on
 * `evaluations` (insert) marks the application's submission day; `refreshStats` takes them.
 */
export const statsDirtyDays = pgTable('stats_dirty_days', {
  day: date('day', { mode: 'string' }).primaryKey(),
});
