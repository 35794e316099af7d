// A list of the book leaving the desk, in Chromium: an RM prints the customers behind a figure
// (the printed page holds the list alone, masked as on screen, and the print is audited) and
// exports it to a ZIP encrypted with AES-256 under a password typed twice (a weak or mistyped
// password is refused before anything is made; the file opens with the password and not without,
// holds the list masked, and the export is audited without the password). A teller, who may not,
// is offered neither.
import { readFile } from 'node:fs/promises';
import { TextWriter, Uint8ArrayReader, ZipReader } from '@zip.js/zip.js';
import type { ConsoleMessage } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../../electron/core/audit/log';
import { CustomerStore } from '../../electron/core/customers';
import type { Customer } from '../../shared/customer';
import { bankDay, bookFacts, figuresOf } from '../../shared/insight/book';
import { parseIsoDate } from '../../shared/validation/dates';
import { screenshot, seriousViolations } from '../support/browser';
import { deskUnavailable, openDesk, type Desk } from '../support/desk';

describe.skipIf(deskUnavailable)('printing and exporting a list of the book, in Chromium', () => {
  let desk: Desk;
  let behind: Customer[];
  const problems: string[] = [];
  const page = () => desk.page;
  const password = 'Fenhang-2026-list';

  beforeAll(async () => {
    desk = await openDesk({ seed: 29, customers: 120 });
    const rmId = `${desk.staff.get('rm1')!.branchId}-rm-01`;
    const store = new CustomerStore(desk.vault.db);
    const today = parseIsoDate(bankDay(Date.now()))!;
    behind = (desk.vault.db.prepare('SELECT id FROM customer').pluck().all() as string[])
      .map((id) => store.get(id)!.customer)
      .filter(
        (customer) =>
          customer.assignedRmId === rmId &&
          figuresOf(bookFacts(customer), today).includes('segment.mass'),
      );
    expect(behind.length).toBeGreaterThan(2);
    desk.page.on('console', (message: ConsoleMessage) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    await desk.signIn('rm1');
    await page().getByTestId('home-view').waitFor();
    await page().getByTestId('chart-segment-segment.mass').click();
    await page().getByTestId('home-list').waitFor();
  }, 240_000);
  afterAll(async () => desk?.close());

  it('prints the list alone, masked as on screen, and records the print', async () => {
    // Chromium's print dialog is the operating system's: count the calls instead.
    await page().evaluate('window.printed = 0; window.print = () => { window.printed += 1; };');
    await page().getByTestId('list-print').click();
    await expect.poll(() => page().evaluate('window.printed')).toBe(1);
    await page().emulateMedia({ media: 'print' });
    try {
      const view = page().getByTestId('list-print-view');
      expect(await view.isVisible()).toBe(true);
      expect(await page().getByTestId('home-list').isVisible()).toBe(false);
      expect(await view.locator('tbody tr').count()).toBe(behind.length);
      const printed = await view.innerText();
      expect(printed).toContain('打印人：');
      for (const customer of behind) {
        expect(printed).toContain(customer.customerNumber);
        // Phones as the list shows them: never whole.
        for (const phone of customer.phones) expect(printed).not.toContain(phone.e164.slice(3));
      }
      await screenshot(page(), 'list-print');
    } finally {
      await page().emulateMedia({ media: 'screen' });
    }
    const print = new AuditLog(desk.vault).entries({ action: 'print' }).at(-1)!;
    expect(print.actor).toBe('user:rm1');
    expect(JSON.parse(print.details)).toEqual({
      book: 'segment.mass',
      scope: 'mine',
      rows: behind.length,
      total: behind.length,
    });
  });

  it('exports to an encrypted file under a password typed twice, and records the export', async () => {
    await page().getByTestId('list-export').click();
    const ok = page().getByTestId('list-export-ok');
    await page().getByTestId('list-export-password').fill('short1');
    expect(await page().getByText('密码至少 10 位，须同时含字母和数字。').isVisible()).toBe(true);
    expect(await ok.isDisabled()).toBe(true);
    await page().getByTestId('list-export-password').fill(password);
    await page().getByTestId('list-export-again').fill(`${password}x`);
    expect(await page().getByText('两次输入的密码不一致。').isVisible()).toBe(true);
    expect(await ok.isDisabled()).toBe(true);
    await page().getByTestId('list-export-again').fill(password);
    await screenshot(page(), 'list-export');
    expect(await seriousViolations(page())).toEqual([]);
    const [download] = await Promise.all([page().waitForEvent('download'), ok.click()]);
    expect(download.suggestedFilename()).toMatch(
      /^BranchDesk-segment\.mass-\d{4}-\d{2}-\d{2}\.zip$/,
    );
    await page().getByTestId('list-exported').waitFor();
    expect(await page().getByTestId('list-exported').innerText()).toContain(
      `${behind.length} 位客户`,
    );
    const bytes = await readFile((await download.path())!);
    for (const customer of behind)
      expect(bytes.includes(Buffer.from(customer.customerNumber))).toBe(false);
    const [entry] = await new ZipReader(new Uint8ArrayReader(bytes)).getEntries();
    if (!entry || entry.directory) throw new Error('no file in the ZIP');
    expect(entry.encrypted).toBe(true);
    await expect(entry.getData(new TextWriter(), { password: 'not-it-12345' })).rejects.toThrow();
    const csv = await entry.getData(new TextWriter(), { password });
    const lines = csv
      .replace(/^\uFEFF/u, '')
      .trimEnd()
      .split('\r\n');
    expect(lines[0]).toBe('客户号,名称,客户类型,证件号码,手机号码,客户分层,风险等级,相关日期');
    expect(new Set(lines.slice(1).map((line) => line.split(',')[0]))).toEqual(
      new Set(behind.map((customer) => customer.customerNumber)),
    );
    for (const customer of behind)
      for (const document of customer.identityDocuments) expect(csv).not.toContain(document.number);
    const entries = new AuditLog(desk.vault).entries({ action: 'export' });
    expect(entries.at(-1)!.actor).toBe('user:rm1');
    expect(JSON.parse(entries.at(-1)!.details)).toEqual({
      book: 'segment.mass',
      scope: 'mine',
      format: 'zip_aes256',
      rows: behind.length,
      total: behind.length,
    });
    expect(JSON.stringify(entries)).not.toContain(password);
  });

  it('offers neither to a teller, and the page logged no error', async () => {
    await desk.signOut();
    await desk.signIn('teller1');
    // A teller has no book; the core refuses the commands anyway (integration tests).
    expect(await page().getByTestId('list-print').count()).toBe(0);
    expect(await page().getByTestId('list-export').count()).toBe(0);
    expect(problems).toEqual([]);
  });
});
