// SM2 sign/verify and SM3 throughput of the gm-crypto functions, on a typical decision document
// (≈ 1.5 KB canonical JSON in Chinese, shaped like applications/service.ts writeDecision) and on a
// 32-byte SM3 digest (passed as its 64 hex characters, the way a digest would be signed).
// Goal of the seals issue: ≥ 2,000 verifies/s on the 2-core machine.
// Each measurement warms up, then runs for ≥ 2 s. Also measures `sm2Verifier` (precomputed key)
// in one thread and in one worker per core. Run: npx tsx bench/sm2.ts
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { canonicalJson } from '../src/platform/canonical-json.js';
import { generateSm2KeyPair, sm2Sign, sm2Verifier, sm2Verify, sm3Hex } from '../src/platform/gm-crypto.js';

const MIN_SECONDS = 2;
const GOAL_VERIFIES_PER_SECOND = 2000;

function decisionDocument(): string {
  const reasons =
    '经审查，申请人提交的《建筑工程施工许可证核发》申请材料齐全、符合法定形式：建设工程规划许可证、施工图设计文件审查合格书、' +
    '中标通知书及施工合同、监理合同、质量安全监督手续、建设资金落实承诺书均已提交并经核验；现场踏勘确认施工场地已具备施工条件，' +
    '拆迁进度符合施工要求，施工企业具备相应资质等级，项目负责人具有相应执业资格且无在建工程。' +
    '依据《中华人民共和国行政许可法》第三十八条第一款、《中华人民共和国建筑法》第八条及《建筑工程施工许可管理办法》第四条、第六条之规定，' +
    '决定准予行政许可，核发建筑工程施工许可证。申请人应当自领取施工许可证之日起三个月内开工；因故不能按期开工的，应当在期满前向发证机关申请延期，' +
    '延期以两次为限，每次不超过三个月。既不开工又不申请延期或者超过延期时限的，施工许可证自行废止。' +
    '如对本决定不服，可以自收到本决定书之日起六十日内依法申请行政复议，或者在六个月内依法提起行政诉讼。';
  return canonicalJson({
    kind: '准予行政许可决定书',
    applicationNumber: 'QC-2026-000123',
    itemCode: '11510100MB1234567X4000112001000',
    itemName: '建筑工程施工许可证核发',
    applicantName: '青城市某某建筑工程有限公司',
    outcome: 'granted',
    reasons,
    decidedAt: '2026-03-02T08:30:00.000Z',
    decisionDate: '2026-03-02',
    authority: '青城市行政审批局',
  });
}

/** Runs `f` for a warm-up then for ≥ MIN_SECONDS; returns operations per second. */
function rate(f: () => unknown, warmupSeconds = 0.5): { perSecond: number; ops: number; seconds: number } {
  let t0 = performance.now();
  while (performance.now() - t0 < warmupSeconds * 1000) f();
  let ops = 0;
  t0 = performance.now();
  let elapsed = 0;
  do {
    f();
    ops++;
    elapsed = performance.now() - t0;
  } while (elapsed < MIN_SECONDS * 1000);
  return { perSecond: ops / (elapsed / 1000), ops, seconds: elapsed / 1000 };
}

function mustBeTrue(ok: boolean) {
  if (!ok) throw new Error('verification failed in the benchmark');
}

