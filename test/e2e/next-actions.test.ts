// 下一最佳行动 (suggested next actions) on the customer 360, in Chromium: the demo RM opens a customer
// the rules have suggestions for and sees exactly those, in order, each with why; "Go" opens the
// tab where the work is done; "Dismiss" and "Done" hide the suggestion and are kept with the
// customer (the vault's record, the outbox, the audit log, then HQ after a sync). An auditor sees
// the suggestions with no answer to give. The KYC tab's rating card shows the segment and the
// life-cycle stage the segment rules give, and the home counts the RM's book by life-cycle stage.
// Both languages, no console error, no serious axe violation.
import type { ConsoleMessage } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../../electron/core/audit/log';
import { CustomerStore } from '../../electron/core/customers';
import type { Customer } from '../../shared/customer';
import { bankDay, bookFacts, summariseBook } from '../../shared/insight/book';
import { suggestionsFor, type Suggestion } from '../../shared/insight/next-action';
import { defaultSegmentRules, lifeCycleStages, segmentOf } from '../../shared/insight/segment';
import { parseIsoDate } from '../../shared/validation/dates';
import { screenshot, seriousViolations } from '../support/browser';
import { deskUnavailable, openDesk, type Desk } from '../support/desk';
import { startHq } from '../support/hq';

/** Where each suggestion's work is done (tabOf in renderer/src/screens/customer/NextActions.tsx). */
const tabOf: Record<Suggestion['action'], string> = {
  start_review: 'kyc',
  renew_document: 'documents',
  renew_deposit: 'accounts',
  win_back: 'service',
  offer_mobile_banking: 'service',
  birthday_greeting: 'service',
  reconnect: 'service',
};

/** The desk's words for why (renderer/src/locales/areas/insight.ts, nextAction.why). */
const whyWords: Record<'zh' | 'en', Record<string, string>> = {
  zh: {
    review_overdue: '尽调复核已于 {{day}} 到期',
    review_due: '尽调复核将于 {{day}} 到期',
    document_expired: '身份证件已于 {{day}} 过期',
    document_expiring: '身份证件将于 {{day}} 到期',
    deposit_matures: '定期存款 {{day}} 到期（{{days}} 天后）',
    account_closed: '{{day}} 有账户销户，客户可能流失',
    deposit_matured: '定期存款 {{day}} 到期后未续存，客户可能流失',
    no_mobile_banking: '客户持有账户，但尚未开通手机银行',
    birthday: '{{day}} 生日（{{days}} 天后）',
    not_met_since: '上次面谈为 {{day}}，已久未联系',
    never_met: '从未面谈',
  },
  en: {
    review_overdue: 'The KYC review was due on {{day}}',
    review_due: 'The KYC review is due on {{day}}',
    document_expired: 'The identity document expired on {{day}}',
    document_expiring: 'The identity document expires on {{day}}',
    deposit_matures: 'A deposit matures on {{day}} (in {{days}} days)',
    account_closed: 'An account was closed on {{day}}: the customer may be leaving',
    deposit_matured:
      'A deposit matured on {{day}} and was not renewed: the customer may be leaving',
    no_mobile_banking: 'Holds accounts but no mobile banking',
    birthday: 'Birthday on {{day}} (in {{days}} days)',
    not_met_since: 'Last met on {{day}}: a long time ago',
    never_met: 'Never met in person',
  },
};
const whyText = (suggestion: Suggestion, language: 'zh' | 'en') =>
  whyWords[language][suggestion.why.code]!.replace('{{day}}', suggestion.why.day ?? '').replace(
    '{{days}}',
    String(suggestion.why.days ?? ''),
  );
const segmentWords = { mass: '大众', affluent: '财富', private_banking: '私人银行' } as const;
const lifeWords = { new: '新客户', active: '活跃', dormant: '沉睡', at_risk: '流失预警' } as const;

