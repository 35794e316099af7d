// The customer's copy at the counter (出具个人信息副本, PIPL Art. 45), in Chromium: a supervisor
// opens the customer, confirms they are present and identified, a second supervisor co-signs on
// the same desk; the copy from HQ shows in full, ready to print, and leaves nothing on disk when
// the window closes. Without the identity check, or with a teller's credentials, no copy.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CustomerStore } from '../../electron/core/customers';
import type { Customer } from '../../shared/customer';
import { screenshot } from '../support/browser';
import { addDeskStaff, deskUnavailable, openDesk, type Desk } from '../support/desk';
import { filesContaining } from '../support/files';

describe.skipIf(deskUnavailable)('the customer’s copy at the counter, in Chromium', () => {
  let desk: Desk;
  let someone: Customer;
  let cosigner: { password: string; code: () => Promise<string> };
  const page = () => desk.page;

  beforeAll(async () => {
    desk = await openDesk({ seed: 61, customers: 40 });
    // A second supervisor of the branch.
    cosigner = await addDeskStaff(desk, 'supervisor2', { name: '主管 周敏', roles: 'supervisor' });
    const id = desk.vault.db
      .prepare("SELECT id FROM customer WHERE kind = 'individual' ORDER BY customer_number LIMIT 1")
      .pluck()
      .get() as string;
    someone = new CustomerStore(desk.vault.db).get(id)!.customer;
  }, 240_000);
  afterAll(async () => {
    await desk?.close();
  });

  async function openCustomer() {
    await page().getByTestId('nav-search').click();
    await page().getByTestId('search-input').fill(someone.customerNumber);
    await page().getByTestId('search-result').first().waitFor();
    await page().getByTestId('search-input').press('Enter');
    await page().getByTestId('customer-view').waitFor();
  }
  async function fillCosigner(username: string, password: string, totp: string) {
    await page().getByTestId('counter-copy-username').fill(username);
    await page().getByTestId('counter-copy-password').fill(password);
    await page().getByTestId('counter-copy-totp').fill(totp);
  }

  it('is offered to supervisors only', async () => {
    await desk.signIn('teller1');
    await openCustomer();
    await expect(page().getByTestId('counter-copy-open').count()).resolves.toBe(0);
    await desk.signOut();
  });

  it('shows the whole copy once the customer is identified and a second supervisor co-signs', async () => {
    await desk.signIn('supervisor1');
    await openCustomer();
    await page().getByTestId('counter-copy-open').click();
    await page().getByTestId('counter-copy-form').waitFor();
    // Not without checking the customer's identity.
    await fillCosigner('supervisor2', cosigner.password, '000000');
    await page().getByTestId('counter-copy-submit').click();
    await page().getByText('须先核验客户本人身份').waitFor();
    // A teller's credentials are no second supervisor's: HQ refuses, nothing is shown.
    await page().getByTestId('counter-copy-identity').check();
    await fillCosigner('teller1', desk.staff.get('teller1')!.password, await desk.code('teller1'));
    await page().getByTestId('counter-copy-submit').click();
    await page().getByTestId('counter-copy-error').waitFor();
    expect(await page().getByTestId('counter-copy-error').textContent()).toContain('复核主管');
    await expect(page().getByTestId('counter-copy-report').count()).resolves.toBe(0);

    await fillCosigner('supervisor2', cosigner.password, await cosigner.code());
    await screenshot(page(), 'counter-copy-form');
    await page().getByTestId('counter-copy-submit').click();
    const report = page().getByTestId('counter-copy-report');
    await report.waitFor();
    // The customer's own data, unmasked: name and ID number in full.
    const text = (await report.textContent()) ?? '';
    expect(text).toContain('个人信息副本');
    expect(text).toContain(someone.legalName);
    expect(text).toContain(someone.identityDocuments[0]!.number);
    expect(text).toContain('谁访问过您的信息');
    // Ready to print: the page to print holds the same report alone.
    expect(await page().getByTestId('counter-copy-print-view').textContent()).toContain(
      someone.legalName,
    );
    await screenshot(page(), 'counter-copy');

    // Closed: gone from the page, and never on the desk's disk.
    await page().getByTestId('counter-copy-close').click();
    await page().getByTestId('counter-copy-report').waitFor({ state: 'detached' });
    await expect(page().getByTestId('counter-copy-print-view').count()).resolves.toBe(0);
    for (const value of [someone.legalName, someone.identityDocuments[0]!.number])
      expect(filesContaining(desk.dataDir, Buffer.from(value))).toEqual([]);
    // Audited on the device as an export of this customer, naming the co-signer.
    const exported = desk.vault.db
      .prepare(
        "SELECT details FROM audit_log WHERE action = 'export' AND target = ? ORDER BY seq DESC LIMIT 1",
      )
      .pluck()
      .get(someone.id) as string;
    expect(JSON.parse(exported)).toMatchObject({ what: 'privacy_copy', cosigner: 'supervisor2' });
  });
});
