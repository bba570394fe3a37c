import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataDirLockedError, openDatabase } from './index.js';

describe('the embedded database folder', () => {
  it('is opened by one process at a time: a second opener is refused until the first closes', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ow-lock-'));
    try {
      const first = await openDatabase({ dataDir: dir });
      await expect(openDatabase({ dataDir: dir })).rejects.toBeInstanceOf(DataDirLockedError);
      await first.close();
      const again = await openDatabase({ dataDir: dir });
      expect(await again.ping()).toBe(true);
      await again.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
