// Phones and addresses stored before they had ids: the vault's migration and HQ's migration 012
// (on PGlite and on PostgreSQL) give them the same ids, the ones a read gives them
// (customerSchema), so a device and HQ still hold one record byte for byte; and the vault's
// outbox keeps saying which entries each pending edit touched.
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import Database from 'better-sqlite3-multiple-ciphers';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { migrate, migrations } from '../../electron/core/vault';
import { giveListEntriesIds } from '../../electron/core/vault/entry-ids-migration';
import { customerSchema, positionalEntryId, type Customer } from '../../shared/customer';
import { generateCustomers } from '../../shared/synthetic';
import { tempDir } from '../support/files';
import { startPostgres } from '../support/postgres';

const sample: Customer[] = [
  ...generateCustomers({
    seed: 12,
    count: 40,
    branches: ['B001'],
    rmsPerBranch: { B001: ['B001-rm-01'] },
  }),
];
const stripped = (customer: Customer) => ({
  ...customer,
  phones: customer.phones.map(({ id: _id, ...phone }) => phone),
  addresses: customer.addresses.map(({ id: _id, ...address }) => address),
});
/** A customer with two phones and two addresses, as stored before ids. */
const old = (() => {
  const customer = stripped(sample.find((c) => c.phones.length > 0)!);
  return {
    ...customer,
    phones: [...customer.phones, { kind: 'mobile' as const, e164: '+8613900001111' }].slice(0, 2),
    addresses: [customer.addresses[0]!, { ...customer.addresses[0]!, kind: 'mailing' as const }],
  };
})();
const withTwo = customerSchema.parse(old);
const hqSql = readFileSync(
  new URL('../../hq/migrations/012_list_entry_ids.sql', import.meta.url),
  'utf8',
);

describe('ids for phones and addresses stored without them', () => {
  const dir = tempDir();
  afterAll(() => dir.cleanup());

  it('a read gives them by place', () => {
    const read = customerSchema.parse(old);
    expect(read.phones.map((phone) => phone.id)).toEqual([
      positionalEntryId(0),
      positionalEntryId(1),
    ]);
    expect(read).toEqual(withTwo);
  });

  it('the vault migration gives records the same ids, and pending edits ids that fit', () => {
    const db = new Database(join(dir.path, 'vault.db'));
    db.pragma(`cipher = 'sqlcipher'`);
    db.pragma(`key = "x'${randomBytes(32).toString('hex')}'"`);
    const mine = migrations.find((migration) => migration.up === giveListEntriesIds)!;
    migrate(db, migrations, mine.version - 1);
    db.prepare(
      `INSERT INTO customer (id, customer_number, kind, legal_name, version, list_item, record)
       VALUES (?, ?, ?, ?, 1, '{}', ?)`,
    ).run(old.id, old.customerNumber, old.kind, old.legalName, JSON.stringify(old));
    // A pending edit: the first phone removed, the second kept, a third added.
    const [first, second] = old.phones;
    const third = { kind: 'mobile', e164: '+8613912345678' };
    const mutation = {
      kind: 'update',
      mutationId: randomUUID(),
      customerId: old.id,
      fields: { phones: { from: [first, second], to: [second, third] } },
    };
    db.prepare(
      `INSERT INTO outbox (mutation_id, customer_id, mutation, created_at) VALUES (?, ?, ?, ?)`,
    ).run(mutation.mutationId, old.id, JSON.stringify(mutation), new Date().toISOString());

    expect(migrate(db, migrations, mine.version)).toEqual([mine.version]);
    const record = JSON.parse(db.prepare('SELECT record FROM customer').pluck().get() as string);
    expect(record).toEqual(withTwo);
    const queued = JSON.parse(db.prepare('SELECT mutation FROM outbox').pluck().get() as string);
    const ids = (list: { id: string }[]) => list.map((entry) => entry.id);
    expect(ids(queued.fields.phones.from)).toEqual([positionalEntryId(0), positionalEntryId(1)]);
    // The kept phone keeps its id; the new one takes an id no entry before had.
    expect(ids(queued.fields.phones.to)).toEqual([positionalEntryId(1), positionalEntryId(2)]);
    db.close();
  });

  const atHq = async (
    query: (sql: string) => Promise<unknown[]>,
    script: (sql: string) => Promise<unknown>,
  ) => {
    await query('CREATE TABLE customer (id uuid PRIMARY KEY, record jsonb NOT NULL)');
    const records = [old, ...sample.slice(0, 5).map(stripped), withTwo];
    for (const [index, record] of records.entries())
      await query(
        `INSERT INTO customer VALUES ('${randomUUID()}', '${JSON.stringify({ ...record, n: index }).replaceAll("'", "''")}')`,
      );
    await script(hqSql);
    const rows = (await query('SELECT record FROM customer')) as { record: { n: number } }[];
    return rows.sort((a, b) => a.record.n - b.record.n).map(({ record }) => record);
  };

  const expected = () =>
    [old, ...sample.slice(0, 5).map(stripped), withTwo].map((record, n) => ({
      ...customerSchema.parse(record),
      n,
    }));

  it("HQ's migration 012 gives the same ids on PGlite", async () => {
    const db = new PGlite();
    const records = await atHq(
      async (sql) => (await db.query(sql)).rows,
      (sql) => db.exec(sql),
    );
    expect(records).toEqual(expected());
    await db.close();
  });

  it("HQ's migration 012 gives the same ids on PostgreSQL", async () => {
    const cluster = await startPostgres();
    const client = new pg.Client({ connectionString: cluster.url });
    try {
      await client.connect();
      const records = await atHq(
        async (sql) => (await client.query(sql)).rows,
        (sql) => client.query(sql),
      );
      expect(records).toEqual(expected());
    } finally {
      await client.end();
      cluster.stop();
    }
  }, 120_000);
});
