import { describe, expect, it } from 'vitest';
import { passesLuhn, validateBankCard } from '../../../shared/validation/bank-card';

describe('validateBankCard', () => {
  it('accepts a 16-digit card number that passes Luhn and returns its digits', () => {
    expect(validateBankCard('4111 1111 1111 1111')).toEqual({
      ok: true,
      value: '4111111111111111',
      issues: [],
    });
  });

  it('accepts a 19-digit number with full-width digits and dashes', () => {
    const value = '6217000010001234569';
    expect(passesLuhn(value)).toBe(true);
    expect(validateBankCard('６２１７－００００－１０００－１２３４－５６９')).toEqual({
      ok: true,
      value,
      issues: [],
    });
  });

  it('gives only a warning, not an error, for a card number that fails Luhn', () => {
    expect(validateBankCard('4111111111111112')).toEqual({
      ok: true,
      value: '4111111111111112',
      issues: [{ code: 'BANK_CARD_LUHN', severity: 'warning' }],
    });
  });

  it('rejects fewer than 16 or more than 19 digits, and letters', () => {
    expect(validateBankCard('411111111111111').issues).toEqual([
      { code: 'BANK_CARD_LENGTH', severity: 'error', params: { length: 15, min: 16, max: 19 } },
    ]);
    expect(validateBankCard('41111111111111111111').ok).toBe(false);
    expect(validateBankCard('4111 1111 1111 111A').issues).toEqual([
      { code: 'BANK_CARD_FORMAT', severity: 'error' },
    ]);
  });

  it('computes Luhn as ISO/IEC 7812 does', () => {
    expect(passesLuhn('79927398713')).toBe(true);
    expect(passesLuhn('79927398710')).toBe(false);
    expect(() => passesLuhn('7992 7398 713')).toThrow(RangeError);
  });
});
