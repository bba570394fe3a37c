/**
 * Service evaluations (好差评): the applicant rates a delivered application once, 1–5
 * (国办发〔2019〕51号 five levels: 非常不满意, 不满意, 基本满意, 满意, 非常满意; GB/T 39735).
 */
import crypto from 'node:crypto';
import { eq } from 'drizzle-orm';
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

/** The evaluation of an application, or `undefined`. */
export async function findEvaluation(db: Db, applicationId: string) {
  const [row] = await db.select().from(evaluations).where(eq(evaluations.applicationId, applicationId));
  return row ? { id: row.id, rating: row.rating, comment: row.comment, createdAt: row.createdAt.toISOString() } : undefined;
}
