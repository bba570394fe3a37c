import { pgTable, integer, jsonb, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * Holiday arrangements entered by an administrator (or imported) for years the packaged
 * calendar does not have yet, or to correct one. An entry replaces the packaged year whole.
 */
export const calendarYears = pgTable('calendar_years', {
  year: integer('year').primaryKey(),
  holidays: jsonb('holidays').$type<string[]>().notNull(),
  workdays: jsonb('workdays').$type<string[]>().notNull(),
  /** where it comes from, e.g. the State Council General Office notice's number */
  source: text('source').notNull(),
  updatedBy: uuid('updated_by').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
});
