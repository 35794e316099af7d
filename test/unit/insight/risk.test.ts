import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addMonths,
  conditionHolds,
  defaultRiskRules,
  higherLevel,
  levelOfScore,
  nextReviewDay,
  latestProposal,
  rateCustomer,
  recordedRating,
  riskLevels,
  riskRuleTableSchema,
  type RatedCustomer,
  type RiskCondition,
  type RiskFactor,
  type RiskLevel,
  type RiskRuleTable,
} from '../../../shared/insight/risk';
import { formatIsoDate, parseIsoDate, type CalendarDate } from '../../../shared/validation/dates';

function day(text: string): CalendarDate {
  const date = parseIsoDate(text);
  if (!date) throw new Error(`not a date: ${text}`);
  return date;
}

const today = day('2026-12-05');

/** A low-risk person met at the branch, reviewed recently. Override what a test needs. */
function customer(overrides: Partial<RatedCustomer> = {}): RatedCustomer {
  return {
    kind: 'individual',
    kyc: { pep: false, sanctionsHit: false, nextReviewDue: '2099-12-31' },
    accounts: [{ status: 'active' }],
    visits: [{ kind: 'branch' }],
    preferredChannel: 'phone',
    nationality: 'CHN',
    occupation: '教师',
    ...overrides,
  };
}

function kyc(overrides: Partial<RatedCustomer['kyc']> = {}): RatedCustomer['kyc'] {
  return { pep: false, sanctionsHit: false, nextReviewDue: '2099-12-31', ...overrides };
}

const rank: Record<RiskLevel, number> = { low: 0, medium: 1, high: 2, prohibited: 3 };

