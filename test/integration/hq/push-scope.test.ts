// HQ trusts no branch blindly (issue 14): a real HQ process over HTTP and an enrolled branch
// device. A push is taken only for a customer the branch holds, or held when the edit was made and
// lost within HQ's grace period (HQ_SCOPE_GRACE_HOURS); a branch's creation sets none of the
// fields HQ owns, and a branch's change to one is never taken, the device refusing both first
// from the same list. Every refusal reaches the device's rejected ledger with its typed reason.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CustomerService } from '../../../electron/core/customers';
import { deviceClient } from '../../../electron/core/sync/engine';
import { SyncState } from '../../../electron/core/sync/outbox';
import { pullChanges } from '../../../electron/core/sync/pull';
import { pushOutbox } from '../../../electron/core/sync/push';
import { openVault, readProfile, vaultPaths, type Vault } from '../../../electron/core/vault';
import { hqOwnedFields, type Customer } from '../../../shared/customer';
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
import { individualInput } from '../../unit/customer/examples';

const secrets = realSecretStore();
const SEED = 47;
const COUNT = 200;
const generated = [
  ...generateCustomers({ seed: SEED, count: COUNT, branches: ['B001', 'B002'], rmsPerBranch: 8 }),
];
/** Individuals only one branch holds (home there, no RM elsewhere). */
const onlyAt = (branch: string) =>
  generated.filter(
    (c) =>
      c.kind === 'individual' &&
      c.homeBranchId === branch &&
      (c.assignedRmId === undefined || c.assignedRmId.startsWith(`${branch}-`)),
  );
const ours = onlyAt('B001');
const theirs = onlyAt('B002');
let next = 0;
const pick = () => ours[next++]!;

const lastJson = (stdout: string) => JSON.parse(stdout.trim().split('\n').at(-1)!);

