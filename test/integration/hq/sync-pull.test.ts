// Pull, end to end: branchctl against a real HQ process. The device ends up holding exactly its
// branch's scope; reassignments move customers in and out; a SIGKILLed sync resumes with the
// vault always matching its cursor. These runs replay the change feed from the start
// (`--initial-sync feed`): the feed is what every later sync reads, and what these tests are
// about; the initial sync by snapshot has its own (snapshot.test.ts, snapshot-crash.test.ts).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../../electron/core/audit/log';
import {
  CustomerService,
  CustomerStore,
  customerJson,
  packCustomerJson,
  unpackJson,
  unpackRecord,
} from '../../../electron/core/customers';
import { deviceClient } from '../../../electron/core/sync/engine';
import {
  PACK_ON_WORKER_AT,
  pullChanges,
  SLICE_CHANGES,
  syncCursor,
} from '../../../electron/core/sync/pull';
import { openVault, readProfile, vaultPaths } from '../../../electron/core/vault';
import { generateCustomers } from '../../../shared/synthetic';
import type { Customer } from '../../../shared/customer';
import { recordHash } from '../../../shared/sync/record-hash';
import { branchctl, branchctlAsync } from '../../support/branchctl';
import {
  addHqUser,
  hqAdmin,
  hqCommand,
  startHq,
  type HqEnv,
  type RunningHq,
} from '../../support/hq';
import { profileSandbox, realSecretStore } from '../../support/keyring';

const secrets = realSecretStore();
const SEED = 21;
const COUNT = 3000;
const generated: Customer[] = [
  ...generateCustomers({ seed: SEED, count: COUNT, branches: ['B001', 'B002'], rmsPerBranch: 8 }),
];
const inB001 = (customer: Customer) =>
  customer.homeBranchId === 'B001' || customer.assignedRmId?.startsWith('B001-') === true;

const lastJson = (stdout: string) => JSON.parse(stdout.trim().split('\n').at(-1)!);

