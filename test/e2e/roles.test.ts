// Each role sees only what it can do, in Chromium through the web harness against a real HQ:
// for every demo role in both languages the exact side menu its permissions allow, a search box
// and a new-customer button only for roles that may use them, the screen each role opens on, and
// a status bar that never says "never synced" on a device that has synced. IT's screen shows the
// device's health, its enrollment and a sync now with its log; an auditor meets no reveal or edit
// control; a search that is too long says so; leaving a customer empties the search box; results
// carry age and gender. Screenshots roles-<role>-zh/-en and it-desk-zh/-en.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot, seriousViolations } from '../support/browser';
import { deskUnavailable, openDesk, type Desk } from '../support/desk';
import { readListItem } from '../../electron/core/customers/store';

type Locale = 'zh-CN' | 'en';

/** The side menu each demo user gets, from the permission matrix (shared/access/permissions.ts). */
const menus: Record<string, string[]> = {
  teller1: [
    'nav-search',
    'nav-mine',
    'nav-rejected',
    'nav-complaints',
    'nav-privacy',
    'nav-settings',
  ],
  rm1: [
    'nav-home',
    'nav-search',
    'nav-mine',
    'nav-rejected',
    'nav-complaints',
    'nav-quality',
    'nav-privacy',
    'nav-settings',
  ],
  supervisor1: [
    'nav-home',
    'nav-search',
    'nav-approvals',
    'nav-mine',
    'nav-conflicts',
    'nav-rejected',
    'nav-audit',
    'nav-complaints',
    'nav-quality',
    'nav-merges',
    'nav-privacy',
    'nav-settings',
  ],
  auditor1: ['nav-search', 'nav-rejected', 'nav-audit', 'nav-privacy', 'nav-settings'],
  itadmin1: ['nav-it', 'nav-settings'],
};
/** Who may search, open a new customer, and which screen each opens on. */
const searches = new Set(['teller1', 'rm1', 'supervisor1', 'auditor1']);
const creates = new Set(['teller1', 'rm1', 'supervisor1']);
const landing: Record<string, string> = {
  teller1: 'search-empty',
  rm1: 'home-view',
  supervisor1: 'home-view',
  auditor1: 'audit-view',
  itadmin1: 'it-desk',
};
const neverSynced = /从未同步|Never synced/;
/** Controls that change or reveal a customer. */
const changing =
  '[data-testid^="reveal-"]:not([data-testid="reveal-reason"]):not([data-testid="reveal-confirm"]), [data-testid^="edit-"]:not([data-testid="edit-notice"]), [data-testid^="add-"], [data-testid="record-visit"], [data-testid="new-customer-button"], [data-testid="task-done"], [data-testid="note-text"], [data-testid="task-title"]';

