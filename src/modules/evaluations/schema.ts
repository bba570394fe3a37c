import { pgTable, text, uuid, integer, timestamp } from 'drizzle-orm/pg-core';

/** Service evaluations (好差评, GB/T 39735): one per application, by its applicant. */
export const evaluations = pgTable('evaluations', {
  id: uuid('id').primaryKey(),
  applicationId: uuid('application_id').notNull().unique(),
  applicantId: uuid('applicant_id').notNull(),
  /** 1 非常不满意 … 5 非常满意 */
  rating: integer('rating').notNull(),
  comment: text('comment').notNull().default(''),
  /**
   * applicant — rated by the applicant; default — recorded by the platform as 满意 (4) when the
   * applicant did not rate within 7 days of delivery (see `sweepDefaultEvaluations`)
   */
  source: text('source').$type<'applicant' | 'default'>().notNull().default('applicant'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
});
