/**
 * Browser test: 统计分析 (the staff dashboard, /stats) and 大厅公示屏 (the public hall screen,
 * /screen) through the web app, in Debian's Chromium by playwright-core.
 * - Cases are made through the API: one submitted and accepted in March and left open (overdue
 *   now), and in September one granted, one accepted at another department, one waiting.
 * - The administrator reaches 统计分析 from the menu; every rate card shows the API's value as
 *   `99.52%` with its numerator / denominator, and its formula in a tooltip; the charts draw on a
 *   canvas; the overdue count matches the API.
 * - Drill-down: the department table's 行政审批局 row opens the case list filtered by department
 *   and period (sent to GET /applications), listing that department's cases only; the March row
 *   and the overdue card open their cases too.
 * - 导出 Excel downloads the workbook of the current filters.
 * - The hall screen opens without signing in, outside the site's frame, with the year's figures
 *   and chart, and asks for fresh figures every minute.
 * Screenshots go to test/e2e/screenshots/stats-*.png.
 *
 * Needs /usr/bin/chromium and a CJK font; in CI a missing browser fails, elsewhere the test is
 * skipped with a loud notice (./browser.ts).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertItems } from '../../src/modules/catalog/service.js';
import { testItem } from '../support/items.js';
import { fmtCount, fmtFraction, fmtPercent, type PublicStats, type StatsSummary } from '../../web/src/pages/statsLogic.js';
import { haveChromium, NOW, shot, signIn, startBrowserApp, type BrowserApp } from './browser.js';

/** reviewed by 住建局 (the demo reviewer), decided by 审批局 (the demo signatory) */
const SPJ_ITEM = testItem({ code: 'TEST-STATS-SPJ', name: '统计测试事项（审批局）', departmentCode: 'QC-SPJ', reviewDepartmentCode: 'QC-ZJJ', decisionDepartmentCode: 'QC-SPJ' });
const SJJ_ITEM = testItem({ code: 'TEST-STATS-SJJ', name: '统计测试事项（市场监管局）', departmentCode: 'QC-SJJ' });
const PERIOD = { from: '2026-01-01', to: '2026-09-30' };
const CASE_RATES = ['completion', 'onTime', 'satisfaction', 'explicitSatisfaction', 'immediateHandling', 'singleWindow', 'onlineChannel'] as const;