describe.skipIf(deskUnavailable)('suggested next actions and segments, in Chromium', () => {
  let desk: Desk;
  let someone: Customer;
  let rmId: string;
  const problems: string[] = [];
  const page = () => desk.page;
  const today = () => parseIsoDate(bankDay(Date.now()))!;
  const store = () => new CustomerStore(desk.vault.db);
  const allRecords = () =>
    (desk.vault.db.prepare('SELECT id FROM customer').pluck().all() as string[]).map(
      (id) => store().get(id)!.customer,
    );
  const stored = () => store().get(someone.id)!.customer;
  const expectedNow = () => suggestionsFor(stored(), defaultSegmentRules, today());

  /** An element's text without white space. */
  const bare = async (testId: string) =>
    ((await page().getByTestId(testId).textContent()) ?? '').replace(/\s/gu, '');
  /** The suggestions the panel lists, by their test ids, in order. */
  const shownActions = () =>
    page()
      .getByTestId('next-actions')
      .locator('.ant-list-item')
      .evaluateAll((items) => items.map((item) => item.getAttribute('data-testid') ?? ''));

  async function openSomeone() {
    await page().getByTestId('search-input').fill(someone.customerNumber);
    await expect
      .poll(() => page().getByTestId('search-result').first().textContent())
      .toContain(someone.customerNumber);
    await page().getByTestId('search-input').press('Enter');
    await page().getByTestId('customer-view').waitFor();
    await page().getByTestId('next-actions').waitFor();
  }

  beforeAll(async () => {
    desk = await openDesk({ seed: 71, customers: 120 });
    rmId = `${desk.staff.get('rm1')!.branchId}-rm-01`;
    const mine = allRecords().filter(
      (customer) => customer.assignedRmId === rmId && !customer.restriction,
    );
    // The customer whose suggestions send "Go" to the most tabs, a review to start first among
    // equals (seed 71 has one with a review, a maturing deposit and more).
    const score = (customer: Customer) => {
      const found = suggestionsFor(customer, defaultSegmentRules, today());
      const tabs = new Set(found.map((suggestion) => tabOf[suggestion.action])).size;
      const review = found.some((suggestion) => suggestion.action === 'start_review') ? 1 : 0;
      return tabs * 100 + review * 10 + found.length;
    };
    someone = mine.reduce((best, customer) => (score(customer) > score(best) ? customer : best));
    expect(suggestionsFor(someone, defaultSegmentRules, today()).length).toBeGreaterThanOrEqual(3);
    desk.page.on('console', (message: ConsoleMessage) => {
      if (message.type() === 'error' || message.type() === 'warning')
        problems.push(`${message.type()}: ${message.text()}`);
    });
  }, 240_000);
  afterAll(async () => desk?.close());

  it('lists the suggestions the rules make, in order, each with why; Go opens its tab', async () => {
    const expected = expectedNow();
    expect(expected.length).toBeGreaterThan(0);
    await desk.signIn('rm1', { locale: 'zh-CN' });
    await openSomeone();
    const panel = page().getByTestId('next-actions');
    expect(await panel.textContent()).toContain('下一最佳行动');
    expect(await shownActions()).toEqual(
      expected.map((suggestion) => `next-action-${suggestion.action}`),
    );
    for (const suggestion of expected) {
      expect(await page().getByTestId(`next-action-why-${suggestion.action}`).textContent()).toBe(
        whyText(suggestion, 'zh'),
      );
      // Ant Design spaces out a button's two Chinese characters. Compliance work (the review,
      // the document) goes when it is done, so it offers neither Done nor Dismiss.
      if (suggestion.kind === 'compliance') {
        expect(await page().getByTestId(`next-action-done-${suggestion.action}`).count()).toBe(0);
        expect(await page().getByTestId(`next-action-dismiss-${suggestion.action}`).count()).toBe(
          0,
        );
      } else {
        expect(await bare(`next-action-done-${suggestion.action}`)).toBe('已办');
        expect(await bare(`next-action-dismiss-${suggestion.action}`)).toBe('忽略');
      }
      expect(await bare(`next-action-go-${suggestion.action}`)).toBe('去办理');
    }
    // Reading them is audited: which suggestions were shown, no more.
    const viewed = new AuditLog(desk.vault)
      .entries({ action: 'view', target: someone.id })
      .map((entry) => JSON.parse(entry.details) as { nextActions?: string[] })
      .filter((details) => details.nextActions !== undefined);
    expect(viewed.at(-1)?.nextActions).toEqual(expected.map((suggestion) => suggestion.action));
    await screenshot(page(), 'next-actions');

    // Go: the tab where the work is done, the suggestions staying above it.
    for (const suggestion of expected) {
      const tab = tabOf[suggestion.action];
      await page().getByTestId(`next-action-go-${suggestion.action}`).click();
      await page().getByTestId(`customer-pane-${tab}`).waitFor();
      await expect
        .poll(() =>
          page()
            .locator('[role="tab"][aria-selected="true"] [data-testid^="customer-tab-"]')
            .first()
            .getAttribute('data-testid'),
        )
        .toBe(`customer-tab-${tab}`);
      expect(await panel.isVisible()).toBe(true);
    }
    expect.soft(await seriousViolations(page())).toEqual([]);
  });

  it("shows the segment and life-cycle stage the rules give on the KYC tab's rating card", async () => {
    const segmented = segmentOf(bookFacts(stored()), defaultSegmentRules, today());
    await page().getByTestId('customer-tab-kyc').click();
    await page().getByTestId('customer-pane-kyc').waitFor();
    await page().getByTestId('segmentation').waitFor();
    expect(await page().getByTestId('segmentation').textContent()).toContain('客户分层');
    expect(await page().getByTestId('segmentation-segment').textContent()).toBe(
      segmentWords[segmented.segment],
    );
    expect(await page().getByTestId('segmentation-life').textContent()).toBe(
      lifeWords[segmented.lifeCycle],
    );
    expect(await page().getByTestId('segmentation-reasons').locator('li').count()).toBe(
      segmented.reasons.length,
    );
    await page().getByTestId('segmentation').scrollIntoViewIfNeeded();
    await screenshot(page(), 'segmentation');
    expect.soft(await seriousViolations(page())).toEqual([]);
  });

  it('keeps a dismissal and a done with the customer: vault, outbox, audit log, then HQ', async () => {
    // HQ is away while the RM answers, so the change waits in the outbox where it can be seen.
    const port = Number(new URL(desk.server.url).port);
    await desk.server.stop();
    const queued = () =>
      desk.vault.db
        .prepare('SELECT mutation FROM outbox WHERE customer_id = ? ORDER BY seq')
        .pluck()
        .all(someone.id) as string[];
    const before = expectedNow();
    const dismissed = before.filter((suggestion) => suggestion.kind !== 'compliance').at(-1)!;
    const versionBefore = stored().version;
    await page().getByTestId(`next-action-dismiss-${dismissed.action}`).click();
    await page()
      .getByTestId(`next-action-${dismissed.action}`)
      .waitFor({ state: 'detached', timeout: 10_000 });
    const responses = stored().actionResponses ?? [];
    expect(responses).toHaveLength(1);
    expect(responses[0]).toMatchObject({
      action: dismissed.action,
      about: dismissed.about,
      response: 'dismissed',
      by: 'user:rm1',
    });
    expect(stored().version).toBe(versionBefore + 1);
    // The rest as the rules give them now (a sixth suggestion may move up into the five).
    const after = expectedNow();
    expect(after.some((suggestion) => suggestion.action === dismissed.action)).toBe(false);
    await expect
      .poll(shownActions)
      .toEqual(after.map((suggestion) => `next-action-${suggestion.action}`));

    const mutations = queued().map(
      (text) => JSON.parse(text) as { actor: string; fields?: Record<string, unknown> },
    );
    const answered = mutations.filter((mutation) => 'actionResponses' in (mutation.fields ?? {}));
    expect(answered).toHaveLength(1);
    expect(answered[0]!.actor).toBe('user:rm1');
    expect(JSON.stringify(answered[0])).toContain(responses[0]!.id);

    const updates = new AuditLog(desk.vault).entries({ action: 'update', target: someone.id });
    expect(updates).toHaveLength(1);
    expect(updates[0]!.actor).toBe('user:rm1');
    expect(JSON.parse(updates[0]!.details)).toMatchObject({
      fields: ['actionResponses'],
      responseId: responses[0]!.id,
      nextAction: dismissed.action,
      response: 'dismissed',
    });

    // Done on the first one left: kept the same way.
    const done = after.find((suggestion) => suggestion.kind !== 'compliance');
    if (done) {
      await page().getByTestId(`next-action-done-${done.action}`).click();
      await page()
        .getByTestId(`next-action-${done.action}`)
        .waitFor({ state: 'detached', timeout: 10_000 });
      expect(stored().actionResponses!.at(-1)).toMatchObject({
        action: done.action,
        about: done.about,
        response: 'done',
        by: 'user:rm1',
      });
      expect(
        new AuditLog(desk.vault)
          .entries({ action: 'update', target: someone.id })
          .map((entry) => JSON.parse(entry.details) as Record<string, unknown>)
          .at(-1),
      ).toMatchObject({ fields: ['actionResponses'], nextAction: done.action, response: 'done' });
      const left = expectedNow();
      await expect
        .poll(shownActions)
        .toEqual(left.map((suggestion) => `next-action-${suggestion.action}`));
      if (left.length === 0) expect(await page().getByTestId('next-actions').count()).toBe(0);
    }
    await screenshot(page(), 'next-actions-answered');

    // HQ back: it takes the answers, and nothing is rejected.
    desk.server = await startHq(desk.hq, { port });
    await desk.host.syncNow();
    await expect.poll(() => queued().length, { timeout: 15_000 }).toBe(0);
    expect(
      desk.vault.db
        .prepare('SELECT count(*) FROM sync_rejected WHERE customer_id = ?')
        .pluck()
        .get(someone.id),
    ).toBe(0);
    expect(stored().actionResponses).toHaveLength(done ? 2 : 1);
  });

  it("counts the RM's book by life-cycle stage on the home, chart and table alike", async () => {
    const mine = allRecords().filter((customer) => customer.assignedRmId === rmId);
    const expected = summariseBook(
      mine.map((customer, key) => ({ key, facts: bookFacts(customer) })),
      today(),
    );
    await page().getByTestId('nav-home').click();
    await page().getByTestId('home-view').waitFor();
    await page().getByTestId('chart-life').waitFor();
    expect(await page().getByTestId('chart-life').locator('canvas').count()).toBe(1);
    for (const stage of lifeCycleStages) {
      const row = page().getByTestId(`chart-life-life.${stage}`);
      expect(await row.textContent()).toBe(String(expected.counts[`life.${stage}`]));
      expect(
        await page().getByTestId('chart-life').locator('tr', { has: row }).textContent(),
      ).toContain(lifeWords[stage]);
    }
    const total = lifeCycleStages.reduce((sum, stage) => sum + expected.counts[`life.${stage}`], 0);
    expect(total).toBe(mine.length);
    await page().getByTestId('chart-life').scrollIntoViewIfNeeded();
    await screenshot(page(), 'home-life-cycle');
    expect.soft(await seriousViolations(page())).toEqual([]);
  });

  it('says it in English too', async () => {
    const expected = expectedNow();
    // Another customer of the RM's with suggestions when this one has none left.
    if (expected.length === 0)
      someone = allRecords().find(
        (customer) =>
          customer.assignedRmId === rmId &&
          !customer.restriction &&
          suggestionsFor(customer, defaultSegmentRules, today()).length > 0,
      )!;
    const shown = expectedNow();
    // The language the way the desk keeps it (renderer/src/i18n.ts); a reload keeps the session.
    await page().evaluate("window.localStorage.setItem('branchdesk.locale', 'en')");
    await page().reload();
    await page().getByTestId('signed-in-user').waitFor();
    await page().getByTestId('nav-search').click();
    await openSomeone();
    expect(await page().getByTestId('next-actions').textContent()).toContain('Next best actions');
    expect(await shownActions()).toEqual(
      shown.map((suggestion) => `next-action-${suggestion.action}`),
    );
    for (const suggestion of shown) {
      expect(await page().getByTestId(`next-action-why-${suggestion.action}`).textContent()).toBe(
        whyText(suggestion, 'en'),
      );
      expect(await page().getByTestId(`next-action-go-${suggestion.action}`).textContent()).toBe(
        'Go',
      );
      if (suggestion.kind !== 'compliance')
        expect(
          await page().getByTestId(`next-action-dismiss-${suggestion.action}`).textContent(),
        ).toBe('Dismiss');
    }
    await screenshot(page(), 'next-actions-en');
    expect.soft(await seriousViolations(page())).toEqual([]);
    await desk.signOut();
  });

  it('shows an auditor the suggestions with Go but no answer to give', async () => {
    const expected = expectedNow();
    await desk.signIn('auditor1', { locale: 'zh-CN' });
    if (expected.length === 0) {
      await page().getByTestId('search-input').fill(someone.customerNumber);
      await page().getByTestId('search-input').press('Enter');
      await page().getByTestId('customer-view').waitFor();
      expect(await page().getByTestId('next-actions').count()).toBe(0);
    } else {
      await openSomeone();
      expect(await shownActions()).toEqual(
        expected.map((suggestion) => `next-action-${suggestion.action}`),
      );
      for (const suggestion of expected)
        expect(await page().getByTestId(`next-action-why-${suggestion.action}`).textContent()).toBe(
          whyText(suggestion, 'zh'),
        );
      expect(await page().locator('[data-testid^="next-action-go-"]').count()).toBe(
        expected.length,
      );
      expect(await page().locator('[data-testid^="next-action-done-"]').count()).toBe(0);
      expect(await page().locator('[data-testid^="next-action-dismiss-"]').count()).toBe(0);
      await screenshot(page(), 'next-actions-auditor');
    }
    await desk.signOut();
    expect(problems).toEqual([]);
  });
});
