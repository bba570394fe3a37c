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
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return {
    port: Number(env.PORT ?? 3000),
    host: env.HOST ?? '0.0.0.0',
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: path.resolve(env.ONEWINDOW_DATA_DIR ?? 'var/db'),
    logLevel: env.ONEWINDOW_LOG_LEVEL ?? 'warn',
    secureCookies: env.ONEWINDOW_SECURE_COOKIES === '1',
    webDist: path.resolve('web/dist'),
    now: () => new Date(),
  };
}
