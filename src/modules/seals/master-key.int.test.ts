/**
 * The start-up check of the master key: a database whose keys were sealed under one master key
 * refuses another (a lost key file, another working directory) instead of working on with seals
 * that cannot sign and personal numbers that cannot be read.
 */
import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { startTestApp } from '../../../test/support/app.js';
import { openTestDatabase } from '../../db/testing.js';
import { assertMasterKeyOpens, sealedPlatformKey } from './service.js';

describe('master key check', () => {
  it('accepts the key the database was sealed with and refuses any other', async () => {
    const t = await startTestApp('pglite'); // seeds demo licences, sealed by a department's seal: the seal maker's key exists
    try {
      expect(await sealedPlatformKey(t.database.db)).toMatch(/^v1\./);
      await expect(assertMasterKeyOpens(t.database.db, t.issue.masterKey)).resolves.toBeUndefined();
      await expect(assertMasterKeyOpens(t.database.db, crypto.randomBytes(32))).rejects.toThrow(/master key does not open this database/);
    } finally {
      await t.close();
    }
  });

  it('lets a database without keys take any key (a new installation)', async () => {
    const database = await openTestDatabase('pglite');
    try {
      expect(await sealedPlatformKey(database.db)).toBeNull();
      await expect(assertMasterKeyOpens(database.db, crypto.randomBytes(32))).resolves.toBeUndefined();
    } finally {
      await database.close();
    }
  });
});
