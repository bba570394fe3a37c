/**
 * Accounts and sign-in sessions.
 *
 * Passwords are hashed with argon2id (@node-rs/argon2 defaults: m = 19 MiB, t = 2, p = 1, the
 * OWASP minimum). A session token is 32 random bytes (base64url); only its SHA-256 is stored.
 */
import crypto from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../db/index.js';
import { AppError } from '../../platform/errors.js';
import { piiVault } from '../../platform/pii-vault.js';
import { sealUserPii } from './pii.js';
import { departments } from '../org/schema.js';
import { apiTokens, sessions, users } from './schema.js';

export { ROLES, type Role } from './roles.js';
import type { Role } from './roles.js';

/** Absolute lifetime of a session, in hours. */
export const SESSION_HOURS = 12;
/** A session unused for longer than this many minutes ends (idle expiry). */
export const SESSION_IDLE_MINUTES = 30;
/** Consecutive failed sign-ins after which an account is locked (OWASP ASVS 2.2.1). */
export const LOCKOUT_FAILURES = 5;
/** How long a locked account refuses sign-in, in minutes. */
export const LOCKOUT_MINUTES = 15;

/** The signed-in user as routes see it. */
export interface Principal {
  id: string;
  username: string;
  displayName: string;
  /** machine: a kiosk or partner system, acting through access tokens only */
  kind: 'person' | 'enterprise' | 'staff' | 'machine';
  roles: Role[];
  departmentCode: string | null;
  /**
   * staff: the region they serve (行政区划代码) — their own if set (a town centre), else their
   * department's; null for applicants. Front-desk scope is this region and the regions below it.
   */
  regionCode: string | null;
  /** a machine client's token: the scopes it holds (`licenses:read`…); absent for a person's session */
  tokenScopes?: string[];
}

function sha256(s: string): string {
  return crypto.createHash('sha256').update(s).digest('hex');
}

/** Hashes a password with argon2id; returns the PHC string. */
export function hashPassword(password: string): Promise<string> {
  // 2 = Algorithm.Argon2id (a const enum, which isolated modules cannot import)
  return hash(password, { algorithm: 2 });
}

// Verified against when the username is unknown, so both paths take the same time.
let dummyHash: Promise<string> | undefined;

/**
 * Checks a username and password and opens a session. {@link LOCKOUT_FAILURES} wrong passwords in
 * a row lock the account for {@link LOCKOUT_MINUTES} minutes; a success resets the count.
 * @returns the bearer token (shown once) and the principal
 * @throws AppError INVALID_CREDENTIALS (same answer for unknown user and wrong password),
 *   ACCOUNT_LOCKED (locked now, with the minutes left; also on the failure that locks it)
 */
export async function login(db: Db, username: string, password: string, now: Date): Promise<{ token: string; user: Principal; expiresAt: Date }> {
  const [u] = await db.select().from(users).where(eq(users.username, username));
  // machine accounts (kiosks, partner systems) use access tokens only
  if (!u || u.kind === 'machine') {
    dummyHash ??= hashPassword('not-a-password');
    await verify(await dummyHash, password).catch(() => false);
    throw new AppError('INVALID_CREDENTIALS');
  }
  const locked = (until: Date) => {
    const minutes = Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 60_000));
    return new AppError('ACCOUNT_LOCKED', { minutes: String(minutes) }, minutes * 60);
  };
  if (u.lockedUntil && u.lockedUntil > now) throw locked(u.lockedUntil);
  if (!(await verify(u.passwordHash, password).catch(() => false))) {
    // counted in one statement, so concurrent guesses cannot slip past the limit
    const until = new Date(now.getTime() + LOCKOUT_MINUTES * 60_000);
    const [r] = await db
      .update(users)
      .set({
        failedLogins: sql`CASE WHEN ${users.failedLogins} + 1 >= ${LOCKOUT_FAILURES} THEN 0 ELSE ${users.failedLogins} + 1 END`,
        lockedUntil: sql`CASE WHEN ${users.failedLogins} + 1 >= ${LOCKOUT_FAILURES} THEN ${until.toISOString()}::timestamptz ELSE ${users.lockedUntil} END`,
      })
      .where(eq(users.id, u.id))
      .returning({ lockedUntil: users.lockedUntil });
    if (r?.lockedUntil && r.lockedUntil > now) throw locked(r.lockedUntil);
    throw new AppError('INVALID_CREDENTIALS');
  }
  if (u.failedLogins) await db.update(users).set({ failedLogins: 0 }).where(eq(users.id, u.id));
  return openSession(db, u.id, now);
}

/**
 * Opens a session for an account already authenticated (password, or single sign-on).
 * @returns the bearer token (shown once; only its SHA-256 is stored), the principal, and the
 *   absolute expiry ({@link SESSION_HOURS} hours from `now`)
 * @throws AppError UNAUTHENTICATED when the account does not exist
 */
