import { describe, expect, it } from 'vitest';
import { customerPhoneSchema } from '../../../shared/customer/contacts';
import { describeIssue } from '../../../shared/i18n/validation';
import {
  isCanonicalMainlandMobile,
  validateLandlinePhone,
  validateMobilePhone,
  validatePhone,
} from '../../../shared/validation/phone';
import type { ValidationResult } from '../../../shared/validation/result';

const codes = (result: ValidationResult<unknown>) =>
  result.issues.map((issue) => `${issue.severity}:${issue.code}`);

describe('mobile numbers', () => {
  it.each([
    '13800138000',
    '138 0013 8000',
    '138-0013-8000',
    '+86 138 0013 8000',
    '+86-13800138000',
    '0086 13800138000',
    '008613800138000',
    '86 13800138000',
    '１３８００１３８０００',
    '＋８６\u3000１３８\u3000００１３\u3000８０００',
  ])('accepts %s and returns +8613800138000', (input) => {
    expect(validateMobilePhone(input)).toEqual({
      ok: true,
      value: { e164: '+8613800138000', kind: 'mobile', country: 'CN' },
      issues: [],
    });
  });

  it('accepts a well-formed mobile number in a range the metadata does not know, with a warning only', () => {
    // 140 has the mobile shape, but libphonenumber's metadata knows no 11-digit range there.
    const result = validateMobilePhone('14012345678');
    expect(result).toMatchObject({ ok: true, value: { e164: '+8614012345678', kind: 'mobile' } });
    expect(codes(result)).toEqual(['warning:PHONE_RANGE_UNKNOWN']);
  });

  it('rejects a mobile number that is not 11 digits starting with 1[3-9], saying which part is wrong', () => {
    const cases: [string, string, Record<string, string | number>][] = [
      ['1380013800', 'PHONE_MOBILE_LENGTH', { length: 10 }],
      ['138001380000', 'PHONE_MOBILE_LENGTH', { length: 12 }],
      ['10012345678', 'PHONE_MOBILE_PREFIX_UNKNOWN', { prefix: '100' }],
      ['12012345678', 'PHONE_MOBILE_PREFIX_UNKNOWN', { prefix: '120' }],
      ['+86 120 1234 5678', 'PHONE_MOBILE_PREFIX_UNKNOWN', { prefix: '120' }],
      ['23800138000', 'PHONE_MOBILE_START', { first: '2' }],
      ['1380013800a', 'PHONE_MOBILE_FORMAT', {}],
    ];
    for (const [input, code, params] of cases) {
      const result = validateMobilePhone(input);
      expect(codes(result), input).toEqual([`error:${code}`]);
      expect(result.issues[0]?.params ?? {}, input).toEqual(params);
    }
  });

  it('says there is no such mobile prefix for 12012345678, not that it lacks 11 digits', () => {
    const [issue] = validateMobilePhone('12012345678').issues;
    expect(issue && describeIssue(issue, 'zh-CN')).toMatch(/^没有以120开头的手机号段/u);
    expect(issue && describeIssue(issue, 'en')).toMatch(/^No mobile numbers start with 120/u);
  });

  it('rejects a landline where a mobile number is asked for', () => {
    expect(codes(validateMobilePhone('010-65529988'))).toEqual(['error:PHONE_NOT_MOBILE']);
  });

  it('accepts a foreign mobile number written with its country code', () => {
    expect(validateMobilePhone('+852 9123 4567')).toMatchObject({
      ok: true,
      value: { e164: '+85291234567', kind: 'mobile', country: 'HK' },
    });
  });
});

