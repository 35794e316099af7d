// The desk's forms catch bad data and say so in words, in Chromium against a real core and HQ:
// a day that does not exist typed into a date, an expired identity document confirmed before it
// is saved (cancelling keeps the form), a name with emoji refused, nationality found by its
// Chinese or English name, a mobile number with no such prefix, expiry before issue blocking the
// save, and a saved edit saying whether it waits for sync or a supervisor. No internal code or
// field path shows after any error, in either language.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeResidentIdCheck } from '../../shared/validation';
import { screenshot, seriousViolations } from '../support/browser';
import { deskUnavailable, openDesk, type Desk } from '../support/desk';
import { internalCodesOn } from '../support/no-codes';

const words = {
  'zh-CN': {
    emoji: '姓名不能包含表情符号',
    notADate: '“2020-13-45”不是真实存在的日期',
    prefix: '没有以120开头的手机号段',
    expiryBeforeIssue: '有效期至应晚于签发日期',
    expiredTitle: '证件已过期',
    savedSync: '已保存，待同步',
    savedApproval: '已提交，待主管审批',
    searchChinese: '日本',
    foundChinese: '日本',
    searchEnglish: 'Germany',
    foundEnglish: '德国',
  },
  en: {
    emoji: 'A name cannot contain emoji',
    notADate: '"2020-13-45" is not a real date',
    prefix: 'No mobile numbers start with 120',
    expiryBeforeIssue: 'Valid until must be after the issue date',
    expiredTitle: 'The document has expired',
    savedSync: 'Saved, waiting to sync',
    savedApproval: 'Submitted, waiting for supervisor approval',
    searchChinese: '日本',
    foundChinese: 'Japan',
    searchEnglish: 'Germany',
    foundEnglish: 'Germany',
  },
} as const;

/** A resident ID number no seeded customer has: born on `birth`, sequence `sequence`. */
function residentId(birth: string, sequence: string): string {
  const first17 = `110101${birth}${sequence}`;
  return first17 + computeResidentIdCheck(first17);
}

/** Types into a date field as a teller would, then leaves it with Tab. */
async function typeDate(page: Page, id: string, text: string) {
  const input = page.locator(`#${id}`);
  await input.click();
  await input.press('Control+A');
  await input.press('Backspace');
  await page.keyboard.type(text);
  await page.keyboard.press('Tab');
}

const helpOf = (page: Page, id: string) =>
  page.locator('.ant-form-item').filter({ has: page.locator(`#${id}`) });

