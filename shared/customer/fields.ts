// The small field schemas the customer model is built from: dates, times, names, country
// codes and the references to staff, branches and devices.
import { z } from 'zod';
import { normalizePersonName, parseIsoDate } from '../validation';
import { type CustomerFormCode, addCustomerIssue } from './issues';

// The field rules below are plain predicates as well, which the schemas apply and
// master-record.ts applies to the records HQ sends without going through zod.

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/u;

/** True for a calendar day `YYYY-MM-DD` that exists. */
export function isIsoDate(value: string): boolean {
  return ISO_DATE.test(value) && parseIsoDate(value) !== undefined;
}

/** A calendar day `YYYY-MM-DD` that exists; `code` names the field in the message. */
export function isoDateSchema(code: CustomerFormCode = 'DATE_INVALID') {
  return z.string().superRefine((value, context) => {
    if (!isIsoDate(value)) addCustomerIssue(context, code);
  });
}

export const isoDate = isoDateSchema();

/** The pattern a zod string format checks, and nothing else; used as the format's predicate. */
function formatPattern(schema: { def: { pattern?: RegExp | undefined } }): RegExp {
  const { pattern } = schema.def;
  if (pattern === undefined || pattern.global || pattern.sticky)
    throw new Error('this zod string format is no longer checked by a plain pattern');
  return pattern;
}

const UUID = formatPattern(z.uuid());

/** True for what z.uuid() accepts. */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}

const ISO_DATE_TIME = formatPattern(z.iso.datetime({ offset: true }));

/** True for an instant: ISO 8601 with seconds optional, `Z` or an offset required. */
export function isIsoDateTime(value: string): boolean {
  return ISO_DATE_TIME.test(value);
}

/** An instant: ISO 8601 with seconds optional, `Z` or an offset required, so it is unambiguous. */
export const isoDateTime = z.string().superRefine((value, context) => {
  if (!isIsoDateTime(value)) addCustomerIssue(context, 'DATETIME_INVALID');
});

/** Longest name kept, in characters (code points): generous, only a guard against garbage. */
export const NAME_MAX_LENGTH = 200;

function isShortEnoughName(name: string): boolean {
  // UTF-16 length bounds the code points from above: most names need no counting.
  return name.length <= NAME_MAX_LENGTH || [...name].length <= NAME_MAX_LENGTH;
}

/** True for a name nameSchema accepts and returns unchanged (normalised, not empty, not too long). */
export function isStoredName(value: string): boolean {
  return value !== '' && normalizePersonName(value) === value && isShortEnoughName(value);
}

/**
 * A person's or company's name as stored: look-alike middle dots become U+00B7, widths and
 * spaces are normalised. Any script is accepted, one part is enough, characters outside the
 * BMP count as one.
 */
export const nameSchema = z.string().transform((input, context) => {
  const name = normalizePersonName(input);
  if (name === '') {
    addCustomerIssue(context, 'REQUIRED');
    return z.NEVER;
  }
  if (!isShortEnoughName(name)) {
    addCustomerIssue(context, 'NAME_TOO_LONG', { params: { max: NAME_MAX_LENGTH } });
    return z.NEVER;
  }
  return name;
});

/**
 * ISO 3166-1 alpha-3 (`CHN`, `HKG`, `USA`), as printed in a passport's machine-readable zone.
 * Only the shape is checked; the list of codes is not kept here.
 */
export const countryCodeSchema = z
  .string()
  .transform((input) => input.trim().toUpperCase())
  .superRefine((value, context) => {
    if (!isCountryCode(value)) addCustomerIssue(context, 'COUNTRY_CODE_FORMAT');
  });

const COUNTRY_CODE = /^[A-Z]{3}$/u;

/** True for a country code as countryCodeSchema returns it (trimmed, upper case). */
export function isCountryCode(value: string): boolean {
  return COUNTRY_CODE.test(value);
}

/**
 * A reference to a staff member, branch or device issued elsewhere (HQ directory, enrolment):
 * 1–64 letters, digits, `.`, `_`, `:` or `-`. Opaque here on purpose.
 */
export const referenceIdSchema = z.string().superRefine((value, context) => {
  if (!isReferenceId(value)) addCustomerIssue(context, 'REFERENCE_ID_FORMAT');
});

const REFERENCE_ID = /^[A-Za-z0-9._:-]{1,64}$/u;

export function isReferenceId(value: string): boolean {
  return REFERENCE_ID.test(value);
}

/** True for text freeTextSchema accepts and returns unchanged: trimmed already, not empty. */
export function isStoredText(value: string): boolean {
  return value !== '' && value.trim() === value;
}

/** Text a person wrote (note, task title, address line, occupation): trimmed, never empty. */
export const freeTextSchema = z.string().transform((input, context) => {
  const text = input.trim();
  if (text === '') {
    addCustomerIssue(context, 'REQUIRED');
    return z.NEVER;
  }
  return text;
});
