// A replaced customer's search terms move only when they changed, told by the stamp of its terms
// kept on its row (customers/terms.ts termsStamp, vault migration 29): a replace with the same
// stamp does not read the old record. Over random runs of edits that change terms (a phone, the
// name) and edits that change none (the e-mail), local and from HQ, and rows whose stamp is not
// known yet (a vault migrated from before the stamps), the index always holds exactly each
// record's terms and each stamp is its terms'.
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { CustomerStore, customerTerms, termsStamp } from '../../electron/core/customers';
import { createVault } from '../../electron/core/vault';
import type { Customer } from '../../shared/customer';
import { generateCustomers } from '../../shared/synthetic';
import { profileSandbox, realSecretStore } from '../support/keyring';
import { termIndexProblems } from '../support/term-index';

const secrets = realSecretStore();

describe('the stamp of a customer’s search terms', () => {
  const sandbox = profileSandbox(secrets);
  afterAll(() => sandbox.cleanup());

  it('moves the terms of a replaced record exactly when they changed', () => {
    const vault = createVault(join(sandbox.path, 'vault'), secrets);
    sandbox.forget(vault.profileId);
    try {
      const store = new CustomerStore(vault.db);
      const customers = [
        ...generateCustomers({ seed: 29, count: 40, branches: ['B001'], rmsPerBranch: 2 }),
      ];
      store.insertMany(customers, { pending: false });
      expect(termIndexProblems(vault.db)).toEqual([]);
      const ids = customers.map((customer) => customer.id);
      const edit = fc.record({
        pick: fc.nat(),
        kind: fc.constantFrom('email', 'phone', 'name', 'forget-stamp'),
        pending: fc.boolean(),
        n: fc.integer({ min: 1000_0000, max: 9999_9999 }),
      });
      let version = 100;
      fc.assert(
        fc.property(fc.array(edit, { minLength: 1, maxLength: 15 }), (edits) => {
          for (const { pick, kind, pending, n } of edits) {
            const id = ids[pick % ids.length]!;
            if (kind === 'forget-stamp') {
              vault.db.prepare('UPDATE customer SET terms_stamp = NULL WHERE id = ?').run(id);
              continue;
            }
            const held = store.get(id)!.customer;
            const next: Customer = { ...held, version: ++version };
            if (kind === 'email') next.email = `c${n}@example.com`;
            if (kind === 'phone')
              next.phones = [
                {
                  id: held.phones[0]?.id ?? held.id,
                  kind: 'mobile',
                  e164: `+86139${n}`,
                  primary: true,
                },
              ];
            if (kind === 'name') next.legalName = n % 2 ? '测试甲' : '测试乙';
            store.replace(next, { pending });
          }
          expect(termIndexProblems(vault.db)).toEqual([]);
        }),
        { numRuns: 40, seed: 2929 },
      );
      // A row replaced since carries the stamp of its terms.
      const [id] = ids;
      const stamp = vault.db.prepare('SELECT terms_stamp FROM customer WHERE id = ?').pluck();
      store.replace({ ...store.get(id!)!.customer, version: ++version });
      expect(stamp.get(id)).toBe(termsStamp(customerTerms(store.get(id!)!.customer)));
    } finally {
      vault.close();
    }
  });
});
