// The small field schemas the customer model is built from: dates, times, names, country
// codes and the references to staff, branches and devices.
import { z } from 'zod';
import { normalizePersonName, parseIsoDate } from '../validation';
import { type CustomerFormCode, addCustomerIssue } from './issues';

/** A calendar day `YYYY-MM-DD` that exists; `code` names the field in the message. */
export function isoDateSchema(code: CustomerFormCode = 'DATE_INVALID') {
  return z.string().superRefine((value, context) => {
    if (!/^\d{4}-\d{2}-\d{2}$/u.test(value) || parseIsoDate(value) === undefined)
      addCustomerIssue(context, code);
  });
}

export const isoDate = isoDateSchema();

const isoDateTimeFormat = z.iso.datetime({ offset: true });

/** An instant: ISO 8601 with seconds optional, `Z` or an offset required, so it is unambiguous. */
export const isoDateTime = z.string().superRefine((value, context) => {
  if (!isoDateTimeFormat.safeParse(value).success) addCustomerIssue(context, 'DATETIME_INVALID');
});

/** Longest name kept, in characters (code points): generous, only a guard against garbage. */
export const NAME_MAX_LENGTH = 200;

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
  if ([...name].length > NAME_MAX_LENGTH) {
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
    if (!/^[A-Z]{3}$/u.test(value)) addCustomerIssue(context, 'COUNTRY_CODE_FORMAT');
  });

/**
 * A reference to a staff member, branch or device issued elsewhere (HQ directory, enrolment):
 * 1–64 letters, digits, `.`, `_`, `:` or `-`. Opaque here on purpose.
 */
export const referenceIdSchema = z.string().superRefine((value, context) => {
  if (!/^[A-Za-z0-9._:-]{1,64}$/u.test(value)) addCustomerIssue(context, 'REFERENCE_ID_FORMAT');
});

/** Text a person wrote (note, task title, address line, occupation): trimmed, never empty. */
export const freeTextSchema = z.string().transform((input, context) => {
  const text = input.trim();
  if (text === '') {
    addCustomerIssue(context, 'REQUIRED');
    return z.NEVER;
  }
  return text;
});
