import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parsePiiKeys, type PiiKey } from './platform/pii-vault.js';

/**
 * Runtime configuration, read once from the environment.
 *
 * - `PORT` (default 3000) — HTTP port.
 * - `HOST` (default 0.0.0.0).
 * - `DATABASE_URL` — when set, a PostgreSQL server (`postgres://…`); otherwise embedded PGlite.
 * - `ONEWINDOW_DATA_DIR` (default `./var/db`) — the embedded database's folder.
 * - `ONEWINDOW_LOG_LEVEL` (default `warn`; `info` logs every request).
 * - `ONEWINDOW_SECURE_COOKIES` (`1` behind TLS) — marks the session cookie `Secure`.
 * - `ONEWINDOW_CLOCK_COUNT_START_DAY` (`1` counts the acceptance day; default not, 民法典 art. 201) and
 *   `ONEWINDOW_CLOCK_MOVE_TO_WORKING_DAY` (`0` keeps a period ending on a holiday; default moves
 *   it to the next working day, 民法典 art. 203) — the clock's convention.
 * - `ONEWINDOW_TRUST_PROXY` (default off) — `1`, or the proxy's addresses (e.g. `127.0.0.1,10.0.0.0/8`),
 *   when a reverse proxy sets X-Forwarded-For; off, the client's own address counts for rate limits.
 * - `ONEWINDOW_PUBLIC_URL` (default `http://localhost:PORT`) — the address the public reaches the
 *   platform at; printed in the QR code of every notice and decision (verification page).
 * - `ONEWINDOW_MASTER_KEY` — 64 hex characters (32 bytes): the key that encrypts seal private keys
 *   at rest. When unset, a key is generated once into `ONEWINDOW_MASTER_KEY_FILE`
 *   (default `./var/master.key`, mode 0600); production sets it from a secret store.
 * - `ONEWINDOW_PII_KEYS` — the data keys that seal ID numbers and phones at rest, `id:hex64,…`
 *   (ids 1–65535, the first is current; e.g. `2:…,1:…` after a rotation). Unset: key 0, derived
 *   from the master key (HKDF), which stays readable once a list is set. See platform/pii-vault.ts;
 *   `onewindow pii rotate` re-seals every value under the current key.
 * - Staff single sign-on through OpenID Connect (off unless `ONEWINDOW_OIDC_ISSUER` is set; see
 *   {@link loadOidcConfig}): `ONEWINDOW_OIDC_ISSUER` (the provider's issuer URL),
 *   `ONEWINDOW_OIDC_CLIENT_ID`, `ONEWINDOW_OIDC_CLIENT_SECRET`, `ONEWINDOW_OIDC_REDIRECT_URL`
 *   (default `{ONEWINDOW_PUBLIC_URL}/api/v1/auth/oidc/callback`), `ONEWINDOW_OIDC_USERNAME_CLAIM`
 *   (default `preferred_username`: the claim naming the local staff account),
 *   `ONEWINDOW_OIDC_SCOPE` (default `openid profile`) and `ONEWINDOW_OIDC_DISPLAY_NAME` (the login
 *   button's label, default 统一身份认证).
 */
export interface Config {
  port: number;
  host: string;
  databaseUrl?: string;
  dataDir: string;
  logLevel: string;
  secureCookies: boolean;
  /** Where the built web app lives; `null` disables static serving. */
  webDist: string | null;
  /** Clock used for every business timestamp; tests inject a fixed one. */
  now: () => Date;
  /** How periods are counted (the law's convention unless configured). */
  clockConvention: { countStartDay: boolean; moveToWorkingDay: boolean };
  /** The 32-byte master key (resolved on first use). */
  masterKey: () => Buffer;
  /** Where the master key is read from (or generated into) when ONEWINDOW_MASTER_KEY is unset; null when it is set. */
  masterKeyFile: string | null;
  /** ONEWINDOW_PII_KEYS parsed (current first), or null: key 0 derived from the master key is current. */
  piiKeys: PiiKey[] | null;
  /** Public base URL, without a trailing slash (QR codes of documents point under it). */
  publicUrl: string;
  /** Fastify's trustProxy: false, true, or a list of proxy addresses (ONEWINDOW_TRUST_PROXY). */
  trustProxy: boolean | string;
  /** Staff single sign-on (OpenID Connect); `null` when off (no ONEWINDOW_OIDC_ISSUER). */
  oidc: OidcConfig | null;
}

/** The OpenID Connect relying-party settings of staff single sign-on. */
export interface OidcConfig {
  /** the provider's issuer identifier (its discovery document is under `/.well-known/openid-configuration`) */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** the redirect URI registered at the provider: our `/api/v1/auth/oidc/callback` */
  redirectUrl: string;
  /** the ID-token or userinfo claim whose value is the username of a local staff account */
  usernameClaim: string;
  /** scopes requested (space-separated; must include `openid` and what the username claim needs) */
  scope: string;
  /** the provider's name on the login button */
  displayName: string;
  /** true only for an `http://` issuer on localhost or 127.0.0.1 (tests, a provider on this machine) */
  allowInsecureRequests: boolean;
}

