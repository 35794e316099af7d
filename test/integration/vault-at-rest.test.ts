// What a thief with the disk sees: an SQLCipher 4 file that the official SQLCipher library opens
// with the keychain's key and refuses without it, and no readable customer byte in any file.
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVault, keyAccounts, vaultPaths } from '../../electron/core/vault';
import { filesContaining, tempDir } from '../support/files';
import { realSecretStore } from '../support/keyring';

// @journeyapps/sqlcipher bundles Zetetic's official SQLCipher (community edition): an
// implementation independent of the SQLite3MultipleCiphers codec the vault itself uses.
const require = createRequire(import.meta.url);
const official = require('@journeyapps/sqlcipher') as {
  Database: new (file: string, callback?: (error: Error | null) => void) => OfficialDatabase;
};
interface OfficialDatabase {
  exec(sql: string, callback: (error: Error | null) => void): void;
  all(sql: string, callback: (error: Error | null, rows: Record<string, unknown>[]) => void): void;
  close(callback: (error: Error | null) => void): void;
}

async function officialQuery(
  file: string,
  pragmas: string[],
  sql: string,
): Promise<Record<string, unknown>[]> {
  const db = await new Promise<OfficialDatabase>((resolve, reject) => {
    const opened = new official.Database(file, (error) =>
      error ? reject(error) : resolve(opened),
    );
  });
  try {
    for (const pragma of pragmas) {
      await new Promise<void>((resolve, reject) =>
        db.exec(pragma, (error) => (error ? reject(error) : resolve())),
      );
    }
    return await new Promise((resolve, reject) =>
      db.all(sql, (error, rows) => (error ? reject(error) : resolve(rows))),
    );
  } finally {
    await new Promise<void>((resolve) => db.close(() => resolve()));
  }
}

const secrets = realSecretStore();
// Customer-like values: a name, a resident ID number, a mobile number.
const sensitive = ['张三丰', '11010519491231002X', '13812345678', 'walk-in customer note'];

describe('the vault at rest', () => {
  const dir = tempDir();
  const dataDir = join(dir.path, 'profile');
  let profileId: string;
  let key: string;

  beforeAll(() => {
    const vault = createVault(dataDir, secrets);
    profileId = vault.profileId;
    key = secrets.get(keyAccounts(profileId).current)!;
    vault.db.exec('CREATE TABLE person (name TEXT, id_number TEXT, mobile TEXT, note TEXT)');
    const insert = vault.db.prepare('INSERT INTO person VALUES (?, ?, ?, ?)');
    vault.db.transaction(() => {
      for (let i = 0; i < 2000; i++) insert.run(...sensitive);
    })();
    // Delete half so freed pages exist too (secure_delete must have zeroed them).
    vault.db.exec('DELETE FROM person WHERE rowid % 2 = 0');
    vault.close();
  });
  afterAll(() => {
    secrets.delete(keyAccounts(profileId).current);
    dir.cleanup();
  });

  it('opens in official SQLCipher 4 with the key from the keychain', async () => {
    const rows = await officialQuery(
      vaultPaths(dataDir).database,
      [`PRAGMA key = "x'${key}'"`, 'PRAGMA cipher_compatibility = 4'],
      'SELECT count(*) AS n, min(name) AS name FROM person',
    );
    expect(rows).toEqual([{ n: 1000, name: '张三丰' }]);
    const version = await officialQuery(
      vaultPaths(dataDir).database,
      [`PRAGMA key = "x'${key}'"`],
      'PRAGMA cipher_version',
    );
    expect(String(version[0]?.cipher_version)).toMatch(/^4\./);
  });

  it('is rejected by official SQLCipher without the key, or with another key', async () => {
    await expect(
      officialQuery(vaultPaths(dataDir).database, [], 'SELECT count(*) FROM person'),
    ).rejects.toThrow(/not a database/);
    await expect(
      officialQuery(
        vaultPaths(dataDir).database,
        [`PRAGMA key = "x'${'ab'.repeat(32)}'"`],
        'SELECT count(*) FROM person',
      ),
    ).rejects.toThrow(/not a database/);
  });

  it('leaves no readable customer data, and not the key, in any file of the data directory', () => {
    for (const value of sensitive) {
      expect(filesContaining(dataDir, Buffer.from(value, 'utf8')), value).toEqual([]);
      expect(filesContaining(dataDir, Buffer.from(value, 'utf16le')), value).toEqual([]);
    }
    expect(filesContaining(dataDir, Buffer.from(key, 'utf8'))).toEqual([]);
    expect(filesContaining(dataDir, Buffer.from(key, 'hex'))).toEqual([]);
    expect(filesContaining(dataDir, Buffer.from('SQLite format 3'))).toEqual([]);
  });
});
