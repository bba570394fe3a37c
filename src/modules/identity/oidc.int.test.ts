/**
 * Staff single sign-on against a real OpenID provider: oidc-provider (panva) runs in this process
 * on 127.0.0.1 with a random port; the test plays the browser (follows redirects by hand, keeps
 * the provider's cookies) and plays the person at the provider's login page.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type Configuration } from 'oidc-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadOidcConfig } from '../../config.js';
import { testBackends } from '../../db/testing.js';
import { startTestApp, type TestApp } from '../../../test/support/app.js';
import { createOidcClient } from './oidc.js';
import { decodeFlow, encodeFlow } from './oidc-routes.js';

const CLIENT_ID = 'onewindow';
const CLIENT_SECRET = crypto.randomBytes(24).toString('base64url');
const REDIRECT_URL = 'http://localhost:3000/api/v1/auth/oidc/callback';

/** The provider's people: `sub` → claims. Only `reviewer` is a staff account of the platform. */
const PEOPLE: Record<string, Record<string, string>> = {
  'sso-1001': { preferred_username: 'reviewer', name: '王建' },
  'sso-1002': { preferred_username: 'citizen', name: '陈清华' },
  'sso-1003': { preferred_username: 'no-such-account', name: '张三' },
  'sso-1004': { name: '无用户名' },
};