describe.skipIf(deskUnavailable)('forms that catch bad data, in words', () => {
  let desk: Desk;
  beforeAll(async () => {
    desk = await openDesk({ seed: 41, customers: 40 });
  }, 240_000);
  afterAll(async () => desk?.close());

  for (const [index, locale] of (['zh-CN', 'en'] as const).entries()) {
    const say = words[locale];
    const suffix = locale === 'zh-CN' ? 'zh' : 'en';

    it(`refuses bad data in words and confirms an expired document (${locale})`, async () => {
      const { page } = desk;
      if (index > 0) await desk.signOut();
      await desk.signIn('teller1', { locale });
      await page.getByTestId('new-customer-button').click();
      await page.getByTestId('new-customer-view').waitFor();

      // A name with emoji: a sentence under the name, nothing saved.
      await page.getByTestId('new-legal-name').fill('😀😀测试');
      await expect.poll(() => helpOf(page, 'new-legal-name').textContent()).toContain(say.emoji);
      expect(await internalCodesOn(page)).toEqual([]);

      // A day that does not exist, typed.
      await typeDate(page, 'new-birth-date', '2020-13-45');
      await expect.poll(() => helpOf(page, 'new-birth-date').textContent()).toContain(say.notADate);
      expect(await internalCodesOn(page)).toEqual([]);

      // 11 digits starting with 1, but no mobile number starts with 120.
      await page.getByTestId('new-mobile').fill('12012345678');
      await expect.poll(() => helpOf(page, 'new-mobile').textContent()).toContain(say.prefix);
      expect(await internalCodesOn(page)).toEqual([]);

      // Expiry before issue blocks the save.
      await typeDate(page, 'new-issued-on', '2022-03-01');
      await typeDate(page, 'new-expires-on', '2021-03-01');
      await expect
        .poll(() => helpOf(page, 'new-expires-on').textContent())
        .toContain(say.expiryBeforeIssue);
      expect(await page.getByTestId('new-customer-save').isDisabled()).toBe(true);
      expect(await internalCodesOn(page)).toEqual([]);
      await screenshot(page, `forms-new-customer-errors-${suffix}`);
      expect(await seriousViolations(page)).toEqual([]);

      // Nationality: found by a Chinese name and by an English one; the value is the code.
      await page.locator('#new-nationality').click();
      await page.keyboard.type(say.searchChinese);
      await page
        .locator('.ant-select-item-option')
        .filter({ hasText: say.foundChinese })
        .first()
        .waitFor();
      await page.keyboard.press('Control+A');
      await page.keyboard.press('Backspace');
      await page.keyboard.type(say.searchEnglish);
      const option = page.locator('.ant-select-item-option').filter({ hasText: say.foundEnglish });
      await option.first().click();
      await expect
        .poll(() => helpOf(page, 'new-nationality').textContent())
        .toContain(say.foundEnglish);
      await page.locator('#new-nationality').click();
      await page.keyboard.type('CHN');
      await page.keyboard.press('Enter');

      // A well-formed customer whose document expired a year ago: the save asks first.
      const birth = locale === 'zh-CN' ? '19850517' : '19860618';
      await page
        .getByTestId('new-legal-name')
        .fill(locale === 'zh-CN' ? '阿依古丽・买买提' : '王测试');
      await page.getByTestId('new-document-number').fill(residentId(birth, '123'));
      await page.getByTestId('new-mobile').fill(locale === 'zh-CN' ? '13912340001' : '13912340002');
      await typeDate(page, 'new-issued-on', '2005-01-10');
      // Issued at 19 or 18: a resident ID card of ten years, which ran out in 2015.
      await typeDate(page, 'new-expires-on', '2015-01-10');
      await expect
        .poll(() => page.getByTestId('new-customer-save').isDisabled(), { timeout: 10_000 })
        .toBe(false);
      await page.getByTestId('new-customer-save').click();
      await page.getByRole('dialog').filter({ hasText: say.expiredTitle }).waitFor();
      expect(await internalCodesOn(page)).toEqual([]);
      await screenshot(page, `forms-expired-warning-${suffix}`);
      expect(await seriousViolations(page)).toEqual([]);

      // Cancel keeps the form as it was, and nothing is saved.
      await page.getByTestId('expired-cancel').click();
      await page.getByRole('dialog').waitFor({ state: 'hidden' });
      expect(await page.getByTestId('new-document-number').inputValue()).toBe(
        residentId(birth, '123'),
      );
      expect(await page.getByTestId('new-customer-done').count()).toBe(0);

      // Confirmed, it is saved, and says it waits for the sync.
      await page.getByTestId('new-customer-save').click();
      await page.getByTestId('expired-confirm').click();
      await page.getByTestId('new-customer-done').waitFor();
      expect(await page.getByTestId('saved-sync').textContent()).toContain(say.savedSync);
      expect(await internalCodesOn(page)).toEqual([]);
      await screenshot(page, `forms-saved-${suffix}`);

      // An edit in the customer view says it was saved: email waits for sync, a name change
      // for a supervisor; a name with emoji is refused there too, in words.
      await page.getByRole('button', { name: locale === 'zh-CN' ? '打开客户' : /open/i }).click();
      await page.getByTestId('customer-view').waitFor();
      await page.getByTestId('customer-tab-contacts').click();
      await page.getByTestId('edit-email').click();
      await page.getByTestId('email-input').fill(`forms.${suffix}@example.com`);
      await page.getByTestId('email-save').click();
      await page.getByTestId('saved-sync').last().waitFor();
      expect(await page.getByTestId('saved-sync').last().textContent()).toBe(say.savedSync);

      await page.getByTestId('customer-tab-profile').click();
      await page.getByTestId('edit-name-legalName').click();
      await page.getByTestId('name-legalName-input').fill('😀😀测试');
      // Checked as typed by the core's own name rules: the reason shows, and nothing can be sent.
      await expect.poll(() => page.getByTestId('customer-view').textContent()).toContain(say.emoji);
      expect(await page.getByTestId('name-legalName-save').isDisabled()).toBe(true);
      expect(await internalCodesOn(page)).toEqual([]);
      await screenshot(page, `forms-name-refused-${suffix}`);
      await page.getByTestId('name-legalName-input').fill(locale === 'zh-CN' ? '王惠' : 'Wang Hui');
      await page.getByTestId('name-legalName-save').click();
      await page.getByTestId('saved-approval').last().waitFor();
      expect(await page.getByTestId('saved-approval').last().textContent()).toBe(say.savedApproval);
      expect(await internalCodesOn(page)).toEqual([]);
      await screenshot(page, `forms-edit-saved-${suffix}`);
    }, 180_000);
  }
});
