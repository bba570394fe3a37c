/**
 * Service evaluations (好差评): the applicant rates a delivered application once, 1–5
 * (国办发〔2019〕51号 five levels: 非常不满意, 不满意, 基本满意, 满意, 非常满意; GB/T 39735).
 */
import crypto from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { DEFAULT_RATING, DEFAULT_RATING_AFTER_DAYS } from '../stats/service.js';
import type { Db } from '../../db/index.js';
import { AppError } from '../../platform/errors.js';
import { getVisibleApplication } from '../applications/service.js';
import type { Principal } from '../identity/service.js';
import { evaluations } from './schema.js';

/**
 * Records the applicant's rating of application `applicationId`.
 * @param input.rating integer 1..5
 * @throws AppError APPLICATION_NOT_FOUND, FORBIDDEN (not the applicant), EVALUATION_NOT_ALLOWED
 *   (not yet delivered), EVALUATION_EXISTS (already rated)
 */
export async function evaluateApplication(db: Db, p: Principal, applicationId: string, input: { rating: number; comment?: string }, now: Date) {
  const app = await getVisibleApplication(db, p, applicationId);
  if (app.applicantId !== p.id) throw new AppError('FORBIDDEN');
  if (app.status !== 'delivered') throw new AppError('EVALUATION_NOT_ALLOWED');
  const row = { id: crypto.randomUUID(), applicationId, applicantId: p.id, rating: input.rating, comment: (input.comment ?? '').trim(), createdAt: now };
  const inserted = await db.insert(evaluations).values(row).onConflictDoNothing({ target: evaluations.applicationId }).returning();
  if (!inserted.length) throw new AppError('EVALUATION_EXISTS');
  return { id: row.id, rating: row.rating, comment: row.comment, createdAt: now.toISOString() };
}

/**
 * Records the default rating 满意 (4) for every application delivered at least 7 natural days ago
 * (and at most 37: older deliveries were swept before) that its applicant has not rated — the
 * 好差评 rule that a service not rated within the evaluation period counts as satisfied. The
 * statistics show these apart (`source = 'default'`), beside the applicants' own ratings.
 * @param batch at most this many per call (the job runs every minute)
 * @returns how many default ratings were recorded
 */
export async function sweepDefaultEvaluations(db: Db, now: Date, batch = 5000): Promise<number> {
  const until = new Date(now.getTime() - DEFAULT_RATING_AFTER_DAYS * DAY_MS);
  const since = new Date(until.getTime() - 30 * DAY_MS);
  const { rows } = (await db.execute(sql`
    INSERT INTO evaluations (id, application_id, applicant_id, rating, comment, source, created_at)
    SELECT gen_random_uuid(), a.id, a.applicant_id, ${DEFAULT_RATING}, '', 'default', ${now.toISOString()}::timestamptz
    FROM applications a
    WHERE a.status = 'delivered' AND a.updated_at <= ${until.toISOString()}::timestamptz AND a.updated_at > ${since.toISOString()}::timestamptz
      AND NOT EXISTS (SELECT 1 FROM evaluations e WHERE e.application_id = a.id)
    ORDER BY a.updated_at
    LIMIT ${batch}
    ON CONFLICT (application_id) DO NOTHING
    RETURNING id`)) as unknown as { rows: unknown[] };
  return rows.length;
}

const DAY_MS = 86_400_000;

/** The evaluation of an application, or `undefined`. */
export async function findEvaluation(db: Db, applicationId: string) {
  const [row] = await db.select().from(evaluations).where(eq(evaluations.applicationId, applicationId));
  return row ? { id: row.id, rating: row.rating, comment: row.comment, source: row.source, createdAt: row.createdAt.toISOString() } : undefined;
}
