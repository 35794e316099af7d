// Two branch devices creating customers at the same moment, against a real HQ process on PGlite
// and on PostgreSQL: the same identity document created on both gives one customer and one
// DUPLICATE_DOCUMENT (the database's unique index decides, not a read before the write), and
// two creations wanting the same customer number both succeed with different numbers (the
// number taken a moment ago is never stored as the mutation's outcome). HQ's pushes happen to
// queue on HQ's clock row, which hides the race between two pushes; a writer that does not
// (an import: here a transaction of the test's own, held open while a push arrives) shows it.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CustomerService } from '../../../electron/core/customers';
import { deviceClient } from '../../../electron/core/sync/engine';
import { SyncState } from '../../../electron/core/sync/outbox';
import { pullChanges } from '../../../electron/core/sync/pull';
import { pushOutbox } from '../../../electron/core/sync/push';
import { openVault, readProfile, vaultPaths, type Vault } from '../../../electron/core/vault';
import type { Customer } from '../../../shared/customer';
import type { Mutation } from '../../../shared/protocol/mutations';
import { generateCustomers } from '../../../shared/synthetic';
import { branchctl } from '../../support/branchctl';
import { newCustomer } from '../../support/customers';
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
const PAIRS = 12;
/** People HQ does not hold (HQ is seeded from another seed): each created on both devices. */
const people: Customer[] = [
  ...generateCustomers({ seed: 977, count: 200, branches: ['B001'], rmsPerBranch: 2 }),
]
  .filter((c) => c.kind === 'individual')
  .slice(0, 3 * PAIRS + 3);
const actor = { id: 'os-teller' };