describe('conditionHolds', () => {
  it('corporate holds for a company only', () => {
    const when: RiskCondition = { kind: 'corporate' };
    expect(conditionHolds(when, customer({ kind: 'corporate' }))).toBe(true);
    expect(conditionHolds(when, customer({ kind: 'individual' }))).toBe(false);
  });

  it('occupation_contains matches a substring, ignoring case', () => {
    const when: RiskCondition = { kind: 'occupation_contains', words: ['Casino', '珠宝'] };
    expect(conditionHolds(when, customer({ occupation: 'casino dealer' }))).toBe(true);
    expect(conditionHolds(when, customer({ occupation: 'Night CASINO manager' }))).toBe(true);
    expect(conditionHolds(when, customer({ occupation: '珠宝店店主' }))).toBe(true);
    expect(conditionHolds(when, customer({ occupation: '教师' }))).toBe(false);
    expect(conditionHolds(when, customer({ occupation: 'casin' }))).toBe(false);
    expect(conditionHolds(when, customer({ occupation: undefined }))).toBe(false);
  });

  it('occupation_contains of the default table matches mixed-case English words', () => {
    const factor = defaultRiskRules.factors.find((f) => f.code === 'cash_intensive_occupation');
    if (!factor) throw new Error('no cash_intensive_occupation factor');
    expect(conditionHolds(factor.when, customer({ occupation: 'Precious Metal trader' }))).toBe(
      true,
    );
    expect(conditionHolds(factor.when, customer({ occupation: 'PAWNBROKER' }))).toBe(true);
    expect(conditionHolds(factor.when, customer({ occupation: '二手车经销商' }))).toBe(true);
    expect(conditionHolds(factor.when, customer({ occupation: 'Software engineer' }))).toBe(false);
  });

  it('pep and sanctions_hit read the KYC flags', () => {
    expect(conditionHolds({ kind: 'pep' }, customer({ kyc: kyc({ pep: true }) }))).toBe(true);
    expect(conditionHolds({ kind: 'pep' }, customer())).toBe(false);
    expect(
      conditionHolds({ kind: 'sanctions_hit' }, customer({ kyc: kyc({ sanctionsHit: true }) })),
    ).toBe(true);
    expect(conditionHolds({ kind: 'sanctions_hit' }, customer())).toBe(false);
    // Each flag only drives its own condition.
    expect(conditionHolds({ kind: 'pep' }, customer({ kyc: kyc({ sanctionsHit: true }) }))).toBe(
      false,
    );
    expect(conditionHolds({ kind: 'sanctions_hit' }, customer({ kyc: kyc({ pep: true }) }))).toBe(
      false,
    );
  });

  it('nationality_in holds for a listed country only', () => {
    const when: RiskCondition = { kind: 'nationality_in', countries: ['PRK', 'IRN'] };
    expect(conditionHolds(when, customer({ nationality: 'PRK' }))).toBe(true);
    expect(conditionHolds(when, customer({ nationality: 'IRN' }))).toBe(true);
    expect(conditionHolds(when, customer({ nationality: 'CHN' }))).toBe(false);
    expect(conditionHolds(when, customer({ nationality: undefined }))).toBe(false);
  });

  it('foreign_national holds for another nationality, not for the home one or none', () => {
    const when: RiskCondition = { kind: 'foreign_national', home: 'CHN' };
    expect(conditionHolds(when, customer({ nationality: 'USA' }))).toBe(true);
    expect(conditionHolds(when, customer({ nationality: 'CHN' }))).toBe(false);
    expect(conditionHolds(when, customer({ kind: 'corporate', nationality: undefined }))).toBe(
      false,
    );
    expect(conditionHolds({ kind: 'foreign_national', home: 'USA' }, customer())).toBe(true);
  });

  it('open_accounts_at_least counts accounts that are not closed, at the boundary', () => {
    const when: RiskCondition = { kind: 'open_accounts_at_least', count: 3 };
    const accounts = (...statuses: RatedCustomer['accounts'][number]['status'][]) =>
      customer({ accounts: statuses.map((status) => ({ status })) });
    // count - 1 open accounts
    expect(conditionHolds(when, accounts('active', 'dormant'))).toBe(false);
    // count open accounts, of every non-closed status
    expect(conditionHolds(when, accounts('active', 'dormant', 'frozen'))).toBe(true);
    expect(conditionHolds(when, accounts('active', 'active', 'active', 'active'))).toBe(true);
    // closed accounts do not count
    expect(conditionHolds(when, accounts('active', 'dormant', 'closed', 'closed'))).toBe(false);
    expect(conditionHolds(when, accounts('closed', 'closed', 'closed'))).toBe(false);
    expect(conditionHolds(when, accounts())).toBe(false);
    expect(
      conditionHolds(
        { kind: 'open_accounts_at_least', count: 1 },
        accounts('closed', 'closed', 'active'),
      ),
    ).toBe(true);
  });

  it('frozen_account holds when any account is frozen', () => {
    const when: RiskCondition = { kind: 'frozen_account' };
    expect(
      conditionHolds(when, customer({ accounts: [{ status: 'active' }, { status: 'frozen' }] })),
    ).toBe(true);
    expect(
      conditionHolds(
        when,
        customer({ accounts: [{ status: 'active' }, { status: 'dormant' }, { status: 'closed' }] }),
      ),
    ).toBe(false);
    expect(conditionHolds(when, customer({ accounts: [] }))).toBe(false);
  });

  describe('non_face_to_face', () => {
    const when: RiskCondition = { kind: 'non_face_to_face' };

    it('holds with no visit at all and a remote channel', () => {
      expect(conditionHolds(when, customer({ visits: [], preferredChannel: 'phone' }))).toBe(true);
      expect(conditionHolds(when, customer({ visits: [], preferredChannel: 'email' }))).toBe(true);
    });

    it('holds with only phone and video visits', () => {
      expect(
        conditionHolds(
          when,
          customer({ visits: [{ kind: 'phone' }, { kind: 'video' }], preferredChannel: 'sms' }),
        ),
      ).toBe(true);
    });

    it('does not hold when the customer prefers the branch', () => {
      expect(conditionHolds(when, customer({ visits: [], preferredChannel: 'branch' }))).toBe(
        false,
      );
      expect(
        conditionHolds(when, customer({ visits: [{ kind: 'phone' }], preferredChannel: 'branch' })),
      ).toBe(false);
    });

    it.each(['branch', 'home', 'business_premises'] as const)(
      'does not hold after a %s visit',
      (kind) => {
        expect(
          conditionHolds(
            when,
            customer({ visits: [{ kind: 'phone' }, { kind }], preferredChannel: 'phone' }),
          ),
        ).toBe(false);
      },
    );
  });
});

