// AML risk rating (洗钱风险等级) that explains itself. HQ's AML function publishes a versioned rule
// table as data: factors, each a condition on the customer with its points and, for some, a
// floor (a politically exposed person is never below 高); thresholds that turn the points into
// 低 / 中 / 高; and the review cycle of each level. A floor of `prohibited` (禁止: a sanctions
// hit) ends the relationship whatever the points. The same function rates at HQ and on the
// device, so both give the same rating, the same reasons and the same next review date.
import { z } from 'zod';
import type { Customer } from '../customer/customer';
import type { RatingProposal } from '../customer/records';
import { isoDateTime, referenceIdSchema } from '../customer/fields';
import {
  compareDates,
  daysInMonth,
  formatIsoDate,
  parseIsoDate,
  type CalendarDate,
} from '../validation/dates';

export const riskLevels = ['low', 'medium', 'high', 'prohibited'] as const;
export const RiskLevel = z.enum(riskLevels);
export type RiskLevel = z.infer<typeof RiskLevel>;

/** Words for people, as HQ wrote them, in both of the desk's languages. */
const words = z.object({ zh: z.string().min(1).max(200), en: z.string().min(1).max(200) });

/** ISO 3166-1 alpha-3, as the customer's nationality is recorded (countryCodeSchema). */
const countryCode = z.string().regex(/^[A-Z]{3}$/u, 'an ISO 3166-1 alpha-3 code in capitals');
const countryList = z.array(countryCode).min(1);

/** What makes a factor apply to a customer. */
export const riskConditionSchema = z.discriminatedUnion('kind', [
  /** A company (对公客户) rather than a person. */
  z.object({ kind: z.literal('corporate') }),
  /** The declared occupation contains one of these words (cash-intensive trades and the like). */
  z.object({
    kind: z.literal('occupation_contains'),
    words: z.array(z.string().trim().min(1).max(40)).min(1),
  }),
  /** 政治公众人物. */
  z.object({ kind: z.literal('pep') }),
  /** A sanctions-list hit not cleared. */
  z.object({ kind: z.literal('sanctions_hit') }),
  /** Nationality in one of these jurisdictions. */
  z.object({ kind: z.literal('nationality_in'), countries: countryList }),
  /** Not a national of this country (the bank's own). */
  z.object({ kind: z.literal('foreign_national'), home: countryCode }),
  /** At least this many accounts that are not closed. */
  z.object({ kind: z.literal('open_accounts_at_least'), count: z.number().int().min(1) }),
  /** An account frozen (by a court or an investigation). */
  z.object({ kind: z.literal('frozen_account') }),
  /**
   * Non-face-to-face: never met in person (no visit at the branch, at home or at the business)
   * and not preferring the branch.
   */
  z.object({ kind: z.literal('non_face_to_face') }),
]);
export type RiskCondition = z.infer<typeof riskConditionSchema>;

export const riskFactorSchema = z.object({
  /** Names the factor in reasons and reports; unique in a table. */
  code: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/u),
  label: words,
  when: riskConditionSchema,
  points: z.number().int().min(0).max(1000),
  /** The lowest level a customer with this factor can have. */
  floor: RiskLevel.exclude(['low']).optional(),
});
export type RiskFactor = z.infer<typeof riskFactorSchema>;

/** Months between periodic KYC reviews (客户身份资料定期审核), by level. */
const cycleMonths = z.number().int().min(1).max(120);

/** A rule table as HQ publishes it. */
export const riskRuleTableSchema = z
  .object({
    version: referenceIdSchema,
    publishedAt: isoDateTime.optional(),
    factors: z.array(riskFactorSchema).min(1),
    /** The least points for 中 and for 高. */
    thresholds: z.object({
      medium: z.number().int().min(1),
      high: z.number().int().min(1),
    }),
    reviewCycleMonths: z.object({ low: cycleMonths, medium: cycleMonths, high: cycleMonths }),
  })
  .superRefine((table, context) => {
    if (table.thresholds.high <= table.thresholds.medium)
      context.addIssue({
        code: 'custom',
        path: ['thresholds', 'high'],
        message: 'the threshold of high must be above that of medium',
      });
    const seen = new Set<string>();
    table.factors.forEach((factor, index) => {
      if (seen.has(factor.code))
        context.addIssue({
          code: 'custom',
          path: ['factors', index, 'code'],
          message: `factor ${factor.code} appears twice`,
        });
      seen.add(factor.code);
    });
    const { low, medium, high } = table.reviewCycleMonths;
    if (!(high <= medium && medium <= low))
      context.addIssue({
        code: 'custom',
        path: ['reviewCycleMonths'],
        message: 'a higher risk is reviewed at least as often as a lower one',
      });
  });
export type RiskRuleTable = z.infer<typeof riskRuleTableSchema>;

/**
 * The table a device or HQ uses until HQ publishes its own: the factors of the PBOC's guidance on
 * customer risk classification (customer type and occupation, PEP, sanctions, jurisdiction,
 * products, channel). The jurisdiction lists are examples in FATF's shape; HQ's AML function
 * publishes the lists it maintains.
 */
