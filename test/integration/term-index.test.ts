// The term index in two parts: a bulk load's terms wait in customer_term_recent and are folded
// into customer_term in sorted passes (all at once, or a chunk of the smallest at a time). Searches, edits and removals must not be able to tell
// where a term is: the same vault searched before and after the fold gives the same answers,
// and a vault loaded with deferred terms answers exactly as one loaded directly.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CustomerService, CustomerStore } from '../../electron/core/customers';
import { nationalNumber } from '../../electron/core/customers/terms';
import { createVault, type Vault } from '../../electron/core/vault';
import type { Customer } from '../../shared/customer';
import { generateCustomers } from '../../shared/synthetic';
import { profileSandbox, realSecretStore } from '../support/keyring';

const secrets = realSecretStore();
const COUNT = 2000;
const customers: Customer[] = [
  ...generateCustomers({ seed: 77, count: COUNT, branches: ['B001'], rmsPerBranch: 4 }),
];
const individuals = customers.filter((c) => c.kind === 'individual');

/** Queries of every kind a teller types, drawn from the loaded customers. */
const queries = individuals
  .slice(0, 40)
  .flatMap((c) => [
    c.identityDocuments[0]!.number,
    c.identityDocuments[0]!.number.slice(-6),
    nationalNumber(c.phones[0]?.e164 ?? '+8613800000000'),
    nationalNumber(c.phones[0]?.e164 ?? '+8613800000000').slice(-4),
    c.legalName,
    c.legalName.slice(0, 1),
  ]);

const recentCount = (vault: Vault) =>
  vault.db.prepare('SELECT count(*) FROM customer_term_recent').pluck().get() as number;

describe('the term index and its recent part', () => {
  const sandbox = profileSandbox(secrets);
  let direct: Vault;
  let deferred: Vault;
  const answers = (vault: Vault) => {
    const service = new CustomerService(vault);
    return queries.map((query) =>
      service.search.search(query, { limit: 50, offset: 0 }).items.map((item) => item.id),
    );
  };

  beforeAll(() => {
    direct = createVault(join(sandbox.path, 'direct'), secrets);
    deferred = createVault(join(sandbox.path, 'deferred'), secrets);
    sandbox.forget(direct.profileId);
    sandbox.forget(deferred.profileId);
    new CustomerStore(direct.db).insertMany(customers);
    const store = new CustomerStore(deferred.db);
    for (let start = 0; start < COUNT; start += 500)
      store.insertMany(customers.slice(start, start + 500), { deferTerms: true });
  });
  afterAll(() => {
    direct.close();
    deferred.close();
    sandbox.cleanup();
  });

  it('finds customers whose terms are still in the recent index, exactly as the main one does', () => {
    expect(recentCount(deferred)).toBeGreaterThan(COUNT * 10);
    expect(recentCount(direct)).toBe(0);
    const expected = answers(direct);
    expect(expected.flat().length).toBeGreaterThan(queries.length); // the queries do find people
    expect(answers(deferred)).toEqual(expected);
  });

  it('reports probable duplicates across both parts', () => {
    const groups = (vault: Vault) => new CustomerService(vault).duplicateGroups(500);
    expect(groups(deferred)).toEqual(groups(direct));
  });

  it('moves an edited customer’s terms wherever they were, and removes a customer from both', () => {
    const [edited, removed] = [individuals[3]!, individuals[5]!];
    const oldPhone = nationalNumber(edited.phones[0]!.e164);
    const removedKey = deferred.db
      .prepare('SELECT customer_key FROM customer WHERE id = ?')
      .pluck()
      .get(removed.id);
    for (const vault of [direct, deferred]) {
      const store = new CustomerStore(vault.db);
      store.replace({ ...edited, phones: [{ ...edited.phones[0]!, e164: '+8613912345678' }] });
      expect(store.remove(removed.id)).toBe(true);
    }
    for (const vault of [direct, deferred]) {
      const search = new CustomerService(vault).search;
      const ids = (query: string) =>
        search.search(query, { limit: 50, offset: 0 }).items.map((item) => item.id);
      expect(ids(oldPhone)).not.toContain(edited.id);
      expect(ids('13912345678')).toContain(edited.id);
      expect(ids(removed.identityDocuments[0]!.number)).toEqual([]);
    }
    // No term of the removed customer is left in either part.
    for (const table of ['customer_term', 'customer_term_recent'])
      expect(
        deferred.db
          .prepare(`SELECT count(*) FROM ${table} WHERE customer_key = ?`)
          .pluck()
          .get(removedKey),
      ).toBe(0);
    expect(answers(deferred)).toEqual(answers(direct));
  });

  it('folds the recent terms into the main index a chunk at a time, answering the same after every chunk', () => {
    const before = answers(deferred);
    const store = new CustomerStore(deferred.db);
    const recentTerms = () =>
      deferred.db
        .prepare('SELECT term, customer_key FROM customer_term_recent ORDER BY 1, 2')
        .all();
    const waitingTerms = recentTerms();
    const waiting = waitingTerms.length;
    expect(waiting).toBeGreaterThan(COUNT * 10);
    // Chunks of the smallest terms first (as a sync folds between its slices), then the rest in
    // one pass; a search in between sees every term in one part or the other.
    let moved = 0;
    for (let chunk = 0; chunk < 3; chunk++) {
      expect(store.foldRecentTerms(7_000)).toBe(7_000);
      moved += 7_000;
      expect(recentCount(deferred)).toBe(waiting - moved);
      expect(answers(deferred)).toEqual(before);
    }
    // The smallest went first: what is left is the tail of what waited, in order.
    expect(recentTerms()).toEqual(waitingTerms.slice(moved));
    expect(store.mergeRecentTerms()).toBe(waiting - moved);
    expect(recentCount(deferred)).toBe(0);
    expect(answers(deferred)).toEqual(before);
    expect(answers(deferred)).toEqual(answers(direct));
    // Both vaults hold the very same terms now.
    const terms = (vault: Vault) =>
      vault.db
        .prepare(
          `SELECT t.term, c.id FROM customer_term t JOIN customer c USING (customer_key) ORDER BY 1, 2`,
        )
        .all();
    expect(terms(deferred)).toEqual(terms(direct));
    expect(new CustomerStore(deferred.db).mergeRecentTerms()).toBe(0);
  });
});
