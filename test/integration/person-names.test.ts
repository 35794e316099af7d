// The name rules at the core's boundary: customer.create and customer.update, through the
// command table on a real encrypted vault, refuse a person's name with emoji or digits by its
// code (the desk words it), store a minority name's middle dot normalised, and leave a
// company's registered name to the looser rule.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch, type CommandContext, type CommandResult } from '../../electron/core/commands';
import { createVault, openVault, type Vault } from '../../electron/core/vault';
import { corporateInput, individualInput } from '../unit/customer/examples';
import { newCustomer } from '../support/customers';
import { profileSandbox, realSecretStore } from '../support/keyring';

const secrets = realSecretStore();

function value<T = Record<string, unknown>>(result: CommandResult): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message.en}`);
  return result.value as T;
}

describe('person names at the core', () => {
  const sandbox = profileSandbox(secrets);
  let vault: Vault;
  let context: CommandContext;
  /** The person stored by the second test, edited by the third. */
  let person: { id: string; version: number; legalName: string };

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

  it('refuses to create a customer named with emoji or digits, and stores nothing', async () => {
    for (const [legalName, code] of [
      ['😀😀测试', 'PERSON_NAME_EMOJI'],
      ['王惠2', 'PERSON_NAME_DIGITS'],
    ] as const) {
      const result = await dispatch(
        'customer.create',
        { customer: newCustomer(individualInput({ legalName })) },
        context,
      );
      expect(result).toMatchObject({
        ok: false,
        error: { code: 'CUSTOMER_INVALID', details: { issues: `legalName: ${code}` } },
      });
    }
    const count = vault.db.prepare('SELECT count(*) FROM customer').pluck().get();
    expect(count).toBe(0);
  });

  it('stores a minority name with its middle dot normalised, and a company name with digits', async () => {
    person = value<{ customer: typeof person }>(
      await dispatch(
        'customer.create',
        { customer: newCustomer(individualInput({ legalName: '阿依古丽・买买提' })) },
        context,
      ),
    ).customer;
    expect(person.legalName).toBe('阿依古丽·买买提');
    const company = value<{ customer: { legalName: string } }>(
      await dispatch(
        'customer.create',
        { customer: newCustomer(corporateInput({ legalName: '3M中国有限公司' })) },
        context,
      ),
    );
    expect(company.customer.legalName).toBe('3M中国有限公司');
  });

  it('refuses an update that gives a person an English name with digits or Chinese characters', async () => {
    const customer = person;
    for (const [englishName, code] of [
      ['Li Na 2', 'PERSON_NAME_DIGITS'],
      ['Li 娜', 'PERSON_NAME_LATIN_ONLY'],
    ] as const) {
      const result = await dispatch(
        'customer.update',
        { id: customer.id, baseVersion: customer.version, changes: { englishName } },
        // A signed-in teller, who may propose an identity change (held for a supervisor).
        {
          principal: { kind: 'user', userId: 'u-teller1', username: 'teller1', roles: ['teller'] },
          secrets,
          vault,
        },
      );
      expect(result).toMatchObject({
        ok: false,
        error: { code: 'CUSTOMER_INVALID', details: { issues: `englishName: ${code}` } },
      });
    }
  });
});