export const defaultRiskRules: RiskRuleTable = riskRuleTableSchema.parse({
  version: 'default-2026-12',
  thresholds: { medium: 30, high: 60 },
  reviewCycleMonths: { low: 36, medium: 12, high: 6 },
  factors: [
    {
      code: 'sanctions_hit',
      label: { zh: '命中制裁名单且未排除', en: 'Sanctions-list hit not cleared' },
      when: { kind: 'sanctions_hit' },
      points: 100,
      floor: 'prohibited',
    },
    {
      code: 'pep',
      label: { zh: '政治公众人物', en: 'Politically exposed person' },
      when: { kind: 'pep' },
      points: 40,
      floor: 'high',
    },
    {
      code: 'high_risk_jurisdiction',
      label: { zh: '国籍属于高风险国家或地区', en: 'National of a high-risk jurisdiction' },
      when: { kind: 'nationality_in', countries: ['PRK', 'IRN', 'MMR'] },
      points: 60,
      floor: 'high',
    },
    {
      code: 'monitored_jurisdiction',
      label: { zh: '国籍属于受监控国家或地区', en: 'National of a jurisdiction under monitoring' },
      when: { kind: 'nationality_in', countries: ['SYR', 'YEM', 'SSD', 'HTI', 'VEN'] },
      points: 25,
    },
    {
      code: 'foreign_national',
      label: { zh: '外国国籍', en: 'Foreign national' },
      when: { kind: 'foreign_national', home: 'CHN' },
      points: 10,
    },
    {
      code: 'cash_intensive_occupation',
      label: { zh: '现金密集或高风险职业', en: 'Cash-intensive or higher-risk occupation' },
      when: {
        kind: 'occupation_contains',
        words: [
          '珠宝',
          '贵金属',
          '典当',
          '博彩',
          '彩票',
          '古董',
          '艺术品',
          '货币兑换',
          '房地产中介',
          '二手车',
          '娱乐场所',
          'jewel',
          'pawn',
          'casino',
          'gambling',
          'money exchange',
          'precious metal',
        ],
      },
      points: 25,
    },
    {
      code: 'corporate',
      label: { zh: '对公客户', en: 'Corporate customer' },
      when: { kind: 'corporate' },
      points: 15,
    },
    {
      code: 'frozen_account',
      label: { zh: '有冻结账户', en: 'An account is frozen' },
      when: { kind: 'frozen_account' },
      points: 20,
    },
    {
      code: 'many_accounts',
      label: { zh: '未销户账户达 5 个及以上', en: 'Five or more open accounts' },
      when: { kind: 'open_accounts_at_least', count: 5 },
      points: 10,
    },
    {
      code: 'non_face_to_face',
      label: { zh: '非面对面建立业务关系', en: 'Relationship without meeting in person' },
      when: { kind: 'non_face_to_face' },
      points: 10,
    },
  ],
});

/** One factor that applied, as the customer 360 shows it. */
export interface RiskReason {
  code: string;
  label: { zh: string; en: string };
  points: number;
  floor?: Exclude<RiskLevel, 'low'>;
}

export interface RiskAssessment {
  level: RiskLevel;
  /** The points of every factor that applied. */
  score: number;
  /** Each factor that applied, most points first (the table's order between equals). */
  reasons: RiskReason[];
  ruleVersion: string;
  /** Months to the next periodic review; 0 for a prohibited customer (act now). */
  reviewCycleMonths: number;
  /**
   * When the next periodic review is due: the cycle from the last review, or `today` when there
   * has been none or the customer is prohibited. Never later than an earlier due date HQ set.
   */
  nextReviewDue: string;
}

/** The parts of a customer the rules read (a device's stored book facts carry the same). */
export interface RatedCustomer {
  kind: Customer['kind'];
  kyc: Pick<Customer['kyc'], 'pep' | 'sanctionsHit' | 'lastReviewedOn' | 'nextReviewDue'>;
  accounts: readonly { status: Customer['accounts'][number]['status'] }[];
  visits: readonly { kind: Customer['visits'][number]['kind'] }[];
  preferredChannel: Customer['preferredChannel'];
  nationality?: string | undefined;
  occupation?: string | undefined;
}

const levelOrder: Record<RiskLevel, number> = { low: 0, medium: 1, high: 2, prohibited: 3 };

/** The higher of two levels. */
export function higherLevel(a: RiskLevel, b: RiskLevel): RiskLevel {
  return levelOrder[a] >= levelOrder[b] ? a : b;
}

const metInPerson = new Set(['branch', 'home', 'business_premises']);

