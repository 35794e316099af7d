// A refusal from the core, as a form shows it: a sentence in the desk's language, never a code
// or a field path. The core reports an invalid customer record as `path: CODE` pairs (paths and
// codes only: the values are customer data); each pair becomes "field label: message".
import type { TFunction } from 'i18next';
import { type CustomerFormCode, describeCustomerIssue } from '../../../../shared/customer/issues';
import { customerIssueCodes } from '../../../../shared/customer/messages';
import { validationCodes } from '../../../../shared/validation';
import { BridgeError } from '../../bridge';
import { errorText } from '../../errors';
import type { Locale } from '../../i18n';
import { fieldLabel } from '../../format';

const knownCodes: ReadonlySet<string> = new Set([...validationCodes, ...customerIssueCodes]);

function isFormCode(code: string): code is CustomerFormCode {
  return knownCodes.has(code);
}

// The parts of a document, phone or address a path may end in, and the words for each.
const partLabels: Record<string, string> = {
  number: 'forms.path.documentNumber',
  type: 'forms.path.documentType',
  issuedOn: 'forms.path.issuedOn',
  expiresOn: 'forms.path.expiresOn',
  issuingCountry: 'forms.path.issuingCountry',
  e164: 'forms.path.phoneNumber',
  line: 'forms.path.addressLine',
  postcode: 'forms.path.postcode',
  provinceCode: 'forms.path.regionCode',
  cityCode: 'forms.path.regionCode',
  districtCode: 'forms.path.regionCode',
};

/** `identityDocuments.0.expiresOn` → 证件有效期至; `legalName` → 姓名; `(customer)` → 客户资料. */
export function pathLabel(path: string, t: TFunction): string {
  const parts = path.split('.').filter((part) => part !== '' && !/^\d+$/u.test(part));
  const last = parts.at(-1);
  if (last === undefined || last === '(customer)') return t('forms.error.record');
  const part = partLabels[last];
  if (part && parts.length > 1) return t(part);
  const top = parts[0] ?? last;
  const label = fieldLabel(t, top);
  return label === top ? t('forms.error.record') : label;
}

/** The `issues` detail of CUSTOMER_INVALID, one sentence per problem. */
export function customerIssuesText(encoded: string, locale: Locale, t: TFunction): string[] {
  return encoded
    .split(';')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      const cut = entry.lastIndexOf(':');
      const path = cut < 0 ? '' : entry.slice(0, cut).trim();
      const code = (cut < 0 ? entry : entry.slice(cut + 1)).trim();
      const field = pathLabel(path, t);
      const message = isFormCode(code) ? describeCustomerIssue({ code }, locale) : '';
      // A message whose numbers the core did not send, or a structural code, says only where.
      return message && !/\{\w+\}/u.test(message)
        ? t('forms.error.field', { field, message })
        : t('forms.error.unknown', { field });
    });
}

/** Any failure of a form's save, as the sentence to show above its button. */
export function formErrorText(error: unknown, locale: Locale, t: TFunction): string {
  if (
    error instanceof BridgeError &&
    error.code === 'CUSTOMER_INVALID' &&
    typeof error.details.issues === 'string'
  ) {
    const reasons = [...new Set(customerIssuesText(error.details.issues, locale, t))];
    if (reasons.length > 0)
      return t('forms.error.notSaved', { reasons: reasons.join(locale === 'en' ? ' ' : '') });
  }
  return errorText(error, locale);
}