// Worker: verifies with sm2Verifier for ≥ MIN_SECONDS and reports its rate.
if (!isMainThread) {
  const { publicKey, document, signature } = workerData as { publicKey: string; document: string; signature: string };
  const verify = sm2Verifier(publicKey);
  parentPort!.postMessage(rate(() => mustBeTrue(verify(document, signature))));
} else {
  const root = path.resolve(import.meta.dirname, '..');
  const document = decisionDocument();
  const digest = sm3Hex(document); // 32-byte digest, as 64 hex characters
  const documentBytes = Buffer.byteLength(document);
  const keys = generateSm2KeyPair();
  const docSig = sm2Sign(document, keys.privateKey, keys.publicKey);
  const digestSig = sm2Sign(digest, keys.privateKey, keys.publicKey);

  const t0 = performance.now();
  const verifier = sm2Verifier(keys.publicKey);
  const verifierSetupMs = performance.now() - t0;
  mustBeTrue(verifier(document, docSig) && !verifier(document + ' ', docSig));

  const results: { op: string; message: string; perSecond: number; ops: number; seconds: number; threads: number }[] = [];
  const record = (op: string, message: string, r: ReturnType<typeof rate>, threads = 1) =>
    results.push({ op, message, perSecond: Math.round(r.perSecond), ops: r.ops, seconds: Number(r.seconds.toFixed(2)), threads });

  const doc = `decision ${(documentBytes / 1024).toFixed(2)} KiB`;
  const dig = 'SM3 digest (32 B as 64 hex)';
  record('sm2Sign', doc, rate(() => sm2Sign(document, keys.privateKey, keys.publicKey)));
  record('sm2Verify', doc, rate(() => mustBeTrue(sm2Verify(document, docSig, keys.publicKey))));
  record('sm2Verify', dig, rate(() => mustBeTrue(sm2Verify(digest, digestSig, keys.publicKey))));
  record('sm2Verifier(pub)(…)', doc, rate(() => mustBeTrue(verifier(document, docSig))));
  record('sm2Verifier(pub)(…)', dig, rate(() => mustBeTrue(verifier(digest, digestSig))));

  // one worker per core, each with its own verifier for the same key, all at once
  const threads = os.availableParallelism();
  const perWorker = await Promise.all(
    Array.from(
      { length: threads },
      () =>
        new Promise<ReturnType<typeof rate>>((resolve, reject) => {
          // tsx's loader is not inherited by workers: load this file through tsx's API
          const code = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((tsx) => tsx.tsImport(${JSON.stringify(import.meta.url)}, ${JSON.stringify(import.meta.url)}))`;
          const w = new Worker(code, { eval: true, workerData: { publicKey: keys.publicKey, document, signature: docSig } });
          w.once('message', resolve);
          w.once('error', reject);
        }),
    ),
  );
  record(
    'sm2Verifier(pub)(…)',
    doc,
    { perSecond: perWorker.reduce((a, r) => a + r.perSecond, 0), ops: perWorker.reduce((a, r) => a + r.ops, 0), seconds: Math.max(...perWorker.map((r) => r.seconds)) },
    threads,
  );

  const mib = Buffer.alloc(1 << 20, 0x61);
  const sm3 = rate(() => sm3Hex(mib));

  console.log(`SM2 (gm-crypto / sm-crypto-v2 ${JSON.parse(fs.readFileSync(path.join(root, 'node_modules/sm-crypto-v2/package.json'), 'utf8')).version}), Node ${process.version}, ${os.cpus()[0]?.model ?? '?'} × ${threads}`);
  console.log(`document: ${documentBytes} bytes of canonical JSON; sm2Verifier setup (precompute): ${verifierSetupMs.toFixed(1)} ms\n`);
  console.log(`${'operation'.padEnd(22)}${'message'.padEnd(30)}${'threads'.padStart(7)}${'ops/s'.padStart(10)}`);
  for (const r of results) console.log(`${r.op.padEnd(22)}${r.message.padEnd(30)}${String(r.threads).padStart(7)}${r.perSecond.toLocaleString('en').padStart(10)}`);
  console.log(`${'SM3 (sm3Hex)'.padEnd(22)}${'1 MiB'.padEnd(30)}${'1'.padStart(7)}${`${sm3.perSecond.toFixed(1)} MiB/s (${(sm3.perSecond * 1.048576).toFixed(1)} MB/s)`.padStart(28)}`);
  const best1 = Math.max(...results.filter((r) => r.op !== 'sm2Sign' && r.message === doc && r.threads === 1).map((r) => r.perSecond));
  const plain = results.find((r) => r.op === 'sm2Verify' && r.message === doc)!.perSecond;
  const allCores = results.find((r) => r.threads > 1)?.perSecond ?? best1;
  console.log(
    `\ngoal ≥ ${GOAL_VERIFIES_PER_SECOND.toLocaleString('en')} verifies/s: sm2Verify ${plain >= GOAL_VERIFIES_PER_SECOND ? 'met' : 'NOT met'} (${plain}/s); ` +
      `sm2Verifier one thread ${best1 >= GOAL_VERIFIES_PER_SECOND ? 'met' : 'NOT met'} (${best1}/s); ` +
      `sm2Verifier on ${threads} threads ${allCores >= GOAL_VERIFIES_PER_SECOND ? 'met' : 'NOT met'} (${allCores}/s)`,
  );

  fs.mkdirSync(path.join(root, 'bench/results'), { recursive: true });
  fs.writeFileSync(
    path.join(root, 'bench/results/sm2.json'),
    JSON.stringify(
      {
        at: new Date().toISOString(),
        node: process.version,
        cpu: os.cpus()[0]?.model,
        threads,
        documentBytes,
        verifierSetupMs: Number(verifierSetupMs.toFixed(1)),
        results,
        sm3: { message: '1 MiB', mibPerSecond: Number(sm3.perSecond.toFixed(1)), mbPerSecond: Number((sm3.perSecond * 1.048576).toFixed(1)), ops: sm3.ops, seconds: Number(sm3.seconds.toFixed(2)) },
        goal: { verifiesPerSecond: GOAL_VERIFIES_PER_SECOND, sm2Verify: plain, sm2VerifierOneThread: best1, sm2VerifierAllThreads: allCores },
      },
      null,
      2,
    ) + '\n',
  );
}
