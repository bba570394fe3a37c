/**
 * The append-only, hash-chained history of applications (tamper evidence).
 *
 * Each event carries `hash` = SM3(previous event's hash ‖ "\n" ‖ canonical JSON of its content),
 * the first event of an application chaining from the empty string. A trigger refuses UPDATE and
 * DELETE on the table (migration 0007); an event changed behind the platform's back — by
 * someone who can bypass triggers — breaks its application's chain from that event on, which
 * {@link verifyEventChains} (`onewindow audit verify`) reports.
 */
import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../../db/index.js';
import { chainHash, findBrokenLinks } from '../../platform/hash-chain.js';
import { applicationEvents } from './schema.js';

type EventInsert = Omit<typeof applicationEvents.$inferInsert, 'id' | 'prevHash' | 'hash'>;

/** What an event's hash covers. */
function eventContent(e: EventInsert) {
  return {
    applicationId: e.applicationId,
    seq: e.seq,
    action: e.action,
    fromStatus: e.fromStatus ?? null,
    toStatus: e.toStatus,
    actorId: e.actorId,
    actorName: e.actorName,
    actorRole: e.actorRole,
    comment: e.comment ?? '',
    createdAt: e.createdAt.toISOString(),
  };
}

/**
 * Appends an event in the caller's transaction (which holds the application's row lock), chained
 * to the event before it (`seq - 1`).
 */
export async function appendEvent(tx: Db, e: EventInsert): Promise<void> {
  const [prev] = e.seq > 1 ? await tx.select({ hash: applicationEvents.hash }).from(applicationEvents).where(and(eq(applicationEvents.applicationId, e.applicationId), eq(applicationEvents.seq, e.seq - 1))) : [];
  const prevHash = prev?.hash ?? null;
  await tx.insert(applicationEvents).values({ ...e, prevHash, hash: chainHash(prevHash, eventContent(e)) });
}

/** The first broken link of a chain: the application, the event's seq, and what is wrong. */
export interface BrokenLink {
  applicationId: string;
  seq: number;
  problem: 'hash' | 'link' | 'gap';
}

/**
 * Checks every application's event chain: seqs run 1, 2, 3 … without gaps, each event links to
 * the previous event's hash, and each hash matches the event's content.
 * @returns how many events and applications were checked, and the first broken link of each broken chain
 */
export async function verifyEventChains(db: Db): Promise<{ events: number; applications: number; broken: BrokenLink[] }> {
  const rows = await db.select().from(applicationEvents).orderBy(asc(applicationEvents.applicationId), asc(applicationEvents.seq));
  const { chains, broken } = findBrokenLinks(rows.map((r) => ({ chain: r.applicationId, seq: r.seq, prevHash: r.prevHash, hash: r.hash, content: eventContent(r) })));
  return { events: rows.length, applications: chains, broken: broken.map((b) => ({ applicationId: b.chain, seq: b.seq, problem: b.problem })) };
}
