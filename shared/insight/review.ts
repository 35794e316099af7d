// Periodic KYC review (客户身份资料定期审核): the review cycle the rule table sets, and what a
// review recorded at the branch does to the record's `kyc`. The branch appends the review (an
// append-only list, never conflicting); `kyc` stays HQ's field, and HQ writes the review's effect
// into it with `effectiveKyc` as it applies the push. The device reads the same function, so its
// home counts the review at once, offline, before HQ has seen it.
import type { Customer } from '../customer/customer';
import type { Kyc, KycReview } from '../customer/records';
import { formatIsoDate, type CalendarDate } from '../validation/dates';
import { bankDay } from './day';
import {
  addMonths,
  higherLevel,
  rateCustomer,
  type RatedCustomer,
  type RiskLevel,
  type RiskRuleTable,
} from './risk';

/**
 * The cycle a review done on `today` starts: from the higher of the level HQ recorded and the one
 * the table gives (a rating not yet followed by HQ never lengthens a cycle). Prohibited: due at
 * once.
 */
export function reviewCycle(
  customer: RatedCustomer & { kyc: Pick<Kyc, 'riskRating'> },
  table: RiskRuleTable,
  today: CalendarDate,
): { level: RiskLevel; ruleVersion: string; nextReviewDue: string } {
  const rated = rateCustomer(customer, table, today);
  const level = higherLevel(customer.kyc.riskRating, rated.level);
  const nextReviewDue =
    level === 'prohibited'
      ? formatIsoDate(today)
      : formatIsoDate(addMonths(today, table.reviewCycleMonths[level]));
  return { level, ruleVersion: table.version, nextReviewDue };
}

/** The latest review, by its time. */
export function latestReview(reviews: readonly KycReview[] | undefined): KycReview | undefined {
  let latest: KycReview | undefined;
  for (const review of reviews ?? [])
    if (!latest || Date.parse(review.at) > Date.parse(latest.at)) latest = review;
  return latest;
}

/**
 * `kyc` with the latest review applied: its day as the last review, its next due date, and the
 * status it leaves (verified, or review_required when escalated to compliance or closing). A
 * review no later than the last one `kyc` records changes nothing.
 */
export function effectiveKyc(customer: Pick<Customer, 'kyc' | 'kycReviews'>): Kyc {
  const { kyc } = customer;
  const review = latestReview(customer.kycReviews);
  if (!review) return kyc;
  const day = bankDay(review.at);
  if (kyc.lastReviewedOn !== undefined && day <= kyc.lastReviewedOn) return kyc;
  return {
    ...kyc,
    lastReviewedOn: day,
    nextReviewDue: review.nextReviewDue,
    status:
      review.outcome === 'escalated' || review.outcome === 'exit' ? 'review_required' : 'verified',
  };
}
