/**
 * Accounts and sign-in sessions.
 *
 * Passwords are hashed with argon2id (@node-rs/argon2 defaults: m = 19 MiB, t = 2, p = 1, the
 * OWASP minimum). A session token is 32 random bytes (base64url); only its SHA-256 is stored.
 */
import crypto from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { and, eq, gt, isNull } from 'drizzle-orm';
import type { Db } from '../../db/index.js';
import { AppError } from '../../platform/errors.js';
import { sessions, users } from './schema.js';

export { ROLES, type Role } from './roles.js';
import type { Role } from './roles.js';

/** Absolute lifetime of a session, in hours. */
export const SESSION_HOURS = 12;
/** A session unused for longer than this many minutes ends (idle expiry). */
export const SESSION_IDLE_MINUTES = 30;

/** The signed-in user as routes see it. */
export interface Principal {
  id: string;
  username: string;
  displayName: string;
  kind: 'person' | 'enterprise' | 'staff';
  roles: Role[];
  departmentCode: string | null;
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
 * Checks a username and password and opens a session.
 * @returns the bearer token (shown once) and the principal
 * @throws AppError INVALID_CREDENTIALS (same answer for unknown user and wrong password)
 */
export async function login(db: Db, username: string, password: string, now: Date): Promise<{ token: string; user: Principal; expiresAt: Date }> {
  const [u] = await db.select().from(users).where(eq(users.username, username));
  if (!u) {
    dummyHash ??= hashPassword('not-a-password');
    await verify(await dummyHash, password).catch(() => false);
    throw new AppError('INVALID_CREDENTIALS');
  }
  if (!(await verify(u.passwordHash, password).catch(() => false))) throw new AppError('INVALID_CREDENTIALS');
  return openSession(db, u.id, now);
}

/**
 * Opens a session for an account already authenticated (password, or single sign-on).
 * @returns the bearer token (shown once; only its SHA-256 is stored), the principal, and the
 *   absolute expiry ({@link SESSION_HOURS} hours from `now`)
 * @throws AppError UNAUTHENTICATED when the account does not exist
 */
export async function openSession(db: Db, userId: string, now: Date): Promise<{ token: string; user: Principal; expiresAt: Date }> {
  const [u] = await db.select().from(users).where(eq(users.id, userId));
  if (!u) throw new AppError('UNAUTHENTICATED');
  const token = crypto.randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + SESSION_HOURS * 3600_000);
  await db.insert(sessions).values({ tokenHash: sha256(token), userId: u.id, createdAt: now, expiresAt });
  return { token, user: toPrincipal(u), expiresAt };
}

function toPrincipal(u: typeof users.$inferSelect): Principal {
  return {
    id: u.id,
    username: u.username,
    displayName: u.displayName,
    kind: u.kind as Principal['kind'],
    roles: u.roles as Role[],
    departmentCode: u.departmentCode,
  };
}

/**
 * The principal of a live session token: not revoked, within its absolute lifetime
 * ({@link SESSION_HOURS}) and used within the idle limit ({@link SESSION_IDLE_MINUTES});
 * `undefined` otherwise. Each use moves the idle limit on (written at most once a minute).
 */
export async function findPrincipalByToken(db: Db, token: string, now: Date): Promise<Principal | undefined> {
  const hash = sha256(token);
  const [row] = await db
    .select({ user: users, createdAt: sessions.createdAt, lastSeenAt: sessions.lastSeenAt })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.tokenHash, hash), isNull(sessions.revokedAt), gt(sessions.expiresAt, now)));
  if (!row) return undefined;
  const lastSeen = row.lastSeenAt ?? row.createdAt;
  if (now.getTime() - lastSeen.getTime() > SESSION_IDLE_MINUTES * 60_000) return undefined;
  if (now.getTime() - lastSeen.getTime() > 60_000) await db.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.tokenHash, hash));
  return toPrincipal(row.user);
}

/** Revokes a session token (logout). Unknown tokens are ignored. */
export async function revokeToken(db: Db, token: string, now: Date): Promise<void> {
  await db.update(sessions).set({ revokedAt: now }).where(eq(sessions.tokenHash, sha256(token)));
}

export interface NewUser {
  username: string;
  password: string;
  displayName: string;
  kind: Principal['kind'];
  roles: Role[];
  departmentCode?: string | null;
  idNumber?: string | null;
  phone?: string | null;
}

/** Creates an account (argon2id hash) unless the username exists; returns its id. */
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
    idNumber: u.idNumber ?? null,
    phone: u.phone ?? null,
  });
  return id;
}
