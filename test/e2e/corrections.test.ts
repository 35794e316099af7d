// A correction the customer asks for (客户申请更正, PIPL Art. 46), in Chromium: a teller ticks it
// while editing a phone and while proposing a new name; the phone's mutation waits for HQ marked
// as a correction, the name waits for a supervisor, whose inbox shows the mark; an ordinary edit
// carries none.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CustomerStore } from '../../electron/core/customers';
import type { Customer } from '../../shared/customer';
import { screenshot } from '../support/browser';
import { deskUnavailable, openDesk, type Desk } from '../support/desk';

describe.skipIf(deskUnavailable)('corrections the customer asks for, in Chromium', () => {
  let desk: Desk;
  let asked: Customer;
  let ordinary: Customer;
  const page = () => desk.page;
  const queued = (id: string) =>
    (
      desk.vault.db
        .prepare('SELECT mutation FROM outbox WHERE customer_id = ? ORDER BY rowid')
        .pluck()
        .all(id) as string[]
    ).map((text) => JSON.parse(text) as { fields: Record<string, unknown>; correction?: true });

  beforeAll(async () => {
    desk = await openDesk({ seed: 47, customers: 60 });
    const store = new CustomerStore(desk.vault.db);
    [asked, ordinary] = (
      desk.vault.db
        .prepare(
          "SELECT id FROM customer WHERE kind = 'individual' ORDER BY customer_number LIMIT 2",
        )
        .pluck()
        .all() as string[]
    ).map((id) => store.get(id)!.customer) as [Customer, Customer];
  }, 240_000);
  afterAll(async () => {
    await desk?.close();
  });

  async function openCustomer(customer: Customer) {
    await page().getByTestId('nav-search').click();
    await page().getByTestId('search-input').fill(customer.customerNumber);
    await page().getByTestId('search-result').first().waitFor();
    await page().getByTestId('search-input').press('Enter');
    await page().getByTestId('customer-view').waitFor();
  }
  async function addPhone(customer: Customer, number: string, correction: boolean) {
    await openCustomer(customer);
    await page().getByTestId('customer-tab-contacts').click();
    await page().getByTestId('edit-phone-0').click();
    await page().getByTestId('phone-input').fill(number);
    if (correction) await page().getByTestId('phone-correction').check();
    await page().getByTestId('phone-input').press('Control+s');
    await page().getByTestId('phone-input').waitFor({ state: 'detached' });
  }

  it('marks the edits the customer asked for, and only those', async () => {
    // Both sign in online once (the supervisor signs in offline later); then HQ goes away, so
    // what is queued stays to be read.
    await desk.signIn('supervisor1');
    await desk.signOut();
    await desk.signIn('teller1');
    await desk.server.stop();
    await addPhone(asked, '139 1234 5678', true);
    await addPhone(ordinary, '139 8765 4321', false);
    expect(queued(asked.id).at(-1)).toMatchObject({ correction: true });
    expect(queued(ordinary.id).at(-1)).not.toHaveProperty('correction');

    await page().getByTestId('customer-tab-profile').click();
    await page().getByTestId('edit-name-legalName').click();
    await page().getByTestId('name-legalName-input').fill('更正名');
    await page().getByTestId('name-legalName-correction').check();
    await screenshot(page(), 'correction-name-zh');
    await page().getByTestId('name-legalName-save').click();
    await page().getByTestId('awaiting-approval').waitFor();
    const held = desk.vault.db
      .prepare('SELECT id, correction FROM pending_change WHERE customer_id = ?')
      .get(ordinary.id) as { id: number; correction: number };
    expect(held.correction).toBe(1);

    await desk.signOut();
    await desk.signIn('supervisor1');
    await page().getByTestId('nav-approvals').click();
    await expect
      .poll(() => page().getByTestId(`held-${held.id}-correction`).textContent())
      .toBe('客户申请更正');
  });
});