describe('landline numbers', () => {
  it.each([
    ['010-65529988', '+861065529988'],
    ['（010）6552 9988', '+861065529988'],
    ['+86 10 6552 9988', '+861065529988'],
    ['0755-8888 8888', '+8675588888888'],
  ])('accepts %s with its area code and returns %s', (input, e164) => {
    expect(validateLandlinePhone(input)).toEqual({
      ok: true,
      value: { e164, kind: 'landline', country: 'CN' },
      issues: [],
    });
  });

  it('keeps an extension typed after 转 apart from the E.164 number', () => {
    expect(validateLandlinePhone('010-65529988转8001')).toMatchObject({
      ok: true,
      value: { e164: '+861065529988', extension: '8001' },
    });
  });

  it('rejects a landline number without its area code, and says that the area code is missing', () => {
    expect(codes(validateLandlinePhone('6552 9988'))).toEqual([
      'error:PHONE_LANDLINE_AREA_CODE_MISSING',
    ]);
    expect(codes(validatePhone('65529988'))).toEqual(['error:PHONE_LANDLINE_AREA_CODE_MISSING']);
  });

  it('rejects a two-digit area code followed by only 7 digits', () => {
    expect(codes(validateLandlinePhone('021-1234567'))).toEqual(['error:PHONE_LANDLINE_FORMAT']);
  });

  it('rejects a mobile number or a 400 service number where a landline is asked for', () => {
    expect(codes(validateLandlinePhone('13800138000'))).toEqual(['error:PHONE_NOT_LANDLINE']);
    expect(codes(validateLandlinePhone('400-820-8820'))).toEqual(['error:PHONE_NOT_LANDLINE']);
  });
});

describe('any phone number', () => {
  it('classifies mainland mobiles, landlines and service numbers', () => {
    expect(validatePhone('13800138000')).toMatchObject({ ok: true, value: { kind: 'mobile' } });
    expect(validatePhone('010-65529988')).toMatchObject({ ok: true, value: { kind: 'landline' } });
    expect(validatePhone('400-820-8820')).toMatchObject({
      ok: true,
      value: { e164: '+864008208820', kind: 'other' },
    });
  });

  it('reads numbers without a country code in the region it is told', () => {
    expect(validatePhone('(650) 253-0000', { defaultRegion: 'US' })).toMatchObject({
      ok: true,
      value: { e164: '+16502530000', country: 'US' },
    });
  });

  it('rejects text that is not a phone number, and an empty field', () => {
    expect(codes(validatePhone('95588'))).toEqual(['error:PHONE_INVALID']);
    expect(codes(validatePhone('call me'))).toEqual(['error:PHONE_INVALID']);
    expect(codes(validatePhone('  '))).toEqual(['error:REQUIRED']);
  });
});

describe('the canonical mainland mobile shortcut', () => {
  // Every second digit 3–9, tails spread over the whole range: each is one validatePhone accepts
  // as a mobile, unchanged, whatever range the metadata knows.
  const tails = ['000000000', '123456789', '555000111', '987654321', '999999999'];
  const canonical = [3, 4, 5, 6, 7, 8, 9].flatMap((second) =>
    [...Array(10).keys()].flatMap((third) =>
      tails.map((tail) => `+861${second}${third}${tail.slice(1)}`),
    ),
  );

  it('says yes only where validatePhone accepts the number as a mobile, unchanged', () => {
    expect(canonical).toHaveLength(350);
    for (const e164 of canonical) {
      expect(isCanonicalMainlandMobile(e164), e164).toBe(true);
      const full = validatePhone(e164, { kind: 'mobile' });
      expect(full.ok && full.value.e164 === e164 && full.value.kind === 'mobile', e164).toBe(true);
    }
  });

  it('says no to anything else, which then takes the full check', () => {
    for (const other of [
      '8613800138000',
      '+86 13800138000',
      '+8612800138000',
      '+861380013800',
      '+86138001380000',
      '+8601065529988',
      '+14155550100',
      '+861３800138000',
    ])
      expect(isCanonicalMainlandMobile(other), other).toBe(false);
  });

  it('gives a stored phone the same result through the schema either way', () => {
    expect(customerPhoneSchema.parse({ kind: 'mobile', e164: '+8613800138000' })).toEqual({
      kind: 'mobile',
      e164: '+8613800138000',
    });
    // Not canonical: normalised by the full check.
    expect(customerPhoneSchema.parse({ kind: 'mobile', e164: '138 0013 8000' }).e164).toBe(
      '+8613800138000',
    );
    // A canonical mobile filed as a landline is still refused.
    expect(
      customerPhoneSchema.safeParse({ kind: 'landline', e164: '+8613800138000' }).success,
    ).toBe(false);
  });
});
