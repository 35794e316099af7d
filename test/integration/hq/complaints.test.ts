// Complaints and suggestions (投诉与建议) through the real command table, vault, keychain and HQ
// (PGlite and PostgreSQL): a teller records a complaint offline with a reference and the due dates
// HQ's service levels give; its owner moves it through its steps (a colleague may not, a
// supervisor may), each refused when out of order; the lists show one's own and (a supervisor)
// the branch's, overdue first; HQ takes them, publishes new categories, and reports by category
// and age across branches.
import { randomUUID } from 'node:crypto';
import { join, resolve } from 'node:path';
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch, type CommandResult } from '../../../electron/core/commands';
import { CustomerStore } from '../../../electron/core/customers';
import { recordEarlierComplaint } from '../../support/complaints';
import { enrollDevice } from '../../../electron/core/device/enrollment';
import { syncRound } from '../../../electron/core/sync/engine';
import { openVault, type Vault } from '../../../electron/core/vault';
import { demoUsers } from '../../../hq/seed';
import { dueDates, defaultComplaintRules } from '../../../shared/counter/complaints';
import type { Customer } from '../../../shared/customer';
import { bankDay } from '../../../shared/insight/day';
import { addBranchStaff, hqCommand, startHq, type HqEnv, type RunningHq } from '../../support/hq';
import { profileSandbox, realSecretStore } from '../../support/keyring';
import { startPostgres, type PostgresCluster } from '../../support/postgres';
import { signedInDesks } from '../../support/signed-in';

const secrets = realSecretStore();
const SEED = 67;

