#!/usr/bin/env node
/**
 * The `onewindow` command: serve | migrate | seed | import | audit | pii | simulate.
 */
import fs from 'node:fs';
import path from 'node:path';
import cliProgress from 'cli-progress';
import { Command } from 'commander';
import { importCatalog } from './modules/catalog/service.js';
import { sweepConditionalLapses, sweepSupplementNoticeLapses } from './modules/applications/service.js';
import { startJobs } from './platform/jobs.js';
import { sweepDefaultEvaluations } from './modules/evaluations/service.js';
import { refreshStats } from './modules/stats/service.js';
import { AppError, translate } from './platform/errors.js';
import { buildApp } from './app.js';
import { loadConfig } from './config.js';
import { verifyEventChains } from './modules/applications/events.js';
import { verifyAuditChains } from './modules/audit/service.js';
import { openDatabase, type Database } from './db/index.js';
import { piiVault, piiVaultFor, usePiiVault } from './platform/pii-vault.js';
import { assertMasterKeyOpens, sealedPlatformKey } from './modules/seals/service.js';
import { sealPersonalData, type SealCounts } from './pii.js';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, hasDemoAccounts, isEmpty, seedDemo, seedReference } from './seed.js';
import { shanghaiDate, shiftDate } from './platform/calendar.js';
import { setClockConvention } from './modules/calendar/service.js';
import { formatReport, simulateYear } from './modules/simulation/simulate.js';

const program = new Command('onewindow').description('清城区政务服务一体化平台 OneWindow');

async function open() {
  const config = loadConfig();
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  // A database already sealed under a master key is never given a new one: a missing key file (say,
  // another working directory) or a wrong key stops here, before anything is written with it.
  if (config.masterKeyFile && !fs.existsSync(config.masterKeyFile) && (await sealedPlatformKey(database.db))) {
    await database.close();
    throw new Error(`主密钥文件不存在 (master key file not found): ${config.masterKeyFile} — this database was created with a master key; set ONEWINDOW_MASTER_KEY_FILE to its file (or ONEWINDOW_MASTER_KEY), or run from the folder that holds var/master.key`);
  }
  try {
    await assertMasterKeyOpens(database.db, config.masterKey());
  } catch (e) {
    await database.close();
    throw e;
  }
  // the keyring that seals ID numbers and phones, before anything reads or writes them
  usePiiVault(piiVaultFor(config));
  return { config, database };
}

/**
 * Applies the SQL migrations, then seals personal numbers still stored in plaintext (a database
 * written before encryption: SQL cannot seal with the platform's key), so an existing database
 * keeps working after an upgrade.
 */
async function migrate(database: Database) {
  await database.migrate();
  const sealed = await sealPersonalData(database.db, piiVault(), { mode: 'plaintext' });
  const n = sealed.users + sealed.licenses + sealed.applications;
  if (n) console.log(`已加密存量个人信息 (sealed stored personal data): ${sealed.users} accounts, ${sealed.licenses} licences, ${sealed.applications} applications.`);
}

/** The last day `simulate` fills by default: 31 December, or yesterday (Asia/Shanghai) for the year under way. */
function defaultUntil(year: number, now: Date): string | undefined {
  const today = shanghaiDate(now);
  if (Number(today.slice(0, 4)) !== year || today === `${year}-01-01`) return undefined;
  return shiftDate(today, -1);
}

function printDemoAccounts() {
  console.log('\nDemo accounts (演示账号), password / 密码: ' + DEMO_PASSWORD);
  for (const a of DEMO_ACCOUNTS) console.log(`  ${a.username.padEnd(11)} ${a.note}`);
}

