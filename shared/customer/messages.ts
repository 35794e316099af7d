// The people-facing text of the customer model's own issue codes and alerts, in zh-CN (the
// default) and en. Field-level problems that a validator already names (ID numbers, phones,
// e-mail, document dates) keep their codes and text in shared/i18n/validation.ts; this catalog
// holds only what the customer model adds. Placeholders in braces come from the issue's params.
import type { Locale } from '../i18n/errors';

export const customerIssueCodes = [
  'NAME_TOO_LONG',
  'DATE_INVALID',
  'DATETIME_INVALID',
  'COUNTRY_CODE_FORMAT',
  'PASSPORT_ISSUING_COUNTRY_REQUIRED',
  'DOCUMENT_TYPE_NOT_FOR_CUSTOMER_KIND',
  'INDIVIDUAL_IDENTITY_DOCUMENT_MISSING',
  'CORPORATE_REGISTRATION_DOCUMENT_MISSING',
  'ADDRESS_REGION_CODE_FORMAT',
  'ADDRESS_REGION_UNKNOWN',
  'ADDRESS_REGION_HIERARCHY',
  'POSTCODE_FORMAT',
  'PHONE_PRIMARY_DUPLICATE',
  'PREFERRED_CHANNEL_UNREACHABLE',
  'ACCOUNT_NUMBER_NOT_MASKED',
  'CUSTOMER_NUMBER_FORMAT',
  'CUSTOMER_NUMBER_CHECK_DIGIT',
  'REFERENCE_ID_FORMAT',
  'ENTRY_ID_DUPLICATE',
] as const;

export type CustomerIssueCode = (typeof customerIssueCodes)[number];

export const customerMessages: Record<Locale, Record<CustomerIssueCode, string>> = {
  'zh-CN': {
    NAME_TOO_LONG: '名称过长，最多{max}个字符。',
    DATE_INVALID: '日期不正确，应为真实存在的日期，格式为 YYYY-MM-DD。',
    DATETIME_INVALID: '时间不正确，应为带时区的 ISO 8601 时间，例如 2026-08-15T09:30:00+08:00。',
    COUNTRY_CODE_FORMAT: '国家或地区代码应为3位大写字母（ISO 3166-1），例如 CHN。',
    PASSPORT_ISSUING_COUNTRY_REQUIRED: '护照必须填写签发国家或地区。',
    DOCUMENT_TYPE_NOT_FOR_CUSTOMER_KIND: '此证件类型不适用于该类客户。',
    INDIVIDUAL_IDENTITY_DOCUMENT_MISSING: '个人客户至少需要一份有效身份证件。',
    CORPORATE_REGISTRATION_DOCUMENT_MISSING: '对公客户必须登记统一社会信用代码或营业执照。',
    ADDRESS_REGION_CODE_FORMAT: '行政区划代码应为6位数字（GB/T 2260）。',
    ADDRESS_REGION_UNKNOWN: '省级行政区划代码不是已知的大陆省份代码，请核对。',
    ADDRESS_REGION_HIERARCHY: '省、市、区县的行政区划代码不一致，请重新选择地址。',
    POSTCODE_FORMAT: '邮政编码应为6位数字。',
    PHONE_PRIMARY_DUPLICATE: '只能有一个主要联系电话。',
    PREFERRED_CHANNEL_UNREACHABLE: '首选联系方式“{channel}”没有对应的联系信息，请先补充。',
    ACCOUNT_NUMBER_NOT_MASKED: '账号必须脱敏显示，不得出现完整账号。',
    CUSTOMER_NUMBER_FORMAT: '客户号应为字母C加10位数字。',
    CUSTOMER_NUMBER_CHECK_DIGIT: '客户号校验位不正确，请逐位核对。',
    REFERENCE_ID_FORMAT: '编号格式不正确。',
    ENTRY_ID_DUPLICATE: '记录编号重复。',
  },
  en: {
    NAME_TOO_LONG: 'The name is too long: at most {max} characters.',
    DATE_INVALID: 'The date is not a real day in the form YYYY-MM-DD.',
    DATETIME_INVALID:
      'The time is not an ISO 8601 time with a time zone, such as 2026-08-15T09:30:00+08:00.',
    COUNTRY_CODE_FORMAT: 'A country code is three capital letters (ISO 3166-1 alpha-3), e.g. CHN.',
    PASSPORT_ISSUING_COUNTRY_REQUIRED: 'A passport needs its issuing country.',
    DOCUMENT_TYPE_NOT_FOR_CUSTOMER_KIND: 'This type of document does not apply to this customer.',
    INDIVIDUAL_IDENTITY_DOCUMENT_MISSING: 'A retail customer needs at least one identity document.',
    CORPORATE_REGISTRATION_DOCUMENT_MISSING:
      'A corporate customer needs a unified social credit code or a business licence.',
    ADDRESS_REGION_CODE_FORMAT: 'An administrative division code is 6 digits (GB/T 2260).',
    ADDRESS_REGION_UNKNOWN: 'The province code is not a known mainland province. Check it.',
    ADDRESS_REGION_HIERARCHY:
      'The province, city and district codes do not belong together. Choose the address again.',
    POSTCODE_FORMAT: 'A postcode is 6 digits.',
    PHONE_PRIMARY_DUPLICATE: 'Only one phone number can be the primary one.',
    PREFERRED_CHANNEL_UNREACHABLE:
      'The preferred channel "{channel}" has no matching contact detail. Add one first.',
    ACCOUNT_NUMBER_NOT_MASKED: 'An account number must be masked; a full number is never stored.',
    CUSTOMER_NUMBER_FORMAT: 'A customer number is the letter C and 10 digits.',
    CUSTOMER_NUMBER_CHECK_DIGIT:
      'The check digit of the customer number is wrong. Check each digit.',
    REFERENCE_ID_FORMAT: 'The reference is not in the expected form.',
    ENTRY_ID_DUPLICATE: 'Two entries have the same id.',
  },
};

/** Derived facts shown beside a customer; `{date}` is the expiry or due date. */
export const customerAlertKinds = [
  'identity_document_expired',
  'identity_document_expiring_soon',
  'kyc_review_overdue',
  'kyc_review_due_soon',
] as const;

export type CustomerAlertKind = (typeof customerAlertKinds)[number];

export const customerAlertMessages: Record<Locale, Record<CustomerAlertKind, string>> = {
  'zh-CN': {
    identity_document_expired: '证件已于{date}过期，请客户更新证件。',
    identity_document_expiring_soon: '证件将于{date}到期，请提醒客户更新。',
    kyc_review_overdue: '客户定期审核已逾期（应于{date}完成）。',
    kyc_review_due_soon: '客户定期审核将于{date}到期。',
  },
  en: {
    identity_document_expired: 'The identity document expired on {date}. Ask for a current one.',
    identity_document_expiring_soon:
      'The identity document expires on {date}. Remind the customer.',
    kyc_review_overdue: 'The periodic KYC review is overdue (it was due on {date}).',
    kyc_review_due_soon: 'The periodic KYC review is due on {date}.',
  },
};

/** A template with its `{param}` placeholders filled; an unknown placeholder is left visible. */
export function fillTemplate(
  template: string,
  params: Readonly<Record<string, string | number>> = {},
): string {
  return template.replace(/\{(\w+)\}/gu, (whole, name: string) =>
    Object.hasOwn(params, name) ? String(params[name]) : whole,
  );
}
