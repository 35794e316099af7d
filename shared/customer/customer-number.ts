// 客户号, the customer number the bank shows and people quote: the letter `C` and 10 digits,
// the last of which is the Luhn check digit of the 9 before it (`C000000001` + `8`). The letter
// keeps it apart, in the one search box, from ID, phone, account and card numbers, which are all
// digits; the check digit catches a mistyped digit and most swapped neighbours. Numbers are
// assigned by HQ; a branch never makes one up.
import { z } from 'zod';
import { compactIdentifier } from '../validation';
import { addCustomerIssue } from './issues';

const CUSTOMER_NUMBER = /^C\d{10}$/u;

/** The Luhn check digit of the 9-digit body of a customer number. Throws on any other input. */
export function customerNumberCheckDigit(body: string): string {
  if (!/^\d{9}$/u.test(body)) throw new RangeError('a customer number body is 9 digits');
  let sum = 0;
  // From the right, every other digit starting with the rightmost body digit is doubled.
  for (let index = 0; index < body.length; index += 1) {
    let digit = Number(body[body.length - 1 - index]);
    if (index % 2 === 0) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return String((10 - (sum % 10)) % 10);
}

/** Compact and upper-case, as a teller may type `c 000-000-0018`. */
export function normalizeCustomerNumber(input: string): string {
  return compactIdentifier(input).toUpperCase();
}

export function isCustomerNumber(input: string): boolean {
  const number = normalizeCustomerNumber(input);
  return (
    CUSTOMER_NUMBER.test(number) && customerNumberCheckDigit(number.slice(1, 10)) === number[10]
  );
}

/** True for a customer number as customerNumberSchema returns it: normalised, check digit right. */
export function isStoredCustomerNumber(value: string): boolean {
  return CUSTOMER_NUMBER.test(value) && customerNumberCheckDigit(value.slice(1, 10)) === value[10];
}

/** A customer number; outputs the normalised form. */
export const customerNumberSchema = z.string().transform((input, context) => {
  const number = normalizeCustomerNumber(input);
  if (!CUSTOMER_NUMBER.test(number)) {
    addCustomerIssue(context, 'CUSTOMER_NUMBER_FORMAT');
    return z.NEVER;
  }
  if (customerNumberCheckDigit(number.slice(1, 10)) !== number[10]) {
    addCustomerIssue(context, 'CUSTOMER_NUMBER_CHECK_DIGIT');
    return z.NEVER;
  }
  return number;
});