describe('levelOfScore', () => {
  const { medium, high } = defaultRiskRules.thresholds;

  it('uses the default thresholds 30 and 60', () => {
    expect(medium).toBe(30);
    expect(high).toBe(60);
  });

  it.each([
    [0, 'low'],
    [medium - 1, 'low'],
    [medium, 'medium'],
    [high - 1, 'medium'],
    [high, 'high'],
    [high + 1000, 'high'],
  ] as const)('%i points are %s', (score, level) => {
    expect(levelOfScore(score, defaultRiskRules)).toBe(level);
  });
});

describe('higherLevel', () => {
  it('returns the higher of two levels in either order', () => {
    for (const a of riskLevels)
      for (const b of riskLevels) {
        const expected = rank[a] >= rank[b] ? a : b;
        expect(higherLevel(a, b)).toBe(expected);
        expect(higherLevel(b, a)).toBe(expected);
      }
  });
});

describe('rateCustomer', () => {
  it('rates a plain customer low with no reasons and a 36-month cycle', () => {
    const rating = rateCustomer(
      customer({ kyc: kyc({ lastReviewedOn: '2026-01-15' }) }),
      defaultRiskRules,
      today,
    );
    expect(rating).toEqual({
      level: 'low',
      score: 0,
      reasons: [],
      ruleVersion: 'default-2026-12',
      reviewCycleMonths: 36,
      nextReviewDue: '2029-01-15',
    });
  });

  it('sums the points and lists the reasons most points first', () => {
    // corporate 15, frozen 20, many_accounts 10, non_face_to_face 10
    const rating = rateCustomer(
      customer({
        kind: 'corporate',
        nationality: undefined,
        occupation: undefined,
        accounts: [
          { status: 'frozen' },
          { status: 'active' },
          { status: 'active' },
          { status: 'dormant' },
          { status: 'active' },
        ],
        visits: [{ kind: 'video' }],
        preferredChannel: 'email',
      }),
      defaultRiskRules,
      today,
    );
    expect(rating.score).toBe(55);
    expect(rating.level).toBe('medium');
    expect(rating.reasons.map((reason) => [reason.code, reason.points])).toEqual([
      ['frozen_account', 20],
      ['corporate', 15],
      // equal points keep the table's order: many_accounts before non_face_to_face
      ['many_accounts', 10],
      ['non_face_to_face', 10],
    ]);
    expect(rating.score).toBe(rating.reasons.reduce((sum, reason) => sum + reason.points, 0));
    expect(rating.reasons[0]).toEqual({
      code: 'frozen_account',
      label: { zh: '有冻结账户', en: 'An account is frozen' },
      points: 20,
    });
  });

  it('keeps the table order between equal points even when the table lists them reversed', () => {
    const table = riskRuleTableSchema.parse({
      ...defaultRiskRules,
      factors: [
        factorOf('zeta', { kind: 'frozen_account' }, 10),
        factorOf('alpha', { kind: 'corporate' }, 10),
        factorOf('mid', { kind: 'pep' }, 5),
        factorOf('big', { kind: 'non_face_to_face' }, 30),
      ],
    });
    const rating = rateCustomer(
      customer({
        kind: 'corporate',
        kyc: kyc({ pep: true }),
        accounts: [{ status: 'frozen' }],
        visits: [],
        preferredChannel: 'post',
      }),
      table,
      today,
    );
    expect(rating.reasons.map((reason) => reason.code)).toEqual(['big', 'zeta', 'alpha', 'mid']);
    expect(rating.score).toBe(55);
  });

  it('reaches medium at exactly 30 points and stays low at 25', () => {
    // monitored_jurisdiction 25 (+ foreign_national 10 = 35)
    const monitored = rateCustomer(customer({ nationality: 'SYR' }), defaultRiskRules, today);
    expect(monitored.score).toBe(35);
    expect(monitored.level).toBe('medium');
    // cash-intensive occupation 25 alone
    const cash = rateCustomer(customer({ occupation: '典当行职员' }), defaultRiskRules, today);
    expect(cash.score).toBe(25);
    expect(cash.level).toBe('low');
    // 20 + 10 = 30: medium exactly at the threshold
    const thirty = rateCustomer(
      customer({ accounts: [{ status: 'frozen' }], visits: [], preferredChannel: 'phone' }),
      defaultRiskRules,
      today,
    );
    expect(thirty.score).toBe(30);
    expect(thirty.level).toBe('medium');
  });

  it('puts a PEP at least high even with few points', () => {
    const rating = rateCustomer(
      customer({ kyc: kyc({ pep: true, lastReviewedOn: '2026-03-10' }) }),
      defaultRiskRules,
      today,
    );
    expect(rating.score).toBe(40);
    expect(levelOfScore(rating.score, defaultRiskRules)).toBe('medium');
    expect(rating.level).toBe('high');
    expect(rating.reasons).toEqual([
      {
        code: 'pep',
        label: { zh: '政治公众人物', en: 'Politically exposed person' },
        points: 40,
        floor: 'high',
      },
    ]);
    expect(rating.reviewCycleMonths).toBe(6);
    expect(rating.nextReviewDue).toBe('2026-09-10');
  });

  it('applies a floor even when the factor carries no points', () => {
    const table = riskRuleTableSchema.parse({
      ...defaultRiskRules,
      factors: [{ ...factorOf('watch', { kind: 'pep' }, 0), floor: 'medium' }],
    });
    const rating = rateCustomer(customer({ kyc: kyc({ pep: true }) }), table, today);
    expect(rating.score).toBe(0);
    expect(rating.level).toBe('medium');
  });

  it('makes a sanctions hit prohibited, to act on today', () => {
    const rating = rateCustomer(
      customer({ kyc: kyc({ sanctionsHit: true, lastReviewedOn: '2026-11-01' }) }),
      defaultRiskRules,
      today,
    );
    expect(rating.level).toBe('prohibited');
    expect(rating.score).toBe(100);
    expect(rating.reviewCycleMonths).toBe(0);
    expect(rating.nextReviewDue).toBe('2026-12-05');
    expect(rating.reasons[0]?.floor).toBe('prohibited');
  });

  it('keeps prohibited above every other factor', () => {
    const rating = rateCustomer(
      customer({
        kyc: kyc({ sanctionsHit: true, pep: true }),
        nationality: 'PRK',
        occupation: 'casino',
      }),
      defaultRiskRules,
      today,
    );
    expect(rating.level).toBe('prohibited');
    expect(rating.reasons.map((reason) => reason.code)).toEqual([
      'sanctions_hit',
      'high_risk_jurisdiction',
      'pep',
      'cash_intensive_occupation',
      'foreign_national',
    ]);
    expect(rating.score).toBe(100 + 60 + 40 + 25 + 10);
  });

  it.each([
    ['low', 36, '2029-02-10', customer({ kyc: kyc({ lastReviewedOn: '2026-02-10' }) })],
    [
      'medium',
      12,
      '2027-02-10',
      customer({ nationality: 'VEN', kyc: kyc({ lastReviewedOn: '2026-02-10' }) }),
    ],
    [
      'high',
      6,
      '2026-08-10',
      customer({ nationality: 'IRN', kyc: kyc({ lastReviewedOn: '2026-02-10' }) }),
    ],
  ] as const)('reviews %s every %i months (due %s)', (level, months, due, rated) => {
    const rating = rateCustomer(rated, defaultRiskRules, today);
    expect(rating.level).toBe(level);
    expect(rating.reviewCycleMonths).toBe(months);
    expect(rating.reviewCycleMonths).toBe(defaultRiskRules.reviewCycleMonths[level]);
    expect(rating.nextReviewDue).toBe(due);
  });

  it('clamps the next review to the end of a shorter month', () => {
    const high = (lastReviewedOn: string) =>
      rateCustomer(customer({ kyc: kyc({ pep: true, lastReviewedOn }) }), defaultRiskRules, today)
        .nextReviewDue;
    expect(high('2026-08-31')).toBe('2027-02-28');
    expect(high('2027-08-31')).toBe('2028-02-29');
    expect(high('2026-12-31')).toBe('2027-06-30');
    expect(high('2026-08-30')).toBe('2027-02-28');
  });

  it('is due today when there was no review', () => {
    const rating = rateCustomer(customer({ kyc: kyc({ pep: true }) }), defaultRiskRules, today);
    expect(rating.nextReviewDue).toBe('2026-12-05');
  });

  it('keeps an earlier due date already set', () => {
    const rated = (nextReviewDue: string) =>
      rateCustomer(
        customer({ kyc: kyc({ lastReviewedOn: '2026-06-01', nextReviewDue }) }),
        defaultRiskRules,
        today,
      ).nextReviewDue;
    // low: the cycle gives 2029-06-01
    expect(rated('2027-01-31')).toBe('2027-01-31');
    expect(rated('2029-06-01')).toBe('2029-06-01');
    expect(rated('2030-01-01')).toBe('2029-06-01');
    // an empty or missing due date stands for none
    expect(rated('')).toBe('2029-06-01');
  });

  it('keeps an earlier due date even for a prohibited customer with no review', () => {
    const rating = rateCustomer(
      customer({ kyc: kyc({ sanctionsHit: true, nextReviewDue: '2026-11-30' }) }),
      defaultRiskRules,
      today,
    );
    expect(rating.nextReviewDue).toBe('2026-11-30');
  });
});

