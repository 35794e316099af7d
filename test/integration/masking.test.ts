// What staff see through the command table: PII masked in every customer result, a field shown
// in clear only through its reveal command, with the permission and a reason, and audited.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../../electron/core/audit/log';
import { dispatch, type CommandContext, type CommandResult } from '../../electron/core/commands';
import { CustomerStore } from '../../electron/core/customers';
import { StaffSession } from '../../electron/core/session/session';
import { createVault, openVault, type Vault } from '../../electron/core/vault';
import { randomUUID } from 'node:crypto';
import { CustomerService } from '../../electron/core/customers';
import {
  MASKED,
  maskFieldValue,
  maskIdNumber,
  maskName,
  maskPhone,
} from '../../shared/access/masking';
import type { Role } from '../../shared/access/permissions';
import type { Customer } from '../../shared/customer';
import { generateCustomers } from '../../shared/synthetic';
import { profileSandbox, realSecretStore } from '../support/keyring';

const secrets = realSecretStore();
const people: Customer[] = [
  ...generateCustomers({ seed: 12, count: 300, branches: ['B001'], rmsPerBranch: 2 }),
];
const person = people.find(
  (c) =>
    c.kind === 'individual' &&
    c.phones.length > 0 &&
    c.addresses.length > 0 &&
    c.pinyinName !== undefined &&
    [...c.legalName].length === 3,
)!;
// A name in every script a record holds, for the name rule.
person.englishName = 'Sanfeng Zhang';

