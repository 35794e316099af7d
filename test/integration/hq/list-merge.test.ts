// Edits to the same list, end to end: two enrolled devices of one branch and a real HQ process.
// Phones and addresses are merged entry by entry (shared/sync/entry-merge.ts): entries added or
// changed on different devices at the same time all reach HQ and both devices; the same entry
// changed on both goes to the later edit, and the losing value is kept in HQ's field history and
// the losing device's rejected ledger. The devices edit through dispatch, as the desk does.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch, type CommandContext, type CommandResult } from '../../../electron/core/commands';
import { unpackRecord } from '../../../electron/core/customers';
import { deviceClient, syncRound } from '../../../electron/core/sync/engine';
import { openVault, readProfile, vaultPaths, type Vault } from '../../../electron/core/vault';
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
const SEED = 47;
const COUNT = 60;
const generated: Customer[] = [
  ...generateCustomers({ seed: SEED, count: COUNT, branches: ['B001', 'B002'], rmsPerBranch: 4 }),
];
/** Customers only branch B001 holds, with a phone, for the edits. */
const pool = generated.filter(
  (c) =>
    c.homeBranchId === 'B001' &&
    c.phones.length > 0 &&
    (c.assignedRmId === undefined || c.assignedRmId.startsWith('B001-')),
);
let next = 0;
const pick = () => pool[next++]!;

function value<T>(result: CommandResult): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message.en}`);
  return result.value as T;
}

const mobile = (e164: string) => ({ kind: 'mobile' as const, e164 });

type Device = CommandContext & { vault: Vault };

describe('sync: edits to the same list on two devices', () => {
  const sandbox = profileSandbox(secrets);
  let hq: HqEnv;
  let server: RunningHq;
  let account: HqAccount;
  const admin = hqAdmin(
    () => server.url,
    () => account,
  );
  let a: Device;
  let b: Device;

  const show = async (device: Device, id: string) =>
    value<{ customer: Customer }>(await dispatch('customer.show', { id }, device)).customer;
  /** Sets (or, at the list's length, adds) one phone, as the desk's phone editor does. */
  const setPhone = async (device: Device, id: string, index: number, e164: string) => {
    const { version } = await show(device, id);
    value(
      await dispatch(
        'customer.set_phone',
        { id, baseVersion: version, index, phone: mobile(e164) },
        device,
      ),
    );
  };
  const sync = (device: Device) =>
    syncRound(device.vault, secrets, { client: deviceClient(device.vault, secrets) });
  const atHq = async (id: string) => (await admin.scope('B001')).get(id)?.customer as Customer;
  /** Both devices hold exactly HQ's record. */
  const converged = async (id: string) => {
    const master = await atHq(id);
    for (const device of [a, b]) {
      const held = device.vault.db
        .prepare('SELECT record FROM customer WHERE id = ?')
        .pluck()
        .get(id) as Buffer;
      expect(sameJson(unpackRecord(held), master)).toBe(true);
    }
    return master;
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
      const device: Device = {
        principal: { kind: 'local_operator', osUser: `teller-${index}` },
        secrets,
        vault: openVault(dataDir, secrets),
      };
      return device;
    }) as [Device, Device];
    await sync(a);
    await sync(b);
  }, 180_000);

  afterAll(async () => {
    for (const device of [a, b]) device?.vault.close();
    await server?.stop();
    sandbox.cleanup();
  });

  it('keeps phones added on both devices at the same time, on HQ and both devices', async () => {
    const customer = pick();
    const before = customer.phones.length;
    await setPhone(a, customer.id, before, '+8613912340001');
    await setPhone(b, customer.id, before, '+8613912340002');
    await sync(a);
    const round = await sync(b);
    expect(round.push).toMatchObject({ applied: 1, rejectedFields: 0 });
    await sync(a);
    const master = await converged(customer.id);
    expect(master.phones.map((phone) => phone.e164)).toEqual([
      ...customer.phones.map((phone) => phone.e164),
      '+8613912340001',
      '+8613912340002',
    ]);
    expect(new Set(master.phones.map((phone) => phone.id)).size).toBe(before + 2);
  });

  it('keeps changes of different addresses made on both devices', async () => {
    const customer = pick();
    const home = customer.addresses[0]!;
    // A second address first, at HQ, so there are two to change.
    const { id: _home, ...mailing } = home;
    await admin.edit(customer.id, {
      addresses: [customer.addresses[0], { ...mailing, kind: 'mailing', line: '邮寄地址 1 号' }],
    });
    await sync(a);
    await sync(b);
    const [first, second] = (await show(a, customer.id)).addresses;
    const setAddress = async (device: Device, index: number, line: string) => {
      const { version, addresses } = await show(device, customer.id);
      const { id: _id, ...address } = addresses[index]!;
      value(
        await dispatch(
          'customer.set_address',
          { id: customer.id, baseVersion: version, index, address: { ...address, line } },
          device,
        ),
      );
    };
    await setAddress(a, 0, '甲设备改的住址 8 号');
    await setAddress(b, 1, '乙设备改的邮寄地址 9 号');
    await sync(b);
    expect((await sync(a)).push).toMatchObject({ applied: 1, rejectedFields: 0 });
    await sync(b);
    const master = await converged(customer.id);
    expect(master.addresses.map((address) => [address.id, address.line])).toEqual([
      [first!.id, '甲设备改的住址 8 号'],
      [second!.id, '乙设备改的邮寄地址 9 号'],
    ]);
  });

  it('gives one phone changed on both devices to the later edit, the loser kept', async () => {
    const customer = pick();
    const others = customer.phones.slice(1).map((phone) => phone.e164);
    await setPhone(a, customer.id, 0, '+8613955550001');
    await new Promise((resolve) => setTimeout(resolve, 5));
    await setPhone(b, customer.id, 0, '+8613955550002');
    // The later edit is pushed first; the earlier one arrives after it and loses.
    await sync(b);
    const round = await sync(a);
    expect(round.push).toMatchObject({ applied: 1, rejectedFields: 1 });
    await sync(b);
    const master = await converged(customer.id);
    expect(master.phones.map((phone) => phone.e164)).toEqual(['+8613955550002', ...others]);
    expect(master.phones[0]!.id).toBe(customer.phones[0]!.id);
    // The loser, one entry, in HQ's field history and in device A's rejected ledger.
    const history = await admin.history(customer.id);
    expect(history.entries).toContainEqual(
      expect.objectContaining({
        field: 'phones',
        value: expect.objectContaining({ id: customer.phones[0]!.id, e164: '+8613955550001' }),
      }),
    );
    const ledger = a.vault.db
      .prepare('SELECT reason, local_value FROM sync_rejected WHERE customer_id = ?')
      .all(customer.id) as { reason: string; local_value: string }[];
    expect(ledger).toHaveLength(1);
    expect(ledger[0]!.reason).toBe('superseded');
    expect(ledger[0]!.local_value).toContain('+8613955550001');
  });
});
