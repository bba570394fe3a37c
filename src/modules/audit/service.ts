/**
 * Tamper evidence for every state change (audit): an append-only log, one SM3 hash chain per
 * stream. Each event's `hash` = SM3(previous hash ‖ "\n" ‖ canonical JSON of its content); the
 * database refuses UPDATE and DELETE (migration 0008). `verifyAuditChains` (`onewindow audit
 * verify`) names the first broken link of every broken chain. Application histories keep their
 * own chain (applications/events.ts).
 */
import { asc, eq, max, sql } from 'drizzle-orm';
import type { Db } from '../../db/index.js';
import { chainHash, findBrokenLinks } from '../../platform/hash-chain.js';
import { auditEvents } from './schema.js';

export interface AuditEntry {
  stream: string;
  kind: string;
  actor: { id: string | null; displayName: string } | null;
  payload: Record<string, unknown>;
}

/** The platform itself as an actor (seeding, imports run from the command line, sweeps). */
export const PLATFORM_ACTOR = { id: null, displayName: '系统' } as const;

/** What an audit event's hash covers. */
function auditContent(e: { stream: string; seq: number; kind: string; actorId: string | null; actorName: string; payload: unknown; createdAt: Date }) {
  return { stream: e.stream, seq: e.seq, kind: e.kind, actorId: e.actorId, actorName: e.actorName, payload: e.payload, createdAt: e.createdAt.toISOString() };
}

/**
 * Appends an event to its stream's chain, in the caller's transaction when it is one (the
 * stream is locked for the rest of it, so concurrent appends to one stream take turns).
 */
export async function appendAudit(db: Db, entry: AuditEntry, now: Date): Promise<void> {
  await db.execute(sql`SELECT pg_advisory_xact_lock(hashtext(${entry.stream}))`);
  const [last] = await db.select({ seq: max(auditEvents.seq) }).from(auditEvents).where(eq(auditEvents.stream, entry.stream));
  const seq = Number(last?.seq ?? 0) + 1;
  const [prev] = seq > 1 ? await db.select({ hash: auditEvents.hash }).from(auditEvents).where(sql`${auditEvents.stream} = ${entry.stream} AND ${auditEvents.seq} = ${seq - 1}`) : [];
  const actor = entry.actor ?? PLATFORM_ACTOR;
  // jsonb keeps no key order and drops undefined: hash what will be read back
  const payload = JSON.parse(JSON.stringify(entry.payload)) as Record<string, unknown>;
  const row = { stream: entry.stream, seq, kind: entry.kind, actorId: actor.id, actorName: actor.displayName, payload, createdAt: now };
  const prevHash = prev?.hash ?? null;
  await db.insert(auditEvents).values({ ...row, prevHash, hash: chainHash(prevHash, auditContent(row)) });
}

/** The events of one stream, oldest first (for the record's own history views). */
export async function auditTrail(db: Db, stream: string) {
  const rows = await db.select().from(auditEvents).where(eq(auditEvents.stream, stream)).orderBy(asc(auditEvents.seq));
  return rows.map((r) => ({ seq: r.seq, kind: r.kind, actorName: r.actorName, payload: r.payload, createdAt: r.createdAt.toISOString() }));
}

/**
 * Checks every stream: seqs 1, 2, 3 … without gaps, each event linked to the previous hash,
 * each hash matching its content.
 * @returns counts and the first broken link of each broken stream
 */
export async function verifyAuditChains(db: Db): Promise<{ events: number; streams: number; broken: { stream: string; seq: number; problem: 'hash' | 'link' | 'gap' }[] }> {
  const rows = await db.select().from(auditEvents).orderBy(asc(auditEvents.stream), asc(auditEvents.seq));
  const { chains, broken } = findBrokenLinks(rows.map((r) => ({ chain: r.stream, seq: r.seq, prevHash: r.prevHash, hash: r.hash, content: auditContent(r) })));
  return { events: rows.length, streams: chains, broken: broken.map((b) => ({ stream: b.chain, seq: b.seq, problem: b.problem })) };
}
