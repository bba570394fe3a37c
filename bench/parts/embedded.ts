/**
 * Part 4, embedded: cold start of `serve` on a fresh embedded (PGlite) data folder, to the first 200
 * of GET /api/v1/health, and VmRSS right after — first run (migrate + seed) and a restart.
 * Runs bench/cold-start.mjs as it is and reads its result; that script's own result file
 * (bench/results/cold-start.json) is left as it was before.
 */
import fs from 'node:fs';
import path from 'node:path';
import { root, run } from '../lib/common.js';

export interface EmbeddedResult {
  runs: { run: string; firstOkMs: number; rssMiB: number }[];
  output: string;
}

export function runEmbedded(): EmbeddedResult {
  const file = path.join(root, 'bench/results/cold-start.json');
  const before = fs.existsSync(file) ? fs.readFileSync(file) : null;
  try {
    const output = run(process.execPath, [path.join(root, 'bench/cold-start.mjs')]);
    const { results } = JSON.parse(fs.readFileSync(file, 'utf8')) as { results: EmbeddedResult['runs'] };
    return { runs: results, output: output.trim() };
  } finally {
    if (before) fs.writeFileSync(file, before);
    else fs.rmSync(file, { force: true });
  }
}
