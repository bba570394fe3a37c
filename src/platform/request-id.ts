/**
 * Request ids: every HTTP request carries one, so a client's report, the answer and the server's
 * log lines can be matched. The caller's `X-Request-Id` is kept when it is a plain token (a load
 * balancer or a partner system may set one); anything else is replaced by a random UUID, so a
 * header cannot inject text into the logs. The id is answered in `X-Request-Id` and Fastify's
 * logger writes it into every line of the request (`reqId`).
 */
import crypto from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/** The request-id header, in both directions. */
export const REQUEST_ID_HEADER = 'x-request-id';

/** A caller's id is kept when it is 1–64 characters of letters, digits, `.`, `_` and `-`. */
export const REQUEST_ID_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * The id of a request (Fastify's `genReqId`): the incoming `X-Request-Id` when it matches
 * {@link REQUEST_ID_PATTERN}, else a new random UUID. A header sent twice (joined by Node with
 * `, `) does not match and is replaced.
 */
export function requestId(req: { headers: IncomingHttpHeaders }): string {
  const given = req.headers[REQUEST_ID_HEADER];
  return typeof given === 'string' && REQUEST_ID_PATTERN.test(given) ? given : crypto.randomUUID();
}