describe('recordedRating', () => {
  const proposal = (level: 'low' | 'medium' | 'high', at: string, n = 1) => ({
    id: `00000000-0000-4000-8000-00000000000${n}`,
    level,
    reason: 'new information',
    at,
    by: 'user:rm1',
  });
  const reviewed = kyc({ lastReviewedOn: '2026-10-01', nextReviewDue: '2029-10-01' });

  it('records the table’s level and cycle when nothing was proposed', () => {
    expect(recordedRating(customer({ kyc: reviewed }), defaultRiskRules, today)).toMatchObject({
      level: 'low',
      nextReviewDue: '2029-10-01',
    });
  });

  it('never records below the latest proposal, and shortens the cycle to its level', () => {
    const raised = {
      ...customer({ kyc: reviewed }),
      ratingProposals: [proposal('high', '2026-12-01T02:00:00Z')],
    };
    expect(recordedRating(raised, defaultRiskRules, today)).toMatchObject({
      level: 'high',
      nextReviewDue: '2027-04-01',
    });
  });

  it('lets a later proposal replace an earlier one, but never below the table', () => {
    const lowered = {
      ...customer({ kyc: reviewed }),
      ratingProposals: [
        proposal('low', '2026-12-03T02:00:00Z', 2),
        proposal('high', '2026-12-01T02:00:00Z', 1),
      ],
    };
    expect(latestProposal(lowered.ratingProposals)?.level).toBe('low');
    expect(recordedRating(lowered, defaultRiskRules, today).level).toBe('low');
    const pep = { ...lowered, kyc: { ...reviewed, pep: true } };
    expect(recordedRating(pep, defaultRiskRules, today).level).toBe('high');
  });

  it('records a prohibited customer as high, due for review at once', () => {
    const hit = customer({ kyc: kyc({ sanctionsHit: true, lastReviewedOn: '2026-10-01' }) });
    expect(recordedRating(hit, defaultRiskRules, today)).toMatchObject({
      level: 'high',
      nextReviewDue: '2026-12-05',
      assessment: { level: 'prohibited' },
    });
  });
});

