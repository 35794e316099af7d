// Telephone numbers, parsed with libphonenumber-js (full metadata, so that number ranges are
// known) and returned in E.164. Mainland mobile numbers are 11 digits starting with 1; their
// ranges change over time, so a well-formed mobile number in a range the metadata does not know
// yet is a warning, not an error (GLOSSARY: "valid format, unknown range").
import {
  type CountryCode,
  Metadata,
  type NumberType,
  parsePhoneNumberFromString,
} from 'libphonenumber-js/max';
import { normalizeFreeText } from './normalize';
import {
  type ValidationIssue,
  type ValidationResult,
  conclude,
  error,
  rejected,
  warning,
} from './result';

export type { CountryCode } from 'libphonenumber-js/max';

/** What the field asks for: a mobile number, a landline, or any dialable number. */
export type PhoneKind = 'mobile' | 'landline' | 'any';

export interface PhoneNumberValue {
  /** `+8613800138000`; the extension, if any, is kept apart. */
  e164: string;
  kind: 'mobile' | 'landline' | 'other';
  /** ISO 3166-1 alpha-2 region the number belongs to, when the metadata can tell. */
  country?: CountryCode;
  extension?: string;
}

export interface PhoneOptions {
  kind?: PhoneKind;
  /** Region of numbers written without a country code; `CN` unless said otherwise. */
  defaultRegion?: CountryCode;
}

const CHINA_CALLING_CODE = '86';
// Mainland mobile numbers: 11 digits, 1 then 3–9. 10/11/12 begin short service numbers
// (10086, 110, 12345), never an 11-digit subscriber number.
const CN_MOBILE_FORMAT = /^1[3-9]\d{9}$/u;
// Mainland landline, national significant number: the area code without its trunk 0, then the
// subscriber number. Two-digit areas (10 Beijing, 2x) have 8-digit numbers; three-digit areas
// (3xx–9xx) have 7 or 8 digits.
const CN_LANDLINE_FORMAT = /^(?:(?:10|2\d)\d{8}|[3-9]\d{2}\d{7,8})$/u;
// Length of a mainland subscriber number typed without its area code.
const CN_SUBSCRIBER_ONLY = /^[2-9]\d{6,7}$/u;
// Extension markers a teller may type after a landline: 转 / 轉 / 分机 / 分機.
const CHINESE_EXTENSION = /\s*(?:转|轉|分机|分機)\s*(\d{1,6})$/u;

const MOBILE_TYPES: ReadonlySet<NumberType> = new Set<NumberType>([
  'MOBILE',
  'FIXED_LINE_OR_MOBILE',
]);
const LANDLINE_TYPES: ReadonlySet<NumberType> = new Set<NumberType>([
  'FIXED_LINE',
  'FIXED_LINE_OR_MOBILE',
]);

/**
 * Validates a telephone number and returns it in E.164. Accepts `+86`, `0086`, `86` prefixes,
 * spaces, dashes, brackets and full-width digits; mainland numbers need no country code.
 */
export function validatePhone(
  input: string,
  options: PhoneOptions = {},
): ValidationResult<PhoneNumberValue> {
  const kind = options.kind ?? 'any';
  const text = normalizeFreeText(input).replace(CHINESE_EXTENSION, ' ext. $1');
  if (text === '') return rejected([error('REQUIRED')]);

  const parsed = parsePhoneNumberFromString(text, {
    defaultCountry: options.defaultRegion ?? 'CN',
    extract: false,
  });
  if (parsed === undefined)
    return rejected([kind === 'mobile' ? mobileShapeIssue(text) : error('PHONE_INVALID')]);

  const base = {
    e164: parsed.number,
    ...(parsed.country === undefined ? {} : { country: parsed.country }),
    ...(parsed.ext === undefined ? {} : { extension: parsed.ext }),
  };
  // With the full metadata every region has type patterns, and isValid() is then getType()
  // !== undefined computed a second time (libphonenumber-js isValidNumber); asking for the type
  // first halves a landline's check. isValid() still answers for a number of no known type.
  const type = parsed.getType();
  const valid = type !== undefined || parsed.isValid();

  if (parsed.countryCallingCode === CHINA_CALLING_CODE) {
    return classifyMainland(parsed.nationalNumber, kind, valid, type, base);
  }
  return classifyInternational(kind, valid, parsed.isPossible(), type, base);
}

/**
 * True for a mainland mobile number already in canonical E.164 (`+8613800138000`), which
 * `validatePhone(e164, { kind: 'mobile' })` always accepts unchanged: at most it warns that the
 * range is unknown. A stored record's phones are checked this way first; parsing one with the
 * full metadata was about a third of a record's validation (a sync checks every record HQ sends).
 * test/unit/validation/phone.test.ts holds the two to the same answer.
 */
