import { describe, expect, it } from 'vitest';
import { describeIssue } from '../../../shared/i18n/validation';
import {
  computeResidentIdCheck,
  convertLegacyResidentId,
  residentIdBirthDate,
  residentIdGender,
  validateResidentId,
} from '../../../shared/validation/resident-id';
import type { ValidationResult } from '../../../shared/validation/result';

const today = '2026-08-15';
const withCheck = (first17: string) => first17 + computeResidentIdCheck(first17);
const codes = (result: ValidationResult<unknown>) =>
  result.issues.map((issue) => `${issue.severity}:${issue.code}`);

describe('validateResidentId', () => {
  it('accepts the example number of GB 11643-1999, 11010519491231002X', () => {
    expect(validateResidentId('11010519491231002X', { today })).toEqual({
      ok: true,
      value: '11010519491231002X',
      issues: [],
    });
  });

  it('rejects a resident ID whose check character is wrong, and says so in plain words', () => {
    const result = validateResidentId('110105194912310021', { today });
    expect(result.ok).toBe(false);
    expect(codes(result)).toEqual(['error:RESIDENT_ID_CHECK_CHARACTER']);
    const [issue] = result.issues;
    expect(issue && describeIssue(issue, 'zh-CN')).toContain('身份证号码校验位不正确');
  });

  it('accepts a lowercase x as check character and returns it upper-case', () => {
    expect(validateResidentId('11010519491231002x', { today })).toMatchObject({
      ok: true,
      value: '11010519491231002X',
    });
  });

  it('accepts full-width digits, ideographic spaces and dashes, and returns the compact number', () => {
    const input = '１１０１０５\u3000１９４９１２３１－００２Ｘ';
    expect(validateResidentId(input, { today })).toMatchObject({
      ok: true,
      value: '11010519491231002X',
    });
    expect(validateResidentId('110105 1949 1231 002x', { today })).toMatchObject({ ok: true });
  });

  it('accepts 29 February in a leap year (2000) and rejects it in a common year (1999) and in 1900', () => {
    expect(validateResidentId(withCheck('11010520000229001'), { today }).ok).toBe(true);
    expect(codes(validateResidentId(withCheck('11010519990229001'), { today }))).toEqual([
      'error:RESIDENT_ID_BIRTH_DATE_INVALID',
    ]);
    expect(codes(validateResidentId(withCheck('11010519000229001'), { today }))).toEqual([
      'error:RESIDENT_ID_BIRTH_DATE_INVALID',
    ]);
  });

  it('rejects month 13, day 0 and 31 April as birth dates', () => {
    for (const first17 of ['11010519911301001', '11010519910100001', '11010519910431001']) {
      expect(codes(validateResidentId(withCheck(first17), { today }))).toEqual([
        'error:RESIDENT_ID_BIRTH_DATE_INVALID',
      ]);
    }
  });

  it('rejects a birth date after today, with today given as an ISO string or as a calendar date', () => {
    const bornTomorrow = withCheck('11010520260816001');
    expect(codes(validateResidentId(bornTomorrow, { today: '2026-08-15' }))).toEqual([
      'error:RESIDENT_ID_BIRTH_DATE_IN_FUTURE',
    ]);
    expect(validateResidentId(bornTomorrow, { today: { year: 2026, month: 8, day: 16 } }).ok).toBe(
      true,
    );
  });

  it('rejects a birth year before 1900', () => {
    const result = validateResidentId(withCheck('11010518991231001'), { today });
    expect(result.issues).toEqual([
      {
        code: 'RESIDENT_ID_BIRTH_DATE_TOO_EARLY',
        severity: 'error',
        params: { earliestYear: 1900 },
      },
    ]);
  });

  it('converts a legacy 15-digit number to 18 characters, validates that, and warns the teller', () => {
    const result = validateResidentId('110105491231002', { today });
    expect(result).toEqual({
      ok: true,
      value: '11010519491231002X',
      issues: [{ code: 'RESIDENT_ID_LEGACY_CONVERTED', severity: 'warning' }],
    });
    expect(convertLegacyResidentId('110105491231002')).toBe('11010519491231002X');
  });

  it('still checks the birth date and region of a converted legacy number', () => {
    expect(codes(validateResidentId('110105491301002', { today }))).toEqual([
      'warning:RESIDENT_ID_LEGACY_CONVERTED',
      'error:RESIDENT_ID_BIRTH_DATE_INVALID',
    ]);
    expect(validateResidentId('99010549123100X', { today }).issues).toEqual([
      { code: 'RESIDENT_ID_FORMAT', severity: 'error' },
    ]);
  });

  it('rejects a number of the wrong length and says how long it was', () => {
    expect(validateResidentId('11010519491231002', { today }).issues).toEqual([
      { code: 'RESIDENT_ID_LENGTH', severity: 'error', params: { length: 17 } },
    ]);
    expect(validateResidentId('', { today }).issues).toEqual([
      { code: 'REQUIRED', severity: 'error' },
    ]);
  });

  it('rejects letters anywhere but in the check position', () => {
    expect(codes(validateResidentId('T60426199101010078', { today }))).toEqual([
      'error:RESIDENT_ID_FORMAT',
    ]);
    expect(codes(validateResidentId('1101051949123100X2', { today }))).toEqual([
      'error:RESIDENT_ID_FORMAT',
    ]);
  });

  it('rejects a region whose first two digits are not a mainland province, or whose digits 3–6 are all zero', () => {
    for (const first17 of [
      '99042619911201007',
      '71000019850101001',
      '19010519491231002',
      '11000019491231002',
    ]) {
      expect(codes(validateResidentId(withCheck(first17), { today }))).toEqual([
        'error:RESIDENT_ID_REGION',
      ]);
    }
  });

  it('accepts every mainland province code of GB/T 2260', () => {
    const provinces = [
      11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51,
      52, 53, 54, 61, 62, 63, 64, 65,
    ];
    for (const province of provinces) {
      expect(validateResidentId(withCheck(`${province}010119800101001`), { today }).ok).toBe(true);
    }
  });

  it('recognises a residence permit number for Hong Kong, Macao or Taiwan residents and refuses it as a resident ID', () => {
    for (const code of ['810000', '820000', '830000']) {
      const number = withCheck(`${code}19900101001`);
      expect(codes(validateResidentId(number, { today }))).toEqual([
        'error:RESIDENT_ID_RESIDENCE_PERMIT_NUMBER',
      ]);
      expect(validateResidentId(number, { today, acceptResidencePermit: true }).ok).toBe(true);
    }
  });

  it('reports every independent error of a number at once', () => {
    expect(codes(validateResidentId('990105199913320011', { today }))).toEqual([
      'error:RESIDENT_ID_REGION',
      'error:RESIDENT_ID_BIRTH_DATE_INVALID',
      'error:RESIDENT_ID_CHECK_CHARACTER',
    ]);
  });
});

describe('resident ID helpers', () => {
  it('computes the ISO 7064 MOD 11-2 check character, X for 10', () => {
    expect(computeResidentIdCheck('11010519491231002')).toBe('X');
    expect(computeResidentIdCheck('36042619910101007')).toBe('1');
    expect(() => computeResidentIdCheck('1101051949123100')).toThrow(RangeError);
  });

  it('reads the birth date of 18- and 15-character numbers', () => {
    expect(residentIdBirthDate('11010519491231002X')).toEqual({ year: 1949, month: 12, day: 31 });
    expect(residentIdBirthDate('110105491231002')).toEqual({ year: 1949, month: 12, day: 31 });
    expect(residentIdBirthDate(withCheck('11010519990229001'))).toBeUndefined();
  });

  it('reads the gender from the 17th digit: odd male, even (0 included) female', () => {
    expect(residentIdGender('11010519491231002X')).toBe('female');
    expect(residentIdGender('360426199101010071')).toBe('male');
    expect(residentIdGender(withCheck('11010519491231000'))).toBe('female');
    expect(residentIdGender('110105491231001')).toBe('male');
    expect(residentIdGender('not a number')).toBeUndefined();
  });
});
