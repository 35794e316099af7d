// Four eyes in practice, through the command table on a real vault against a real HQ over HTTP: a
// held identity change survives unrelated edits to the same customer (a visit, an email) and is
// approved onto the record as it stands, at HQ too; one whose own field moved goes back to its
// maker with the field named in words; the inbox says whose record, who made it and whether it
// is the reader's own; the maker reads a rejection's reason in their own requests.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../../../electron/core/audit/log';
import { dispatch, type CommandResult } from '../../../electron/core/commands';
import { CustomerStore } from '../../../electron/core/customers';
import { enrollDevice } from '../../../electron/core/device/enrollment';
import { syncRound } from '../../../electron/core/sync/engine';
import { openVault, type Vault } from '../../../electron/core/vault';
import { demoUsers } from '../../../hq/seed';
import type { HeldChange } from '../../../shared/commands/approvals';
import type { SerializedError } from '../../../shared/errors';
import { hqCommand, startHq, type HqEnv, type RunningHq } from '../../support/hq';
import { profileSandbox, realSecretStore } from '../../support/keyring';
import { signedInDesks } from '../../support/signed-in';

const secrets = realSecretStore();
const SEED = 29;

function value<T = Record<string, unknown>>(result: CommandResult): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message.en}`);
  return result.value as T;
}

describe('held changes in practice', () => {
  const sandbox = profileSandbox(secrets);
  let hq: HqEnv;
  let server: RunningHq;
  const credentials = new Map(demoUsers(SEED).map((user) => [user.username, user]));
  let vault: Vault;
  let sibling: Vault;
  let pool: string[] = [];
  const pick = () => pool.shift()!;

  const staff = signedInDesks(secrets, credentials);
  const desk = (username: string) => staff.desk(username, vault);
  const stored = (id: string) => new CustomerStore(vault.db).get(id)!.customer;

  beforeAll(async () => {
    hq = { dataDir: join(sandbox.path, 'hq') };
    expect(
      hqCommand(hq, ['seed', '--customers', '120', '--branches', '1', '--seed', String(SEED)])
        .status,
    ).toBe(0);
    const codes2 = [0, 1].map(() =>
      hqCommand(hq, ['enroll-code', '--branch', 'B001']).stdout.trim(),
    );
    server = await startHq(hq);
    const dirs = ['desk', 'sibling'].map((name) => join(sandbox.path, name));
    for (const [index, dir] of dirs.entries()) {
      const enrolled = await enrollDevice(dir, secrets, {
        hqUrl: server.url,
        code: codes2[index]!,
      });
      sandbox.forget(enrolled.profileId);
    }
    [vault, sibling] = dirs.map((dir) => openVault(dir, secrets)) as [Vault, Vault];
    for (const each of [vault, sibling]) await syncRound(each, secrets);
    pool = vault.db
      .prepare(`SELECT id FROM customer WHERE kind = 'individual' ORDER BY customer_number`)
      .pluck()
      .all() as string[];
  }, 240_000);
  afterAll(async () => {
    await staff.signOutAll();
    for (const each of [vault, sibling]) each?.close();
    await server?.stop();
    sandbox.cleanup();
  });

  async function propose(
    maker: string,
    id: string,
    changes: Record<string, unknown>,
    note?: string,
  ) {
    const result = value<{ pendingChangeId: number }>(
      await dispatch(
        'customer.update',
        { id, baseVersion: stored(id).version, changes, ...(note ? { note } : {}) },
        await desk(maker),
      ),
    );
    expect(result.pendingChangeId).toBeGreaterThan(0);
    return result.pendingChangeId;
  }
  const inbox = async (reader: string) =>
    value<{ changes: HeldChange[] }>(await dispatch('approvals.list', {}, await desk(reader)))
      .changes;
  const mine = async (maker: string, customerId?: string) =>
    value<{ changes: HeldChange[] }>(
      await dispatch('approvals.mine', customerId ? { customerId } : {}, await desk(maker)),
    ).changes;

  it('approves a name change after a visit and an email on the same customer: rebased here, applied and recorded at HQ', async () => {
    const id = pick();
    const changeId = await propose('teller1', id, { legalName: '周新名' });
    const teller = await desk('teller1');
    value(
      await dispatch(
        'customer.record_visit',
        { id, visitId: randomUUID(), kind: 'branch', text: '办理业务' },
        teller,
      ),
    );
    value(
      await dispatch(
        'customer.update',
        { id, baseVersion: stored(id).version, changes: { email: 'zhou@example.com' } },
        teller,
      ),
    );
    const before = stored(id);
    const approved = value<{ version: number; change: { status: string } }>(
      await dispatch('approvals.approve', { id: changeId }, await desk('supervisor1')),
    );
    expect(approved.change.status).toBe('approved');
    const after = stored(id);
    expect(after).toMatchObject({ legalName: '周新名', email: 'zhou@example.com' });
    expect(after.visits).toEqual(before.visits);
    expect(approved.version).toBe(before.version + 1);
    expect((await syncRound(vault, secrets)).push).toMatchObject({ rejected: 0 });
    await syncRound(sibling, secrets);
    const there = new CustomerStore(sibling.db).get(id)!.customer;
    expect(there).toMatchObject({ legalName: '周新名', email: 'zhou@example.com' });
    expect(there.visits).toHaveLength(before.visits.length);
  });

  it('sends a change whose own field moved back to its maker, naming the field in words', async () => {
    const id = pick();
    const first = await propose('teller1', id, { legalName: '钱一' });
    const second = await propose('rm1', id, { legalName: '钱二' });
    const supervisor = await desk('supervisor1');
    value(await dispatch('approvals.approve', { id: first }, supervisor));
    // Before anyone tries, the inbox already says the second one's field moved.
    expect((await inbox('supervisor1')).find((change) => change.id === second)).toMatchObject({
      status: 'pending',
      moved: ['legalName'],
    });
    const refused = await dispatch('approvals.approve', { id: second }, supervisor);
    expect(refused.ok).toBe(false);
    const error = (refused as { error: SerializedError }).error;
    expect(error.code).toBe('APPROVAL_NEEDS_REDO');
    expect(error.message['zh-CN']).toContain('姓名');
    expect(error.message.en).toContain('name');
    expect(error.message.en).not.toMatch(/legalName|[A-Z_]{6,}/);
    expect(stored(id).legalName).toBe('钱一');
    // Out of the inbox, and in the maker's own list as one to redo.
    expect((await inbox('supervisor1')).map((change) => change.id)).not.toContain(second);
    expect((await mine('rm1', id)).find((change) => change.id === second)).toMatchObject({
      status: 'redo',
      moved: ['legalName'],
    });
    const [entry] = new AuditLog(vault)
      .entries({ action: 'reject', target: id })
      .map((row) => JSON.parse(row.details) as Record<string, unknown>);
    expect(entry).toMatchObject({ pendingChangeId: second, kind: 'redo', fields: ['legalName'] });
    expect((await syncRound(vault, secrets)).push).toMatchObject({ rejected: 0 });
  });

  it('gives the inbox context: customer number and name, values before and after, maker, note, own changes marked', async () => {
    const id = pick();
    const customer = stored(id);
    const changeId = await propose('teller1', id, { legalName: '孙三' }, '客户持新身份证办理');
    const own = await propose('supervisor1', id, { englishName: 'SUN SAN' });
    const rows = await inbox('supervisor1');
    expect(rows.find((change) => change.id === changeId)).toMatchObject({
      customer: { customerNumber: customer.customerNumber, name: customer.legalName },
      changes: { legalName: '孙三' },
      before: { legalName: customer.legalName },
      makerName: '柜员 王芳',
      note: '客户持新身份证办理',
      own: false,
      moved: [],
    });
    expect(rows.find((change) => change.id === own)).toMatchObject({ own: true });
    const waiting = rows.filter((change) => change.status === 'pending' && !change.own).length;
    expect(
      value<{ pending: number }>(await dispatch('approvals.count', {}, await desk('supervisor1')))
        .pending,
    ).toBe(waiting);
    expect(
      await dispatch('approvals.approve', { id: own }, await desk('supervisor1')),
    ).toMatchObject({ ok: false, error: { code: 'APPROVAL_OWN_CHANGE' } });
  });

  it('lets the maker read a rejection and its reason among their own requests', async () => {
    const id = pick();
    const changeId = await propose('rm1', id, { legalName: '吴四' });
    value(
      await dispatch(
        'approvals.reject',
        { id: changeId, reason: '证件照片与本人不符' },
        await desk('supervisor1'),
      ),
    );
    const [row] = await mine('rm1', id);
    expect(row).toMatchObject({
      id: changeId,
      status: 'rejected',
      reason: '证件照片与本人不符',
      deciderName: '主管 陈静',
      makerName: '客户经理 李强',
    });
    expect((await mine('teller1', id)).map((change) => change.id)).not.toContain(changeId);
  });
});
