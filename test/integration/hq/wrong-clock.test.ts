// A PC whose clock is 30 hours off, against a real HQ process and a colleague whose clock is
// right, through branchctl (BRANCHDESK_CLOCK_SKEW_MS sets the PC's clock for the core). The edit
// made later in real time wins, whichever PC is wrong and whichever push arrives first, and
// every device then shows HQ's value.
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readProfile, vaultPaths } from '../../../electron/core/vault';
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
const SEED = 41;
const COUNT = 60;
const HOURS_30 = 30 * 60 * 60 * 1000;
const pool = [
  ...generateCustomers({ seed: SEED, count: COUNT, branches: ['B001', 'B002'], rmsPerBranch: 4 }),
].filter(
  (c) =>
    c.kind === 'individual' &&
    c.homeBranchId === 'B001' &&
    (c.assignedRmId === undefined || c.assignedRmId.startsWith('B001-')),
);
let next = 0;
const pick = () => pool[next++]!;
const lastJson = (stdout: string) => JSON.parse(stdout.trim().split('\n').at(-1)!);

describe('sync: a PC clock 30 hours off orders nothing', () => {
  const sandbox = profileSandbox(secrets);
  let hq: HqEnv;
  let server: RunningHq;
  let account: HqAccount;
  const admin = hqAdmin(
    () => server.url,
    () => account,
  );
  /** The PC whose clock is wrong, and the colleague's, whose clock is right. */
  let wrong = '';
  let right = '';

  const ok = (dataDir: string, args: string[], env: NodeJS.ProcessEnv = {}) => {
    const run = branchctl([...args, '--data-dir', dataDir, '--json', '--lang', 'en'], {
      ...process.env,
      ...env,
    });
    expect(run.status, run.stdout + run.stderr).toBe(0);
    return lastJson(run.stdout).value;
  };
  const show = (dataDir: string, id: string) =>
    (ok(dataDir, ['customer', 'show', id]) as { customer: Customer }).customer;
  const edit = (dataDir: string, id: string, email: string, env: NodeJS.ProcessEnv = {}) => {
    const file = join(sandbox.path, `changes-${randomUUID()}.json`);
    writeFileSync(file, JSON.stringify({ email }));
    const version = show(dataDir, id).version;
    ok(dataDir, ['customer', 'update', id, '--base-version', String(version), '--file', file], env);
  };
  const clock = (offsetMs: number) => ({ BRANCHDESK_CLOCK_SKEW_MS: String(offsetMs) });
  const atHq = async (id: string) => (await admin.scope('B001')).get(id)?.customer;
  /** After both sync again, both show HQ's record. */
  const allAgree = async (id: string, skew: NodeJS.ProcessEnv) => {
    ok(wrong, ['sync'], skew);
    ok(right, ['sync']);
    const master = await atHq(id);
    expect(sameJson(show(wrong, id), master)).toBe(true);
    expect(sameJson(show(right, id), master)).toBe(true);
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
    const codes = [0, 1].map(() =>
      hqCommand(hq, ['enroll-code', '--branch', 'B001']).stdout.trim(),
    );
    account = addHqUser(hq);
    server = await startHq(hq);
    [wrong, right] = codes.map((code, index) => {
      const dataDir = join(sandbox.path, `device-${index}`);
      const run = branchctl(['enroll', '--hq', server.url, '--code', code, '--data-dir', dataDir]);
      expect(run.status, run.stdout + run.stderr).toBe(0);
      sandbox.forget(readProfile(vaultPaths(dataDir).profile).profileId);
      return dataDir;
    }) as [string, string];
    ok(wrong, ['sync']);
    ok(right, ['sync']);
  }, 180_000);

  afterAll(async () => {
    await server?.stop();
    sandbox.cleanup();
  });

  it('gives the field to a colleague who edits later than a PC 30 h fast', async () => {
    const customer = pick();
    const fast = clock(HOURS_30);
    edit(wrong, customer.id, 'earlier.fast.clock@example.com', fast);
    expect(ok(wrong, ['sync'], fast).push).toMatchObject({ applied: 1 });
    edit(right, customer.id, 'later.right.clock@example.com');
    expect(ok(right, ['sync']).push).toMatchObject({ applied: 1, rejectedFields: 0 });
    expect((await atHq(customer.id))?.email).toBe('later.right.clock@example.com');
    await allAgree(customer.id, fast);
  });

  it('does so when the fast PC pushes last, too', async () => {
    const customer = pick();
    const fast = clock(HOURS_30);
    edit(wrong, customer.id, 'earlier.fast.clock@example.com', fast);
    edit(right, customer.id, 'later.right.clock@example.com');
    ok(right, ['sync']);
    expect(ok(wrong, ['sync'], fast).push).toMatchObject({ applied: 1, rejectedFields: 1 });
    expect((await atHq(customer.id))?.email).toBe('later.right.clock@example.com');
    await allAgree(customer.id, fast);
  });

  it('gives the field to a PC 30 h slow that edits later than its colleague', async () => {
    const customer = pick();
    const slow = clock(-HOURS_30);
    edit(right, customer.id, 'earlier.right.clock@example.com');
    expect(ok(right, ['sync']).push).toMatchObject({ applied: 1 });
    // The slow PC has not heard of the earlier edit: nothing but the time orders them.
    edit(wrong, customer.id, 'later.slow.clock@example.com', slow);
    expect(ok(wrong, ['sync'], slow).push).toMatchObject({ applied: 1, rejectedFields: 0 });
    expect((await atHq(customer.id))?.email).toBe('later.slow.clock@example.com');
    await allAgree(customer.id, slow);
  });
});
