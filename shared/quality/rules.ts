// Data quality as data: each rule names a problem a record can have, in words for people, and a
// check of one record on a given day. A record is clean when no rule finds a problem in it. The
// same rules score a device's vault and HQ's whole bank (`npm run hq -- quality report`).
import type { Customer } from '../customer';
import { mainlandProvinceCodes } from '../validation/regions';
import {
  isCanonicalMainlandLandline,
  mainlandMobileRangeKnown,
  validateEmail,
  validatePhone,
} from '../validation';
import type { Phone } from '../customer/contacts';
import type { Locale } from '../i18n/errors';

/** What a check may know beyond the record: the day, and the ids of probable duplicates. */
export interface QualityContext {
  /** `YYYY-MM-DD`, the day the record is judged on. */
  today: string;
  /** Customers a duplicate report paired with another; absent: the rule is not judged. */
  probableDuplicates?: ReadonlySet<string>;
}

export interface QualityRule {
  id: string;
  words: Record<Locale, string>;
  /** True when the record has the problem. */
  finds: (customer: Customer, context: QualityContext) => boolean;
}

/**
 * Whether the validator finds anything wrong with a stored phone. Canonical mainland numbers
 * are judged by the validator's own patterns, without parsing (shared/validation/phone.ts):
 * parsing with the full metadata was half of judging a record, and HQ judges millions.
 */
function phoneFails(phone: Pick<Phone, 'e164' | 'kind'>): boolean {
  if (phone.kind === 'landline' && isCanonicalMainlandLandline(phone.e164)) return false;
  if (phone.kind === 'mobile') {
    const known = mainlandMobileRangeKnown(phone.e164);
    if (known !== undefined) return !known;
  }
  return validatePhone(phone.e164, { kind: phone.kind }).issues.length > 0;
}

/** Contact details not confirmed (no change, no visit) for this long are stale. */
export const STALE_AFTER_YEARS = 2;

const day = (iso: string) => iso.slice(0, 10);

/** `YYYY-MM-DD` minus whole years (29 February becomes 28 February in a common year). */
function yearsBefore(today: string, years: number): string {
  const [y, m, d] = today.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y - years, m - 1, d));
  if (date.getUTCMonth() !== m - 1) date.setUTCDate(0);
  return date.toISOString().slice(0, 10);
}

/**
 * Goes up whenever a rule judges differently (HQ judges every record again under a new revision,
 * hq/quality-facts.ts). test/unit/quality/rules.test.ts holds it to the rules' code.
 */
export const QUALITY_RULES_REVISION = 1;

export const qualityRules: readonly QualityRule[] = [
  {
    id: 'required_missing',
    words: {
      'zh-CN': '缺少必填信息（个人：职业、居住地址；单位：注册地址）',
      en: 'Required details missing (a person: occupation, residential address; a company: registered address)',
    },
    finds: (customer) =>
      customer.kind === 'individual'
        ? !customer.occupation ||
          !customer.addresses.some((address) => address.kind === 'residential')
        : !customer.addresses.some((address) => address.kind === 'registered'),
  },
  {
    id: 'phone_unverified',
    words: {
      'zh-CN': '电话号码未通过现行校验（号段未知或号码无效）',
      en: "A phone number fails today's checks (unknown range or invalid)",
    },
    // Number ranges change: a number accepted with a warning then is judged again now.
    finds: (customer) => customer.phones.some(phoneFails),
  },
  {
    id: 'email_invalid',
    words: { 'zh-CN': '电子邮箱格式不正确', en: 'The e-mail address is not valid' },
    finds: (customer) =>
      customer.email !== undefined && validateEmail(customer.email).issues.length > 0,
  },
  {
    id: 'document_expired',
    words: { 'zh-CN': '证件已过有效期', en: 'An identity document has expired' },
    finds: (customer, { today }) =>
      customer.identityDocuments.some(
        (document) => typeof document.expiresOn === 'string' && document.expiresOn < today,
      ),
  },
  {
    id: 'address_district_unknown',
    words: {
      'zh-CN': '地址的行政区划代码不在境内省份之中',
      en: 'An address has a district code outside the mainland provinces',
    },
    finds: (customer) =>
      customer.addresses.some(
        (address) =>
          !/^\d{6}$/.test(address.districtCode) ||
          !mainlandProvinceCodes.has(address.districtCode.slice(0, 2)),
      ),
  },
  {
    id: 'kyc_review_overdue',
    words: { 'zh-CN': '客户尽职调查复核已逾期', en: 'The KYC review is overdue' },
    finds: (customer, { today }) => customer.kyc.nextReviewDue < today,
  },
  {
    id: 'stale_contacts',
    words: {
      'zh-CN': `联系方式超过${STALE_AFTER_YEARS}年未经客户确认（无到访）`,
      en: `Contact details not confirmed with the customer for ${STALE_AFTER_YEARS} years (no visit)`,
    },
    finds: (customer, { today }) => confirmedOn(customer) < staleBefore(today),
  },
  {
    id: 'probable_duplicate',
    words: { 'zh-CN': '疑似重复客户', en: 'A probable duplicate of another customer' },
    finds: (customer, { probableDuplicates }) => probableDuplicates?.has(customer.id) ?? false,
  },
];

