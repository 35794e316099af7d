// Rule tables HQ publishes to devices (docs/INSIGHT.md, docs/SYNC-PROTOCOL.md): versioned data,
// checked by the schema of their kind on both sides. A device asks for those published after the
// last one it holds, at each sync, as it does for privacy notices.
import { z } from 'zod';
import { referenceIdSchema } from '../customer/fields';
import { campaignSchema } from '../insight/campaign';
import { riskRuleTableSchema } from '../insight/risk';
import { segmentRuleTableSchema } from '../insight/segment';
import { counterNoticeTableSchema } from '../counter/notices';
import { complaintRulesSchema } from '../counter/complaints';
import { helpTableSchema } from '../counter/help';

export const ruleTableKinds = [
  'aml_risk',
  'campaign',
  'segment',
  'counter_notices',
  'complaint_rules',
  'help',
] as const;
export const RuleTableKind = z.enum(ruleTableKinds);
export type RuleTableKind = z.infer<typeof RuleTableKind>;

/** A published table: its kind, version, place in publication order and body. */
export const PublishedRuleTable = z.object({
  seq: z.number().int().positive(),
  kind: RuleTableKind,
  version: referenceIdSchema,
  publishedAt: z.iso.datetime({ offset: true }),
  /** Checked against the kind's schema by whoever uses it (riskRuleTableSchema for aml_risk). */
  body: z.unknown(),
});
export type PublishedRuleTable = z.infer<typeof PublishedRuleTable>;

export const RuleTablesQuery = z.object({ after: z.coerce.number().int().min(0).default(0) });
/**
 * What a device reads: a kind this build does not know (published by a newer HQ) is kept and
 * passed over, never a reason to fail the sync round.
 */
export const RuleTablesResponse = z.object({
  tables: z.array(PublishedRuleTable.extend({ kind: z.string().min(1).max(40) })),
});

/** The schema of each kind's body. */
export const ruleTableSchemas = {
  aml_risk: riskRuleTableSchema,
  campaign: campaignSchema,
  segment: segmentRuleTableSchema,
  counter_notices: counterNoticeTableSchema,
  complaint_rules: complaintRulesSchema,
  help: helpTableSchema,
} as const;
