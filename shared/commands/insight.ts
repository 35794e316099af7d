// The relationship manager's book (工作台): the home's figures and the list behind each, computed
// on the device from the vault, offline. An RM's book is the customers assigned to them; a
// supervisor's is the whole branch the device holds.
import { z } from 'zod';
import { customerListItemSchema } from '../customer/list-item';
import { BookFigure } from '../insight/book';
import { campaignSchema } from '../insight/campaign';
import { RiskLevel } from '../insight/risk';
import { LifeCycleStage } from '../insight/segment';
import { Segment } from '../customer/customer';
import { NextActionCode } from '../customer/records';
import { locales } from '../i18n/errors';
import { exportPasswordSchema } from '../insight/list-export';
import type { CommandSpec } from './contract';

export const bookScopes = ['mine', 'branch'] as const;
export const BookScope = z.enum(bookScopes);
export type BookScope = z.infer<typeof BookScope>;

/** Without a scope: an RM's own book, else the branch (for those who may see it). */
export const InsightHomeInput = z.object({ scope: BookScope.optional() }).strict();

const openTask = z.object({
  id: z.string(),
  title: z.string(),
  dueOn: z.string(),
  assignee: z.string(),
});

export const InsightHomeOutput = z.object({
  scope: BookScope,
  /** The RM whose book it is (scope `mine`); null for a branch, or a user with no book. */
  rmId: z.string().nullable(),
  /** The day the figures are for (the branch's today). */
  today: z.string(),
  total: z.number().int().min(0),
  counts: z.record(BookFigure, z.number().int().min(0)),
  /** The open tasks due soonest, overdue first, each with its customer as a search lists them. */
  tasks: z.array(z.object({ customer: customerListItemSchema, task: openTask })),
  /** Milliseconds the core took to compute the figures (shown to nobody; for the benchmark). */
  computeMs: z.number().min(0),
});
export type InsightHomeOutput = z.infer<typeof InsightHomeOutput>;

export const listSorts = ['day', 'name', 'number'] as const;

export const InsightListInput = z
  .object({
    scope: BookScope.optional(),
    figure: BookFigure,
    offset: z.number().int().min(0).default(0),
    limit: z.number().int().min(1).max(500).default(200),
    /** `day`: the date the figure is about (a review's due date, a birthday); then by number. */
    sort: z.enum(listSorts).default('day'),
    descending: z.boolean().default(false),
  })
  .strict();

export const InsightListOutput = z.object({
  figure: BookFigure,
  scope: BookScope,
  /** Customers behind the figure (the list may be read in pages). */
  total: z.number().int().min(0),
  items: z.array(
    z.object({
      customer: customerListItemSchema,
      /** The date the figure is about for this customer, if any. */
      day: z.string().nullable(),
    }),
  ),
});
export type InsightListOutput = z.infer<typeof InsightListOutput>;

export const RiskReason = z.object({
  code: z.string(),
  label: z.object({ zh: z.string(), en: z.string() }),
  points: z.number().int(),
  floor: RiskLevel.optional(),
});

/** A customer's AML risk rating under the rule table, with its reasons. */
export const InsightRatingInput = z.object({ id: z.uuid() }).strict();
export const InsightRatingOutput = z.object({
  customerId: z.uuid(),
  level: RiskLevel,
  score: z.number().int(),
  reasons: z.array(RiskReason),
  ruleVersion: z.string(),
  reviewCycleMonths: z.number().int().min(0),
  nextReviewDue: z.string(),
  /** The rating HQ holds on the record (kyc.riskRating): the one in force. */
  recorded: z.enum(['low', 'medium', 'high']),
  /** The level of the latest approved proposal from the branch (a floor at HQ), if any. */
  proposed: z.enum(['low', 'medium', 'high']).nullable(),
  /** What HQ should record: the table's level, never below the proposal (recordedRating). */
  expected: RiskLevel,
  /** The day rated (the branch's today). */
  ratedOn: z.string(),
  /** The customer's wealth segment and life-cycle stage by HQ's segment rules, with why. */
  segmentation: z.object({
    segment: Segment,
    lifeCycle: LifeCycleStage,
    reasons: z.array(
      z.object({
        code: z.string(),
        value: z.union([z.string(), z.number()]).optional(),
        limit: z.union([z.string(), z.number()]).optional(),
      }),
    ),
    ruleVersion: z.string(),
    /** The segment HQ last recorded on the record (HQ applies the rules to it). */
    recorded: Segment,
  }),
});
export type InsightRatingOutput = z.infer<typeof InsightRatingOutput>;

