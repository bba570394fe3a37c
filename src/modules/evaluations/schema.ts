import { pgTable, text, uuid, integer, timestamp } from 'drizzle-orm/pg-core';

/** Service evaluations (好差评, GB/T 39735): one per application, by its applicant. */
export const evaluations = pgTable('evaluations', {
  id: uuid('id').primaryKey(),
  applicationId: uuid('application_id').notNull().unique(),
  applicantId: uuid('applicant_id').notNull(),
  /** 1 非常不满意 … 5 非常满意 */
  rating: integer('rating').notNull(),
  comment: text('comment').notNull().default(''),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
});
