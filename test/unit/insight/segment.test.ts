// Segment rules (shared/insight/segment.ts): the wealth segment at each threshold, each life-cycle
// stage at the edges of its window and in its order of precedence, the reasons, and the schema
// refusing a table that cannot be right.
import { describe, expect, it } from 'vitest';
import {
  defaultSegmentRules,
  lifeCycleWindow,
  segmentOf,
  segmentRuleTableSchema,
  wealthSegment,
  type SegmentFacts,
} from '../../../shared/insight/segment';
import { addDays, formatIsoDate, parseIsoDate } from '../../../shared/validation/dates';

const today = parseIsoDate('2026-12-05')!;
const ago = (days: number) => formatIsoDate(addDays(today, -days));
const rules = defaultSegmentRules;
/** Met last week, accounts long held: active unless a rule says otherwise. */
const settled = (facts: SegmentFacts = {}): SegmentFacts => ({
  since: ago(2000),
  lastVisitOn: ago(7),
  ...facts,
});

describe('wealthSegment', () => {
  it.each([
    [undefined, 'mass'],
    [0, 'mass'],
    [499_999, 'mass'],
    [500_000, 'affluent'],
    [5_999_999, 'affluent'],
    [6_000_000, 'private_banking'],
    [90_000_000, 'private_banking'],
  ] as const)('assets of %s yuan: %s', (aum, segment) => {
    expect(wealthSegment(aum, rules)).toBe(segment);
  });

  it('follows the thresholds of the table in force', () => {
    const low = segmentRuleTableSchema.parse({
      ...rules,
      version: 'low',
      wealth: { affluentFrom: 10_000, privateBankingFrom: 100_000 },
    });
    expect(wealthSegment(10_000, low)).toBe('affluent');
    expect(wealthSegment(100_000, low)).toBe('private_banking');
  });
});

describe('segmentOf: life-cycle stages', () => {
  const stage = (facts: SegmentFacts) => segmentOf(facts, rules, today).lifeCycle;

  it('is new within the window from the first account, then not', () => {
    expect(stage(settled({ since: ago(0) }))).toBe('new');
    expect(stage(settled({ since: ago(90) }))).toBe('new');
    expect(stage(settled({ since: ago(91) }))).toBe('active');
  });

  it('is at risk after a closure or an unrenewed maturity within their windows', () => {
    expect(stage(settled({ lastClosedOn: ago(90) }))).toBe('at_risk');
    expect(stage(settled({ lastClosedOn: ago(91) }))).toBe('active');
    expect(stage(settled({ maturesOn: ago(1) }))).toBe('at_risk');
    expect(stage(settled({ maturesOn: ago(30) }))).toBe('at_risk');
    expect(stage(settled({ maturesOn: ago(31) }))).toBe('active');
    // Maturing today or later is not yet matured.
    expect(stage(settled({ maturesOn: ago(0) }))).toBe('active');
    expect(stage(settled({ maturesOn: ago(-10) }))).toBe('active');
  });

  it('is dormant when nobody has met the customer within the window, or ever', () => {
    expect(stage(settled({ lastVisitOn: ago(180) }))).toBe('active');
    expect(stage(settled({ lastVisitOn: ago(181) }))).toBe('dormant');
    expect(stage({ since: ago(2000) })).toBe('dormant');
    // No account at all and never met: not new, dormant.
    expect(stage({})).toBe('dormant');
  });

  it('tries new, then at risk, then dormant', () => {
    expect(stage({ since: ago(10), lastClosedOn: ago(5) })).toBe('new');
    expect(stage({ since: ago(500), lastClosedOn: ago(5) })).toBe('at_risk');
  });

  it('gives the wealth reason with its threshold only, and the stage’s reasons with their days', () => {
    const assessed = segmentOf(
      settled({ aum: 800_000, lastClosedOn: ago(3), maturesOn: ago(2) }),
      rules,
      today,
    );
    expect(assessed).toEqual({
      segment: 'affluent',
      lifeCycle: 'at_risk',
      ruleVersion: rules.version,
      reasons: [
        { code: 'wealth.affluent', limit: 500_000 },
        { code: 'life.account_closed', value: ago(3), limit: 90 },
        { code: 'life.deposit_matured', value: ago(2), limit: 30 },
      ],
    });
    // The amount itself never appears in a reason.
    expect(JSON.stringify(assessed)).not.toContain('800000');
  });

  it('computes its window from the table', () => {
    expect(lifeCycleWindow(rules, today)).toEqual({
      newSince: ago(90),
      closedSince: ago(90),
      maturedSince: ago(30),
      unmetBefore: ago(180),
    });
  });
});

describe('segmentRuleTableSchema', () => {
  it('refuses private banking at or below affluent, a zero window and unknown keys', () => {
    const wrong = [
      { ...rules, wealth: { affluentFrom: 500_000, privateBankingFrom: 500_000 } },
      { ...rules, lifeCycle: { ...rules.lifeCycle, newWithinDays: 0 } },
      { ...rules, extra: true },
      { ...rules, wealth: { affluentFrom: -1, privateBankingFrom: 10 } },
    ];
    for (const table of wrong) expect(segmentRuleTableSchema.safeParse(table).success).toBe(false);
    expect(segmentRuleTableSchema.safeParse(rules).success).toBe(true);
  });
});
