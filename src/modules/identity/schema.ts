import { pgTable, text, uuid, jsonb, timestamp, index, integer } from 'drizzle-orm/pg-core';

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
  /**
   * person: citizen ID number (GB 11643); enterprise: USCC (GB 32100). Personal data, sealed
   * (platform/pii-vault.ts, field `users.id_number`): `p<keyId>.…`, never the number itself.
   */
  idNumber: text('id_number'),
  /** HMAC-SHA256 search hash of the ID number (kind `id`): lookups by number use it */
  idNumberHash: text('id_number_hash'),
  /** contact phone. Personal data, sealed (field `users.phone`) */
  phone: text('phone'),
  /** HMAC-SHA256 search hash of the phone (kind `phone`) */
  phoneHash: text('phone_hash'),
  /** staff: the region they serve (a town centre's code); null = their department's region */
  regionCode: text('region_code'),
  /** consecutive failed sign-ins since the last success (account lockout) */
  failedLogins: integer('failed_logins').notNull().default(0),
  /** sign-in refused until this instant after too many failures */
  lockedUntil: timestamp('locked_until', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [index('users_id_number_hash_idx').on(t.idNumberHash), index('users_phone_hash_idx').on(t.phoneHash)]);

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

/**
 * Access tokens for machine clients (kiosks, partner systems): each acts as its account, limited
 * to its scopes (`licenses:read`, `applications:write`… see platform/policy.ts). Only the token's
 * SHA-256 is stored; the token is shown once when created.
 */
export const apiTokens = pgTable(
  'api_tokens',
  {
    id: uuid('id').primaryKey(),
    name: text('name').notNull(),
    tokenHash: text('token_hash').notNull().unique(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    scopes: jsonb('scopes').$type<string[]>().notNull(),
    createdById: uuid('created_by_id').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
  },
  (t) => [index('api_tokens_user_idx').on(t.userId)],
);
