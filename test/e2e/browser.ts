/**
 * Shared setup of the browser tests: the platform on PGlite with the demo data and the built web
 * app, Debian's Chromium driven by playwright-core, signing in as a demo account, screenshots.
 *
 * Needs /usr/bin/chromium (Debian package `chromium`, or CHROMIUM_PATH) and a CJK font
 * (`fonts-noto-cjk`). In CI a missing browser fails the test file that imports this; elsewhere
 * the tests are skipped with a loud notice (use `describe.skipIf(!haveChromium)`).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const root = path.resolve(import.meta.dirname, '../..');
export const shots = path.join(root, 'test/e2e/screenshots');
export const haveChromium = fs.existsSync(CHROMIUM);
/** The platform clock of the test app (startTestApp's); the browser's clock shows the same day. */
export const NOW = '2026-09-30T02:00:00Z';

if (!haveChromium) {
  const msg = `Chromium not found at ${CHROMIUM}: the browser test cannot run. Install it with "apt-get install chromium fonts-noto-cjk".`;
  if (process.env.CI) throw new Error(msg);
  console.warn(`\n${'!'.repeat(100)}\n!! BROWSER TEST NOT RUN — ${msg}\n${'!'.repeat(100)}\n`);
}

export interface BrowserApp {
  t: TestApp;
  browser: Browser;
  /** e.g. http://127.0.0.1:41234 */
  base: string;
  close(): Promise<void>;
}

/** Builds the web app when stale, starts the platform on a free port and launches Chromium. */
export async function startBrowserApp(): Promise<BrowserApp> {
  execFileSync(process.execPath, [path.join(root, 'scripts/ensure-web-build.mjs')], { cwd: root, stdio: 'inherit' });
  const t = await startTestApp('pglite', { web: true });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const addr = t.app.server.address();
  const base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  fs.mkdirSync(shots, { recursive: true });
  return {
    t,
    browser,
    base,
    async close() {
      await browser.close();
      await t.close();
    },
  };
}

/** A new browser context (zh-CN, the platform's day) signed in as a demo account. */
export async function signIn(b: BrowserApp, username: string, opts: { width?: number; height?: number } = {}): Promise<Page> {
  const context = await b.browser.newContext({ locale: 'zh-CN', viewport: { width: opts.width ?? 1280, height: opts.height ?? 900 }, acceptDownloads: true });
  // "today" in the browser is the platform's day (deadline warnings and licence validity compare with it)
  await context.clock.setFixedTime(new Date(NOW));
  const page = await context.newPage();
  await page.goto(`${b.base}/login`);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill('onewindow-demo');
  await page.getByTestId('login-submit').click();
  await expect.poll(() => page.getByTestId('user-name').textContent(), { timeout: 15_000 }).toBeTruthy();
  return page;
}

/** A full-page screenshot in test/e2e/screenshots/. */
export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });
}
