import { describe, expect, it } from 'vitest';
import { validateEmail } from '../../../shared/validation/email';
import type { ValidationResult } from '../../../shared/validation/result';

const codes = (result: ValidationResult<unknown>) =>
  result.issues.map((issue) => `${issue.severity}:${issue.code}`);

describe('validateEmail', () => {
  it('accepts an ordinary address and lower-cases the domain, not the local part', () => {
    expect(validateEmail(' Zhang.San@Example.COM.cn ')).toEqual({
      ok: true,
      value: 'Zhang.San@example.com.cn',
      issues: [],
    });
  });

  it('accepts a full-width @ and full-width letters typed with a Chinese IME', () => {
    expect(validateEmail('ｚｈａｎｇ＠１６３.ｃｏｍ')).toMatchObject({
      ok: true,
      value: 'zhang@163.com',
    });
  });

  it('accepts plus addressing and an internationalised domain', () => {
    expect(validateEmail('li+bank@qq.com').ok).toBe(true);
    expect(validateEmail('info@例子.中国').ok).toBe(true);
  });

  it.each([
    'zhang',
    '@163.com',
    'zhang san@163.com',
    'zhang..san@163.com',
    '.zhang@163.com',
    'a@b@163.com',
  ])('rejects %s as badly formed', (input) => {
    expect(codes(validateEmail(input))).toEqual(['error:EMAIL_FORMAT']);
  });

  it.each([
    'zhang@',
    'zhang@localhost',
    'zhang@163..com',
    'zhang@-163.com',
    'zhang@163.com.',
    'zhang@1.2.3.4',
    'zhang@163_mail.com',
  ])('rejects the domain of %s', (input) => {
    expect(codes(validateEmail(input))).toEqual(['error:EMAIL_DOMAIN']);
  });

  it('rejects an address longer than 254 characters and a local part longer than 64', () => {
    expect(
      validateEmail(`${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(63)}.com`)
        .issues,
    ).toEqual([{ code: 'EMAIL_TOO_LONG', severity: 'error', params: { max: 254 } }]);
    expect(codes(validateEmail(`${'a'.repeat(65)}@163.com`))).toEqual(['error:EMAIL_FORMAT']);
  });

  it('warns about a likely misspelt mailbox domain and suggests the right one', () => {
    expect(validateEmail('zhang@qq.con')).toEqual({
      ok: true,
      value: 'zhang@qq.con',
      issues: [
        { code: 'EMAIL_DOMAIN_LIKELY_TYPO', severity: 'warning', params: { suggestion: 'qq.com' } },
      ],
    });
  });
});
