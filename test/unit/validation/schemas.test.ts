import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { describeIssue } from '../../../shared/i18n/validation';
import {
  bankCardSchema,
  emailSchema,
  mobilePhoneSchema,
  residentIdSchemaWith,
  usccSchema,
  validationIssuesFromZod,
} from '../../../shared/validation/schemas';

describe('zod schemas over the validators', () => {
  const residentIdSchema = residentIdSchemaWith({ today: '2026-08-15' });

  it('outputs the normalised value', () => {
    expect(residentIdSchema.parse(' 110105 19491231 002x ')).toBe('11010519491231002X');
    expect(residentIdSchema.parse('110105491231002')).toBe('11010519491231002X');
    expect(usccSchema.parse('91 110000 600037341L')).toBe('91110000600037341L');
    expect(mobilePhoneSchema.parse('138-0013-8000')).toEqual({
      e164: '+8613800138000',
      kind: 'mobile',
      country: 'CN',
    });
    expect(emailSchema.parse('Li@QQ.com')).toBe('Li@qq.com');
  });

  it('fails with one custom issue per validation error, carrying the code and an English message', () => {
    const result = residentIdSchema.safeParse('110105194912310021');
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(result.error.issues).toHaveLength(1);
    expect(result.error.issues[0]).toMatchObject({
      code: 'custom',
      params: { validationCode: 'RESIDENT_ID_CHECK_CHARACTER' },
      message: expect.stringContaining('check character'),
    });
  });

  it('gives the validation issues back from a zod error, so the UI can show them in zh-CN', () => {
    const form = z.object({ idNumber: residentIdSchema, cardNumber: bankCardSchema });
    const result = form.safeParse({ idNumber: '1101051949', cardNumber: '4111111111111112' });
    expect(result.success).toBe(false);
    if (result.success) return;
    const issues = validationIssuesFromZod(result.error);
    expect(issues).toEqual([
      { code: 'RESIDENT_ID_LENGTH', severity: 'error', params: { length: 10 } },
    ]);
    const [issue] = issues;
    expect(issue && describeIssue(issue, 'zh-CN')).toBe(
      '身份证号码应为18位（旧号码为15位），现在是10位。',
    );
  });

  it('drops warnings: a Luhn-failing card number parses', () => {
    expect(bankCardSchema.parse('4111 1111 1111 1112')).toBe('4111111111111112');
  });

  it('still rejects what is not a string, with zod’s own issue', () => {
    const result = usccSchema.safeParse(42);
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(validationIssuesFromZod(result.error)).toEqual([]);
  });
});
