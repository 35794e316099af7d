// The initial sync as a snapshot (electron/core/sync/snapshot.ts), end to end against a real HQ
// process on PGlite and PostgreSQL: a device that holds nothing from HQ loads its whole scope
// (the branch's own customers and another branch's customer one of its RMs looks after) in
// chunks, while HQ keeps changing (an edit, a customer leaving the scope, one entering it) and
// while the desk keeps working (a customer made here before the sync, edited during it). After
// the switch the vault holds exactly HQ's scope, the device's own data is all there, the
// digest agrees, search finds what was loaded, and nothing of the staging files is left.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch, type CommandContext, type CommandResult } from '../../../electron/core/commands';
import type { HqClient } from '../../../electron/core/hq-client/client';
import { unpackRecord } from '../../../electron/core/customers';
import { deviceClient, syncRound } from '../../../electron/core/sync/engine';
import { INDEX_HERE_UP_TO, snapshotPaths } from '../../../electron/core/sync/snapshot';
import {
  migrate,
  openVault,
  readProfile,
  vaultPaths,
  type SqliteDatabase,
  type Vault,
} from '../../../electron/core/vault';
import type { Customer } from '../../../shared/customer';
import { sameJson } from '../../../shared/sync/canonical';
import { generateCustomers } from '../../../shared/synthetic';
import { branchctl } from '../../support/branchctl';
import {
  addHqUser,
  hqAdmin,
  hqCommand,
  startHq,
  type HqAccount,
  type HqEnv,
  type RunningHq,
} from '../../support/hq';
import { profileSandbox, realSecretStore } from '../../support/keyring';
import { termIndexProblems } from '../../support/term-index';
import { startPostgres, type PostgresCluster } from '../../support/postgres';

const secrets = realSecretStore();

