// The forensic reader of test/support/forensics.ts, checked against a real vault before any
// erasure test relies on it: it decrypts every page (each HMAC verifies), finds the customer's
// values where the raw bytes show none (so a "not found" means something), finds a value split
// across pages, one left only in the WAL and what a delete without secure_delete leaves, and
// finds nothing once the rows are deleted and the WAL truncated. On HQ's side (PGlite) it names
// each table whose rows hold a value.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../hq/db/database';
import { createVault, keyAccounts, vaultPaths, type Vault } from '../../electron/core/vault';
import { filesContaining, tempDir } from '../support/files';
import {
  decryptedPages,
  decryptedWalPages,
  hqTablesContaining,
  PAGE_SIZE,
  saltOf,
  vaultContains,
} from '../support/forensics';
import { realSecretStore } from '../support/keyring';

const secrets = realSecretStore();
// A name, a resident ID number, a mobile number.
const sensitive = ['张三丰', '11010519491231002X', '13812345678'];
// A note whose payload spans three pages: with 4016 usable bytes a page, a payload of 8503 bytes
// (3 of record header, 8500 of text) keeps 479 bytes on the b-tree page and 4012 on each
// overflow page. One number straddles the end of the b-tree page's part (text offset 476), the
// other the end of the first overflow page (text offset 4488).
const splitNumbers = ['13900001111', '13900002222'];
const longNote = [
  'x'.repeat(471),
  splitNumbers[0],
  'x'.repeat(4483 - 482),
  splitNumbers[1],
  'y'.repeat(8500 - 4494),
].join('');
const everything = [...sensitive, ...splitNumbers];
const otherKey = 'ab'.repeat(32);

describe('the forensic reader of the vault', () => {
  const dir = tempDir();
  const dataDir = join(dir.path, 'profile');
  let vault: Vault;
  let key: string;
  const file = () => vaultPaths(dataDir).database;
  const wal = () => `${file()}-wal`;
  const insertAll = () => {
    const insert = vault.db.prepare('INSERT INTO person VALUES (?, ?, ?)');
    vault.db.transaction(() => {
      for (let i = 0; i < 20; i++) insert.run(...sensitive);
      vault.db.prepare('INSERT INTO note VALUES (?)').run(longNote);
    })();
  };
  const deleteAll = () => vault.db.exec('DELETE FROM person; DELETE FROM note');
  const found = (needles = everything) =>
    vaultContains(dataDir, key, needles).map(({ needle, where }) => `${where}:${needle}`);
  const unique = (values: string[]) => [...new Set(values)].sort();

  beforeAll(() => {
    vault = createVault(dataDir, secrets);
    key = secrets.get(keyAccounts(vault.profileId).current)!;
    vault.db.exec('CREATE TABLE person (name TEXT, id_number TEXT, mobile TEXT)');
    vault.db.exec('CREATE TABLE note (body TEXT)');
    insertAll();
    vault.db.pragma('wal_checkpoint(TRUNCATE)');
  });
  afterAll(() => {
    vault.close();
    secrets.delete(keyAccounts(vault.profileId).current);
    dir.cleanup();
  });

  it('decrypts every page of the file, each verified by its HMAC, and none with another key', () => {
    const pages = decryptedPages(file(), key);
    expect(pages.length).toBe(statSync(file()).size / PAGE_SIZE);
    expect(pages.filter(({ verified }) => verified).length).toBe(pages.length);
    // Page 1 is SQLite's header: 4096-byte pages, 80 reserved bytes, the page count.
    const header = pages[0]!.data;
    expect(header.subarray(0, 16).toString('latin1')).toBe('SQLite format 3\0');
    expect(header.readUInt16BE(16)).toBe(PAGE_SIZE);
    expect(header[20]).toBe(80);
    expect(header.readUInt32BE(28)).toBe(pages.length);
    expect(decryptedPages(file(), otherKey).filter(({ verified }) => verified)).toEqual([]);
  });

  it('finds the values in the file when the raw bytes, or another key, show none', () => {
    expect(unique(found())).toEqual(unique(everything.map((needle) => `db:${needle}`)));
    expect(decryptedWalPages(wal(), key, saltOf(file()))).toEqual([]);
    for (const needle of everything) {
      expect(filesContaining(dataDir, Buffer.from(needle, 'utf8')), needle).toEqual([]);
    }
    expect(vaultContains(dataDir, otherKey, sensitive)).toEqual([]);
    // A string that was never written is not found: the search is no blanket yes.
    expect(vaultContains(dataDir, key, ['王五', '110101200001010000'])).toEqual([]);
  });

  it('finds a value that no single page holds, split across overflow pages', () => {
    const pages = decryptedPages(file(), key);
    for (const needle of splitNumbers) {
      expect(
        pages.filter(({ data }) => data.includes(needle)),
        needle,
      ).toEqual([]);
    }
    expect(unique(found(splitNumbers))).toEqual(splitNumbers.map((needle) => `db:${needle}`));
  });

  it('finds nothing once the rows are deleted (secure_delete) and the WAL truncated', () => {
    deleteAll();
    // Before the checkpoint the file still holds every row.
    expect(unique(found())).toContain('db:张三丰');
    vault.db.pragma('wal_checkpoint(TRUNCATE)');
    expect(statSync(wal()).size).toBe(0);
    expect(found()).toEqual([]);
    const pages = decryptedPages(file(), key);
    expect(pages.filter(({ verified }) => verified).length).toBe(pages.length);
  });

  it('finds values that only the WAL holds, and still after a checkpoint that keeps the WAL', () => {
    // Written and deleted with no checkpoint: the file never had them, old WAL frames do.
    insertAll();
    deleteAll();
    expect(unique(found())).toEqual(unique(everything.map((needle) => `wal:${needle}`)));
    const frames = decryptedWalPages(wal(), key, saltOf(file()));
    expect(frames.length).toBeGreaterThan(0);
    expect(frames.filter(({ verified }) => verified).length).toBe(frames.length);
    // A passive checkpoint copies the newest pages into the file but leaves the frames.
    vault.db.pragma('wal_checkpoint(PASSIVE)');
    expect(unique(found())).toEqual(unique(everything.map((needle) => `wal:${needle}`)));
    vault.db.pragma('wal_checkpoint(TRUNCATE)');
    expect(found()).toEqual([]);
  });

  it('finds what a delete without secure_delete leaves in free space and free pages', () => {
    vault.db.pragma('secure_delete = OFF');
    try {
      insertAll();
      vault.db.pragma('wal_checkpoint(TRUNCATE)');
      deleteAll();
      vault.db.pragma('wal_checkpoint(TRUNCATE)');
      // The freed cell still holds the short values, and the freed overflow pages the number
      // split between them. The other split number survives only if its first overflow page
      // became a free-list leaf: as the list's trunk its header overwrites the start of the rest.
      expect(unique(found())).toEqual(
        expect.arrayContaining([...sensitive, splitNumbers[1]!].map((needle) => `db:${needle}`)),
      );
    } finally {
      vault.db.pragma('secure_delete = ON');
    }
  });

  it('finds a value stored as UTF-16', () => {
    const utf16 = '王小明';
    vault.db.exec('CREATE TABLE scratch (b BLOB)');
    vault.db.prepare('INSERT INTO scratch VALUES (?)').run(Buffer.from(utf16, 'utf16le'));
    expect(found([utf16]).length).toBeGreaterThan(0);
    vault.db.exec('DROP TABLE scratch');
    vault.db.pragma('wal_checkpoint(TRUNCATE)');
    expect(found([utf16])).toEqual([]);
  });
});

