// Segments computed from the data by rules HQ publishes (客户分层), never typed by hand: the wealth
// segment (大众 / 富裕 / 私行) from the assets the customer holds with the bank, and the life-cycle
// stage (新客户 / 活跃 / 沉睡 / 流失预警) from when the relationship began, accounts closed,
// deposits left to mature and the last time anyone met the customer. HQ publishes the thresholds
// as a versioned table (kind `segment`); HQ and the device compute with the same functions, so the
// home, a campaign's target and the customer 360 agree, and a new table applies on the next
// reading, offline.
import { z } from 'zod';
import type { Segment } from '../customer/customer';
import { isoDateTime, referenceIdSchema } from '../customer/fields';
import { addDays, formatIsoDate, type CalendarDate } from '../validation/dates';

export const lifeCycleStages = ['new', 'active', 'dormant', 'at_risk'] as const;
export const LifeCycleStage = z.enum(lifeCycleStages);
export type LifeCycleStage = z.infer<typeof LifeCycleStage>;

const yuan = z.number().int().min(1).max(1e13);
const days = z.number().int().min(1).max(3650);

export const segmentRuleTableSchema = z
  .object({
    version: referenceIdSchema,
    publishedAt: isoDateTime.optional(),
    /** Assets under management (balances of accounts not closed, yuan) that make each segment. */
    wealth: z.object({ affluentFrom: yuan, privateBankingFrom: yuan }).strict(),
    lifeCycle: z
      .object({
        /** New: the first account opened within this many days. */
        newWithinDays: days,
        /** At risk of leaving: an account closed, or a deposit matured and not renewed, this recently. */
        atRisk: z
          .object({ accountClosedWithinDays: days, depositMaturedWithinDays: days })
          .strict(),
        /** Dormant: nobody has met the customer for more than this many days. */
        dormantAfterDays: days,
      })
      .strict(),
  })
  .strict()
  .refine((table) => table.wealth.privateBankingFrom > table.wealth.affluentFrom, {
    path: ['wealth', 'privateBankingFrom'],
    message: 'private banking starts above affluent',
  });
export type SegmentRuleTable = z.infer<typeof segmentRuleTableSchema>;

/**
 * The table until HQ publishes one: private banking from 6 million yuan of financial assets (the
 * regulator's threshold), affluent from 500,000; new for 90 days; at risk after a closure in 90
 * days or a deposit matured in 30 and not renewed; dormant after 180 days unmet.
 */
export const defaultSegmentRules: SegmentRuleTable = segmentRuleTableSchema.parse({
  version: 'default-2026-12',
  wealth: { affluentFrom: 500_000, privateBankingFrom: 6_000_000 },
  lifeCycle: {
    newWithinDays: 90,
    atRisk: { accountClosedWithinDays: 90, depositMaturedWithinDays: 30 },
    dormantAfterDays: 180,
  },
});

/** What the rules read of a customer (the book's facts carry them). Dates are ISO days. */
export interface SegmentFacts {
  /** Balances of accounts not closed, yuan; absent when none is known. */
  aum?: number | undefined;
  /** The day the first account was opened. */
  since?: string | undefined;
  /** The latest day an account was closed. */
  lastClosedOn?: string | undefined;
  /** The earliest maturity of a deposit not closed (past: matured and not renewed). */
  maturesOn?: string | undefined;
  /** The day of the latest visit. */
  lastVisitOn?: string | undefined;
}

/** The wealth segment of assets `aum`. */
export function wealthSegment(aum: number | undefined, rules: SegmentRuleTable): Segment {
  const assets = aum ?? 0;
  if (assets >= rules.wealth.privateBankingFrom) return 'private_banking';
  if (assets >= rules.wealth.affluentFrom) return 'affluent';
  return 'mass';
}

/**
 * The first days that still count for each rule on `today`, as ISO text: what a query compares the
 * book's columns with (electron/core/insight/book.ts), and what `lifeCycleOf` compares too.
 */
export interface LifeCycleWindow {
  newSince: string;
  closedSince: string;
  maturedSince: string;
  unmetBefore: string;
}