/** Starts oidc-provider on 127.0.0.1:random; its login page is replaced by the test's stand-in. */
async function startProvider(): Promise<{ issuer: string; close(): Promise<void> }> {
  let handle: http.RequestListener = (_req, res) => res.end();
  const server = http.createServer((req, res) => handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const signingKey = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });
  const configuration: Configuration = {
    clients: [{ client_id: CLIENT_ID, client_secret: CLIENT_SECRET, redirect_uris: [REDIRECT_URL], grant_types: ['authorization_code'], response_types: ['code'] }],
    jwks: { keys: [{ ...signingKey, kid: 'test-rs256', alg: 'RS256', use: 'sig' }] },
    cookies: { keys: [crypto.randomBytes(32).toString('hex')] },
    claims: { openid: ['sub'], profile: ['preferred_username', 'name'] },
    findAccount: (_ctx, sub) => (PEOPLE[sub] ? { accountId: sub, claims: () => ({ sub, ...PEOPLE[sub] }) } : undefined),
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    // a first-party client: no consent screen
    loadExistingGrant: async (ctx) => {
      const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session!.grantIdFor(ctx.oidc.client!.clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      if (!ctx.oidc.session!.accountId) return undefined;
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client!.clientId, accountId: ctx.oidc.session!.accountId });
      grant.addOIDCScope('openid profile');
      await grant.save();
      return grant;
    },
    ttl: { AccessToken: 600, AuthorizationCode: 60, IdToken: 600, Interaction: 600, Session: 3600, Grant: 3600 },
    renderError: (ctx, out) => {
      ctx.type = 'json';
      ctx.body = out;
    },
  };
  const provider = new Provider(issuer, configuration);
  const app = provider.callback();
  handle = (req, res) => {
    const url = new URL(req.url!, issuer);
    if (!url.pathname.startsWith('/interaction/')) return void app(req, res);
    // The stand-in login page: `?as=sub` signs that person in, `?cancel=1` cancels.
    const result = url.searchParams.has('cancel') ? { error: 'access_denied', error_description: 'End-User cancelled' } : { login: { accountId: url.searchParams.get('as')! } };
    provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false }).catch((e: unknown) => {
      res.statusCode = 500;
      res.end(String(e));
    });
  };
  return { issuer, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** The provider's answer at our callback, and the flow cookie our login route set. */
interface Arrival {
  callback: URL;
  flowCookie: string;
}

describe.each(testBackends())('staff single sign-on (OpenID Connect) on %s', (backend) => {
  let t: TestApp;
  let provider: Awaited<ReturnType<typeof startProvider>>;

  beforeAll(async () => {
    provider = await startProvider();
    const oidc = loadOidcConfig({ ONEWINDOW_OIDC_ISSUER: provider.issuer, ONEWINDOW_OIDC_CLIENT_ID: CLIENT_ID, ONEWINDOW_OIDC_CLIENT_SECRET: CLIENT_SECRET }, 'http://localhost:3000');
    t = await startTestApp(backend, { config: { oidc } });
  });
  afterAll(async () => {
    await t?.close();
    await provider?.close();
  });

  /**
   * A browser with no provider session: starts at our login route, follows the redirects, and
   * at the provider's login page signs in as `sub` (or cancels); stops at our callback.
   */
  async function visitProvider(person: { sub: string } | { cancel: true }): Promise<Arrival> {
    const start = await t.app.inject({ method: 'GET', url: '/api/v1/auth/oidc/login' });
    expect(start.statusCode).toBe(302);
    const flowCookie = start.cookies.find((c) => c.name === 'ow_oidc')!.value;
    const jar = new Map<string, string>();
    let url = new URL(start.headers.location as string);
    for (let hop = 0; hop < 10; hop++) {
      if (url.href.startsWith(`${REDIRECT_URL}?`)) return { callback: url, flowCookie };
      if (url.pathname.startsWith('/interaction/')) {
        if ('sub' in person) url.searchParams.set('as', person.sub);
        else url.searchParams.set('cancel', '1');
      }
      const res = await fetch(url, { redirect: 'manual', headers: { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') } });
      for (const c of res.headers.getSetCookie()) {
        const [pair, ...attrs] = c.split(';');
        const [name, value] = [pair!.slice(0, pair!.indexOf('=')), pair!.slice(pair!.indexOf('=') + 1)];
        if (!value || attrs.some((a) => /^\s*max-age=0$/i.test(a) || /^\s*expires=Thu, 01 Jan 1970/i.test(a))) jar.delete(name);
        else jar.set(name, value);
      }
      if (res.status !== 302 && res.status !== 303) throw new Error(`provider answered ${res.status}: ${await res.text()}`);
      url = new URL(res.headers.get('location')!, url);
    }
    throw new Error('too many redirects');
  }

  /** Our callback as the browser calls it: the provider's answer and the flow cookie. */
  function arrive(a: Arrival, headers: Record<string, string> = {}) {
    return t.app.inject({ method: 'GET', url: a.callback.pathname + a.callback.search, cookies: { ow_oidc: a.flowCookie }, headers });
  }

  it('tells the login page that sign-on is on, with the default label', async () => {
    const r = await t.call('GET', '/api/v1/auth/oidc');
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({ enabled: true, displayName: '统一身份认证' });
  });

  it('redirects to the provider with PKCE S256, state and nonce kept in a short-lived HttpOnly Lax cookie', async () => {
    const r = await t.app.inject({ method: 'GET', url: '/api/v1/auth/oidc/login' });
    expect(r.statusCode).toBe(302);
    const location = new URL(r.headers.location as string);
    expect(location.origin + location.pathname).toBe(`${provider.issuer}/auth`);
    const q = Object.fromEntries(location.searchParams);
    expect(q).toMatchObject({ client_id: CLIENT_ID, response_type: 'code', redirect_uri: REDIRECT_URL, scope: 'openid profile', code_challenge_method: 'S256' });
    const cookie = r.cookies.find((c) => c.name === 'ow_oidc')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/api/v1/auth/oidc', maxAge: 600 });
    const flow = decodeFlow(cookie.value)!;
    expect(q.state).toBe(flow.state);
    expect(q.nonce).toBe(flow.nonce);
    expect(q.code_challenge).toBe(crypto.createHash('sha256').update(flow.codeVerifier).digest('base64url'));
    // every attempt is fresh
    const again = decodeFlow((await t.app.inject({ method: 'GET', url: '/api/v1/auth/oidc/login' })).cookies.find((c) => c.name === 'ow_oidc')!.value)!;
    expect(again.state).not.toBe(flow.state);
    expect(again.codeVerifier).not.toBe(flow.codeVerifier);
  });

  it('signs a staff member in: session cookie as for a password sign-in, then home', async () => {
    const a = await visitProvider({ sub: 'sso-1001' });
    expect(a.callback.searchParams.get('iss')).toBe(provider.issuer);
    const r = await arrive(a);
    expect(r.statusCode, r.body).toBe(302);
    expect(r.headers.location).toBe('/');
    const session = r.cookies.find((c) => c.name === 'ow_session')!;
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/', maxAge: 12 * 3600 });
    expect(session.secure).toBeFalsy();
    const cleared = r.cookies.find((c) => c.name === 'ow_oidc')!;
    expect(cleared.value).toBe('');
    expect(cleared.path).toBe('/api/v1/auth/oidc');

    const me = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', cookies: { ow_session: session.value } });
    expect(me.statusCode).toBe(200);
    expect(me.json().user).toMatchObject({ username: 'reviewer', kind: 'staff', roles: ['reviewer'], departmentCode: 'QC-ZJJ' });
    // the session is a real one: the reviewer's workbench data is reachable with it
    expect((await t.call('GET', '/api/v1/auth/me', session.value)).json().user.username).toBe('reviewer');

    // the same answer replayed (code already used) opens nothing
    const replay = await arrive(a);
    expect(replay.statusCode).toBe(400);
    expect(replay.json().error.code).toBe('SSO_RESPONSE_INVALID');
    expect(replay.cookies.find((c) => c.name === 'ow_session')).toBeUndefined();
  });

  it('refuses a person whose username is an applicant account, never creating staff', async () => {
    const r = await arrive(await visitProvider({ sub: 'sso-1002' }));
    expect(r.statusCode).toBe(403);
    expect(r.json()).toEqual({ error: { code: 'SSO_ACCOUNT_UNKNOWN', message: '统一身份认证账号在本平台没有对应的工作人员账号，请联系系统管理员开通' } });
    expect(r.cookies.find((c) => c.name === 'ow_session')).toBeUndefined();
  });

  it('refuses a person with no account, in English when asked', async () => {
    const r = await arrive(await visitProvider({ sub: 'sso-1003' }), { 'accept-language': 'en' });
    expect(r.statusCode).toBe(403);
    expect(r.json()).toEqual({ error: { code: 'SSO_ACCOUNT_UNKNOWN', message: 'Your single sign-on account has no staff account on this platform; ask an administrator to create one' } });
    expect(r.cookies.find((c) => c.name === 'ow_session')).toBeUndefined();
    const login = await t.call('POST', '/api/v1/auth/login', undefined, { username: 'no-such-account', password: 'onewindow-demo' });
    expect(login.json().error.code).toBe('INVALID_CREDENTIALS'); // nothing was created
  });

  it('refuses a person the provider gives no username for', async () => {
    const r = await arrive(await visitProvider({ sub: 'sso-1004' }));
    expect(r.statusCode).toBe(403);
    expect(r.json().error).toEqual({ code: 'SSO_CLAIM_MISSING', message: '统一身份认证未提供用户名（preferred_username），无法确定工作人员账号' });
  });

  it('answers 400 SSO_STATE_INVALID to a tampered state or a missing flow cookie', async () => {
    const a = await visitProvider({ sub: 'sso-1001' });
    const tampered = new URL(a.callback);
    tampered.searchParams.set('state', `${a.callback.searchParams.get('state')}x`);
    const r = await arrive({ ...a, callback: tampered });
    expect(r.statusCode).toBe(400);
    expect(r.json().error.code).toBe('SSO_STATE_INVALID');
    expect(r.cookies.find((c) => c.name === 'ow_session')).toBeUndefined();

    const noCookie = await t.app.inject({ method: 'GET', url: a.callback.pathname + a.callback.search });
    expect(noCookie.statusCode).toBe(400);
    expect(noCookie.json().error.code).toBe('SSO_STATE_INVALID');
    const garbage = await arrive({ ...a, flowCookie: 'not-a-flow' });
    expect(garbage.json().error.code).toBe('SSO_STATE_INVALID');
  });

  it('lets the library refuse a wrong nonce or PKCE verifier (400 SSO_RESPONSE_INVALID)', async () => {
    for (const change of [{ nonce: 'another-nonce' }, { codeVerifier: crypto.randomBytes(32).toString('base64url') }]) {
      const a = await visitProvider({ sub: 'sso-1001' });
      const flow = { ...decodeFlow(a.flowCookie)!, ...change };
      const r = await arrive({ ...a, flowCookie: encodeFlow(flow) });
      expect(r.statusCode, JSON.stringify(change)).toBe(400);
      expect(r.json().error.code).toBe('SSO_RESPONSE_INVALID');
      expect(r.cookies.find((c) => c.name === 'ow_session')).toBeUndefined();
    }
  });

  it("answers 400 SSO_PROVIDER_ERROR when the provider reports an error (the person cancelled)", async () => {
    const a = await visitProvider({ cancel: true });
    expect(a.callback.searchParams.get('error')).toBe('access_denied');
    const r = await arrive(a);
    expect(r.statusCode).toBe(400);
    expect(r.json().error).toEqual({ code: 'SSO_PROVIDER_ERROR', message: '统一身份认证平台拒绝了登录（access_denied）' });
  });

  it('leaves password sign-in working beside sign-on', async () => {
    expect(await t.login('reviewer')).toMatch(/^[\w-]{43}$/);
  });
});

describe.each(testBackends())('staff single sign-on, not configured, on %s', (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(backend);
  });
  afterAll(async () => t?.close());

  it('says it is off, and answers 404 SSO_DISABLED to login and callback', async () => {
    expect((await t.call('GET', '/api/v1/auth/oidc')).json()).toEqual({ enabled: false, displayName: null });
    for (const url of ['/api/v1/auth/oidc/login', '/api/v1/auth/oidc/callback?code=x&state=y']) {
      const r = await t.call('GET', url);
      expect(r.statusCode).toBe(404);
      expect(r.json()).toEqual({ error: { code: 'SSO_DISABLED', message: '未启用统一身份认证登录' } });
    }
  });
});

describe('single sign-on settings and an unreachable provider', () => {
  const base = { ONEWINDOW_OIDC_CLIENT_ID: 'onewindow', ONEWINDOW_OIDC_CLIENT_SECRET: 's3cret' };

  it('reads ONEWINDOW_OIDC_* with their defaults', () => {
    expect(loadOidcConfig({}, 'https://zwfw.example.gov.cn')).toBeNull();
    expect(loadOidcConfig({ ...base, ONEWINDOW_OIDC_ISSUER: 'https://sso.example.gov.cn/realms/qc' }, 'https://zwfw.example.gov.cn')).toEqual({
      issuer: 'https://sso.example.gov.cn/realms/qc',
      clientId: 'onewindow',
      clientSecret: 's3cret',
      redirectUrl: 'https://zwfw.example.gov.cn/api/v1/auth/oidc/callback',
      usernameClaim: 'preferred_username',
      scope: 'openid profile',
      displayName: '统一身份认证',
      allowInsecureRequests: false,
    });
    const custom = loadOidcConfig(
      { ...base, ONEWINDOW_OIDC_ISSUER: 'http://localhost:8080', ONEWINDOW_OIDC_REDIRECT_URL: 'https://a.example/cb', ONEWINDOW_OIDC_USERNAME_CLAIM: 'employee_no', ONEWINDOW_OIDC_DISPLAY_NAME: '粤政易' },
      'http://localhost:3000',
    );
    expect(custom).toMatchObject({ redirectUrl: 'https://a.example/cb', usernameClaim: 'employee_no', displayName: '粤政易', allowInsecureRequests: true });
  });

  it('refuses plain http to any host but this machine, and a missing client', () => {
    expect(() => loadOidcConfig({ ...base, ONEWINDOW_OIDC_ISSUER: 'http://sso.example.gov.cn' }, 'http://localhost:3000')).toThrow(/https/);
    expect(() => loadOidcConfig({ ...base, ONEWINDOW_OIDC_ISSUER: 'http://localhost.evil.example' }, 'http://localhost:3000')).toThrow(/https/);
    expect(() => loadOidcConfig({ ONEWINDOW_OIDC_ISSUER: 'https://sso.example.gov.cn' }, 'http://localhost:3000')).toThrow(/CLIENT_ID/);
    expect(() => loadOidcConfig({ ...base, ONEWINDOW_OIDC_ISSUER: 'not a url' }, 'http://localhost:3000')).toThrow(/URL/);
  });

  it('answers SSO_PROVIDER_UNAVAILABLE (503) when the provider cannot be reached', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const settings = loadOidcConfig({ ...base, ONEWINDOW_OIDC_ISSUER: `http://127.0.0.1:${port}` }, 'http://localhost:3000')!;
    const errors: unknown[] = [];
    const log = { error: (o: unknown) => errors.push(o), warn: () => {} } as unknown as Parameters<typeof createOidcClient>[1];
    await expect(createOidcClient(settings, log).start()).rejects.toMatchObject({ code: 'SSO_PROVIDER_UNAVAILABLE', status: 503 });
    expect(errors).toHaveLength(1);
  });
});
