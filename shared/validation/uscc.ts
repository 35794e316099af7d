// Unified social credit codes (统一社会信用代码, GB 32100-2015): 18 characters from 0-9 and
// A-Z without I, O, Z, S, V. Position 1 is the registration authority, 2 the organisation type,
// 3–8 the administrative division of the registering office, 9–17 the organisation code
// (GB 11714, whose own check character is position 17), 18 a MOD 31 check character.
import { normalizeDocumentNumber } from './normalize';
import { mainlandProvinceCodes } from './regions';
import {
  type ValidationIssue,
  type ValidationResult,
  conclude,
  error,
  rejected,
  warning,
} from './result';

/** The code's character set in value order: a character's value is its index (0–30). */
export const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

// Weight of position i (1-based) is 3^(i-1) mod 31, as GB 32100-2015 defines it.
const USCC_WEIGHTS = Array.from({ length: 17 }, (_, index) => {
  let weight = 1;
  for (let step = 0; step < index; step += 1) weight = (weight * 3) % 31;
  return weight;
});

// GB 11714-1997 organisation code: weights of the 8 body characters; digits count as their
// value and letters A–Z as 10–35.
const ORGANISATION_CODE_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2];

/**
 * Organisation types known for each registration authority, from GB 32100-2015 and the
 * authority codes allocated under it since (司法行政, 文化, 旅游, 宗教, 工会, 军队, 农业 …), as
 * publicly documented. New codes are still being allocated, so an unknown pair is a warning,
 * not an error.
 */
export const usccOrganisationTypes: Readonly<Record<string, readonly string[]>> = {
  '1': ['1', '2', '3', '9'], // 机构编制: 机关, 事业单位, 中央编办直接管理机构编制的群众团体, 其他
  '2': ['1', '9'], // 外交: 外国常驻新闻机构, 其他
  '3': ['1', '2', '3', '4', '5', '9'], // 司法行政: 律师执业机构, 公证处, 基层法律服务所, 司法鉴定机构, 仲裁委员会, 其他
  '4': ['1', '9'], // 文化: 外国在华文化中心, 其他
  '5': ['1', '2', '3', '9'], // 民政: 社会团体, 民办非企业单位, 基金会, 其他
  '6': ['1', '2', '9'], // 旅游: 外国旅游部门常驻代表机构, 港澳台地区旅游部门常驻内地（大陆）代表机构, 其他
  '7': ['1', '2', '9'], // 宗教: 宗教活动场所, 宗教院校, 其他
  '8': ['1', '9'], // 工会: 基层工会, 其他
  '9': ['1', '2', '3'], // 工商: 企业, 个体工商户, 农民专业合作社
  A: ['1', '9'], // 中央军委改革和编制办公室: 军队事业单位, 其他
  N: ['1', '2', '3', '9'], // 农业: 组级, 村级, 乡镇级集体经济组织, 其他
  Y: ['1'], // 其他登记管理部门
};

function usccValue(char: string): number {
  return USCC_ALPHABET.indexOf(char);
}

/**
 * The MOD 31 check character (position 18) of the first 17 characters of a unified social
 * credit code. Throws when `first17` is not 17 characters of the code's alphabet.
 */
export function computeUsccCheck(first17: string): string {
  if (first17.length !== 17 || [...first17].some((char) => usccValue(char) < 0)) {
    throw new RangeError('computeUsccCheck needs 17 characters of the USCC alphabet');
  }
  let sum = 0;
  for (let index = 0; index < 17; index += 1) {
    sum += usccValue(first17[index] ?? '') * (USCC_WEIGHTS[index] ?? 0);
  }
  return USCC_ALPHABET[(31 - (sum % 31)) % 31] ?? '';
}

/**
 * The GB 11714 check character (`0`–`9` or `X`) of an 8-character organisation code body
 * (digits and upper-case letters). Throws on any other input.
 */
export function computeOrganisationCodeCheck(body: string): string {
  if (!/^[0-9A-Z]{8}$/u.test(body))
    throw new RangeError('computeOrganisationCodeCheck needs 8 characters 0-9A-Z');
  let sum = 0;
  for (let index = 0; index < 8; index += 1) {
    sum += Number.parseInt(body[index] ?? '', 36) * (ORGANISATION_CODE_WEIGHTS[index] ?? 0);
  }
  const check = 11 - (sum % 11);
  if (check === 10) return 'X';
  return check === 11 ? '0' : String(check);
}

/**
 * Validates a unified social credit code and returns it compact and upper-case.
 * Errors: length, characters, a non-numeric region (positions 3–8), the MOD 31 check.
 * Warnings: an unknown registration authority or organisation type, an unknown province in
 * the region, and an organisation code (positions 9–17) whose GB 11714 check does not hold.
 * The last is a warning, not an error: every real code we have seen passes it (the 200-odd in
 * python-stdnum's test data, and the standard's worked example 91350100M000100Y43), but the
 * MOD 31 character already catches every single-character slip, and we have no evidence that
 * every registry enforced GB 11714 when it assigned codes; turning a customer away on it is
 * worse than asking the teller to compare with the licence.
 */
export function validateUscc(input: string): ValidationResult<string> {
  const code = normalizeDocumentNumber(input);
  if (code === '') return rejected([error('REQUIRED')]);
  if (code.length !== 18) return rejected([error('USCC_LENGTH', { length: code.length })]);
  if ([...code].some((char) => usccValue(char) < 0)) return rejected([error('USCC_FORMAT')]);

  const issues: ValidationIssue[] = [];
  const region = code.slice(2, 8);
  if (!/^\d{6}$/u.test(region)) issues.push(error('USCC_REGION_FORMAT'));
  if (code[17] !== computeUsccCheck(code.slice(0, 17))) issues.push(error('USCC_CHECK_CHARACTER'));

  const authority = code.slice(0, 1);
  const organisationType = code.slice(1, 2);
  const knownTypes = usccOrganisationTypes[authority];
  if (knownTypes === undefined) {
    issues.push(warning('USCC_REGISTRATION_AUTHORITY_UNKNOWN', { authority }));
  } else if (!knownTypes.includes(organisationType)) {
    issues.push(warning('USCC_ORGANISATION_TYPE_UNKNOWN', { authority, organisationType }));
  }
  if (/^\d{6}$/u.test(region) && !isKnownRegistrationRegion(region)) {
    issues.push(warning('USCC_REGION_UNKNOWN'));
  }
  if (code[16] !== computeOrganisationCodeCheck(code.slice(8, 16))) {
    issues.push(warning('USCC_ORGANISATION_CODE_CHECK'));
  }
  return conclude(code, issues);
}

/** Province level only; `10` is the region of organisations registered at the national level (100000). */
function isKnownRegistrationRegion(region: string): boolean {
  const province = region.slice(0, 2);
  return province === '10' || mainlandProvinceCodes.has(province);
}
