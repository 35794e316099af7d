// How to reach a customer: phones, e-mail, the preferred channel, and addresses whose regions
// are GB/T 2260 administrative division codes.
import { z } from 'zod';
import {
  isCanonicalMainlandLandline,
  isCanonicalMainlandMobile,
  isMainlandProvinceCode,
  validatePhone,
} from '../validation';
import { freeTextSchema } from './fields';
import { type IssueSink, addCustomerIssue, addValidationErrors } from './issues';
import { entryListSchema } from './list-entries';

export const phoneKinds = ['mobile', 'landline'] as const;

export const customerPhoneSchema = z
  .object({
    /** Stable across edits, so a list merges entry by entry; given on read when absent. */
    id: z.uuid().optional(),
    kind: z.enum(phoneKinds),
    /** Stored in E.164 (`+8613800138000`); typed forms are accepted and normalised. */
    e164: z.string(),
    primary: z.boolean().optional(),
  })
  .transform((phone, context) => {
    const e164 = phoneNumberE164(phone.kind, phone.e164, context);
    return e164 === undefined ? z.NEVER : e164 === phone.e164 ? phone : { ...phone, e164 };
  });

export type Phone = z.infer<typeof customerPhoneSchema>;

/** A phone's number in E.164, or undefined when it is not a number of its kind (reported to `sink`). */
export function phoneNumberE164(
  kind: Phone['kind'],
  number: string,
  sink: IssueSink,
): string | undefined {
  // Stored (and synced) numbers are canonical already: nothing to parse or normalise.
  if (kind === 'mobile' && isCanonicalMainlandMobile(number)) return number;
  if (kind === 'landline' && isCanonicalMainlandLandline(number)) return number;
  const result = validatePhone(number, { kind });
  if (!result.ok) {
    addValidationErrors(sink, result, ['e164']);
    return undefined;
  }
  return result.value.e164;
}

/** One primary phone at most. */
export function checkPrimaryPhones(phones: readonly Phone[], sink: IssueSink): void {
  if (phones.filter((phone) => phone.primary === true).length > 1)
    addCustomerIssue(sink, 'PHONE_PRIMARY_DUPLICATE');
}

export const phonesSchema = entryListSchema(customerPhoneSchema).superRefine(checkPrimaryPhones);

export const contactChannels = ['phone', 'sms', 'email', 'post', 'branch'] as const;
export const ContactChannel = z.enum(contactChannels);
export type ContactChannel = z.infer<typeof ContactChannel>;

export const addressKinds = ['residential', 'mailing', 'registered'] as const;

const SIX_DIGITS = /^\d{6}$/u;

/** The form of a region code (GB/T 2260) and of a postcode: six digits. */
export function isSixDigits(code: string): boolean {
  return SIX_DIGITS.test(code);
}

const regionCode = z.string().superRefine((code, context) => {
  if (!isSixDigits(code)) addCustomerIssue(context, 'ADDRESS_REGION_CODE_FORMAT');
});

export const addressSchema = z
  .object({
    /** Stable across edits, as a phone's. */
    id: z.uuid().optional(),
    kind: z.enum(addressKinds),
    provinceCode: regionCode,
    cityCode: regionCode,
    districtCode: regionCode,
    /** The street, building and room, as the customer writes it. */
    line: freeTextSchema,
    postcode: z
      .string()
      .superRefine((postcode, context) => {
        if (!isSixDigits(postcode)) addCustomerIssue(context, 'POSTCODE_FORMAT');
      })
      .optional(),
  })
  .superRefine(checkAddressRegions);

export type Address = z.infer<typeof addressSchema>;

/** The region codes of an address name a mainland province and nest inside each other. */
export function checkAddressRegions(
  address: Pick<Address, 'provinceCode' | 'cityCode' | 'districtCode'>,
  sink: IssueSink,
): void {
  const { provinceCode, cityCode, districtCode } = address;
  // A malformed code has been reported by its own field.
  if (![provinceCode, cityCode, districtCode].every(isSixDigits)) return;
  if (!isMainlandProvinceCode(provinceCode)) {
    addCustomerIssue(sink, 'ADDRESS_REGION_UNKNOWN', { path: ['provinceCode'] });
    return;
  }
  // Each level repeats the one above: 110000 → 1101xx → 1101xx. Cities without districts
  // (东莞 441900) use the city code as the district code.
  const consistent =
    provinceCode.endsWith('0000') &&
    cityCode.startsWith(provinceCode.slice(0, 2)) &&
    cityCode.endsWith('00') &&
    !cityCode.endsWith('0000') &&
    districtCode.startsWith(cityCode.slice(0, 4));
  if (!consistent) addCustomerIssue(sink, 'ADDRESS_REGION_HIERARCHY');
}

export const addressesSchema = entryListSchema(addressSchema);
