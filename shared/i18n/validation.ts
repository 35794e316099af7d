// The people-facing text of every validation code, in zh-CN (the default) and en.
// Placeholders in braces are filled from the issue's params.
import type { ValidationCode } from '../validation/codes';
import type { ValidationIssue } from '../validation/result';
import type { Locale } from './errors';

export const validationMessages: Record<Locale, Record<ValidationCode, string>> = {
  'zh-CN': {
    REQUIRED: '此项必须填写。',

    PERSON_NAME_EMOJI: '姓名不能包含表情符号，请按证件上的姓名填写。',
    PERSON_NAME_DIGITS: '姓名不能包含数字，请按证件上的姓名填写。',
    PERSON_NAME_CHARACTERS:
      '姓名只能包含汉字、字母、空格、连字符、撇号、句点，以及少数民族姓名中的间隔号“·”。',
    PERSON_NAME_LATIN_ONLY: '拼音或英文姓名只能使用拉丁字母，不能包含汉字。',
    PERSON_NAME_DOT_POSITION: '间隔号“·”只能出现在姓名的两部分之间，不能在开头、结尾或连续出现。',
    PERSON_NAME_TOO_LONG: '姓名过长，最多{max}个字符。',

    RESIDENT_ID_LENGTH: '身份证号码应为18位（旧号码为15位），现在是{length}位。',
    RESIDENT_ID_FORMAT: '身份证号码只能由数字组成，最后一位可以是X。',
    RESIDENT_ID_CHECK_CHARACTER: '身份证号码校验位不正确，请逐位核对号码。',
    RESIDENT_ID_REGION: '身份证号码前6位不是有效的地区代码。',
    RESIDENT_ID_RESIDENCE_PERMIT_NUMBER:
      '这是港澳台居民居住证的号码（前6位为810000、820000或830000），不是居民身份证号码，请选择正确的证件类型。',
    RESIDENT_ID_BIRTH_DATE_INVALID: '身份证号码中的出生日期（第7–14位）不是真实存在的日期。',
    RESIDENT_ID_BIRTH_DATE_IN_FUTURE: '身份证号码中的出生日期晚于今天。',
    RESIDENT_ID_BIRTH_DATE_TOO_EARLY: '身份证号码中的出生年份早于{earliestYear}年。',
    RESIDENT_ID_LEGACY_CONVERTED:
      '15位旧身份证号码已自动升级为18位，请核对客户现持身份证上的号码。',

    USCC_LENGTH: '统一社会信用代码应为18位，现在是{length}位。',
    USCC_FORMAT: '统一社会信用代码只能包含数字和大写字母，且不使用字母I、O、Z、S、V。',
    USCC_REGION_FORMAT: '统一社会信用代码第3–8位（登记管理机关行政区划码）应为6位数字。',
    USCC_CHECK_CHARACTER: '统一社会信用代码校验位（第18位）不正确，请逐位核对代码。',
    USCC_REGISTRATION_AUTHORITY_UNKNOWN:
      '统一社会信用代码第1位“{authority}”不是已知的登记管理部门代码，请核对。',
    USCC_ORGANISATION_TYPE_UNKNOWN:
      '统一社会信用代码第2位“{organisationType}”不是登记管理部门“{authority}”已知的机构类别，请核对。',
    USCC_REGION_UNKNOWN: '统一社会信用代码第3–8位不是已知省份的行政区划码，请核对。',
    USCC_ORGANISATION_CODE_CHECK:
      '统一社会信用代码第9–17位（组织机构代码）的校验位不符，请与营业执照核对。',

    PHONE_INVALID: '电话号码不正确，请核对。',
    PHONE_MOBILE_FORMAT: '手机号码应为以1开头的11位数字。',
    PHONE_MOBILE_LENGTH: '手机号码应为11位数字，现在是{length}位。',
    PHONE_MOBILE_START: '手机号码应以1开头，现在以{first}开头。',
    PHONE_MOBILE_PREFIX_UNKNOWN:
      '没有以{prefix}开头的手机号段（手机号码第2位为3–9），请与客户核对号码。',
    PHONE_NOT_MOBILE: '这是固定电话号码，此处需要填写手机号码。',
    PHONE_LANDLINE_FORMAT: '固定电话号码应为“区号＋电话号码”，例如 010-12345678。',
    PHONE_LANDLINE_AREA_CODE_MISSING: '固定电话号码缺少区号，请在前面加上区号，例如 010。',
    PHONE_NOT_LANDLINE: '这不是固定电话号码，请填写在对应的栏目中。',
    PHONE_RANGE_UNKNOWN: '号码格式正确，但号段未知（可能是新启用的号段），请与客户核对。',

    EMAIL_FORMAT: '电子邮箱格式不正确，应类似 name@example.com。',
    EMAIL_TOO_LONG: '电子邮箱过长，最多{max}个字符。',
    EMAIL_DOMAIN: '电子邮箱“@”后面的域名不正确。',
    EMAIL_DOMAIN_LIKELY_TYPO: '邮箱域名可能拼错了，是否应为 {suggestion}？',

    BANK_CARD_FORMAT: '银行卡号只能由数字组成。',
    BANK_CARD_LENGTH: '银行卡号应为{min}–{max}位数字，现在是{length}位。',
    BANK_CARD_LUHN: '银行卡号未通过校验，部分国内卡属于正常情况，请与卡面核对。',

    PASSPORT_FORMAT: '护照号码格式不正确，请与护照资料页核对。',
    PASSPORT_LEGACY_FORMAT: '这是旧版护照的号码格式，旧版护照应已过期，请核对客户现持护照。',
    HK_MACAO_PERMIT_FORMAT: '港澳居民来往内地通行证号码应为H或M加8位数字。',
    HK_MACAO_PERMIT_LEGACY_FORMAT:
      '这是旧版（11位）通行证号码，旧版证件应已过期，请核对客户现持通行证。',
    TAIWAN_PERMIT_FORMAT: '台湾居民来往大陆通行证号码应为8位数字。',
    TAIWAN_PERMIT_LEGACY_FORMAT:
      '这是旧版台胞证号码（含签发次数），旧版证件应已过期，请核对客户现持通行证。',
    FOREIGN_PERMANENT_RESIDENT_ID_FORMAT:
      '外国人永久居留身份证号码应为18位（以9开头）或15位（3位字母加12位数字）。',
    FOREIGN_PERMANENT_RESIDENT_ID_CHECK_CHARACTER:
      '外国人永久居留身份证号码校验位不正确，请逐位核对号码。',
    BUSINESS_LICENCE_FORMAT:
      '营业执照注册号应为15位数字；2016年以后的营业执照请填写18位统一社会信用代码。',
    BUSINESS_LICENCE_CHECK_DIGIT: '营业执照注册号校验位不符，请与营业执照核对。',

    BIRTH_DATE_INVALID: '出生日期不是真实存在的日期。',
    BIRTH_DATE_IN_FUTURE: '出生日期晚于今天。',
    DOCUMENT_ISSUE_DATE_INVALID: '签发日期不是真实存在的日期。',
    DOCUMENT_EXPIRY_DATE_INVALID: '有效期至应为日期或“长期”。',
    DOCUMENT_ISSUE_DATE_IN_FUTURE: '签发日期晚于今天。',
    DOCUMENT_ISSUED_BEFORE_BIRTH: '签发日期早于出生日期。',
    DOCUMENT_EXPIRY_BEFORE_ISSUE: '有效期至应晚于签发日期。',
    DOCUMENT_BIRTH_DATE_MISMATCH: '填写的出生日期与身份证号码中的出生日期不一致。',
    DOCUMENT_GENDER_MISMATCH: '填写的性别与身份证号码不一致（第17位单数为男，双数为女）。',
    RESIDENT_ID_VALIDITY_PERIOD_MISMATCH:
      '有效期与签发时的年龄不符：{ageAtIssue}岁领证，有效期应为{expectedYears}年，请与证件核对。',
    RESIDENT_ID_LONG_TERM_UNEXPECTED:
      '{ageAtIssue}岁领取的身份证有效期应为{expectedYears}年，而不是长期，请与证件核对。',
    RESIDENT_ID_LONG_TERM_EXPECTED: '{ageAtIssue}岁领取的身份证有效期应为长期，请与证件核对。',
  },
  en: {
    REQUIRED: 'This field is required.',

    PERSON_NAME_EMOJI:
      'A name cannot contain emoji. Enter the name as printed on the identity document.',
    PERSON_NAME_DIGITS:
      'A name cannot contain digits. Enter the name as printed on the identity document.',
    PERSON_NAME_CHARACTERS:
      'A name may contain only Chinese characters, letters, spaces, hyphens, apostrophes, periods and the middle dot (·) of minority names.',
    PERSON_NAME_LATIN_ONLY:
      'A pinyin or English name uses Latin letters only, no Chinese characters.',
    PERSON_NAME_DOT_POSITION:
      'The middle dot (·) goes between two parts of a name, never at either end or twice in a row.',
    PERSON_NAME_TOO_LONG: 'The name is too long: at most {max} characters.',

    RESIDENT_ID_LENGTH:
      'A resident ID number has 18 characters (15 for an old number); this one has {length}.',
    RESIDENT_ID_FORMAT: 'A resident ID number is all digits, except that the last one may be X.',
    RESIDENT_ID_CHECK_CHARACTER:
      'The check character of this resident ID number is wrong. Compare the number with the card, digit by digit.',
    RESIDENT_ID_REGION:
      'The first 6 digits of this resident ID number are not a valid region code.',
    RESIDENT_ID_RESIDENCE_PERMIT_NUMBER:
      'This is the number of a residence permit for Hong Kong, Macao or Taiwan residents (it starts with 810000, 820000 or 830000), not of a resident identity card. Choose the right ID type.',
    RESIDENT_ID_BIRTH_DATE_INVALID:
      'The birth date in this resident ID number (digits 7–14) is not a real calendar date.',
    RESIDENT_ID_BIRTH_DATE_IN_FUTURE: 'The birth date in this resident ID number is after today.',
    RESIDENT_ID_BIRTH_DATE_TOO_EARLY:
      'The birth year in this resident ID number is before {earliestYear}.',
    RESIDENT_ID_LEGACY_CONVERTED:
      "The old 15-digit number was converted to 18 characters. Check it against the customer's current card.",

    USCC_LENGTH: 'A unified social credit code has 18 characters; this one has {length}.',
    USCC_FORMAT:
      'A unified social credit code contains only digits and capital letters, and never the letters I, O, Z, S or V.',
    USCC_REGION_FORMAT:
      'Characters 3–8 of a unified social credit code (the region of the registering office) must be 6 digits.',
    USCC_CHECK_CHARACTER:
      'The check character (the 18th) of this unified social credit code is wrong. Compare the code with the licence, character by character.',
    USCC_REGISTRATION_AUTHORITY_UNKNOWN:
      'The first character of this unified social credit code, "{authority}", is not a known registration authority. Please check it.',
    USCC_ORGANISATION_TYPE_UNKNOWN:
      'The second character of this unified social credit code, "{organisationType}", is not a known organisation type for registration authority "{authority}". Please check it.',
    USCC_REGION_UNKNOWN:
      'Characters 3–8 of this unified social credit code are not the region code of a known province. Please check it.',
    USCC_ORGANISATION_CODE_CHECK:
      'The organisation code inside this unified social credit code (characters 9–17) fails its own check. Compare it with the business licence.',

    PHONE_INVALID: 'This phone number is not valid. Please check it.',
    PHONE_MOBILE_FORMAT: 'A mobile number has 11 digits and starts with 1.',
    PHONE_MOBILE_LENGTH: 'A mobile number has 11 digits; this one has {length}.',
    PHONE_MOBILE_START: 'A mobile number starts with 1; this one starts with {first}.',
    PHONE_MOBILE_PREFIX_UNKNOWN:
      'No mobile numbers start with {prefix} (the second digit of a mobile number is 3 to 9). Check the number with the customer.',
    PHONE_NOT_MOBILE: 'This is a landline number; a mobile number is needed here.',
    PHONE_LANDLINE_FORMAT:
      'A landline number is an area code followed by the number, for example 010-12345678.',
    PHONE_LANDLINE_AREA_CODE_MISSING:
      'This landline number has no area code. Add it in front, for example 010.',
    PHONE_NOT_LANDLINE: 'This is not a landline number. Enter it in the matching field.',
    PHONE_RANGE_UNKNOWN:
      'The number is well formed but in a range we do not know yet (it may be new). Please confirm it with the customer.',

    EMAIL_FORMAT: 'This e-mail address is not well formed; it should look like name@example.com.',
    EMAIL_TOO_LONG: 'This e-mail address is too long: at most {max} characters.',
    EMAIL_DOMAIN: 'The domain after "@" in this e-mail address is not valid.',
    EMAIL_DOMAIN_LIKELY_TYPO: 'The e-mail domain may be misspelt. Did you mean {suggestion}?',

    BANK_CARD_FORMAT: 'A bank card number contains digits only.',
    BANK_CARD_LENGTH: 'A bank card number has {min} to {max} digits; this one has {length}.',
    BANK_CARD_LUHN:
      'This card number fails the Luhn check. Some domestic cards do; compare the number with the card.',

    PASSPORT_FORMAT:
      'This passport number is not in a known format. Compare it with the passport data page.',
    PASSPORT_LEGACY_FORMAT:
      "This passport number is in an old format; such passports have expired. Check the customer's current passport.",
    HK_MACAO_PERMIT_FORMAT:
      'A Mainland Travel Permit for Hong Kong and Macao Residents number is H or M followed by 8 digits.',
    HK_MACAO_PERMIT_LEGACY_FORMAT:
      "This is an old 11-character permit number; such permits have expired. Check the customer's current permit.",
    TAIWAN_PERMIT_FORMAT: 'A Mainland Travel Permit for Taiwan Residents number has 8 digits.',
    TAIWAN_PERMIT_LEGACY_FORMAT:
      "This is an old permit number (with an issue count); such permits have expired. Check the customer's current permit.",
    FOREIGN_PERMANENT_RESIDENT_ID_FORMAT:
      'A Foreign Permanent Resident ID Card number has 18 characters starting with 9, or 15 (3 letters and 12 digits).',
    FOREIGN_PERMANENT_RESIDENT_ID_CHECK_CHARACTER:
      'The check character of this Foreign Permanent Resident ID Card number is wrong. Compare the number with the card, digit by digit.',
    BUSINESS_LICENCE_FORMAT:
      'A business licence registration number has 15 digits. Licences issued since 2016 carry an 18-character unified social credit code instead.',
    BUSINESS_LICENCE_CHECK_DIGIT:
      'The check digit of this business licence registration number does not match. Compare it with the licence.',

    BIRTH_DATE_INVALID: 'The birth date is not a real calendar date.',
    BIRTH_DATE_IN_FUTURE: 'The birth date is after today.',
    DOCUMENT_ISSUE_DATE_INVALID: 'The issue date is not a real calendar date.',
    DOCUMENT_EXPIRY_DATE_INVALID: 'Valid until must be a date or "long-term".',
    DOCUMENT_ISSUE_DATE_IN_FUTURE: 'The issue date is after today.',
    DOCUMENT_ISSUED_BEFORE_BIRTH: 'The issue date is before the birth date.',
    DOCUMENT_EXPIRY_BEFORE_ISSUE: 'Valid until must be after the issue date.',
    DOCUMENT_BIRTH_DATE_MISMATCH:
      'The birth date entered differs from the one in the resident ID number.',
    DOCUMENT_GENDER_MISMATCH:
      'The gender entered differs from the resident ID number (an odd 17th digit means male, even female).',
    RESIDENT_ID_VALIDITY_PERIOD_MISMATCH:
      'The validity period does not fit the age at issue: a card issued at {ageAtIssue} is valid for {expectedYears} years. Compare with the card.',
    RESIDENT_ID_LONG_TERM_UNEXPECTED:
      'A card issued at {ageAtIssue} is valid for {expectedYears} years, not long-term. Compare with the card.',
    RESIDENT_ID_LONG_TERM_EXPECTED:
      'A card issued at {ageAtIssue} is valid long-term. Compare with the card.',
  },
};

/** The issue in words, with its `{param}` placeholders filled; an unknown placeholder is left visible. */
export function describeIssue(issue: ValidationIssue, locale: Locale): string {
  const template = validationMessages[locale][issue.code];
  const params = issue.params ?? {};
  return template.replace(/\{(\w+)\}/gu, (whole, name: string) =>
    Object.hasOwn(params, name) ? String(params[name]) : whole,
  );
}
