// The periodic KYC review: the cycle a review starts (the rule table's, from the higher of the
// recorded and the computed level) and what the latest review does to `kyc`, the same at HQ and
// on the device.
import { describe, expect, it } from 'vitest';
import type { Kyc, KycReview } from '../../../shared/customer';
import { effectiveKyc, latestReview, reviewCycle } from '../../../shared/insight/review';
import { defaultRiskRules } from '../../../shared/insight/risk';
import { parseIsoDate } from '../../../shared/validation/dates';

const today = parseIsoDate('2026-08-31')!;
const kyc: Kyc = {
  status: 'verified',
  lastReviewedOn: '2024-01-10',
  nextReviewDue: '2027-01-10',
  riskRating: 'low',
  pep: false,
  sanctionsHit: false,
};
const person = {
  kind: 'individual' as const,
  kyc,
  accounts: [],
  visits: [{ kind: 'branch' as const }],
  preferredChannel: 'branch' as const,
  nationality: 'CHN',
};
const review = (at: string, outcome: KycReview['outcome'], next: string): KycReview => ({
  id: `00000000-0000-4000-8000-${at.slice(0, 10).replace(/-/g, '').padStart(12, '0')}`,
  at,
  reviewer: 'rm1',
  outcome,
  checked: ['identity_documents'],
  level: 'low',
  ruleVersion: 'default-2026-12',
  nextReviewDue: next,
});

describe('the review cycle', () => {
  it('runs the level’s months from today, clamped at the month’s end', () => {
    expect(reviewCycle(person, defaultRiskRules, today)).toEqual({
      level: 'low',
      ruleVersion: defaultRiskRules.version,
      nextReviewDue: '2029-08-31',
    });
    // Recorded medium: 12 months; high: 6 (31 Aug + 6 months is 28 Feb).
    const medium = { ...person, kyc: { ...kyc, riskRating: 'medium' as const } };
    expect(reviewCycle(medium, defaultRiskRules, today).nextReviewDue).toBe('2027-08-31');
    const high = { ...person, kyc: { ...kyc, riskRating: 'high' as const } };
    expect(reviewCycle(high, defaultRiskRules, today).nextReviewDue).toBe('2027-02-28');
  });

  it('takes the higher of the recorded level and the rules’: a PEP recorded low is reviewed as high', () => {
    const pep = { ...person, kyc: { ...kyc, pep: true } };
    expect(reviewCycle(pep, defaultRiskRules, today)).toMatchObject({
      level: 'high',
      nextReviewDue: '2027-02-28',
    });
  });

  it('makes a prohibited customer due today', () => {
    const sanctioned = { ...person, kyc: { ...kyc, sanctionsHit: true } };
    expect(reviewCycle(sanctioned, defaultRiskRules, today)).toMatchObject({
      level: 'prohibited',
      nextReviewDue: '2026-08-31',
    });
  });
});

describe('a review’s effect on kyc', () => {
  it('changes nothing without a review, or with one no later than the last recorded', () => {
    expect(effectiveKyc({ kyc })).toBe(kyc);
    expect(effectiveKyc({ kyc, kycReviews: [] })).toBe(kyc);
    const older = review('2024-01-10T09:00:00+08:00', 'no_change', '2027-01-10');
    expect(effectiveKyc({ kyc, kycReviews: [older] })).toBe(kyc);
  });

  it('writes the latest review’s day (the bank’s) and next due date, verified', () => {
    const first = review('2026-05-01T10:00:00+08:00', 'no_change', '2029-05-01');
    // 23:30 UTC on 30 August is 07:30 on 31 August in Beijing.
    const latest = review('2026-08-30T23:30:00.000Z', 'updated', '2029-08-31');
    expect(latestReview([latest, first])).toBe(latest);
    expect(
      effectiveKyc({ kyc: { ...kyc, status: 'review_required' }, kycReviews: [first, latest] }),
    ).toEqual({
      ...kyc,
      status: 'verified',
      lastReviewedOn: '2026-08-31',
      nextReviewDue: '2029-08-31',
    });
  });

  it('leaves the customer to compliance when escalated or closing', () => {
    for (const outcome of ['escalated', 'exit'] as const)
      expect(
        effectiveKyc({
          kyc,
          kycReviews: [review('2026-08-31T10:00:00+08:00', outcome, '2027-02-28')],
        }).status,
      ).toBe('review_required');
  });

  it('counts a review with no last review recorded at all', () => {
    const { lastReviewedOn: _none, ...never } = kyc;
    const first = review('2026-08-31T10:00:00+08:00', 'no_change', '2029-08-31');
    expect(effectiveKyc({ kyc: never, kycReviews: [first] }).lastReviewedOn).toBe('2026-08-31');
  });
});
