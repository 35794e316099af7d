// Maker-checker on a real vault, through the command table: a member of staff's change to an
// identity field waits, unapplied and unqueued, until a supervisor other than its maker approves
// it with HQ recording the approval (then it is applied and queued for HQ as the maker's edit;
// see hq/four-eyes.test.ts) or rejects it with a reason.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../../electron/core/audit/log';
import { dispatch, type CommandContext, type CommandResult } from '../../electron/core/commands';
import { CustomerStore } from '../../electron/core/customers';
import { createVault, openVault, type Vault } from '../../electron/core/vault';
import type { Role } from '../../shared/access/permissions';
import type { Customer } from '../../shared/customer';
import { generateCustomers } from '../../shared/synthetic';
import { profileSandbox, realSecretStore } from '../support/keyring';

const secrets = realSecretStore();
const people: Customer[] = [
  ...generateCustomers({ seed: 31, count: 40, branches: ['B001'], rmsPerBranch: 2 }),
].filter((c) => c.kind === 'individual');

function value<T = Record<string, unknown>>(result: CommandResult): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message.en}`);
  return result.value as T;
}

describe('maker-checker for identity changes', () => {
  const sandbox = profileSandbox(secrets);
  let vault: Vault;
  let store: CustomerStore;
  let log: AuditLog;
  const as = (role: Role, name: string): CommandContext => ({
    principal: { kind: 'user', userId: `u-${name}`, username: name, roles: [role] },
    secrets,
    vault,
  });
  const outbox = () => vault.db.prepare('SELECT count(*) FROM outbox').pluck().get() as number;

  beforeAll(() => {
    const dataDir = join(sandbox.path, 'maker-checker');
    const created = createVault(dataDir, secrets);
    sandbox.forget(created.profileId);
    created.close();
    vault = openVault(dataDir, secrets);
    store = new CustomerStore(vault.db);
    store.insertMany(people);
    log = new AuditLog(vault);
  });
  afterAll(() => {
    vault.close();
    sandbox.cleanup();
  });

  async function propose(maker: CommandContext, customer: Customer, legalName: string) {
    return value<{ customer: Customer; pendingChangeId?: number }>(
      await dispatch(
        'customer.update',
        { id: customer.id, baseVersion: customer.version, changes: { legalName } },
        maker,
      ),
    );
  }

  it('holds a teller’s identity change: nothing applied, nothing queued, the maker sees its id', async () => {
    const customer = people[0]!;
    const queued = outbox();
    const result = await propose(as('teller', 'teller.wang'), customer, '王小明');
    expect(result.pendingChangeId).toBeGreaterThan(0);
    expect(store.get(customer.id)!.customer.legalName).toBe(customer.legalName);
    expect(outbox()).toBe(queued);
    const pending = value<{ changes: { id: number; customerId: string; requestedBy: string }[] }>(
      await dispatch('approvals.list', { customerId: customer.id }, as('supervisor', 'sup.zhao')),
    );
    expect(pending.changes).toMatchObject([
      { id: result.pendingChangeId, customerId: customer.id, requestedBy: 'user:teller.wang' },
    ]);
    // The teller cannot open the supervisors' inbox, but the customer's record says what waits.
    const shown = value<{ awaitingApproval: unknown[] }>(
      await dispatch('customer.show', { id: customer.id }, as('teller', 'teller.wang')),
    );
    expect(shown.awaitingApproval).toEqual([
      {
        id: result.pendingChangeId,
        fields: ['legalName'],
        requestedBy: 'user:teller.wang',
        requestedAt: expect.any(String),
      },
    ]);
    expect(JSON.stringify(shown.awaitingApproval)).not.toContain('王小明');
    // A contact change by the same teller is not held.
    const contact = value<{ pendingChangeId?: number; customer: Customer }>(
      await dispatch(
        'customer.update',
        { id: customer.id, baseVersion: customer.version, changes: { email: 'w@example.com' } },
        as('teller', 'teller.wang'),
      ),
    );
    expect(contact.pendingChangeId).toBeUndefined();
    expect(outbox()).toBe(queued + 1);
  });

  it('refuses an invalid proposal at once, as the maker types it', async () => {
    const result = await dispatch(
      'customer.update',
      { id: people[1]!.id, baseVersion: people[1]!.version, changes: { birthDate: '2999-01-01' } },
      as('teller', 'teller.wang'),
    );
    expect(result).toMatchObject({ ok: false, error: { code: 'CUSTOMER_INVALID' } });
    expect(
      value<{ changes: unknown[] }>(
        await dispatch(
          'approvals.list',
          { customerId: people[1]!.id },
          as('supervisor', 'sup.zhao'),
        ),
      ).changes,
    ).toEqual([]);
  });

  it('lets only a supervisor who is not the maker approve, and only with HQ to record it: without, nothing is applied', async () => {
    const customer = people[2]!;
    const maker = as('supervisor', 'sup.zhao');
    const { pendingChangeId } = await propose(maker, customer, '李四海');
    const id = pendingChangeId!;

    const byTeller = await dispatch('approvals.approve', { id }, as('teller', 'teller.wang'));
    expect(byTeller).toMatchObject({ ok: false, error: { code: 'PERMISSION_DENIED' } });
    const ownChange = await dispatch('approvals.approve', { id }, maker);
    expect(ownChange).toMatchObject({ ok: false, error: { code: 'APPROVAL_OWN_CHANGE' } });
    expect(store.get(customer.id)!.customer.legalName).toBe(customer.legalName);

    // No desk session signed in at HQ (this is a vault alone): HQ cannot record the approval, so
    // the change stays held. The approval online, end to end: test/integration/hq/four-eyes.test.ts.
    const queued = outbox();
    const offline = await dispatch('approvals.approve', { id }, as('supervisor', 'sup.qian'));
    expect(offline).toMatchObject({ ok: false, error: { code: 'APPROVAL_NEEDS_HQ' } });
    expect(store.get(customer.id)!.customer.legalName).toBe(customer.legalName);
    expect(outbox()).toBe(queued);
    expect(
      value<{ changes: { id: number; status: string }[] }>(
        await dispatch('approvals.list', { customerId: customer.id }, as('supervisor', 'sup.qian')),
      ).changes,
    ).toMatchObject([{ id, status: 'pending' }]);
    expect(log.entries({ action: 'approve', target: customer.id })).toEqual([]);
  });

  it('rejects with a reason: nothing applied; after an edit to another field a change still waits, for HQ only', async () => {
    const customer = people[3]!;
    const { pendingChangeId } = await propose(as('teller', 'teller.wang'), customer, '赵一');
    const rejected = value<{ change: { status: string; reason: string } }>(
      await dispatch(
        'approvals.reject',
        { id: pendingChangeId!, reason: '证件照片与本人不符' },
        as('supervisor', 'sup.qian'),
      ),
    );
    expect(rejected.change).toMatchObject({ status: 'rejected', reason: '证件照片与本人不符' });
    expect(store.get(customer.id)!.customer.legalName).toBe(customer.legalName);
    expect(log.entries({ action: 'reject', target: customer.id })).toHaveLength(1);

    const stale = await propose(as('teller', 'teller.wang'), customer, '赵二');
    value(
      await dispatch(
        'customer.update',
        { id: customer.id, baseVersion: customer.version, changes: { email: 'z@example.com' } },
        as('teller', 'teller.wang'),
      ),
    );
    const late = await dispatch(
      'approvals.approve',
      { id: stale.pendingChangeId! },
      as('supervisor', 'sup.qian'),
    );
    // The email moved, not the name: the change is not stale (it would be applied to the record as
    // it stands; hq/held-changes.test.ts does it online), only HQ is missing here.
    expect(late).toMatchObject({ ok: false, error: { code: 'APPROVAL_NEEDS_HQ' } });
    expect(store.get(customer.id)!.customer.legalName).toBe(customer.legalName);
  });
});
