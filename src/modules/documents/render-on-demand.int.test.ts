/**
 * Documents are rendered apart from the transitions that issue them: the transition seals the
 * content; the PDF is rendered on first need (download, verification), once, and its digest
 * signed by the seal that sealed the content, even after that seal was rotated.
 */
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/support/app.js';
import { testItem } from '../../../test/support/items.js';
import { testBackends } from '../../db/testing.js';
import { sm2Verify, sm3Hex } from '../../platform/gm-crypto.js';
import { upsertItems } from '../catalog/service.js';

const ITEM = testItem({ code: 'TEST-RENDER', name: '文书渲染测试事项' });

describe.each(testBackends())('documents rendered on demand on %s', (backend) => {
  let t: TestApp;
  const tok: Record<string, string> = {};
  beforeAll(async () => {
    t = await startTestApp(backend);
    await upsertItems(t.database.db, [ITEM]);
    for (const u of ['citizen', 'clerk', 'admin']) tok[u] = await t.login(u);
  });
  afterAll(async () => t?.close());

  const get = async (id: string) => (await t.call('GET', `/api/v1/applications/${id}`, tok.citizen)).json();
  async function accepted(): Promise<string> {
    const sub = await t.call('POST', '/api/v1/applications', tok.citizen, { itemCode: ITEM.code, form: {}, materials: [] }, { 'idempotency-key': crypto.randomUUID() });
    expect(sub.statusCode, sub.body).toBe(201);
    const acc = await t.call('POST', `/api/v1/applications/${sub.json().id}/actions/accept`, tok.clerk, { version: 1 });
    expect(acc.statusCode, acc.body).toBe(200);
    return sub.json().id;
  }

  it('renders a notice\'s PDF apart from its transition, once, signed by the seal that sealed its content', async () => {
    const id = await accepted();
    const [doc] = (await get(id)).documents;
    const row = async () =>
      ((await t.database.db.execute(`SELECT pdf IS NULL AS unrendered, pdf_sm3, seal_id FROM documents WHERE number = '${doc.number}'`)) as unknown as { rows: { unrendered: boolean; pdf_sm3: string | null; seal_id: string }[] }).rows[0]!;
    // the acceptance sealed the content only: no PDF was rendered in the transition
    expect(await row()).toMatchObject({ unrendered: true, pdf_sm3: null });
    // the department's seal is rotated before anyone downloads the notice
    const sealedBy = (await row()).seal_id;
    t.setNow('2026-09-30T02:01:00Z');
    expect((await t.call('POST', '/api/v1/seals/QC-SPJ/rotate', tok.admin, {})).statusCode).toBe(200);
    t.setNow('2026-09-30T02:02:00Z');
    const first = await t.call('GET', doc.url, tok.citizen);
    expect(first.statusCode).toBe(200);
    expect(await row()).toMatchObject({ unrendered: false, pdf_sm3: sm3Hex(first.rawPayload), seal_id: sealedBy });
    // the file is the document's for good: the same bytes every time
    expect(Buffer.compare((await t.call('GET', doc.url, tok.citizen)).rawPayload, first.rawPayload)).toBe(0);
    const byFile = (await t.app.inject({ method: 'POST', url: '/api/v1/verify', headers: { 'content-type': 'application/pdf' }, payload: first.rawPayload })).json();
    expect(byFile).toMatchObject({ valid: true, reason: null, document: { number: doc.number, seal: { status: 'retired' } } });
    // the PDF's digest is signed by the retired seal that signed the content, not by the new one
    expect(sm2Verify(byFile.document.pdfSm3, byFile.document.pdfSignature, byFile.document.seal.publicKey)).toBe(true);
    // verification by number renders a document nobody has downloaded yet
    const [other] = (await get(await accepted())).documents;
    const byNumber = (await t.call('GET', `/api/v1/verify/${other.number}`)).json();
    expect(byNumber).toMatchObject({ valid: true, document: { number: other.number, seal: { status: 'active' } } });
    expect(byNumber.document.pdfSm3).toBe(sm3Hex((await t.call('GET', other.url, tok.citizen)).rawPayload));
  });

});
