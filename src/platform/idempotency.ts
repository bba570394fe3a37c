/**
 * Idempotency keys for create requests (DESIGN: the same key never creates twice, also under
 * concurrent retries). A route opts in with `config: { idempotent: true }`; a request with an
 * `Idempotency-Key` header (8–128 characters) then claims the key for its principal first
 * (a row, unique on principal + key): a retry with the same body gets the first answer again,
 * with `Idempotent-Replay: true`; the same key with another body gets 422
 * `IDEMPOTENCY_KEY_REUSED`; a retry while the first still runs gets 409
 * `IDEMPOTENCY_IN_PROGRESS`. A failed first request frees the key. A claim still unanswered after
 * {@link IDEMPOTENCY_CLAIM_STALE_SECONDS} belongs to a request the server never finished (killed):
 * whether it created anything is unknown, so the key is never reused — a retry gets 409
 * `IDEMPOTENCY_OUTCOME_UNKNOWN`, telling the client to look and, if nothing was made, use a new key.
 */
import crypto from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { Db } from '../db/index.js';
import { canonicalJson } from './canonical-json.js';
import { AppError } from './errors.js';
import { idempotencyRecords } from './idempotency-schema.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** the route creates something: an Idempotency-Key header makes retries safe */
    idempotent?: boolean;
  }
  interface FastifyRequest {
    idempotencyClaim?: { principalId: string; key: string };
  }
}

/** Seconds after which an unanswered claim is taken as interrupted (requests wait at most 5 s for the database). */
export const IDEMPOTENCY_CLAIM_STALE_SECONDS = 60;

/** Adds the idempotency hooks to `app`; `now` is the platform clock. */
export function registerIdempotency(app: FastifyInstance, db: Db, now: () => Date): void {
  app.addHook('preHandler', async (req, reply) => {
    if (!req.routeOptions.config?.idempotent || !req.principal) return;
    const key = req.headers['idempotency-key'];
    if (typeof key !== 'string') return;
    if (key.length < 8 || key.length > 128) throw new AppError('IDEMPOTENCY_KEY_REQUIRED');
    const requestHash = crypto.createHash('sha256').update(`${req.method} ${req.routeOptions.url}\n${canonicalJson({ params: req.params ?? null, body: req.body ?? null })}`).digest('hex');
    const principalId = req.principal.id;
    const claimed = await db.insert(idempotencyRecords).values({ principalId, key, requestHash, createdAt: now() }).onConflictDoNothing().returning({ key: idempotencyRecords.key });
    if (claimed.length) {
      req.idempotencyClaim = { principalId, key };
      return;
    }
    const [first] = await db.select().from(idempotencyRecords).where(and(eq(idempotencyRecords.principalId, principalId), eq(idempotencyRecords.key, key)));
    if (!first) throw new AppError('IDEMPOTENCY_IN_PROGRESS');
    if (first.requestHash !== requestHash) throw new AppError('IDEMPOTENCY_KEY_REUSED');
    if (first.statusCode === null) {
      const stale = now().getTime() - first.createdAt.getTime() > IDEMPOTENCY_CLAIM_STALE_SECONDS * 1000;
      throw new AppError(stale ? 'IDEMPOTENCY_OUTCOME_UNKNOWN' : 'IDEMPOTENCY_IN_PROGRESS');
    }
    return reply.code(first.statusCode).header('idempotent-replay', 'true').type('application/json; charset=utf-8').send(first.response);
  });

  app.addHook('onSend', async (req, reply, payload) => {
    const claim = req.idempotencyClaim;
    if (!claim) return payload;
    const where = and(eq(idempotencyRecords.principalId, claim.principalId), eq(idempotencyRecords.key, claim.key));
    if (reply.statusCode >= 200 && reply.statusCode < 300 && typeof payload === 'string') {
      await db.update(idempotencyRecords).set({ statusCode: reply.statusCode, response: payload }).where(where);
    } else {
      await db.delete(idempotencyRecords).where(where);
    }
    return payload;
  });
}
