// The dates of an identity document checked against each other and against the person:
// issue before expiry, the birth date and gender written in a resident ID number equal to
// what the form says, and a resident ID card's validity period matching the holder's age at
// issue. Each field's own format is checked by its validator; this file checks the relations.
import {
  type CalendarDate,
  type DateInput,
  addDays,
  addYears,
  ageOn,
  compareDates,
  daysBetween,
  formatIsoDate,
  resolveToday,
  toCalendarDate,
} from './dates';
import {
  type Gender,
  residentIdBirthDate,
  residentIdGender,
  validateResidentId,
} from './resident-id';
import { type ValidationIssue, type ValidationResult, conclude, error, warning } from './result';

export const identityDocumentTypes = [
  'resident_id',
  'passport',
  'hk_macao_permit',
  'taiwan_permit',
  'foreign_permanent_resident_id',
] as const;
export type IdentityDocumentType = (typeof identityDocumentTypes)[number];

/** How a document stands on a given day: derived, never stored. */
export type DocumentExpiryStatus = 'long_term' | 'valid' | 'expiring_soon' | 'expired';
export type KycReviewStatus = 'ok' | 'due_soon' | 'overdue';

/** Days ahead in which an expiry or a review counts as "soon". */
export const SOON_WITHIN_DAYS = 30;

/** What the teller typed on the card for 有效期至 when it has no end date. */
const LONG_TERM_WORDS = new Set([
  '长期',
  '長期',
  '长期有效',
  '長期有效',
  'long-term',
  'long term',
  'longterm',
]);

/**
 * Reads a "valid until" field: a date, or `null` for 长期 / long-term.
 * Undefined when the text is neither.
 */
export function parseExpiry(input: DateInput | null): CalendarDate | null | undefined {
  if (input === null) return null;
  if (typeof input === 'string' && LONG_TERM_WORDS.has(input.trim().toLowerCase())) return null;
  return toCalendarDate(input);
}

export interface IdentityDocumentDates {
  type: IdentityDocumentType;
  number: string;
  /** 签发日期 (for a resident ID, the first day of 有效期限). Undefined or null when not given. */
  issuedOn?: DateInput | null;
  /** 有效期至: a date, `null` (or 长期) for long-term; undefined when not given. */
  expiresOn?: DateInput | null;
}

export interface PersonFacts {
  birthDate?: DateInput | null;
  gender?: Gender | null;
}

export interface DocumentConsistencyOptions {
  today?: DateInput;
}

/** Facts derived while checking, for the form to show. */
export interface DocumentConsistencyFacts {
  /** ISO date; from the resident ID number when there is one, otherwise as stated. */
  birthDate?: string;
  gender?: Gender;
  ageAtIssue?: number;
  expiryStatus?: DocumentExpiryStatus;
}

// The law on resident ID cards (居民身份证法 art. 5) sets the validity by age: under 16, 5 years;
// 16–25, 10 years; 26–45, 20 years; 46 and over, long-term.
export type ValidityPeriod = number | 'long_term';

export function residentIdValidityForAge(age: number): ValidityPeriod {
  if (age < 16) return 5;
  if (age <= 25) return 10;
  if (age <= 45) return 20;
  return 'long_term';
}

// The age that counts is the age when the application was made, which can be weeks before the
// card is issued; near a boundary either period is right.
const APPLICATION_LEAD_DAYS = 90;

export function validateIdentityDocumentConsistency(
  document: IdentityDocumentDates,
  person: PersonFacts = {},
  options: DocumentConsistencyOptions = {},
): ValidationResult<DocumentConsistencyFacts> {
  const today = resolveToday(options.today);
  const issues: ValidationIssue[] = [];
  const facts: DocumentConsistencyFacts = {};

  const issuedOn = optionalDate(document.issuedOn, 'DOCUMENT_ISSUE_DATE_INVALID', issues);
  const expiresOn = document.expiresOn === undefined ? undefined : parseExpiry(document.expiresOn);
  if (expiresOn === undefined && document.expiresOn !== undefined)
    issues.push(error('DOCUMENT_EXPIRY_DATE_INVALID'));
  const statedBirthDate = optionalDate(person.birthDate, 'BIRTH_DATE_INVALID', issues);
  if (statedBirthDate && compareDates(statedBirthDate, today) > 0)
    issues.push(error('BIRTH_DATE_IN_FUTURE'));

  let birthDate = statedBirthDate;
  if (
    document.type === 'resident_id' &&
    validateResidentId(document.number, { today, acceptResidencePermit: true }).ok
  ) {
    const idBirthDate = residentIdBirthDate(document.number);
    const idGender = residentIdGender(document.number);
    if (idBirthDate && statedBirthDate && compareDates(idBirthDate, statedBirthDate) !== 0) {
      issues.push(error('DOCUMENT_BIRTH_DATE_MISMATCH'));
    }
    if (idGender && person.gender && idGender !== person.gender)
      issues.push(error('DOCUMENT_GENDER_MISMATCH'));
    birthDate = idBirthDate ?? statedBirthDate;
    if (idGender) facts.gender = idGender;
  } else if (person.gender) {
    facts.gender = person.gender;
  }
  if (birthDate) facts.birthDate = formatIsoDate(birthDate);

  if (issuedOn) {
    if (compareDates(issuedOn, today) > 0) issues.push(error('DOCUMENT_ISSUE_DATE_IN_FUTURE'));
    if (expiresOn && compareDates(expiresOn, issuedOn) <= 0)
      issues.push(error('DOCUMENT_EXPIRY_BEFORE_ISSUE'));
    if (birthDate) {
      if (compareDates(issuedOn, birthDate) < 0) issues.push(error('DOCUMENT_ISSUED_BEFORE_BIRTH'));
      else facts.ageAtIssue = ageOn(birthDate, issuedOn);
    }
  }
  if (expiresOn !== undefined) facts.expiryStatus = documentExpiryStatus(expiresOn, today);

  if (
    document.type === 'resident_id' &&
    issuedOn &&
    birthDate &&
    expiresOn !== undefined &&
    facts.ageAtIssue !== undefined
  ) {
    issues.push(...validityPeriodIssues(birthDate, issuedOn, expiresOn, facts.ageAtIssue));
  }
  return conclude(facts, issues);
}