describe.skipIf(!haveChromium)('statistics dashboard and hall screen through the web app', () => {
  let b: BrowserApp;
  /** our cases by name */
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    b = await startBrowserApp();
    const { t } = b;
    await upsertItems(t.database.db, [SPJ_ITEM, SJJ_ITEM]);
    const submit = async (token: string, itemCode: string) => {
      const res = await t.call('POST', '/api/v1/applications', token, { itemCode, form: { note: '统计测试' }, materials: [] }, { 'idempotency-key': crypto.randomUUID() });
      expect(res.statusCode, res.body).toBe(201);
      return res.json() as { id: string; version: number };
    };
    const act = async (token: string, id: string, action: string, version: number, comment = '') => {
      const res = await t.call('POST', `/api/v1/applications/${id}/actions/${action}`, token, { version, comment });
      expect(res.statusCode, `${action}: ${res.body}`).toBe(200);
      return res.json() as { version: number };
    };

    // March: submitted and accepted, never decided — overdue now (5 working days)
    t.setNow('2026-03-10T02:00:00Z');
    try {
      const [citizen, clerk] = [await t.login('citizen'), await t.login('clerk')];
      const march = await submit(citizen, SPJ_ITEM.code);
      ids.marchOverdue = march.id;
      await act(clerk, march.id, 'accept', march.version, '材料齐全，予以受理');
    } finally {
      t.setNow(NOW);
    }
    // September: one granted, one accepted at another department, one waiting for acceptance
    const tok = { citizen: await t.login('citizen'), enterprise: await t.login('enterprise'), clerk: await t.login('clerk'), reviewer: await t.login('reviewer'), signatory: await t.login('signatory') };
    const granted = await submit(tok.citizen, SPJ_ITEM.code);
    ids.granted = granted.id;
    let v = (await act(tok.clerk, granted.id, 'accept', granted.version, '予以受理')).version;
    v = (await act(tok.reviewer, granted.id, 'review', v, '符合条件')).version;
    await act(tok.signatory, granted.id, 'grant', v, '准予许可');
    const other = await submit(tok.enterprise, SJJ_ITEM.code);
    ids.otherDept = other.id;
    await act(tok.clerk, other.id, 'accept', other.version, '予以受理');
    ids.waiting = (await submit(tok.citizen, SPJ_ITEM.code)).id;
  }, 180_000);

  afterAll(async () => {
    await b?.close();
  });

  /** The ids of the case rows the list shows (its first page). */
  const listedIds = async (page: Page) => (await page.getByTestId('application-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-id')))) as string[];

  /** Waits for the list's GET /applications with `params`, then for its rows. */
  async function waitForList(page: Page, params: Record<string, string>, open: () => Promise<unknown>) {
    const [request] = await Promise.all([
      page.waitForRequest((r) => {
        if (r.method() !== 'GET' || !r.url().includes('/api/v1/applications?')) return false;
        const q = new URL(r.url()).searchParams;
        return Object.entries(params).every(([k, v]) => q.get(k) === v);
      }, { timeout: 20_000 }),
      open(),
    ]);
    const response = await request.response();
    expect(response?.status(), await response?.text()).toBe(200);
    await page.getByTestId('list-filters').waitFor({ timeout: 15_000 });
    return request;
  }

  it('the administrator sees the rates with their fractions and formulas, the charts, and drills down to the cases', async () => {
    const { t, base } = b;
    const query = new URLSearchParams(PERIOD).toString();
    const apiSummary = await t.call('GET', `/api/v1/stats/summary?${query}`, await t.login('admin'));
    expect(apiSummary.statusCode, apiSummary.body).toBe(200);
    const summary = apiSummary.json() as StatsSummary;
    // our cases are in the cohort
    expect(summary.counts.submitted).toBeGreaterThanOrEqual(4);
    expect(summary.counts.overdue).toBeGreaterThanOrEqual(1);

    const admin = await signIn(b, 'admin');
    // the charts draw at once (no animation: the page's clock stands still at the platform's time)
    await admin.emulateMedia({ reducedMotion: 'reduce' });
    // reached from the menu
    await admin.goto(`${base}/workbench`);
    await admin.getByTestId('nav-stats').click();
    await admin.waitForURL(/\/stats(\?|$)/, { timeout: 15_000 });
    await expect.poll(() => admin.getByTestId('stats-title').textContent(), { timeout: 15_000 }).toContain('统计分析');

    // every rate: the API's value as a percentage with two decimals, and numerator / denominator
    await admin.getByTestId('kpi-completion').waitFor({ timeout: 20_000 });
    for (const k of CASE_RATES) {
      const card = admin.getByTestId(`kpi-${k}`);
      const rate = summary.rates[k];
      expect(await card.getByTestId('kpi-value').textContent(), k).toBe(fmtPercent(rate.value));
      expect(await card.getByTestId('kpi-fraction').textContent(), k).toBe(fmtFraction(rate));
    }
    for (const k of ['onlineAvailable', 'timeLimitCompression'] as const) {
      const card = admin.getByTestId(`kpi-${k}`);
      expect(await card.getByTestId('kpi-value').textContent(), k).toBe(fmtPercent(summary.catalog[k].value));
      expect(await card.getByTestId('kpi-fraction').textContent(), k).toBe(fmtFraction(summary.catalog[k]));
    }
    expect(await admin.getByTestId('kpi-completion').getByTestId('kpi-value').textContent()).toMatch(/^\d{1,3}\.\d{2}%$/);
    // the formula in words, on hover
    await admin.getByTestId('kpi-completion').getByTestId('kpi-formula').hover();
    await expect.poll(() => admin.getByRole('tooltip').filter({ hasText: '办结率 =' }).first().textContent(), { timeout: 10_000 }).toContain('已受理办件中已办结（准予、不予许可或终止）的件数 ÷ 已受理件数');
    await admin.getByTestId('kpi-timeLimitCompression').getByTestId('kpi-formula').hover();
    await expect.poll(() => admin.getByRole('tooltip').filter({ hasText: '时限压缩率 =' }).first().textContent(), { timeout: 10_000 }).toContain('1 − Σ承诺时限 ÷ Σ法定时限');

    // counts and the clock cards
    expect(await admin.getByTestId('count-submitted').textContent()).toBe(fmtCount(summary.counts.submitted));
    expect(await admin.getByTestId('clock-overdue-value').textContent()).toContain(fmtCount(summary.counts.overdue));
    expect(await admin.getByTestId('clock-warning-value').textContent()).toContain(fmtCount(summary.counts.warning));

    // the charts draw on a canvas
    for (const chart of ['chart-monthly', 'chart-department', 'chart-town', 'chart-channels', 'chart-depth']) {
      await expect.poll(() => admin.locator(`[data-testid="${chart}"] canvas`).count(), { timeout: 15_000, message: chart }).toBeGreaterThan(0);
    }
    const box = await admin.locator('[data-testid="chart-monthly"] canvas').first().boundingBox();
    expect(box!.width).toBeGreaterThan(200);
    expect(box!.height).toBeGreaterThan(200);
    // the breakdown tables: one row a month, March's and September's among them
    await expect.poll(() => admin.locator('[data-testid="breakdown-row"][data-by="month"]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-key'))), { timeout: 15_000 }).toEqual(expect.arrayContaining(['2026-03', '2026-09']));
    await admin.mouse.move(0, 0);
    await admin.getByRole('tooltip').filter({ hasText: '时限压缩率 =' }).waitFor({ state: 'hidden', timeout: 10_000 });
    await shot(admin, 'stats-01-dashboard');

    // 导出 Excel: the workbook of the current filters
    const exportHref = await admin.getByTestId('stats-export').getAttribute('href');
    expect(exportHref).toBe(`/api/v1/stats/export.xlsx?${query}`);
    const [download] = await Promise.all([admin.waitForEvent('download', { timeout: 30_000 }), admin.getByTestId('stats-export').click()]);
    expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
    const saved = fs.readFileSync((await download.path())!);
    expect(saved.subarray(0, 2).toString()).toBe('PK');

    // drill-down: the department table's 审批局 row opens that department's cases in the period
    await admin.getByTestId('breakdown-tab-department').click();
    const spjRow = admin.locator('[data-testid="breakdown-row"][data-key="QC-SPJ"]');
    await spjRow.waitFor({ timeout: 15_000 });
    await waitForList(admin, { departmentCode: 'QC-SPJ', ...PERIOD }, () => spjRow.getByTestId('breakdown-link').click());
    expect(new URL(admin.url()).pathname).toBe('/workbench');
    expect(Object.fromEntries(new URL(admin.url()).searchParams)).toEqual({ tab: 'all', departmentCode: 'QC-SPJ', ...PERIOD });
    await expect.poll(() => admin.getByTestId('list-filter-department').textContent()).toContain('行政审批局');
    await expect.poll(() => listedIds(admin), { timeout: 15_000 }).toEqual(expect.arrayContaining([ids.marchOverdue, ids.granted, ids.waiting]));
    expect(await listedIds(admin)).not.toContain(ids.otherDept);
    await shot(admin, 'stats-02-drilldown-department');

    // clearing the filters shows every case again
    await admin.getByTestId('list-filters-clear').click();
    await expect.poll(() => listedIds(admin), { timeout: 15_000 }).toEqual(expect.arrayContaining([ids.otherDept, ids.granted]));
    expect(await admin.getByTestId('list-filters').count()).toBe(0);

    // March: the month's cases only
    await admin.goto(`${base}/stats`);
    const marchRow = admin.locator('[data-testid="breakdown-row"][data-by="month"][data-key="2026-03"]');
    await marchRow.waitFor({ timeout: 15_000 });
    await waitForList(admin, { from: '2026-03-01', to: '2026-03-31' }, () => marchRow.getByTestId('breakdown-link').click());
    await expect.poll(() => listedIds(admin), { timeout: 15_000 }).toContain(ids.marchOverdue);
    expect(await listedIds(admin)).not.toContain(ids.granted);

    // 超期: the open cases past their due date, whenever submitted
    await admin.goto(`${base}/stats`);
    await admin.getByTestId('clock-overdue').waitFor({ timeout: 15_000 });
    await waitForList(admin, { clock: 'overdue' }, () => admin.getByTestId('clock-overdue').click());
    expect(new URL(admin.url()).searchParams.get('from')).toBeNull();
    await expect.poll(() => listedIds(admin), { timeout: 15_000 }).toContain(ids.marchOverdue);
    expect(await listedIds(admin)).not.toContain(ids.waiting);
    await expect.poll(() => admin.getByTestId('list-filter-clock').textContent()).toContain('超期');

    // a filter on the dashboard goes to the API and into the URL
    const [filtered] = await Promise.all([
      admin.waitForResponse((r) => r.url().includes('/api/v1/stats/summary?') && new URL(r.url()).searchParams.get('departmentCode') === 'QC-SJJ', { timeout: 20_000 }),
      admin.goto(`${base}/stats?${query}&departmentCode=QC-SJJ`),
    ]);
    expect(filtered.status()).toBe(200);
    await expect.poll(() => admin.locator('[data-testid="breakdown-row"][data-by="month"]').count(), { timeout: 15_000 }).toBeGreaterThan(0);
    expect(await admin.getByTestId('stats-export').getAttribute('href')).toContain('departmentCode=QC-SJJ');

    // English
    await admin.getByTestId('lang-en').click();
    await expect.poll(() => admin.getByTestId('stats-title').textContent()).toContain('Statistics');
    expect(await admin.getByTestId('kpi-completion').textContent()).toContain('Completion rate');
    await shot(admin, 'stats-04-english-filtered');
  }, 240_000);

  it('the hall screen shows the year to anyone, full-screen, and refreshes every minute', async () => {
    const { t, base } = b;
    const res = await t.call('GET', '/api/v1/stats/public?year=2026');
    expect(res.statusCode, res.body).toBe(200);
    const pub = res.json() as PublicStats;

    const context = await b.browser.newContext({ locale: 'zh-CN', viewport: { width: 1920, height: 1080 }, reducedMotion: 'reduce' });
    const page = await context.newPage();
    // the page's timers under the test's control, from the platform's day
    await page.clock.install({ time: new Date(NOW) });
    const publicCalls: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/api/v1/stats/public')) publicCalls.push(r.url());
    });
    await page.goto(`${base}/screen`);
    await page.getByTestId('hall-screen').waitFor({ timeout: 20_000 });
    await expect.poll(() => page.getByTestId('screen-count-submitted').textContent(), { timeout: 20_000 }).toContain(fmtCount(pub.counts.submitted));
    expect(publicCalls[0]).toContain('year=2026');
    expect(await page.getByTestId('screen-year').textContent()).toContain('2026');
    for (const k of ['completion', 'onTime', 'satisfaction'] as const) {
      const card = page.getByTestId(`screen-rate-${k}`);
      expect(await card.getByTestId('screen-rate-value').textContent(), k).toBe(fmtPercent(pub.rates[k].value));
      expect(await card.getByTestId('screen-rate-fraction').textContent(), k).toContain(`${fmtCount(pub.rates[k].numerator)} / ${fmtCount(pub.rates[k].denominator)}`);
    }
    expect(await page.getByTestId('screen-items').textContent()).toContain(fmtCount(pub.catalog.items));
    await expect.poll(() => page.locator('[data-testid="screen-chart-monthly"] canvas').count(), { timeout: 15_000 }).toBeGreaterThan(0);
    // outside the site's frame: no menu, no sign-in button, nobody signed in
    expect(await page.getByTestId('nav-login').count()).toBe(0);
    expect(await page.locator('.ow-header').count()).toBe(0);
    // large type, readable across the hall
    const size = await page.getByTestId('screen-rate-completion').getByTestId('screen-rate-value').evaluate((el) => parseFloat((globalThis as unknown as { getComputedStyle(e: unknown): { fontSize: string } }).getComputedStyle(el).fontSize));
    expect(size).toBeGreaterThanOrEqual(80);
    await shot(page, 'stats-03-hall-screen');
    // one screen, no scrolling
    expect(await page.evaluate<number>('document.documentElement.scrollHeight')).toBeLessThanOrEqual(1080);

    // a minute later it asks again
    const before = publicCalls.length;
    await page.clock.runFor(61_000);
    await expect.poll(() => publicCalls.length, { timeout: 15_000 }).toBeGreaterThan(before);
    await context.close();
  }, 120_000);
});
