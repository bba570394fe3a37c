import { date, index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * Authorisations for assisted and agent handling (帮办代办): an applicant lets a service-team
 * member prepare and submit applications for them, for the listed items (empty = any) until a day.
 */
export const agentAuthorizations = pgTable(
  'agent_authorizations',
  {
    id: uuid('id').primaryKey(),
    principalId: uuid('principal_id').notNull(),
    agentId: uuid('agent_id').notNull(),
    itemCodes: jsonb('item_codes').$type<string[]>().notNull(),
    /** last Asia/Shanghai day it is valid */
    validTo: date('valid_to', { mode: 'string' }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [index('agent_authorizations_agent_idx').on(t.agentId), index('agent_authorizations_principal_idx').on(t.principalId)],
);

/** Key investment projects (重点项目): their applications across departments on one timeline. */
export const keyProjects = pgTable('key_projects', {
  id: uuid('id').primaryKey(),
  /** the investment project code (投资项目统一代码), e.g. 2026-441802-47-01-012345 */
  code: text('code').notNull().unique(),
  name: text('name').notNull(),
  /** the enterprise that invests */
  enterpriseId: uuid('enterprise_id').notNull(),
  /** the named service officer (专员) */
  officerId: uuid('officer_id').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
});
