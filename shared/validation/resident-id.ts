// Resident identity card numbers (居民身份证号码 / 公民身份号码, GB 11643-1999):
// 6-digit address code, 8-digit birth date, 3-digit sequence (odd = male, even = female) and an
// ISO 7064 MOD 11-2 check character. Legacy 15-digit numbers (issued before 1999) have a
// 2-digit year and no check character; they are converted to 18 characters before checking.
import {
  type CalendarDate,
  type DateInput,
  compareDates,
  digitsAt,
  isRealDate,
  resolveToday,
} from './dates';
import { normalizeIdNumber } from './normalize';
import { mainlandProvinceCodes, residencePermitAddressCodes } from './regions';
import {
  type ValidationIssue,
  type ValidationResult,
  conclude,
  error,
  rejected,
  warning,
} from './result';

export type Gender = 'male' | 'female';

export interface ResidentIdOptions {
  /** The day to judge "in the future" against; defaults to the local calendar day. */
  today?: DateInput;
  /**
   * Accept the numbers of residence permits for Hong Kong, Macao and Taiwan residents
   * (address codes 810000, 820000, 830000). Off by default: the document type is then wrong.
   */
  acceptResidencePermit?: boolean;
}

/** The earliest birth year accepted: nobody alive holds a card with an earlier one. */
export const EARLIEST_BIRTH_YEAR = 1900;

// Weight of position i (1-based, left to right) is 2^(18-i) mod 11.
const CHECK_WEIGHTS = Array.from({ length: 17 }, (_, index) => 2 ** (17 - index) % 11);
// The check character is the one that makes the weighted sum of all 18 positions ≡ 1 (mod 11),
// with X standing for 10.
const CHECK_CHARACTERS = '10X98765432';

/**
 * The ISO 7064 MOD 11-2 check character (`0`–`9` or `X`) of the first 17 digits of a
 * resident ID number. Throws when `first17` is not exactly 17 digits.
 */
export function computeResidentIdCheck(first17: string): string {
  if (!/^\d{17}$/u.test(first17))
    throw new RangeError('computeResidentIdCheck needs exactly 17 digits');
  let sum = 0;
  for (let index = 0; index < 17; index += 1) {
    sum += Number(first17[index]) * (CHECK_WEIGHTS[index] ?? 0);
  }
  return CHECK_CHARACTERS[sum % 11] ?? '';
}

/**
 * The 18-character form of a legacy 15-digit number: the century `19` is inserted before the
 * 2-digit year and the check character computed. Undefined when the input is not 15 digits.
 */
export function convertLegacyResidentId(input: string): string | undefined {
  const legacy = normalizeIdNumber(input);
  if (!/^\d{15}$/u.test(legacy)) return undefined;
  const first17 = `${legacy.slice(0, 6)}19${legacy.slice(6)}`;
  return first17 + computeResidentIdCheck(first17);
}

/** Normalises and, for a 15-digit number, converts to 18; the result is not yet validated. */
function toEighteen(input: string): string {
  const id = normalizeIdNumber(input);
  // Only 15 characters can be a legacy number; an 18-character one is not normalised again.
  return id.length === 15 ? (convertLegacyResidentId(id) ?? id) : id;
}

/**
 * The birth date written in a resident ID number (15 or 18 characters, any accepted spelling).
 * Undefined when the number has no such date or it is not a real calendar day.
 */
export function residentIdBirthDate(id: string): CalendarDate | undefined {
  const eighteen = toEighteen(id);
  if (!/^\d{17}[\dX]$/u.test(eighteen)) return undefined;
  const date = {
    year: digitsAt(eighteen, 6, 4),
    month: digitsAt(eighteen, 10, 2),
    day: digitsAt(eighteen, 12, 2),
  };
  return isRealDate(date) ? date : undefined;
}

/** The gender the sequence code gives: odd 17th digit (15th of a legacy number) male, even female. */
export function residentIdGender(id: string): Gender | undefined {
  const eighteen = toEighteen(id);
  if (!/^\d{17}[\dX]$/u.test(eighteen)) return undefined;
  return Number(eighteen[16]) % 2 === 1 ? 'male' : 'female';
}

/**
 * Validates a resident ID number and returns it in its 18-character form. Errors: length,
 * characters, check character, address code (province level, digits 3–6 not all zero),
 * birth date (a real day, not in the future, not before 1900). A legacy 15-digit number is
 * converted and gets a warning so that the teller checks the customer's current card.
 */
export function validateResidentId(
  input: string,
  options: ResidentIdOptions = {},
): ValidationResult<string> {
  const normalised = normalizeIdNumber(input);
  if (normalised === '') return rejected([error('REQUIRED')]);

  const issues: ValidationIssue[] = [];
  let id = normalised;
  if (normalised.length === 15) {
    const converted = convertLegacyResidentId(normalised);
    if (converted === undefined) return rejected([error('RESIDENT_ID_FORMAT')]);
    id = converted;
    issues.push(warning('RESIDENT_ID_LEGACY_CONVERTED'));
  } else if (normalised.length !== 18) {
    return rejected([error('RESIDENT_ID_LENGTH', { length: normalised.length })]);
  }
  if (!/^\d{17}[\dX]$/u.test(id)) return rejected([error('RESIDENT_ID_FORMAT')]);

  issues.push(...addressCodeIssues(id.slice(0, 6), options.acceptResidencePermit === true));
  issues.push(...birthDateIssues(id, resolveToday(options.today)));
  if (id[17] !== computeResidentIdCheck(id.slice(0, 17)))
    issues.push(error('RESIDENT_ID_CHECK_CHARACTER'));

  return conclude(id, issues);
}

function addressCodeIssues(addressCode: string, acceptResidencePermit: boolean): ValidationIssue[] {
  if (residencePermitAddressCodes.has(addressCode)) {
    return acceptResidencePermit ? [] : [error('RESIDENT_ID_RESIDENCE_PERMIT_NUMBER')];
  }
  if (!mainlandProvinceCodes.has(addressCode.slice(0, 2)) || addressCode.slice(2) === '0000') {
    return [error('RESIDENT_ID_REGION')];
  }
  return [];
}

function birthDateIssues(id: string, today: CalendarDate): ValidationIssue[] {
  const birthDate = residentIdBirthDate(id);
  if (birthDate === undefined) return [error('RESIDENT_ID_BIRTH_DATE_INVALID')];
  if (birthDate.year < EARLIEST_BIRTH_YEAR) {
    return [error('RESIDENT_ID_BIRTH_DATE_TOO_EARLY', { earliestYear: EARLIEST_BIRTH_YEAR })];
  }
  if (compareDates(birthDate, today) > 0) return [error('RESIDENT_ID_BIRTH_DATE_IN_FUTURE')];
  return [];
}
