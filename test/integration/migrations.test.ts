// Schema migrations: each one applied to a database at the version before it, on a real
// encrypted vault; a failing one changes nothing.
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isBranchDeskError } from '../../shared/errors';
import { generateCustomers } from '../../shared/synthetic';
import { packRecord, readFacts, readListItem, unpackRecord } from '../../electron/core/customers';
import { toCustomerListItem } from '../../shared/customer';
import { bookFacts } from '../../shared/insight/book';
import { migrate, migrations, schemaVersion, type Migration } from '../../electron/core/vault';
import { applyConnectionPragmas } from '../../electron/core/vault/sqlcipher';
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

/** Migrates `db` through every migration and one more that fails halfway; what it threw. */
function migratingWithBrokenLast(db: Database.Database): unknown {
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
  try {
    migrate(db, broken);
  } catch (error) {
    return error;
  }
  return undefined;
}

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

  it('migration 10 removes every cached TOTP secret, from the rows and from the file', () => {
    // Unencrypted here, so the test can read the file's bytes; the vault's connection settings
    // (secure_delete among them) as on a real vault.
    const file = join(dir.path, 'plain.db');
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    applyConnectionPragmas(db);
    migrate(db, migrations, 9);
    const seeds = ['JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', 'KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU'];
    const insert = db.prepare(`
      INSERT INTO staff_credential (user_id, username, display_name, roles, branch_id, status,
        verifier, totp_secret, last_totp_step, password_changed_at, last_online_login_at,
        offline_window_hours, idle_lock_minutes)
      VALUES (?, ?, 'x', '["teller"]', 'B001', 'active', '$argon2id$v=19$stub', ?, 5, ?, ?, 72, 5)`);
    const at = new Date().toISOString();
    seeds.forEach((seed, index) => insert.run(randomUUID(), `user${index}`, seed, at, at));
    db.pragma('wal_checkpoint(TRUNCATE)');
    const onDisk = () => readFileSync(file).toString('latin1');
    expect(onDisk()).toContain(seeds[0]); // the test can see a seed where there is one

    expect(migrate(db, migrations, 10)).toEqual([10]);
    const columns = db
      .prepare("SELECT name FROM pragma_table_info('staff_credential')")
      .pluck()
      .all();
    expect(columns).not.toContain('totp_secret');
    expect(columns).toEqual(expect.arrayContaining(['offline_grant', 'offline_grant_signature']));
    // The users stay (verifier, roles): they sign in online once for a grant.
    expect(db.prepare('SELECT count(*) FROM staff_credential').pluck().get()).toBe(2);
    db.pragma('wal_checkpoint(TRUNCATE)');
    for (const seed of seeds) expect(onDisk()).not.toContain(seed);
    db.close();
    for (const seed of seeds) expect(onDisk()).not.toContain(seed);
  });

  it('migration 11 keeps every held change as it was, and lets one go back to its maker', () => {
    const db = encryptedDatabase(join(dir.path, 'vault.db'));
    migrate(db, migrations, 10);
    const customerId = randomUUID();
    db.prepare(
      `INSERT INTO pending_change (customer_id, base_version, changes, requested_by, requested_at,
         status, decided_by, decided_at, reason)
       VALUES (?, 3, '{"legalName":"王惠"}', 'user:teller1', '2026-01-01T00:00:00Z', ?, ?, ?, ?)`,
    ).run(customerId, 'rejected', 'user:supervisor1', '2026-01-02T00:00:00Z', '证件不符');
    expect(migrate(db, migrations, 11)).toEqual([11]);
    expect(db.prepare('SELECT * FROM pending_change').all()).toEqual([
      {
        id: 1,
        customer_id: customerId,
        base_version: 3,
        changes: '{"legalName":"王惠"}',
        before: null,
        note: null,
        requested_by: 'user:teller1',
        requested_at: '2026-01-01T00:00:00Z',
        status: 'rejected',
        decided_by: 'user:supervisor1',
        decided_at: '2026-01-02T00:00:00Z',
        reason: '证件不符',
        moved: null,
      },
    ]);
    db.prepare(`UPDATE pending_change SET status = 'redo', moved = '["legalName"]'`).run();
    expect(() => db.prepare(`UPDATE pending_change SET status = 'lost'`).run()).toThrow(/CHECK/);
    db.close();
  });

  it("migration 12 gives a person's list item the gender and birth date of the record", () => {
    const db = encryptedDatabase(join(dir.path, 'vault.db'));
    migrate(db, migrations, 11);
    const insert = db.prepare(
      `INSERT INTO customer (id, customer_number, kind, legal_name, version, list_item, record)
       VALUES (?, ?, ?, ?, 1, ?, ?)`,
    );
    insert.run(
      randomUUID(),
      'C0000000018',
      'individual',
      '王慧',
      '{"displayName":"王慧"}',
      '{"gender":"female","birthDate":"1990-03-07"}',
    );
    insert.run(
      randomUUID(),
      'C0000000026',
      'corporate',
      '某公司',
      '{"displayName":"某公司"}',
      '{}',
    );
    expect(migrate(db, migrations, 12)).toEqual([12]);
    const items = db
      .prepare('SELECT list_item FROM customer ORDER BY customer_number')
      .pluck()
      .all()
      .map((item) => JSON.parse(item as string) as unknown);
    expect(items).toEqual([
      { displayName: '王慧', gender: 'female', birthDate: '1990-03-07' },
      { displayName: '某公司' },
    ]);
    db.close();
  });

  it('migration 16 compresses every record, keeping its key, its row, its unique number and its scope index', () => {
    const db = encryptedDatabase(join(dir.path, 'vault.db'));
    migrate(db, migrations, 15);
    const customers = [
      ...generateCustomers({ seed: 16, count: 40, branches: ['B001'], rmsPerBranch: 4 }),
    ];
    const insert = db.prepare(
      `INSERT INTO customer (customer_key, id, customer_number, kind, legal_name, version,
         has_pending_changes, list_item, record, hq_version, hq_hash)
       VALUES (?, ?, ?, ?, ?, ?, ?, '{}', ?, ?, ?)`,
    );
    // Keys with gaps, as deletions leave them: the terms point at these keys.
    customers.forEach((customer, index) =>
      insert.run(
        index * 3 + 7,
        customer.id,
        customer.customerNumber,
        customer.kind,
        customer.legalName,
        customer.version,
        index % 5 === 0 ? 1 : 0,
        JSON.stringify(customer),
        index % 7 === 0 ? null : customer.version,
        index % 7 === 0 ? null : `hash-${index}`,
      ),
    );
    const before = db
      .prepare('SELECT customer_key, id, has_pending_changes, hq_version, hq_hash FROM customer')
      .all();

    expect(migrate(db, migrations, 16)).toEqual([16]);
    const rows = db.prepare('SELECT id, record FROM customer ORDER BY customer_key').all() as {
      id: string;
      record: unknown;
    }[];
    expect(rows.map((row) => row.id)).toEqual(customers.map((customer) => customer.id));
    rows.forEach((row, index) => {
      expect(Buffer.isBuffer(row.record)).toBe(true);
      expect(unpackRecord(row.record as Buffer)).toEqual(customers[index]);
    });
    expect(
      db
        .prepare('SELECT customer_key, id, has_pending_changes, hq_version, hq_hash FROM customer')
        .all(),
    ).toEqual(before);
    // The scope digest still reads its covering index, not the table.
    const plan = db
      .prepare(
        'EXPLAIN QUERY PLAN SELECT id, hq_hash FROM customer WHERE hq_version IS NOT NULL ORDER BY id',
      )
      .all() as { detail: string }[];
    expect(plan.map((step) => step.detail).join(' ')).toMatch(/COVERING INDEX customer_scope/);
    // Customer numbers are still unique, through a named index a snapshot can build at its end.
    expect(() =>
      db
        .prepare('UPDATE customer SET customer_number = ? WHERE customer_key = 7')
        .run(customers[1]!.customerNumber),
    ).toThrow(/UNIQUE constraint failed: customer.customer_number/);
    // A record is a blob now: text where one belongs is refused, not stored as it was.
    expect(() =>
      db.prepare("UPDATE customer SET record = '{}' WHERE customer_key = 7").run(),
    ).toThrow(/cannot store TEXT value in BLOB column/);
    db.close();
  });

  it('migration 27 packs every list item and book facts, keeping rows, columns, indexes and the trigger', () => {
    const db = encryptedDatabase(join(dir.path, 'vault.db'));
    migrate(db, migrations, 26);
    const customers = [
      ...generateCustomers({ seed: 27, count: 30, branches: ['B001'], rmsPerBranch: 3 }),
    ];
    const insert = db.prepare(
      `INSERT INTO customer (customer_key, id, customer_number, kind, legal_name, version,
         has_pending_changes, list_item, record, hq_version)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const book = db.prepare(
      `INSERT INTO customer_book (customer_key, rm, segment, risk, kyc_due, quality_flags, facts)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    customers.forEach((customer, index) => {
      const pending = index % 4 === 0;
      const key = index * 2 + 5;
      insert.run(
        key,
        customer.id,
        customer.customerNumber,
        customer.kind,
        customer.legalName,
        customer.version,
        pending ? 1 : 0,
        JSON.stringify(toCustomerListItem(customer, { hasPendingChanges: pending })),
        packRecord(customer),
        customer.version,
      );
      const facts = bookFacts(customer);
      book.run(
        key,
        facts.rm ?? null,
        facts.segment,
        facts.risk,
        '2027-01-01',
        index,
        JSON.stringify(facts),
      );
    });
    const columns =
      'SELECT customer_key, rm, segment, risk, kyc_due, quality_flags FROM customer_book';
    const before = db.prepare(columns).all();

    expect(migrate(db, migrations, 27)).toEqual([27]);
    const rows = db
      .prepare(
        `SELECT c.list_item, c.has_pending_changes, b.facts FROM customer c
         JOIN customer_book b USING (customer_key) ORDER BY customer_key`,
      )
      .all() as { list_item: Buffer; has_pending_changes: number; facts: Buffer }[];
    expect(rows).toHaveLength(customers.length);
    rows.forEach((row, index) => {
      const customer = customers[index]!;
      expect(readListItem(row.list_item, row.has_pending_changes)).toEqual(
        toCustomerListItem(customer, { hasPendingChanges: index % 4 === 0 }),
      );
      expect(readFacts(row.facts)).toEqual(bookFacts(customer));
    });
    // About a third of the JSON's size.
    const size = (bytes: number, row: { list_item: Buffer; facts: Buffer }) =>
      bytes + row.list_item.length + row.facts.length;
    const json = customers.reduce(
      (bytes, customer) =>
        bytes +
        JSON.stringify(toCustomerListItem(customer, { hasPendingChanges: false })).length +
        JSON.stringify(bookFacts(customer)).length,
      0,
    );
    expect(rows.reduce(size, 0)).toBeLessThan(json / 2);
    expect(db.prepare(columns).all()).toEqual(before);
    // The schema is a freshly migrated vault's: the same tables, indexes and trigger.
    const fresh = encryptedDatabase(join(dir.path, 'fresh.db'));
    migrate(fresh, migrations, 27);
    const schema = (target: Database.Database) =>
      target.prepare('SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY name').all();
    expect(schema(db)).toEqual(schema(fresh));
    fresh.close();
    // The book's row still goes with its customer.
    db.prepare('DELETE FROM customer WHERE customer_key = 5').run();
    expect(
      db.prepare('SELECT count(*) FROM customer_book WHERE customer_key = 5').pluck().get(),
    ).toBe(0);
    expect(() =>
      db.prepare("UPDATE customer_book SET facts = '{}' WHERE customer_key = 7").run(),
    ).toThrow(/cannot store TEXT value in BLOB column/);
    db.close();
  });

  it('is idempotent: migrating a current vault applies nothing', () => {
    const db = encryptedDatabase(join(dir.path, 'vault.db'));
    migrate(db);
    expect(migrate(db)).toEqual([]);
    db.close();
  });

  it('rolls a failing migration back completely: no half-made table, version unchanged', () => {
    const db = encryptedDatabase(join(dir.path, 'vault.db'));
    migrate(db);
    const thrown = migratingWithBrokenLast(db);
    expect(isBranchDeskError(thrown, 'VAULT_MIGRATION_FAILED')).toBe(true);
    expect(schemaVersion(db)).toBe(migrations.length);
    expect(tables(db)).not.toContain('half_made');
    db.close();
  });

  it('makes a new file whole or not at all: a failing last migration leaves no table of the others', () => {
    const db = encryptedDatabase(join(dir.path, 'vault.db'));
    const thrown = migratingWithBrokenLast(db);
    expect(isBranchDeskError(thrown, 'VAULT_MIGRATION_FAILED')).toBe(true);
    expect((thrown as { details?: unknown }).details).toEqual({ version: migrations.length + 1 });
    expect(schemaVersion(db)).toBe(0);
    expect(tables(db)).toEqual([]);
    // And then made whole by the migrations that work.
    expect(migrate(db)).toEqual(migrations.map((migration) => migration.version));
    expect(schemaVersion(db)).toBe(migrations.length);
    db.close();
  });

  it('refuses a vault newer than this build', () => {
    const db = encryptedDatabase(join(dir.path, 'vault.db'));
    db.pragma(`user_version = ${migrations.length + 1}`);
    expect(() => migrate(db)).toThrow(expect.objectContaining({ code: 'VAULT_TOO_NEW' }));
    db.close();
  });
});