const code = (result: CommandResult) => (result.ok ? 'ok' : result.error.code);
function value<T>(result: CommandResult): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message.en}`);
  return result.value as T;
}

describe.each(['pglite', 'postgres'] as const)('complaints on %s', (database) => {
  const sandbox = profileSandbox(secrets);
  let cluster: PostgresCluster | undefined;
  let hq: HqEnv;
  let server: RunningHq;
  let vault: Vault;
  let customer: Customer;
  let other: Customer;
  const credentials = new Map(
    demoUsers(SEED).map((user) => [
      user.username,
      user as { password: string; totpSecret: string },
    ]),
  );
  const staff = signedInDesks(secrets, credentials);
  const stored = (id = customer.id) => new CustomerStore(vault.db).get(id)!.customer;
  const as = async (username: string, command: string, input: unknown) =>
    dispatch(command, input, await staff.desk(username, vault));

  beforeAll(async () => {
    if (database === 'postgres') cluster = await startPostgres();
    hq = { dataDir: join(sandbox.path, 'hq'), ...(cluster ? { databaseUrl: cluster.url } : {}) };
    expect(
      hqCommand(hq, ['seed', '--customers', '20', '--branches', '1', '--seed', String(SEED)])
        .status,
    ).toBe(0);
    credentials.set('teller2', addBranchStaff(hq, 'teller2', { roles: 'teller', branch: 'B001' }));
    const enrollCode = hqCommand(hq, ['enroll-code', '--branch', 'B001']).stdout.trim();
    server = await startHq(hq);
    const dataDir = join(sandbox.path, 'desk');
    const enrolled = await enrollDevice(dataDir, secrets, { hqUrl: server.url, code: enrollCode });
    sandbox.forget(enrolled.profileId);
    vault = openVault(dataDir, secrets);
    await syncRound(vault, secrets);
    const individuals = (
      vault.db
        .prepare(`SELECT id FROM customer WHERE kind = 'individual' ORDER BY customer_number`)
        .pluck()
        .all() as string[]
    )
      .map((id) => new CustomerStore(vault.db).get(id)!.customer)
      .filter((one) => !one.restriction);
    [customer, other] = individuals as [Customer, Customer];
    // Every member of staff signs in while HQ answers; later they may work offline.
    for (const username of ['teller1', 'teller2', 'supervisor1']) await staff.desk(username, vault);
  }, 240_000);
  afterAll(async () => {
    await staff.signOutAll();
    vault?.close();
    await server?.stop();
    cluster?.stop();
    sandbox.cleanup();
  });

  let complaintId: string;

  it('records a complaint offline with its reference, owner and due dates', async () => {
    await server.stop();
    complaintId = randomUUID();
    const record = {
      id: customer.id,
      complaintId,
      kind: 'complaint',
      channel: 'counter',
      category: 'waiting_time',
      description: '排队等候超过一个小时',
      request: '希望增开窗口',
    };
    value(await as('teller1', 'complaint.record', record));
    // A retried save records it once.
    value(await as('teller1', 'complaint.record', record));
    const complaints = stored().complaints ?? [];
    expect(complaints).toHaveLength(1);
    const day = bankDay(Date.now());
    expect(complaints[0]).toMatchObject({
      reference: `TS${day.replaceAll('-', '')}${complaintId.replaceAll('-', '').slice(0, 6).toUpperCase()}`,
      owner: 'user:teller1',
      receivedBy: 'user:teller1',
      ...dueDates(day, defaultComplaintRules),
    });
    // A suggestion has a reference and no due dates; an unknown category is refused.
    value(
      await as('teller1', 'complaint.record', {
        ...record,
        complaintId: randomUUID(),
        kind: 'suggestion',
        category: 'other',
        description: '建议增加自助设备',
      }),
    );
    const suggestion = stored().complaints!.find((one) => one.kind === 'suggestion')!;
    expect(suggestion.reference).toMatch(/^JY\d{8}[0-9A-F]{6}$/u);
    expect(suggestion.acknowledgeBy).toBeUndefined();
    expect(
      code(
        await as('teller1', 'complaint.record', {
          ...record,
          complaintId: randomUUID(),
          category: 'no_such_thing',
        }),
      ),
    ).toBe('COMPLAINT_CATEGORY_UNKNOWN');
    // The log names what kind and category, never what the customer said.
    const details = vault.db
      .prepare(`SELECT details FROM audit_log WHERE details LIKE ? ORDER BY seq`)
      .pluck()
      .all(`%${complaintId}%`) as string[];
    expect(details.length).toBeGreaterThan(0);
    for (const entry of details) expect(entry).not.toContain('排队');
  });

  it('moves on in order, by its owner or a supervisor only', async () => {
    const step = (status: string, extra: Record<string, unknown> = {}) => ({
      id: customer.id,
      complaintId,
      stepId: randomUUID(),
      status,
      ...extra,
    });
    expect(code(await as('teller2', 'complaint.step', step('acknowledged')))).toBe(
      'PERMISSION_DENIED',
    );
    expect(code(await as('teller1', 'complaint.step', step('in_progress')))).toBe(
      'COMPLAINT_STEP_INVALID',
    );
    value(await as('teller1', 'complaint.step', step('acknowledged', { note: '已致电客户' })));
    value(await as('supervisor1', 'complaint.step', step('in_progress')));
    // A resolution says what was done and what the customer said.
    expect(code(await as('teller1', 'complaint.step', step('resolved')))).toBe('INPUT_INVALID');
    value(
      await as(
        'teller1',
        'complaint.step',
        step('resolved', { resolution: '高峰时段增开一个窗口', customerResponse: 'accepted' }),
      ),
    );
    expect(code(await as('teller1', 'complaint.step', step('escalated')))).toBe(
      'COMPLAINT_STEP_INVALID',
    );
    expect((stored().complaintSteps ?? []).map((one) => one.status)).toEqual([
      'acknowledged',
      'in_progress',
      'resolved',
    ]);
  });

  it('lists the open ones, overdue first, and a supervisor the branch’s', async () => {
    // A complaint received three weeks ago, never acknowledged: both due dates are past.
    const { id: late } = recordEarlierComplaint(vault, other.id, {
      owner: 'user:teller2',
      daysAgo: 21,
    });

    const mine = value<{ items: { complaint: { id: string }; overdue: string | null }[] }>(
      await as('teller2', 'complaint.list', { scope: 'mine' }),
    );
    expect(mine.items.map((item) => [item.complaint.id, item.overdue])).toEqual([
      [late, 'acknowledge'],
    ]);
    expect(JSON.stringify(mine)).not.toContain('年费');
    expect(code(await as('teller2', 'complaint.list', { scope: 'branch' }))).toBe(
      'PERMISSION_DENIED',
    );
    const branch = value<{ items: { complaint: { id: string; kind: string } }[] }>(
      await as('supervisor1', 'complaint.list', { scope: 'branch' }),
    );
    // The overdue one first; the open suggestion after; the resolved complaint not at all.
    expect(branch.items[0]!.complaint.id).toBe(late);
    expect(branch.items.map((item) => item.complaint.kind)).toEqual(['complaint', 'suggestion']);
    const overdue = value<{ items: unknown[] }>(
      await as('supervisor1', 'complaint.list', { scope: 'branch', overdueOnly: true }),
    );
    expect(overdue.items).toHaveLength(1);
  });

  it('reaches HQ, which reports by category and age, and publishes new categories', async () => {
    server = await startHq(hq, { port: Number(new URL(server.url).port) });
    await syncRound(vault, secrets);
    expect(vault.db.prepare('SELECT count(*) FROM outbox').pluck().get()).toBe(0);
    expect(vault.db.prepare('SELECT count(*) FROM sync_rejected').pluck().get()).toBe(0);
    // HQ's console, HQ serving meanwhile (on PGlite it runs the command itself).
    const report = hqCommand(hq, ['complaints', 'report']);
    expect(report.status, report.stderr).toBe(0);
    const lines = report.stdout.split('\n');
    const row = (kind: string, category: string) =>
      lines.find((line) => line.startsWith(`B001\t${kind}\t${category}\t`))?.split('\t');
    // total, open by age (0-7, 8-15, 16-30, 31+), overdue, resolved, escalated, not accepted
    expect(row('complaint', 'waiting_time')?.slice(3)).toEqual([
      '1',
      '0',
      '0',
      '0',
      '0',
      '0',
      '1',
      '0',
      '0',
    ]);
    expect(row('complaint', 'fees')?.slice(3)).toEqual([
      '1',
      '0',
      '0',
      '1',
      '0',
      '1',
      '0',
      '0',
      '0',
    ]);
    expect(row('suggestion', 'other')?.[3]).toBe('1');

    const rules = resolve(sandbox.path, 'complaint-rules.json');
    writeFileSync(
      rules,
      JSON.stringify({
        ...defaultComplaintRules,
        version: '2027-01',
        categories: [
          ...defaultComplaintRules.categories,
          {
            code: 'elderly_services',
            name: { 'zh-CN': '适老服务', en: 'Services for the elderly' },
          },
        ],
        resolveDays: 10,
      }),
    );
    const published = hqCommand(hq, ['complaints', 'publish-rules', '--file', rules]);
    expect(published.status, published.stderr).toBe(0);
    await syncRound(vault, secrets);
    const held = value<{ version: string; resolveDays: number }>(
      await as('teller1', 'complaint.rules', {}),
    );
    expect(held).toMatchObject({ version: '2027-01', resolveDays: 10 });
    value(
      await as('teller1', 'complaint.record', {
        id: customer.id,
        complaintId: randomUUID(),
        kind: 'complaint',
        channel: 'counter',
        category: 'elderly_services',
        description: '老年客户不会使用自助机',
      }),
    );
  });
});
