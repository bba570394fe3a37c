// Cold start of the server: from process spawn to the first 200 of GET /api/v1/health, and the
// process's resident memory (VmRSS) right after. Runs the server twice on a fresh embedded
// database folder: first run (migrate + seed), then a restart on the seeded folder.
// Usage: node bench/cold-start.mjs  → prints a table and writes bench/results/cold-start.json
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'onewindow-bench-'));
const port = 3900 + Math.floor(Math.random() * 50);

function rssMiB(pid) {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : NaN;
}

async function once(label) {
  const t0 = performance.now();
  const child = spawn(process.execPath, [path.join(root, 'bin/onewindow.mjs'), 'serve'], {
    cwd: root,
    env: { ...process.env, PORT: String(port), ONEWINDOW_DATA_DIR: dataDir, ONEWINDOW_MASTER_KEY_FILE: path.join(dataDir, 'master.key'), DATABASE_URL: '' },
    stdio: 'ignore',
  });
  const deadline = Date.now() + 60_000;
  let ms;
  while (Date.now() < deadline) {
    try {
      const r = await fetch(`http://127.0.0.1:${port}/api/v1/health`);
      if (r.status === 200) {
        ms = performance.now() - t0;
        break;
      }
    } catch {}
    await new Promise((r) => setTimeout(r, 20));
  }
  await new Promise((r) => setTimeout(r, 500)); // settle, then read memory
  const rss = rssMiB(child.pid);
  child.kill('SIGTERM');
  await new Promise((r) => child.on('exit', r));
  return { run: label, firstOkMs: Math.round(ms), rssMiB: rss };
}

const results = [await once('first run (migrate + seed)'), await once('restart (seeded)')];
console.table(results);
fs.mkdirSync(path.join(root, 'bench/results'), { recursive: true });
fs.writeFileSync(path.join(root, 'bench/results/cold-start.json'), JSON.stringify({ at: new Date().toISOString(), node: process.version, results }, null, 2) + '\n');
fs.rmSync(dataDir, { recursive: true, force: true });
