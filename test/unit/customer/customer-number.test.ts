import { describe, expect, it } from 'vitest';
import {
  customerNumberCheckDigit,
  customerNumberSchema,
  isCustomerNumber,
} from '../../../shared/customer';

describe('the customer number (客户号)', () => {
  it('is C, nine digits and a Luhn check digit', () => {
    expect(customerNumberCheckDigit('000000001')).toBe('8');
    expect(customerNumberCheckDigit('100000023')).toBe('0');
    expect(isCustomerNumber('C0000000018')).toBe(true);
    expect(isCustomerNumber('C0000000017')).toBe(false);
  });

  it('catches a swapped pair of neighbouring digits', () => {
    expect(isCustomerNumber('C2000004578')).toBe(true);
    expect(isCustomerNumber('C2000005478')).toBe(false);
  });

  it('is stored compact and upper-case however it was typed', () => {
    expect(customerNumberSchema.parse(' c 000-000-0018 ')).toBe('C0000000018');
  });

  it('refuses digits without the letter, and a number of the wrong length', () => {
    expect(customerNumberSchema.safeParse('00000000018').success).toBe(false);
    expect(customerNumberSchema.safeParse('C000000018').success).toBe(false);
  });
});