program
  .command('serve')
  .description('migrate, seed the demo data on first run, and serve HTTP (PORT, default 3000)')
  .option('--no-demo', 'do not create the demo accounts on first run')
  .action(async (opts: { demo: boolean }) => {
    const started = Date.now();
    const { config, database } = await open();
    await migrate(database);
    if (await isEmpty(database.db)) {
      const counts = await seedReference(database.db);
      console.log(`Seeded ${counts.regions} regions, ${counts.departments} departments, ${counts.halls} halls, ${counts.items} service items.`);
      if (opts.demo) await seedDemo(database.db, { masterKey: config.masterKey() });
    }
    const app = await buildApp(config, database, { logger: { level: config.logLevel, redact: ['req.headers.authorization', 'req.headers.cookie'] } });
    // Deadline sweeps (every ONEWINDOW_SWEEP_SECONDS, default 60).
    const everyMs = Number(process.env.ONEWINDOW_SWEEP_SECONDS ?? 60) * 1000;
    const stopJobs = startJobs(
      [
        { name: 'supplement-notice-lapse', everyMs, run: () => sweepSupplementNoticeLapses(database.db, config.now(), { masterKey: config.masterKey(), publicUrl: config.publicUrl }) },
        { name: 'conditional-acceptance-lapse', everyMs, run: () => sweepConditionalLapses(database.db, config.now()) },
        { name: 'default-evaluations', everyMs, run: () => sweepDefaultEvaluations(database.db, config.now()) },
        { name: 'stats-rollup', everyMs, run: async () => (await refreshStats(database.db, config.now())).days },
      ],
      app.log,
    );
    const shutdown = async () => {
      await stopJobs();
      await app.close();
      await database.close();
      process.exit(0);
    };
    process.on('SIGINT', shutdown);
    process.on('SIGTERM', shutdown);
    await app.listen({ port: config.port, host: config.host });
    const where = database.kind === 'pglite' ? `embedded PostgreSQL (PGlite) in ${config.dataDir}` : 'PostgreSQL server (DATABASE_URL)';
    console.log(`\nOneWindow 清城区政务服务一体化平台 is serving on http://localhost:${config.port}  (API docs: /docs; database: ${where}; ready in ${Date.now() - started} ms)`);
    // only where the demo accounts exist (a database filled by `simulate` has none until `seed`)
    if (await hasDemoAccounts(database.db)) printDemoAccounts();
  });

program
  .command('migrate')
  .description('apply the committed SQL migrations')
  .action(async () => {
    const { database } = await open();
    await migrate(database);
    await database.close();
    console.log('Migrations applied.');
  });

program
  .command('seed')
  .description('load or refresh the reference data (divisions, departments, halls, catalogue) and the demo accounts')
  .option('--no-demo', 'reference data only, no demo accounts')
  .action(async (opts: { demo: boolean }) => {
    const { config, database } = await open();
    await migrate(database);
    const counts = await seedReference(database.db);
    if (opts.demo) await seedDemo(database.db, { masterKey: config.masterKey() });
    await database.close();
    console.log(`Seeded ${counts.regions} regions, ${counts.departments} departments, ${counts.halls} halls, ${counts.items} service items${opts.demo ? ' and the demo accounts' : ''}.`);
    if (opts.demo) printDemoAccounts();
  });

program
  .command('import')
  .description('import data files: `import catalog FILE` (.csv or .xlsx service-item catalogue)')
  .argument('<what>', 'catalog')
  .argument('<file>', 'path of a .csv or .xlsx file')
  .option('--create-departments', 'create departments the file names that do not exist yet')
  .option('--region <code>', 'division code for created departments')
  .action(async (what: string, file: string, opts: { createDepartments?: boolean; region?: string }) => {
    if (what !== 'catalog') throw new Error(`只能导入事项目录 (only "catalog" can be imported): ${what}`);
    const kind = /\.xlsx$/i.test(file) ? 'xlsx' : /\.csv$/i.test(file) ? 'csv' : null;
    if (!kind) throw new Error(`文件须为 .csv 或 .xlsx (the file must end in .csv or .xlsx): ${file}`);
    if (!fs.existsSync(file)) throw new Error(`找不到文件 (no such file): ${file}`);
    const data = fs.readFileSync(file);
    const { database } = await open();
    await migrate(database);
    const bar = new cliProgress.SingleBar({ format: '导入 import [{bar}] {percentage}% | {value}/{total} items' }, cliProgress.Presets.shades_classic);
    let started = false;
    const result = await importCatalog(database.db, data, kind, {
      source: path.basename(file),
      createDepartments: opts.createDepartments,
      regionCode: opts.region,
      onProgress: (done, total) => {
        if (!started) (bar.start(total, 0), (started = true));
        bar.update(done);
      },
    });
    bar.stop();
    await database.close();
    console.log(`\n共 ${result.total} 行：新增 ${result.created}，更新 ${result.updated}，拒绝 ${result.rejected.length}  (${result.total} rows: ${result.created} created, ${result.updated} updated, ${result.rejected.length} rejected)`);
    for (const r of result.rejected.slice(0, 50)) console.log(`  第 ${r.row} 行${r.code ? `（${r.code}）` : ''}：${r.reasons.map((x) => x['zh-CN']).join('；')}`);
    if (result.rejected.length > 50) console.log(`  ……另有 ${result.rejected.length - 50} 行 (and ${result.rejected.length - 50} more)`);
    // 0: all imported; 2: some rows rejected; 3: nothing imported
    process.exit(result.rejected.length === 0 ? 0 : result.saved === 0 ? 3 : 2);
  });

