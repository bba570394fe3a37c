/**
 * Sign-in protection (issue #6, point 1): account lockout after LOCKOUT_FAILURES wrong passwords
 * in a row, for LOCKOUT_MINUTES; the per-address limit against password spraying.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/support/app.js';
import { testBackends } from '../../db/testing.js';
import { createUser, LOCKOUT_FAILURES, LOCKOUT_MINUTES } from './service.js';

describe.each(testBackends())('sign-in protection on %s', (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    // behind a trusted proxy, so the spraying test can speak from an address of its own
    t = await startTestApp(backend, { config: { trustProxy: true } });
    for (const u of ['lock-a', 'lock-b']) await createUser(t.database.db, { username: u, password: 'right-password-1', displayName: u, kind: 'staff', roles: ['clerk'], departmentCode: 'QC-ZSJ' });
  });
  afterAll(async () => t?.close());
  const login = (username: string, password: string, headers: Record<string, string> = {}) => t.call('POST', '/api/v1/auth/login', undefined, { username, password }, headers);

  it('locks an account for 15 minutes after five wrong passwords in a row, even against the right one', async () => {
    expect(LOCKOUT_FAILURES).toBe(5);
    expect(LOCKOUT_MINUTES).toBe(15);
    t.setNow('2026-10-12T02:00:00Z');
    for (let i = 1; i <= 4; i++) expect((await login('lock-a', 'wrong')).json().error.code, `attempt ${i}`).toBe('INVALID_CREDENTIALS');
    const fifth = await login('lock-a', 'wrong');
    expect(fifth.statusCode).toBe(429);
    expect(fifth.json().error).toEqual({ code: 'ACCOUNT_LOCKED', message: '密码连续错误次数过多，账户已临时锁定，请 15 分钟后再试' });
    expect(fifth.headers['retry-after']).toBe('900');
    // the right password is refused while locked, with the minutes left (10:00 + 15 min − 10:05 = 10 min)
    t.setNow('2026-10-12T02:05:00Z');
    const right = await login('lock-a', 'right-password-1', { 'accept-language': 'en' });
    expect(right.json().error).toEqual({ code: 'ACCOUNT_LOCKED', message: 'Too many wrong passwords: the account is locked; try again in 10 min' });
    expect(right.headers['retry-after']).toBe('600');
    // another account is not affected
    expect((await login('lock-b', 'right-password-1')).statusCode).toBe(200);
    // after 15 minutes the right password opens a session
    t.setNow('2026-10-12T02:15:00Z');
    expect((await login('lock-a', 'right-password-1')).statusCode).toBe(200);
  });

  it('counts failures in a row only: a success starts the count again', async () => {
    t.setNow('2026-10-13T02:00:00Z');
    // from an address of its own, under the 10-a-minute limit per address and account
    const from = { 'x-forwarded-for': '198.51.100.2' };
    for (let i = 0; i < 4; i++) await login('lock-b', 'wrong', from);
    expect((await login('lock-b', 'right-password-1', from)).statusCode).toBe(200);
    for (let i = 0; i < 4; i++) expect((await login('lock-b', 'wrong', from)).json().error.code).toBe('INVALID_CREDENTIALS');
    expect((await login('lock-b', 'right-password-1', from)).statusCode).toBe(200);
  });

  it('locks once under concurrent guesses: the count is taken in one statement', async () => {
    t.setNow('2026-10-14T02:00:00Z');
    await createUser(t.database.db, { username: 'lock-c', password: 'right-password-1', displayName: 'lock-c', kind: 'staff', roles: ['clerk'], departmentCode: 'QC-ZSJ' });
    const answers = await Promise.all(Array.from({ length: 8 }, () => login('lock-c', 'wrong')));
    const codes = answers.map((a) => a.json().error.code);
    // the 5th counted failure locks; later ones find it locked (or are throttled past 10 a minute)
    expect(codes.filter((c) => c === 'INVALID_CREDENTIALS').length).toBeLessThanOrEqual(4);
    expect(codes).toContain('ACCOUNT_LOCKED');
    expect((await login('lock-c', 'right-password-1')).json().error.code).toBe('ACCOUNT_LOCKED');
  });

  it('limits one address to 100 attempts a minute whatever the account names (password spraying)', async () => {
    const answers: number[] = [];
    for (let i = 0; i < 101; i++) answers.push((await login(`spray-${i}`, 'guess', { 'x-forwarded-for': '203.0.113.9' })).statusCode);
    expect(answers.slice(0, 100).every((s) => s === 401)).toBe(true);
    expect(answers[100]).toBe(429);
    // another address is not held up
    expect((await login('lock-b', 'right-password-1', { 'x-forwarded-for': '203.0.113.10' })).statusCode).toBe(200);
  });
});
