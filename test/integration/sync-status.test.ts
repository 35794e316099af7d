// sync.status reads the acknowledged audit position from the vault and binds it as a value: an
// anchor that is not a number (a vault edited by hand, a bug elsewhere) cannot change the query.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch, type CommandContext } from '../../electron/core/commands';
import { createVault, openVault, type Vault } from '../../electron/core/vault';
import { profileSandbox, realSecretStore } from '../support/keyring';

const secrets = realSecretStore();

describe('sync.status', () => {
  const sandbox = profileSandbox(secrets);
  let vault: Vault;

  beforeAll(() => {
    const dataDir = join(sandbox.path, 'status');
    const created = createVault(dataDir, secrets);
    sandbox.forget(created.profileId);
    created.close();
    vault = openVault(dataDir, secrets);
  });
  afterAll(() => {
    vault.close();
    sandbox.cleanup();
  });

  it('binds the acknowledged sequence instead of writing it into the SQL', async () => {
    const context: CommandContext = {
      principal: { kind: 'user', userId: 'u-1', username: 'teller.li', roles: ['teller'] },
      secrets,
      vault,
    };
    value(await dispatch('customer.search', { query: '张三' }, context));
    vault.db
      .prepare(
        `INSERT INTO vault_meta (key, value) VALUES ('audit.acknowledged', ?)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
      )
      .run(JSON.stringify({ seq: '0 OR 1 = 1) --', hash: '' }));
    const status = await dispatch('sync.status', {}, context);
    expect(status).toMatchObject({ ok: true });
  });
});

function value(result: Awaited<ReturnType<typeof dispatch>>) {
  if (!result.ok) throw new Error(result.error.code);
  return result.value;
}
