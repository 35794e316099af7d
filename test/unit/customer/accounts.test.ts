import { describe, expect, it } from 'vitest';
import { isUnmaskedAccountNumber, maskedAccountNumberSchema } from '../../../shared/customer';
import { individualInput, refusals } from './examples';

describe('the masked account number of the accounts summary', () => {
  it.each(['6222****7890', '6222 **** **** 7890', '622202******7890', '****7890', '62220212345'])(
    'accepts %s, which shows fewer than 12 digits in a row',
    (text) => {
      expect(maskedAccountNumberSchema.safeParse(text).success).toBe(true);
    },
  );

  it.each([
    '622202123456',
    '6222021234567890',
    '6222 0212 3456 7890',
    '6222-0212-3456-7890',
    '６２２２０２１２３４５６７８９０',
  ])('refuses %s, which is a full number however it is written', (text) => {
    expect(isUnmaskedAccountNumber(text)).toBe(true);
    expect(maskedAccountNumberSchema.safeParse(text).success).toBe(false);
  });

  it('refuses a customer whose accounts summary carries a full number', () => {
    const [account] = individualInput().accounts;
    if (!account) throw new Error('example has an account');
    const input = individualInput({
      accounts: [account, { ...account, maskedNumber: '6222021234567890' }],
    });
    expect(refusals(input)).toEqual(['ACCOUNT_NUMBER_NOT_MASKED@accounts.1.maskedNumber']);
  });
});
