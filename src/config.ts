import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

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
  /** Public base URL, without a trailing slash (QR codes of documents point under it). */
  publicUrl: string;
  /** Fastify's trustProxy: false, true, or a list of proxy addresses (ONEWINDOW_TRUST_PROXY). */
  trustProxy: boolean | string;
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
  const port = Number(env.PORT ?? 3000);
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
    publicUrl: (env.ONEWINDOW_PUBLIC_URL || `http://localhost:${port}`).replace(/\/+$/, ''),
    masterKey: () => (masterKey ??= resolveMasterKey(env.ONEWINDOW_MASTER_KEY, path.resolve(env.ONEWINDOW_MASTER_KEY_FILE ?? 'var/master.key'))),
  };
}
