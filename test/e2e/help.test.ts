// Guidance for new staff in Chromium: the first-run tour of the desk for the member of staff's
// role (driver.js), shown once per user, skippable and repeatable from Settings; and F1, the help
// panel for the screen in front of them in the bank's words, from the table HQ publishes (a new
// version reaches the desk at its next sync). Screenshots go to docs/screenshots.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultHelp } from '../../shared/counter/help';
import { screenshot } from '../support/browser';
import { deskUnavailable, openDesk, type Desk } from '../support/desk';
import { hqCommand, startHq } from '../support/hq';

describe.skipIf(deskUnavailable)('help and the tour in Chromium', () => {
  let desk: Desk;
  const page = () => desk.page;
  const popover = () => page().locator('.driver-popover');

  beforeAll(async () => {
    desk = await openDesk({ seed: 89, customers: 40, firstRunTour: true });
  }, 240_000);
  afterAll(async () => {
    await desk?.close();
  });

  it('tours the desk for the role the first time, and never again unless asked', async () => {
    await desk.signIn('teller1');
    await popover().waitFor();
    expect(await popover().locator('.driver-popover-title').textContent()).toBe('查找客户');
    await screenshot(page(), 'tour-zh');
    const titles: string[] = [];
    for (;;) {
      titles.push((await popover().locator('.driver-popover-title').textContent()) ?? '');
      const next = popover().locator('.driver-popover-next-btn');
      const done = (await next.textContent()) === '完成';
      await next.click();
      if (done) break;
      await expect
        .poll(() => popover().locator('.driver-popover-title').textContent())
        .not.toBe(titles.at(-1));
    }
    // A teller's stops: no approvals (a supervisor's), complaints yes.
    expect(titles).toContain('投诉管理');
    expect(titles).not.toContain('待审批');
    await expect.poll(() => popover().count()).toBe(0);
    await desk.signOut();
    await desk.signIn('teller1');
    await page().getByTestId('search-input').waitFor();
    await page().waitForTimeout(800);
    expect(await popover().count()).toBe(0);
    // Settings repeats it; Esc skips it.
    await page().getByTestId('nav-settings').click();
    await page().getByTestId('tour-again').click();
    await popover().waitFor();
    await page().keyboard.press('Escape');
    await expect.poll(() => popover().count()).toBe(0);
  });

  it('shows the panel for the screen in front of one on F1', async () => {
    await page().getByTestId('nav-search').click();
    await page().keyboard.press('F1');
    await page().getByTestId('help-panel-search').waitFor();
    await page().keyboard.press('Escape');
    const number = desk.vault.db
      .prepare("SELECT customer_number FROM customer WHERE kind = 'individual' LIMIT 1")
      .pluck()
      .get() as string;
    await desk.openCustomer(number);
    await page().keyboard.press('F1');
    const panel = page().getByTestId('help-panel-customer');
    await panel.waitFor();
    expect(await panel.textContent()).toContain('查看完整证件号前');
    await screenshot(page(), 'help-panel-zh');
    await page().keyboard.press('Escape');
  });

  it('takes the panels HQ publishes', async () => {
    const port = Number(new URL(desk.server.url).port);
    await desk.server.stop();
    const file = join(desk.dataDir, '..', 'help.json');
    writeFileSync(
      file,
      JSON.stringify({
        ...defaultHelp,
        version: '2027-01',
        panels: defaultHelp.panels.map((panel) =>
          panel.screen === 'search'
            ? {
                ...panel,
                points: [
                  {
                    'zh-CN': '老年客户请优先引导至爱心窗口。',
                    en: 'Guide elderly customers to the priority window.',
                  },
                ],
              }
            : panel,
        ),
      }),
    );
    const published = hqCommand(desk.hq, ['help', 'publish', '--file', file]);
    expect(published.status, published.stderr).toBe(0);
    desk.server = await startHq(desk.hq, { port });
    await desk.host.syncNow();
    await page().getByTestId('nav-search').click();
    await page().keyboard.press('F1');
    const panel = page().getByTestId('help-panel-search');
    await panel.waitFor();
    expect(await panel.textContent()).toContain('爱心窗口');
    expect(await page().getByTestId('help-drawer').textContent()).toContain('2027-01');
  });
});
