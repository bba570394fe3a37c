// `npm test`: every test — unit, API on PGlite (and on PostgreSQL when DATABASE_URL is set),
// and the browser test — in one vitest run, then one closing line "N passed, N failed, N skipped".
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const report = path.join(os.tmpdir(), `onewindow-vitest-${process.pid}.json`);

if (!process.env.DATABASE_URL) {
  console.log('\nNote: DATABASE_URL is not set, so the API tests run on embedded PGlite only.');
  console.log('      Set DATABASE_URL=postgres://… to run them on a PostgreSQL server too (CI does).\n');
}

// Types first: both the server and the web app must compile (strict).
for (const project of ['tsconfig.json', 'web/tsconfig.json']) {
  const tsc = spawnSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '--noEmit', '-p', project], { cwd: root, stdio: 'inherit' });
  if (tsc.status !== 0) {
    console.error(`\nType check of ${project} failed.`);
    console.log('\n0 passed, 1 failed');
    process.exit(1);
  }
}

const run = spawnSync(
  process.execPath,
  [path.join(root, 'node_modules/vitest/vitest.mjs'), 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)],
  { cwd: root, stdio: 'inherit', env: process.env },
);

let summary = '';
if (fs.existsSync(report)) {
  const r = JSON.parse(fs.readFileSync(report, 'utf8'));
  fs.rmSync(report);
  const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  summary = `${r.numPassedTests} passed, ${r.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ''}`;
}
if (summary) console.log(`\n${summary}`);
process.exit(run.status ?? 1);