describe('nextReviewDay', () => {
  it('follows the cycle from the last review', () => {
    expect(formatIsoDate(nextReviewDay({ lastReviewedOn: '2026-05-20' }, 12, today))).toBe(
      '2027-05-20',
    );
  });

  it('is today when the cycle is 0 or there was no review', () => {
    expect(nextReviewDay({ lastReviewedOn: '2026-05-20' }, 0, today)).toEqual(today);
    expect(nextReviewDay({}, 12, today)).toEqual(today);
  });

  it('lets an earlier set date win and ignores a later one', () => {
    expect(
      formatIsoDate(
        nextReviewDay({ lastReviewedOn: '2026-05-20', nextReviewDue: '2026-06-01' }, 12, today),
      ),
    ).toBe('2026-06-01');
    expect(
      formatIsoDate(
        nextReviewDay({ lastReviewedOn: '2026-05-20', nextReviewDue: '2028-01-01' }, 12, today),
      ),
    ).toBe('2027-05-20');
    expect(formatIsoDate(nextReviewDay({ nextReviewDue: '2027-01-01' }, 6, today))).toBe(
      '2026-12-05',
    );
  });
});

describe('addMonths', () => {
  it.each([
    ['2026-01-15', 1, '2026-02-15'],
    ['2026-11-30', 2, '2027-01-30'],
    ['2026-12-31', 1, '2027-01-31'],
    ['2026-12-05', 12, '2027-12-05'],
    ['2026-12-05', 36, '2029-12-05'],
    ['2026-07-15', 6, '2027-01-15'],
    ['2026-08-31', 6, '2027-02-28'],
    ['2027-08-31', 6, '2028-02-29'],
    ['2099-08-31', 6, '2100-02-28'],
    ['2399-08-31', 6, '2400-02-29'],
    ['2026-01-31', 1, '2026-02-28'],
    ['2026-03-31', 1, '2026-04-30'],
    ['2026-01-31', 120, '2036-01-31'],
    ['2026-01-15', -1, '2025-12-15'],
    ['2026-03-31', -1, '2026-02-28'],
    ['2026-05-10', 0, '2026-05-10'],
  ] as const)('%s + %i months is %s', (from, months, to) => {
    expect(formatIsoDate(addMonths(day(from), months))).toBe(to);
  });
});

