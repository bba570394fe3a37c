/**
 * Stored XSS (issue #6, bad input): text a user stores comes back as inert JSON (a JSON content
 * type, `X-Content-Type-Options: nosniff`, a script-free CSP) exactly as sent; where the server
 * puts stored text into markup — the SVG seal picture drawn from a department's name, the PDF's
 * Info dictionary — it is escaped. The web app never inserts markup (checked in its sources).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackends } from '../src/db/testing.js';
import { upsertItems } from '../src/modules/catalog/service.js';
import { renderDocumentPdf } from '../src/modules/documents/pdf.js';
import { startTestApp, type TestApp } from './support/app.js';
import { testItem } from './support/items.js';

const SCRIPT = '<script>alert(1)</script>';
const BREAKOUT = '"><svg onload=alert(1)>';

const FIXTURE = testItem({ code: 'TEST-XSS-1', name: '标记测试事项' });

/** The element names of an SVG or other markup text. */
const elements = (markup: string) => [...markup.matchAll(/<([A-Za-z][\w:-]*)/g)].map((m) => m[1]);

describe('the web app never inserts markup', () => {
  it('has no dangerouslySetInnerHTML, innerHTML, document.write or eval in web/src', () => {
    const root = path.resolve(import.meta.dirname, '../web/src');
    const files = fs.readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => /\.(tsx?|jsx?)$/.test(f));
    expect(files.length).toBeGreaterThan(10);
    for (const f of files) {
      const text = fs.readFileSync(path.join(root, f), 'utf8');
      expect({ f, hits: text.match(/dangerouslySetInnerHTML|\.innerHTML|\.outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function\(|srcdoc/g) }).toEqual({ f, hits: null });
    }
  });
});

describe('the PDF Info dictionary keeps markup and PDF delimiters as text', () => {
  it('reads back the exact title and issuer', async () => {
    const issuer = `${SCRIPT}${BREAKOUT}) /Author (x\\`;
    const pdf = await renderDocumentPdf({
      title: `受理通知书${SCRIPT}`,
      numberLine: '文号：QCSL2026000001',
      documentNumber: 'QCSL2026000001',
      recipient: `${BREAKOUT}：`,
      paragraphs: [SCRIPT],
      fields: [{ label: '申请人', value: BREAKOUT }],
      issuerName: issuer,
      issuedDate: '2026-09-30',
      seal: { name: '清远市清城区行政审批局', purpose: '行政审批专用章', code: '4418020000001' },
      verifyUrl: 'http://localhost:3000/verify/QCSL2026000001',
      createdAt: new Date('2026-09-30T02:15:00Z'),
    });
    const doc = await getDocument({ data: Uint8Array.from(pdf), isEvalSupported: false, useSystemFonts: false, verbosity: 0 }).promise;
    const info = (await doc.getMetadata()).info as Record<string, unknown>;
    expect(info.Author).toBe(issuer);
    expect(info.Title).toBe(`受理通知书${SCRIPT}`);
    await doc.destroy();
  });
});

