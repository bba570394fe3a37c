// Catalogue search latency in process, over ≥ 2,000 items: the Qingcheng seed (247) + the real
// Guangan catalogue (1,135) + copies of Qingcheng items under other codes to reach 2,000.
// Goal of the catalogue issue: p99 < 2 ms. Run: npx tsx bench/catalog-search.ts [--postgres]
import fs from 'node:fs';
import path from 'node:path';
import { openDatabase } from '../src/db/index.js';
import { openTestDatabase } from '../src/db/testing.js';
import { importCatalog, saveItems, searchItems } from '../src/modules/catalog/service.js';
import { seedReference } from '../src/seed.js';

const root = path.resolve(import.meta.dirname, '..');
const usePg = process.argv.includes('--postgres');
const database = usePg ? await openTestDatabase('postgres') : await openDatabase({ dataDir: 'memory://' });
await database.migrate();
await seedReference(database.db);
await importCatalog(database.db, fs.readFileSync(path.join(root, 'test/fixtures/guangan_511602_items.csv')), 'csv', { source: 'guangan', createDepartments: true, regionCode: '511602' });
const seed = JSON.parse(fs.readFileSync(path.join(root, 'data/catalog/qingcheng-catalog.json'), 'utf8')) as { code: string }[];
const extra = [];
for (let i = 0; extra.length < 2000 - 1135 - seed.length; i++) extra.push({ ...seed[i % seed.length], code: `BENCH-${i}` });
await saveItems(database.db, extra);

const queries = ['施工许可', '营业执照 变更', '公积金提取', '养老保险', 'ICP 备案', 'sgxk', '身份证', '不动产 登记', '户口', '', '医疗机构', '食品经营'];
const times: number[] = [];
for (let i = 0; i < 200; i++) await searchItems(database.db, { q: queries[i % queries.length], page: 1, pageSize: 20 }); // warm up
for (let i = 0; i < 3000; i++) {
  const t0 = performance.now();
  await searchItems(database.db, { q: queries[i % queries.length], page: 1, pageSize: 20 });
  times.push(performance.now() - t0);
}
const perQuery = new Map<string, number[]>();
times.forEach((t, i) => perQuery.set(queries[i % queries.length]!, [...(perQuery.get(queries[i % queries.length]!) ?? []), t]));
if (process.argv.includes('--detail')) for (const [q, ts] of perQuery) console.log(`  ${JSON.stringify(q).padEnd(14)} max ${Math.max(...ts).toFixed(2)} ms, mean ${(ts.reduce((a, b) => a + b, 0) / ts.length).toFixed(3)} ms`);
times.sort((a, b) => a - b);
const q = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))]!.toFixed(2);
console.log(`catalogue search over 2,000 items on ${database.kind}: p50 ${q(0.5)} ms, p95 ${q(0.95)} ms, p99 ${q(0.99)} ms (${times.length} queries)`);
await database.close();
