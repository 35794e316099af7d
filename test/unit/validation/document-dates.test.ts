import { describe, expect, it } from 'vitest';
import {
  documentExpiryStatus,
  kycReviewStatus,
  parseExpiry,
  residentIdValidityForAge,
  validateIdentityDocumentConsistency,
} from '../../../shared/validation/document-dates';
import { computeResidentIdCheck } from '../../../shared/validation/resident-id';
import type { ValidationResult } from '../../../shared/validation/result';

const today = '2026-08-15';
const codes = (result: ValidationResult<unknown>) =>
  result.issues.map((issue) => `${issue.severity}:${issue.code}`);
// Born 1990-06-15, female (sequence 002).
const first17 = '11010519900615002';
const residentId = first17 + computeResidentIdCheck(first17);
// Born 1960-01-10.
const olderFirst17 = '11010519600110002';
const olderResidentId = olderFirst17 + computeResidentIdCheck(olderFirst17);

describe('validateIdentityDocumentConsistency', () => {
  it('accepts a resident ID whose dates, birth date and gender agree, and derives the facts', () => {
    const result = validateIdentityDocumentConsistency(
      { type: 'resident_id', number: residentId, issuedOn: '2016-07-01', expiresOn: '2036-07-01' },
      { birthDate: '1990-06-15', gender: 'female' },
      { today },
    );
    expect(result).toEqual({
      ok: true,
      value: { birthDate: '1990-06-15', gender: 'female', ageAtIssue: 26, expiryStatus: 'valid' },
      issues: [],
    });
  });

  it('rejects an expiry date on or before the issue date', () => {
    const result = validateIdentityDocumentConsistency(
      { type: 'passport', number: 'EA1234567', issuedOn: '2020-01-01', expiresOn: '2019-12-31' },
      {},
      { today },
    );
    expect(codes(result)).toEqual(['error:DOCUMENT_EXPIRY_BEFORE_ISSUE']);
  });

  it('rejects a stated birth date that differs from the one in the resident ID number', () => {
    const result = validateIdentityDocumentConsistency(
      { type: 'resident_id', number: residentId },
      { birthDate: '1990-06-16' },
      { today },
    );
    expect(codes(result)).toEqual(['error:DOCUMENT_BIRTH_DATE_MISMATCH']);
  });

  it('rejects a stated gender that the 17th digit contradicts', () => {
    const result = validateIdentityDocumentConsistency(
      { type: 'resident_id', number: residentId },
      { gender: 'male' },
      { today },
    );
    expect(codes(result)).toEqual(['error:DOCUMENT_GENDER_MISMATCH']);
  });

  it('rejects an issue date in the future or before birth, and impossible dates', () => {
    expect(
      codes(
        validateIdentityDocumentConsistency(
          { type: 'resident_id', number: residentId, issuedOn: '2026-08-16' },
          {},
          { today },
        ),
      ),
    ).toEqual(['error:DOCUMENT_ISSUE_DATE_IN_FUTURE']);
    expect(
      codes(
        validateIdentityDocumentConsistency(
          { type: 'resident_id', number: residentId, issuedOn: '1989-01-01' },
          {},
          { today },
        ),
      ),
    ).toEqual(['error:DOCUMENT_ISSUED_BEFORE_BIRTH']);
    expect(
      codes(
        validateIdentityDocumentConsistency(
          { type: 'passport', number: 'E12345678', issuedOn: '2023-02-29', expiresOn: 'soon' },
          { birthDate: '1990-02-30' },
          { today },
        ),
      ),
    ).toEqual([
      'error:DOCUMENT_ISSUE_DATE_INVALID',
      'error:DOCUMENT_EXPIRY_DATE_INVALID',
      'error:BIRTH_DATE_INVALID',
    ]);
    expect(
      codes(
        validateIdentityDocumentConsistency(
          { type: 'passport', number: 'E12345678' },
          { birthDate: '2027-01-01' },
          { today },
        ),
      ),
    ).toEqual(['error:BIRTH_DATE_IN_FUTURE']);
  });

  it('does not compare with a resident ID number that is itself invalid (its validator reports that)', () => {
    const broken = `${first17}${computeResidentIdCheck(first17) === '0' ? '1' : '0'}`;
    expect(
      validateIdentityDocumentConsistency(
        { type: 'resident_id', number: broken },
        { gender: 'male' },
        { today },
      ).ok,
    ).toBe(true);
  });

  describe('resident ID validity period and age at issue (warnings)', () => {
    const check = (issuedOn: string, expiresOn: string | null, number = residentId) =>
      validateIdentityDocumentConsistency(
        { type: 'resident_id', number, issuedOn, expiresOn },
        {},
        { today },
      );

    it.each([
      ['under 16: 5 years', '2004-03-01', '2009-03-01'],
      ['16–25: 10 years', '2010-03-01', '2020-03-01'],
      ['26–45: 20 years', '2020-03-01', '2040-03-01'],
    ])('accepts %s', (_label, issuedOn, expiresOn) => {
      expect(check(issuedOn, expiresOn).issues).toEqual([]);
    });

    it('accepts a long-term card issued at 46 or later, written as null or as 长期', () => {
      expect(check('2010-03-01', null, olderResidentId).issues).toEqual([]);
      expect(check('2010-03-01', '长期', olderResidentId).issues).toEqual([]);
    });

    it('warns when the period does not fit the age at issue, naming the age and the expected period', () => {
      expect(check('2010-03-01', '2030-03-01').issues).toEqual([
        {
          code: 'RESIDENT_ID_VALIDITY_PERIOD_MISMATCH',
          severity: 'warning',
          params: { ageAtIssue: 19, expectedYears: 10 },
        },
      ]);
      expect(check('2010-03-01', '2020-03-02').ok).toBe(true);
      expect(codes(check('2010-03-01', '2020-03-02'))).toEqual([
        'warning:RESIDENT_ID_VALIDITY_PERIOD_MISMATCH',
      ]);
    });

    it('warns about a long-term card issued before 46, and a dated card issued at 46 or later', () => {
      expect(check('2020-03-01', null).issues).toEqual([
        {
          code: 'RESIDENT_ID_LONG_TERM_UNEXPECTED',
          severity: 'warning',
          params: { ageAtIssue: 29, expectedYears: 20 },
        },
      ]);
      expect(check('2010-03-01', '2030-03-01', olderResidentId).issues).toEqual([
        { code: 'RESIDENT_ID_LONG_TERM_EXPECTED', severity: 'warning', params: { ageAtIssue: 50 } },
      ]);
    });

    it('accepts either period near a birthday boundary, because the age is taken when the card was applied for', () => {
      // Turned 26 on 2016-06-15; applied at 25, card issued at 26: 10 or 20 years are both plausible.
      expect(check('2016-07-01', '2026-07-01').issues).toEqual([]);
      expect(check('2016-07-01', '2036-07-01').issues).toEqual([]);
      expect(codes(check('2017-07-01', '2027-07-01'))).toEqual([
        'warning:RESIDENT_ID_VALIDITY_PERIOD_MISMATCH',
      ]);
    });

    it('accepts 28 February or 1 March as the anniversary of a card issued on 29 February', () => {
      expect(check('2012-02-29', '2022-02-28').issues).toEqual([]);
      expect(check('2012-02-29', '2022-03-01').issues).toEqual([]);
    });
  });
});