function factorOf(code: string, when: RiskCondition, points: number): RiskFactor {
  return { code, label: { zh: code, en: code }, when, points };
}

describe('riskRuleTableSchema', () => {
  const valid = {
    version: 'hq-2027-01',
    thresholds: { medium: 20, high: 50 },
    reviewCycleMonths: { low: 24, medium: 12, high: 3 },
    factors: [
      factorOf('pep', { kind: 'pep' }, 40),
      factorOf('listed', { kind: 'nationality_in', countries: ['PRK'] }, 60),
      factorOf('foreign', { kind: 'foreign_national', home: 'CHN' }, 10),
    ],
  };

  function refused(table: unknown): string[] {
    const result = riskRuleTableSchema.safeParse(table);
    expect(result.success).toBe(false);
    return result.success ? [] : result.error.issues.map((issue) => issue.path.join('.'));
  }

  it('accepts a valid table, and the default table', () => {
    expect(riskRuleTableSchema.safeParse(valid).success).toBe(true);
    expect(riskRuleTableSchema.safeParse(defaultRiskRules).success).toBe(true);
    expect(
      riskRuleTableSchema.safeParse({
        ...valid,
        reviewCycleMonths: { low: 12, medium: 12, high: 12 },
      }).success,
    ).toBe(true);
  });

  it('refuses a high threshold not above the medium one', () => {
    expect(refused({ ...valid, thresholds: { medium: 50, high: 50 } })).toContain(
      'thresholds.high',
    );
    expect(refused({ ...valid, thresholds: { medium: 50, high: 20 } })).toContain(
      'thresholds.high',
    );
  });

  it('refuses a factor code used twice', () => {
    expect(
      refused({
        ...valid,
        factors: [...valid.factors, factorOf('pep', { kind: 'sanctions_hit' }, 100)],
      }),
    ).toContain('factors.3.code');
  });

  it('refuses review cycles where a higher risk waits longer', () => {
    expect(refused({ ...valid, reviewCycleMonths: { low: 24, medium: 12, high: 13 } })).toContain(
      'reviewCycleMonths',
    );
    expect(refused({ ...valid, reviewCycleMonths: { low: 6, medium: 12, high: 3 } })).toContain(
      'reviewCycleMonths',
    );
  });

  it('refuses an unknown condition kind', () => {
    refused({ ...valid, factors: [factorOf('odd', { kind: 'moon_phase' } as never, 10)] });
  });

  it('refuses lower-case country codes', () => {
    refused({
      ...valid,
      factors: [factorOf('listed', { kind: 'nationality_in', countries: ['prk'] }, 60)],
    });
    refused({
      ...valid,
      factors: [factorOf('foreign', { kind: 'foreign_national', home: 'chn' }, 10)],
    });
    refused({
      ...valid,
      factors: [factorOf('listed', { kind: 'nationality_in', countries: ['PRK', 'irn'] }, 60)],
    });
    // nationalities are recorded as alpha-3: an alpha-2 code could never match one
    refused({
      ...valid,
      factors: [factorOf('listed', { kind: 'nationality_in', countries: ['KP'] }, 60)],
    });
    refused({
      ...valid,
      factors: [factorOf('foreign', { kind: 'foreign_national', home: 'CN' }, 10)],
    });
    refused({
      ...valid,
      factors: [factorOf('listed', { kind: 'nationality_in', countries: [] }, 60)],
    });
  });

  it('refuses a floor of low', () => {
    refused({ ...valid, factors: [{ ...factorOf('pep', { kind: 'pep' }, 40), floor: 'low' }] });
  });

  it('refuses other malformed parts', () => {
    refused({ ...valid, factors: [] });
    refused({ ...valid, factors: [factorOf('Bad-Code', { kind: 'pep' }, 1)] });
    refused({ ...valid, factors: [factorOf('neg', { kind: 'pep' }, -1)] });
    refused({
      ...valid,
      factors: [factorOf('blank', { kind: 'occupation_contains', words: ['  '] }, 1)],
    });
    refused({
      ...valid,
      factors: [factorOf('zero', { kind: 'open_accounts_at_least', count: 0 }, 1)],
    });
    refused({ ...valid, reviewCycleMonths: { low: 24, medium: 12, high: 0 } });
  });
});

