// The counter's customer screen (客户确认屏) in Chromium, with both screens open: the teller's desk
// and the customer's own page (its own token, its own connection). A phone change confirmed on
// the customer's screen is saved; declined, nothing is saved. The customer's screen shows their
// own old and new value and nothing else: no other customer, no field the teller has not shown
// them. Its connection is refused every command but its own, and its token opens no desk. The
// customer updates their own details (checked as they type) for the teller to apply, and rates
// the visit. Screenshots go to docs/screenshots.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CustomerStore } from '../../electron/core/customers';
import type { Customer } from '../../shared/customer';
import { screenshot, seriousViolations } from '../support/browser';
import { deskUnavailable, openDesk, type Desk } from '../support/desk';

describe.skipIf(deskUnavailable)('the customer screen in Chromium', () => {
  let desk: Desk;
  let screen: Page;
  let someone: Customer;
  let everyone: Customer[];
  const page = () => desk.page;
  const stored = () => new CustomerStore(desk.vault.db).get(someone.id)!.customer;

  /** Every value of every customer the screen must never show (all but the change's own). */
  function secretsOf(customer: Customer): string[] {
    return [
      customer.legalName,
      ...customer.identityDocuments.map((document) => document.number),
      ...customer.phones.map((phone) => phone.e164.replace('+86', '')),
      ...(customer.email ? [customer.email] : []),
      ...customer.addresses.map((address) => address.line),
    ].filter((value) => value.length >= 4);
  }

  beforeAll(async () => {
    desk = await openDesk({ seed: 71, customers: 60 });
    const store = new CustomerStore(desk.vault.db);
    everyone = (
      desk.vault.db
        .prepare("SELECT id FROM customer WHERE kind = 'individual' ORDER BY customer_number")
        .pluck()
        .all() as string[]
    ).map((id) => store.get(id)!.customer);
    someone = everyone.find(
      (customer) =>
        customer.phones.length > 0 &&
        customer.phones[0]!.kind === 'mobile' &&
        !customer.restriction,
    )!;
    await desk.signIn('teller1');
    screen = await desk.openCustomerScreen();
  }, 240_000);

  afterAll(async () => {
    await desk?.close();
  });

  async function openCustomer() {
    await desk.openCustomer(someone.customerNumber);
    await page().getByTestId('customer-tab-contacts').click();
  }

  async function changePhone(number: string) {
    await page().getByTestId('edit-phone-0').click();
    await page().getByRole('textbox').first().waitFor();
    const input = page().locator('input[inputmode="tel"]');
    await input.fill(number);
    await input.press('Enter');
    await page().getByTestId('counter-waiting').waitFor();
    await screen.getByTestId('display-confirm').waitFor();
  }

  it('shows the bank’s notices while nobody is served, in either language', async () => {
    expect(await screen.getByTestId('notice-telecom-fraud').textContent()).toContain('电信诈骗');
    // The desk learns within seconds that a customer screen is there.
    await expect
      .poll(() => page().getByTestId('status-counter').textContent(), { timeout: 10_000 })
      .toBe('客户确认屏已连接');
    await screenshot(screen, 'customer-screen-idle-zh');
    await screen.getByTestId('display-language').click();
    expect(await screen.getByTestId('notice-verification-code').textContent()).toContain(
      'verification code',
    );
    await screen.getByTestId('display-language').click();
    expect(await seriousViolations(screen)).toEqual([]);
  });

  it('saves a phone change only when the customer confirms it on their screen', async () => {
    const before = stored();
    await openCustomer();
    await changePhone('139 0013 9456');
    // Their own old and new number, in full; nothing is saved yet.
    expect(await screen.getByTestId('display-after').textContent()).toBe('+86 139 0013 9456');
    expect(await screen.getByTestId('display-before').textContent()).toContain(
      before.phones[0]!.e164.slice(3, 6),
    );
    expect(stored().version).toBe(before.version);
    // Nothing else of theirs, nothing of anyone else.
    const shown = (await screen.locator('body').textContent()) ?? '';
    const others = everyone.filter((customer) => customer.id !== someone.id).flatMap(secretsOf);
    const own = secretsOf(before).filter(
      (value) => !before.phones[0]!.e164.includes(value) && value !== before.phones[0]!.e164,
    );
    for (const value of [...others, ...own]) expect(shown).not.toContain(value);
    await screenshot(screen, 'customer-screen-confirm-zh');
    await screenshot(page(), 'counter-waiting-zh');

    await screen.getByTestId('display-confirm-yes').click();
    await screen.getByTestId('display-thanks-confirmed').waitFor();
    await expect.poll(() => stored().phones[0]!.e164).toBe('+8613900139456');
    const entry = desk.vault.db
      .prepare(
        "SELECT details FROM audit_log WHERE action = 'update' AND target = ? ORDER BY seq DESC LIMIT 1",
      )
      .pluck()
      .get(someone.id) as string;
    expect(JSON.parse(entry)).toMatchObject({ fields: ['phones'], confirmedOn: 'customer_screen' });
    const queued = desk.vault.db
      .prepare('SELECT count(*) FROM outbox WHERE customer_id = ?')
      .pluck()
      .get(someone.id) as number;
    expect(queued).toBeGreaterThan(0);
  });

  it('saves nothing when the customer declines', async () => {
    const before = stored();
    await changePhone('139 0013 9000');
    await screen.getByTestId('display-confirm-no').click();
    await screen.getByTestId('display-thanks-declined').waitFor();
    await expect
      .poll(() => page().locator('.ant-form-item-explain').allTextContents())
      .toContainEqual(expect.stringContaining('客户未确认'));
    // (The sync after the last change may have brought HQ's copy of it meanwhile: same content.)
    expect(stored().version).toBe(before.version);
    expect(stored().phones).toEqual(before.phones);
    await page().keyboard.press('Escape');
  });

  it('refuses every command but its own from the customer screen’s connection', async () => {
    const answers = await screen.evaluate(async () => {
      const token = window.sessionStorage.getItem('branchdesk.displayToken')!;
      const base = window.location.origin.replace(/^http/, 'ws');
      const ask = (path: string, protocol: string, command: string) =>
        new Promise<string>((resolve) => {
          const socket = new WebSocket(`${base}${path}`, [protocol]);
          socket.onerror = () => resolve('refused');
          socket.onmessage = (message) => {
            const data = JSON.parse(String(message.data)) as {
              id?: number;
              result?: { ok: boolean; error?: { code: string } };
            };
            if (data.id !== 1) return;
            resolve(data.result?.ok ? 'ok' : (data.result?.error?.code ?? '?'));
            socket.close();
          };
          const input = command === 'display.view' ? {} : { query: '1', limit: 5 };
          socket.onopen = () => socket.send(JSON.stringify({ id: 1, command, input }));
        });
      return {
        search: await ask('/display', `branchdesk-display.${token}`, 'customer.search'),
        status: await ask('/display', `branchdesk-display.${token}`, 'session.status'),
        rate: await ask('/display', `branchdesk-display.${token}`, 'customer.record_satisfaction'),
        view: await ask('/display', `branchdesk-display.${token}`, 'display.view'),
        // Its token opens no desk.
        desk: await ask('/bridge', `branchdesk.${token}`, 'session.status'),
      };
    });
    expect(answers).toEqual({
      search: 'DISPLAY_COMMAND_REFUSED',
      status: 'DISPLAY_COMMAND_REFUSED',
      rate: 'DISPLAY_COMMAND_REFUSED',
      view: 'ok',
      desk: 'refused',
    });
    // And the desk cannot answer for the customer: its contract has no such command.
    const forged = await page().evaluate(async () => {
      const token = window.sessionStorage.getItem('branchdesk.harnessToken')!;
      return new Promise<string>((resolve) => {
        const socket = new WebSocket(`${window.location.origin.replace(/^http/, 'ws')}/display`, [
          `branchdesk-display.${token}`,
        ]);
        socket.onerror = () => resolve('refused');
        socket.onopen = () => resolve('opened');
      });
    });
    expect(forged).toBe('refused');
  });

  it('lets the customer type their own new details, checked as they type, for the teller to apply', async () => {
    await page().getByTestId('counter-self-service').click();
    await page().getByTestId('counter-waiting').waitFor();
    await screen.getByTestId('display-self-service').waitFor();
    await screen.getByTestId('self-phone').fill('12345');
    await screen.getByTestId('self-phone-error').waitFor();
    expect(await screen.getByTestId('self-submit').isDisabled()).toBe(true);
    await screen.getByTestId('self-phone').fill('13800138555');
    await screen.getByTestId('self-email').fill('me@example.cn');
    expect(await screen.getByTestId('self-phone-error').count()).toBe(0);
    await screenshot(screen, 'customer-screen-self-service-zh');
    await screen.getByTestId('self-submit').click();
    await screen.getByTestId('display-thanks-submitted').waitFor();
    // The teller learns which fields, never the values.
    const told = (await page().getByTestId('counter-submitted').textContent()) ?? '';
    expect(told).toContain('手机号码');
    expect(told).not.toContain('8555');
    expect(await page().locator('body').textContent()).not.toContain('me@example.cn');
    await page().getByTestId('counter-approve').click();
    await expect
      .poll(() => stored().phones.some((phone) => phone.e164 === '+8613800138555'))
      .toBe(true);
    expect(stored().email).toBe('me@example.cn');
  });

  it('asks the customer to rate the visit and records it with the visit', async () => {
    await page().getByTestId('customer-tab-service').click();
    await page().getByTestId('record-visit').click();
    await page().getByTestId('visit-recorder').waitFor();
    await page().getByTestId('visit-text').fill('办理手机号变更');
    await page().getByTestId('visit-text').press('Control+s');
    await screen.getByTestId('display-rate').waitFor();
    await screen.getByTestId('display-language').click();
    await screenshot(screen, 'customer-screen-rate-en');
    await screen.locator('.ant-rate-star').nth(3).click();
    await screen.getByTestId('rate-reason-friendly_staff').click();
    await screen.getByTestId('rate-send').click();
    await screen.getByTestId('display-thanks-rated').waitFor();
    const visit = stored().visits.at(-1)!;
    expect(stored().satisfaction).toEqual([
      expect.objectContaining({ visitId: visit.id, score: 4, reason: 'friendly_staff' }),
    ]);
    // The desk shows it with the visit.
    await expect
      .poll(() => page().getByTestId('visit-rating').first().textContent())
      .toContain('★★★★');
  });
});
