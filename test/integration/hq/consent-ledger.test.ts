// The consent ledger, end to end on PGlite and on PostgreSQL: staff at two desks of one branch
// capture consents and withdrawals through `dispatch`, as the desk does, offline first. Each
// takes effect on its desk at once; a retried save records an event once; both desks' events
// reach HQ and the other desk with no conflict (the ledger is append-only); a withdrawal made on
// one desk stops marketing on the other after its next sync. Edits that would bypass the ledger,
// roles that may not capture consent and bad input are refused, and change nothing.
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
import {
  type Customer,
  currentConsents,
  hasConsent,
  localDay,
  marketingAudience,
} from '../../../shared/customer';
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
const databases = ['pglite', 'postgres'] as const;

function value(result: CommandResult): { customer: Customer } {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message.en}`);
  return result.value as { customer: Customer };
}

function refusal(result: CommandResult): string {
  if (result.ok) throw new Error('expected a refusal');
  return result.error.code;
}

describe.each(databases)('the consent ledger on %s', (database) => {
  const sandbox = profileSandbox(secrets);
  let cluster: PostgresCluster | undefined;
  let hq: HqEnv;
  let server: RunningHq;
  let account: HqAccount;
  const vaults: Vault[] = [];
  let someone: Customer;
  const admin = hqAdmin(
    () => server.url,
    () => account,
  );
  const today = () => localDay(Date.now());
  const at = (index: number, username: string, role: Role) => ({
    principal: { kind: 'user' as const, userId: `u-${username}`, username, roles: [role] },
    secrets,
    vault: vaults[index]!,
  });
  const held = (index: number) => new CustomerStore(vaults[index]!.db).get(someone.id)!.customer;
  const sync = (index: number) => syncRound(vaults[index]!, secrets);
  const atHq = async () =>
    (await admin.scope('B001')).get(someone.id)?.customer as Customer | undefined;
  /** Everything about the desk that a refused command must leave as it was. */
  const state = (index: number) =>
    JSON.stringify([
      held(index),
      vaults[index]!.db.prepare('SELECT count(*) FROM outbox').pluck().get(),
    ]);

  beforeAll(async () => {
    if (database === 'postgres') cluster = await startPostgres();
    hq = { dataDir: join(sandbox.path, 'hq'), ...(cluster ? { databaseUrl: cluster.url } : {}) };
    expect(
      hqCommand(hq, ['seed', '--customers', '30', '--branches', '1', '--seed', '11']).status,
    ).toBe(0);
    const codes = [0, 1].map(() =>
      hqCommand(hq, ['enroll-code', '--branch', 'B001']).stdout.trim(),
    );
    account = addHqUser(hq);
    server = await startHq(hq);
    for (const [index, code] of codes.entries()) {
      const dataDir = join(sandbox.path, `desk-${index}`);
      const enrolled = await enrollDevice(dataDir, secrets, { hqUrl: server.url, code });
      sandbox.forget(enrolled.profileId);
      vaults.push(openVault(dataDir, secrets));
      await sync(index);
    }
    const ids = vaults[0]!.db
      .prepare('SELECT id FROM customer ORDER BY id')
      .pluck()
      .all() as string[];
    someone = new CustomerStore(vaults[0]!.db).get(ids[0]!)!.customer;
  }, 240_000);

  afterAll(async () => {
    for (const vault of vaults) vault.close();
    await server?.stop();
    cluster?.stop();
    sandbox.cleanup();
  });

  it('takes a grant at once, offline, and records a retried save once', async () => {
    const teller = at(0, 'teller1', 'teller');
    const before = held(0).consents.length;
    const grant = {
      id: someone.id,
      consentId: randomUUID(),
      purpose: 'marketing_sms' as const,
      channel: 'branch' as const,
      noticeVersion: '2026-12',
      evidence: { kind: 'paper_form' as const, reference: 'PF-2026-0101' },
    };
    // No sync between: the desk may be offline, and the grant stands on it already.
    const saved = value(await dispatch('customer.grant_consent', grant, teller));
    expect(hasConsent(saved.customer, 'marketing_sms', today())).toBe(true);
    value(await dispatch('customer.grant_consent', grant, teller)); // its answer was lost
    const ledger = held(0).consents;
    expect(ledger).toHaveLength(before + 1);
    expect(ledger.at(-1)).toMatchObject({
      id: grant.consentId,
      purpose: 'marketing_sms',
      state: 'granted',
      channel: 'branch',
      noticeVersion: '2026-12',
      capturedBy: 'user:teller1',
      evidence: { kind: 'paper_form', reference: 'PF-2026-0101' },
    });
    expect(marketingAudience([held(0)], 'sms', today())).toHaveLength(1);

    // Audited with the purpose and the state, once per event recorded.
    const entries = new AuditLog(vaults[0]!).entries({ action: 'update', target: someone.id });
    const details = entries
      .map((entry) => JSON.parse(entry.details) as Record<string, unknown>)
      .filter((entry) => entry.consentId === grant.consentId);
    // Each save is recorded, the retried one too; the form's reference would be, never a name.
    expect(details).toEqual([
      {
        fields: ['consents'],
        consentId: grant.consentId,
        purpose: 'marketing_sms',
        state: 'granted',
        channel: 'branch',
        evidence: 'paper_form',
      },
      expect.objectContaining({ consentId: grant.consentId }),
    ]);
  });

  it('brings both desks’ events together at HQ and on each desk, with no conflict', async () => {
    const rm = at(1, 'rm1', 'relationship_manager');
    const paper = {
      id: someone.id,
      consentId: randomUUID(),
      purpose: 'group_data_sharing' as const,
      channel: 'branch' as const,
      noticeVersion: '2026-12',
      evidence: { kind: 'paper_form' as const, reference: 'PF-2026-0042' },
      expiresOn: '2099-12-31',
    };
    value(await dispatch('customer.grant_consent', paper, rm));

    await sync(0);
    await sync(1);
    await sync(0);
    const master = (await atHq())!;
    for (const index of [0, 1]) {
      expect(held(index).consents).toEqual(master.consents);
      const conflicts = await dispatch('sync.conflicts.list', {}, at(index, 'sup1', 'supervisor'));
      expect(conflicts.ok && (conflicts.value as { conflicts: unknown[] }).conflicts).toEqual([]);
    }
    const standing = currentConsents(master.consents, today());
    expect(standing.get('marketing_sms')?.standing).toBe('granted');
    expect(standing.get('group_data_sharing')?.event).toMatchObject({
      capturedBy: 'user:rm1',
      evidence: { kind: 'paper_form', reference: 'PF-2026-0042' },
      expiresOn: '2099-12-31',
    });
  });

  it('stops marketing on the other desk once a withdrawal made on one has synced', async () => {
    const rm = at(1, 'rm1', 'relationship_manager');
    const withdrawal = {
      id: someone.id,
      consentId: randomUUID(),
      purpose: 'marketing_sms' as const,
      channel: 'phone' as const,
      evidence: { kind: 'paper_form' as const, reference: 'PF-2026-0102' },
    };
    const saved = value(await dispatch('customer.withdraw_consent', withdrawal, rm));
    expect(hasConsent(saved.customer, 'marketing_sms', today())).toBe(false);
    // Desk 0 has not heard yet: its copy still allows SMS.
    expect(marketingAudience([held(0)], 'sms', today())).toHaveLength(1);

    await sync(1);
    await sync(0);
    expect(marketingAudience([held(0)], 'sms', today())).toEqual([]);
    expect(hasConsent(held(0), 'group_data_sharing', today())).toBe(true);
    const master = (await atHq())!;
    expect(
      master.consents.filter((event) => event.purpose === 'marketing_sms').at(-1),
    ).toMatchObject({ id: withdrawal.consentId, state: 'withdrawn', capturedBy: 'user:rm1' });
  });

  it('refuses what would bypass the ledger, roles without the permission and bad input', async () => {
    const before = state(0);
    const grant = {
      id: someone.id,
      consentId: randomUUID(),
      purpose: 'marketing_email' as const,
      channel: 'branch' as const,
      noticeVersion: '2026-12',
      evidence: { kind: 'paper_form' as const, reference: 'PF-2026-0103' },
    };
    // An auditor reads; IT sees no customer: neither captures consent.
    expect(refusal(await dispatch('customer.grant_consent', grant, at(0, 'aud1', 'auditor')))).toBe(
      'PERMISSION_DENIED',
    );
    expect(
      refusal(await dispatch('customer.withdraw_consent', grant, at(0, 'it1', 'it_admin'))),
    ).toBe('PERMISSION_DENIED');
    const teller = at(0, 'teller1', 'teller');
    // An edit of the record cannot add a consent without the ledger's facts.
    const current = held(0);
    const forged = {
      purpose: 'marketing_email',
      state: 'granted',
      at: new Date().toISOString(),
      channel: 'branch',
    };
    expect(
      refusal(
        await dispatch(
          'customer.update',
          {
            id: someone.id,
            baseVersion: current.version,
            changes: { consents: [...current.consents, forged] },
          },
          teller,
        ),
      ),
    ).toBe('CONSENT_LEDGER_ONLY');
    // A grant that has lapsed already, a purpose outside the catalogue, a paper form without
    // its reference.
    const lapsed = await dispatch(
      'customer.grant_consent',
      { ...grant, expiresOn: today() },
      teller,
    );
    expect(refusal(lapsed)).toBe('CONSENT_EXPIRY_PAST');
    expect(!lapsed.ok && lapsed.error.message['zh-CN']).toContain('到期日');
    for (const bad of [
      { ...grant, purpose: 'marketing' },
      { ...grant, evidence: { kind: 'paper_form' } },
      { ...grant, noticeVersion: '' },
      { ...grant, channel: 'fax' },
    ])
      expect(refusal(await dispatch('customer.grant_consent', bad, teller))).toBe('INPUT_INVALID');
    expect(state(0)).toBe(before);
  });

  it('refuses at HQ a consent event pushed without the ledger’s facts (an older or altered desk)', async () => {
    // Written past the command layer, as a desk that does not check would: no member of staff,
    // no evidence, no notice.
    const customers = new CustomerService(vaults[1]!);
    const event = {
      id: randomUUID(),
      purpose: 'marketing_phone',
      state: 'granted',
      at: new Date().toISOString(),
      channel: 'branch',
    };
    customers.appendEntry(someone.id, 'consents', event, { id: 'user:teller2' });
    const round = await sync(1);
    expect(round.push).toMatchObject({ rejected: 1, applied: 0 });
    expect(
      vaults[1]!.db
        .prepare('SELECT reason FROM sync_rejected WHERE customer_id = ? ORDER BY id DESC LIMIT 1')
        .pluck()
        .get(someone.id),
    ).toBe('CONSENT_INCOMPLETE');
    expect((await atHq())!.consents.some((known) => known.id === event.id)).toBe(false);
    // The same event with the facts, captured by the one who pushes it, is taken.
    customers.appendEntry(
      someone.id,
      'consents',
      {
        ...event,
        id: randomUUID(),
        capturedBy: 'user:teller2',
        noticeVersion: '2026-12',
        evidence: { kind: 'customer_screen' },
      },
      { id: 'user:teller2' },
    );
    expect((await sync(1)).push).toMatchObject({ applied: 1, rejected: 0 });
  });
});
