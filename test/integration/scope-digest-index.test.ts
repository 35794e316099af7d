// The scope digest that ends every pull reads the covering index of vault migration 15 alone:
// through the id index it read each record too (2.8 s against 0.26 s on 100k customers here),
// a bucket at a time.
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BUCKET_TERMS } from '../../electron/core/sync/scope-check';
import { createVault } from '../../electron/core/vault';
import { profileSandbox, realSecretStore } from '../support/keyring';

const secrets = realSecretStore();

describe('the scope digest query', () => {
  const sandbox = profileSandbox(secrets);
  afterAll(() => sandbox.cleanup());

  it('is a range seek of the covering index per bucket, without the table or a sort', () => {
    const vault = createVault(join(sandbox.path, 'vault'), secrets);
    sandbox.forget(vault.profileId);
    try {
      const plan = vault.db.prepare(`EXPLAIN QUERY PLAN ${BUCKET_TERMS}`).all('0a', '0b') as {
        detail: string;
      }[];
      // A sum needs no order: the bucket's entries are read as the index holds them.
      expect(plan.map((step) => step.detail)).toEqual([
        'SEARCH customer USING COVERING INDEX customer_scope (id>? AND id<?)',
      ]);
    } finally {
      vault.close();
    }
  });
});