function value<T>(result: CommandResult): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message.en}`);
  return result.value as T;
}

describe.each(['pglite', 'postgres'] as const)('initial sync by snapshot (%s)', (backend) => {
  const sandbox = profileSandbox(secrets);
  let cluster: PostgresCluster | undefined;
  let hq: HqEnv;
  let server: RunningHq;
  let account: HqAccount;
  let dataDir = '';
  let device: CommandContext & { vault: Vault };
  const admin = hqAdmin(
    () => server.url,
    () => account,
  );

  beforeAll(async () => {
    hq = { dataDir: join(sandbox.path, 'hq') };
    if (backend === 'postgres') {
      cluster = await startPostgres();
      hq.databaseUrl = cluster.url;
    }
    const seeded = hqCommand(hq, ['seed', '--customers', '400', '--branches', '2', '--seed', '23']);
    expect(seeded.status, seeded.stderr).toBe(0);
    const code = hqCommand(hq, ['enroll-code', '--branch', 'B001']).stdout.trim();
    account = addHqUser(hq);
    server = await startHq(hq);
    dataDir = join(sandbox.path, 'device');
    const run = branchctl(['enroll', '--hq', server.url, '--code', code, '--data-dir', dataDir]);
    expect(run.status, run.stderr).toBe(0);
    sandbox.forget(readProfile(vaultPaths(dataDir).profile).profileId);
    device = {
      principal: { kind: 'local_operator', osUser: 'teller-1' },
      secrets,
      vault: openVault(dataDir, secrets),
    };
  }, 180_000);
  afterAll(async () => {
    device?.vault.close();
    await server?.stop();
    cluster?.stop();
    sandbox.cleanup();
  });

  it('loads the whole scope while HQ and the desk go on, and switches it in whole', async () => {
    const other = [...(await admin.scope('B002')).values()];
    // Another branch's customer that one of B001's RMs looks after: in B001's scope.
    const lookedAfter = other[0]!.customerId;
    await admin.reassign(lookedAfter, 'B002', 'B001-rm-01');
    const initial = await admin.scope('B001');
    expect(initial.has(lookedAfter)).toBe(true);
    const ids = [...initial.keys()].sort();
    // Changes HQ makes once the snapshot has begun: one customer already loaded is edited, one
    // still to come leaves the scope, and one of B002 enters it.
    const [edited] = ids;
    const leaving = ids.at(-1)!;
    const entering = other[1]!.customerId;

    // A customer made on the desk before the first sync: pushed at the round's start.
    const [template] = generateCustomers({
      seed: 8,
      count: 1,
      branches: ['B001'],
      rmsPerBranch: 8,
    });
    const {
      id: _i,
      customerNumber: _n,
      version: _v,
      updatedAt: _a,
      updatedBy: _b,
      ...rest
    } = template!;
    const { updatedByDevice: _d, kyc: _k, accounts: _c, assignedRmId: _r, ...input } = rest;
    const made = value<{ customer: Customer }>(
      await dispatch('customer.create', { customer: input }, device),
    ).customer;

    const client: HqClient = deviceClient(device.vault, secrets);
    const snapshot = client.snapshot.bind(client);
    let chunks = 0;
    client.snapshot = async (query) => {
      const chunk = await snapshot(query);
      if (++chunks === 2) {
        await admin.edit(edited!, { occupation: '快照期间修改' });
        await admin.reassign(leaving, 'B002', null);
        await admin.reassign(entering, 'B001', 'B001-rm-02');
        // The desk edits its own customer meanwhile (in the vault as it was before the switch).
        const held = value<{ customer: Customer }>(
          await dispatch('customer.show', { id: made.id }, device),
        ).customer;
        value(
          await dispatch(
            'customer.update',
            {
              id: made.id,
              baseVersion: held.version,
              changes: { email: 'during.snapshot@example.com' },
            },
            device,
          ),
        );
      }
      return chunk;
    };

    const round = await syncRound(device.vault, secrets, { client, snapshotChunk: 40 });
    expect(round.snapshot).not.toBeNull();
    expect(round.snapshot!.chunks).toBeGreaterThan(5);
    expect(round.snapshot!.invalid).toBe(0);
    expect(round.pull.scope?.mismatchedBuckets).toBe(0);
    expect(round.push.rejected).toBe(0);

    // Exactly HQ's scope, each record as HQ holds it.
    const scope = await admin.scope('B001');
    expect(scope.has(leaving)).toBe(false);
    expect(scope.has(entering)).toBe(true);
    const held = device.vault.db
      .prepare('SELECT id, record, has_pending_changes FROM customer ORDER BY id')
      .all() as { id: string; record: Buffer; has_pending_changes: number }[];
    expect(held.map((row) => row.id)).toEqual([...scope.keys()].sort());
    for (const row of held) {
      expect(row.has_pending_changes, row.id).toBe(0);
      expect(sameJson(unpackRecord(row.record), scope.get(row.id)!.customer), row.id).toBe(true);
    }
    const editedHere = unpackRecord(held.find((row) => row.id === made.id)!.record);
    expect(editedHere.email).toBe('during.snapshot@example.com');
    expect((scope.get(edited!)!.customer as { occupation?: string }).occupation).toBe(
      '快照期间修改',
    );
    expect(device.vault.db.prepare('SELECT count(*) FROM outbox').pluck().get()).toBe(0);
    // The schema is the migrations' own: the indexes the download put off are all back.
    const schemaOf = (db: SqliteDatabase) =>
      db.prepare('SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY name').all();
    const fresh = new Database(':memory:');
    migrate(fresh);
    expect(schemaOf(device.vault.db)).toEqual(schemaOf(fresh));
    fresh.close();

    // The device's own data crossed over: its audit log still verifies, its enrollment stands.
    const verified = value<{ ok: boolean }>(await dispatch('audit.verify', {}, device));
    expect(verified.ok).toBe(true);

    // Every customer's search terms are indexed, and nothing else: at this size sorted and
    // built on the core's own thread (INDEX_HERE_UP_TO), with slices packed on the worker and,
    // for the last few, here.
    expect(held.length).toBeLessThanOrEqual(INDEX_HERE_UP_TO);
    expect(termIndexProblems(device.vault.db)).toEqual([]);

    // Search finds customers that came in the snapshot.
    const someone = scope.get(ids[3]!)!.customer as Customer;
    const found = value<{ items: { id: string }[] }>(
      await dispatch('customer.search', { query: someone.customerNumber }, device),
    );
    expect(found.items.map((item) => item.id)).toContain(someone.id);

    // Nothing of the staging files is left, and the vault file is the owner's alone.
    const { staging, terms } = snapshotPaths(dataDir);
    expect(existsSync(staging) || existsSync(terms)).toBe(false);
    expect(readdirSync(dataDir).filter((name) => name.includes('snapshot'))).toEqual([]);
    if (process.platform !== 'win32')
      expect(statSync(vaultPaths(dataDir).database).mode & 0o777).toBe(0o600);

    // The next round pulls by cursor: no second snapshot.
    const next = await syncRound(device.vault, secrets, { client });
    expect(next.snapshot).toBeNull();
  }, 240_000);
});
