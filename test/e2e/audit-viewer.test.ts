// The audit log an auditor can read, in Chromium against the web harness, a real vault and a
// real HQ: a teller's work with a customer (search by ID number, open, reveal, edit) and a
// sign-in under a name no one has, then auditor1 reads it as words: customer number and masked
// name, the action, the teller's display name, labelled details; no internal id and no JSON.
// Each filter (customer number, ID number, member of staff, action, dates), the CSV download of
// what is filtered, the printed page, both languages; axe finds nothing serious.
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../../electron/core/audit/log';
import { dispatch, type CommandContext } from '../../electron/core/commands';
import { CustomerStore } from '../../electron/core/customers';
import { StaffSession } from '../../electron/core/session/session';
import { maskName } from '../../shared/access/masking';
import type { Customer } from '../../shared/customer';
import { screenshot, seriousViolations } from '../support/browser';
import { deskUnavailable, openDesk, type Desk } from '../support/desk';

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

describe.skipIf(deskUnavailable)('the audit log in Chromium', () => {
  let desk: Desk;
  let page: Page;
  let person: Customer;
  let idNumber: string;

  const cells = (testId: string) => page.getByTestId(testId).allInnerTexts();
  const search = async () => {
    await page.getByTestId('audit-query').click();
    await expect
      .poll(() => page.getByTestId('audit-query').getAttribute('class'))
      .not.toMatch(/loading/);
  };
  /** Picks `label` in an antd select whose search input has id `id`. */
  const pick = async (id: string, label: string) => {
    await page.locator(`#${id}`).click();
    await page.locator(`#${id}`).fill(label);
    await page.locator('.ant-select-item-option', { hasText: label }).first().click();
    await page.keyboard.press('Escape');
  };
  const clear = async () => {
    await page.getByTestId('audit-reset').click();
    await expect.poll(() => page.locator('#audit-filter-customer').inputValue()).toBe('');
  };

  beforeAll(async () => {
    desk = await openDesk({ seed: 41, customers: 120 });
    page = desk.page;
    const store = new CustomerStore(desk.vault.db);
    const ids = desk.vault.db.prepare('SELECT id FROM customer').pluck().all() as string[];
    person = ids
      .map((id) => store.get(id)!.customer)
      .find(
        (customer) =>
          customer.kind === 'individual' &&
          customer.identityDocuments[0]?.type === 'resident_id' &&
          [...customer.legalName].length >= 2,
      )!;
    idNumber = person.identityDocuments[0]!.number;
    // teller1 signs in here once (the device learns their display name), then works with the
    // customer through the command table on the same vault.
    await desk.signIn('teller1');
    await desk.signOut();
    const teller: CommandContext = {
      principal: { kind: 'user', userId: 'teller1', username: 'teller1', roles: ['teller'] },
      secrets: desk.secrets,
      vault: desk.vault,
    };
    for (const [name, input] of [
      ['customer.search', { query: idNumber }],
      ['customer.show', { id: person.id }],
      ['customer.reveal.identity_number', { id: person.id, reason: 'customer_present_verified' }],
      [
        'customer.update',
        { id: person.id, baseVersion: person.version, changes: { email: 'a.b@example.com' } },
      ],
    ] as const) {
      const result = await dispatch(name, input, teller);
      expect(result.ok, name).toBe(true);
    }
    await dispatch(
      'session.login',
      { username: 'nobody-here', password: 'x', totp: '000000' },
      { ...teller, principal: { kind: 'anonymous' }, session: new StaffSession() },
    );
    await desk.signIn('auditor1', { locale: 'zh-CN' });
    await page.getByTestId('nav-audit').click();
    await page.getByTestId('audit-row').first().waitFor();
  }, 240_000);
  afterAll(async () => {
    await desk?.close();
  });

  it('shows each entry in words: customer, masked name, action, staff, labelled details', async () => {
    await expect.poll(() => page.getByTestId('audit-chain').innerText()).toMatch(/哈希链完整/);
    const reveal = page.getByTestId('audit-row').filter({ hasText: '查看明文' }).first();
    await expect
      .poll(() => reveal.getByTestId('audit-row-customer-number').innerText())
      .toBe(person.customerNumber);
    expect(await reveal.getByTestId('audit-row-customer-name').innerText()).toBe(
      maskName(person.legalName),
    );
    expect(await reveal.getByTestId('audit-row-staff').innerText()).toBe('柜员 王芳');
    expect(await reveal.getByTestId('audit-row-reason').innerText()).toBe(
      '客户本人在场且已核实身份',
    );
    const details = await reveal.getByTestId('audit-row-details').innerText();
    expect(details).toMatch(/字段：\s*证件号码/);
    const failure = page.getByTestId('audit-row').filter({ hasText: '登录失败' }).first();
    expect(await failure.getByTestId('audit-row-staff').innerText()).toBe('未知用户');

    const text = await page.getByTestId('audit-view').innerText();
    expect(text).not.toMatch(UUID);
    expect(text).not.toContain('{"');
    expect(text).not.toContain(idNumber);
    expect(text).not.toContain(person.legalName);
    expect(text).not.toMatch(/\b[A-Z_]{6,}\b/);
    expect(text).not.toMatch(/\b(login_failure|reveal|search|user:teller1)\b/);
    await screenshot(page, 'audit-log-zh');
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('filters by customer number, by ID number, by staff, by action and by dates', async () => {
    await page.locator('#audit-filter-customer').fill(person.customerNumber);
    await search();
    const byNumber = await cells('audit-row-customer-number');
    expect(byNumber.length).toBeGreaterThanOrEqual(3);
    expect(new Set(byNumber)).toEqual(new Set([person.customerNumber]));

    await page.locator('#audit-filter-customer').fill(idNumber.toLowerCase());
    await search();
    expect(await cells('audit-row-customer-number')).toEqual(byNumber);

    await page.locator('#audit-filter-customer').fill('C0000000000');
    await search();
    await expect
      .poll(() => page.getByTestId('audit-failure').innerText())
      .toMatch(/本机没有客户号或证件号码与此相符的客户/);
    await clear();

    await pick('audit-filter-staff', '柜员 王芳');
    await search();
    const staff = await cells('audit-row-staff');
    expect(staff.length).toBeGreaterThanOrEqual(4);
    expect(new Set(staff)).toEqual(new Set(['柜员 王芳']));
    await clear();

    await pick('audit-filter-actions', '查看明文');
    await search();
    expect(new Set(await cells('audit-row-action'))).toEqual(new Set(['查看明文']));
    await clear();

    const tomorrow = new Date(Date.now() + 86_400_000);
    const day = (date: Date) =>
      `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
    await page.locator('#audit-filter-from').click();
    await page.locator('#audit-filter-from').fill(day(tomorrow));
    await page.keyboard.press('Enter');
    await page.locator('#audit-filter-to').fill(day(tomorrow));
    await page.keyboard.press('Enter');
    await search();
    await expect.poll(() => page.getByTestId('audit-row').count()).toBe(0);
    await expect
      .poll(() => page.getByTestId('audit-view').innerText())
      .toContain('没有符合条件的记录');
    await page.locator('#audit-filter-from').click();
    await page.locator('#audit-filter-from').fill(day(new Date()));
    await page.keyboard.press('Enter');
    await page.locator('#audit-filter-to').fill(day(new Date()));
    await page.keyboard.press('Enter');
    await search();
    await expect.poll(() => page.getByTestId('audit-row').count()).toBeGreaterThan(5);
    await clear();
  });

  it('downloads what is filtered as CSV, masked, and records the export', async () => {
    await page.locator('#audit-filter-customer').fill(person.customerNumber);
    await search();
    const shown = await page.getByTestId('audit-row').count();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('audit-export').click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^审计日志-\d{4}-\d{2}-\d{2}\.csv$/);
    const bytes = await readFile((await download.path())!);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const csv = bytes.toString('utf8');
    const lines = csv
      .replace(/^\ufeff/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe('序号,时间,操作人,操作,客户号,客户姓名,原因,详情');
    // The export of the log is itself an entry, after the rows on screen were read.
    expect(lines.length - 1).toBe(shown);
    expect(lines.slice(1).every((line) => line.includes(person.customerNumber))).toBe(true);
    expect(csv).toContain(maskName(person.legalName));
    expect(csv).not.toContain(person.legalName);
    expect(csv).not.toContain(idNumber);
    const exported = new AuditLog(desk.vault).entries({ action: 'export' }).at(-1)!;
    expect(exported).toMatchObject({ actor: 'user:auditor1', target: person.id });
    expect(JSON.parse(exported.details)).toMatchObject({ of: 'audit', format: 'csv' });
  });

  it('prints the filtered table on its own, with the filter in the header', async () => {
    // Chromium's print dialog is the operating system's: count the calls instead.
    await page.evaluate('window.printed = 0; window.print = () => { window.printed += 1; };');
    await page.getByTestId('audit-print').click();
    await expect.poll(() => page.evaluate('window.printed')).toBe(1);
    expect(new AuditLog(desk.vault).entries({ action: 'print' }).at(-1)).toMatchObject({
      actor: 'user:auditor1',
      target: person.id,
    });
    await page.emulateMedia({ media: 'print' });
    try {
      const view = page.getByTestId('audit-print-view');
      expect(await view.isVisible()).toBe(true);
      expect(await page.getByTestId('audit-view').isVisible()).toBe(false);
      const printed = await view.innerText();
      expect(printed).toContain(`客户：${person.customerNumber}`);
      expect(printed).toContain('打印人：审计 赵磊');
      expect(printed).toContain(maskName(person.legalName));
      expect(printed).not.toMatch(UUID);
      await screenshot(page, 'audit-log-print');
    } finally {
      await page.emulateMedia({ media: 'screen' });
    }
    await clear();
  });

  it('reads the same in English', async () => {
    await desk.signOut();
    await desk.signIn('auditor1', { locale: 'en' });
    await page.getByTestId('nav-audit').click();
    await page.getByTestId('audit-row').first().waitFor();
    const reveal = page.getByTestId('audit-row').filter({ hasText: 'Revealed a value' }).first();
    expect(await reveal.getByTestId('audit-row-customer-number').innerText()).toBe(
      person.customerNumber,
    );
    expect(await reveal.getByTestId('audit-row-reason').innerText()).toBe(
      'Customer present, identity verified',
    );
    expect(await reveal.getByTestId('audit-row-details').innerText()).toMatch(/Field:\s*ID number/);
    const text = await page.getByTestId('audit-view').innerText();
    expect(text).not.toMatch(UUID);
    expect(text).not.toContain('{"');
    expect(text).not.toMatch(/[\u3000-\u303f\uff00-\uffef]/);
    expect(text).not.toMatch(/\b[A-Z_]{6,}\b/);
    expect(text).toContain('Unknown user');
    await screenshot(page, 'audit-log-en');
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('shows a supervisor names in full, no export or print (the auditor’s), and opens the customer', async () => {
    await desk.signOut();
    await desk.signIn('supervisor1', { locale: 'en' });
    await page.getByTestId('nav-audit').click();
    await page.getByTestId('audit-row').first().waitFor();
    const reveal = page.getByTestId('audit-row').filter({ hasText: 'Revealed a value' }).first();
    expect(await reveal.getByTestId('audit-row-customer-name').innerText()).toBe(person.legalName);
    expect(await page.getByTestId('audit-export').count()).toBe(0);
    expect(await page.getByTestId('audit-print').count()).toBe(0);
    // The customer number opens the customer, as the search would.
    await reveal.getByTestId('audit-row-customer-number').click();
    await page.getByTestId('customer-view').waitFor();
    expect(await page.getByTestId('customer-name').innerText()).toContain(person.legalName);
  });
});
