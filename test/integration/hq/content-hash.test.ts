// HQ stores each master record's content hash as it writes the record (HQ migration 013), so the
// scope digest at the end of a device's initial sync has nothing left to hash: seeding, a device's
// create and edit, and an HQ staff edit all leave the hash of exactly the record stored. A
// statement that changes a record without a new hash clears it, and the next digest fills it in.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch, type CommandContext, type CommandResult } from '../../../electron/core/commands';
import { deviceClient, syncRound } from '../../../electron/core/sync/engine';
import { openVault, readProfile, vaultPaths, type Vault } from '../../../electron/core/vault';
import { contentHash } from '../../../hq/content-hash';
import { openDatabase, type Database } from '../../../hq/db/database';
import { scopeDigest, storeContentHashes } from '../../../hq/scope-digest';
import type { Customer } from '../../../shared/customer';
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
import { startPostgres, type PostgresCluster } from '../../support/postgres';

const secrets = realSecretStore();

function value<T>(result: CommandResult): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message.en}`);
  return result.value as T;
}

/** Every customer whose stored hash is missing or is not the hash of its stored record. */
async function wrongHashes(db: Database) {
  const rows = await db.query<{ id: string; record: unknown; content_hash: string | null }>(
    'SELECT id, record, content_hash FROM customer',
  );
  expect(rows.length).toBeGreaterThan(0);
  return rows.filter((row) => row.content_hash !== contentHash(row.record)).map((row) => row.id);
}

describe.each(['pglite', 'postgres'] as const)('HQ content hashes (%s)', (backend) => {
  const sandbox = profileSandbox(secrets);
  let cluster: PostgresCluster | undefined;
  let hq: HqEnv;
  let server: RunningHq | undefined;
  let account: HqAccount;
  let device: CommandContext & { vault: Vault };

  beforeAll(async () => {
    hq = { dataDir: join(sandbox.path, 'hq') };
    if (backend === 'postgres') {
      cluster = await startPostgres();
      hq.databaseUrl = cluster.url;
    }
    const seeded = hqCommand(hq, ['seed', '--customers', '40', '--branches', '1', '--seed', '13']);
    expect(seeded.status, seeded.stderr).toBe(0);
    const code = hqCommand(hq, ['enroll-code', '--branch', 'B001']).stdout.trim();
    account = addHqUser(hq);
    server = await startHq(hq);
    const dataDir = join(sandbox.path, 'device');
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

  const sync = () =>
    syncRound(device.vault, secrets, { client: deviceClient(device.vault, secrets) });

  it('are written with every record, and cleared by a change that brings no hash', async () => {
    const first = await sync();
    expect(first.pull.scope?.mismatchedBuckets ?? 0).toBe(0);
    const ids = device.vault.db.prepare('SELECT id FROM customer ORDER BY id').pluck().all();
    const [edited, staffEdited] = ids as string[];
    // A branch's edit and a branch's new customer, through the device's commands and a sync.
    const held = value<{ customer: Customer }>(
      await dispatch('customer.show', { id: edited }, device),
    ).customer;
    value(
      await dispatch(
        'customer.update',
        { id: edited, baseVersion: held.version, changes: { email: 'hash.check@example.com' } },
        device,
      ),
    );
    const [template] = generateCustomers({
      seed: 5,
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
    value(await dispatch('customer.create', { customer: input }, device));
    // HQ staff edit another.
    await hqAdmin(() => server!.url, account).edit(staffEdited!, { occupation: '教师' });
    const second = await sync();
    expect(second.push.applied).toBe(2);
    expect(second.push.rejected).toBe(0);
    expect(second.pull.scope?.mismatchedBuckets ?? 0).toBe(0);

    await server!.stop();
    server = undefined;
    const db = await openDatabase({ dataDir: hq.dataDir, databaseUrl: hq.databaseUrl });
    try {
      expect(await wrongHashes(db)).toEqual([]);
      // A writer that changes the record without a hash (an operator's SQL): the hash goes,
      // and the next digest computes and stores it again.
      await db.query(
        `UPDATE customer SET record = record || '{"occupation":"会计"}' WHERE id = $1`,
        [edited],
      );
      expect(await wrongHashes(db)).toEqual([edited]);
      const digest = await db.transaction((tx) => scopeDigest(tx, 'B001'));
      expect(digest.fresh.map((row) => row.id)).toEqual([edited]);
      await storeContentHashes(db, digest.fresh);
      expect(await wrongHashes(db)).toEqual([]);
    } finally {
      await db.close();
    }
  }, 180_000);
});
