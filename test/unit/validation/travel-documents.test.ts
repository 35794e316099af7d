import { describe, expect, it } from 'vitest';
import {
  computeBusinessLicenceCheck,
  validateBusinessLicenceNumber,
} from '../../../shared/validation/business-licence';
import { validateIdentityDocumentNumber } from '../../../shared/validation/identity-document';
import { computeResidentIdCheck } from '../../../shared/validation/resident-id';
import type { ValidationResult } from '../../../shared/validation/result';
import {
  validateForeignPermanentResidentIdNumber,
  validateHkMacaoPermitNumber,
  validatePassportNumber,
  validateTaiwanPermitNumber,
} from '../../../shared/validation/travel-documents';

const codes = (result: ValidationResult<unknown>) =>
  result.issues.map((issue) => `${issue.severity}:${issue.code}`);

describe('Chinese passport numbers (format only)', () => {
  it.each([
    'E12345678',
    'EA1234567',
    'EH7654321',
    'DE1234567',
    'SE1234567',
    'PE1234567',
    'S12345678',
    'P12345678',
    'D12345678',
    'K12345678',
    'MA1234567',
  ])('accepts %s', (number) => {
    expect(validatePassportNumber(number)).toEqual({ ok: true, value: number, issues: [] });
  });

  it('normalises case, spaces and full-width characters', () => {
    expect(validatePassportNumber(' ea 123 4567 ')).toMatchObject({ ok: true, value: 'EA1234567' });
    expect(validatePassportNumber('Ｅ１２３４５６７８')).toMatchObject({
      ok: true,
      value: 'E12345678',
    });
  });

  it('accepts an old G passport number with a warning that such passports have expired', () => {
    expect(codes(validatePassportNumber('G12345678'))).toEqual(['warning:PASSPORT_LEGACY_FORMAT']);
    expect(validatePassportNumber('G12345678').ok).toBe(true);
  });

  it.each([
    'E1234567',
    'E123456789',
    'EI1234567',
    'EO1234567',
    'EA12345678',
    'X12345678',
    '123456789',
  ])('rejects %s (E + letter + 7 digits is 9 characters; I and O are never used)', (number) => {
    expect(codes(validatePassportNumber(number))).toEqual(['error:PASSPORT_FORMAT']);
  });

  it('checks only the general shape of a passport of another state', () => {
    expect(validatePassportNumber('C01X00T47', { issuingCountry: 'DEU' })).toMatchObject({
      ok: true,
    });
    expect(validatePassportNumber('123456789', { issuingCountry: 'us' })).toMatchObject({
      ok: true,
    });
    expect(codes(validatePassportNumber('AB1', { issuingCountry: 'GB' }))).toEqual([
      'error:PASSPORT_FORMAT',
    ]);
    expect(codes(validatePassportNumber('AB/12345', { issuingCountry: 'GB' }))).toEqual([
      'error:PASSPORT_FORMAT',
    ]);
  });
});

describe('Mainland Travel Permit for Hong Kong and Macao Residents (format only)', () => {
  it('accepts H or M and 8 digits', () => {
    expect(validateHkMacaoPermitNumber('H12345678')).toEqual({
      ok: true,
      value: 'H12345678',
      issues: [],
    });
    expect(validateHkMacaoPermitNumber('m 1234 5678')).toMatchObject({
      ok: true,
      value: 'M12345678',
    });
  });

  it('accepts the old 11-character form (lifelong number and 2-digit re-issue count) with a warning', () => {
    expect(validateHkMacaoPermitNumber('H1234567801')).toMatchObject({
      ok: true,
      issues: [{ code: 'HK_MACAO_PERMIT_LEGACY_FORMAT', severity: 'warning' }],
    });
  });

  it.each(['A12345678', 'H1234567', 'H123456789', '12345678'])('rejects %s', (number) => {
    expect(codes(validateHkMacaoPermitNumber(number))).toEqual(['error:HK_MACAO_PERMIT_FORMAT']);
  });
});