export function isCanonicalMainlandMobile(e164: string): boolean {
  return e164.startsWith(`+${CHINA_CALLING_CODE}`) && CN_MOBILE_FORMAT.test(e164.slice(3));
}

/** What of libphonenumber-js's Metadata getNumberType reads; its typings leave these out. */
interface NumberingPlanPatterns {
  selectNumberingPlan(country: CountryCode): void;
  nationalNumberPattern(): string;
  type(
    type: NumberType,
  ): { pattern(): string; possibleLengths(): number[] | undefined } | undefined;
}

function hasNumberingPlanPatterns(metadata: object): metadata is NumberingPlanPatterns {
  const plan = metadata as Partial<Record<keyof NumberingPlanPatterns, unknown>>;
  return typeof plan.nationalNumberPattern === 'function' && typeof plan.type === 'function';
}

/** The types getNumberType (helpers/getNumberType.js) tries, in its order: fixed lines first. */
const NUMBER_TYPES: readonly NumberType[] = [
  'FIXED_LINE',
  'MOBILE',
  'PREMIUM_RATE',
  'TOLL_FREE',
  'SHARED_COST',
  'VOIP',
  'PERSONAL_NUMBER',
  'PAGER',
  'UAN',
  'VOICEMAIL',
];

/**
 * The mainland's numbering plan as getNumberType reads it (the national number pattern, then each
 * type's lengths and pattern), its patterns compiled as matchesEntirely compiles them, once
 * instead of on every call; undefined if the metadata cannot be read this way.
 */
function mainlandPlan() {
  const metadata = new Metadata();
  if (!hasNumberingPlanPatterns(metadata)) return undefined;
  metadata.selectNumberingPlan('CN');
  const types = NUMBER_TYPES.flatMap((type) => {
    const definition = metadata.type(type);
    const pattern = definition?.pattern();
    if (definition === undefined || !pattern) return [];
    return [
      { type, pattern: new RegExp(`^(?:${pattern})$`), lengths: definition.possibleLengths() },
    ];
  });
  if (types[0]?.type !== 'FIXED_LINE') return undefined;
  return { nationalNumber: new RegExp(`^(?:${metadata.nationalNumberPattern()})$`), types };
}

// Undefined leaves every number to validatePhone.
const MAINLAND_PLAN = mainlandPlan();

type PlanType = NonNullable<typeof MAINLAND_PLAN>['types'][number];

const isOfType = (national: string, { pattern, lengths }: PlanType) =>
  (lengths === undefined || lengths.includes(national.length)) && pattern.test(national);

/**
 * True for a mainland landline already in canonical E.164 (`+861065529988`) that
 * `validatePhone(e164, { kind: 'landline' })` accepts unchanged: one whose national number
 * libphonenumber-js calls a fixed line, asked the way it asks (helpers/getNumberType.js: the
 * national number pattern, then the fixed-line pattern and its lengths), with its patterns
 * compiled once instead of on every call. The national number starts with 10, 2 or 3–9, so
 * parsing keeps it whole: no national prefix or carrier code for parsing (`0`, `1[12]xx`,
 * `179xx`) begins that way. Parsing a landline with the full metadata was most of a stored
 * phone's check. test/unit/validation/fast-paths.test.ts holds the two to the same answer.
 */
export function isCanonicalMainlandLandline(e164: string): boolean {
  if (MAINLAND_PLAN === undefined || !e164.startsWith(`+${CHINA_CALLING_CODE}`)) return false;
  const national = e164.slice(3);
  return (
    CN_LANDLINE_FORMAT.test(national) &&
    MAINLAND_PLAN.nationalNumber.test(national) &&
    isOfType(national, MAINLAND_PLAN.types[0]!)
  );
}

/**
 * For a mainland mobile in canonical E.164, whether libphonenumber-js knows its range: whether
 * `validatePhone(e164, { kind: 'mobile' })` accepts it with no issue (true) or warns
 * PHONE_RANGE_UNKNOWN (false). Asked as getNumberType asks, without parsing. Undefined when this
 * cannot tell: not a canonical mobile, or one beginning 179, which parsing may take for a
 * carrier code. test/unit/quality/rules.test.ts holds it to the validator on numbers of every
 * four-digit prefix.
 */
export function mainlandMobileRangeKnown(e164: string): boolean | undefined {
  if (MAINLAND_PLAN === undefined || !isCanonicalMainlandMobile(e164)) return undefined;
  const national = e164.slice(3);
  if (national.startsWith('179')) return undefined;
  return (
    MAINLAND_PLAN.nationalNumber.test(national) &&
    MAINLAND_PLAN.types.some((type) => isOfType(national, type))
  );
}

