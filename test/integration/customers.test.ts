// Customer commands through the command table, on a real encrypted vault: create, show, update
// with optimistic versions, duplicate documents refused, probable duplicates reported.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { dispatch, type CommandContext, type CommandResult } from '../../electron/core/commands';
import { createVault, openVault, type Vault } from '../../electron/core/vault';
import { commandNames } from '../../shared/commands/contract';
import { corporateInput, individualInput } from '../unit/customer/examples';
import { newCustomer } from '../support/customers';
import { profileSandbox, realSecretStore } from '../support/keyring';

const secrets = realSecretStore();
function value<T = Record<string, unknown>>(result: CommandResult): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message.en}`);
  return result.value as T;
}

describe('customer commands', () => {
  const sandbox = profileSandbox(secrets);
  let vault: Vault;
  let context: CommandContext;

  beforeAll(() => {
    const dataDir = join(sandbox.path, 'profile');
    const created = createVault(dataDir, secrets);
    sandbox.forget(created.profileId);
    created.close();
    vault = openVault(dataDir, secrets);
    context = { principal: { kind: 'local_operator', osUser: 'teller-test' }, secrets, vault };
  });
  afterAll(() => {
    vault.close();
    sandbox.cleanup();
  });

  it('creates a customer with a new id, a valid customer number, version 1 and its provenance', async () => {
    const { customer } = value<{ customer: Record<string, unknown> }>(
      await dispatch('customer.create', { customer: newCustomer(individualInput()) }, context),
    );
    expect(customer.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(customer.customerNumber).toMatch(/^C\d{10}$/);
    expect(customer).toMatchObject({
      version: 1,
      updatedBy: 'os:teller-test',
      updatedByDevice: vault.profileId,
    });
    const shown = value(
      await dispatch('customer.show', { customerNumber: customer.customerNumber }, context),
    );
    expect(shown).toMatchObject({
      customer: { id: customer.id, legalName: '张伟' },
      hasPendingChanges: true,
    });
  });

  it('refuses a second customer with the same identity document, naming the existing one', async () => {
    const first = value<{ customer: { customerNumber: string } }>(
      await dispatch('customer.create', { customer: newCustomer(corporateInput()) }, context),
    );
    const second = await dispatch(
      'customer.create',
      { customer: newCustomer(corporateInput()) },
      context,
    );
    expect(second).toMatchObject({
      ok: false,
      error: {
        code: 'CUSTOMER_DUPLICATE_DOCUMENT',
        details: { customerNumber: first.customer.customerNumber },
      },
    });
  });

  it('warns, without refusing, about a probable duplicate: same phone and a similar name', async () => {
    const base = individualInput();
    const other = {
      ...newCustomer(base),
      legalName: '张玮',
      chineseName: '张玮',
      identityDocuments: [{ ...base.identityDocuments[0]!, number: '110105198506150014' }],
    };
    const result = value<{ probableDuplicates: { reason: string }[] }>(
      await dispatch('customer.create', { customer: other }, context),
    );
    expect(result.probableDuplicates.map((duplicate) => duplicate.reason)).toContain(
      'same_phone_similar_name',
    );
    const report = value<{ groups: { reason: string; customers: unknown[] }[] }>(
      await dispatch('customer.duplicates', {}, context),
    );
    expect(
      report.groups.some(
        (group) => group.reason === 'same_phone_similar_name' && group.customers.length >= 2,
      ),
    ).toBe(true);
  });

  it('refuses an invalid record with paths and codes, never the values', async () => {
    const bad = { ...newCustomer(individualInput()), birthDate: '1985-06-16' }; // ID says 1985-06-15
    const result = await dispatch('customer.create', { customer: bad }, context);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('CUSTOMER_INVALID');
      expect(result.error.details.issues).toMatch(/identityDocuments\.0/);
      expect(JSON.stringify(result.error)).not.toContain('110105198506150030');
    }
  });

  it('updates against the current version, bumps it, and refuses a change made on an older one', async () => {
    const base = individualInput();
    const created = value<{ customer: { id: string; version: number } }>(
      await dispatch(
        'customer.create',
        {
          customer: {
            ...newCustomer(base),
            legalName: '李娜',
            chineseName: '李娜',
            gender: 'female',
            identityDocuments: [{ ...base.identityDocuments[0]!, number: '110105198506150049' }],
            phones: [{ kind: 'mobile', e164: '+8613900139000', primary: true }],
          },
        },
        context,
      ),
    );
    const id = created.customer.id;
    const changed = value<{ customer: { version: number; email: string } }>(
      await dispatch(
        'customer.update',
        { id, baseVersion: 1, changes: { email: 'li.na@example.com' } },
        context,
      ),
    );
    expect(changed.customer).toMatchObject({ version: 2, email: 'li.na@example.com' });
    const stale = await dispatch(
      'customer.update',
      { id, baseVersion: 1, changes: { email: 'x@example.com' } },
      context,
    );
    expect(stale).toMatchObject({
      ok: false,
      error: { code: 'CUSTOMER_VERSION_CONFLICT', details: { current: 2, base: 1 } },
    });
    // HQ-owned: refused as read-only even to a supervisor (the local operator may not touch it at
    // all: it changes no identity or HQ-owned field).
    const readOnly = await dispatch(
      'customer.update',
      { id, baseVersion: 2, changes: { accounts: [] } },
      {
        ...context,
        principal: { kind: 'user', userId: 'u-sup', username: 'sup', roles: ['supervisor'] },
      },
    );
    expect(readOnly).toMatchObject({ ok: false, error: { code: 'CUSTOMER_FIELD_READ_ONLY' } });
    const unknownField = await dispatch(
      'customer.update',
      { id, baseVersion: 2, changes: { version: 99 } },
      context,
    );
    expect(unknownField).toMatchObject({ ok: false, error: { code: 'INPUT_INVALID' } });
  });

  it('refuses customer commands when no vault is open', async () => {
    const { vault: _omitted, ...withoutVault } = context;
    expect(await dispatch('customer.search', { query: '张伟' }, withoutVault)).toMatchObject({
      ok: false,
      error: { code: 'VAULT_NOT_OPEN' },
    });
  });

  it('refuses every customer command to a caller without permissions', async () => {
    const anonymous: CommandContext = { principal: { kind: 'anonymous' }, secrets, vault };
    for (const name of commandNames.filter((command) => command.startsWith('customer.'))) {
      const result = await dispatch(name, {}, anonymous);
      expect(result, name).toMatchObject({ ok: false, error: { code: 'PERMISSION_DENIED' } });
    }
  });

  it('finds what it created, through the same search the desk uses', async () => {
    const found = value<{ items: { displayName: string; matchedField: string }[] }>(
      await dispatch('customer.search', { query: '110105198506150030' }, context),
    );
    expect(found.items[0]).toMatchObject({ displayName: '张伟', matchedField: 'id_number' });
    const long = await dispatch('customer.search', { query: 'x'.repeat(10_000) }, context);
    expect(long).toMatchObject({ ok: false, error: { code: 'INPUT_INVALID' } });
  });
});
