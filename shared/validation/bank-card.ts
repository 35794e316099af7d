// Bank card numbers (银行卡号): 16–19 digits. Most pass the Luhn check, but some domestic cards
// do not, so a failed check is only a warning (GLOSSARY).
import { compactIdentifier } from './normalize';
import { type ValidationResult, conclude, error, rejected, warning } from './result';

export const BANK_CARD_MIN_LENGTH = 16;
export const BANK_CARD_MAX_LENGTH = 19;

/** True when a digit string passes the Luhn (mod 10) check. Throws on anything but digits. */
export function passesLuhn(digits: string): boolean {
  if (!/^\d+$/u.test(digits)) throw new RangeError('passesLuhn needs digits only');
  let sum = 0;
  let double = false;
  for (let index = digits.length - 1; index >= 0; index -= 1) {
    let digit = Number(digits[index]);
    if (double) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
    double = !double;
  }
  return sum % 10 === 0;
}

/** Validates a card number and returns its digits without spaces or dashes. */
export function validateBankCard(input: string): ValidationResult<string> {
  const digits = compactIdentifier(input);
  if (digits === '') return rejected([error('REQUIRED')]);
  if (!/^\d+$/u.test(digits)) return rejected([error('BANK_CARD_FORMAT')]);
  if (digits.length < BANK_CARD_MIN_LENGTH || digits.length > BANK_CARD_MAX_LENGTH) {
    return rejected([
      error('BANK_CARD_LENGTH', {
        length: digits.length,
        min: BANK_CARD_MIN_LENGTH,
        max: BANK_CARD_MAX_LENGTH,
      }),
    ]);
  }
  return conclude(digits, passesLuhn(digits) ? [] : [warning('BANK_CARD_LUHN')]);
}