describe.each(testBackends())('stored text stays inert on %s', (backend) => {
  let t: TestApp;
  let admin: string;
  let citizen: string;

  beforeAll(async () => {
    t = await startTestApp(backend);
    await upsertItems(t.database.db, [FIXTURE]);
    admin = await t.login('admin');
    citizen = await t.login('citizen');
  });
  afterAll(async () => t?.close());

  function expectInertJson(res: { headers: Record<string, unknown> }) {
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(String(res.headers['content-security-policy'])).toContain("script-src 'self'");
  }

  it('returns an application\'s form fields as the JSON text sent, with a JSON type and nosniff', async () => {
    const form = { note: SCRIPT, remark: BREAKOUT, [SCRIPT]: BREAKOUT, nested: { list: [SCRIPT, BREAKOUT] } };
    const submitted = await t.call('POST', '/api/v1/applications', citizen, { itemCode: FIXTURE.code, form, materials: [{ name: '申请表', fileName: `${SCRIPT}.pdf` }] }, { 'idempotency-key': crypto.randomUUID() });
    expect(submitted.statusCode).toBe(201);
    expectInertJson(submitted);
    const detail = await t.call('GET', `/api/v1/applications/${submitted.json().id}`, citizen);
    expect(detail.statusCode).toBe(200);
    expectInertJson(detail);
    expect(detail.json().form).toEqual(form);
    // a file name keeps its last path segment without angle brackets: `</script>.pdf` → `script.pdf`
    expect(detail.json().materials[0].fileName).toBe('script.pdf');
    const list = await t.call('GET', '/api/v1/applications', citizen);
    expectInertJson(list);
  });

  it('echoes markup from the URL in error messages only inside JSON', async () => {
    const res = await t.call('GET', `/api/v1/items/${encodeURIComponent(SCRIPT)}`);
    expect(res.statusCode).toBe(404);
    expectInertJson(res);
    expect(res.json().error.message).toContain(SCRIPT);
    const action = await t.call('POST', `/api/v1/applications/${crypto.randomUUID()}/actions/${encodeURIComponent('<svg onload=alert(1)>')}`, citizen, { version: 1 });
    expect(action.statusCode).toBe(404);
    expectInertJson(action);
    // refused before routing (a URL that does not decode): still JSON with nosniff
    const undecodable = await t.call('GET', '/api/v1/items/%zz%3Cscript%3E');
    expect(undecodable.statusCode).toBe(400);
    expect(undecodable.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(undecodable.headers['x-content-type-options']).toBe('nosniff');
  });

  it('escapes a department name imported with markup in its seal picture (SVG), and makes the seal at all', async () => {
    const csv = ['事项编码,事项名称,事项类型,实施主体,dept_code', `XSS-ITEM-1,标记事项一,行政许可,${SCRIPT},XSS-DEPT-1`, `XSS-ITEM-2,标记事项二,行政许可,"${BREAKOUT.replace(/"/g, '""')}",XSS-DEPT-2`].join('\n');
    const imported = await t.app.inject({
      method: 'POST',
      url: '/api/v1/catalog/import?createDepartments=true&regionCode=441802',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'text/csv' },
      payload: csv,
    });
    expect(imported.json()).toMatchObject({ saved: 2, rejected: [] });
    const item = await t.call('GET', '/api/v1/items/XSS-ITEM-2');
    expectInertJson(item);
    expect(item.json().departmentName).toBe(BREAKOUT);

    for (const [code, name] of [
      ['XSS-DEPT-1', SCRIPT],
      ['XSS-DEPT-2', BREAKOUT],
    ] as const) {
      const rotated = await t.call('POST', `/api/v1/seals/${code}/rotate`, admin);
      // a name with a space used to stop the seal maker (RangeError → 500)
      expect(rotated.statusCode).toBe(200);
      expectInertJson(rotated);
      const seal = rotated.json();
      expect(seal.name).toBe(`${name}业务专用章`);
      expect(elements(seal.pictureSvg).filter((e) => !['svg', 'title', 'circle', 'path', 'g', 'text'].includes(e!))).toEqual([]);
      expect(elements(seal.pictureSvg).filter((e) => e === 'svg')).toHaveLength(1);
      // no element but the seal's own, and no event-handler attribute: the name is text
      expect(seal.pictureSvg).not.toMatch(/<script|\son\w+\s*=/i);
      expect(seal.pictureSvg).toContain(code === 'XSS-DEPT-1' ? '&lt;script&gt;alert(1)&lt;/script&gt;' : '&quot;&gt;&lt;svgonload=alert(1)&gt;');
    }
    const listed = await t.call('GET', '/api/v1/seals');
    expectInertJson(listed);
  });

  it('refuses with 422 a department name too long for a seal, instead of failing', async () => {
    const csv = ['事项编码,事项名称,事项类型,实施主体,dept_code', `XSS-ITEM-3,长名事项,行政许可,${'很'.repeat(41)},XSS-DEPT-3`].join('\n');
    await t.app.inject({ method: 'POST', url: '/api/v1/catalog/import?createDepartments=true&regionCode=441802', headers: { authorization: `Bearer ${admin}`, 'content-type': 'text/csv' }, payload: csv });
    const rotated = await t.call('POST', '/api/v1/seals/XSS-DEPT-3/rotate', admin);
    expect(rotated.statusCode).toBe(422);
    expect(rotated.json().error.code).toBe('SEAL_TEXT_INVALID');
  });
});
