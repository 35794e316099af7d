// The consent ledger on the customer 360, in Chromium: a teller records a customer's consent to
// SMS marketing (put on the counter's customer screen and confirmed there by the customer, notice
// 2026-12) and then its withdrawal (a signed paper form), each by keyboard as much as by mouse; the state per purpose changes at once,
// offline, and the history shows both events with who captured them. The vault holds the events,
// the outbox has them for HQ, the audit log names purpose and state. A bad form (paper without
// its reference) cannot be saved; an auditor sees the ledger but no control to change it. English
// and Chinese screenshots go to docs/screenshots.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../../electron/core/audit/log';
import { CustomerStore } from '../../electron/core/customers';
import { type Customer, currentConsents, localDay } from '../../shared/customer';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { screenshot, seriousViolations } from '../support/browser';
import { deskUnavailable, openDesk, type Desk } from '../support/desk';
import { hqCommand } from '../support/hq';

describe.skipIf(deskUnavailable)('the consent ledger in Chromium', () => {
  let desk: Desk;
  let someone: Customer;
  const stored = () => new CustomerStore(desk.vault.db).get(someone.id)!.customer;
  const page = () => desk.page;
  const row = (purpose: string) =>
    page().locator(`[data-testid="consent-table"] tr[data-purpose="${purpose}"]`);
  const standing = (purpose: string) => row(purpose).getByTestId('consent-standing').textContent();

  beforeAll(async () => {
    desk = await openDesk({ seed: 43, customers: 60 });
    const store = new CustomerStore(desk.vault.db);
    const ids = desk.vault.db
      .prepare("SELECT id FROM customer WHERE kind = 'individual' ORDER BY customer_key")
      .pluck()
      .all() as string[];
    // Someone never asked about SMS marketing.
    someone = ids
      .map((id) => store.get(id)!.customer)
      .find((customer) => !customer.consents.some((event) => event.purpose === 'marketing_sms'))!;
    // HQ publishes the privacy notice in force (its console, HQ serving meanwhile: on PGlite it
    // runs the command itself), and the desk receives it.
    const [zh, en] = ['zh', 'en'].map((language) => {
      const file = join(desk.dataDir, '..', `notice-${language}.txt`);
      writeFileSync(
        file,
        language === 'zh'
          ? '隐私政策\n我们如何处理您的个人信息。'
          : 'Privacy notice\nHow we handle your data.',
      );
      return file;
    });
    const published = hqCommand(desk.hq, [
      'privacy',
      'notice',
      'publish',
      '--version',
      '2026-11',
      '--effective-from',
      '2026-01-01',
      '--zh',
      zh!,
      '--en',
      en!,
    ]);
    expect(published.status, published.stderr).toBe(0);
    await desk.host.syncNow();
  }, 240_000);

  afterAll(async () => {
    await desk?.close();
  });

  async function openConsents() {
    await page().getByTestId('search-input').fill(someone.customerNumber);
    await expect
      .poll(() => page().getByTestId('search-result').first().textContent())
      .toContain(someone.customerNumber);
    await page().getByTestId('search-input').press('Enter');
    await page().getByTestId('customer-view').waitFor();
    await page().getByTestId('customer-tab-consents').click();
    await page().getByTestId('consent-table').waitFor();
  }

  it('records a grant and a withdrawal, each taking effect at once, offline', async () => {
    // Both sign in online once, so either may sign in offline later.
    await desk.signIn('auditor1');
    await desk.signOut();
    await desk.signIn('teller1');
    // Then HQ goes away: the desk works on, and the events wait in the outbox.
    await desk.server.stop();
    await openConsents();
    expect(await standing('marketing_sms')).toBe('未征询');
    // Every purpose of the catalogue is there, each with both actions side by side.
    for (const purpose of [
      'marketing_sms',
      'marketing_phone',
      'marketing_email',
      'group_data_sharing',
      'cross_border_transfer',
      'credit_report_enquiry',
    ]) {
      expect(await row(purpose).getByTestId(`consent-grant-${purpose}`).isVisible()).toBe(true);
      expect(await row(purpose).getByTestId(`consent-withdraw-${purpose}`).isVisible()).toBe(true);
    }

    await page().getByTestId('consent-grant-marketing_sms').click();
    await page().getByTestId('consent-editor').waitFor();
    // The form starts with the notice in force on the desk.
    await expect.poll(() => page().getByTestId('consent-notice').inputValue()).toBe('2026-11');
    // Without a notice version the grant cannot be saved.
    await page().getByTestId('consent-notice').fill('');
    expect(await page().getByTestId('consent-save').isDisabled()).toBe(true);
    await page().getByTestId('consent-notice').fill('2026-12');
    // Without a customer screen only a paper form can show the customer's will.
    expect(
      await page()
        .getByRole('radio', { name: /客户在确认屏上确认/ })
        .isDisabled(),
    ).toBe(true);
    const screen = await desk.openCustomerScreen();
    await expect
      .poll(() =>
        page()
          .getByRole('radio', { name: /客户在确认屏上确认/ })
          .isDisabled(),
      )
      .toBe(false);
    await page().getByText('客户在确认屏上确认').click();
    await screenshot(page(), 'consent-grant-zh');
    // Ctrl+S puts it before the customer, as every editor saves; nothing is saved until they confirm.
    await page().getByTestId('consent-notice').press('Control+s');
    await page().getByTestId('counter-waiting').waitFor();
    await screen.getByTestId('display-confirm').waitFor();
    expect(await screen.getByTestId('display-change').textContent()).toContain('短信营销');
    expect(await standing('marketing_sms')).toBe('未征询');
    await screen.getByTestId('display-confirm-yes').click();
    await expect.poll(() => standing('marketing_sms')).toBe('已授权');
    await screen.close();
    expect(await page().getByTestId('consent-editor').count()).toBe(0);

    await page().getByTestId('consent-withdraw-marketing_sms').click();
    await page().getByText('纸质授权书').click();
    // A paper form names its reference before the withdrawal can be saved.
    expect(await page().getByTestId('consent-save').isDisabled()).toBe(true);
    await page().getByTestId('consent-reference').fill('PF-2026-0099');
    await page().getByTestId('consent-save').click();
    await expect.poll(() => standing('marketing_sms')).toBe('已撤回');
    const history = (await page().getByTestId('consent-history').textContent()) ?? '';
    expect(history).toContain('PF-2026-0099');
    expect(history).toContain('user:teller1');
    await screenshot(page(), 'customer-consents-ledger-zh');
    expect(await seriousViolations(page())).toEqual([]);

    const events = stored().consents.filter((event) => event.purpose === 'marketing_sms');
    expect(events.map((event) => event.state)).toEqual(['granted', 'withdrawn']);
    expect(events[0]).toMatchObject({
      noticeVersion: '2026-12',
      capturedBy: 'user:teller1',
      evidence: { kind: 'customer_screen' },
      channel: 'branch',
    });
    expect(events[1]).toMatchObject({
      evidence: { kind: 'paper_form', reference: 'PF-2026-0099' },
    });
    expect(
      currentConsents(stored().consents, localDay(Date.now())).get('marketing_sms')?.standing,
    ).toBe('withdrawn');
    // Both wait for HQ, and the audit log names what was recorded.
    const queued = desk.vault.db
      .prepare('SELECT mutation FROM outbox WHERE customer_id = ?')
      .pluck()
      .all(someone.id) as string[];
    expect(queued.filter((text) => 'consents' in (JSON.parse(text).fields ?? {}))).toHaveLength(2);
    const details = new AuditLog(desk.vault)
      .entries({ action: 'update', target: someone.id })
      .map((entry) => JSON.parse(entry.details) as { purpose?: string; state?: string });
    expect(
      details.filter((entry) => entry.purpose === 'marketing_sms').map((entry) => entry.state),
    ).toEqual(['granted', 'withdrawn']);
  });

  it('shows the ledger in English', async () => {
    await desk.signOut();
    await desk.signIn('teller1', { locale: 'en' });
    await openConsents();
    expect(await standing('marketing_sms')).toBe('Withdrawn');
    expect(await standing('marketing_phone')).not.toMatch(/\p{Script=Han}/u);
    const chrome = await page()
      .locator('[data-testid="consents"] :is(th, button, .ant-tag)')
      .allTextContents();
    expect(chrome.join(' | ')).not.toMatch(/[\p{Script=Han}（），：]/u);
    await screenshot(page(), 'customer-consents-ledger-en');
  });

  it('gives an auditor the ledger to read and no control to change it', async () => {
    await desk.signOut();
    await desk.signIn('auditor1', { locale: 'zh-CN' });
    await openConsents();
    expect(await standing('marketing_sms')).toBe('已撤回');
    expect(
      await page()
        .locator('[data-testid^="consent-grant-"], [data-testid^="consent-withdraw-"]')
        .count(),
    ).toBe(0);
  });
});
