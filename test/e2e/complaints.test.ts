// Complaints and suggestions (投诉与建议) in Chromium: a teller records a complaint on the customer
// 360 (category from HQ's list, what the customer asks for) and reads its reference out to the
// customer; acknowledges it and resolves it with the customer's response. A supervisor's
// complaint desk lists the branch's open ones with the overdue first and in red, and opens the
// customer on the tab. Screenshots go to docs/screenshots.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CustomerStore } from '../../electron/core/customers';
import { recordEarlierComplaint } from '../support/complaints';
import type { Customer } from '../../shared/customer';
import { screenshot, seriousViolations } from '../support/browser';
import { deskUnavailable, openDesk, type Desk } from '../support/desk';

describe.skipIf(deskUnavailable)('complaints in Chromium', () => {
  let desk: Desk;
  let someone: Customer;
  let other: Customer;
  const page = () => desk.page;
  const stored = () => new CustomerStore(desk.vault.db).get(someone.id)!.customer;

  beforeAll(async () => {
    desk = await openDesk({ seed: 73, customers: 60 });
    const store = new CustomerStore(desk.vault.db);
    const individuals = (
      desk.vault.db
        .prepare("SELECT id FROM customer WHERE kind = 'individual' ORDER BY customer_number")
        .pluck()
        .all() as string[]
    )
      .map((id) => store.get(id)!.customer)
      .filter((customer) => !customer.restriction);
    [someone, other] = individuals as [Customer, Customer];
  }, 240_000);

  afterAll(async () => {
    await desk?.close();
  });

  async function openComplaints(customer: Customer) {
    await page().getByTestId('nav-search').click();
    await desk.openCustomer(customer.customerNumber);
    await page().getByTestId('customer-tab-complaints').click();
    await page().getByTestId('complaints').waitFor();
  }

  it('records a complaint with a reference for the customer, and works it to resolution', async () => {
    await desk.signIn('teller1');
    await openComplaints(someone);
    await page().getByTestId('add-complaint').click();
    await page().getByTestId('complaint-form').waitFor();
    // Nothing can be saved without a category and what the customer raised.
    expect(await page().getByTestId('complaint-save').isDisabled()).toBe(true);
    await page().getByTestId('complaint-description').fill('取号后等候超过一个小时，无人解释');
    await page().locator('#complaint-category').click();
    await page().getByTitle('排队等候').click();
    await page().getByTestId('complaint-request').fill('希望高峰时段增开窗口');
    expect(await page().getByTestId('complaint-form').textContent()).toContain(
      '1 个工作日内受理确认',
    );
    await screenshot(page(), 'complaint-form-zh');
    await page().getByTestId('complaint-save').click();
    await page().getByTestId('complaint-recorded').waitFor();
    const reference = stored().complaints![0]!.reference;
    expect(await page().getByTestId('complaint-recorded').textContent()).toContain(reference);
    await page().getByTestId('complaint-recorded-close').click();
    expect(await page().getByTestId('complaint-status').textContent()).toBe('已登记');
    expect(await seriousViolations(page())).toEqual([]);

    await page().getByTestId('complaint-to-acknowledged').click();
    await page().getByTestId('complaint-note').fill('已电话告知客户处理进度');
    await page().getByTestId('complaint-step-save').click();
    await expect
      .poll(() => page().getByTestId('complaint-status').textContent())
      .toBe('已受理确认');
    await page().getByTestId('complaint-to-resolved').click();
    expect(await page().getByTestId('complaint-step-save').isDisabled()).toBe(true);
    await page().getByTestId('complaint-resolution').fill('高峰时段已增开一个窗口');
    await page().getByText('客户认可').click();
    await page().getByTestId('complaint-step-save').click();
    await expect.poll(() => page().getByTestId('complaint-status').textContent()).toBe('已办结');
    expect((stored().complaintSteps ?? []).map((step) => step.status)).toEqual([
      'acknowledged',
      'resolved',
    ]);
    // Each step is audited, never with what the customer said.
    const steps = desk.vault.db
      .prepare(
        "SELECT details FROM audit_log WHERE action = 'update' AND target = ? AND details LIKE '%complaintSteps%'",
      )
      .pluck()
      .all(someone.id) as string[];
    expect(steps.map((details) => JSON.parse(details).status)).toEqual([
      'acknowledged',
      'resolved',
    ]);
    for (const details of steps) expect(details).not.toContain('窗口');
    await desk.signOut();
  });

  it('shows a supervisor the branch’s open complaints, the overdue first and in red', async () => {
    // A complaint another teller took three weeks ago and never acknowledged.
    const { reference: lateReference } = recordEarlierComplaint(desk.vault, other.id, {
      owner: 'user:teller2',
      daysAgo: 21,
    });
    // And one of today's, still open.
    await desk.signIn('supervisor1');
    await openComplaints(someone);
    await page().getByTestId('add-complaint').click();
    await page().getByTestId('complaint-kind').getByText('建议').click();
    await page().getByTestId('complaint-description').fill('建议增加老年人专用窗口');
    await page().locator('#complaint-category').click();
    await page().getByTitle('其他').click();
    await page().getByTestId('complaint-save').click();
    await page().getByTestId('complaint-recorded-close').click();

    await page().getByTestId('nav-complaints').click();
    await page().getByTestId('complaints-view').waitFor();
    const rows = page().locator(
      '[data-testid^="complaint-row-"]:not([data-testid="complaint-row-overdue"])',
    );
    await expect.poll(() => rows.count()).toBe(2);
    expect(await rows.first().getAttribute('data-testid')).toBe(`complaint-row-${lateReference}`);
    expect(await rows.first().getAttribute('class')).toContain('complaint-overdue-row');
    expect(await page().getByTestId('complaints-overdue-count').textContent()).toBe('1 项超时');
    await screenshot(page(), 'complaints-desk-zh');
    expect(await seriousViolations(page())).toEqual([]);
    // Only the overdue, then the row opens the customer on the tab.
    await page().getByTestId('complaints-overdue-only').click();
    await expect.poll(() => rows.count()).toBe(1);
    await rows.first().click();
    await page().getByTestId('customer-view').waitFor();
    await page().getByTestId('complaints').waitFor();
    expect(await page().getByTestId('complaint-overdue').first().textContent()).toBe('受理超时');
  });
});