describe('push: what HQ takes from a branch', () => {
  const sandbox = profileSandbox(secrets);
  let hq: HqEnv;
  let server: RunningHq;
  let port = 0;
  let account: HqAccount;
  const admin = hqAdmin(
    () => server.url,
    () => account,
  );
  let device = '';

  const atHq = async (branch: string, id: string) =>
    (await admin.scope(branch)).get(id)?.customer as Customer | undefined;

  /** Works on the device's vault in this process, as the desk's core would. */
  async function onDevice<T>(work: (vault: Vault, customers: CustomerService) => Promise<T> | T) {
    const vault = openVault(device, secrets);
    try {
      return await work(vault, new CustomerService(vault));
    } finally {
      vault.close();
    }
  }
  const edit = (customers: CustomerService, id: string, changes: Record<string, unknown>) => {
    const stored = customers.show({ id });
    return customers.update(id, stored.customer.version, changes, { id: 'os-teller' });
  };
  /** Rewrites the device's newest outbox entry, as a tampered or outdated device would send it. */
  const tamper = (vault: Vault, change: (mutation: Mutation) => Mutation) => {
    const entries = new SyncState(vault).next(1000);
    const last = entries.at(-1)!.mutation;
    vault.db
      .prepare('UPDATE outbox SET mutation = ? WHERE mutation_id = ?')
      .run(JSON.stringify(change(last)), last.mutationId);
    return last.mutationId;
  };
  const push = (vault: Vault) => pushOutbox(vault, deviceClient(vault, secrets));
  const ledgerEntry = (vault: Vault, mutationId: string) =>
    new SyncState(vault).rejected().filter((entry) => entry.mutationId === mutationId);
  const restartHq = async (extraEnv: Record<string, string>) => {
    await server.stop();
    hq.extraEnv = extraEnv;
    server = await startHq(hq, { port });
  };

  beforeAll(async () => {
    hq = { dataDir: join(sandbox.path, 'hq') };
    const seeded = hqCommand(hq, [
      'seed',
      '--customers',
      String(COUNT),
      '--branches',
      '2',
      '--seed',
      String(SEED),
    ]);
    expect(seeded.status, seeded.stderr).toBe(0);
    const code = hqCommand(hq, ['enroll-code', '--branch', 'B001']).stdout.trim();
    account = addHqUser(hq);
    server = await startHq(hq);
    port = Number(new URL(server.url).port);
    device = join(sandbox.path, 'device');
    const run = branchctl(['enroll', '--hq', server.url, '--code', code, '--data-dir', device]);
    expect(run.status, run.stdout + run.stderr).toBe(0);
    sandbox.forget(readProfile(vaultPaths(device).profile).profileId);
    const synced = branchctl(['sync', '--data-dir', device, '--json']);
    expect(synced.status, synced.stdout + synced.stderr).toBe(0);
  }, 180_000);

  afterAll(async () => {
    await server?.stop();
    sandbox.cleanup();
  });

  describe('scope', () => {
    it('takes an edit to a customer the branch holds', async () => {
      const customer = pick();
      const summary = await onDevice(async (vault, customers) => {
        edit(customers, customer.id, { email: 'held@example.com' });
        return push(vault);
      });
      expect(summary).toMatchObject({ applied: 1, rejected: 0 });
      expect((await atHq('B001', customer.id))?.email).toBe('held@example.com');
    });

    it('refuses an edit to a customer the branch never held, to the ledger', async () => {
      const other = theirs[0]!;
      const mutationId = await onDevice(async (vault, customers) => {
        edit(customers, pick().id, { email: 'meant.elsewhere@example.com' });
        const id = tamper(vault, (mutation) => ({
          ...mutation,
          customerId: other.id,
          fields: { email: { from: other.email, to: 'not.yours@example.com' } },
        }));
        expect(await push(vault)).toMatchObject({ applied: 0, rejected: 1 });
        expect(ledgerEntry(vault, id)).toEqual([
          expect.objectContaining({ customerId: other.id, field: null, reason: 'OUT_OF_SCOPE' }),
        ]);
        return id;
      });
      expect((await atHq('B002', other.id))?.email).toBe(other.email);
      expect(mutationId).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('takes an edit made while the branch held the customer, pushed soon after it left', async () => {
      const customer = pick();
      const summary = await onDevice(async (vault, customers) => {
        edit(customers, customer.id, { email: 'before.leaving@example.com' });
        await admin.reassign(customer.id, 'B002', 'B002-rm-01');
        return push(vault);
      });
      expect(summary).toMatchObject({ applied: 1, rejected: 0 });
      expect((await atHq('B002', customer.id))?.email).toBe('before.leaving@example.com');
    });

    it('takes an edit made before the move from a PC whose clock runs a day ahead', async () => {
      // Its clock stamps the edit after HQ's move; what the device had pulled says otherwise.
      const customer = pick();
      const summary = await onDevice(async (vault, customers) => {
        process.env.BRANCHDESK_CLOCK_SKEW_MS = String(24 * 60 * 60 * 1000);
        try {
          edit(customers, customer.id, { email: 'fast.clock@example.com' });
        } finally {
          delete process.env.BRANCHDESK_CLOCK_SKEW_MS;
        }
        await admin.reassign(customer.id, 'B002', 'B002-rm-01');
        return push(vault);
      });
      expect(summary).toMatchObject({ applied: 1, rejected: 0 });
      expect((await atHq('B002', customer.id))?.email).toBe('fast.clock@example.com');
    });

    it('refuses an edit made after the device learnt the customer left, to the ledger', async () => {
      const customer = pick();
      await onDevice(async (vault, customers) => {
        edit(customers, customer.id, { email: 'before.move@example.com' });
        await admin.reassign(customer.id, 'B002', 'B002-rm-02');
        // The pull brings the move; the customer stays while its first edit waits to be pushed.
        expect((await pullChanges(vault, deviceClient(vault, secrets))).keptLocal).toBe(1);
        edit(customers, customer.id, { email: 'after.move@example.com' });
        const [first, second] = new SyncState(vault).pendingFor(customer.id);
        expect(await push(vault)).toMatchObject({ applied: 1, rejected: 1 });
        expect(ledgerEntry(vault, first!.mutationId)).toEqual([]);
        expect(ledgerEntry(vault, second!.mutationId)).toEqual([
          expect.objectContaining({ field: null, reason: 'OUT_OF_SCOPE' }),
        ]);
      });
      expect((await atHq('B002', customer.id))?.email).toBe('before.move@example.com');
    });

    it('refuses an edit made while held but pushed after the grace period, with its reason', async () => {
      const customer = pick();
      let mutationId = '';
      await onDevice(async (vault, customers) => {
        edit(customers, customer.id, { email: 'too.late@example.com' });
        mutationId = new SyncState(vault).pendingFor(customer.id)[0]!.mutationId;
      });
      await admin.reassign(customer.id, 'B002', 'B002-rm-03');
      // An HQ whose grace is a second, and more than a second since the customer left.
      await restartHq({ HQ_SCOPE_GRACE_HOURS: String(1 / 3600) });
      try {
        await new Promise((done) => setTimeout(done, 1500));
        await onDevice(async (vault) => {
          expect(await push(vault)).toMatchObject({ applied: 0, rejected: 1 });
          expect(ledgerEntry(vault, mutationId)).toEqual([
            expect.objectContaining({ field: null, reason: 'SCOPE_GRACE_EXPIRED' }),
          ]);
        });
      } finally {
        await restartHq({});
      }
      expect((await atHq('B002', customer.id))?.email).toBe(customer.email);
      const zh = branchctl(['rejected', '--data-dir', device, '--lang', 'zh-CN']);
      expect(zh.stdout).toContain('补传期限');
      const en = branchctl(['rejected', '--data-dir', device, '--lang', 'en']);
      expect(en.stdout).toContain('longer ago than HQ accepts late edits');
    });

    it('will not start with a grace that is not a positive number of hours', () => {
      const run = hqCommand({ ...hq, extraEnv: { HQ_SCOPE_GRACE_HOURS: '-1' } }, ['serve']);
      expect(run.status).not.toBe(0);
      expect(run.stderr).toContain('HQ_SCOPE_GRACE_HOURS');
    });
  });

  describe('fields HQ owns', () => {
    const newInput = (number: string) => {
      const base = individualInput();
      return {
        ...newCustomer(base),
        homeBranchId: 'B001',
        identityDocuments: [{ ...base.identityDocuments[0]!, number }],
      };
    };

    it('the device refuses a creation that sets any of them, naming the field', async () => {
      const verified = {
        status: 'verified',
        lastReviewedOn: '2026-01-05',
        nextReviewDue: '2027-01-05',
        riskRating: 'low',
        pep: false,
        sanctionsHit: false,
      };
      const cases: [string, Record<string, unknown>][] = [
        ['kyc', { kyc: verified }],
        ['accounts', { accounts: individualInput().accounts }],
        ['assignedRmId', { assignedRmId: 'B001-rm-01' }],
        ['homeBranchId', { homeBranchId: 'B002' }],
        ['restriction', { restriction: { since: '2026-12-01T00:00:00Z', reason: 'legal_hold' } }],
        // Segments come from HQ's rules: a branch types none.
        ['segment', { segment: 'private_banking' }],
      ];
      expect(cases.map(([field]) => field).sort()).toEqual([...hqOwnedFields].sort());
      for (const [field, set] of cases) {
        const file = join(sandbox.path, `create-${field}.json`);
        writeFileSync(file, JSON.stringify({ ...newInput('110105198506150030'), ...set }));
        const run = branchctl([
          'customer',
          'create',
          '--file',
          file,
          '--data-dir',
          device,
          '--json',
          '--lang',
          'en',
        ]);
        expect(run.status, field).toBe(1);
        expect(lastJson(run.stdout).error, field).toMatchObject({
          code: 'CUSTOMER_FIELD_READ_ONLY',
          details: { field },
        });
      }
    });

    it('the device creates with a new customer’s values, and HQ takes that creation', async () => {
      const { customer, summary } = await onDevice(async (vault, customers) => {
        const created = customers.create(newInput('110105198506150110'), { id: 'os-teller' });
        return { customer: created.customer, summary: await push(vault) };
      });
      expect(customer).toMatchObject({ homeBranchId: 'B001', accounts: [] });
      expect(customer.kyc).toMatchObject({ status: 'pending', pep: false, sanctionsHit: false });
      expect(customer.assignedRmId).toBeUndefined();
      expect(summary).toMatchObject({ applied: 1, rejected: 0 });
      expect((await atHq('B001', customer.id))?.kyc).toEqual(customer.kyc);
    });

    it('the device refuses a change to KYC, as to accounts and assignment', async () => {
      await onDevice((_vault, customers) => {
        const customer = pick();
        const stored = customers.show({ id: customer.id }).customer;
        for (const changes of [
          { kyc: { ...stored.kyc, riskRating: 'high' } },
          { accounts: [] },
          { assignedRmId: 'B001-rm-02' },
        ]) {
          expect(() =>
            customers.update(customer.id, stored.version, changes, { id: 'os-teller' }),
          ).toThrow(expect.objectContaining({ code: 'CUSTOMER_FIELD_READ_ONLY' }));
        }
      });
    });

    it('HQ refuses a creation that sets them, the whole record kept in the ledger', async () => {
      const numbers = ['110105198506150137', '110105198506150153', '110105198506150196'];
      const settings: Record<string, unknown>[] = [
        {
          kyc: {
            status: 'verified',
            nextReviewDue: '2027-06-01',
            riskRating: 'low',
            pep: false,
            sanctionsHit: false,
          },
        },
        { accounts: individualInput().accounts },
        { assignedRmId: 'B001-rm-01' },
      ];
      for (const [index, set] of settings.entries()) {
        await onDevice(async (vault, customers) => {
          const { customer } = customers.create(newInput(numbers[index]!), { id: 'os-teller' });
          const mutationId = tamper(vault, (mutation) =>
            mutation.kind === 'create'
              ? { ...mutation, customer: { ...mutation.customer, ...set } }
              : mutation,
          );
          expect(await push(vault), JSON.stringify(set)).toMatchObject({ applied: 0, rejected: 1 });
          const [entry] = ledgerEntry(vault, mutationId);
          expect(entry).toMatchObject({ field: null, reason: 'HQ_OWNED_FIELD' });
          expect(entry!.localValue).toMatchObject({ id: customer.id, ...set });
          // Created here and refused: it exists nowhere else, so only the ledger holds it now.
          expect(customers.store.get(customer.id)).toBeUndefined();
          expect(await atHq('B001', customer.id)).toBeUndefined();
        });
      }
      const zh = branchctl(['rejected', '--data-dir', device, '--lang', 'zh-CN']);
      expect(zh.stdout).toContain('新建客户时不能填写总行维护的字段');
    });

    it('HQ never takes a branch’s change to KYC, even one HQ has not changed meanwhile', async () => {
      const customer = pick();
      const rating = customer.kyc.riskRating === 'high' ? 'low' : 'high';
      await onDevice(async (vault, customers) => {
        edit(customers, customer.id, { email: 'with.kyc@example.com' });
        const mutationId = tamper(vault, (mutation) =>
          mutation.kind === 'update'
            ? {
                ...mutation,
                fields: {
                  ...mutation.fields,
                  kyc: { from: customer.kyc, to: { ...customer.kyc, riskRating: rating } },
                },
              }
            : mutation,
        );
        expect(await push(vault)).toMatchObject({ applied: 1, rejectedFields: 1 });
        expect(ledgerEntry(vault, mutationId)).toEqual([
          expect.objectContaining({ field: 'kyc', reason: 'hq_authoritative' }),
        ]);
      });
      const master = await atHq('B001', customer.id);
      expect(master?.kyc).toEqual(customer.kyc);
      expect(master?.email).toBe('with.kyc@example.com');
    });
  });
});
