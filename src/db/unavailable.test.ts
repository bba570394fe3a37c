/**
 * Which errors mean "the database server cannot be reached now" (answered 503 with Retry-After)
 * and which are ordinary failed queries (a bug, answered 500, or a business error).
 */
import { DrizzleQueryError } from 'drizzle-orm/errors';
import { describe, expect, it } from 'vitest';
import { AppError } from '../platform/errors.js';
import { isDatabaseUnavailable } from './index.js';

/** An error as node-postgres or Node's net module raises it: a message and a code. */
function failure(message: string, code?: string): Error {
  return Object.assign(new Error(message), code === undefined ? {} : { code });
}

describe('isDatabaseUnavailable', () => {
  it('recognises a refused, reset or timed-out connection', () => {
    expect(isDatabaseUnavailable(failure('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED'))).toBe(true);
    expect(isDatabaseUnavailable(failure('read ECONNRESET', 'ECONNRESET'))).toBe(true);
    expect(isDatabaseUnavailable(failure('connect ETIMEDOUT 10.0.0.5:5432', 'ETIMEDOUT'))).toBe(true);
    expect(isDatabaseUnavailable(failure('getaddrinfo ENOTFOUND db.internal', 'ENOTFOUND'))).toBe(true);
  });

  it("recognises node-postgres's own messages of a lost or unobtainable connection", () => {
    expect(isDatabaseUnavailable(failure('Connection terminated unexpectedly'))).toBe(true);
    expect(isDatabaseUnavailable(failure('Connection terminated due to connection timeout'))).toBe(true);
    expect(isDatabaseUnavailable(failure('timeout exceeded when trying to connect'))).toBe(true);
    expect(isDatabaseUnavailable(failure('Client has encountered a connection error and is not queryable'))).toBe(true);
  });

  it('recognises the server shutting down, refusing connections, or a connection exception (class 08)', () => {
    expect(isDatabaseUnavailable(failure('terminating connection due to administrator command', '57P01'))).toBe(true);
    expect(isDatabaseUnavailable(failure('the database system is shutting down', '57P03'))).toBe(true);
    expect(isDatabaseUnavailable(failure('sorry, too many clients already', '53300'))).toBe(true);
    expect(isDatabaseUnavailable(failure('connection failure', '08006'))).toBe(true);
    expect(isDatabaseUnavailable(failure('SSL connection has been closed unexpectedly', '08P01'))).toBe(true);
  });

  it("looks inside Drizzle's query error and Node's AggregateError (several addresses tried)", () => {
    expect(isDatabaseUnavailable(new DrizzleQueryError('select 1', [], failure('terminating connection due to administrator command', '57P01')))).toBe(true);
    const refusedTwice = new AggregateError([failure('connect ECONNREFUSED ::1:5432', 'ECONNREFUSED'), failure('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')]);
    expect(isDatabaseUnavailable(refusedTwice)).toBe(true);
  });

  it('leaves failed queries, business errors and non-errors alone', () => {
    expect(isDatabaseUnavailable(new DrizzleQueryError('insert …', ['x'], failure('duplicate key value violates unique constraint "a"', '23505')))).toBe(false);
    expect(isDatabaseUnavailable(failure('syntax error at or near "selct"', '42601'))).toBe(false);
    expect(isDatabaseUnavailable(failure('canceling statement due to statement timeout', '57014'))).toBe(false);
    // a query error is judged by its SQLSTATE, not by words its message happens to contain
    expect(isDatabaseUnavailable(failure('value "Connection terminated" violates check constraint', '23514'))).toBe(false);
    expect(isDatabaseUnavailable(new AppError('VERSION_CONFLICT', { current: 3 }))).toBe(false);
    expect(isDatabaseUnavailable(new Error('something else went wrong'))).toBe(false);
    expect(isDatabaseUnavailable(null)).toBe(false);
    expect(isDatabaseUnavailable('ECONNREFUSED')).toBe(false);
  });
});
