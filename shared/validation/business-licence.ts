// Business licence registration numbers (营业执照注册号) from before the unified social credit
// code: 15 digits (6-digit registering office, 8-digit sequence, 1 check digit, GS 15-2006).
// Since 2016 licences carry the 18-character USCC instead (see ./uscc).
import { compactIdentifier } from './normalize';
import { type ValidationResult, conclude, error, rejected, warning } from './result';

/**
 * The GS 15-2006 check digit of the first 14 digits: ISO 7064 MOD 11,10 (GB/T 17710).
 * Throws when `first14` is not 14 digits.
 */
export function computeBusinessLicenceCheck(first14: string): string {
  if (!/^\d{14}$/u.test(first14))
    throw new RangeError('computeBusinessLicenceCheck needs exactly 14 digits');
  let product = 10;
  for (const char of first14) {
    const sum = (product + Number(char)) % 10 || 10;
    product = (sum * 2) % 11;
  }
  return String((11 - product) % 10);
}

/**
 * Validates a 15-digit registration number. A failed check digit is only a warning: we could
 * not confirm that every 15-digit number still on file (some were assigned under local rules
 * before GS 15-2006) follows it. Beyond that, a format check.
 */
export function validateBusinessLicenceNumber(input: string): ValidationResult<string> {
  const number = compactIdentifier(input);
  if (number === '') return rejected([error('REQUIRED')]);
  if (!/^\d{15}$/u.test(number)) return rejected([error('BUSINESS_LICENCE_FORMAT')]);
  const checkOk = number[14] === computeBusinessLicenceCheck(number.slice(0, 14));
  return conclude(number, checkOk ? [] : [warning('BUSINESS_LICENCE_CHECK_DIGIT')]);
}
