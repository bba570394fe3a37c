import { index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * Empowerments of chief representatives (首席代表): a department authorises one of its staff at
 * the hall to decide the listed items on the spot. A decision taken under it records the id.
 */
export const chiefRepresentatives = pgTable(
  'chief_representatives',
  {
    id: uuid('id').primaryKey(),
    userId: uuid('user_id').notNull(),
    departmentCode: text('department_code').notNull(),
    /** the service point where they sit */
    hallCode: text('hall_code').notNull(),
    itemCodes: jsonb('item_codes').$type<string[]>().notNull(),
    /** the department's written authorisation, e.g. 清城住建〔2026〕12号 */
    basis: text('basis').notNull(),
    validFrom: timestamp('valid_from', { withTimezone: true }).notNull(),
    validTo: timestamp('valid_to', { withTimezone: true }).notNull(),
    grantedById: uuid('granted_by_id').notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [index('chief_representatives_user_idx').on(t.userId)],
);
