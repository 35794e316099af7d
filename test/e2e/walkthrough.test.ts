// Each role's day, in both languages, in Chromium against a real HQ: every screen the side menu
// offers the role, and for roles that search, a customer found by name with each of its tabs.
// On every screen: no internal code, permission name or field path on the page, no console
// error, axe finds no serious or critical violation, and every bar chart with figures draws
// bars. A screenshot of every screen goes to
// test-results/screenshots/walk-<role>-<screen>-<zh|en>.png (the README's images come from here).
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  barChartsWithoutBars,
  screenshot,
  seriousViolations,
  watchBridge,
} from '../support/browser';
import { deskUnavailable, openDesk, type Desk } from '../support/desk';
import { internalCodesOn } from '../support/no-codes';

const roles = ['teller1', 'rm1', 'supervisor1', 'auditor1', 'itadmin1'] as const;
const locales = [
  ['zh-CN', 'zh'],
  ['en', 'en'],
] as const;

describe.skipIf(deskUnavailable)('each role’s day, screen by screen', () => {
  let desk: Desk;
  let page: Page;
  let bridge: ReturnType<typeof watchBridge>;
  let surname: string;
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    desk = await openDesk({ seed: 1517, customers: 150 });
    page = desk.page;
    bridge = watchBridge(page);
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    // The most common surname among individuals: a search that finds several people.
    surname = desk.vault.db
      .prepare(
        `SELECT substr(legal_name, 1, 1) AS s FROM customer WHERE kind = 'individual'
         GROUP BY s ORDER BY count(*) DESC LIMIT 1`,
      )
      .pluck()
      .get() as string;
  }, 240_000);
  afterAll(async () => desk?.close());

  /** The page is fit for a person: words only, no console error, nothing axe calls serious. */
  async function check(name: string) {
    await bridge.settled();
    await screenshot(page, name);
    expect(await internalCodesOn(page), name).toEqual([]);
    expect(await seriousViolations(page), name).toEqual([]);
    expect(await barChartsWithoutBars(page), name).toEqual([]);
    expect(consoleErrors, name).toEqual([]);
  }

  for (const username of roles)
    for (const [locale, short] of locales)
      it(`walks ${username}’s screens in ${locale}`, async () => {
        await desk.signIn(username, { locale });
        try {
          const entries = await page
            .locator('.nav [data-testid^="nav-"]')
            .evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-testid') ?? ''));
          expect(entries.length).toBeGreaterThan(0);
          for (const entry of entries) {
            await page.getByTestId(entry).click();
            await check(`walk-${username}-${entry.slice(4)}-${short}`);
            if (entry !== 'nav-search' || !(await page.getByTestId('search-input').count()))
              continue;
            await page.getByTestId('search-input').fill(surname);
            await page.getByTestId('search-result').first().waitFor();
            await check(`walk-${username}-results-${short}`);
            await page.getByTestId('search-result').first().click();
            const tabs = page.getByRole('tab');
            await tabs.first().waitFor();
            const count = await tabs.count();
            for (let index = 0; index < count; index++) {
              await tabs.nth(index).click();
              await check(`walk-${username}-customer-${index + 1}-${short}`);
            }
            await page.keyboard.press('Escape');
          }
        } finally {
          // The next walk starts from the sign-in form whatever happened in this one.
          if (await page.getByTestId('sign-out-button').count()) await desk.signOut();
        }
      }, 240_000);
});
