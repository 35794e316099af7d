// Schema migrations: each one applied to a database at the version before it, on a real
// encrypted vault; a failing one changes nothing.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isBranchDeskError } from '../../shared/errors';
import { migrate, migrations, schemaVersion, type Migration } from '../../electron/core/vault';
import { tempDir } from '../support/files';

function encryptedDatabase(file: string): Database.Database {
  const db = new Database(file);
  db.pragma(`cipher = 'sqlcipher'`);
  db.pragma('legacy = 4');
  db.pragma(`key = "x'${randomBytes(32).toString('hex')}'"`);
  db.pragma('journal_mode = WAL');
  return db;
}

const tables = (db: Database.Database) =>
  db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").pluck().all();

describe('schema migrations', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => (dir = tempDir()));
  afterEach(() => dir.cleanup());

  it('are numbered 1, 2, 3 … without gaps', () => {
    expect(migrations.map((migration) => migration.version)).toEqual(
      migrations.map((_, index) => index + 1),
    );
  });

  for (const migration of migrations) {
    it(`migration ${migration.version} (${migration.name}) applies to a vault at version ${migration.version - 1}`, () => {
      const db = encryptedDatabase(join(dir.path, 'vault.db'));
      migrate(db, migrations, migration.version - 1);
      expect(schemaVersion(db)).toBe(migration.version - 1);
      const before = tables(db);
      expect(migrate(db, migrations, migration.version)).toEqual([migration.version]);
      expect(schemaVersion(db)).toBe(migration.version);
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(db.pragma('foreign_key_check')).toEqual([]);
      expect(tables(db).length).toBeGreaterThanOrEqual(before.length);
      db.close();
    });
  }

  it('is idempotent: migrating a current vault applies nothing', () => {
    const db = encryptedDatabase(join(dir.path, 'vault.db'));
    migrate(db);
    expect(migrate(db)).toEqual([]);
    db.close();
  });

  it('rolls a failing migration back completely: no half-made table, version unchanged', () => {
    const db = encryptedDatabase(join(dir.path, 'vault.db'));
    migrate(db);
    const broken: Migration[] = [
      ...migrations,
      {
        version: migrations.length + 1,
        name: 'fails halfway',
        up(target) {
          target.exec('CREATE TABLE half_made (id INTEGER PRIMARY KEY)');
          target.exec('INSERT INTO no_such_table VALUES (1)');
        },
      },
    ];
    let thrown: unknown;
    try {
      migrate(db, broken);
    } catch (error) {
      thrown = error;
    }
    expect(isBranchDeskError(thrown, 'VAULT_MIGRATION_FAILED')).toBe(true);
    expect(schemaVersion(db)).toBe(migrations.length);
    expect(tables(db)).not.toContain('half_made');
    db.close();
  });

  it('refuses a vault newer than this build', () => {
    const db = encryptedDatabase(join(dir.path, 'vault.db'));
    db.pragma(`user_version = ${migrations.length + 1}`);
    expect(() => migrate(db)).toThrow(expect.objectContaining({ code: 'VAULT_TOO_NEW' }));
    db.close();
  });
});