/** Whether `condition` holds for `customer`. */
export function conditionHolds(condition: RiskCondition, customer: RatedCustomer): boolean {
  switch (condition.kind) {
    case 'corporate':
      return customer.kind === 'corporate';
    case 'occupation_contains': {
      const occupation = customer.occupation?.toLowerCase();
      return (
        occupation !== undefined &&
        condition.words.some((word) => occupation.includes(word.toLowerCase()))
      );
    }
    case 'pep':
      return customer.kyc.pep;
    case 'sanctions_hit':
      return customer.kyc.sanctionsHit;
    case 'nationality_in':
      return (
        customer.nationality !== undefined && condition.countries.includes(customer.nationality)
      );
    case 'foreign_national':
      return customer.nationality !== undefined && customer.nationality !== condition.home;
    case 'open_accounts_at_least':
      return (
        customer.accounts.filter((account) => account.status !== 'closed').length >= condition.count
      );
    case 'frozen_account':
      return customer.accounts.some((account) => account.status === 'frozen');
    case 'non_face_to_face':
      return (
        customer.preferredChannel !== 'branch' &&
        !customer.visits.some((visit) => metInPerson.has(visit.kind))
      );
  }
}

/** The level `score` points reach under `table`'s thresholds. */
export function levelOfScore(
  score: number,
  table: RiskRuleTable,
): Exclude<RiskLevel, 'prohibited'> {
  if (score >= table.thresholds.high) return 'high';
  if (score >= table.thresholds.medium) return 'medium';
  return 'low';
}

/** Rates `customer` under `table` on `today`, with the reasons. */
export function rateCustomer(
  customer: RatedCustomer,
  table: RiskRuleTable,
  today: CalendarDate,
): RiskAssessment {
  const reasons: RiskReason[] = [];
  let score = 0;
  let floor: RiskLevel = 'low';
  for (const factor of table.factors) {
    if (!conditionHolds(factor.when, customer)) continue;
    score += factor.points;
    if (factor.floor) floor = higherLevel(floor, factor.floor);
    reasons.push({
      code: factor.code,
      label: factor.label,
      points: factor.points,
      ...(factor.floor ? { floor: factor.floor } : {}),
    });
  }
  // Stable: equal points keep the table's order.
  reasons.sort((a, b) => b.points - a.points);
  const level = higherLevel(levelOfScore(score, table), floor);
  const reviewCycleMonths = level === 'prohibited' ? 0 : table.reviewCycleMonths[level];
  return {
    level,
    score,
    reasons,
    ruleVersion: table.version,
    reviewCycleMonths,
    nextReviewDue: formatIsoDate(nextReviewDay(customer.kyc, reviewCycleMonths, today)),
  };
}

/**
 * The next periodic review: `months` after the last one (the day clamped to the month's end);
 * today when there was none or the cycle is 0; an earlier due date already set stands.
 */
export function nextReviewDay(
  kyc: { lastReviewedOn?: string | undefined; nextReviewDue?: string | undefined },
  months: number,
  today: CalendarDate,
): CalendarDate {
  const last = kyc.lastReviewedOn === undefined ? undefined : parseIsoDate(kyc.lastReviewedOn);
  const byCycle = last === undefined || months === 0 ? today : addMonths(last, months);
  const set = kyc.nextReviewDue === undefined ? undefined : parseIsoDate(kyc.nextReviewDue);
  return set !== undefined && compareDates(set, byCycle) < 0 ? set : byCycle;
}

/** The same day `months` later, clamped to the end of a shorter month (31 Aug + 6 → 28/29 Feb). */
export function addMonths(date: CalendarDate, months: number): CalendarDate {
  const index = date.year * 12 + (date.month - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  return { year, month, day: Math.min(date.day, daysInMonth(year, month)) };
}

/** The latest rating change proposed at a branch (approved there with four eyes), by its time. */
export function latestProposal(
  proposals: readonly RatingProposal[] | undefined,
): RatingProposal | undefined {
  let latest: RatingProposal | undefined;
  for (const proposal of proposals ?? [])
    if (!latest || Date.parse(proposal.at) > Date.parse(latest.at)) latest = proposal;
  return latest;
}

/**
 * What HQ records as a customer's rating under `table` on `today`: the table's level (a
 * prohibited customer is recorded 高, with the review due at once, for compliance to exit), never
 * below the latest change a branch proposed with four eyes (an RM's new information holds until a
 * later proposal replaces it); and the next review from that level's cycle.
 */
export function recordedRating(
  customer: RatedCustomer & { ratingProposals?: readonly RatingProposal[] | undefined },
  table: RiskRuleTable,
  today: CalendarDate,
): { level: Exclude<RiskLevel, 'prohibited'>; nextReviewDue: string; assessment: RiskAssessment } {
  const assessment = rateCustomer(customer, table, today);
  const proposed = latestProposal(customer.ratingProposals)?.level ?? 'low';
  const level = higherLevel(assessment.level, proposed);
  const months = level === 'prohibited' ? 0 : table.reviewCycleMonths[level];
  return {
    level: level === 'prohibited' ? 'high' : level,
    nextReviewDue: formatIsoDate(nextReviewDay(customer.kyc, months, today)),
    assessment,
  };
}
