import { bigserial, integer, jsonb, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';

/**
 * The append-only, hash-chained log of state changes outside the application history: licences,
 * seals, empowerments, authorisations, post-approval checks, catalogue and calendar settings.
 * One chain per `stream` (e.g. `license:<identifier>`, `seal:QC-SPJ`, `catalog:<code>`).
 */
export const auditEvents = pgTable(
  'audit_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    stream: text('stream').notNull(),
    seq: integer('seq').notNull(),
    /** what happened, e.g. license.revoked, seal.rotated, catalog.saved */
    kind: text('kind').notNull(),
    actorId: uuid('actor_id'),
    actorName: text('actor_name').notNull(),
    /** what changed: no personal data beyond what the record itself holds */
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    prevHash: text('prev_hash'),
    hash: text('hash').notNull(),
  },
  (t) => [unique('audit_events_stream_seq').on(t.stream, t.seq)],
);