describe('sync: pull by cursor', () => {
  const sandbox = profileSandbox(secrets);
  let hq: HqEnv;
  let server: RunningHq;
  let port: number;
  const codes: string[] = [];

  beforeAll(async () => {
    hq = { dataDir: join(sandbox.path, 'hq') };
    expect(
      hqCommand(hq, [
        'seed',
        '--customers',
        String(COUNT),
        '--branches',
        '2',
        '--seed',
        String(SEED),
      ]).status,
    ).toBe(0);
    for (let i = 0; i < 4; i++)
      codes.push(hqCommand(hq, ['enroll-code', '--branch', 'B001']).stdout.trim());
    server = await startHq(hq);
    port = Number(new URL(server.url).port);
  }, 180_000);
  afterAll(async () => {
    await server.stop();
    sandbox.cleanup();
  });

  /** HQ's console, HQ serving meanwhile (on PGlite it runs the command: hq/console-socket.ts). */
  async function atConsole(args: string[]) {
    const run = hqCommand(hq, args);
    expect(run.status, run.stderr).toBe(0);
  }

  function enroll(name: string, code: string): string {
    const dataDir = join(sandbox.path, name);
    const run = branchctl([
      'enroll',
      '--hq',
      server.url,
      '--code',
      code,
      '--data-dir',
      dataDir,
      '--json',
    ]);
    expect(run.status, run.stdout + run.stderr).toBe(0);
    sandbox.forget(readProfile(vaultPaths(dataDir).profile).profileId);
    return dataDir;
  }

  function heldIds(dataDir: string): Set<string> {
    const vault = openVault(dataDir, secrets, { readonly: true });
    try {
      return new Set(vault.db.prepare('SELECT id FROM customer').pluck().all() as string[]);
    } finally {
      vault.close();
    }
  }

  let dataDir: string;

  /**
   * Seeded customers the earlier tests left as seeded (held by the first device at their seeded
   * version). Each comes at its seeded seq (index + 1); a customer changed since comes once, at
   * its newest change, after all of them.
   */
  function unchangedSinceSeed(): Set<string> {
    const vault = openVault(dataDir, secrets, { readonly: true });
    try {
      const versions = new Map(
        (
          vault.db.prepare('SELECT id, hq_version FROM customer').all() as {
            id: string;
            hq_version: number;
          }[]
        ).map((row) => [row.id, row.hq_version]),
      );
      return new Set(
        generated.filter((c) => versions.get(c.id) === c.version).map((customer) => customer.id),
      );
    } finally {
      vault.close();
    }
  }

  it('pulls exactly the branch scope, with progress, and then nothing more', () => {
    dataDir = enroll('branch', codes[0]!);
    const run = branchctl([
      'sync',
      '--initial-sync',
      'feed',
      '--page-size',
      '500',
      '--data-dir',
      dataDir,
      '--json',
    ]);
    expect(run.status, run.stderr).toBe(0);
    const lines = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    const progress = lines.filter((line) => line.progress).map((line) => line.progress);
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.at(-1)).toMatchObject({ done: progress.at(-1).total });
    const expected = new Set(generated.filter(inB001).map((customer) => customer.id));
    expect(lastJson(run.stdout).value.pull).toMatchObject({
      inserted: expected.size,
      removed: 0,
      invalid: 0,
      scope: { mismatchedBuckets: 0 }, // the digest HQ sent matches what the device now holds
    });
    expect(heldIds(dataDir)).toEqual(expected);

    const again = branchctl(['sync', '--initial-sync', 'feed', '--data-dir', dataDir, '--json']);
    expect(lastJson(again.stdout).value.pull).toMatchObject({
      inserted: 0,
      updated: 0,
      removed: 0,
    });
  });

  it('purges a customer reassigned away, takes one reassigned in, and pushes local edits before purging', async () => {
    const leaving = generated.find(
      (c) => c.homeBranchId === 'B001' && c.assignedRmId?.startsWith('B001-'),
    )!;
    const arriving = generated.find(
      (c) => c.homeBranchId === 'B002' && !c.assignedRmId?.startsWith('B001-'),
    )!;
    const edited = generated.filter(
      (c) => c.homeBranchId === 'B001' && c.assignedRmId?.startsWith('B001-'),
    )[1]!;
    const changes = join(sandbox.path, 'changes.json');
    writeFileSync(changes, JSON.stringify({ email: 'edited.at.branch@example.com' }));
    const edit = branchctl([
      'customer',
      'update',
      edited.id,
      '--base-version',
      String(edited.version),
      '--file',
      changes,
      '--data-dir',
      dataDir,
      '--json',
    ]);
    expect(edit.status, edit.stdout + edit.stderr).toBe(0);

    await atConsole([
      'reassign',
      '--customer',
      leaving.id,
      '--branch',
      'B002',
      '--rm',
      'B002-rm-01',
    ]);
    await atConsole([
      'reassign',
      '--customer',
      arriving.id,
      '--branch',
      'B001',
      '--rm',
      'B001-rm-02',
    ]);
    await atConsole([
      'reassign',
      '--customer',
      edited.id,
      '--branch',
      'B002',
      '--rm',
      'B002-rm-03',
    ]);

    const run = branchctl(['sync', '--initial-sync', 'feed', '--data-dir', dataDir, '--json']);
    // The round pushes first: the edit reaches HQ (the branch held the customer), then the pull
    // purges both customers that left.
    expect(lastJson(run.stdout).value).toMatchObject({
      push: { pushed: 1, applied: 1 },
      pull: { inserted: 1, removed: 2, keptLocal: 0 },
    });
    const held = heldIds(dataDir);
    expect(held.has(leaving.id)).toBe(false);
    expect(held.has(arriving.id)).toBe(true);
    expect(held.has(edited.id)).toBe(false);
    const search = branchctl([
      'customer',
      'search',
      leaving.identityDocuments[0]!.number,
      '--data-dir',
      dataDir,
      '--json',
    ]);
    expect(lastJson(search.stdout).value.items).toEqual([]);
    // Three restarts of HQ (PGlite takes the CLI only while HQ is stopped) and four CLI runs: a
    // minute on a loaded machine.
  }, 150_000);

  it("detects drift from HQ's scope digest and repairs just the difference", () => {
    const vault = openVault(dataDir, secrets);
    const store = new CustomerStore(vault.db);
    const held = [...heldIds(dataDir)];
    const deleted = held[0]!;
    const corrupted = store.get(held[1]!)!.customer;
    const outsider = generated.find((c) => !inB001(c) && !heldIds(dataDir).has(c.id))!;
    store.remove(deleted);
    store.replace(
      { ...corrupted, legalName: '篡改' },
      { pending: false, hqVersion: corrupted.version + 5 },
    );
    // As if taken from HQ with other content (the digest compares content hashes).
    vault.db
      .prepare('UPDATE customer SET hq_hash = ? WHERE id = ?')
      .run('0'.repeat(64), corrupted.id);
    store.insert(outsider);
    vault.close();

    const run = branchctl(['sync', '--initial-sync', 'feed', '--data-dir', dataDir, '--json']);
    expect(run.status, run.stderr).toBe(0);
    const { scope } = lastJson(run.stdout).value.pull;
    expect(scope.fetched).toBe(2);
    expect(scope.removed).toBe(1);
    expect(scope.mismatchedBuckets).toBeGreaterThanOrEqual(1);
    expect(scope.mismatchedBuckets).toBeLessThanOrEqual(3);
    const after = heldIds(dataDir);
    expect(after.has(deleted)).toBe(true);
    expect(after.has(outsider.id)).toBe(false);
    const repaired = openVault(dataDir, secrets, { readonly: true });
    expect(new CustomerStore(repaired.db).get(corrupted.id)?.customer.legalName).toBe(
      corrupted.legalName,
    );
    repaired.close();

    const again = branchctl(['sync', '--initial-sync', 'feed', '--data-dir', dataDir, '--json']);
    expect(lastJson(again.stdout).value.pull.scope).toEqual({
      mismatchedBuckets: 0,
      fetched: 0,
      removed: 0,
      keptLocal: 0,
    });
  });

  it('applies a page in slices, each committed with its cursor, and answers searches between them', async () => {
    const sliced = enroll('sliced', codes[2]!);
    const scope = generated.filter(inB001);
    const vault = openVault(sliced, secrets);
    const service = new CustomerService(vault);
    const first = scope[0]!;
    const unchanged = unchangedSinceSeed();
    const seen: { held: number; cursor: number; found: boolean }[] = [];
    // A timer stands for a teller's search: it runs whenever the core is free.
    const teller = setInterval(() => {
      const held = vault.db.prepare('SELECT id FROM customer').pluck().all() as string[];
      const cursor = syncCursor(vault);
      // What the vault holds is exactly the scope up to its cursor (seeded seq = index + 1). Past
      // the seeded changes come the earlier tests' reassignments: the pull's last slice applies
      // those, and the terms are folded after it, with searches between the chunks.
      if (cursor <= COUNT)
        expect(new Set(held)).toEqual(
          new Set(
            scope
              .filter((c) => generated.indexOf(c) + 1 <= cursor && unchanged.has(c.id))
              .map((c) => c.id),
          ),
        );
      const hits = service.search.search(first.identityDocuments[0]!.number, {
        limit: 5,
        offset: 0,
      });
      seen.push({ held: held.length, cursor, found: hits.items.some((i) => i.id === first.id) });
    }, 0);
    // When the page arrived, counted in searches so far.
    const client = deviceClient(vault, secrets);
    const pull = client.pull.bind(client);
    let searchesBeforePage = -1;
    client.pull = async (...args) => {
      const page = await pull(...args);
      searchesBeforePage = seen.length;
      return page;
    };
    try {
      const summary = await pullChanges(vault, client, { pageSize: 5000 });
      expect(summary.pages).toBe(1); // one page over the wire...
    } finally {
      clearInterval(teller);
    }
    vault.close();
    expect(heldIds(sliced)).toEqual(heldIds(dataDir));
    // ...applied in slices: searches ran between them and saw each slice's customers.
    const midway = seen.filter((s) => s.held > 0 && s.cursor <= COUNT);
    expect(midway.length).toBeGreaterThanOrEqual(Math.floor(scope.length / SLICE_CHANGES) - 2);
    for (const sample of midway) {
      expect(sample.held % SLICE_CHANGES).toBe(0);
      expect(sample.found).toBe(true); // terms of a slice are searchable once it commits
    }
    // A search got in after the page was read and again after the first slice was checked and
    // made into rows, before that slice's transaction; and so between every two slices.
    expect(
      seen.slice(searchesBeforePage).filter((s) => s.held === 0).length,
    ).toBeGreaterThanOrEqual(2);
    const perSlice = new Map<number, number>();
    for (const sample of midway) perSlice.set(sample.held, (perSlice.get(sample.held) ?? 0) + 1);
    for (const [held, searches] of perSlice)
      if (held < scope.length)
        expect(searches, `after ${held} customers`).toBeGreaterThanOrEqual(2);
    const after = openVault(sliced, secrets, { readonly: true });
    expect(after.db.prepare('SELECT count(*) FROM customer_term_recent').pluck().get()).toBe(0);
    after.close();
  });

  it('stops at the last slice it committed when a slice fails, with the next one still being packed, and resumes from there', async () => {
    const failing = enroll('failing', codes[3]!);
    const vault = openVault(failing, secrets);
    try {
      // The vault refuses the third slice's customers (a full disk, say), while the worker packs
      // the fourth: the pull fails with the vault's error, and nothing else goes unhandled.
      vault.db.exec(`
        CREATE TEMP TRIGGER refuse AFTER INSERT ON main.customer
        WHEN (SELECT count(*) FROM main.customer) > ${2 * SLICE_CHANGES}
        BEGIN SELECT RAISE(ABORT, 'disk full'); END;`);
      const client = deviceClient(vault, secrets);
      await expect(pullChanges(vault, client, { pageSize: 5000 })).rejects.toThrow('disk full');
      expect(vault.db.prepare('SELECT count(*) FROM customer').pluck().get()).toBe(
        2 * SLICE_CHANGES,
      );
      const cursor = syncCursor(vault);
      expect(cursor).toBeGreaterThan(0);
      vault.db.exec('DROP TRIGGER temp.refuse');
      const resumed = await pullChanges(vault, client, { pageSize: 5000 });
      expect(resumed.inserted).toBe(
        (vault.db.prepare('SELECT count(*) FROM customer').pluck().get() as number) -
          2 * SLICE_CHANGES,
      );
      expect(resumed.scope).toMatchObject({ mismatchedBuckets: 0, fetched: 0, removed: 0 });
    } finally {
      vault.close();
    }
  });

  it('resumes after SIGKILL at random moments, the vault always matching its cursor', async () => {
    const fresh = enroll('crashy', codes[1]!);
    const scope = generated.filter(inB001);
    const unchanged = unchangedSinceSeed();
    let kills = 0;
    for (let attempt = 0; attempt < 4; attempt++) {
      const run = branchctlAsync(
        ['sync', '--initial-sync', 'feed', '--page-size', '100', '--data-dir', fresh],
        {
          ...process.env,
          BRANCHDESK_FAULT_ANNOUNCE: '1',
        },
      );
      let pages = 0;
      run.child.stderr.on('data', (chunk: Buffer) => {
        pages += (chunk.toString().match(/fault-point:sync:after-page/g) ?? []).length;
        if (pages === 2 + attempt) setTimeout(() => run.child.kill('SIGKILL'), Math.random() * 40);
      });
      const result = await run.done;
      if (result.signal !== 'SIGKILL') break; // it finished first: nothing left to interrupt
      kills++;

      const vault = openVault(fresh, secrets, { readonly: true, verifyIntegrity: true });
      const cursor = Number(
        vault.db.prepare("SELECT value FROM vault_meta WHERE key = 'sync.cursor'").pluck().get() ??
          0,
      );
      const held = new Set(vault.db.prepare('SELECT id FROM customer').pluck().all() as string[]);
      vault.close();
      // Seeded customers have change seq = index + 1: the vault holds exactly those up to the cursor.
      const expected = new Set(
        scope
          .filter((c) => generated.indexOf(c) + 1 <= cursor && unchanged.has(c.id))
          .map((c) => c.id),
      );
      expect(held).toEqual(expected);
    }
    expect(kills).toBeGreaterThanOrEqual(2);
    const finish = branchctl(['sync', '--initial-sync', 'feed', '--data-dir', fresh, '--json']);
    expect(finish.status, finish.stderr).toBe(0);
    expect(heldIds(fresh)).toEqual(heldIds(dataDir));
  });

  it('commits the slices of a pull from a cursor without a sync of the disk, and every desk command with one', async () => {
    // The vault of the sliced pull above, at its cursor: this pull is a delta, in WAL mode. Last,
    // as it moves a customer at HQ that the tests above do not expect.
    const vault = openVault(join(sandbox.path, 'sliced'), secrets);
    const moved = generated.find((c) => !inB001(c) && !heldIds(dataDir).has(c.id))!;
    vault.close();
    await atConsole(['reassign', '--customer', moved.id, '--branch', 'B001', '--rm', 'B001-rm-01']);
    const again = openVault(join(sandbox.path, 'sliced'), secrets);
    expect(again.db.pragma('journal_mode', { simple: true })).toBe('wal');
    // What each commit of the pull waited for: a temporary table no pull writes, filled by a
    // temporary trigger on the customer rows it writes.
    again.db.exec(`
      CREATE TEMP TABLE seen (synchronous INTEGER);
      CREATE TEMP TRIGGER seen_insert AFTER INSERT ON main.customer BEGIN
        INSERT INTO seen SELECT synchronous FROM pragma_synchronous;
      END;`);
    const desk: number[] = [];
    const teller = setInterval(
      () => desk.push(again.db.pragma('synchronous', { simple: true }) as number),
      0,
    );
    try {
      await pullChanges(again, deviceClient(again, secrets));
    } finally {
      clearInterval(teller);
    }
    expect(again.db.prepare('SELECT id FROM customer WHERE id = ?').pluck().get(moved.id)).toBe(
      moved.id,
    );
    // 1 is NORMAL, 2 FULL.
    expect(again.db.prepare('SELECT DISTINCT synchronous FROM seen').pluck().all()).toEqual([1]);
    expect(desk.length).toBeGreaterThan(0);
    expect(new Set(desk)).toEqual(new Set([2]));
    expect(again.db.pragma('synchronous', { simple: true })).toBe(2);
    again.close();
  });

  it("packs a delta's changed customers on the worker exactly as the core packs them, with HQ's hashes", async () => {
    await server.stop(); // PGlite: the CLI only while HQ is stopped
    const account = addHqUser(hq);
    server = await startHq(hq, { port });
    const admin = hqAdmin(() => server.url, account);
    const vault = openVault(dataDir, secrets);
    try {
      // More than a slice's worth for the worker (PACK_ON_WORKER_AT), and one customer with an
      // edit here too, rebased on HQ's change and packed on the core's thread.
      const ids = (
        vault.db.prepare('SELECT id FROM customer ORDER BY id').pluck().all() as string[]
      ).slice(0, PACK_ON_WORKER_AT * 2);
      for (const [index, id] of ids.entries())
        await admin.edit(id, { email: `worker.${index}@example.com` });
      const local = new CustomerService(vault);
      const mine = local.show({ id: ids[0]! }).customer;
      local.update(ids[0]!, mine.version, { occupation: '会计' }, { id: 'os-teller' });

      // What the pull writes beyond the rows: entries of the number and name indexes (rewritten
      // by any UPDATE that names their columns), and the book's rows (each one three indexes).
      const factsOf = () =>
        new Map(
          (
            vault.db
              .prepare(
                `SELECT c.id, b.facts FROM customer c JOIN customer_book b USING (customer_key)
                 WHERE c.id IN (SELECT value FROM json_each(?))`,
              )
              .all(JSON.stringify(ids)) as { id: string; facts: Buffer }[]
          ).map((row) => [row.id, unpackJson(row.facts)]),
        );
      const factsBefore = factsOf();
      vault.db.exec(`
        CREATE TEMP TABLE written (what TEXT, customer_key INTEGER);
        CREATE TEMP TRIGGER number_or_name AFTER UPDATE OF customer_number, search_name
          ON main.customer BEGIN INSERT INTO written VALUES ('number or name', new.customer_key); END;
        CREATE TEMP TRIGGER book AFTER INSERT ON main.customer_book
          BEGIN INSERT INTO written VALUES ('book', new.customer_key); END;`);
      const pull = await pullChanges(vault, deviceClient(vault, secrets));
      expect(pull).toMatchObject({ updated: ids.length, invalid: 0 });
      const factsAfter = factsOf();
      // Of the edited customers (the pull also brings one an earlier test moved into B001).
      const written = vault.db
        .prepare(
          `SELECT what FROM written WHERE customer_key IN
             (SELECT customer_key FROM customer WHERE id IN (SELECT value FROM json_each(?)))`,
        )
        .pluck()
        .all(JSON.stringify(ids)) as string[];
      vault.db.exec(
        'DROP TRIGGER temp.number_or_name; DROP TRIGGER temp.book; DROP TABLE temp.written;',
      );
      // No name or number changed; only the customers whose facts did had their book row written.
      expect(written.filter((what) => what === 'number or name')).toEqual([]);
      expect(written.filter((what) => what === 'book')).toHaveLength(
        ids.filter((id) => factsBefore.get(id) !== factsAfter.get(id)).length,
      );
      // Every hash is of the record HQ sent: the digest finds nothing to repair.
      expect(pull.scope).toMatchObject({ mismatchedBuckets: 0, fetched: 0, removed: 0 });
      const rows = vault.db
        .prepare(
          `SELECT c.id, c.record, c.list_item, c.has_pending_changes, c.hq_hash, b.facts
           FROM customer c JOIN customer_book b USING (customer_key)
           WHERE c.id IN (SELECT value FROM json_each(?))`,
        )
        .all(JSON.stringify(ids)) as {
        id: string;
        record: Buffer;
        list_item: Buffer;
        has_pending_changes: number;
        hq_hash: string;
        facts: Buffer;
      }[];
      expect(rows).toHaveLength(ids.length);
      for (const row of rows) {
        const customer = unpackRecord(row.record);
        const json = customerJson(customer);
        expect(unpackJson(row.list_item), row.id).toBe(json.listItem);
        expect(unpackJson(row.facts), row.id).toBe(json.factsJson);
        if (row.id === ids[0]) {
          expect(customer).toMatchObject({ occupation: '会计', email: 'worker.0@example.com' });
          expect(row.has_pending_changes).toBe(1);
          continue;
        }
        expect(customer.email).toBe(`worker.${ids.indexOf(row.id)}@example.com`);
        expect(row.hq_hash).toBe(recordHash(sha256Hex, customer));
        // Packed on the worker byte for byte as the core's thread packs.
        expect(packCustomerJson(json), row.id).toEqual({
          record: row.record,
          listItem: row.list_item,
          facts: row.facts,
        });
      }
    } finally {
      vault.close();
    }
  });
});