function optionalDate(
  input: DateInput | null | undefined,
  code: 'DOCUMENT_ISSUE_DATE_INVALID' | 'BIRTH_DATE_INVALID',
  issues: ValidationIssue[],
): CalendarDate | undefined {
  if (input === undefined || input === null) return undefined;
  const date = toCalendarDate(input);
  if (!date) issues.push(error(code));
  return date;
}

function validityPeriodIssues(
  birthDate: CalendarDate,
  issuedOn: CalendarDate,
  expiresOn: CalendarDate | null,
  ageAtIssue: number,
): ValidationIssue[] {
  const atIssue = residentIdValidityForAge(ageAtIssue);
  const atApplication = residentIdValidityForAge(
    ageOn(birthDate, addDays(issuedOn, -APPLICATION_LEAD_DAYS)),
  );
  // Insertion order puts the period for the age on the issue day first: that is the one to name.
  const allowed = new Set<ValidityPeriod>([atIssue, atApplication]);
  const years = [...allowed].filter((period): period is number => typeof period === 'number');
  const [expectedYears] = years;

  if (expiresOn === null) {
    if (allowed.has('long_term') || expectedYears === undefined) return [];
    return [warning('RESIDENT_ID_LONG_TERM_UNEXPECTED', { ageAtIssue, expectedYears })];
  }
  if (expectedYears === undefined)
    return [warning('RESIDENT_ID_LONG_TERM_EXPECTED', { ageAtIssue })];
  const matches = years.some((period) => isAnniversary(issuedOn, expiresOn, period));
  return matches
    ? []
    : [warning('RESIDENT_ID_VALIDITY_PERIOD_MISMATCH', { ageAtIssue, expectedYears })];
}

/** True when `to` is `years` after `from`; from 29 February, 28 February and 1 March both count. */
function isAnniversary(from: CalendarDate, to: CalendarDate, years: number): boolean {
  const anniversary = addYears(from, years);
  if (compareDates(anniversary, to) === 0) return true;
  const fromLeapDay = from.month === 2 && from.day === 29;
  return fromLeapDay && anniversary.day === 28 && daysBetween(anniversary, to) === 1;
}

/**
 * How a document stands on `today`: `long_term` for `null` (长期), `expired` after the expiry
 * day (the card is valid through the day printed on it), `expiring_soon` within 30 days.
 * Throws when `expiresOn` is not a real date: derived information needs clean data.
 */
export function documentExpiryStatus(
  expiresOn: DateInput | null,
  today?: DateInput,
  soonWithinDays: number = SOON_WITHIN_DAYS,
): DocumentExpiryStatus {
  const expiry = parseExpiry(expiresOn);
  if (expiry === null) return 'long_term';
  if (expiry === undefined)
    throw new RangeError(`expiresOn is not a date: ${JSON.stringify(expiresOn)}`);
  const daysLeft = daysBetween(resolveToday(today), expiry);
  if (daysLeft < 0) return 'expired';
  return daysLeft <= soonWithinDays ? 'expiring_soon' : 'valid';
}

/**
 * Where a customer's periodic KYC review stands on `today`: `overdue` after the due day,
 * `due_soon` from 30 days before it up to the day itself.
 */
export function kycReviewStatus(
  nextReviewDue: DateInput,
  today?: DateInput,
  soonWithinDays: number = SOON_WITHIN_DAYS,
): KycReviewStatus {
  const due = toCalendarDate(nextReviewDue);
  if (due === undefined)
    throw new RangeError(`nextReviewDue is not a date: ${JSON.stringify(nextReviewDue)}`);
  const daysLeft = daysBetween(resolveToday(today), due);
  if (daysLeft < 0) return 'overdue';
  return daysLeft <= soonWithinDays ? 'due_soon' : 'ok';
}
