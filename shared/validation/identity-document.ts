// One entry point for "validate the number of this kind of identity document", so a form can
// switch on IdentityDocument.type without knowing every validator.
import type { IdentityDocumentType } from './document-dates';
import { type ResidentIdOptions, validateResidentId } from './resident-id';
import type { ValidationResult } from './result';
import {
  type PassportOptions,
  validateForeignPermanentResidentIdNumber,
  validateHkMacaoPermitNumber,
  validatePassportNumber,
  validateTaiwanPermitNumber,
} from './travel-documents';

export type IdentityDocumentNumberOptions = ResidentIdOptions & PassportOptions;

export function validateIdentityDocumentNumber(
  type: IdentityDocumentType,
  number: string,
  options: IdentityDocumentNumberOptions = {},
): ValidationResult<string> {
  switch (type) {
    case 'resident_id':
      return validateResidentId(number, options);
    case 'passport':
      return validatePassportNumber(number, options);
    case 'hk_macao_permit':
      return validateHkMacaoPermitNumber(number);
    case 'taiwan_permit':
      return validateTaiwanPermitNumber(number);
    case 'foreign_permanent_resident_id':
      return validateForeignPermanentResidentIdNumber(number);
  }
}