program
  .command('audit')
  .description('check the tamper evidence of stored records')
  .argument('<what>', 'verify')
  .action(async (what: string) => {
    if (what !== 'verify') throw new Error(`unknown audit command ${what}; use: onewindow audit verify`);
    const { database } = await open();
    await migrate(database);
    const r = await verifyEventChains(database.db);
    const a = await verifyAuditChains(database.db);
    await database.close();
    console.log(`办件历史链：${r.applications} 个办件、${r.events} 条记录 (${r.applications} applications, ${r.events} events)`);
    for (const b of r.broken) console.log(`  断链 broken: application ${b.applicationId}, event ${b.seq} (${b.problem})`);
    console.log(`审计日志链：${a.streams} 条链、${a.events} 条记录 (${a.streams} audit streams, ${a.events} events)`);
    for (const b of a.broken) console.log(`  断链 broken: ${b.stream}, event ${b.seq} (${b.problem})`);
    const broken = r.broken.length + a.broken.length;
    console.log(broken ? `${broken} 条链被破坏 (${broken} broken chains)` : '全部完好 (all chains intact)');
    process.exit(broken ? 2 : 0);
  });

program
  .command('pii')
  .description('personal data at rest: `pii rotate` re-seals every stored ID number and phone under the current key (ONEWINDOW_PII_KEYS)')
  .argument('<what>', 'rotate')
  .option('--batch <rows>', 'rows per transaction', '500')
  .action(async (what: string, opts: { batch: string }) => {
    if (what !== 'rotate') throw new Error(`unknown pii command ${what}; use: onewindow pii rotate`);
    const batchSize = Number(opts.batch);
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error('--batch must be a positive whole number');
    const { database } = await open();
    await database.migrate();
    const vault = piiVault();
    const bar = new cliProgress.SingleBar({ format: '重新加密 re-seal {table} | {value} rows' }, cliProgress.Presets.shades_classic);
    const labels: Record<keyof SealCounts, string> = { users: '账户 accounts', licenses: '证照 licences', applications: '办件 applications' };
    let table: keyof SealCounts | null = null;
    const counts = await sealPersonalData(database.db, vault, {
      mode: 'rotate',
      batchSize,
      onProgress: (t, n) => {
        if (t !== table) {
          if (table) bar.stop();
          bar.start(0, 0, { table: labels[t] });
          table = t;
        }
        bar.update(n, { table: labels[t] });
      },
    });
    if (table) bar.stop();
    await database.close();
    console.log(`当前密钥 p${vault.currentKeyId}：重新加密账户 ${counts.users}、证照 ${counts.licenses}、办件 ${counts.applications}  (current key ${vault.currentKeyId}: ${counts.users} accounts, ${counts.licenses} licences, ${counts.applications} applications re-sealed)`);
  });

