// A restricted customer (限制处理, PIPL Art. 47) at the desk, in Chromium: after HQ restricts them
// and the desk syncs, the customer 360 says so and why, shows the record masked for a supervisor
// (who may reveal anyone else's) with no reveal or edit control, a consent to withdraw but none
// to grant, and search shows them masked.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CustomerStore } from '../../electron/core/customers';
import { openDatabase } from '../../hq/db/database';
import { restrictCustomer } from '../../hq/privacy/restriction';
import type { Customer } from '../../shared/customer';
import { screenshot, seriousViolations } from '../support/browser';
import { deskUnavailable, openDesk, type Desk } from '../support/desk';
import { startHq, type RunningHq } from '../support/hq';

describe.skipIf(deskUnavailable)('a restricted customer in Chromium', () => {
  let desk: Desk;
  let someone: Customer;
  let restarted: RunningHq | undefined;
  const page = () => desk.page;

  beforeAll(async () => {
    desk = await openDesk({ seed: 53, customers: 40 });
    const id = desk.vault.db
      .prepare("SELECT id FROM customer WHERE kind = 'individual' ORDER BY customer_number LIMIT 1")
      .pluck()
      .get() as string;
    someone = new CustomerStore(desk.vault.db).get(id)!.customer;
    // HQ restricts them (with HQ stopped: PGlite has one process at a time), then the desk syncs.
    const port = Number(new URL(desk.server.url).port);
    await desk.server.stop();
    const db = await openDatabase({ dataDir: desk.hq.dataDir });
    await restrictCustomer(db, id, { reason: 'legal_hold' }, 'hq:privacy1');
    await db.close();
    restarted = await startHq(desk.hq, { port });
    await desk.host.syncNow();
  }, 240_000);
  afterAll(async () => {
    await restarted?.stop();
    await desk?.close();
  });

  it('says why, masks the record for a supervisor, and offers no reveal', async () => {
    await desk.signIn('supervisor1');
    await page().getByTestId('search-input').fill(someone.customerNumber);
    const result = page().getByTestId('search-result').first();
    await expect.poll(() => result.textContent()).toContain(someone.customerNumber);
    expect(await result.textContent()).not.toContain(someone.legalName);
    await page().getByTestId('search-input').press('Enter');
    await page().getByTestId('customer-restricted').waitFor();
    expect(await page().getByTestId('customer-restricted').textContent()).toContain(
      '法律或调查保全',
    );
    expect(await page().getByTestId('customer-name').textContent()).not.toBe(someone.legalName);
    expect(await page().locator('[data-testid^="reveal-"]').count()).toBe(0);
    expect(await page().locator('[data-testid^="edit-"]').count()).toBe(0);
    await screenshot(page(), 'customer-restricted-zh');
    // A consent can be withdrawn, not granted.
    await page().getByTestId('customer-tab-consents').click();
    await page().getByTestId('consent-table').waitFor();
    expect(await page().locator('[data-testid^="consent-withdraw-"]').count()).toBe(6);
    expect(await page().locator('[data-testid^="consent-grant-"]').count()).toBe(0);
    expect(await seriousViolations(page())).toEqual([]);
  });
});