/** The suggested next best actions for one customer, each with why (shared/insight/next-action.ts). */
export const InsightNextActionsInput = z.object({ id: z.uuid() }).strict();
export const InsightNextActionsOutput = z.object({
  customerId: z.uuid(),
  suggestions: z.array(
    z.object({
      action: NextActionCode,
      about: z.string(),
      why: z.object({
        code: z.string(),
        day: z.string().optional(),
        days: z.number().int().optional(),
      }),
      kind: z.enum(['compliance', 'service', 'sales']),
    }),
  ),
});
export type InsightNextActionsOutput = z.infer<typeof InsightNextActionsOutput>;

const listSelection = {
  scope: BookScope.optional(),
  figure: BookFigure,
  sort: z.enum(listSorts).default('day'),
  descending: z.boolean().default(false),
};

/** One figure's list for the printer: its rows (at most EXPORT_ROWS), masked per role. */
export const InsightPrintListInput = z.object(listSelection).strict();
export const InsightPrintListOutput = z.object({
  figure: BookFigure,
  scope: BookScope,
  total: z.number().int().min(0),
  items: InsightListOutput.shape.items,
});
export type InsightPrintListOutput = z.infer<typeof InsightPrintListOutput>;

/** One figure's list as a CSV in a ZIP encrypted with AES-256 under `password`. */
export const InsightExportListInput = z
  .object({ ...listSelection, locale: z.enum(locales), password: exportPasswordSchema })
  .strict();
export const InsightExportListOutput = z.object({
  /** The file's name and its bytes (base64). */
  name: z.string(),
  file: z.string(),
  rows: z.number().int().min(0),
  total: z.number().int().min(0),
  scope: BookScope,
});
export type InsightExportListOutput = z.infer<typeof InsightExportListOutput>;

export const InsightCampaignsInput = z.object({}).strict();
export const InsightCampaignsOutput = z.object({
  /** Every campaign HQ published that this build can read; `running` on the bank's today. */
  campaigns: z.array(z.object({ campaign: campaignSchema, running: z.boolean() })),
});

export type InsightCampaignsOutput = z.infer<typeof InsightCampaignsOutput>;

export const InsightCallListInput = z
  .object({ campaignId: z.string().min(1).max(64), scope: BookScope.optional() })
  .strict();
export const InsightCallListOutput = z.object({
  campaign: campaignSchema,
  scope: BookScope,
  /** The customers to contact: in the target, consent for the channel, under the cap, not opted out. */
  items: z.array(
    z.object({
      customer: customerListItemSchema,
      /** Marketing contacts of the customer this month, by any campaign. */
      contactsThisMonth: z.number().int().min(0),
    }),
  ),
});
export type InsightCallListOutput = z.infer<typeof InsightCallListOutput>;

export const insightContract = {
  'insight.campaigns': {
    input: InsightCampaignsInput,
    output: InsightCampaignsOutput,
    permission: 'contact_customers',
    summary: 'The campaigns HQ published, and which run today.',
  },
  'insight.call_list': {
    input: InsightCallListInput,
    output: InsightCallListOutput,
    permission: 'contact_customers',
    summary:
      "A campaign's call list in the book: customers in its target with a current consent for its channel, under the month's contact cap and not opted out; masked per role.",
  },
  'insight.home': {
    input: InsightHomeInput,
    output: InsightHomeOutput,
    permission: 'view_book',
    summary:
      "The portfolio home: an RM's book (or the branch, for a supervisor) counted by segment, risk, KYC reviews and documents due, dormant customers, birthdays and open tasks.",
  },
  'insight.list': {
    input: InsightListInput,
    output: InsightListOutput,
    permission: 'view_book',
    summary: 'The customers behind one figure of the home, sorted, in pages; masked per role.',
  },
  'insight.print_list': {
    input: InsightPrintListInput,
    output: InsightPrintListOutput,
    permission: 'export_book',
    summary:
      "One figure's list for the printer (at most 10,000 rows), masked per role; audited as a print.",
  },
  'insight.export_list': {
    input: InsightExportListInput,
    output: InsightExportListOutput,
    permission: 'export_book',
    summary:
      "One figure's list as a CSV in a ZIP encrypted with AES-256 under the reader's password (at most 10,000 rows), masked per role; audited as an export, the password never recorded.",
  },
  'insight.next_actions': {
    input: InsightNextActionsInput,
    output: InsightNextActionsOutput,
    permission: 'view',
    summary:
      "The customer's suggested next best actions from rules (a review due, a document expiring, a deposit maturing, a customer at risk of leaving...), each with why; those already answered are left out.",
  },
  'insight.rating': {
    input: InsightRatingInput,
    output: InsightRatingOutput,
    permission: 'view',
    summary:
      "A customer's AML risk rating under the rule table, with each factor that applied and its points, the rule version and the next review date.",
  },
} as const satisfies Record<string, CommandSpec>;
