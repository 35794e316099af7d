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
import { type IssueSink, addCustomerIssue, addValidationErrors } from './issues';

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
    const number = documentNumber(document, context);
    return number === undefined ? z.NEVER : { ...document, number };
  });

export type IdentityDocument = z.infer<typeof identityDocumentSchema>;

/**
 * The document's number as stored (normalised by the validator for its type), or undefined when
 * it is not a valid number of that type or a passport lacks its issuing country (reported to `sink`).
 */
export function documentNumber(
  document: Pick<IdentityDocument, 'type' | 'number' | 'issuingCountry'>,
  sink: IssueSink,
): string | undefined {
  if (document.type === 'passport' && document.issuingCountry === undefined) {
    addCustomerIssue(sink, 'PASSPORT_ISSUING_COUNTRY_REQUIRED', { path: ['issuingCountry'] });
    return undefined;
  }
  const result = validateDocumentNumber(document.type, document.number, document.issuingCountry);
  if (!result.ok) {
    addValidationErrors(sink, result, ['number']);
    return undefined;
  }
  return result.value;
}
