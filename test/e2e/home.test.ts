// The relationship manager's book (工作台), in Chromium: the demo RM signs in and the desk opens
// on their own customers (the RM id HQ links to them), with the figures the vault's records give,
// two charts each with its data table, and the open tasks; a figure opens the customers behind
// it, sorted, and Enter on a row opens the customer. A supervisor opens on the whole branch.
// Both languages, no console error, no serious axe violation.
import type { ConsoleMessage } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CustomerStore } from '../../electron/core/customers';
import { marketingAudience, type Customer } from '../../shared/customer';
import { bankDay, bookFacts, figuresOf, summariseBook } from '../../shared/insight/book';
import { defaultRiskRules, rateCustomer } from '../../shared/insight/risk';
import { parseIsoDate } from '../../shared/validation/dates';
import { screenshot, seriousViolations } from '../support/browser';
import { deskUnavailable, openDesk, type Desk } from '../support/desk';
import { hqCommand, startHq } from '../support/hq';

describe.skipIf(deskUnavailable)('the portfolio home, in Chromium', () => {
  let desk: Desk;
  let records: Customer[];
  const problems: string[] = [];
  const page = () => desk.page;
  const today = () => parseIsoDate(bankDay(Date.now()))!;

  beforeAll(async () => {
    desk = await openDesk({ seed: 23, customers: 120 });
    // HQ publishes a campaign by SMS (its console on PGlite: one process at a time).
    const port = Number(new URL(desk.server.url).port);
    await desk.server.stop();
    const file = join(desk.dataDir, '..', 'campaign.json');
    writeFileSync(
      file,
      JSON.stringify({
        id: 'C-2026-12',
        title: { zh: '年末短信关怀', en: 'Year-end SMS' },
        script: { zh: '您好，年末理财产品上新……', en: 'Hello, new year-end products…' },
        channel: 'sms',
        from: bankDay(Date.now() - 86_400_000),
        until: bankDay(Date.now() + 30 * 86_400_000),
        target: {},
        contactCapPerMonth: 1,
      }),
    );
    const published = hqCommand(desk.hq, ['campaign', 'publish', '--file', file]);
    expect(published.status, published.stderr).toBe(0);
    desk.server = await startHq(desk.hq, { port });
    await desk.host.syncNow();
    const store = new CustomerStore(desk.vault.db);
    const ids = desk.vault.db.prepare('SELECT id FROM customer').pluck().all() as string[];
    records = ids.map((id) => store.get(id)!.customer);
    desk.page.on('console', (message: ConsoleMessage) => {
      if (message.type() === 'error' || message.type() === 'warning')
        problems.push(`${message.type()}: ${message.text()}`);
    });
  }, 240_000);
  afterAll(async () => desk?.close());

  it('opens an RM on their own book, with every figure a link to the customers behind it', async () => {
    const rmId = `${desk.staff.get('rm1')!.branchId}-rm-01`;
    const mine = records.filter((customer) => customer.assignedRmId === rmId);
    expect(mine.length).toBeGreaterThan(0);
    const expected = summariseBook(
      mine.map((customer, key) => ({ key, facts: bookFacts(customer) })),
      today(),
    );
    await desk.signIn('rm1');
    await page().getByTestId('home-view').waitFor();
    await page().getByTestId('home-title').filter({ hasText: '我的客户工作台' }).waitFor();
    expect(await page().getByTestId('home-summary').textContent()).toContain(
      `共 ${mine.length} 位客户`,
    );
    for (const figure of ['deposits.maturing30', 'kyc.overdue', 'dormant', 'tasks.open'] as const)
      expect(
        await page().getByTestId(`figure-${figure}`).locator('.home-figure-count').textContent(),
      ).toBe(String(expected.counts[figure]));
    // The charts' data tables hold the same figures as the bars.
    expect(await page().getByTestId('chart-segment-segment.mass').textContent()).toBe(
      String(expected.counts['segment.mass']),
    );
    expect(await page().getByTestId('chart-risk-risk.high').textContent()).toBe(
      String(expected.counts['risk.high']),
    );
    expect(await page().getByTestId('chart-aum-aum.50k_500k').textContent()).toBe(
      String(expected.counts['aum.50k_500k']),
    );
    expect(await page().locator('canvas').count()).toBeGreaterThanOrEqual(3);
    await screenshot(page(), 'home-rm');
    expect(await seriousViolations(page())).toEqual([]);

    // The dormant customers: exactly those, and Enter on the first opens them.
    const dormant = mine.filter((customer) =>
      figuresOf(bookFacts(customer), today()).includes('dormant'),
    );
    await page().getByTestId('figure-dormant').click();
    await page().getByTestId('home-list').waitFor();
    // The title says … until the list has come (slow on a loaded machine): wait for the count.
    await expect
      .poll(() => page().getByTestId('home-list-title').textContent())
      .toContain(`${dormant.length} 位客户`);
    if (dormant.length > 0) {
      await expect
        .poll(() => page().getByTestId('home-list-row').count())
        .toBe(Math.min(dormant.length, 200));
      const numbers = await page()
        .getByTestId('home-list-row')
        .evaluateAll((rows) => rows.map((row) => row.children[1]?.textContent ?? ''));
      expect(new Set(numbers)).toEqual(new Set(dormant.map((c) => c.customerNumber)));
      await screenshot(page(), 'home-list');
      const first = records.find((c) => c.customerNumber === numbers[0])!;
      await page().getByTestId('home-list-row').first().focus();
      await page().keyboard.press('Enter');
      await page().getByTestId('customer-view').waitFor();
      // Its KYC tab: the rating by the rule table, with each factor that applied.
      const rated = rateCustomer(
        first.kind === 'individual'
          ? { ...first, nationality: first.nationality, occupation: first.occupation }
          : first,
        defaultRiskRules,
        today(),
      );
      await page().getByTestId('customer-tab-kyc').click();
      await page().getByTestId('risk-rating').waitFor();
      expect(await page().getByTestId('risk-rating-level').textContent()).toBe(
        { low: '低', medium: '中', high: '高', prohibited: '禁止' }[rated.level],
      );
      if (rated.reasons.length > 0)
        expect(
          await page().getByTestId('risk-reasons').locator('tbody tr.ant-table-row').count(),
        ).toBe(rated.reasons.length);
      await screenshot(page(), 'risk-rating');

      // A periodic review with the customer: what was checked, the outcome; offline-safe.
      await page().getByTestId('review-start').click();
      await page().getByTestId('review-check-identity_documents').click();
      await page().getByTestId('review-check-address').click();
      await page().getByTestId('review-outcome-updated').click();
      // Any outcome but no change needs a word of why.
      expect(await page().getByTestId('review-save').isDisabled()).toBe(true);
      await page().getByTestId('review-note').fill('新住址已核实');
      await page().getByTestId('review-save').click();
      await page()
        .getByTestId('review-history')
        .locator('tbody tr.ant-table-row')
        .first()
        .waitFor();
      const row = await page()
        .getByTestId('review-history')
        .locator('tbody tr.ant-table-row')
        .first()
        .textContent();
      expect(row).toContain('已更新资料');
      expect(row).toContain('身份证件、地址');
      const stored = new CustomerStore(desk.vault.db).get(first.id)!.customer.kycReviews!;
      expect(stored).toHaveLength(1);
      expect(row).toContain(stored[0]!.nextReviewDue);
      // The rating's cycle starts anew from the review.
      await expect
        .poll(() => page().getByTestId('risk-rating').textContent())
        .toContain(`下次复核 ${stored[0]!.nextReviewDue}`);
      await screenshot(page(), 'kyc-review');
    }
    await desk.signOut();
  });

  it('gives an RM the call list of a campaign: only their customers with consent, each contact recorded once a month', async () => {
    const rmId = `${desk.staff.get('rm1')!.branchId}-rm-01`;
    const store = new CustomerStore(desk.vault.db);
    const mine = () =>
      (desk.vault.db.prepare('SELECT id FROM customer').pluck().all() as string[])
        .map((id) => store.get(id)!.customer)
        .filter((customer) => customer.assignedRmId === rmId);
    const expected = marketingAudience(mine(), 'sms', bankDay(Date.now()));
    await desk.signIn('rm1');
    await page().getByTestId('campaign-open-C-2026-12').click();
    await page().getByTestId('call-list').waitFor();
    expect(await page().getByTestId('call-list-title').textContent()).toContain(
      `${expected.length} 位客户可联系`,
    );
    await screenshot(page(), 'call-list');
    expect(await seriousViolations(page())).toEqual([]);
    if (expected.length > 0) {
      await page().getByTestId('call-list-row').first().getByTestId('contact-interested').click();
      // The cap is one contact a month: the customer leaves the list.
      await expect
        .poll(() => page().getByTestId('call-list-title').textContent())
        .toContain(`${expected.length - 1} 位客户可联系`);
      const contacted = mine().filter((customer) => (customer.campaignContacts ?? []).length > 0);
      expect(contacted).toHaveLength(1);
      expect(contacted[0]!.campaignContacts![0]).toMatchObject({
        campaignId: 'C-2026-12',
        outcome: 'interested',
        channel: 'sms',
      });
    }
    await page().getByTestId('call-list-back').click();
    await page().getByTestId('home-view').waitFor();
    await desk.signOut();
  });

  it('opens a supervisor on the whole branch, in English too', async () => {
    await desk.signIn('supervisor1', { locale: 'en' });
    await page().getByTestId('home-view').waitFor();
    await page().getByTestId('home-title').filter({ hasText: "The branch's book" }).waitFor();
    expect(await page().getByTestId('home-summary').textContent()).toContain(
      `${records.length} customers`,
    );
    await screenshot(page(), 'home-branch-en');
    expect(await seriousViolations(page())).toEqual([]);
    await desk.signOut();
    await desk.signIn('teller1', { locale: 'zh-CN' });
    expect(await page().getByTestId('nav-home').count()).toBe(0);
    await desk.signOut();
    expect(problems).toEqual([]);
  });
});