describe("the forensic reader of HQ's database", () => {
  const dir = tempDir();
  let db: Database;

  beforeAll(async () => {
    db = await openDatabase({ dataDir: join(dir.path, 'hq') });
    await db.exec(`
      CREATE TABLE customer (id int, name text, mobile text);
      CREATE TABLE change_log (id int, body jsonb);
      CREATE TABLE attachment (id int, content bytea);
      CREATE TABLE "Odd ""Name""" (id int, note text);
      CREATE TABLE clean (id int, note text);
      CREATE SCHEMA other;
      CREATE TABLE other.elsewhere (name text);
      INSERT INTO customer VALUES (1, '张三丰', '13812345678');
      INSERT INTO change_log VALUES (1, '{"idNumber": "11010519491231002X", "name": "张三丰"}');
      INSERT INTO attachment VALUES (1, convert_to('mobile 13812345678', 'UTF8'));
      INSERT INTO "Odd ""Name""" VALUES (1, 'id 11010519491231002X');
      INSERT INTO clean VALUES (1, 'nothing to see');
      INSERT INTO other.elsewhere VALUES ('张三丰');
    `);
  });
  afterAll(async () => {
    await db.close();
    dir.cleanup();
  });

  it('names every public table whose rows hold a value, as text, JSON or bytes', async () => {
    const found = await hqTablesContaining(db, [...sensitive, '王五']);
    expect(found.map(({ needle, table }) => `${table}:${needle}`).sort()).toEqual(
      [
        'Odd "Name":11010519491231002X',
        'attachment:13812345678',
        'change_log:11010519491231002X',
        'change_log:张三丰',
        'customer:13812345678',
        'customer:张三丰',
      ].sort(),
    );
  });
});
