// Four eyes that work in practice, in Chromium through the web harness against a real HQ: a
// teller's name change held for approval survives a visit recorded on the same customer and the
// supervisor approves it; a change whose field moved since goes back to its maker with the field
// named; the inbox shows the customer number, name, field label, maker's display name and age,
// with a count on 待审批; a supervisor's own change offers no 批准 and says why; the maker reads
// a rejection's reason on the customer and in 我的申请. Screenshots approvals-inbox-zh/-en and
// approvals-mine-zh/-en.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CustomerStore } from '../../electron/core/customers';
import type { Customer } from '../../shared/customer';
import { screenshot, seriousViolations } from '../support/browser';
import { deskUnavailable, openDesk, type Desk } from '../support/desk';

describe.skipIf(deskUnavailable)('approvals a supervisor can judge and complete', () => {
  let desk: Desk;
  let page: Page;
  /** Individuals of the branch: a name change + visit, a change made stale, a rejection, an own change. */
  let visited: Customer;
  let stale: Customer;
  let rejected: Customer;
  let own: Customer;
  const stored = (id: string) => new CustomerStore(desk.vault.db).get(id)!.customer;
  const heldIds = () =>
    desk.vault.db
      .prepare('SELECT customer_id, requested_by, id FROM pending_change ORDER BY id')
      .all() as { customer_id: string; requested_by: string; id: number }[];
  const heldFor = (customerId: string, maker: string) =>
    heldIds().find((row) => row.customer_id === customerId && row.requested_by === maker)!.id;

  beforeAll(async () => {
    desk = await openDesk({ seed: 1516, customers: 120 });
    page = desk.page;
    const ids = desk.vault.db
      .prepare("SELECT id FROM customer WHERE kind = 'individual' ORDER BY customer_number LIMIT 4")
      .pluck()
      .all() as string[];
    [visited, stale, rejected, own] = ids.map(stored) as [Customer, Customer, Customer, Customer];
  }, 120_000);
  afterAll(async () => {
    await desk?.close();
  });

  async function openCustomer(customer: Customer) {
    await page.getByTestId('nav-search').click();
    await page.getByTestId('search-input').fill(customer.customerNumber);
    await page.getByTestId('search-result').first().waitFor();
    await page.getByTestId('search-input').press('Enter');
    await page.getByTestId('customer-view').waitFor();
  }
  /** The customer 360 groups its parts in tabs (remembering the last one): open `key` if so. */
  async function tab(key: string) {
    const handle = page.getByTestId(`customer-tab-${key}`);
    if ((await handle.count()) > 0) await handle.click();
  }
  async function proposeName(
    customer: Customer,
    field: 'legalName' | 'englishName',
    to: string,
    note?: string,
  ) {
    await openCustomer(customer);
    await tab('profile');
    await page.getByTestId(`edit-name-${field}`).click();
    await page.getByTestId(`name-${field}-input`).fill(to);
    if (note) await page.getByTestId(`name-${field}-note`).fill(note);
    await page.getByTestId(`name-${field}-save`).click();
    await page.getByTestId('awaiting-approval').waitFor();
  }
  async function switchTo(locale: 'zh-CN' | 'en') {
    await page.evaluate(`window.localStorage.setItem('branchdesk.locale', '${locale}')`);
    await page.reload();
    // A reload may or may not keep the session (the harness's token is per run).
    await Promise.race([
      page.getByTestId('signed-in-user').waitFor(),
      page.getByTestId('login-username').waitFor(),
    ]);
  }

  it('makers propose: a name change then a visit on the same customer, two changes to one name, one to be rejected', async () => {
    await desk.signIn('teller1', { locale: 'zh-CN' });
    // The name editor checks as the core does: an English name in Chinese characters, or a
    // name with a digit, is refused in words before anything is sent.
    await openCustomer(visited);
    await tab('profile');
    await page.getByTestId('edit-name-englishName').click();
    await page.getByTestId('name-englishName-input').fill('周新名');
    await expect.poll(() => page.getByTestId('name-englishName-save').isDisabled()).toBe(true);
    await page.getByTestId('name-englishName-input').press('Escape');
    await page.getByTestId('edit-name-legalName').click();
    await page.getByTestId('name-legalName-input').fill('周新名2');
    await expect.poll(() => page.getByTestId('name-legalName-save').isDisabled()).toBe(true);
    await page.getByTestId('name-legalName-input').press('Escape');
    await proposeName(visited, 'legalName', '周新名', '已核对居民身份证原件');
    expect(
      desk.vault.db
        .prepare('SELECT note FROM pending_change WHERE customer_id = ?')
        .pluck()
        .get(visited.id),
    ).toBe('已核对居民身份证原件');
    await tab('service');
    await page.getByTestId('record-visit').click();
    await page.getByTestId('visit-text').fill('客户来行办理更名');
    await page.getByTestId('visit-save').click();
    await expect.poll(() => stored(visited.id).visits.length).toBe(visited.visits.length + 1);
    await proposeName(stale, 'legalName', '钱一');
    await desk.signOut();

    await desk.signIn('rm1');
    await proposeName(stale, 'legalName', '钱二');
    await proposeName(rejected, 'legalName', '吴四');
    await desk.signOut();
    expect(heldIds()).toHaveLength(4);
  });

  it('gives the supervisor an inbox with context, a count on 待审批, and no 批准 on their own change', async () => {
    await desk.signIn('supervisor1', { locale: 'zh-CN' });
    await proposeName(own, 'englishName', 'OWN CHANGE');
    await page.getByTestId('nav-approvals').click();
    await page.getByTestId('approvals-view').waitFor();
    await expect.poll(() => page.getByTestId('approvals-badge').textContent()).toBe('4');

    const id = heldFor(visited.id, 'user:teller1');
    const row = page.getByTestId(`held-row-${id}`);
    await expect.poll(() => row.textContent()).toContain(visited.customerNumber);
    expect(await page.getByTestId(`held-${id}-name`).textContent()).toBe(visited.legalName);
    expect(await page.getByTestId(`held-${id}-legalName`).textContent()).toMatch(
      new RegExp(`^姓名\\s+${visited.legalName} → 周新名$`),
    );
    expect(await page.getByTestId(`held-${id}-maker`).textContent()).toBe('柜员 王芳');
    expect(await page.getByTestId(`held-${id}-note`).textContent()).toContain(
      '已核对居民身份证原件',
    );
    expect(await page.getByTestId(`held-${id}-age`).textContent()).toMatch(/前$|^现在$/);
    expect(await row.textContent()).not.toMatch(/user:|legalName|[A-Z_]{6,}/);

    const mine = heldFor(own.id, 'user:supervisor1');
    expect(await page.getByTestId(`approve-${mine}`).count()).toBe(0);
    expect(await page.getByTestId(`held-${mine}-own`).textContent()).toContain(
      '不能审批自己提交的变更',
    );
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'approvals-inbox-zh');

    await switchTo('en');
    if (await page.getByTestId('login-username').isVisible()) await desk.signIn('supervisor1');
    await page.getByTestId('nav-approvals').click();
    await expect
      .poll(() => page.getByTestId(`held-${mine}-own`).textContent())
      .toContain('cannot approve your own change');
    expect(await page.getByTestId(`held-${mine}-englishName`).textContent()).toMatch(
      /^English name/,
    );
    expect(await page.getByTestId(`held-${id}-legalName`).textContent()).toMatch(/^Name\s/);
    expect(await page.getByTestId(`held-${id}-age`).textContent()).toMatch(/ago$|^now$/);
    await screenshot(page, 'approvals-inbox-en');
    await switchTo('zh-CN');
    if (await page.getByTestId('login-username').isVisible()) await desk.signIn('supervisor1');
    await page.getByTestId('nav-approvals').click();
    await page.getByTestId(`held-row-${id}`).waitFor();
  });

  it('approves the name change held across a visit; sends the stale one back naming the field; rejects with a reason', async () => {
    await page.getByTestId(`approve-${heldFor(visited.id, 'user:teller1')}`).click();
    await expect.poll(() => stored(visited.id).legalName).toBe('周新名');
    expect(stored(visited.id).visits).toHaveLength(visited.visits.length + 1);
    await expect.poll(() => page.getByTestId('approvals-badge').textContent()).toBe('3');

    await page.getByTestId(`approve-${heldFor(stale.id, 'user:teller1')}`).click();
    await expect.poll(() => stored(stale.id).legalName).toBe('钱一');
    const redo = heldFor(stale.id, 'user:rm1');
    await page.getByTestId(`held-${redo}-moved`).waitFor();
    await page.getByTestId(`approve-${redo}`).click();
    await expect
      .poll(() => page.locator('.ant-message').textContent())
      .toContain('客户的姓名已被改动');
    await page.getByTestId(`held-row-${redo}`).waitFor({ state: 'detached' });
    expect(stored(stale.id).legalName).toBe('钱一');

    const no = heldFor(rejected.id, 'user:rm1');
    await page.getByTestId(`reject-${no}`).click();
    await page.getByTestId('reject-reason').fill('证件照片与本人不符');
    await page.getByTestId('reject-confirm').click();
    await page.getByTestId(`held-row-${no}`).waitFor({ state: 'detached' });
    await expect.poll(() => page.getByTestId('approvals-badge').count()).toBe(0);

    await desk.signOut();
  });

  it('lets the maker read the rejection and its reason on the customer and in My requests', async () => {
    await desk.signIn('rm1', { locale: 'zh-CN' });
    const no = heldFor(rejected.id, 'user:rm1');
    await openCustomer(rejected);
    await expect
      .poll(() => page.getByTestId(`customer-request-${no}`).textContent())
      .toContain('证件照片与本人不符');
    expect(await page.getByTestId(`customer-request-${no}`).textContent()).toContain('主管 陈静');

    await page.getByTestId('nav-mine').click();
    await page.getByTestId('mine-view').waitFor();
    await expect
      .poll(() => page.getByTestId(`mine-${no}-reason`).textContent())
      .toContain('证件照片与本人不符');
    const redo = heldFor(stale.id, 'user:rm1');
    expect(await page.getByTestId(`mine-${redo}-status`).textContent()).toContain('需重新提交');
    expect(await page.getByTestId(`mine-${redo}-status`).textContent()).toContain('姓名');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'approvals-mine-zh');

    await switchTo('en');
    if (await page.getByTestId('login-username').isVisible()) await desk.signIn('rm1');
    await page.getByTestId('nav-mine').click();
    await expect
      .poll(() => page.getByTestId(`mine-${redo}-status`).textContent())
      .toContain('To redo');
    expect(await page.getByTestId('mine-view').textContent()).not.toMatch(/[A-Z_]{6,}|user:/);
    await screenshot(page, 'approvals-mine-en');
  });
});
