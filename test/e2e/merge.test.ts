// Merging duplicate customers at the desk, in Chromium (docs/QUALITY.md): one supervisor
// compares two records of one person side by side and proposes the merge; a second supervisor of
// the branch approves it at their own sign-in (never the proposer: the desk offers them nothing
// to click, and HQ would refuse); HQ merges, the desk follows at its sync, and the old customer
// number finds the survivor. Then the merge is undone from the same list, and both come back.
// Last, the branch's data quality (数据质量): the score, the trend, the customers behind a problem.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CustomerStore } from '../../electron/core/customers';
import type { Customer } from '../../shared/customer';
import { screenshot } from '../support/browser';
import { secondRegistrationOf } from '../support/duplicates';
import { addDeskStaff, deskUnavailable, openDesk, type Desk } from '../support/desk';
import { addHqUser, hqAdmin, startHq, type HqAccount } from '../support/hq';

const PASSPORT = { type: 'passport', number: 'E23456789', issuingCountry: 'CHN' } as const;

describe.skipIf(deskUnavailable)('merging duplicate customers in Chromium', () => {
  let desk: Desk;
  let survivor: Customer;
  let twin: Customer;
  let second: { password: string; code: () => Promise<string> };
  let admin: HqAccount;
  const page = () => desk.page;
  const held = (id: string) => new CustomerStore(desk.vault.db).get(id)?.customer;

  beforeAll(async () => {
    desk = await openDesk({ seed: 67, customers: 40 });
    second = await addDeskStaff(desk, 'supervisor2', { name: '主管 周敏', roles: 'supervisor' });
    const port = Number(new URL(desk.server.url).port);
    await desk.server.stop();
    admin = addHqUser(desk.hq, 'admin1', 'hq_admin');
    desk.server = await startHq(desk.hq, { port });
    const [first, other] = desk.vault.db
      .prepare("SELECT id FROM customer WHERE kind = 'individual' ORDER BY customer_number LIMIT 2")
      .pluck()
      .all() as [string, string];
    survivor = held(first)!;
    // The same person opened an account a second time, with their passport.
    await hqAdmin(() => desk.server.url, admin).edit(
      other,
      secondRegistrationOf(survivor, PASSPORT.number),
    );
    for (let tries = 0; held(other)?.identityDocuments[0]?.type !== 'passport'; tries++) {
      if (tries > 40) throw new Error('the edit at HQ never reached the desk');
      await desk.host.syncNow();
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    twin = held(other)!;
  }, 240_000);
  afterAll(async () => {
    await desk?.close();
  });

  async function signInSecond() {
    await page().getByTestId('login-username').fill('supervisor2');
    await page().getByTestId('login-password').fill(second.password);
    await page()
      .getByTestId('login-totp')
      .fill(await second.code());
    await page().getByTestId('login-submit').click();
    await page().getByTestId('signed-in-user').waitFor();
  }
  const row = () => page().getByTestId(`merge-row-${twin.customerNumber}`);

  it('compares the two records side by side and proposes the merge', async () => {
    await desk.signIn('supervisor1');
    await page().getByTestId('nav-merges').click();
    await page().getByTestId('merge-view').waitFor();
    await page().getByTestId('merge-survivor-number').fill(survivor.customerNumber);
    await page().getByTestId('merge-merged-number').fill(twin.customerNumber);
    await page().getByTestId('merge-compare').click();
    const comparison = page().getByTestId('merge-comparison');
    await comparison.waitFor();
    // Masked as a supervisor sees them: never a whole ID number on screen.
    const text = (await comparison.textContent()) ?? '';
    for (const document of [...survivor.identityDocuments, ...twin.identityDocuments])
      expect(text).not.toContain(document.number);
    await page().getByTestId('merge-choice-occupation').getByText('被合并方').click();
    await page().getByTestId('merge-reason').fill('同一客户以身份证和护照各开户一次');
    await screenshot(page(), 'merge-compare');
    await page().getByTestId('merge-propose').click();
    await expect.poll(() => row().textContent(), { timeout: 15_000 }).toContain('待复核');
    // The proposer cannot approve their own request.
    await expect(row().getByTestId('merge-approve').count()).resolves.toBe(0);
    await expect(row().textContent()).resolves.toContain('本人提交');
    await desk.signOut();
  });

  it('lets a second supervisor approve; the old number then finds the survivor', async () => {
    await signInSecond();
    await page().getByTestId('nav-merges').click();
    await row().getByTestId('merge-approve').click();
    await expect.poll(() => row().textContent(), { timeout: 15_000 }).toContain('已合并');
    await expect.poll(() => held(twin.id), { timeout: 20_000 }).toBeUndefined();
    const united = held(survivor.id)!;
    expect(united.identityDocuments).toContainEqual(expect.objectContaining(PASSPORT));
    expect(united.kind === 'individual' && united.occupation).toBe(
      twin.kind === 'individual' && twin.occupation,
    );
    await page().getByTestId('nav-search').click();
    await desk.openCustomer(twin.customerNumber).catch(async () => {
      // The result row shows the survivor's number, not the one typed.
      await page().getByTestId('search-input').press('Enter');
      await page().getByTestId('customer-view').waitFor();
    });
    await expect(page().getByTestId('customer-view').textContent()).resolves.toContain(
      survivor.customerNumber,
    );
    await screenshot(page(), 'merge-survivor');
  });

  it('undoes the merge from the list, each later change going where a person puts it', async () => {
    // Since the merge, HQ recorded a new e-mail for the survivor; it was the other person's.
    await hqAdmin(() => desk.server.url, admin).edit(survivor.id, {
      email: 'second.person@example.cn',
    });
    await page().getByTestId('nav-merges').click();
    await row().getByTestId('merge-unmerge').click();
    await page().getByTestId('unmerge-changes').waitFor();
    await page().getByTestId('unmerge-side-email').getByText(twin.customerNumber).click();
    await page().getByTestId('unmerge-reason').fill('经核实为两位不同客户');
    await screenshot(page(), 'merge-unmerge');
    await page().getByTestId('unmerge-submit').click();
    await expect.poll(() => row().textContent(), { timeout: 15_000 }).toContain('已撤销合并');
    await expect
      .poll(() => held(twin.id)?.customerNumber, { timeout: 20_000 })
      .toBe(twin.customerNumber);
    expect(held(survivor.id)!.identityDocuments).toEqual(survivor.identityDocuments);
    expect(held(twin.id)!.identityDocuments).toEqual(twin.identityDocuments);
    expect(held(twin.id)!.email).toBe('second.person@example.cn');
    expect(held(survivor.id)!.email).toBe(survivor.email);
  });

  it('shows the branch’s data quality, the customers behind a problem, and opens one', async () => {
    await page().getByTestId('nav-quality').click();
    await page().getByTestId('quality-view').waitFor();
    await expect
      .poll(() => page().getByTestId('quality-counts').textContent(), { timeout: 15_000 })
      .toMatch(/\d+ 位客户中 \d+ 位没有问题/);
    await page().getByTestId('quality-trend').waitFor();
    // The problem most customers have: its count opens the list behind it.
    const first = page().locator('[data-testid^="quality-problems-"]').first();
    const count = Number(await first.textContent());
    await first.click();
    const list = page().getByTestId('quality-list');
    await expect
      .poll(() => list.textContent(), { timeout: 15_000 })
      .toContain(`共 ${count} 位客户`);
    await screenshot(page(), 'quality');
    // The problem made cleansing work for the counter: one task for each of those customers.
    await page().getByTestId('quality-make-tasks').click();
    await page().getByTestId('quality-make-submit').click();
    await page().getByText(`已生成 ${count} 项任务`).waitFor();
    await list.locator('[data-testid^="quality-row-"]').first().click();
    await page().getByTestId('customer-view').waitFor();
    // The customer's 360 shows it; it is not done while the record still has the problem.
    await page().getByTestId('cleansing').waitFor();
    await page().getByTestId('cleansing-done').click();
    await page().getByText('客户资料仍有这个问题').waitFor();
    await screenshot(page(), 'cleansing');
  });
});
