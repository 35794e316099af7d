// The privacy notice at the desk (PIPL Art. 7, 17), in Chromium: before any notice the screen
// says none has arrived; HQ publishes with its CLI, the desk syncs, and 隐私政策 (Alt+P) shows the
// notice in force in zh-CN and, at a switch, in English (both the notice's own text, not the
// desk's words), with its version and effective date; an earlier version can be picked, a later
// one is not yet in force; text is shown as text, never markup; printing shows only the notice.
// Screenshots go to docs/screenshots.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localDay } from '../../shared/customer';
import { screenshot, seriousViolations } from '../support/browser';
import { deskUnavailable, openDesk, type Desk } from '../support/desk';
import { hqCommand } from '../support/hq';

const dayFromToday = (days: number) => localDay(Date.now() + days * 86_400_000);

describe.skipIf(deskUnavailable)('the privacy notice in Chromium', () => {
  let desk: Desk;
  const page = () => desk.page;
  const title = () => page().getByTestId('privacy-notice-text').getByTestId('privacy-notice-title');

  beforeAll(async () => {
    desk = await openDesk({ seed: 61, customers: 20 });
  }, 240_000);
  afterAll(async () => {
    await desk?.close();
  });

  /** Publishes with HQ's console, HQ serving meanwhile (on PGlite it runs the command itself). */
  async function publish(
    notices: { version: string; effectiveFrom: string; zh: string; en: string }[],
  ) {
    for (const notice of notices) {
      const zh = join(desk.dataDir, '..', `${notice.version}-zh.txt`);
      const en = join(desk.dataDir, '..', `${notice.version}-en.txt`);
      writeFileSync(zh, notice.zh);
      writeFileSync(en, notice.en);
      const run = hqCommand(desk.hq, [
        'privacy',
        'notice',
        'publish',
        '--version',
        notice.version,
        '--effective-from',
        notice.effectiveFrom,
        '--zh',
        zh,
        '--en',
        en,
      ]);
      expect(run.status, run.stderr).toBe(0);
    }
    await desk.host.syncNow();
  }

  it('says no notice has arrived before HQ publishes one', async () => {
    await desk.signIn('teller1', { locale: 'zh-CN' });
    await page().getByTestId('nav-privacy').click();
    await page().getByTestId('privacy-notice-none').waitFor();
    expect(await page().getByTestId('privacy-notice-none').textContent()).toContain(
      '尚未收到总行发布的隐私政策',
    );
  });

  it('shows the notice in force after a sync, in zh-CN and in English, printable on its own', async () => {
    await publish([
      {
        version: '2025-01',
        effectiveFrom: dayFromToday(-400),
        zh: '个人信息保护政策（2025年版）\n\n旧版条款。\n',
        en: 'Privacy notice (2025)\n\nThe old terms.\n',
      },
      {
        version: '2026-12',
        effectiveFrom: dayFromToday(-5),
        zh: '个人信息保护政策\n\n一、我们如何收集和使用您的个人信息：为办理业务所必需。\n\n二、您的权利：您可以查阅、复制、更正您的个人信息，也可以撤回同意。\n\n三、<b>联系我们</b>：请到任一网点或致电客服。\n',
        en: 'Privacy notice\n\n1. How we collect and use your personal information: as the services you ask for require.\n\n2. Your rights: you may access, copy and correct it, and withdraw your consent.\n\n3. <b>Contact us</b>: at any branch or by phone.\n',
      },
      {
        version: '2099-01',
        effectiveFrom: dayFromToday(60),
        zh: '个人信息保护政策（将来版）\n\n将来生效。\n',
        en: 'Privacy notice (future)\n\nIn force later.\n',
      },
    ]);
    // Alt+P from anywhere on the desk; the screen asks again after the sync.
    await page().getByTestId('nav-search').click();
    await page().keyboard.press('Alt+KeyP');
    await page().getByTestId('privacy-notice-view').waitFor();
    await expect.poll(() => title().textContent()).toBe('个人信息保护政策');
    const meta = page().getByTestId('privacy-notice-meta');
    expect(await meta.textContent()).toContain('版本 2026-12');
    expect(await meta.textContent()).toContain(`${dayFromToday(-5)} 起生效`);
    expect(await page().getByTestId('privacy-notice-standing').textContent()).toBe('现行版本');
    const text = page().getByTestId('privacy-notice-text');
    expect(await text.locator('p').count()).toBe(3);
    // What HQ published is text: angle brackets show as typed, no element is made of them.
    expect(await text.locator('b').count()).toBe(0);
    expect(await text.textContent()).toContain('<b>联系我们</b>');
    expect(await seriousViolations(page())).toEqual([]);
    await screenshot(page(), 'privacy-notice-zh');

    await page().getByTestId('privacy-notice-en').click();
    await expect.poll(() => title().textContent()).toBe('Privacy notice');
    expect(await text.textContent()).toContain('Your rights: you may access, copy and correct it');
    // The desk's own words stay in the desk's language.
    expect(await page().getByTestId('privacy-notice-print').textContent()).toMatch(/打\s*印/);
    await screenshot(page(), 'privacy-notice-en');

    // On paper: the notice alone, in the language chosen.
    await page().emulateMedia({ media: 'print' });
    const printed = page().getByTestId('privacy-notice-print-view');
    expect(await printed.isVisible()).toBe(true);
    expect(await printed.textContent()).toContain('Your rights');
    expect(await printed.textContent()).toContain('2026-12');
    expect(await page().getByTestId('privacy-notice-view').isVisible()).toBe(false);
    expect(await page().getByTestId('status-bar').isVisible()).toBe(false);
    await page().emulateMedia({ media: 'screen' });
    expect(await printed.isVisible()).toBe(false);
  });

  it('lets staff pick another version: an earlier one superseded, a later one not yet in force', async () => {
    await page().getByTestId('privacy-notice-zh').click();
    const versions = page().getByTestId('privacy-notice-versions');
    await versions.click();
    await page().locator('.ant-select-item-option[title^="2025-01"]').click();
    await expect.poll(() => title().textContent()).toBe('个人信息保护政策（2025年版）');
    expect(await page().getByTestId('privacy-notice-standing').textContent()).toBe(
      '已被新版本取代',
    );
    await versions.click();
    await page().locator('.ant-select-item-option[title^="2099-01"]').click();
    await expect.poll(() => title().textContent()).toBe('个人信息保护政策（将来版）');
    expect(await page().getByTestId('privacy-notice-standing').textContent()).toBe('尚未生效');
  });

  it('is on the menu in English too, and for an auditor, but not for IT', async () => {
    await desk.signOut();
    await desk.signIn('auditor1', { locale: 'en' });
    await page().getByTestId('nav-privacy').click();
    await expect.poll(() => title().textContent()).toBe('个人信息保护政策');
    expect(await page().getByTestId('privacy-notice-print').textContent()).toBe('Print');
    await desk.signOut();
    await desk.signIn('itadmin1', { locale: 'en' });
    expect(await page().getByTestId('nav-privacy').count()).toBe(0);
  });
});