describe.skipIf(deskUnavailable)('each role sees only what it can do', () => {
  let desk: Desk;
  let page: Page;
  /** A customer of the branch as the vault lists them. */
  let someone: { displayName: string; identityDocumentNumber: string };

  beforeAll(async () => {
    desk = await openDesk({ seed: 1515, customers: 200 });
    page = desk.page;
    const row = desk.vault.db
      .prepare("SELECT list_item FROM customer WHERE kind = 'individual' LIMIT 1")
      .pluck()
      .get() as Buffer;
    someone = readListItem(row, false) as typeof someone;
  }, 120_000);
  afterAll(async () => {
    await desk?.close();
  });

  async function chooseLocale(locale: Locale) {
    const current = await page.evaluate(`document.documentElement.lang`);
    if (current === locale) return;
    await page.getByLabel('language').first().click();
    await page
      .locator(`.ant-select-item-option[title="${locale === 'en' ? 'English' : '中文'}"]`)
      .click();
    await expect.poll(() => page.evaluate(`document.documentElement.lang`)).toBe(locale);
  }

  /** Whoever a failed test left signed in signs out first. */
  async function signIn(username: string) {
    if (await page.getByTestId('sign-out-button').count()) await desk.signOut();
    await desk.signIn(username, { locale: 'zh-CN' });
  }

  async function menu(): Promise<string[]> {
    return page
      .locator('.nav [data-testid^="nav-"]')
      .evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-testid') ?? ''));
  }

  for (const username of Object.keys(menus)) {
    it(`shows ${username} only what the role can use, in Chinese and English`, async () => {
      await signIn(username);
      for (const locale of ['zh-CN', 'en'] as const) {
        await chooseLocale(locale);
        expect(await menu()).toEqual(menus[username]);
        await page.getByTestId(landing[username]!).waitFor();
        expect(await page.getByTestId('search-input').count()).toBe(searches.has(username) ? 1 : 0);
        expect(await page.getByTestId('new-customer-button').count()).toBe(
          creates.has(username) ? 1 : 0,
        );
        // The device synced before anyone signed in, and again since.
        await expect
          .poll(() => page.getByTestId('status-last-sync').textContent())
          .toMatch(locale === 'zh-CN' ? /上次同步/ : /Last sync/);
        expect(await page.getByTestId('status-bar').textContent()).not.toMatch(neverSynced);
        // No label cut off in the side menu.
        const clipped = await page
          .locator('.nav .ant-menu-title-content')
          .evaluateAll(
            (nodes) => nodes.filter((node) => node.scrollWidth > node.clientWidth).length,
          );
        expect(clipped).toBe(0);
        await screenshot(page, `roles-${username}-${locale === 'zh-CN' ? 'zh' : 'en'}`);
        expect(await seriousViolations(page)).toEqual([]);
      }
      await chooseLocale('zh-CN');
      // Settings list only the keys the role can use.
      await page.getByTestId('nav-settings').click();
      const keys = await page.locator('[data-testid="settings-view"] kbd').allTextContents();
      expect(keys.includes('F2 / Ctrl+K')).toBe(searches.has(username));
      expect(keys.includes('Alt+N')).toBe(creates.has(username));
      await desk.signOut();
    });
  }

  it('gives IT its screen: health, enrollment, sync now with its log', async () => {
    await signIn('itadmin1');
    for (const locale of ['zh-CN', 'en'] as const) {
      await chooseLocale(locale);
      await page.getByTestId('it-desk').waitFor();
      await expect.poll(() => page.getByTestId('it-health-verdict').textContent()).toBeTruthy();
      expect(await page.locator('[data-testid="it-health"] tbody tr').count()).toBeGreaterThan(5);
      expect(await page.getByTestId('it-hq-url').textContent()).toBe(desk.server.url);
      expect(await page.getByTestId('it-device-id').textContent()).toMatch(/^[0-9a-f-]{36}$/);
      await page.getByTestId('it-sync-now').click();
      await expect
        .poll(() => page.getByTestId('it-session-log').textContent())
        .toMatch(locale === 'zh-CN' ? /同步完成.*上传 \d+/ : /Sync finished.*Sent \d+/);
      await expect.poll(() => page.getByTestId('it-round').count()).toBeGreaterThan(1);
      expect(await page.getByTestId('it-last-sync').textContent()).not.toMatch(neverSynced);
      expect(await page.getByTestId('status-bar').textContent()).not.toMatch(neverSynced);
      await screenshot(page, `it-desk-${locale === 'zh-CN' ? 'zh' : 'en'}`);
      expect(await seriousViolations(page)).toEqual([]);
    }
    await chooseLocale('zh-CN');
    await desk.signOut();
  });

  it('shows an auditor no control to reveal or change a customer', async () => {
    await signIn('auditor1');
    await page.getByTestId('audit-view').waitFor();
    expect(await page.locator(changing).count()).toBe(0);
    await page.getByTestId('nav-search').click();
    await page.getByTestId('search-input').fill(someone.identityDocumentNumber);
    await page.getByTestId('search-input').press('Enter');
    await page.getByTestId('customer-view').waitFor();
    // Every tab of the customer, each drawn when chosen.
    const tabs = page.locator('[data-testid^="customer-tab-"]');
    const count = await tabs.count();
    expect(count).toBeGreaterThan(3);
    for (let index = 0; index < count; index++) {
      await tabs.nth(index).click();
      expect(await page.locator(changing).count()).toBe(0);
    }
    await page.getByTestId('nav-rejected').click();
    expect(await page.locator(changing).count()).toBe(0);
    await desk.signOut();
  });

  it('says a search is too long, empties the box after a customer, and shows age and gender', async () => {
    await signIn('teller1');
    const box = page.getByTestId('search-input');
    await box.fill('王'.repeat(257));
    await expect.poll(() => page.getByTestId('search-too-long').textContent()).toMatch(/过长.*256/);
    await chooseLocale('en');
    expect(await page.getByTestId('search-too-long').textContent()).toMatch(/too long.*256/);
    await chooseLocale('zh-CN');

    await box.fill(someone.identityDocumentNumber);
    await box.press('Enter');
    await page.getByTestId('customer-view').waitFor();
    await page.keyboard.press('Escape');
    await page.getByTestId('search-empty').waitFor();
    expect(await box.inputValue()).toBe('');

    await box.fill(someone.displayName);
    await page.getByTestId('search-result').first().waitFor();
    const people = await page.getByTestId('result-person').allTextContents();
    expect(people.length).toBeGreaterThan(0);
    for (const text of people) expect(text).toMatch(/^(男|女) · \d+ 岁$/);
    await desk.signOut();
  });
});