/**
 * Reads the single sign-on settings (`ONEWINDOW_OIDC_*`, see {@link Config}).
 * @returns `null` when `ONEWINDOW_OIDC_ISSUER` is unset or empty (sign-on off)
 * @throws Error when the issuer is not an http(s) URL, is `http://` on a host other than localhost
 *   or 127.0.0.1, or when the client ID or secret is missing
 */
export function loadOidcConfig(env: NodeJS.ProcessEnv, publicUrl: string): OidcConfig | null {
  const issuer = env.ONEWINDOW_OIDC_ISSUER?.trim();
  if (!issuer) return null;
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    throw new Error('ONEWINDOW_OIDC_ISSUER must be a URL (https://…)');
  }
  const local = url.hostname === 'localhost' || url.hostname === '127.0.0.1';
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && local)) {
    throw new Error('ONEWINDOW_OIDC_ISSUER must use https:// (http:// only on localhost or 127.0.0.1)');
  }
  const clientId = env.ONEWINDOW_OIDC_CLIENT_ID?.trim();
  const clientSecret = env.ONEWINDOW_OIDC_CLIENT_SECRET;
  if (!clientId || !clientSecret) throw new Error('ONEWINDOW_OIDC_ISSUER is set: ONEWINDOW_OIDC_CLIENT_ID and ONEWINDOW_OIDC_CLIENT_SECRET are needed too');
  return {
    issuer,
    clientId,
    clientSecret,
    redirectUrl: env.ONEWINDOW_OIDC_REDIRECT_URL?.trim() || `${publicUrl}/api/v1/auth/oidc/callback`,
    usernameClaim: env.ONEWINDOW_OIDC_USERNAME_CLAIM?.trim() || 'preferred_username',
    scope: env.ONEWINDOW_OIDC_SCOPE?.trim() || 'openid profile',
    displayName: env.ONEWINDOW_OIDC_DISPLAY_NAME?.trim() || '统一身份认证',
    allowInsecureRequests: url.protocol === 'http:',
  };
}

/**
 * Resolves the master key: from `hex` when given, else from `file`, else a new random key
 * written to `file` (mode 0600).
 * @throws Error when `hex` or the file's content is not 64 hex characters
 */
export function resolveMasterKey(hex: string | undefined, file: string): Buffer {
  const parse = (s: string, from: string) => {
    if (!/^[0-9a-fA-F]{64}$/.test(s.trim())) throw new Error(`${from} must be 64 hex characters (32 bytes)`);
    return Buffer.from(s.trim(), 'hex');
  };
  if (hex) return parse(hex, 'ONEWINDOW_MASTER_KEY');
  if (fs.existsSync(file)) return parse(fs.readFileSync(file, 'utf8'), file);
  const key = crypto.randomBytes(32);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, key.toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
  return key;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  let masterKey: Buffer | undefined;
  // relative to the working directory, like the data folder's default: keep it with the database
  const masterKeyFile = path.resolve(env.ONEWINDOW_MASTER_KEY_FILE ?? 'var/master.key');
  const port = Number(env.PORT ?? 3000);
  const publicUrl = (env.ONEWINDOW_PUBLIC_URL || `http://localhost:${port}`).replace(/\/+$/, '');
  return {
    port,
    host: env.HOST ?? '0.0.0.0',
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: path.resolve(env.ONEWINDOW_DATA_DIR ?? 'var/db'),
    logLevel: env.ONEWINDOW_LOG_LEVEL ?? 'warn',
    secureCookies: env.ONEWINDOW_SECURE_COOKIES === '1',
    webDist: path.resolve('web/dist'),
    now: () => new Date(),
    clockConvention: { countStartDay: env.ONEWINDOW_CLOCK_COUNT_START_DAY === '1', moveToWorkingDay: env.ONEWINDOW_CLOCK_MOVE_TO_WORKING_DAY !== '0' },
    trustProxy: env.ONEWINDOW_TRUST_PROXY === '1' ? true : env.ONEWINDOW_TRUST_PROXY && env.ONEWINDOW_TRUST_PROXY !== '0' ? env.ONEWINDOW_TRUST_PROXY : false,
    publicUrl,
    oidc: loadOidcConfig(env, publicUrl),
    piiKeys: env.ONEWINDOW_PII_KEYS?.trim() ? parsePiiKeys(env.ONEWINDOW_PII_KEYS) : null,
    masterKey: () => (masterKey ??= resolveMasterKey(env.ONEWINDOW_MASTER_KEY, masterKeyFile)),
    masterKeyFile: env.ONEWINDOW_MASTER_KEY ? null : masterKeyFile,
  };
}
