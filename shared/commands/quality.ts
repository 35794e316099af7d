// Data quality at the desk (docs/QUALITY.md): a book's score by the shared rules (an RM's own, or
// the branch for a supervisor), the trend week by week, and the customers behind each problem.
import { z } from 'zod';
import { customerListItemSchema } from '../customer/list-item';
import { qualityRules } from '../quality/rules';
import type { CommandSpec } from './contract';
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

export const qualityContract = {
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