/** A mobile number: the same as `validatePhone(input, { kind: 'mobile' })`. */
export function validateMobilePhone(input: string, options: Omit<PhoneOptions, 'kind'> = {}) {
  return validatePhone(input, { ...options, kind: 'mobile' });
}

/** A landline (with its area code): the same as `validatePhone(input, { kind: 'landline' })`. */
export function validateLandlinePhone(input: string, options: Omit<PhoneOptions, 'kind'> = {}) {
  return validatePhone(input, { ...options, kind: 'landline' });
}

type Base = Omit<PhoneNumberValue, 'kind'>;

// What a teller may type around the digits of a mainland number.
const MAINLAND_SEPARATORS = /[\s()\-.]/gu;
const MAINLAND_COUNTRY_PREFIX = /^(?:\+86|0086)/u;

/**
 * What exactly is wrong with a mainland mobile number, so the teller is told the real fault:
 * its length, its first digit, or a prefix no mobile number has (10/11/12 begin service
 * numbers). Text with letters or other signs is simply not a mobile number.
 */
function mobileShapeIssue(typed: string): ValidationIssue {
  const compact = typed.replace(MAINLAND_SEPARATORS, '').replace(MAINLAND_COUNTRY_PREFIX, '');
  if (!/^\d+$/u.test(compact)) return error('PHONE_MOBILE_FORMAT');
  if (!compact.startsWith('1')) return error('PHONE_MOBILE_START', { first: compact.charAt(0) });
  if (compact.length !== 11) return error('PHONE_MOBILE_LENGTH', { length: compact.length });
  if (!CN_MOBILE_FORMAT.test(compact))
    return error('PHONE_MOBILE_PREFIX_UNKNOWN', { prefix: compact.slice(0, 3) });
  return error('PHONE_MOBILE_FORMAT');
}

function classifyMainland(
  national: string,
  kind: PhoneKind,
  valid: boolean,
  type: NumberType | undefined,
  base: Base,
): ValidationResult<PhoneNumberValue> {
  const issues: ValidationIssue[] = [];
  if (CN_MOBILE_FORMAT.test(national)) {
    if (kind === 'landline') return rejected([error('PHONE_NOT_LANDLINE')]);
    if (!valid) issues.push(warning('PHONE_RANGE_UNKNOWN'));
    return conclude({ ...base, kind: 'mobile' }, issues);
  }
  if (kind === 'mobile') {
    return rejected([
      valid && type !== undefined && LANDLINE_TYPES.has(type)
        ? error('PHONE_NOT_MOBILE')
        : mobileShapeIssue(national),
    ]);
  }
  if (CN_SUBSCRIBER_ONLY.test(national))
    return rejected([error('PHONE_LANDLINE_AREA_CODE_MISSING')]);

  if (valid && type !== undefined && LANDLINE_TYPES.has(type))
    return conclude({ ...base, kind: 'landline' }, issues);
  if (valid) {
    // Service numbers (400, 800, …): dialable, but not a landline.
    return kind === 'landline'
      ? rejected([error('PHONE_NOT_LANDLINE')])
      : conclude({ ...base, kind: 'other' }, issues);
  }
  if (CN_LANDLINE_FORMAT.test(national)) {
    issues.push(warning('PHONE_RANGE_UNKNOWN'));
    return conclude({ ...base, kind: 'landline' }, issues);
  }
  return rejected([error(kind === 'landline' ? 'PHONE_LANDLINE_FORMAT' : 'PHONE_INVALID')]);
}

function classifyInternational(
  kind: PhoneKind,
  valid: boolean,
  possible: boolean,
  type: NumberType | undefined,
  base: Base,
): ValidationResult<PhoneNumberValue> {
  if (valid) {
    const mobile = type !== undefined && MOBILE_TYPES.has(type);
    const landline = type !== undefined && LANDLINE_TYPES.has(type);
    if (kind === 'mobile' && !mobile) return rejected([error('PHONE_NOT_MOBILE')]);
    if (kind === 'landline' && !landline) return rejected([error('PHONE_NOT_LANDLINE')]);
    const resolved =
      kind === 'any'
        ? mobile && !landline
          ? 'mobile'
          : landline && !mobile
            ? 'landline'
            : 'other'
        : kind;
    return conclude({ ...base, kind: resolved }, []);
  }
  if (possible) {
    // The right length for the country, in a range the metadata does not know.
    return conclude({ ...base, kind: kind === 'any' ? 'other' : kind }, [
      warning('PHONE_RANGE_UNKNOWN'),
    ]);
  }
  return rejected([error('PHONE_INVALID')]);
}
