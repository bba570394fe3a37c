#!/usr/bin/env node
/**
 * The `onewindow` command: serve | migrate | seed.
 */
import { Command } from 'commander';
import { buildApp } from './app.js';
import { loadConfig } from './config.js';
import { openDatabase } from './db/index.js';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, isEmpty, seedDemo, seedReference } from './seed.js';

const program = new Command('onewindow').description('清城区政务服务一体化平台 OneWindow');

async function open() {
  const config = loadConfig();
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  return { config, database };
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
    await database.migrate();
    let firstRun = false;
    if (await isEmpty(database.db)) {
      firstRun = true;
      const counts = await seedReference(database.db);
      console.log(`Seeded ${counts.regions} regions, ${counts.departments} departments, ${counts.halls} halls, ${counts.items} service items.`);
      if (opts.demo) await seedDemo(database.db);
    }
    const app = await buildApp(config, database, { logger: { level: config.logLevel, redact: ['req.headers.authorization', 'req.headers.cookie'] } });
    const shutdown = async () => {
      await app.close();
      await database.close();
      process.exit(0);
    };
    process.on('SIGINT', shutdown);
    process.on('SIGTERM', shutdown);
    await app.listen({ port: config.port, host: config.host });
    const where = database.kind === 'pglite' ? `embedded PostgreSQL (PGlite) in ${config.dataDir}` : 'PostgreSQL server (DATABASE_URL)';
    console.log(`\nOneWindow 清城区政务服务一体化平台 is serving on http://localhost:${config.port}  (API docs: /docs; database: ${where}; ready in ${Date.now() - started} ms)`);
    if (firstRun || opts.demo) printDemoAccounts();
  });

program
  .command('migrate')
  .description('apply the committed SQL migrations')
  .action(async () => {
    const { database } = await open();
    await database.migrate();
    await database.close();
    console.log('Migrations applied.');
  });

program
  .command('seed')
  .description('load or refresh the reference data (divisions, departments, halls, catalogue) and the demo accounts')
  .option('--no-demo', 'reference data only, no demo accounts')
  .action(async (opts: { demo: boolean }) => {
    const { database } = await open();
    await database.migrate();
    const counts = await seedReference(database.db);
    if (opts.demo) await seedDemo(database.db);
    await database.close();
    console.log(`Seeded ${counts.regions} regions, ${counts.departments} departments, ${counts.halls} halls, ${counts.items} service items${opts.demo ? ' and the demo accounts' : ''}.`);
    if (opts.demo) printDemoAccounts();
  });

program.parseAsync().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
