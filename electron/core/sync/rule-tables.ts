// Rule tables HQ published (docs/INSIGHT.md): received at each sync round, kept in the vault
// (migration 20) and read from there, so the device rates offline with the table in force. A
// table the device cannot read (a newer kind of rule than this build knows) is kept but not used:
// the device goes on with the last one it can read, and says so in its log.
import {
  riskRuleTableSchema,
  defaultRiskRules,
  type RiskRuleTable,
} from '../../../shared/insight/risk';
import { campaignSchema, type Campaign } from '../../../shared/insight/campaign';
import {
  defaultSegmentRules,
  segmentRuleTableSchema,
  type SegmentRuleTable,
} from '../../../shared/insight/segment';
import { counterNoticeTableSchema, type CounterNoticeTable } from '../../../shared/counter/notices';
import {
  complaintRulesSchema,
  defaultComplaintRules,
  type ComplaintRules,
} from '../../../shared/counter/complaints';
import { defaultHelp, helpTableSchema, type HelpTable } from '../../../shared/counter/help';
import type { z } from 'zod';
import { BranchDeskError } from '../../../shared/errors';
import type { HqClient } from '../hq-client/client';
import { log } from '../log';
import type { Vault } from '../vault';

/** Asks HQ for the tables published since the last one held and keeps them; how many came. */
export async function receiveRuleTables(vault: Vault, client: HqClient): Promise<number> {
  const after =
    (vault.db.prepare('SELECT max(seq) FROM rule_table').pluck().get() as number | null) ?? 0;
  const { tables } = await client.ruleTables(after);
  if (tables.length === 0) return 0;
  // A published version never changes at HQ: a repeat is ignored.
  const insert = vault.db.prepare(
    `INSERT INTO rule_table (seq, kind, version, published_at, body)
     VALUES (@seq, @kind, @version, @publishedAt, @body) ON CONFLICT DO NOTHING`,
  );
  vault.db.transaction(() => {
    for (const table of tables) insert.run({ ...table, body: JSON.stringify(table.body) });
  })();
  return tables.length;
}

/** The latest table of `kind` this build can read, else `fallback`; one it cannot is logged. */
function latestReadable<T>(
  vault: Vault,
  kind: 'aml_risk' | 'segment' | 'counter_notices' | 'complaint_rules' | 'help',
  schema: z.ZodType<T>,
  fallback: T,
): T {
  const rows = vault.db
    .prepare('SELECT seq, version, body FROM rule_table WHERE kind = ? ORDER BY seq DESC')
    .iterate(kind) as Iterable<{ seq: number; version: string; body: string }>;
  for (const row of rows) {
    const parsed = schema.safeParse(JSON.parse(row.body));
    if (parsed.success) return parsed.data;
    log('warn', 'insight.rule_table_unreadable', { kind, seq: row.seq, version: row.version });
  }
  return fallback;
}

/** The risk table in force on this device: the latest readable one HQ published, else the default. */
export function currentRiskRules(vault: Vault): RiskRuleTable {
  return latestReadable(vault, 'aml_risk', riskRuleTableSchema, defaultRiskRules);
}

/** The segment table in force on this device: the latest readable one, else the default. */
export function currentSegmentRules(vault: Vault): SegmentRuleTable {
  return latestReadable(vault, 'segment', segmentRuleTableSchema, defaultSegmentRules);
}

/** The notices for customers HQ published last (the counter's idle screen); undefined: none yet. */
export function counterNoticeTable(vault: Vault): CounterNoticeTable | undefined {
  return latestReadable<CounterNoticeTable | undefined>(
    vault,
    'counter_notices',
    counterNoticeTableSchema,
    undefined,
  );
}

/** The complaint categories and service levels in force here: HQ's latest, else the defaults. */
export function currentComplaintRules(vault: Vault): ComplaintRules {
  return latestReadable(vault, 'complaint_rules', complaintRulesSchema, defaultComplaintRules);
}

/** The help panels in force here (F1): HQ's latest, else the defaults. */
export function currentHelp(vault: Vault): HelpTable {
  return latestReadable(vault, 'help', helpTableSchema, defaultHelp);
}

/** The campaigns HQ published that this build can read, earliest start first. */
export function heldCampaigns(vault: Vault): Campaign[] {
  const rows = vault.db
    .prepare("SELECT seq, version, body FROM rule_table WHERE kind = 'campaign' ORDER BY seq")
    .all() as { seq: number; version: string; body: string }[];
  const campaigns: Campaign[] = [];
  for (const row of rows) {
    const parsed = campaignSchema.safeParse(JSON.parse(row.body));
    if (parsed.success) campaigns.push(parsed.data);
    else log('warn', 'insight.campaign_unreadable', { seq: row.seq, version: row.version });
  }
  return campaigns.sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
}

/** The campaign `campaignId` as this device holds it; CAMPAIGN_NOT_FOUND otherwise. */
export function heldCampaign(vault: Vault, campaignId: string): Campaign {
  const campaign = heldCampaigns(vault).find((held) => held.id === campaignId);
  if (!campaign) throw new BranchDeskError('CAMPAIGN_NOT_FOUND', { campaignId });
  return campaign;
}
