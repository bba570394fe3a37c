/**
 * Browser test: one application walks the whole lifecycle through the web app, driven in
 * Debian's Chromium by playwright-core, as the four roles — citizen (search, apply, rate),
 * clerk (accept, deliver), reviewer (review) and signatory (grant). Screenshots of every step go
 * to test/e2e/screenshots/.
 *
 * Needs /usr/bin/chromium (Debian package `chromium`) and a CJK font (`fonts-noto-cjk`). In CI a
 * missing browser fails the test; elsewhere the test is skipped with a loud notice.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const root = path.resolve(import.meta.dirname, '../..');
const shots = path.join(root, 'test/e2e/screenshots');
const haveChromium = fs.existsSync(CHROMIUM);

if (!haveChromium) {
  const msg = `Chromium not found at ${CHROMIUM}: the browser test cannot run. Install it with "apt-get install chromium fonts-noto-cjk".`;
  if (process.env.CI) throw new Error(msg);
  console.warn(`\n${'!'.repeat(100)}\n!! BROWSER TEST NOT RUN — ${msg}\n${'!'.repeat(100)}\n`);
}

describe.skipIf(!haveChromium)('the lifecycle through the web app', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    execFileSync(process.execPath, [path.join(root, 'scripts/ensure-web-build.mjs')], { cwd: root, stdio: 'inherit' });
    t = await startTestApp('pglite', { web: true });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const addr = t.app.server.address();
    base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    fs.mkdirSync(shots, { recursive: true });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function signIn(username: string): Promise<Page> {
    const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${base}/login`);
    await page.getByTestId('login-username').fill(username);
    await page.getByTestId('login-password').fill('onewindow-demo');
    await page.getByTestId('login-submit').click();
    await expect.poll(() => page.getByTestId('user-name').textContent(), { timeout: 15_000 }).toBeTruthy();
    return page;
  }

  async function shot(page: Page, name: string) {
    await page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });
  }

  async function act(page: Page, id: string, action: string, comment: string, expected: string) {
    await page.goto(`${base}/applications/${id}`);
    await page.getByTestId(`action-${action}`).click();
    const box = page.getByTestId('action-comment');
    await box.waitFor({ state: 'visible' });
    await box.fill(comment);
    // Wait for the action's own request and check its answer, then for the page to show it.
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith(`/api/v1/applications/${id}/actions/${action}`) && r.request().method() === 'POST', { timeout: 20_000 }),
      page.getByTestId('action-confirm').click(),
    ]);
    expect(response.status(), await response.text()).toBe(200);
    await expect.poll(() => page.getByTestId('status').first().textContent(), { timeout: 20_000 }).toContain(expected);
  }

  it('citizen applies, clerk accepts, reviewer reviews, signatory grants, clerk delivers, citizen rates', async () => {
    // Citizen: find the item by Chinese words and apply.
    const citizen = await signIn('citizen');
    await citizen.goto(`${base}/items`);
    await citizen.getByTestId('search-input').fill('挖掘 道路');
    await citizen.getByTestId('search-button').click();
    await citizen.getByTestId('item-link').filter({ hasText: '占用、挖掘城市道路审批' }).first().click();
    await expect.poll(() => citizen.getByTestId('item-name').textContent()).toContain('占用、挖掘城市道路审批');
    await shot(citizen, '01-citizen-service-guide');
    await citizen.getByTestId('apply-button').first().click();
    await citizen.getByTestId('apply-subject').fill('清城区凤城街道某小区燃气管道接驳临时开挖');
    await citizen.getByTestId('apply-phone').fill('13800001234');
    await citizen.getByTestId('apply-address').fill('清远市清城区凤城街道');
    const boxes = citizen.locator('[data-testid^="material-ready-"]');
    for (let i = 0; i < (await boxes.count()); i++) await boxes.nth(i).check();
    await shot(citizen, '02-citizen-apply');
    await citizen.getByTestId('apply-submit').click();
    await citizen.waitForURL(/\/applications\/[0-9a-f-]{36}$/, { timeout: 15_000 });
    const id = citizen.url().split('/').pop()!;
    await expect.poll(() => citizen.getByTestId('status').first().textContent()).toContain('已提交');
    await shot(citizen, '03-citizen-submitted');

    // Clerk: the comprehensive window's queue shows it; accept it.
    const clerk = await signIn('clerk');
    await clerk.goto(`${base}/workbench`);
    await expect.poll(() => clerk.getByTestId('application-row').count(), { timeout: 15_000 }).toBeGreaterThan(0);
    await shot(clerk, '04-clerk-queue');
    await act(clerk, id, 'accept', '材料齐全，予以受理', '已受理');
    // 20 working days from Wednesday 2026-09-30 (National Day 10-01…10-07 off, Saturday 10-10 worked) → 2026-11-03
    await expect.poll(() => clerk.getByTestId('due-date').first().textContent()).toContain('2026-11-03');
    await shot(clerk, '05-clerk-accepted');

    // Reviewer of the housing & construction bureau reviews.
    const reviewer = await signIn('reviewer');
    await reviewer.goto(`${base}/workbench`);
    await expect.poll(() => reviewer.getByTestId('application-row').count(), { timeout: 15_000 }).toBeGreaterThan(0);
    await act(reviewer, id, 'review', '符合《城市道路管理条例》第三十条规定的条件', '已审查');
    await shot(reviewer, '06-reviewer-reviewed');

    // Signatory of the approval bureau grants under the one seal.
    const signatory = await signIn('signatory');
    await act(signatory, id, 'grant', '准予许可', '准予许可');
    await expect.poll(() => signatory.getByTestId('decision-seal').textContent()).toContain('清远市清城区行政审批局');
    await shot(signatory, '07-signatory-granted');

    // Clerk delivers at the window.
    await act(clerk, id, 'deliver', '窗口领取', '已送达');
    await shot(clerk, '08-clerk-delivered');

    // Citizen sees the result and rates it.
    await citizen.goto(`${base}/applications/${id}`);
    await expect.poll(() => citizen.getByTestId('status').first().textContent()).toContain('已送达');
    // The platform clock is 2026-09-30T02:00Z: shown as Beijing time whatever the browser's zone.
    expect(await citizen.getByTestId('events').textContent()).toContain('2026-09-30 10:00');
    await citizen.getByTestId('rating-star-5').first().click(); // antd Rate draws each star twice (half stars)
    await citizen.getByTestId('rating-comment').fill('一窗办理，非常方便');
    await citizen.getByTestId('rating-submit').click();
    await expect.poll(() => citizen.getByTestId('evaluation-result').count(), { timeout: 15_000 }).toBe(1);
    await shot(citizen, '09-citizen-rated');

    const detail = (await t.call('GET', `/api/v1/applications/${id}`, await t.login('citizen'))).json();
    expect(detail.events.map((e: { action: string }) => e.action)).toEqual(['submit', 'accept', 'review', 'grant', 'deliver']);
    expect(detail.evaluation).toMatchObject({ rating: 5, comment: '一窗办理，非常方便' });
    expect(detail.form).toBeTruthy();
  }, 180_000);
});
