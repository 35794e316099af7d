// Notes and tasks on a customer, through `dispatch` as signed-in staff and on to a real HQ over
// HTTP: a note is added (append-only) and a task added and completed, each queued to the outbox
// like any edit and recorded once when a save is retried; a role without the permission is
// refused; HQ takes them on push, and a note HQ's staff added meanwhile is kept beside the
// branch's (a history merges as a union).
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../../../electron/core/audit/log';
import { dispatch, type CommandResult } from '../../../electron/core/commands';
import { CustomerService, CustomerStore } from '../../../electron/core/customers';
import { enrollDevice } from '../../../electron/core/device/enrollment';
import { syncRound } from '../../../electron/core/sync/engine';
import { openVault, type Vault } from '../../../electron/core/vault';
import type { Role } from '../../../shared/access/permissions';
import type { Customer } from '../../../shared/customer';
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

const as = (username: string, role: Role) => ({
  principal: { kind: 'user' as const, userId: `u-${username}`, username, roles: [role] },
  secrets,
});

function value(result: CommandResult): { customer: Customer } {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message.en}`);
  return result.value as { customer: Customer };
}

describe('notes and tasks, from a desk to HQ', () => {
  const sandbox = profileSandbox(secrets);
  let hq: HqEnv;
  let server: RunningHq;
  let account: HqAccount;
  let vault: Vault;
  let someone: Customer;
  const admin = hqAdmin(
    () => server.url,
    () => account,
  );
  const stored = () => new CustomerStore(vault.db).get(someone.id)!.customer;
  const outbox = () => vault.db.prepare('SELECT count(*) FROM outbox').pluck().get() as number;

  beforeAll(async () => {
    hq = { dataDir: join(sandbox.path, 'hq') };
    expect(
      hqCommand(hq, ['seed', '--customers', '40', '--branches', '1', '--seed', '7']).status,
    ).toBe(0);
    const code = hqCommand(hq, ['enroll-code', '--branch', 'B001']).stdout.trim();
    account = addHqUser(hq);
    server = await startHq(hq);
    const dataDir = join(sandbox.path, 'desk');
    const enrolled = await enrollDevice(dataDir, secrets, { hqUrl: server.url, code });
    sandbox.forget(enrolled.profileId);
    vault = openVault(dataDir, secrets);
    await syncRound(vault, secrets);
    const ids = vault.db.prepare('SELECT id FROM customer').pluck().all() as string[];
    someone = new CustomerStore(vault.db).get(ids[0]!)!.customer;
  }, 180_000);

  afterAll(async () => {
    vault?.close();
    await server?.stop();
    sandbox.cleanup();
  });

  it('adds a note and a task and completes it, once each however often a save is retried', async () => {
    const rm = { ...as('rm1', 'relationship_manager'), vault };
    const notes = stored().notes.length;
    const tasks = stored().tasks.length;
    const before = outbox();

    const note = { id: someone.id, noteId: randomUUID(), text: '客户咨询大额存单，下周回电' };
    const added = value(await dispatch('customer.add_note', note, rm));
    expect(added.customer.notes).toHaveLength(notes + 1);
    expect(stored().notes.at(-1)).toMatchObject({
      id: note.noteId,
      author: 'user:rm1',
      text: '客户咨询大额存单，下周回电',
    });
    value(await dispatch('customer.add_note', note, rm)); // its answer was lost: saved again
    expect(stored().notes).toHaveLength(notes + 1);

    const task = {
      id: someone.id,
      taskId: randomUUID(),
      title: '回电确认存单',
      dueOn: '2030-03-01',
    };
    value(await dispatch('customer.add_task', task, rm));
    value(await dispatch('customer.add_task', task, rm));
    expect(stored().tasks).toHaveLength(tasks + 1);
    expect(stored().tasks.at(-1)).toEqual({
      id: task.taskId,
      title: '回电确认存单',
      dueOn: '2030-03-01',
      status: 'open',
      assignee: 'user:rm1',
    });
    const done = { id: someone.id, taskId: task.taskId, status: 'done' as const };
    value(await dispatch('customer.set_task_status', done, rm));
    const version = stored().version;
    value(await dispatch('customer.set_task_status', done, rm)); // nothing more to change
    expect(stored().version).toBe(version);
    expect(stored().tasks.at(-1)?.status).toBe('done');
    // One mutation per change that changed something: the note, the task, its status.
    expect(outbox()).toBe(before + 3);

    const unknown = await dispatch(
      'customer.set_task_status',
      { ...done, taskId: randomUUID() },
      rm,
    );
    expect(unknown).toMatchObject({ ok: false, error: { code: 'CUSTOMER_TASK_NOT_FOUND' } });

    // The audit log names the entries, never what was written.
    const entries = new AuditLog(vault).entries({ action: 'update', target: someone.id });
    const details = entries.map((entry) => JSON.parse(entry.details));
    // Each save is recorded, a retried one too.
    expect(details).toEqual(
      expect.arrayContaining([
        { fields: ['notes'], noteId: note.noteId },
        { fields: ['tasks'], taskId: task.taskId, dueOn: '2030-03-01' },
        { fields: ['tasks'], taskId: task.taskId, status: 'done' },
      ]),
    );
    expect(JSON.stringify(entries)).not.toContain('大额存单');
  });

  it('refuses notes and tasks to a role that changes nothing', async () => {
    const auditor = { ...as('auditor1', 'auditor'), vault };
    const before = stored().version;
    for (const [name, input] of [
      ['customer.add_note', { id: someone.id, noteId: randomUUID(), text: '审计备注' }],
      [
        'customer.add_task',
        { id: someone.id, taskId: randomUUID(), title: '审计任务', dueOn: '2030-01-01' },
      ],
      [
        'customer.set_task_status',
        { id: someone.id, taskId: stored().tasks.at(-1)!.id, status: 'open' },
      ],
    ] as const) {
      expect(await dispatch(name, input, auditor)).toMatchObject({
        ok: false,
        error: { code: 'PERMISSION_DENIED' },
      });
    }
    expect(stored().version).toBe(before);
  });

  it('pushes them to HQ, where a note HQ added meanwhile is kept beside the branch’s', async () => {
    const atHq = async () =>
      (await admin.scope('B001')).get(someone.id)!.customer as unknown as Customer;
    // HQ's staff add a note of their own before the branch's edits arrive.
    const hqNote = {
      id: randomUUID(),
      at: '2026-01-05T09:00:00+08:00',
      author: 'hq:ops',
      text: '总行备注',
    };
    const current = await atHq();
    await admin.edit(someone.id, { notes: [...current.notes, hqNote] });

    await syncRound(vault, secrets);
    expect(outbox()).toBe(0);
    const merged = await atHq();
    const branchNote = stored().notes.find((note) => note.author === 'user:rm1')!;
    expect(merged.notes.map((note) => note.id)).toEqual(
      expect.arrayContaining([hqNote.id, branchNote.id]),
    );
    expect(merged.tasks.at(-1)).toMatchObject({ status: 'done', assignee: 'user:rm1' });
    // And back: the device holds HQ's note too.
    expect(stored().notes.map((note) => note.id)).toContain(hqNote.id);
    expect(new CustomerStore(vault.db).get(someone.id)!.hasPendingChanges).toBe(false);
  });
  it('says on the customer how many of its conflicts wait and how many changes HQ refused', async () => {
    const teller = { ...as('teller1', 'teller'), vault };
    const shown = async () =>
      (await dispatch('customer.show', { id: someone.id }, teller)) as {
        ok: true;
        value: { openConflicts: number; rejectedChanges: number };
      };
    expect((await shown()).value).toMatchObject({ openConflicts: 0, rejectedChanges: 0 });
    const service = new CustomerService(vault);
    const mutation = {
      kind: 'update' as const,
      mutationId: randomUUID(),
      customerId: someone.id,
      hlc: '000001767225600000-0000-device',
      actor: 'user:teller1',
      device: randomUUID(),
      baseVersion: someone.version,
      fields: { englishName: { from: 'A', to: 'B' } },
    };
    service.sync.park(mutation, 'englishName', { base: 'A', local: 'B', hq: 'C', hqVersion: 2 });
    service.sync.reject({ ...mutation, mutationId: randomUUID() }, 'email', 'superseded', 'x@y.cn');
    expect((await shown()).value).toMatchObject({ openConflicts: 1, rejectedChanges: 1 });
  });
});
