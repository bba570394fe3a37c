/**
 * Authentication for routes: a bearer token (`Authorization: Bearer …`, for machine clients and
 * the API) or the HttpOnly `ow_session` cookie (the web app), both the same session.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from './errors.js';
import type { Principal } from '../modules/identity/service.js';

export const SESSION_COOKIE = 'ow_session';

/**
 * Sets the session cookie after a sign-in (password or single sign-on): HttpOnly, SameSite=Strict,
 * Secure when configured (behind TLS), for the session's absolute lifetime in seconds.
 */
export function setSessionCookie(reply: FastifyReply, token: string, opts: { secure: boolean; maxAgeSeconds: number }): void {
  reply.setCookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'strict', secure: opts.secure, path: '/', maxAge: opts.maxAgeSeconds });
}

/** The session token a request carries, from the bearer header first, then the cookie. */
export function requestToken(req: FastifyRequest): string | undefined {
  const h = req.headers.authorization;
  // the scheme name is case-insensitive (RFC 9110 §11.1)
  if (h && /^bearer /i.test(h)) return h.slice(7).trim() || undefined;
  return req.cookies?.[SESSION_COOKIE] || undefined;
}

/**
 * The signed-in principal. Roles are checked before the handler runs, by the route's policy
 * (platform/policy.ts); this only narrows the type.
 * @throws AppError UNAUTHENTICATED (no live session)
 */
export function requirePrincipal(req: FastifyRequest): Principal {
  const p = req.principal;
  if (!p) throw new AppError('UNAUTHENTICATED');
  return p;
}

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
}