/**
 * The rules judged from the record alone, not the day or other records: a device keeps their
 * verdicts as bits beside the record (the book's `quality_flags`, vault migration 26), in this
 * order, and asks the day-bound ones of the book's dates (electron/core/quality/score.ts).
 */
export const recordOnlyRules = [
  'required_missing',
  'phone_unverified',
  'email_invalid',
  'address_district_unknown',
] as const;

/** The bit of a record-only rule in `recordOnlyFlags`. */
export const ruleBit = (id: (typeof recordOnlyRules)[number]) => 1 << recordOnlyRules.indexOf(id);

/** Each record-only rule with its bit, looked up once (recordOnlyFlags runs on every write). */
const recordOnly = recordOnlyRules.map(
  (id) => [ruleBit(id), qualityRules.find((candidate) => candidate.id === id)!] as const,
);

/** The record-only rules that find a problem in the record, as bits (ruleBit). */
export function recordOnlyFlags(customer: Customer): number {
  let flags = 0;
  // Record-only: the day is not read.
  for (const [bit, rule] of recordOnly)
    if (rule.finds(customer, { today: '0000-01-01' })) flags |= bit;
  return flags;
}

/**
 * The last day the customer's contact details were confirmed: their last visit (at the counter,
 * by phone or video, where staff check them), else, never visited, the day they became a
 * customer (their first account), else the record's last change. Not any change: adding a task or
 * a note confirms nothing with the customer.
 */
export function confirmedOn(customer: Customer): string {
  const visited = customer.visits
    .map((visit) => day(visit.at))
    .sort()
    .at(-1);
  if (visited) return visited;
  const since = customer.accounts.map((account) => account.openedOn).sort()[0];
  return since ?? day(customer.updatedAt);
}

/** Contact details last confirmed before this day are stale on `today`. */
export const staleBefore = (today: string) => yearsBefore(today, STALE_AFTER_YEARS);

/** The ids of the rules that find a problem in the record. */
export function problemsOf(customer: Customer, context: QualityContext): string[] {
  return qualityRules.filter((rule) => rule.finds(customer, context)).map((rule) => rule.id);
}

export interface QualityScore {
  records: number;
  clean: number;
  /** clean / records, 0 to 1 (1 for no records). */
  cleanShare: number;
  /** How many records have each problem, every rule listed. */
  problems: Record<string, number>;
}

/** Scores records one at a time: a bank's worth never has to be in memory at once. */
export function qualityTally(context: QualityContext) {
  const problems = Object.fromEntries(qualityRules.map((rule) => [rule.id, 0]));
  let records = 0;
  let clean = 0;
  return {
    add(customer: Customer): string[] {
      const found = problemsOf(customer, context);
      records += 1;
      if (found.length === 0) clean += 1;
      for (const id of found) problems[id]! += 1;
      return found;
    },
    score(): QualityScore {
      return { records, clean, cleanShare: records === 0 ? 1 : clean / records, problems };
    },
  };
}

/**
 * What a record tells the rules, kept beside it so that a whole bank is scored by counting
 * columns (HQ migration 29, hq/quality.ts): the record-only verdicts as bits (recordOnlyFlags),
 * and the dates the day-bound rules compare with the day (HQ's report asks them in SQL, as the
 * device's score asks the book's columns).
 */
export interface QualityFacts {
  flags: number;
  /** The earliest expiry of an identity document, or null (none expires). */
  expiresOn: string | null;
  kycDue: string;
  confirmedOn: string;
}

export function qualityFacts(customer: Customer): QualityFacts {
  let expiresOn: string | null = null;
  for (const document of customer.identityDocuments)
    if (
      typeof document.expiresOn === 'string' &&
      (expiresOn === null || document.expiresOn < expiresOn)
    )
      expiresOn = document.expiresOn;
  return {
    flags: recordOnlyFlags(customer),
    expiresOn,
    kycDue: customer.kyc.nextReviewDue,
    confirmedOn: confirmedOn(customer),
  };
}
