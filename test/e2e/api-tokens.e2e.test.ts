/**
 * Browser test: 机器访问令牌 (access tokens for kiosks and partner systems) through the web app,
 * in Debian's Chromium by playwright-core, as the administrator:
 * - the page is reached from the admin menu;
 * - issuing for an unknown account shows the server's translated refusal;
 * - issuing for the hall kiosk (kiosk-hall-01) with items:read and licenses:read sends an
 *   the token is shown once with the warning and copies to the clipboard; it is
 *   in no storage and leaves the page with its modal; it calls items but not applications;
 * - revoking it (after a confirmation) marks it 已吊销 and its next call answers 401;
 * - the page's labels follow the language switch.
 * Screenshots go to test/e2e/screenshots/tok-*.png.
 *
 * Needs /usr/bin/chromium and a CJK font; in CI a missing browser fails, elsewhere the test is
 * skipped with a loud notice (./browser.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { haveChromium, shot, signIn, startBrowserApp, type BrowserApp } from './browser.js';

/** Picks `scope` in the antd multi-select of the issue form (typed to search, then clicked). */
async function pickScope(page: Page, scope: string): Promise<void> {
  await page.locator('[data-testid="issue-scopes"] input').fill(scope);
  await page.locator(`.ant-select-item-option[title="${scope}"]`).click();
  // close the list (it stays open in multiple mode) by clicking the modal's title
  await page.locator('.ant-modal-title').first().click();
  await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)').waitFor({ state: 'hidden' });
}

describe.skipIf(!haveChromium)('access tokens for kiosks through the web app', () => {
  let b: BrowserApp;

  beforeAll(async () => {
    b = await startBrowserApp();
  }, 180_000);

  afterAll(async () => {
    await b?.close();
  });

  it('the administrator issues a token for the hall kiosk, sees it once, and revokes it', async () => {
    const { t, base } = b;
    const admin = await signIn(b, 'admin');
    await admin.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });

    // reached from the admin menu (on a fresh load: the welcome message covers the menu)
    await admin.goto(`${base}/workbench`);
    const onPage = () => /\/admin\/api-tokens$/.test(admin.url());
    await expect
      .poll(
        async () => {
          // the submenu opens on hover and may close while the pointer travels: try again
          if (!onPage()) {
            await admin.getByTestId('nav-admin').hover();
            await admin.getByTestId('nav-api-tokens').click({ timeout: 5_000 }).catch(() => undefined);
          }
          return onPage();
        },
        { timeout: 30_000 },
      )
      .toBe(true);
    await expect.poll(() => admin.getByTestId('api-tokens-title').textContent(), { timeout: 15_000 }).toContain('机器访问令牌');

    // an account that may not hold a token: the server's message, in Chinese
    await admin.getByTestId('issue-open').click();
    expect(await admin.getByTestId('issue-username').inputValue()).toBe('kiosk-hall-01');
    expect(await admin.getByTestId('issue-valid-days').inputValue()).toBe('90');
    await admin.getByTestId('issue-name').fill('区政务服务中心自助终端 01');
    await admin.getByTestId('issue-username').fill('citizen');
    await pickScope(admin, 'items:read');
    await admin.getByTestId('issue-submit').click();
    await expect.poll(() => admin.getByTestId('issue-error').textContent(), { timeout: 15_000 }).toContain('没有可签发令牌的账户 citizen');

    // the hall kiosk, two read scopes, 30 days
    await admin.getByTestId('issue-username').fill('kiosk-hall-01');
    await pickScope(admin, 'licenses:read');
    await admin.getByTestId('issue-valid-days').fill('30');
    await shot(admin, 'tok-01-issue-form');
    const [issuedRes] = await Promise.all([
      admin.waitForResponse((r) => r.url().endsWith('/api/v1/api-tokens') && r.request().method() === 'POST', { timeout: 20_000 }),
      admin.getByTestId('issue-submit').click(),
    ]);
    expect(issuedRes.status(), await issuedRes.text()).toBe(201);
    expect(issuedRes.request().postDataJSON()).toEqual({ name: '区政务服务中心自助终端 01', username: 'kiosk-hall-01', scopes: ['items:read', 'licenses:read'], validDays: 30 });

    // shown once, with the warning and a copy button
    const tokenBox = admin.getByTestId('issued-token');
    await tokenBox.waitFor({ timeout: 15_000 });
    const token = await tokenBox.inputValue();
    expect(token).toMatch(/^owt_[A-Za-z0-9_-]{43}$/);
    expect(await admin.getByTestId('issued-warning').textContent()).toContain('仅显示一次，请妥善保存');
    await admin.getByTestId('issued-copy').click();
    await expect.poll(() => admin.evaluate<string>('navigator.clipboard.readText()'), { timeout: 5_000 }).toBe(token);
    await shot(admin, 'tok-02-issued-once');
    const stored = await admin.evaluate<string>('JSON.stringify({ local: { ...localStorage }, session: { ...sessionStorage } })');
    expect(stored).not.toContain(token);

    // the token works within its scopes only
    expect((await t.call('GET', '/api/v1/items?pageSize=1', token)).statusCode).toBe(200);
    const outside = await t.call('GET', '/api/v1/applications', token);
    expect(outside.statusCode).toBe(403);
    expect(outside.json().error.code).toBe('TOKEN_SCOPE_MISSING');

    // closed: gone from the page
    await admin.getByTestId('issued-done').click();
    await expect.poll(() => admin.getByTestId('issued-token').count()).toBe(0);
    expect(await admin.content()).not.toContain(token);

    // listed with its account, scopes and state
    const row = admin.getByTestId('api-token-row').filter({ hasText: '区政务服务中心自助终端 01' });
    await expect.poll(() => row.count(), { timeout: 15_000 }).toBe(1);
    const rowText = (await row.textContent())!;
    for (const s of ['kiosk-hall-01', 'items:read', 'licenses:read']) expect(rowText).toContain(s);
    expect(await row.getByTestId('api-token-state').textContent()).toBe('有效');

    // revoke, after a confirmation
    await row.getByTestId('api-token-revoke').click();
    await admin.getByTestId('api-token-revoke-confirm').click();
    await expect.poll(() => row.getByTestId('api-token-state').textContent(), { timeout: 15_000 }).toBe('已吊销');
    expect(await row.getByTestId('api-token-revoke').count()).toBe(0);
    await admin.locator('.ant-modal-confirm').waitFor({ state: 'detached', timeout: 15_000 });
    await shot(admin, 'tok-03-revoked');
    // revoked: no longer known (public routes stay open to anyone)
    const after = await t.call('GET', '/api/v1/applications', token);
    expect(after.statusCode).toBe(401);
    expect(after.json().error.code).toBe('UNAUTHENTICATED');

    // English labels
    await admin.getByTestId('lang-en').click();
    await expect.poll(() => admin.getByTestId('api-tokens-title').textContent()).toContain('Access tokens for kiosks and partner systems');
    expect(await row.getByTestId('api-token-state').textContent()).toBe('Revoked');
  }, 120_000);
});
