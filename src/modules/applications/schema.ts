import { pgTable, text, uuid, jsonb, timestamp, integer, date, bigserial, boolean, index, unique, pgSequence } from 'drizzle-orm/pg-core';

/** Sequence behind the human-readable application number. */
export const applicationNumberSeq = pgSequence('application_number_seq', { startWith: 1 });

/**
 * Applications (办件). `status` and `version` are a projection of `application_events`:
 * each transition updates both in the same transaction as it appends the event.
 */
export const applications = pgTable(
  'applications',
  {
    id: uuid('id').primaryKey(),
    number: text('number').notNull().unique(),
    itemCode: text('item_code').notNull(),
    itemName: text('item_name').notNull(),
    applicantId: uuid('applicant_id').notNull(),
    applicantName: text('applicant_name').notNull(),
    /** person | enterprise */
    applicantKind: text('applicant_kind').notNull(),
    /** window | online | kiosk | mobile */
    channel: text('channel').notNull(),
    status: text('status').notNull(),
    version: integer('version').notNull(),
    form: jsonb('form').$type<Record<string, unknown>>().notNull(),
    materials: jsonb('materials').$type<unknown[]>().notNull(),
    /** 容缺受理: materials accepted as missing, each with the day it must be supplied by */
    pendingMaterials: jsonb('pending_materials').$type<{ materialId: number; name: string; dueDate: string }[]>().notNull().default([]),
    departmentCode: text('department_code').notNull(),
    reviewDepartmentCode: text('review_department_code').notNull(),
    decisionDepartmentCode: text('decision_department_code').notNull(),
    /** committed limit (working days) copied from the item at submission */
    committedLimitDays: integer('committed_limit_days'),
    /** working_day | natural_day | same_day */
    committedLimitUnit: text('committed_limit_unit').notNull().default('working_day'),
    submittedAt: timestamp('submitted_at', { withTimezone: true }).notNull(),
    /** when the materials were (last) received: submission or supplement; starts the art. 32 notice limit */
    receivedAt: timestamp('received_at', { withTimezone: true }),
    acceptedAt: timestamp('accepted_at', { withTimezone: true }),
    /** Asia/Shanghai date the committed limit ends */
    dueDate: date('due_date', { mode: 'string' }),
    dueDateProvisional: boolean('due_date_provisional').notNull().default(false),
    completedAt: timestamp('completed_at', { withTimezone: true }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
    idempotencyKey: text('idempotency_key').notNull(),
    /** SHA-256 of the creating request's body, to refuse a key reused for another request */
    requestHash: text('request_hash').notNull(),
  },
  (t) => [
    unique('applications_idempotency').on(t.applicantId, t.idempotencyKey),
    index('applications_status_idx').on(t.status, t.receivedAt),
    index('applications_applicant_idx').on(t.applicantId),
    index('applications_review_dept_idx').on(t.reviewDepartmentCode, t.status),
    index('applications_decision_dept_idx').on(t.decisionDepartmentCode, t.status),
  ],
);

/** The append-only history of an application: one row per transition. */
export const applicationEvents = pgTable(
  'application_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    applicationId: uuid('application_id')
      .notNull()
      .references(() => applications.id),
    /** 1 for the submission, then +1 per transition (= the version it produced) */
    seq: integer('seq').notNull(),
    action: text('action').notNull(),
    fromStatus: text('from_status'),
    toStatus: text('to_status').notNull(),
    actorId: uuid('actor_id').notNull(),
    actorName: text('actor_name').notNull(),
    actorRole: text('actor_role').notNull(),
    comment: text('comment').notNull().default(''),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [unique('application_events_seq').on(t.applicationId, t.seq)],
);

/** The decision document of a granted or denied application, with its seal digest. */
export const decisions = pgTable('decisions', {
  applicationId: uuid('application_id')
    .primaryKey()
    .references(() => applications.id),
  outcome: text('outcome').notNull(),
  decidedAt: timestamp('decided_at', { withTimezone: true }).notNull(),
  departmentCode: text('department_code').notNull(),
  signerId: uuid('signer_id').notNull(),
  /** canonical JSON of the decision document */
  document: text('document').notNull(),
  digestSm3: text('digest_sm3').notNull(),
  /** the seal that signed it (GB/T 38540 model) and its SM2 signature (r‖s hex) over `document` */
  sealId: uuid('seal_id').notNull(),
  sealName: text('seal_name').notNull(),
  signatureSm2: text('signature_sm2').notNull(),
});
