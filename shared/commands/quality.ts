// Data quality at the desk (docs/QUALITY.md): a book's score by the shared rules (an RM's own, or
// the branch for a supervisor), the trend week by week, and the customers behind each problem.
import { z } from 'zod';
import { customerListItemSchema } from '../customer/list-item';
import { qualityRules } from '../quality/rules';
import type { CommandSpec } from './contract';
import { CustomerWriteOutput } from './customer';
import { BookScope } from './insight';

export const QualityRuleId = z.enum(qualityRules.map((rule) => rule.id) as [string, ...string[]]);

export const QualityScoreInput = z.object({ scope: BookScope.optional() }).strict();
export const QualityScoreOutput = z.object({
  scope: BookScope,
  /** The bank's today the score was taken on. */
  today: z.string(),
  records: z.number().int().min(0),
  clean: z.number().int().min(0),
  cleanShare: z.number().min(0).max(1),
  /** Every rule with how many customers of the book have the problem. */
  problems: z.record(z.string(), z.number().int().min(0)),
  /** One score a week (the week's Monday), oldest first: kept each time the score is read. */
  trend: z.array(
    z.object({ week: z.string(), records: z.number().int(), clean: z.number().int() }),
  ),
});

export const QualityListInput = z
  .object({
    scope: BookScope.optional(),
    problem: QualityRuleId,
    offset: z.number().int().min(0).default(0),
    limit: z.number().int().min(1).max(500).default(100),
  })
  .strict();
export const QualityListOutput = z.object({
  problem: QualityRuleId,
  scope: BookScope,
  total: z.number().int().min(0),
  items: z.array(customerListItemSchema),
});

/**
 * Cleansing work: every customer of the book with `problem` gets a task (one not already given an
 * open one for it), for their RM or for the counter, due on `dueOn`.
 */
export const QualityCreateTasksInput = z
  .object({
    scope: BookScope.optional(),
    problem: QualityRuleId,
    assignee: z.enum(['rm', 'counter']),
    dueOn: z.iso.date(),
    title: z.string().trim().min(2).max(200),
  })
  .strict();
export const QualityCreateTasksOutput = z.object({
  /** Tasks added (each a change synced to HQ). */
  created: z.number().int().min(0),
  /** Customers passed over: an open task for this problem already, or restricted. */
  skipped: z.number().int().min(0),
});

/** Completes a cleansing task once the customer's record no longer has its problem. */
export const QualityCompleteTaskInput = z.object({ id: z.uuid(), taskId: z.uuid() }).strict();

export const qualityContract = {
  'quality.create_tasks': {
    input: QualityCreateTasksInput,
    output: QualityCreateTasksOutput,
    permission: 'view_book',
    summary:
      'Turns a data quality problem into tasks: one for each customer of the book who has it, for their RM or the counter.',
  },
  'quality.complete_task': {
    input: QualityCompleteTaskInput,
    output: CustomerWriteOutput,
    permission: 'edit_contacts',
    summary:
      'Marks a cleansing task done once the customer confirmed or corrected their data and the record no longer has the problem.',
  },
  'quality.score': {
    input: QualityScoreInput,
    output: QualityScoreOutput,
    permission: 'view_book',
    summary:
      "A book's data quality: the share of clean records, each problem with its count, and the trend week by week.",
  },
  'quality.list': {
    input: QualityListInput,
    output: QualityListOutput,
    permission: 'view_book',
    summary: 'The customers of a book who have one data quality problem, by customer number.',
  },
} as const satisfies Record<string, CommandSpec>;
