// zod schemas over the validators, for boundaries (IPC, HQ API) that validate with zod.
// A schema's output is the validator's normalised value. zod has no warnings: a schema drops
// them, so forms that must show warnings call the validators themselves.
import { z } from 'zod';
import { describeIssue } from '../i18n/validation';
import { validateBankCard } from './bank-card';
import { validateBusinessLicenceNumber } from './business-licence';
import { type ValidationCode, validationCodes } from './codes';
import { validateEmail } from './email';
import { type PersonNameOptions, validatePersonName } from './person-name';
import { type PhoneOptions, validatePhone } from './phone';
import { type ResidentIdOptions, validateResidentId } from './resident-id';
import type { ValidationIssue, ValidationResult } from './result';
import {
  type PassportOptions,
  validateForeignPermanentResidentIdNumber,
  validateHkMacaoPermitNumber,
  validatePassportNumber,
  validateTaiwanPermitNumber,
} from './travel-documents';
import { validateUscc } from './uscc';

/**
 * A zod schema that runs `validate` on a string. Each error becomes a custom zod issue whose
 * message is the English text and whose params carry `validationCode` and the issue's params,
 * so the UI can get the issue back with `validationIssuesFromZod` and show it in zh-CN.
 */
export function schemaFromValidator<T>(validate: (input: string) => ValidationResult<T>) {
  return z.string().transform((input, context): T => {
    const result = validate(input);
    if (result.ok) return result.value;
    for (const issue of result.issues) {
      if (issue.severity !== 'error') continue;
      context.addIssue({
        code: 'custom',
        message: describeIssue(issue, 'en'),
        params: { ...issue.params, validationCode: issue.code },
      });
    }
    return z.NEVER;
  });
}

const knownCodes: ReadonlySet<string> = new Set(validationCodes);

function isValidationCode(value: unknown): value is ValidationCode {
  return typeof value === 'string' && knownCodes.has(value);
}

/** The validation issues inside a zod error made by these schemas; other zod issues are skipped. */
export function validationIssuesFromZod(zodError: z.ZodError): ValidationIssue[] {
  const found: ValidationIssue[] = [];
  for (const issue of zodError.issues) {
    if (issue.code !== 'custom') continue;
    const { validationCode, ...rest } = (issue.params ?? {}) as Record<string, unknown>;
    if (!isValidationCode(validationCode)) continue;
    const params: Record<string, string | number> = {};
    for (const [name, value] of Object.entries(rest)) {
      if (typeof value === 'string' || typeof value === 'number') params[name] = value;
    }
    found.push(
      Object.keys(params).length > 0
        ? { code: validationCode, severity: 'error', params }
        : { code: validationCode, severity: 'error' },
    );
  }
  return found;
}

/** Resident ID number; outputs the 18-character form. `today` is read at parse time unless given. */
export function residentIdSchemaWith(options: ResidentIdOptions = {}) {
  return schemaFromValidator((input) => validateResidentId(input, options));
}
export const residentIdSchema = residentIdSchemaWith();
export const usccSchema = schemaFromValidator(validateUscc);

/** A person's name (not a company's): see person-name.ts for what a name may hold. */
export function personNameSchemaWith(options: PersonNameOptions = {}) {
  return schemaFromValidator((input) => validatePersonName(input, options));
}
export const personNameSchema = personNameSchemaWith();
/** Pinyin and English names: Latin letters only. */
export const latinPersonNameSchema = personNameSchemaWith({ script: 'latin' });

export function phoneSchemaWith(options: PhoneOptions = {}) {
  return schemaFromValidator((input) => validatePhone(input, options));
}
export const phoneSchema = phoneSchemaWith();
export const mobilePhoneSchema = phoneSchemaWith({ kind: 'mobile' });
export const landlinePhoneSchema = phoneSchemaWith({ kind: 'landline' });

export const emailSchema = schemaFromValidator(validateEmail);
export const bankCardSchema = schemaFromValidator(validateBankCard);

export function passportNumberSchemaWith(options: PassportOptions = {}) {
  return schemaFromValidator((input) => validatePassportNumber(input, options));
}
export const passportNumberSchema = passportNumberSchemaWith();
export const hkMacaoPermitNumberSchema = schemaFromValidator(validateHkMacaoPermitNumber);
export const taiwanPermitNumberSchema = schemaFromValidator(validateTaiwanPermitNumber);
export const foreignPermanentResidentIdNumberSchema = schemaFromValidator(
  validateForeignPermanentResidentIdNumber,
);
export const businessLicenceNumberSchema = schemaFromValidator(validateBusinessLicenceNumber);
