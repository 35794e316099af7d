// How to reach a customer: phones, e-mail, the preferred channel, and addresses whose regions
// are GB/T 2260 administrative division codes.
import { z } from 'zod';
import { isCanonicalMainlandMobile, isMainlandProvinceCode, validatePhone } from '../validation';
import { freeTextSchema } from './fields';
import { addCustomerIssue, addValidationErrors } from './issues';
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
    // Stored (and synced) mobiles are canonical already: nothing to parse or normalise.
    if (phone.kind === 'mobile' && isCanonicalMainlandMobile(phone.e164)) return phone;
    const result = validatePhone(phone.e164, { kind: phone.kind });
    if (!result.ok) {
      addValidationErrors(context, result, ['e164']);
      return z.NEVER;
    }
    return { ...phone, e164: result.value.e164 };
  });

export type Phone = z.infer<typeof customerPhoneSchema>;

export const phonesSchema = entryListSchema(customerPhoneSchema).superRefine((phones, context) => {
  if (phones.filter((phone) => phone.primary === true).length > 1)
    addCustomerIssue(context, 'PHONE_PRIMARY_DUPLICATE');
});

export const contactChannels = ['phone', 'sms', 'email', 'post', 'branch'] as const;
export const ContactChannel = z.enum(contactChannels);
export type ContactChannel = z.infer<typeof ContactChannel>;

export const addressKinds = ['residential', 'mailing', 'registered'] as const;

const regionCode = z.string().superRefine((code, context) => {
  if (!/^\d{6}$/u.test(code)) addCustomerIssue(context, 'ADDRESS_REGION_CODE_FORMAT');
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
        if (!/^\d{6}$/u.test(postcode)) addCustomerIssue(context, 'POSTCODE_FORMAT');
      })
      .optional(),
  })
  .superRefine((address, context) => {
    const { provinceCode, cityCode, districtCode } = address;
    // A malformed code has been reported by its own field.
    if (![provinceCode, cityCode, districtCode].every((code) => /^\d{6}$/u.test(code))) return;
    if (!isMainlandProvinceCode(provinceCode)) {
      addCustomerIssue(context, 'ADDRESS_REGION_UNKNOWN', { path: ['provinceCode'] });
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
    if (!consistent) addCustomerIssue(context, 'ADDRESS_REGION_HIERARCHY');
  });

export type Address = z.infer<typeof addressSchema>;

export const addressesSchema = entryListSchema(addressSchema);
