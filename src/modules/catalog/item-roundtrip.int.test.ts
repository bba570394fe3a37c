// The admin web page saves an item's review steps by reading the item (GET /items/{code}),
// mapping it back to the save shape and sending it whole (PUT /items/{code}). That round trip
// must lose nothing: every stored element, the materials' ids (exemptions and applications refer
// to them) and the exemption list stay as they were.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asc, inArray } from 'drizzle-orm';
import { testBackends } from '../../db/testing.js';
import { startTestApp, type TestApp } from '../../../test/support/app.js';
import { toItemInput, type ItemGuide } from '../../../web/src/pages/itemWorkflowLogic.js';
import { loadItemInputs } from './service.js';
import { itemMaterials } from './schema.js';

describe.each(testBackends())('item save round trip on %s', (backend) => {
  let t: TestApp;
  let admin: string;
  beforeAll(async () => {
    t = await startTestApp(backend);
    admin = await t.login('admin');
  });
  afterAll(async () => t?.close());

  const stored = async (codes: string[]) => ({
    items: await loadItemInputs(t.database.db, codes),
    materialIds: await t.database.db
      .select({ id: itemMaterials.id, itemCode: itemMaterials.itemCode, seq: itemMaterials.seq })
      .from(itemMaterials)
      .where(inArray(itemMaterials.itemCode, codes))
      .orderBy(asc(itemMaterials.itemCode), asc(itemMaterials.seq)),
  });

  it('keeps every element of every seeded item, including the internal limitSource.note', async () => {
    const codes: string[] = [];
    for (let page = 1; ; page++) {
      const r = (await t.call('GET', `/api/v1/items?pageSize=100&page=${page}`)).json() as { items: { code: string }[]; total: number };
      codes.push(...r.items.map((i) => i.code));
      if (codes.length >= r.total || !r.items.length) break;
    }
    expect(codes.length).toBeGreaterThan(200);
    const guide32 = (await t.call('GET', '/api/v1/items/QC-SPJ-032')).json() as ItemGuide;
    const exemptions = { items: [{ materialId: guide32.materials[0]!.id, category: 'elderly', basis: '测试依据' }] };
    expect((await t.call('PUT', '/api/v1/items/QC-SPJ-032/exemptions', admin, exemptions)).statusCode).toBe(200);
    const before = await stored(codes);
    expect([...before.items.values()].every((i) => i.limitSource.note)).toBe(true);
    for (const code of codes) {
      const guide = (await t.call('GET', `/api/v1/items/${code}`)).json() as ItemGuide;
      const res = await t.call('PUT', `/api/v1/items/${code}`, admin, toItemInput(guide, guide.reviewSteps ?? null));
      expect(res.statusCode, `${code}: ${res.body}`).toBe(200);
    }
    const after = await stored(codes);
    expect(after.materialIds).toEqual(before.materialIds);
    for (const code of codes) expect(after.items.get(code), code).toEqual(before.items.get(code));
    expect((await t.call('GET', '/api/v1/items/QC-SPJ-032/exemptions')).json().items).toMatchObject(exemptions.items);
  }, 180_000); // 247 items through the API twice: over a minute on a loaded 2-core machine

  it('changes only the review steps when they are replaced', async () => {
    const before = (await stored(['QC-SPJ-001'])).items.get('QC-SPJ-001')!;
    const guide = (await t.call('GET', '/api/v1/items/QC-SPJ-001')).json() as ItemGuide;
    const steps = [
      { name: '审查', role: 'reviewer' as const, department: 'review' },
      { name: '复审', role: 'reviewer' as const, department: 'decision' },
    ];
    expect((await t.call('PUT', '/api/v1/items/QC-SPJ-001', admin, toItemInput(guide, steps))).statusCode).toBe(200);
    expect((await stored(['QC-SPJ-001'])).items.get('QC-SPJ-001')).toEqual({ ...before, reviewSteps: steps });
    // an explicit note replaces the stored one
    const withNote = { ...toItemInput(guide, null), limitSource: { ...guide.limitSource, note: '新备注' } };
    expect((await t.call('PUT', '/api/v1/items/QC-SPJ-001', admin, withNote)).statusCode).toBe(200);
    expect((await stored(['QC-SPJ-001'])).items.get('QC-SPJ-001')).toEqual({ ...before, reviewSteps: null, limitSource: { ...before.limitSource, note: '新备注' } });
  });
});
