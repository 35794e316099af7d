// Passport and permit numbers. These are FORMAT checks only: apart from the 2023 foreign
// permanent resident ID, none of these numbers carries a check character, so a well-formed
// number can still be wrong. Only the issuing authority's own verification service can say
// that a document exists.
import { computeResidentIdCheck } from './resident-id';
import { normalizeDocumentNumber, normalizeIdNumber } from './normalize';
import { type ValidationResult, conclude, error, rejected, warning } from './result';

export interface PassportOptions {
  /**
   * ISO 3166-1 alpha-2 or alpha-3 code of the issuing state, as on the data page. Chinese
   * passports (`CN` / `CHN`, the default) are checked against their known formats; any other
   * state's only against the general shape of a passport number.
   */
  issuingCountry?: string;
}

// Chinese passports, as the Ministry of Public Security's exit-entry administration describes
// them publicly (there is no published standard to cite):
//  E + 8 digits           ordinary e-passport, 2012 – April 2017
//  E + letter + 7 digits  ordinary e-passport since April 2017 (the letter is never I or O)
//  [DSP]E + 7 digits      diplomatic / service / public-affairs e-passports
//  [GPSD] + 8 digits      earlier ordinary (G) and official passports
//  [DSP]. + 7 digits      earlier official passports
//  K + 8 digits, MA + 7   Hong Kong and Macao SAR passports (the state code on them is CHN)
const CN_PASSPORT_CURRENT = [
  /^E\d{8}$/u,
  /^E[A-HJ-NP-Z]\d{7}$/u,
  /^[DSP]E\d{7}$/u,
  /^[PSD]\d{8}$/u,
  /^[DSP]\.\d{7}$/u,
  /^K\d{8}$/u,
  /^MA\d{7}$/u,
];
// Ordinary passports issued before the e-passport (G + 8 digits until 2012, 14/15 + 7 digits in
// the 1990s) have all expired by now: accepted, but flagged so the teller asks for the current one.
const CN_PASSPORT_LEGACY = [/^G\d{8}$/u, /^1[45]\d{7}$/u];
// Other states: ICAO Doc 9303 gives the document number 9 characters in the MRZ and lets longer
// numbers run into the optional field; 5 to 20 letters and digits covers every state we know of.
const FOREIGN_PASSPORT = /^[A-Z0-9]{5,20}$/u;

/** Validates a passport number and returns it compact and upper-case. Format check only. */
export function validatePassportNumber(
  input: string,
  options: PassportOptions = {},
): ValidationResult<string> {
  const number = normalizeDocumentNumber(input);
  if (number === '') return rejected([error('REQUIRED')]);
  const country = (options.issuingCountry ?? 'CN').trim().toUpperCase();
  if (country !== 'CN' && country !== 'CHN') {
    return FOREIGN_PASSPORT.test(number)
      ? conclude(number, [])
      : rejected([error('PASSPORT_FORMAT')]);
  }
  if (CN_PASSPORT_CURRENT.some((pattern) => pattern.test(number))) return conclude(number, []);
  if (CN_PASSPORT_LEGACY.some((pattern) => pattern.test(number))) {
    return conclude(number, [warning('PASSPORT_LEGACY_FORMAT')]);
  }
  return rejected([error('PASSPORT_FORMAT')]);
}

/**
 * Mainland Travel Permit for Hong Kong and Macao Residents (港澳居民来往内地通行证, 回乡证).
 * Since the 2013 card: H (Hong Kong) or M (Macao) and the holder's 8-digit lifelong number.
 * The 1999 card printed 11 characters: the same 9, then 2 digits counting re-issues; those cards
 * are all past their 10-year validity, so the old form is accepted with a warning.
 * Format check only.
 */
export function validateHkMacaoPermitNumber(input: string): ValidationResult<string> {
  const number = normalizeDocumentNumber(input);
  if (number === '') return rejected([error('REQUIRED')]);
  if (/^[HM]\d{8}$/u.test(number)) return conclude(number, []);
  if (/^[HM]\d{10}$/u.test(number))
    return conclude(number, [warning('HK_MACAO_PERMIT_LEGACY_FORMAT')]);
  return rejected([error('HK_MACAO_PERMIT_FORMAT')]);
}

/**
 * Mainland Travel Permit for Taiwan Residents (台湾居民来往大陆通行证, 台胞证): the holder's
 * 8-digit lifelong number ("one person, one number" since September 2008, kept on the 2015 card).
 * The earlier booklet added 2 digits counting issues, sometimes followed by the issuing office's
 * code in brackets, e.g. 1234567801(B); those permits (5-year validity) have all expired, so the
 * old form is accepted with a warning. Format check only.
 */
export function validateTaiwanPermitNumber(input: string): ValidationResult<string> {
  const number = normalizeDocumentNumber(input);
  if (number === '') return rejected([error('REQUIRED')]);
  if (/^\d{8}$/u.test(number)) return conclude(number, []);
  if (/^\d{10}(?:\([A-Z0-9]{1,2}\))?$/u.test(number)) {
    return conclude(number, [warning('TAIWAN_PERMIT_LEGACY_FORMAT')]);
  }
  return rejected([error('TAIWAN_PERMIT_FORMAT')]);
}

/**
 * Foreign Permanent Resident ID Card (外国人永久居留身份证).
 * Since 1 December 2023: 18 characters modelled on the citizen ID number, starting with 9 (a
 * citizen number starts with 1–8) and ending in the same ISO 7064 MOD 11-2 check character,
 * which is verified. Cards of 2004 and 2017: 15 characters, the holder's 3-letter nationality
 * code (ISO 3166-1 alpha-3) and 12 digits; only their shape is checked.
 */
export function validateForeignPermanentResidentIdNumber(input: string): ValidationResult<string> {
  const number = normalizeIdNumber(input).toUpperCase();
  if (number === '') return rejected([error('REQUIRED')]);
  if (/^[A-Z]{3}\d{12}$/u.test(number)) return conclude(number, []);
  if (/^9\d{16}[\dX]$/u.test(number)) {
    return number[17] === computeResidentIdCheck(number.slice(0, 17))
      ? conclude(number, [])
      : rejected([error('FOREIGN_PERMANENT_RESIDENT_ID_CHECK_CHARACTER')]);
  }
  return rejected([error('FOREIGN_PERMANENT_RESIDENT_ID_FORMAT')]);
}
