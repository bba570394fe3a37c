import { integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * Idempotency keys of create requests (besides applications, which keep theirs on the row):
 * the first request's answer, replayed for a retry with the same key and body.
 */
export const idempotencyRecords = pgTable(
  'idempotency_records',
  {
    principalId: uuid('principal_id').notNull(),
    key: text('key').notNull(),
    /** SHA-256 of method, route and body */
    requestHash: text('request_hash').notNull(),
    /** null while the first request runs */
    statusCode: integer('status_code'),
    response: text('response'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.principalId, t.key] })],
);
