// Push and merge, end to end: two enrolled branch devices and a real HQ process, driven through
// branchctl and HQ's API only. Offline edits reach HQ when it returns; edits to different fields
// merge; a contact conflict goes to the later edit (by hybrid logical clock, even from a PC a day
// slow); an HQ-owned field stays HQ's; a reassignment
// purges the customer after its edits are pushed; a mutation delivered twice applies once.
// Identity fields are not branchctl's (four eyes): their conflicts are in four-eyes.test.ts.
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CustomerService, unpackRecord } from '../../../electron/core/customers';
import { deviceClient, SyncScheduler, syncRound } from '../../../electron/core/sync/engine';
import { SyncState } from '../../../electron/core/sync/outbox';
import { pullChanges } from '../../../electron/core/sync/pull';
import { purgeEvicted, pushOutbox } from '../../../electron/core/sync/push';
import { openVault, readProfile, vaultPaths } from '../../../electron/core/vault';
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

const secrets = realSecretStore();
const SEED = 31;
const COUNT = 300;
const DAY = 24 * 60 * 60 * 1000;
const generated: Customer[] = [
  ...generateCustomers({ seed: SEED, count: COUNT, branches: ['B001', 'B002'], rmsPerBranch: 8 }),
];
/** Customers only branch B001 holds (home B001, no RM elsewhere), individuals, for the edits. */
const pool = generated.filter(
  (c) =>
    c.kind === 'individual' &&
    c.homeBranchId === 'B001' &&
    (c.assignedRmId === undefined || c.assignedRmId.startsWith('B001-')),
);
let next = 0;
const pick = () => pool[next++]!;

/** An edit through the core in this process, as the app makes it, on the current version. */
function editHere(customers: CustomerService, id: string, changes: Record<string, unknown>) {
  const stored = customers.show({ id });
  return customers.update(id, stored.customer.version, changes, { id: 'os-teller' });
}

const lastJson = (stdout: string) => JSON.parse(stdout.trim().split('\n').at(-1)!);