function value<T = Record<string, unknown>>(result: CommandResult): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message.en}`);
  return result.value as T;
}

describe('masking and reveals for staff', () => {
  const sandbox = profileSandbox(secrets);
  let vault: Vault;
  let log: AuditLog;
  const as = (role: Role): CommandContext => ({
    principal: { kind: 'user', userId: `u-${role}`, username: `${role}.li`, roles: [role] },
    secrets,
    vault,
  });

  beforeAll(() => {
    const dataDir = join(sandbox.path, 'masking');
    const created = createVault(dataDir, secrets);
    sandbox.forget(created.profileId);
    created.close();
    vault = openVault(dataDir, secrets);
    new CustomerStore(vault.db).insertMany(people);
    log = new AuditLog(vault);
  });
  afterAll(() => {
    vault.close();
    sandbox.cleanup();
  });

  it('masks identifiers in search results and records, and names for a role that may not see them', async () => {
    const number = person.identityDocuments[0]!.number;
    const { items } = value<{
      items: {
        id: string;
        displayName: string;
        identityDocumentNumber: string;
        primaryPhone?: string;
      }[];
    }>(await dispatch('customer.search', { query: number }, as('teller')));
    expect(items[0]).toMatchObject({
      id: person.id,
      displayName: person.legalName,
      identityDocumentNumber: maskIdNumber(number),
    });
    const shown = value<{ customer: Customer }>(
      await dispatch('customer.show', { id: person.id }, as('teller')),
    );
    expect(JSON.stringify(shown)).not.toContain(number);
    expect(shown.customer.phones[0]!.e164).toBe(maskPhone(person.phones[0]!.e164));

    const audited = value<{ items: { displayName: string }[] }>(
      await dispatch('customer.search', { query: number }, as('auditor')),
    );
    expect(audited.items[0]!.displayName).toBe(maskName(person.legalName));
  });

  it('reveals one field in clear for a reason, and records who saw what and why', async () => {
    const before = log.head().seq;
    const revealed = value<{ value: string }>(
      await dispatch(
        'customer.reveal.phone',
        { id: person.id, reason: 'customer_present_verified' },
        as('teller'),
      ),
    );
    expect(revealed.value).toBe(person.phones[0]!.e164);
    const [entry] = log.entries({ fromSeq: before + 1 });
    expect(entry).toMatchObject({ action: 'reveal', target: person.id, actor: 'user:teller.li' });
    expect(JSON.parse(entry!.details)).toEqual({
      field: 'phone',
      reason: 'customer_present_verified',
      index: 0,
    });
  });

  it('refuses a reveal without the permission, without a listed reason, or of nothing', async () => {
    const denied = await dispatch(
      'customer.reveal.identity_number',
      { id: person.id, reason: 'complaint_handling' },
      as('relationship_manager'),
    );
    expect(denied).toMatchObject({ ok: false, error: { code: 'PERMISSION_DENIED' } });
    expect(log.entries({ action: 'denied' }).at(-1)).toMatchObject({
      actor: 'user:relationship_manager.li',
    });

    const noReason = await dispatch(
      'customer.reveal.phone',
      { id: person.id, reason: 'just curious' },
      as('teller'),
    );
    expect(noReason).toMatchObject({ ok: false, error: { code: 'INPUT_INVALID' } });

    const before = log.head().seq;
    const absent = await dispatch(
      'customer.reveal.phone',
      { id: person.id, reason: 'data_correction', index: 19 },
      as('teller'),
    );
    expect(absent).toMatchObject({ ok: false, error: { code: 'CUSTOMER_FIELD_ABSENT' } });
    expect(log.head().seq).toBe(before); // nothing shown, nothing to record
  });

  it('masks a change HQ refused whole, field by field, for every role', async () => {
    const sync = new CustomerService(vault).sync;
    const common = {
      mutationId: randomUUID(),
      customerId: person.id,
      hlc: '000001767225600000-0000-device',
      actor: 'user:teller.li',
      device: randomUUID(),
    };
    vault.db.transaction(() => {
      sync.reject(
        { kind: 'create', ...common, customer: person as unknown as Record<string, unknown> },
        null,
        'CUSTOMER_EXISTS',
        person,
      );
      sync.reject(
        {
          kind: 'update',
          ...common,
          mutationId: randomUUID(),
          baseVersion: person.version,
          fields: { phones: { from: [], to: person.phones } },
        },
        null,
        'OUT_OF_SCOPE',
        { phones: { from: [], to: person.phones } },
      );
    })();
    for (const role of ['teller', 'auditor'] as const) {
      const listed = JSON.stringify(value(await dispatch('sync.rejected.list', {}, as(role))));
      expect(listed, role).not.toContain(person.identityDocuments[0]!.number);
      expect(listed, role).not.toContain(person.phones[0]!.e164.slice(3));
      expect(listed, role).not.toContain(person.addresses[0]!.line);
      expect(listed, role).toContain(maskIdNumber(person.identityDocuments[0]!.number));
    }
  });

  it("masks every name of a record by the role's name rule", async () => {
    const { id } = person;
    const shown = value<{ customer: Customer }>(
      await dispatch('customer.show', { id }, as('auditor')),
    );
    expect(shown.customer.legalName).toBe(maskName(person.legalName));
    expect(shown.customer.pinyinName).toBe(maskName(person.pinyinName!));
    expect(shown.customer.englishName).toBe(maskName('Sanfeng Zhang'));
    const teller = value<{ customer: Customer }>(
      await dispatch('customer.show', { id }, as('teller')),
    );
    expect(teller.customer.englishName).toBe('Sanfeng Zhang');
  });

  it('records what staff searched for masked, so the audit log names no one', async () => {
    const number = person.identityDocuments[0]!.number;
    const phone = person.phones[0]!.e164.slice(3);
    for (const query of [number, phone, person.legalName])
      value(await dispatch('customer.search', { query }, as('supervisor')));
    const read = async (role: Role) =>
      JSON.stringify(value(await dispatch('audit.export', { action: 'search' }, as(role))));
    const auditor = await read('auditor');
    for (const query of [number, phone, person.legalName]) expect(auditor).not.toContain(query);
    expect(auditor).toContain(maskIdNumber(number));
    expect(auditor).toContain(maskName(person.legalName));
    // Recorded masked (the log outlives a customer's erasure): not even a supervisor, who may
    // reveal every class, reads a query as typed.
    const supervisor = await read('supervisor');
    for (const query of [number, phone, person.legalName]) expect(supervisor).not.toContain(query);
    expect(supervisor).toContain(maskIdNumber(number));
    expect(supervisor).toContain(maskName(person.legalName));
  });

  it('masks free text and unlisted details in the audit log, and writes no unknown name down', async () => {
    const number = person.identityDocuments[0]!.number;
    const other = people.find((c) => c.id !== person.id && c.kind === 'individual')!;
    const held = value<{ pendingChangeId: number }>(
      await dispatch(
        'customer.update',
        { id: other.id, baseVersion: other.version, changes: { legalName: '李四' } },
        as('teller'),
      ),
    );
    const reason = `customer ${number} asked us to wait`;
    value(
      await dispatch('approvals.reject', { id: held.pendingChangeId, reason }, as('supervisor')),
    );
    // A password typed into the username field: the attempt is recorded, the name is not.
    const typed = 'Secret-pass-123';
    await dispatch(
      'session.login',
      { username: typed, password: 'x', totp: '000000' },
      { principal: { kind: 'anonymous' }, secrets, vault, session: new StaffSession() },
    );
    expect(log.entries({ action: 'login_failure' }).at(-1)).toMatchObject({ actor: 'unknown' });
    for (const role of ['auditor', 'supervisor'] as const) {
      const { entries } = value<{ entries: { action: string; details: string }[] }>(
        await dispatch('audit.export', {}, as(role)),
      );
      const text = JSON.stringify(entries);
      expect(text, role).not.toContain(typed);
      const rejection = entries.find((entry) => entry.action === 'reject')!;
      expect(JSON.parse(rejection.details), role).toEqual({
        pendingChangeId: held.pendingChangeId,
        maker: 'user:teller.li',
        reason: MASKED,
      });
      const failure = entries.find((entry) => entry.action === 'login_failure')!;
      expect(JSON.parse(failure.details), role).toMatchObject({ reason: 'offline_unavailable' });
    }
  });

  it('masks a field without a rule, and has a rule for every field a record holds', async () => {
    expect(maskFieldValue('someFieldAddedLater', '110101199003070012', { names: false })).toBe(
      MASKED,
    );
    expect(maskFieldValue('identityDocuments', 'not a list', { names: false })).toBe(MASKED);
    for (const role of ['teller', 'auditor'] as const) {
      const { customer } = value<{ customer: Record<string, unknown> }>(
        await dispatch('customer.show', { id: person.id }, as(role)),
      );
      const blanked = Object.keys(customer).filter((field) => customer[field] === MASKED);
      expect(blanked, role).toEqual([]);
    }
  });
});