describe('rating properties', () => {
  // Every factor is given an occupation word no other contains, so the factors that hold are
  // exactly the words in the occupation.
  const token = (index: number) => `<factor${index}>`;

  function tokenTable(
    factors: readonly { points: number; floor?: RiskLevel }[],
    base: RiskRuleTable,
  ) {
    return riskRuleTableSchema.parse({
      ...base,
      factors: factors.map((factor, index) => ({
        ...factorOf(`f${index}`, { kind: 'occupation_contains', words: [token(index)] }, 0),
        points: factor.points,
        ...(factor.floor ? { floor: factor.floor } : {}),
      })),
    });
  }

  function levelWith(table: RiskRuleTable, holding: readonly number[]): RiskLevel {
    const rating = rateCustomer(
      customer({ occupation: holding.map(token).join(' ') }),
      table,
      today,
    );
    return rating.level;
  }

  const factorArbitrary = fc.record(
    {
      points: fc.integer({ min: 0, max: 1000 }),
      floor: fc.constantFrom('medium', 'high', 'prohibited') as fc.Arbitrary<RiskLevel>,
    },
    { requiredKeys: ['points'] },
  );

  const tableArbitrary = fc
    .tuple(
      fc.array(factorArbitrary, { minLength: 1, maxLength: 10 }),
      fc.integer({ min: 1, max: 500 }),
      fc.integer({ min: 1, max: 500 }),
    )
    .map(([factors, medium, gap]) =>
      tokenTable(factors, {
        ...defaultRiskRules,
        thresholds: { medium, high: medium + gap },
      }),
    );

  const defaultAsTokens = tokenTable(
    defaultRiskRules.factors.map((factor) => ({
      points: factor.points,
      ...(factor.floor ? { floor: factor.floor } : {}),
    })),
    defaultRiskRules,
  );

  function checkSubsets(table: RiskRuleTable, holding: number[], extra: number) {
    const rating = rateCustomer(
      customer({ occupation: holding.map(token).join(' ') }),
      table,
      today,
    );
    const applying = table.factors.filter((_, index) => holding.includes(index));
    // exactly the chosen factors apply, and the score is their sum
    expect(rating.reasons.map((reason) => reason.code).sort()).toEqual(
      applying.map((factor) => factor.code).sort(),
    );
    expect(rating.score).toBe(applying.reduce((sum, factor) => sum + factor.points, 0));
    // never below a floor that applies, nor below the points' level
    for (const factor of applying)
      if (factor.floor) expect(rank[rating.level]).toBeGreaterThanOrEqual(rank[factor.floor]);
    expect(rank[rating.level]).toBeGreaterThanOrEqual(rank[levelOfScore(rating.score, table)]);
    // adding a factor never lowers the level
    if (!holding.includes(extra)) {
      const more = levelWith(table, [...holding, extra]);
      expect(rank[more]).toBeGreaterThanOrEqual(rank[rating.level]);
    }
  }

  it('on the default table, respects floors and is monotone in the factors', () => {
    const count = defaultAsTokens.factors.length;
    fc.assert(
      fc.property(
        fc.subarray(Array.from({ length: count }, (_, index) => index)),
        fc.nat({ max: count - 1 }),
        (holding, extra) => checkSubsets(defaultAsTokens, holding, extra),
      ),
      { numRuns: 300 },
    );
  });

  it('on random tables, respects floors and is monotone in the factors', () => {
    fc.assert(
      fc.property(
        tableArbitrary.chain((table) =>
          fc.tuple(
            fc.constant(table),
            fc.subarray(table.factors.map((_, index) => index)),
            fc.nat({ max: table.factors.length - 1 }),
          ),
        ),
        ([table, holding, extra]) => checkSubsets(table, holding, extra),
      ),
      { numRuns: 300 },
    );
  });

  it('on random customers under the default table, adding a risk never lowers the level', () => {
    const nationality = fc.constantFrom(undefined, 'CHN', 'USA', 'PRK', 'SYR', 'VEN');
    const occupation = fc.constantFrom(undefined, '教师', '珠宝商', 'Casino host');
    const status = fc.constantFrom('active', 'dormant', 'frozen', 'closed') as fc.Arbitrary<
      RatedCustomer['accounts'][number]['status']
    >;
    const visitKind = fc.constantFrom('branch', 'home', 'business_premises', 'phone', 'video');
    const channel = fc.constantFrom('phone', 'sms', 'email', 'post', 'branch');
    const rated: fc.Arbitrary<RatedCustomer> = fc.record({
      kind: fc.constantFrom('individual', 'corporate'),
      kyc: fc.record({
        pep: fc.boolean(),
        sanctionsHit: fc.boolean(),
        nextReviewDue: fc.constant('2099-12-31'),
      }),
      accounts: fc.array(fc.record({ status }), { maxLength: 7 }),
      visits: fc.array(fc.record({ kind: visitKind }), { maxLength: 3 }),
      preferredChannel: channel,
      nationality,
      occupation,
    });
    fc.assert(
      fc.property(rated, (person) => {
        const rating = rateCustomer(person, defaultRiskRules, today);
        const level = rank[rating.level];
        for (const reason of rating.reasons)
          if (reason.floor) expect(level).toBeGreaterThanOrEqual(rank[reason.floor]);
        const riskier: RatedCustomer[] = [
          { ...person, kyc: { ...person.kyc, pep: true } },
          { ...person, kyc: { ...person.kyc, sanctionsHit: true } },
          { ...person, accounts: [...person.accounts, { status: 'frozen' }] },
          { ...person, kind: 'corporate' },
        ];
        for (const other of riskier)
          expect(rank[rateCustomer(other, defaultRiskRules, today).level]).toBeGreaterThanOrEqual(
            level,
          );
        expect(rating.nextReviewDue <= '2099-12-31').toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
