// Notices and decisions: the size and render time of a typical decision PDF, how long a grant
// (decision + sealed PDF) takes through the API, and the public verification rate by number and
// by file (SM2 verifies of content and PDF signature, seal check, revocation).
// Run: npx tsx bench/documents.ts [--postgres]
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/index.js';
import { openTestDatabase } from '../src/db/testing.js';
import { DEMO_PASSWORD, seedDemo, seedReference } from '../src/seed.js';
import { piiVaultFor, usePiiVault } from '../src/platform/pii-vault.js';

const usePg = process.argv.includes('--postgres');
const database = usePg ? await openTestDatabase('postgres') : await openDatabase({ dataDir: 'memory://' });
await database.migrate();
await seedReference(database.db);
const masterKey = crypto.randomBytes(32);
// seeding seals the demo accounts' ID numbers and phones: the keyring first
usePiiVault(piiVaultFor({ masterKey: () => masterKey }));
await seedDemo(database.db, { masterKey });
const app = await buildApp({ ...loadConfig({}), masterKey: () => masterKey, webDist: null }, database, { logger: false });
await app.ready();

const login = async (username: string) => (await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: DEMO_PASSWORD } })).json().token as string;
const [citizen, clerk, reviewer, signatory] = await Promise.all(['citizen', 'clerk', 'reviewer', 'signatory'].map(login));
const call = (token: string, method: 'GET' | 'POST', url: string, payload?: object) => app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, payload });

// A construction item reviewed by 住建局 and decided by the approval bureau.
const ITEM = 'QC-SPJ-004';
const grantTimes: number[] = [];
let lastId = '';
for (let i = 0; i < 20; i++) {
  const { id } = (await app.inject({ method: 'POST', url: '/api/v1/applications', headers: { authorization: `Bearer ${citizen}`, 'idempotency-key': crypto.randomUUID() }, payload: { itemCode: ITEM, form: {}, materials: [] } })).json();
  await call(clerk!, 'POST', `/api/v1/applications/${id}/actions/accept`, { version: 1 });
  await call(reviewer!, 'POST', `/api/v1/applications/${id}/actions/review`, { version: 2, comment: '材料齐全，符合法定条件' });
  const t0 = performance.now();
  const r = await call(signatory!, 'POST', `/api/v1/applications/${id}/actions/grant`, { version: 3, comment: '经审查，申请符合《城市道路管理条例》第三十条规定的条件，准予占用、挖掘城市道路。' });
  grantTimes.push(performance.now() - t0);
  if (r.statusCode !== 200) throw new Error(r.body);
  lastId = id;
}
const detail = (await call(citizen!, 'GET', `/api/v1/applications/${lastId}`)).json();
const decision = detail.documents.find((d: { kind: string }) => d.kind === 'grant_decision');
const notice = detail.documents.find((d: { kind: string }) => d.kind === 'acceptance_notice');
const pdf = (await call(citizen!, 'GET', decision.url)).rawPayload;
const noticePdf = (await call(citizen!, 'GET', notice.url)).rawPayload;

async function rate(label: string, f: () => Promise<void>) {
  for (let i = 0; i < 50; i++) await f();
  let n = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < 3000) {
    await f();
    n++;
  }
  const perSecond = (n * 1000) / (performance.now() - t0);
  console.log(`${label.padEnd(44)} ${perSecond.toFixed(0)} /s`);
  return perSecond;
}

// Verification is rate-limited per address (60/min); the bench varies the address.
let ip = 0;
const byNumber = await rate('GET /verify/{number}', async () => {
  const r = await app.inject({ method: 'GET', url: `/api/v1/verify/${decision.number}`, remoteAddress: `10.0.${(ip >> 8) & 255}.${ip++ & 255}` });
  if (!r.json().valid) throw new Error(r.body);
});
const byFile = await rate('POST /verify (the PDF bytes)', async () => {
  const r = await app.inject({ method: 'POST', url: '/api/v1/verify', headers: { 'content-type': 'application/pdf' }, payload: pdf, remoteAddress: `10.1.${(ip >> 8) & 255}.${ip++ & 255}` });
  if (!r.json().valid) throw new Error(r.body);
});
grantTimes.sort((a, b) => a - b);
const result = {
  at: new Date().toISOString(),
  node: process.version,
  database: database.kind,
  decisionPdfBytes: pdf.length,
  acceptanceNoticePdfBytes: noticePdf.length,
  grantMedianMs: Number(grantTimes[Math.floor(grantTimes.length / 2)]!.toFixed(1)),
  grantMaxMs: Number(grantTimes.at(-1)!.toFixed(1)),
  verifyByNumberPerSecond: Math.round(byNumber),
  verifyByFilePerSecond: Math.round(byFile),
};
console.log(`decision PDF ${(pdf.length / 1024).toFixed(1)} KiB, acceptance notice ${(noticePdf.length / 1024).toFixed(1)} KiB; grant (decision + sealed PDF) median ${result.grantMedianMs} ms, max ${result.grantMaxMs} ms`);
fs.mkdirSync(path.join(import.meta.dirname, 'results'), { recursive: true });
fs.writeFileSync(path.join(import.meta.dirname, 'results', `documents-${database.kind}.json`), JSON.stringify(result, null, 2) + '\n');
await app.close();
await database.close();