program
  .command('simulate')
  .description('generate a district-year of applications through the platform services (模拟一年办件); refuses a year already simulated unless --append')
  .requiredOption('--year <year>', 'the calendar year to simulate')
  .option('--cases <n>', 'applications to submit', '150000')
  .option('--seed <n>', 'seed of the simulation (same seed, same empty database: same numbers)', '42')
  .option('--concurrency <n>', 'PostgreSQL: workers at once, 1–8 (default 4); the embedded database runs one')
  .option('--batch <steps>', 'steps per transaction (1: each service call its own)', '500')
  .option('--applicants <n>', 'applicant accounts (default cases ÷ 50, 20–3,000)')
  .option('--append', 'add another run to a year that already has simulated data (new cases; accounts reused)')
  .option('--until <date>', 'simulate the year up to this day only (YYYY-MM-DD; default 31 December, or yesterday for the current year: no case is dated after today)')
  .option('--vacuum-every <steps>', 'VACUUM (ANALYZE) between simulated days once this many steps were taken since the last (0: never)', '50000')
  .action(async (opts: { year: string; cases: string; seed: string; concurrency?: string; batch: string; applicants?: string; append?: boolean; until?: string; vacuumEvery: string }) => {
    const num = (v: string, name: string) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a whole number: ${v}`);
      return n;
    };
    const { config, database } = await open();
    await migrate(database);
    if (await isEmpty(database.db)) {
      const counts = await seedReference(database.db);
      console.log(`Seeded ${counts.regions} regions, ${counts.departments} departments, ${counts.halls} halls, ${counts.items} service items.`);
    }
    setClockConvention(config.clockConvention);
    const concurrency = database.kind === 'postgres' ? Math.min(8, Math.max(1, opts.concurrency ? num(opts.concurrency, '--concurrency') : 4)) : 1;
    const where = database.kind === 'pglite' ? `embedded PostgreSQL (PGlite) in ${config.dataDir}` : `PostgreSQL server, ${concurrency} workers`;
    console.log(`模拟 simulate ${opts.year}: ${opts.cases} cases, seed ${opts.seed}, on ${where}`);
    const setupBar = new cliProgress.SingleBar({ format: '开户 accounts [{bar}] {percentage}% | {value}/{total}' }, cliProgress.Presets.shades_classic);
    const runBar = new cliProgress.SingleBar({ format: '模拟 simulate [{bar}] {percentage}% | {day} | {cases} cases, {transitions} transitions | {value}/{total} steps | ETA {eta_formatted}', etaBuffer: 200 }, cliProgress.Presets.shades_classic);
    let phase = '';
    const report = await simulateYear(database.db, {
      year: num(opts.year, '--year'),
      cases: num(opts.cases, '--cases'),
      seed: num(opts.seed, '--seed'),
      concurrency,
      batchSize: Math.max(1, num(opts.batch, '--batch')),
      applicants: opts.applicants ? num(opts.applicants, '--applicants') : undefined,
      append: opts.append,
      until: opts.until ?? defaultUntil(num(opts.year, '--year'), config.now()),
      vacuumEvery: num(opts.vacuumEvery, '--vacuum-every'),
      issue: { masterKey: config.masterKey(), publicUrl: config.publicUrl },
      log: (line) => {
        if (phase === 'setup') (setupBar.stop(), (phase = 'setup done'));
        if (phase !== 'run') console.log(`  ${line}`);
      },
      onProgress: (p) => {
        if (p.phase !== phase) {
          if (phase === 'setup') setupBar.stop();
          if (phase === 'run') runBar.stop();
          if (p.phase === 'setup') setupBar.start(p.total, 0);
          if (p.phase === 'run') runBar.start(p.total, 0, { day: p.day, cases: 0, transitions: 0 });
          if (p.phase === 'stats') console.log('统计 refreshing the statistics…');
          phase = p.phase;
        }
        if (p.phase === 'setup') setupBar.update(p.done);
        if (p.phase === 'run') runBar.update(p.done, { day: p.day, cases: p.cases, transitions: p.transitions });
      },
    });
    if (phase === 'run') runBar.stop();
    await database.close();
    console.log('');
    for (const line of formatReport(report)) console.log(line);
    process.exit(Object.keys(report.errors).length ? 2 : 0);
  });

program.parseAsync().catch((err) => {
  // An AppError carries a translated message; others their own.
  const e = err as { code?: string; params?: Record<string, unknown> };
  if (err instanceof AppError) console.error(`${translate(err.code, 'zh-CN', err.params)}\n${translate(err.code, 'en', err.params)}`);
  else console.error(err instanceof Error ? err.message : e);
  process.exit(1);
});