describe('sync: push, merge and conflicts between two branch devices and HQ', () => {
  const sandbox = profileSandbox(secrets);
  let hq: HqEnv;
  let server: RunningHq;
  let port = 0;
  let account: HqAccount;
  const admin = hqAdmin(
    () => server.url,
    () => account,
  );
  let a = '';
  let b = '';

  const cli = (dataDir: string, args: string[], env: NodeJS.ProcessEnv = {}) => {
    const run = branchctl([...args, '--data-dir', dataDir, '--json', '--lang', 'en'], {
      ...process.env,
      ...env,
    });
    return { ...run, json: run.stdout.trim() ? lastJson(run.stdout) : undefined };
  };
  const ok = (dataDir: string, args: string[], env: NodeJS.ProcessEnv = {}) => {
    const run = cli(dataDir, args, env);
    expect(run.status, run.stdout + run.stderr).toBe(0);
    return run.json.value;
  };
  const show = (dataDir: string, id: string) =>
    ok(dataDir, ['customer', 'show', id]) as { customer: Customer; hasPendingChanges: boolean };
  const edit = (
    dataDir: string,
    id: string,
    changes: Record<string, unknown>,
    env: NodeJS.ProcessEnv = {},
  ) => {
    const file = join(sandbox.path, `changes-${randomUUID()}.json`);
    writeFileSync(file, JSON.stringify(changes));
    const version = show(dataDir, id).customer.version;
    return cli(
      dataDir,
      ['customer', 'update', id, '--base-version', String(version), '--file', file],
      env,
    );
  };
  const sync = (dataDir: string, env: NodeJS.ProcessEnv = {}) => ok(dataDir, ['sync'], env);
  const atHq = async (id: string) => (await admin.scope('B001')).get(id)?.customer;

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
    const codes = [0, 1].map(() =>
      hqCommand(hq, ['enroll-code', '--branch', 'B001']).stdout.trim(),
    );
    account = addHqUser(hq);
    server = await startHq(hq);
    port = Number(new URL(server.url).port);
    [a, b] = codes.map((code, index) => {
      const dataDir = join(sandbox.path, `device-${index}`);
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
    }) as [string, string];
    sync(a);
    sync(b);
  }, 180_000);

  afterAll(async () => {
    await server?.stop();
    sandbox.cleanup();
  });

  it('keeps edits made while HQ is down and pushes them when it returns', async () => {
    const customer = pick();
    await server.stop();
    expect(edit(a, customer.id, { email: 'offline.edit@example.com' }).status).toBe(0);
    const failed = cli(a, ['sync']);
    expect(failed.status).toBe(1);
    expect(failed.json.error.code).toBe('HQ_UNREACHABLE');
    expect(ok(a, ['sync', 'status'])).toMatchObject({ outbox: 1, pendingChanges: 1 });

    server = await startHq(hq, { port });
    expect(sync(a).push).toMatchObject({ pushed: 1, applied: 1, rejected: 0 });
    expect((await atHq(customer.id))?.email).toBe('offline.edit@example.com');
    expect(ok(a, ['sync', 'status'])).toMatchObject({ outbox: 0, pendingChanges: 0 });
    expect(show(a, customer.id).hasPendingChanges).toBe(false);
  });

  it('merges edits of different fields made on both devices from the same version', async () => {
    const customer = pick();
    expect(edit(a, customer.id, { email: 'merged.a@example.com' }).status).toBe(0);
    expect(edit(b, customer.id, { occupation: '教师' }).status).toBe(0);
    sync(a);
    const round = sync(b);
    expect(round.push).toMatchObject({ applied: 1, rejectedFields: 0, conflicts: 0 });
    const master = await atHq(customer.id);
    expect(master).toMatchObject({ email: 'merged.a@example.com', occupation: '教师' });
    sync(a);
    expect(sameJson(show(a, customer.id).customer, master)).toBe(true);
    expect(sameJson(show(b, customer.id).customer, master)).toBe(true);
  });

  it('gives a contact field to the later edit even when it is pushed first', async () => {
    const customer = pick();
    expect(edit(a, customer.id, { email: 'earlier@example.com' }).status).toBe(0);
    expect(edit(b, customer.id, { email: 'later@example.com' }).status).toBe(0);
    sync(b);
    const round = sync(a);
    expect(round.push).toMatchObject({ applied: 1, rejectedFields: 1 });
    expect((await atHq(customer.id))?.email).toBe('later@example.com');
    expect(show(a, customer.id).customer.email).toBe('later@example.com');
    // The loser is kept: in HQ's field history and in the device's rejected ledger.
    const history = await admin.history(customer.id);
    expect(history.entries).toContainEqual(
      expect.objectContaining({ field: 'email', value: 'earlier@example.com' }),
    );
    const ledger = ok(a, ['rejected']).rejected;
    expect(ledger[0]).toMatchObject({
      customerId: customer.id,
      field: 'email',
      reason: 'superseded',
      localValue: 'earlier@example.com',
    });
    const text = branchctl(['rejected', '--data-dir', a, '--lang', 'zh-CN']);
    expect(text.stdout).toContain('总行或其他网点有更晚的修改');
  });

  it('orders an edit from a PC a day slow after the edit it has already seen', async () => {
    const customer = pick();
    const slow = { BRANCHDESK_CLOCK_SKEW_MS: String(-DAY) };
    expect(edit(b, customer.id, { email: 'seen.first@example.com' }).status).toBe(0);
    sync(b);
    sync(a, slow); // the pull carries HQ's clock; the device's clock moves past it
    expect(edit(a, customer.id, { email: 'made.after@example.com' }, slow).status).toBe(0);
    expect(edit(b, customer.id, { phones: show(b, customer.id).customer.phones }).status).toBe(0);
    const round = sync(a, slow);
    expect(round.push).toMatchObject({ applied: 1, rejectedFields: 0 });
    expect((await atHq(customer.id))?.email).toBe('made.after@example.com');
  });

  it('accepts edits from a PC a day fast, and refuses a clock further off with a reason', async () => {
    const customer = pick();
    expect(
      edit(
        a,
        customer.id,
        { email: 'fast.clock@example.com' },
        { BRANCHDESK_CLOCK_SKEW_MS: String(DAY) },
      ).status,
    ).toBe(0);
    expect(sync(a).push).toMatchObject({ applied: 1 });
    const wild = pick();
    expect(
      edit(
        b,
        wild.id,
        { email: 'wild.clock@example.com' },
        { BRANCHDESK_CLOCK_SKEW_MS: String(3 * DAY) },
      ).status,
    ).toBe(0);
    expect(sync(b).push).toMatchObject({ rejected: 1 });
    expect(ok(b, ['rejected']).rejected[0]).toMatchObject({
      customerId: wild.id,
      field: null,
      reason: 'CLOCK_SKEW',
    });
    expect(show(b, wild.id).customer.email).toBe(wild.email);
    // With the clock right again, the next edit is accepted: the bad timestamps left no trace.
    expect(edit(b, wild.id, { email: 'clock.fixed@example.com' }).status).toBe(0);
    expect(sync(b).push).toMatchObject({ applied: 1, rejected: 0 });
  });

  it('refuses a change to an HQ-owned field at the device, naming the field', async () => {
    // HQ's side (a change pushed anyway is answered hq_authoritative): push-scope.test.ts.
    const customer = pick();
    const local = {
      ...customer.kyc,
      riskRating: customer.kyc.riskRating === 'high' ? 'low' : 'high',
    };
    // In the core here: branchctl, the local operator, changes no identity or HQ-owned field.
    const vault = openVault(a, secrets);
    try {
      expect(() => editHere(new CustomerService(vault), customer.id, { kyc: local })).toThrow(
        expect.objectContaining({ code: 'CUSTOMER_FIELD_READ_ONLY', details: { field: 'kyc' } }),
      );
    } finally {
      vault.close();
    }
    expect(ok(a, ['sync', 'status'])).toMatchObject({ outbox: 0 });
    expect(show(a, customer.id).customer.kyc).toEqual((await atHq(customer.id))?.kyc);
  });

  it('unions notes added on both sides, and refuses removing one', async () => {
    const customer = pick();
    const before = show(a, customer.id).customer.notes;
    const mine = {
      id: randomUUID(),
      at: new Date().toISOString(),
      author: 'os-teller',
      text: '客户来电咨询',
    };
    const theirs = {
      id: randomUUID(),
      at: new Date().toISOString(),
      author: 'hq-staff-1',
      text: '总行回访',
    };
    expect(edit(a, customer.id, { notes: [...before, mine] }).status).toBe(0);
    await admin.edit(customer.id, { notes: [...before, theirs] });
    expect(sync(a).push).toMatchObject({ applied: 1, rejectedFields: 0 });
    const notes = (await atHq(customer.id))?.notes as { id: string }[];
    expect(notes.map((note) => note.id)).toEqual([...before.map((n) => n.id), theirs.id, mine.id]);
    expect(show(a, customer.id).customer.notes.map((note) => note.id)).toEqual(
      notes.map((note) => note.id),
    );
    const removal = edit(a, customer.id, { notes: notes.slice(1) });
    expect(removal.status).toBe(1);
    expect(removal.json.error.code).toBe('CUSTOMER_APPEND_ONLY');
  });

  it('purges a reassigned customer from the losing branch, after pushing its edit', async () => {
    const customer = pick();
    expect(edit(a, customer.id, { email: 'before.leaving@example.com' }).status).toBe(0);
    await admin.reassign(customer.id, 'B002', 'B002-rm-01');
    const round = sync(a);
    expect(round.push).toMatchObject({ applied: 1 });
    expect(round.pull.removed).toBeGreaterThanOrEqual(1);
    expect(cli(a, ['customer', 'show', customer.id]).json.error.code).toBe('CUSTOMER_NOT_FOUND');
    sync(b);
    expect(cli(b, ['customer', 'show', customer.id]).json.error.code).toBe('CUSTOMER_NOT_FOUND');
    expect((await admin.scope('B002')).get(customer.id)?.customer.email).toBe(
      'before.leaving@example.com',
    );
  });

  it('holds a customer that left the scope until its pending edit is pushed', async () => {
    const customer = pick();
    const vault = openVault(a, secrets);
    try {
      const customers = new CustomerService(vault);
      editHere(customers, customer.id, { email: 'pending@example.com' });
      await admin.reassign(customer.id, 'B002', 'B002-rm-02');
      const client = deviceClient(vault, secrets);
      const pulled = await pullChanges(vault, client);
      expect(pulled.keptLocal).toBe(1);
      expect(customers.store.get(customer.id)).toBeDefined();
      expect(customers.sync.counts()).toMatchObject({ outbox: 1, awaitingEviction: 1 });
      expect(purgeEvicted(vault)).toBe(0); // its edit is not pushed yet
      await pushOutbox(vault, client);
      expect(purgeEvicted(vault)).toBe(1);
      expect(customers.store.get(customer.id)).toBeUndefined();
      expect(customers.sync.counts()).toMatchObject({ outbox: 0, awaitingEviction: 0 });
    } finally {
      vault.close();
    }
    expect((await admin.scope('B002')).get(customer.id)?.customer.email).toBe(
      'pending@example.com',
    );
  });

  it('applies a mutation delivered twice once, answering the retry with the stored outcome', async () => {
    const customer = pick();
    const vault = openVault(a, secrets);
    try {
      const customers = new CustomerService(vault);
      editHere(customers, customer.id, { email: 'twice@example.com' });
      const [entry] = new SyncState(vault).next(1);
      const client = deviceClient(vault, secrets);
      const first = await client.push([entry!.mutation]);
      const second = await client.push([entry!.mutation]);
      expect(second.results[0]!.outcome).toEqual(first.results[0]!.outcome);
      expect(first.results[0]!.outcome.appliedVersion).toBe(customer.version + 1);
      expect(second.results[0]!.current?.version).toBe(customer.version + 1);
      const { mutations } = await admin.mutations([entry!.mutation.mutationId]);
      expect(mutations).toHaveLength(1);
      await pushOutbox(vault, client); // the device's own retry: the stored outcome again
      expect(new SyncState(vault).outboxSize()).toBe(0);
      expect(customers.store.get(customer.id)?.hqVersion).toBe(customer.version + 1);
    } finally {
      vault.close();
    }
  });

  it('moves a mutation HQ cannot read to the ledger instead of blocking the outbox', async () => {
    const [stuck, fine] = [pick(), pick()];
    const vault = openVault(a, secrets);
    try {
      const customers = new CustomerService(vault);
      for (const [customer, email] of [
        [stuck, 'unreadable@example.com'],
        [fine, 'readable@example.com'],
      ] as const) {
        editHere(customers, customer.id, { email });
      }
      // An entry written by some other build, in a shape HQ's schema refuses.
      const [first] = new SyncState(vault).next(1);
      vault.db
        .prepare('UPDATE outbox SET mutation = ? WHERE mutation_id = ?')
        .run(
          JSON.stringify({ ...first!.mutation, actor: 'not a staff reference!' }),
          first!.mutation.mutationId,
        );
      const summary = await pushOutbox(vault, deviceClient(vault, secrets));
      expect(summary).toMatchObject({ applied: 1, rejected: 1 });
      expect(customers.sync.outboxSize()).toBe(0);
      expect(customers.sync.rejected(1)[0]).toMatchObject({
        mutationId: first!.mutation.mutationId,
        reason: 'UNREADABLE',
      });
      // The device shows HQ's record again, not the change HQ never took.
      expect(customers.store.get(stuck.id)?.customer.email).toBe(stuck.email);
      expect(customers.store.get(stuck.id)?.hasPendingChanges).toBe(false);
    } finally {
      vault.close();
    }
    expect((await atHq(fine.id))?.email).toBe('readable@example.com');
    expect((await atHq(stuck.id))?.email).toBe(stuck.email);
  });

  it("refuses, once and for good, a change HQ's database cannot store, and moves on", async () => {
    const [odd, fine] = [pick(), pick()];
    const vault = openVault(a, secrets);
    try {
      const customers = new CustomerService(vault);
      const note = { id: randomUUID(), at: new Date().toISOString(), author: 'os-teller' };
      const first = customers.show({ id: odd.id });
      // PostgreSQL's jsonb cannot hold U+0000; the branch's SQLite can.
      customers.update(
        odd.id,
        first.customer.version,
        { notes: [...first.customer.notes, { ...note, text: 'a\u0000b' }] },
        { id: 'os-teller' },
      );
      const second = customers.show({ id: fine.id });
      customers.update(
        fine.id,
        second.customer.version,
        { email: 'after.odd@example.com' },
        {
          id: 'os-teller',
        },
      );
      const summary = await pushOutbox(vault, deviceClient(vault, secrets));
      expect(summary).toMatchObject({ pushed: 2, applied: 1, rejected: 1 });
      expect(customers.sync.rejected(1)[0]).toMatchObject({
        customerId: odd.id,
        reason: 'INVALID_RESULT',
      });
      expect(customers.store.get(odd.id)?.customer.notes).toEqual(first.customer.notes);
    } finally {
      vault.close();
    }
    expect((await atHq(fine.id))?.email).toBe('after.odd@example.com');
  });

  it('retries with backoff while HQ is down, and syncs when it is back', async () => {
    const customer = pick();
    const vault = openVault(a, secrets);
    const scheduler = new SyncScheduler(() => syncRound(vault, secrets), {
      intervalMs: 60_000,
      backoff: { baseMs: 100, maxMs: 400 },
    });
    try {
      const customers = new CustomerService(vault);
      editHere(customers, customer.id, { email: 'backoff@example.com' });
      await server.stop();
      scheduler.start();
      while (scheduler.state.failures < 3) await new Promise((done) => setTimeout(done, 50));
      expect(scheduler.state).toMatchObject({ online: false, lastError: 'HQ_UNREACHABLE' });
      expect(new SyncState(vault).outboxSize()).toBe(1);
      server = await startHq(hq, { port });
      const deadline = Date.now() + 20_000;
      while (scheduler.state.online !== true && Date.now() < deadline)
        await new Promise((done) => setTimeout(done, 50));
      expect(scheduler.state).toMatchObject({ online: true, failures: 0 });
      expect(new SyncState(vault).outboxSize()).toBe(0);
    } finally {
      await scheduler.stop();
      vault.close();
    }
    expect((await atHq(customer.id))?.email).toBe('backoff@example.com');
  });

  it('leaves both devices holding exactly what HQ holds for the branch', async () => {
    sync(a);
    sync(b);
    const master = await admin.scope('B001');
    for (const dataDir of [a, b]) {
      const vault = openVault(dataDir, secrets, { readonly: true });
      try {
        const rows = vault.db.prepare('SELECT id, record FROM customer').all() as {
          id: string;
          record: Buffer;
        }[];
        expect(new Set(rows.map((row) => row.id))).toEqual(new Set(master.keys()));
        for (const row of rows)
          expect(sameJson(unpackRecord(row.record), master.get(row.id)!.customer), row.id).toBe(
            true,
          );
      } finally {
        vault.close();
      }
    }
  });
});
