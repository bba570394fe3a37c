/**
 * Browser test: 电子证照 · 免证办 through the web app, in Debian's Chromium by playwright-core.
 * - The demo citizen (holding an imported 居民身份证 and 居民户口簿) applies for
 *   城乡居民基本养老保险参保登记 (QC-RSJ-005), ticking "使用我的电子证照" for both materials:
 *   they are sent as `{materialId, licenseId}`, no file.
 * - The window clerk opens the case and sees both licences retrieved and verified (已核验) with
 *   their data.
 * - The citizen's wallet shows the clerk's retrieval in the licence's access log (用证记录).
 * - Anyone verifies the licence by its identifier on a phone; a mistyped check character is
 *   refused with the server's reason.
 * Screenshots go to test/e2e/screenshots/lic-*.png.
 *
 * Needs /usr/bin/chromium and a CJK font; in CI a missing browser fails, elsewhere the test is
 * skipped with a loud notice (./browser.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { haveChromium, NOW, shot, signIn, startBrowserApp, type BrowserApp } from './browser.js';

const ITEM = 'QC-RSJ-005';
/** 申请人有效身份证件 → resident_id, 居民户口簿 → household_register */
const ID_CARD = 232;
const HOUSEHOLD = 233;

describe.skipIf(!haveChromium)('licence-free handling (免证办) through the web app', () => {
  let b: BrowserApp;

  beforeAll(async () => {
    b = await startBrowserApp();
  }, 180_000);

  afterAll(async () => {
    await b?.close();
  });

  it('the citizen applies with their e-licences, the clerk sees them verified, the wallet logs the retrieval, anyone verifies the licence', async () => {
    const { t, base } = b;
    const wallet = (await t.call('GET', '/api/v1/licenses/mine', await t.login('citizen'))).json().items as { id: string; type: string; identifier: string }[];
    const idCard = wallet.find((l) => l.type === 'resident_id')!;
    const household = wallet.find((l) => l.type === 'household_register')!;
    expect(idCard && household).toBeTruthy();

    // Citizen: the item guide marks the item and both materials 免证办.
    const citizen = await signIn(b, 'citizen');
    await citizen.goto(`${base}/items/${ITEM}`);
    await expect.poll(() => citizen.getByTestId('material-elicence').count(), { timeout: 15_000 }).toBe(2);
    expect(await citizen.getByTestId('material-elicence-type').allTextContents()).toEqual([expect.stringContaining('居民身份证'), expect.stringContaining('居民户口簿')]);
    await citizen.getByTestId('apply-button').first().click();
    await citizen.waitForURL(new RegExp(`/apply/${ITEM}$`));

    // The form offers each licence from the wallet; ticking both says it authorises their use.
    await citizen.getByTestId('apply-subject').fill('城乡居民基本养老保险参保');
    await citizen.getByTestId('apply-phone').fill('13800001234');
    await citizen.getByTestId('apply-address').fill('清远市清城区凤城街道演示路1号');
    await expect.poll(() => citizen.getByTestId(`material-license-info-${ID_CARD}`).textContent(), { timeout: 15_000 }).toContain('居民身份证');
    expect(await citizen.getByTestId(`material-license-info-${HOUSEHOLD}`).textContent()).toContain('居民户口簿');
    expect(await citizen.getByTestId('license-consent').count()).toBe(0);
    await citizen.getByTestId(`material-license-${ID_CARD}`).check();
    await citizen.getByTestId(`material-license-${HOUSEHOLD}`).check();
    await expect.poll(() => citizen.getByTestId('license-consent').textContent()).toContain('居民身份证、居民户口簿');
    expect(await citizen.getByTestId('missing-materials').count()).toBe(0);
    await shot(citizen, 'lic-01-citizen-apply-with-licences');
    const [created] = await Promise.all([
      citizen.waitForResponse((r) => r.url().endsWith('/api/v1/applications') && r.request().method() === 'POST', { timeout: 20_000 }),
      citizen.getByTestId('apply-submit').click(),
    ]);
    expect(created.status(), await created.text()).toBe(201);
    expect(created.request().postDataJSON().materials).toEqual([
      { materialId: ID_CARD, licenseId: idCard.id },
      { materialId: HOUSEHOLD, licenseId: household.id },
    ]);
    await citizen.waitForURL(/\/applications\/[0-9a-f-]{36}$/, { timeout: 15_000 });
    const id = citizen.url().split('/').pop()!;
    const number = (await citizen.getByTestId('application-number').textContent({ timeout: 15_000 }))!.trim();
    await expect.poll(() => citizen.getByTestId('material-by-license').count(), { timeout: 15_000 }).toBe(2);

    // Clerk: both licences retrieved under the citizen's authorisation, verified, whole.
    const clerk = await signIn(b, 'clerk');
    await clerk.goto(`${base}/applications/${id}`);
    const cards = clerk.getByTestId('app-license');
    await expect.poll(() => cards.count(), { timeout: 15_000 }).toBe(2);
    expect(await clerk.locator('[data-testid="app-license"][data-verified="true"]').count()).toBe(2);
    expect(await clerk.getByTestId('app-license-verdict').allTextContents()).toEqual(['已核验', '已核验']);
    const idCardBlock = clerk.locator(`[data-testid="app-license"][data-material-id="${ID_CARD}"]`);
    const idCardText = (await idCardBlock.textContent())!;
    for (const s of ['申请人有效身份证件', '居民身份证', '陈清华', '441802199003071235', '1990-03-07', '清远市公安局清城分局', idCard.identifier]) expect(idCardText).toContain(s);
    const householdText = (await clerk.locator(`[data-testid="app-license"][data-material-id="${HOUSEHOLD}"]`).textContent())!;
    for (const s of ['居民户口簿', '城镇居民家庭户', '广东省清远市清城区凤城街道演示路1号']) expect(householdText).toContain(s);
    await shot(clerk, 'lic-02-clerk-licences-verified');

    // Citizen: the wallet's access log shows the clerk's retrieval, for this application, verified.
    await citizen.goto(`${base}/me/licenses`);
    const card = citizen.locator('[data-testid="wallet-license"][data-type="resident_id"]');
    // the licence's QR code, for showing it (亮证): drawn by antd as a canvas
    await expect.poll(() => card.locator('[data-testid="wallet-license-qr"] canvas').count(), { timeout: 15_000 }).toBe(1);
    await card.getByTestId('wallet-tab-auth').click();
    await expect.poll(() => card.getByTestId('license-auth-application').first().textContent(), { timeout: 15_000 }).toContain(number);
    await card.getByTestId('wallet-tab-log').click();
    const row = card.getByTestId('license-log-row').first();
    await row.waitFor({ timeout: 15_000 });
    const dept = ((await t.call('GET', '/api/v1/departments')).json().items as { code: string; name: string }[]).find((d) => d.code === 'QC-ZSJ')!.name;
    await expect.poll(() => row.getByTestId('license-log-dept').textContent()).toBe(dept);
    const logText = (await row.textContent())!;
    for (const s of ['综合窗口 李敏', number, '已核验', NOW.slice(0, 10)]) expect(logText).toContain(s);
    expect(await row.getByTestId('license-log-verified').getAttribute('data-verified')).toBe('true');
    await shot(citizen, 'lic-03-citizen-wallet-access-log');

    // Anyone, on a phone: the licence verifies by identifier; a wrong check character is refused.
    const context = await b.browser.newContext({ locale: 'zh-CN', viewport: { width: 375, height: 800 } });
    await context.clock.setFixedTime(new Date(NOW));
    const anon = await context.newPage();
    await anon.goto(`${base}/licenses/verify/${idCard.identifier}`);
    const result = anon.getByTestId('license-verify-result');
    await result.waitFor({ timeout: 15_000 });
    expect(await result.getAttribute('data-valid')).toBe('true');
    expect(await anon.getByTestId('license-verify-verdict').textContent()).toBe('证照真实有效');
    expect(await anon.getByTestId('license-verify-holder').textContent()).toContain('陈**');
    expect(await anon.getByTestId('license-verify-facts').textContent()).not.toContain('441802199003071235');
    await shot(anon, 'lic-04-public-verify-valid');
    const last = idCard.identifier.slice(-1);
    const wrong = `${idCard.identifier.slice(0, -1)}${last === 'A' ? 'B' : 'A'}`;
    await anon.getByTestId('license-verify-input').fill(wrong);
    await anon.getByTestId('license-verify-submit').click();
    await expect.poll(() => anon.getByTestId('license-verify-error-message').textContent(), { timeout: 15_000 }).toContain('校验位错误');
    await shot(anon, 'lic-05-public-verify-wrong-check');
    await context.close();
  }, 120_000);
});