export async function openSession(db: Db, userId: string, now: Date): Promise<{ token: string; user: Principal; expiresAt: Date }> {
  const [row] = await principalQuery(db).where(eq(users.id, userId));
  if (!row) throw new AppError('UNAUTHENTICATED');
  const token = crypto.randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + SESSION_HOURS * 3600_000);
  await db.insert(sessions).values({ tokenHash: sha256(token), userId, createdAt: now, expiresAt });
  return { token, user: toPrincipal(row), expiresAt };
}

/** Accounts with their department's region (a staff member's default region). */
function principalQuery(db: Db) {
  return db.select({ user: users, departmentRegion: departments.regionCode }).from(users).leftJoin(departments, eq(departments.code, users.departmentCode));
}

function toPrincipal({ user: u, departmentRegion }: { user: typeof users.$inferSelect; departmentRegion: string | null }): Principal {
  return {
    id: u.id,
    username: u.username,
    displayName: u.displayName,
    kind: u.kind as Principal['kind'],
    roles: u.roles as Role[],
    departmentCode: u.departmentCode,
    regionCode: u.kind === 'staff' || u.kind === 'machine' ? (u.regionCode ?? departmentRegion) : null,
  };
}

/**
 * The principal of a live token: a session (not revoked, within its absolute lifetime
 * {@link SESSION_HOURS} and used within the idle limit {@link SESSION_IDLE_MINUTES}; each use moves
 * the idle limit on, written at most once a minute), or else a machine client's access token (not
 * revoked or expired; the principal then carries the token's scopes). `undefined` otherwise.
 */
export async function findPrincipalByToken(db: Db, token: string, now: Date): Promise<Principal | undefined> {
  const hash = sha256(token);
  const [row] = await db
    .select({ user: users, departmentRegion: departments.regionCode, createdAt: sessions.createdAt, lastSeenAt: sessions.lastSeenAt })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .leftJoin(departments, eq(departments.code, users.departmentCode))
    .where(and(eq(sessions.tokenHash, hash), isNull(sessions.revokedAt), gt(sessions.expiresAt, now)));
  if (!row) return findMachinePrincipal(db, hash, now);
  const lastSeen = row.lastSeenAt ?? row.createdAt;
  if (now.getTime() - lastSeen.getTime() > SESSION_IDLE_MINUTES * 60_000) return undefined;
  if (now.getTime() - lastSeen.getTime() > 60_000) await db.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.tokenHash, hash));
  return toPrincipal(row);
}

async function findMachinePrincipal(db: Db, hash: string, now: Date): Promise<Principal | undefined> {
  const [row] = await db
    .select({ user: users, departmentRegion: departments.regionCode, scopes: apiTokens.scopes, lastUsedAt: apiTokens.lastUsedAt })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .leftJoin(departments, eq(departments.code, users.departmentCode))
    .where(and(eq(apiTokens.tokenHash, hash), isNull(apiTokens.revokedAt), gt(apiTokens.expiresAt, now)));
  if (!row) return undefined;
  const last = row.lastUsedAt;
  if (!last || now.getTime() - last.getTime() > 60_000) await db.update(apiTokens).set({ lastUsedAt: now }).where(eq(apiTokens.tokenHash, hash));
  return { ...toPrincipal(row), tokenScopes: row.scopes };
}

/** SHA-256 of a token, as sessions and access tokens store it (the token itself never is). */
export const tokenHash = sha256;

/** Revokes a session token (logout). Unknown tokens are ignored. */
export async function revokeToken(db: Db, token: string, now: Date): Promise<void> {
  // the first revocation's time stands
  await db.update(sessions).set({ revokedAt: now }).where(and(eq(sessions.tokenHash, sha256(token)), isNull(sessions.revokedAt)));
}

export interface NewUser {
  username: string;
  password: string;
  displayName: string;
  kind: Principal['kind'];
  roles: Role[];
  departmentCode?: string | null;
  /** staff at a town centre: its region code (else the department's region applies) */
  regionCode?: string | null;
  idNumber?: string | null;
  phone?: string | null;
}

/** Creates an account (argon2id hash; ID number and phone sealed, platform/pii-vault.ts) unless the username exists; returns its id. */
export async function createUser(db: Db, u: NewUser): Promise<string> {
  const [existing] = await db.select({ id: users.id }).from(users).where(eq(users.username, u.username));
  if (existing) return existing.id;
  const id = crypto.randomUUID();
  await db.insert(users).values({
    id,
    username: u.username,
    passwordHash: await hashPassword(u.password),
    displayName: u.displayName,
    kind: u.kind,
    roles: u.roles,
    departmentCode: u.departmentCode ?? null,
    regionCode: u.regionCode ?? null,
    // the ID number and phone sealed, with their search hashes (identity/pii.ts)
    ...sealUserPii(piiVault(), u),
  });
  return id;
}