describe('Mainland Travel Permit for Taiwan Residents (format only)', () => {
  it('accepts the 8-digit lifelong number', () => {
    expect(validateTaiwanPermitNumber('12345678')).toEqual({
      ok: true,
      value: '12345678',
      issues: [],
    });
  });

  it('accepts the old 10-digit form, with or without the issuing office in brackets, with a warning', () => {
    expect(codes(validateTaiwanPermitNumber('1234567801'))).toEqual([
      'warning:TAIWAN_PERMIT_LEGACY_FORMAT',
    ]);
    expect(validateTaiwanPermitNumber('1234567801（B）')).toMatchObject({
      ok: true,
      value: '1234567801(B)',
    });
  });

  it.each(['1234567', '123456789', 'T1234567'])('rejects %s', (number) => {
    expect(codes(validateTaiwanPermitNumber(number))).toEqual(['error:TAIWAN_PERMIT_FORMAT']);
  });
});

describe('Foreign Permanent Resident ID Card', () => {
  const first17 = '93384019850312001';
  const current = first17 + computeResidentIdCheck(first17);

  it('accepts the 2023 18-character number starting with 9 and verifies its MOD 11-2 check character', () => {
    expect(validateForeignPermanentResidentIdNumber(current)).toEqual({
      ok: true,
      value: current,
      issues: [],
    });
    const wrong = first17 + (current.endsWith('0') ? '1' : '0');
    expect(codes(validateForeignPermanentResidentIdNumber(wrong))).toEqual([
      'error:FOREIGN_PERMANENT_RESIDENT_ID_CHECK_CHARACTER',
    ]);
  });

  it('accepts the 15-character number of older cards: 3 letters and 12 digits (format only)', () => {
    expect(validateForeignPermanentResidentIdNumber('usa310085031201')).toMatchObject({
      ok: true,
      value: 'USA310085031201',
    });
  });

  it('rejects a citizen resident ID number and other shapes', () => {
    for (const number of ['11010519491231002X', 'US3100850312012', '9338401985031200']) {
      expect(codes(validateForeignPermanentResidentIdNumber(number))).toEqual([
        'error:FOREIGN_PERMANENT_RESIDENT_ID_FORMAT',
      ]);
    }
  });
});

describe('business licence registration numbers', () => {
  it('accepts 15 digits whose ISO 7064 MOD 11,10 check digit holds', () => {
    expect(computeBusinessLicenceCheck('11010800000001')).toBe('6');
    expect(validateBusinessLicenceNumber('110108 000000016')).toEqual({
      ok: true,
      value: '110108000000016',
      issues: [],
    });
  });

  it('gives only a warning when the check digit does not hold', () => {
    expect(validateBusinessLicenceNumber('110108000000017')).toEqual({
      ok: true,
      value: '110108000000017',
      issues: [{ code: 'BUSINESS_LICENCE_CHECK_DIGIT', severity: 'warning' }],
    });
  });

  it('rejects anything but 15 digits, such as an 18-character USCC', () => {
    expect(codes(validateBusinessLicenceNumber('91110000600037341L'))).toEqual([
      'error:BUSINESS_LICENCE_FORMAT',
    ]);
    expect(codes(validateBusinessLicenceNumber('11010800000001'))).toEqual([
      'error:BUSINESS_LICENCE_FORMAT',
    ]);
  });
});

describe('validateIdentityDocumentNumber', () => {
  it('dispatches on the document type', () => {
    expect(
      validateIdentityDocumentNumber('resident_id', '11010519491231002x', { today: '2026-01-01' }),
    ).toMatchObject({
      ok: true,
      value: '11010519491231002X',
    });
    expect(validateIdentityDocumentNumber('passport', 'EA1234567').ok).toBe(true);
    expect(validateIdentityDocumentNumber('hk_macao_permit', 'H12345678').ok).toBe(true);
    expect(validateIdentityDocumentNumber('taiwan_permit', '12345678').ok).toBe(true);
    expect(
      validateIdentityDocumentNumber('foreign_permanent_resident_id', 'USA310085031201').ok,
    ).toBe(true);
    expect(validateIdentityDocumentNumber('passport', 'H12345678').ok).toBe(false);
  });
});
