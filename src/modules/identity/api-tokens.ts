/**
 * Access tokens for machine clients (kiosks, partner systems), issued by an administrator for a
 * machine account (kind `machine`) or a staff account. A token acts as its account, limited to
 * its scopes: `{resource}:read` lets it call the resource's GET routes, `{resource}:write` the
 * others (platform/policy.ts). The token is shown once; only its SHA-256 is stored.
 */
import crypto from 'node:crypto';
import { desc, eq } from 'drizzle-orm';
import type { Db } from '../../db/index.js';
import { AppError } from '../../platform/errors.js';
import { isUuid } from '../../platform/ids.js';
import { appendAudit } from '../audit/service.js';
import { apiTokens, users } from './schema.js';
import { tokenHash, type Principal } from './service.js';

/** Longest validity of an access token, in days (a year; rotate before it ends). */
export const API_TOKEN_MAX_DAYS = 366;

/** What an administrator asks for. `validDays` counts from now, 1…{@link API_TOKEN_MAX_DAYS}. */
export interface NewApiToken {
  name: string;
  username: string;
  scopes: string[];
  validDays: number;
}

/** An access token as listed (never the token itself). */
export interface ApiTokenView {
  id: string;
  name: string;
  username: string;
  scopes: string[];
  createdAt: string;
  expiresAt: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

/**
 * Issues an access token.
 * @param knownScopes the scopes that exist (`{resource}:read|write` for the resources of the route table)
 * @returns the token (shown once: `owt_` + 43 base64url characters) and its listing
 * @throws AppError USER_NOT_FOUND (no such account, or an applicant's: applicants sign in themselves),
 *   TOKEN_SCOPE_UNKNOWN (a scope no route uses)
 */
export async function createApiToken(db: Db, admin: Principal, input: NewApiToken, knownScopes: ReadonlySet<string>, now: Date): Promise<{ token: string; apiToken: ApiTokenView }> {
  const [u] = await db.select({ id: users.id, kind: users.kind, username: users.username }).from(users).where(eq(users.username, input.username));
  if (!u || (u.kind !== 'machine' && u.kind !== 'staff')) throw new AppError('USER_NOT_FOUND', { username: input.username });
  const unknown = input.scopes.find((s) => !knownScopes.has(s));
  if (unknown) throw new AppError('TOKEN_SCOPE_UNKNOWN', { scope: unknown });
  const token = `owt_${crypto.randomBytes(32).toString('base64url')}`;
  const row = {
    id: crypto.randomUUID(),
    name: input.name,
    tokenHash: tokenHash(token),
    userId: u.id,
    scopes: [...new Set(input.scopes)].sort(),
    createdById: admin.id,
    createdAt: now,
    expiresAt: new Date(now.getTime() + input.validDays * 86_400_000),
  };
  await db.transaction(async (tx) => {
    await tx.insert(apiTokens).values(row);
    await appendAudit(tx, { stream: `api-token:${row.id}`, kind: 'api_token.created', actor: admin, payload: { name: row.name, username: u.username, scopes: row.scopes, expiresAt: row.expiresAt.toISOString() } }, now);
  });
  return { token, apiToken: view({ ...row, revokedAt: null, lastUsedAt: null }, u.username) };
}

/** Every access token, newest first (administrators). */
export async function listApiTokens(db: Db): Promise<ApiTokenView[]> {
  const rows = await db.select({ t: apiTokens, username: users.username }).from(apiTokens).innerJoin(users, eq(users.id, apiTokens.userId)).orderBy(desc(apiTokens.createdAt));
  return rows.map((r) => view(r.t, r.username));
}

/**
 * Revokes an access token at once (its next request answers 401). Revoking twice is harmless.
 * @throws AppError API_TOKEN_NOT_FOUND
 */
export async function revokeApiToken(db: Db, admin: Principal, id: string, now: Date): Promise<ApiTokenView> {
  if (!isUuid(id)) throw new AppError('API_TOKEN_NOT_FOUND');
  return db.transaction(async (tx) => {
    const [row] = await tx.select({ t: apiTokens, username: users.username }).from(apiTokens).innerJoin(users, eq(users.id, apiTokens.userId)).where(eq(apiTokens.id, id)).for('update');
    if (!row) throw new AppError('API_TOKEN_NOT_FOUND');
    if (row.t.revokedAt) return view(row.t, row.username);
    await tx.update(apiTokens).set({ revokedAt: now }).where(eq(apiTokens.id, id));
    await appendAudit(tx, { stream: `api-token:${id}`, kind: 'api_token.revoked', actor: admin, payload: {} }, now);
    return view({ ...row.t, revokedAt: now }, row.username);
  });
}

function view(t: Omit<typeof apiTokens.$inferSelect, 'tokenHash' | 'createdById'>, username: string): ApiTokenView {
  return {
    id: t.id,
    name: t.name,
    username,
    scopes: t.scopes,
    createdAt: t.createdAt.toISOString(),
    expiresAt: t.expiresAt.toISOString(),
    revokedAt: t.revokedAt?.toISOString() ?? null,
    lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
  };
}
