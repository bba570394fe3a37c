import { date, index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * Post-approval verification tasks (事中事后监管) of decisions issued on a commitment (告知承诺制):
 * the department checks, by the due date, that what the applicant committed to is true.
 */
export const commitmentChecks = pgTable(
  'commitment_checks',
  {
    id: uuid('id').primaryKey(),
    applicationId: uuid('application_id').notNull(),
    departmentCode: text('department_code').notNull(),
    /** Asia/Shanghai date by which the check must be done */
    dueDate: date('due_date', { mode: 'string' }).notNull(),
    /** open | passed | failed */
    status: text('status').notNull(),
    /** failed: correction (责令限期整改) | revocation (撤销决定) */
    outcome: text('outcome'),
    /** correction: the day it must be corrected by */
    correctionDueDate: date('correction_due_date', { mode: 'string' }),
    finding: text('finding').notNull().default(''),
    checkedById: uuid('checked_by_id'),
    checkedAt: timestamp('checked_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('commitment_checks_dept_idx').on(t.departmentCode, t.status)],
);

/** False commitments found (虚假承诺记录): an applicant with one may not use commitment again. */
export const commitmentBreaches = pgTable(
  'commitment_breaches',
  {
    id: uuid('id').primaryKey(),
    applicantId: uuid('applicant_id').notNull(),
    applicationId: uuid('application_id').notNull(),
    checkId: uuid('check_id').notNull(),
    finding: text('finding').notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('commitment_breaches_applicant_idx').on(t.applicantId)],
);