describe.each(['pglite', 'postgres'] as const)('racing creates at HQ, on %s', (database) => {
  const sandbox = profileSandbox(secrets);
  let cluster: PostgresCluster | undefined;
  let hq: HqEnv;
  let server: RunningHq;
  let account: HqAccount;
  const admin = hqAdmin(
    () => server.url,
    () => account,
  );
  let devices: [string, string] = ['', ''];

  beforeAll(async () => {
    if (database === 'postgres') cluster = await startPostgres();
    hq = { dataDir: join(sandbox.path, 'hq'), ...(cluster ? { databaseUrl: cluster.url } : {}) };
    const seeded = hqCommand(hq, ['seed', '--customers', '20', '--branches', '2', '--seed', '5']);
    expect(seeded.status, seeded.stderr).toBe(0);
    const codes = [0, 1].map(() =>
      hqCommand(hq, ['enroll-code', '--branch', 'B001']).stdout.trim(),
    );
    account = addHqUser(hq);
    server = await startHq(hq);
    devices = codes.map((code, index) => {
      const dataDir = join(sandbox.path, `device-${index}`);
      const run = branchctl(['enroll', '--hq', server.url, '--code', code, '--data-dir', dataDir]);
      expect(run.status, run.stdout + run.stderr).toBe(0);
      sandbox.forget(readProfile(vaultPaths(dataDir).profile).profileId);
      return dataDir;
    }) as [string, string];
  }, 180_000);

  afterAll(async () => {
    await server?.stop();
    cluster?.stop();
    sandbox.cleanup();
  });

  /** Both devices' vaults, open in this process for the length of `work`. */
  async function withDevices<T>(work: (a: Vault, b: Vault) => Promise<T>): Promise<T> {
    const a = openVault(devices[0], secrets);
    const b = openVault(devices[1], secrets);
    try {
      return await work(a, b);
    } finally {
      a.close();
      b.close();
    }
  }

  /** Creates `person` on the device; its create mutation, as the outbox holds it. */
  function create(vault: Vault, person: Customer): Mutation {
    const created = new CustomerService(vault).create(
      newCustomer({ ...person, homeBranchId: 'B001' }),
      actor,
    ).customer;
    const entry = new SyncState(vault)
      .next(500)
      .find((pending) => pending.mutation.customerId === created.id);
    return entry!.mutation;
  }

  /** Pushes each pair at the same moment, each device through its own client. */
  async function race(a: Vault, b: Vault, pairs: [Mutation, Mutation][]) {
    const [clientA, clientB] = [deviceClient(a, secrets), deviceClient(b, secrets)];
    await Promise.all(
      pairs.map(([fromA, fromB]) => Promise.all([clientA.push([fromA]), clientB.push([fromB])])),
    );
    // The devices' own push: HQ answers with the outcomes it stored.
    await Promise.all([pushOutbox(a, clientA), pushOutbox(b, clientB)]);
    await Promise.all([pullChanges(a, clientA), pullChanges(b, clientB)]);
  }

  it('creates one customer for one identity document, refusing the other DUPLICATE_DOCUMENT', async () => {
    await withDevices(async (a, b) => {
      const pairs = people
        .slice(0, PAIRS)
        .map((person) => [create(a, person), create(b, person)] as [Mutation, Mutation]);
      await race(a, b, pairs);
      const scope = await admin.scope('B001');
      const rejected = [
        ...new CustomerService(a).sync.rejected(100),
        ...new CustomerService(b).sync.rejected(100),
      ];
      for (const [index, person] of people.slice(0, PAIRS).entries()) {
        const [document] = person.identityDocuments;
        const holders = [...scope.values()].filter((entry) =>
          (entry.customer as Customer).identityDocuments.some(
            (held) => held.type === document!.type && held.number === document!.number,
          ),
        );
        expect(holders, `document ${index}`).toHaveLength(1);
        const loser = pairs[index]!.find(
          (mutation) => mutation.customerId !== holders[0]!.customerId,
        )!;
        expect(rejected).toContainEqual(
          expect.objectContaining({
            mutationId: loser.mutationId,
            reason: 'DUPLICATE_DOCUMENT',
          }),
        );
      }
      // Each device shows the customer HQ kept and no longer the one it refused.
      for (const vault of [a, b])
        expect(new CustomerService(vault).sync.counts()).toMatchObject({ outbox: 0 });
    });
  }, 120_000);

  it('gives two creations wanting the same customer number different numbers', async () => {
    await withDevices(async (a, b) => {
      const pairs = people.slice(PAIRS, 2 * PAIRS).map((person, index) => {
        const fromA = create(a, person);
        const fromB = create(b, people[2 * PAIRS + index]!);
        // The branch chooses its number offline: both chose the same one.
        const wanted = (fromA as Extract<Mutation, { kind: 'create' }>).customer.customerNumber;
        const sameNumber = {
          ...fromB,
          customer: { ...(fromB as Extract<Mutation, { kind: 'create' }>).customer },
        } as Extract<Mutation, { kind: 'create' }>;
        sameNumber.customer.customerNumber = wanted;
        return [fromA, sameNumber] as [Mutation, Mutation];
      });
      await race(a, b, pairs);
      const { mutations } = await admin.mutations(pairs.flat().map((m) => m.mutationId));
      expect(mutations).toHaveLength(2 * PAIRS);
      for (const { outcome } of mutations) expect(outcome).toMatchObject({ status: 'applied' });
      const scope = await admin.scope('B001');
      const numbers = pairs
        .flat()
        .map((mutation) => (scope.get(mutation.customerId)!.customer as Customer).customerNumber);
      expect(new Set(numbers).size).toBe(2 * PAIRS);
      // The device that lost the number shows the one HQ gave.
      for (const [, fromB] of pairs)
        expect(new CustomerService(b).store.get(fromB.customerId)?.customer.customerNumber).toBe(
          (scope.get(fromB.customerId)!.customer as Customer).customerNumber,
        );
    });
  }, 120_000);

  it.runIf(database === 'postgres')(
    'refuses the document and renumbers against a writer whose transaction is still open',
    async () => {
      await withDevices(async (a) => {
        const [held, other] = people.slice(3 * PAIRS);
        const client = deviceClient(a, secrets);
        /** Pushes `mutation` while another writer at HQ (an import) holds `record`, uncommitted. */
        const pushWhileHeld = async (record: Record<string, unknown>, mutation: Mutation) => {
          const writer = new pg.Client({ connectionString: cluster!.url });
          await writer.connect();
          try {
            await writer.query('BEGIN');
            await writer.query(
              `INSERT INTO customer (id, customer_number, home_branch_id, version, record, change_seq)
               VALUES ($1, $2, 'B001', 1, $3, nextval('change_seq'))`,
              [record.id, record.customerNumber, JSON.stringify(record)],
            );
            const pushed = client.push([mutation]);
            await new Promise((resolve) => setTimeout(resolve, 1500));
            await writer.query('COMMIT');
            return (await pushed).results[0]!;
          } finally {
            await writer.end();
          }
        };
        const importOf = (person: Customer, customerNumber: string) => {
          const record: Record<string, unknown> = {
            ...person,
            id: randomUUID(),
            homeBranchId: 'B001',
            customerNumber,
          };
          delete record.assignedRmId;
          return record;
        };
        const sameDocument = create(a, held!);
        const documentPush = await pushWhileHeld(importOf(held!, 'C0000000018'), sameDocument);
        expect(documentPush.outcome).toMatchObject({
          status: 'rejected',
          reason: 'DUPLICATE_DOCUMENT',
        });
        const sameNumber = create(a, other!) as Extract<Mutation, { kind: 'create' }>;
        const wanted = sameNumber.customer.customerNumber as string;
        // The import's person is one HQ has never seen: only the number is shared.
        const stranger = people[3 * PAIRS + 2]!;
        const numberPush = await pushWhileHeld(importOf(stranger, wanted), sameNumber);
        expect(numberPush.outcome).toMatchObject({ status: 'applied' });
        expect(numberPush.current?.customer.customerNumber).not.toBe(wanted);
        await pushOutbox(a, client);
      });
    },
    60_000,
  );
});
