import { describe, expect, it } from 'vitest';
import { locales } from '../../../shared/i18n/errors';
import { describeIssue, validationMessages } from '../../../shared/i18n/validation';
import { validationCodes } from '../../../shared/validation/codes';

const placeholders = (template: string) =>
  [...template.matchAll(/\{(\w+)\}/gu)].map((match) => match[1]).sort();

describe('validation message catalog', () => {
  it('has a message for every code in both locales, and no message for an unknown code', () => {
    for (const locale of locales) {
      const catalog = validationMessages[locale];
      expect(Object.keys(catalog).sort()).toEqual([...validationCodes].sort());
      for (const code of validationCodes) expect(catalog[code].trim().length).toBeGreaterThan(0);
    }
  });

  it('uses the same placeholders in zh-CN and en for each code', () => {
    for (const code of validationCodes) {
      expect(placeholders(validationMessages['zh-CN'][code]), code).toEqual(
        placeholders(validationMessages.en[code]),
      );
    }
  });

  it('writes zh-CN messages in Chinese and en messages without Chinese characters', () => {
    for (const code of validationCodes) {
      expect(validationMessages['zh-CN'][code], code).toMatch(/\p{Script=Han}/u);
      expect(validationMessages.en[code], code).not.toMatch(/\p{Script=Han}/u);
    }
  });

  it('fills placeholders from the issue params and leaves an unknown one visible', () => {
    const issue = {
      code: 'BANK_CARD_LENGTH',
      severity: 'error',
      params: { length: 15, min: 16, max: 19 },
    } as const;
    expect(describeIssue(issue, 'zh-CN')).toBe('银行卡号应为16–19位数字，现在是15位。');
    expect(describeIssue(issue, 'en')).toBe(
      'A bank card number has 16 to 19 digits; this one has 15.',
    );
    expect(describeIssue({ code: 'USCC_LENGTH', severity: 'error' }, 'en')).toContain('{length}');
  });

  it('says a wrong resident ID check character in plain words', () => {
    expect(
      describeIssue({ code: 'RESIDENT_ID_CHECK_CHARACTER', severity: 'error' }, 'zh-CN'),
    ).toMatch(/^身份证号码校验位不正确/u);
  });
});
