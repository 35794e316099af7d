// Identity documents: a person's ID card, passport or permit, a company's USCC or business
// licence. The number is checked by the validator for its type and stored normalised.
import { z } from 'zod';
import {
  type IdentityDocumentType,
  type ValidationResult,
  identityDocumentTypes,
  validateBusinessLicenceNumber,
  validateIdentityDocumentNumber,
  validateUscc,
} from '../validation';
import { countryCodeSchema, freeTextSchema, isoDateSchema } from './fields';
import { addCustomerIssue, addValidationErrors } from './issues';

/** Documents that identify a person (个人客户). */
export const personalDocumentTypes = identityDocumentTypes;
export type PersonalDocumentType = IdentityDocumentType;

/** Documents that identify an organisation (对公客户). */
export const corporateDocumentTypes = ['uscc', 'business_licence'] as const;
export type CorporateDocumentType = (typeof corporateDocumentTypes)[number];

export const customerDocumentTypes = [...personalDocumentTypes, ...corporateDocumentTypes] as const;
export const CustomerDocumentType = z.enum(customerDocumentTypes);
export type CustomerDocumentType = z.infer<typeof CustomerDocumentType>;

export function isPersonalDocumentType(type: CustomerDocumentType): type is PersonalDocumentType {
  return (personalDocumentTypes as readonly string[]).includes(type);
}

/** The number of any document type, validated and normalised by the validator for that type. */
export function validateDocumentNumber(
  type: CustomerDocumentType,
  number: string,
  issuingCountry?: string,
): ValidationResult<string> {
  if (type === 'uscc') return validateUscc(number);
  if (type === 'business_licence') return validateBusinessLicenceNumber(number);
  return validateIdentityDocumentNumber(
    type,
    number,
    issuingCountry === undefined ? {} : { issuingCountry },
  );
}

export const identityDocumentSchema = z
  .object({
    type: CustomerDocumentType,
    number: z.string(),
    /** 签发机关; optional because HQ records migrated from old systems often lack it. */
    issuedBy: freeTextSchema.optional(),
    issuedOn: isoDateSchema('DOCUMENT_ISSUE_DATE_INVALID').optional(),
    /** 有效期至; `null` is long-term (长期). */
    expiresOn: isoDateSchema('DOCUMENT_EXPIRY_DATE_INVALID').nullable(),
    /** Alpha-3; required for a passport, whose number format depends on it. */
    issuingCountry: countryCodeSchema.optional(),
  })
  .transform((document, context) => {
    if (document.type === 'passport' && document.issuingCountry === undefined) {
      addCustomerIssue(context, 'PASSPORT_ISSUING_COUNTRY_REQUIRED', { path: ['issuingCountry'] });
      return z.NEVER;
    }
    const result = validateDocumentNumber(document.type, document.number, document.issuingCountry);
    if (!result.ok) {
      addValidationErrors(context, result, ['number']);
      return z.NEVER;
    }
    return { ...document, number: result.value };
  });

export type IdentityDocument = z.infer<typeof identityDocumentSchema>;