describe('residentIdValidityForAge', () => {
  it('follows the Resident Identity Card Law: <16 → 5, 16–25 → 10, 26–45 → 20, 46+ → long-term', () => {
    expect([0, 15, 16, 25, 26, 45, 46, 90].map(residentIdValidityForAge)).toEqual([
      5,
      5,
      10,
      10,
      20,
      20,
      'long_term',
      'long_term',
    ]);
  });
});

describe('documentExpiryStatus (derived, never stored)', () => {
  it('is long_term for a card without an end date', () => {
    expect(documentExpiryStatus(null, today)).toBe('long_term');
    expect(parseExpiry('长期')).toBeNull();
  });

  it('is valid through the expiry day itself, expired the day after', () => {
    expect(documentExpiryStatus('2026-08-15', today)).toBe('expiring_soon');
    expect(documentExpiryStatus('2026-08-14', today)).toBe('expired');
  });

  it('is expiring_soon within 30 days and valid after that', () => {
    expect(documentExpiryStatus('2026-09-14', today)).toBe('expiring_soon');
    expect(documentExpiryStatus('2026-09-15', today)).toBe('valid');
    expect(
      documentExpiryStatus({ year: 2030, month: 1, day: 1 }, { year: 2026, month: 8, day: 15 }),
    ).toBe('valid');
  });

  it('refuses a date that does not exist', () => {
    expect(() => documentExpiryStatus('2026-02-30', today)).toThrow(RangeError);
  });
});

describe('kycReviewStatus', () => {
  it('is ok more than 30 days ahead, due_soon up to the due day, overdue after it', () => {
    expect(kycReviewStatus('2026-09-15', today)).toBe('ok');
    expect(kycReviewStatus('2026-09-14', today)).toBe('due_soon');
    expect(kycReviewStatus('2026-08-15', today)).toBe('due_soon');
    expect(kycReviewStatus('2026-08-14', today)).toBe('overdue');
  });
});