export function lifeCycleWindow(rules: SegmentRuleTable, today: CalendarDate): LifeCycleWindow {
  const back = (count: number) => formatIsoDate(addDays(today, -count));
  const { lifeCycle } = rules;
  return {
    newSince: back(lifeCycle.newWithinDays),
    closedSince: back(lifeCycle.atRisk.accountClosedWithinDays),
    maturedSince: back(lifeCycle.atRisk.depositMaturedWithinDays),
    unmetBefore: back(lifeCycle.dormantAfterDays),
  };
}

/** Why a customer is in its segment and stage: a code and the figures it compared. */
export interface SegmentReason {
  code:
    | 'wealth.private_banking'
    | 'wealth.affluent'
    | 'wealth.mass'
    | 'life.new'
    | 'life.account_closed'
    | 'life.deposit_matured'
    | 'life.dormant'
    | 'life.never_met'
    | 'life.active';
  /** The customer's day the rule compared, and the rule's limit (yuan, or days). */
  value?: string | number;
  limit?: string | number;
}

export interface SegmentAssessment {
  segment: Segment;
  lifeCycle: LifeCycleStage;
  reasons: SegmentReason[];
  ruleVersion: string;
}

/**
 * The segment and life-cycle stage of `facts` on `today`. Stages are tried in order: new (the
 * relationship began within the window), at risk (a closure or an unrenewed maturity within its
 * window), dormant (not met within its window), else active.
 */
export function segmentOf(
  facts: SegmentFacts,
  rules: SegmentRuleTable,
  today: CalendarDate,
): SegmentAssessment {
  const segment = wealthSegment(facts.aum, rules);
  // The threshold only: the assets themselves are for those who may see the accounts.
  const wealth: SegmentReason =
    segment === 'private_banking'
      ? { code: 'wealth.private_banking', limit: rules.wealth.privateBankingFrom }
      : segment === 'affluent'
        ? { code: 'wealth.affluent', limit: rules.wealth.affluentFrom }
        : { code: 'wealth.mass', limit: rules.wealth.affluentFrom };
  const window = lifeCycleWindow(rules, today);
  const stage = ((): { lifeCycle: LifeCycleStage; reasons: SegmentReason[] } => {
    if (facts.since !== undefined && facts.since >= window.newSince)
      return {
        lifeCycle: 'new',
        reasons: [{ code: 'life.new', value: facts.since, limit: rules.lifeCycle.newWithinDays }],
      };
    const risks: SegmentReason[] = [];
    if (facts.lastClosedOn !== undefined && facts.lastClosedOn >= window.closedSince)
      risks.push({
        code: 'life.account_closed',
        value: facts.lastClosedOn,
        limit: rules.lifeCycle.atRisk.accountClosedWithinDays,
      });
    const todayIso = formatIsoDate(today);
    if (
      facts.maturesOn !== undefined &&
      facts.maturesOn < todayIso &&
      facts.maturesOn >= window.maturedSince
    )
      risks.push({
        code: 'life.deposit_matured',
        value: facts.maturesOn,
        limit: rules.lifeCycle.atRisk.depositMaturedWithinDays,
      });
    if (risks.length > 0) return { lifeCycle: 'at_risk', reasons: risks };
    if (facts.lastVisitOn === undefined)
      return {
        lifeCycle: 'dormant',
        reasons: [{ code: 'life.never_met', limit: rules.lifeCycle.dormantAfterDays }],
      };
    if (facts.lastVisitOn < window.unmetBefore)
      return {
        lifeCycle: 'dormant',
        reasons: [
          {
            code: 'life.dormant',
            value: facts.lastVisitOn,
            limit: rules.lifeCycle.dormantAfterDays,
          },
        ],
      };
    return {
      lifeCycle: 'active',
      reasons: [
        { code: 'life.active', value: facts.lastVisitOn, limit: rules.lifeCycle.dormantAfterDays },
      ],
    };
  })();
  return {
    segment,
    lifeCycle: stage.lifeCycle,
    reasons: [wealth, ...stage.reasons],
    ruleVersion: rules.version,
  };
}
