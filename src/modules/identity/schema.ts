import { pgTable, text, uuid, jsonb, timestamp, index } from 'drizzle-orm/pg-core';

/** Accounts: applicants (people, enterprises) and staff. */
export const users = pgTable('users', {
  id: uuid('id').primaryKey(),
  username: text('username').notNull().unique(),
  /** argon2id PHC string */
  passwordHash: text('password_hash').notNull(),
  displayName: text('display_name').notNull(),
  /** person | enterprise | staff */
  kind: text('kind').notNull(),
  /** citizen, enterprise, clerk, reviewer, signatory, admin */
  roles: jsonb('roles').$type<string[]>().notNull(),
  /** staff only: their department */
  departmentCode: text('department_code'),
  /** person: citizen ID number (GB 11643); enterprise: USCC (GB 32100). Personal data. */
  idNumber: text('id_number'),
  phone: text('phone'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Sign-in sessions; the token itself is never stored, only its SHA-256. */
export const sessions = pgTable(
  'sessions',
  {
    tokenHash: text('token_hash').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    /** last use, refreshed at most once a minute: a session idle for longer than the idle limit ends */
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
);
