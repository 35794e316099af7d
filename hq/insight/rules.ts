// Rule tables at HQ (docs/INSIGHT.md): HQ's AML function publishes a versioned risk-rating table
// (`npm run hq -- risk publish --file table.json`); devices receive those they lack at each sync
// (`GET /v1/rule-tables`) and rate with the latest. A published version never changes. HQ re-rates
// on its side with the same function (`risk rerate`): where the table gives another level than the
// record holds, HQ writes the new level and next review date, an HQ-owned field every device
// in scope receives at its next pull.
import { counterNoticeTableSchema } from '../../shared/counter/notices';
import { complaintRulesSchema } from '../../shared/counter/complaints';
import { helpTableSchema } from '../../shared/counter/help';
import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { isDeepStrictEqual } from 'node:util';
import type { Customer } from '../../shared/customer';
import { BranchDeskError } from '../../shared/errors';
import {
  defaultRiskRules,
  recordedRating,
  riskRuleTableSchema,
  type RiskRuleTable,
} from '../../shared/insight/risk';
import { campaignSchema } from '../../shared/insight/campaign';
import { bookFacts } from '../../shared/insight/book';
import {
  defaultSegmentRules,
  segmentRuleTableSchema,
  wealthSegment,
  type SegmentRuleTable,
} from '../../shared/insight/segment';
import type { PublishedRuleTable, RuleTableKind } from '../../shared/protocol/rules';
import { parseIsoDate } from '../../shared/validation/dates';
import type { Database, Sql } from '../db/database';
import { editAtHq } from '../mutations';

interface RuleRow {
  seq: number | string;
  kind: RuleTableKind;
  version: string;
  body: unknown;
  published_at: Date | string;
}

function published(row: RuleRow): PublishedRuleTable {
  return {
    seq: Number(row.seq),
    kind: row.kind,
    version: row.version,
    publishedAt: new Date(row.published_at).toISOString(),
    body: typeof row.body === 'string' ? (JSON.parse(row.body) as unknown) : row.body,
  };
}

/** A risk table from a JSON file, checked; a table that does not pass is INPUT_INVALID. */
export function readRiskRules(path: string): RiskRuleTable {
  return checkedRiskRules(readJsonFile(path));
}

export function checkedRiskRules(raw: unknown): RiskRuleTable {
  return parsedOrInvalid(riskRuleTableSchema, raw);
}

/** `raw` as `schema` reads it, or INPUT_INVALID naming each problem by its path. */
function parsedOrInvalid<T extends z.ZodType>(schema: T, raw: unknown): z.output<T> {
  const parsed = schema.safeParse(raw);
  if (!parsed.success)
    throw new BranchDeskError('INPUT_INVALID', {
      issues: parsed.error.issues
        .map((issue) => `${issue.path.join('.')}: ${issue.message}`)
        .join('; '),
    });
  return parsed.data;
}

/**
 * Publishes a risk table. The same version with the same body again changes nothing
 * (`published: false`, so a publication can be retried); with another body it is
 * RULE_VERSION_TAKEN.
 */
export async function publishRiskRules(
  db: Database,
  table: RiskRuleTable,
): Promise<{ table: PublishedRuleTable; published: boolean }> {
  const checked = checkedRiskRules(table);
  return publishTable(db, 'aml_risk', checked.version, checked);
}

/** The kinds whose body names its own version (`version`): published as they are, checked. */
const versionedKinds = {
  segment: segmentRuleTableSchema,
  counter_notices: counterNoticeTableSchema,
  complaint_rules: complaintRulesSchema,
  help: helpTableSchema,
} as const satisfies Partial<Record<RuleTableKind, z.ZodType<{ version: string }>>>;
export type VersionedKind = keyof typeof versionedKinds;

/**
 * Publishes a table of a kind whose body carries its version (segment rules, notices for
 * customers, complaint rules, help panels) to every device, checked by the kind's schema.
 */
export async function publishVersioned(
  db: Database,
  kind: VersionedKind,
  raw: unknown,
): Promise<{ table: PublishedRuleTable; published: boolean }> {
  const checked = parsedOrInvalid(versionedKinds[kind] as z.ZodType<{ version: string }>, raw);
  return publishTable(db, kind, checked.version, checked);
}

/** Publishes a campaign to every branch (its id is its version; never changed once published). */
export async function publishCampaign(
  db: Database,
  raw: unknown,
): Promise<{ table: PublishedRuleTable; published: boolean }> {
  const campaign = parsedOrInvalid(campaignSchema, raw);
  return publishTable(db, 'campaign', campaign.id, campaign);
}

/** A JSON file as UTF-8, parsed; unreadable or not JSON is INPUT_INVALID. */
export function readJsonFile(path: string): unknown {
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(readFileSync(path)));
  } catch (error) {
    throw new BranchDeskError('INPUT_INVALID', { issues: `${path}: ${(error as Error).message}` });
  }
}

async function publishTable(
  db: Database,
  kind: RuleTableKind,
  version: string,
  checked: unknown,
): Promise<{ table: PublishedRuleTable; published: boolean }> {
  return db.transaction(async (tx) => {
    // One publisher at a time: seq follows the order publications commit in, so a device that
    // asked for "after n" never misses one that committed later with a smaller seq.
    await tx.query('LOCK TABLE rule_table IN EXCLUSIVE MODE');
    const [existing] = await tx.query<RuleRow>(
      'SELECT * FROM rule_table WHERE kind = $1 AND version = $2',
      [kind, version],
    );
    if (existing) {
      const found = published(existing);
      if (!isDeepStrictEqual(found.body, JSON.parse(JSON.stringify(checked))))
        throw new BranchDeskError('RULE_VERSION_TAKEN', { version });
      return { table: found, published: false };
    }
    const [row] = await tx.query<RuleRow>(
      'INSERT INTO rule_table (kind, version, body) VALUES ($1, $2, $3) RETURNING *',
      [kind, version, JSON.stringify(checked)],
    );
    return { table: published(row!), published: true };
  });
}

/** The tables published after `seq`, in publication order (a device's sync). */
export async function ruleTablesAfter(db: Sql, seq: number): Promise<PublishedRuleTable[]> {
  const rows = await db.query<RuleRow>('SELECT * FROM rule_table WHERE seq > $1 ORDER BY seq', [
    seq,
  ]);
  return rows.map(published);
}

/** The risk table in force: the latest published, else the default. */
export async function currentRiskRules(db: Sql): Promise<RiskRuleTable> {
  const [row] = await db.query<RuleRow>(
    "SELECT * FROM rule_table WHERE kind = 'aml_risk' ORDER BY seq DESC LIMIT 1",
  );
  return row ? checkedRiskRules(published(row).body) : defaultRiskRules;
}

/** The segment table in force: the latest published, else the default. */
export async function currentSegmentRules(db: Sql): Promise<SegmentRuleTable> {
  const [row] = await db.query<RuleRow>(
    "SELECT * FROM rule_table WHERE kind = 'segment' ORDER BY seq DESC LIMIT 1",
  );
  return row ? parsedOrInvalid(segmentRuleTableSchema, published(row).body) : defaultSegmentRules;
}

/**
 * The segment tables a device may have held at `at`: the one in force then and the one before
 * it (a device offline when a table was published still counts by the last it received); the
 * default while fewer than two had been published.
 */
export async function segmentRulesUpTo(db: Sql, at: string): Promise<SegmentRuleTable[]> {
  const rows = await db.query<RuleRow>(
    `SELECT * FROM rule_table WHERE kind = 'segment' AND published_at <= $1
      ORDER BY seq DESC LIMIT 2`,
    [at],
  );
  const tables = rows.flatMap((row) => {
    const parsed = segmentRuleTableSchema.safeParse(published(row).body);
    return parsed.success ? [parsed.data] : [];
  });
  return tables.length < 2 ? [...tables, defaultSegmentRules] : tables;
}

export interface RerateSummary {
  ruleVersion: string;
  rated: number;
  /** Customers whose recorded level differs from the table's (changed, unless a dry run). */
  changed: number;
  /** By the level the table gives, for those that differ: `medium→high` and so on. */
  moves: Record<string, number>;
  dryRun: boolean;
}

const PAGE = 1000;

function newSummary(ruleVersion: string, dryRun: boolean): RerateSummary {
  return { ruleVersion, rated: 0, changed: 0, moves: {}, dryRun };
}

/** Counts one record that changes (or would), by its move. */
function moved(summary: RerateSummary, move: string): void {
  summary.changed++;
  summary.moves[move] = (summary.moves[move] ?? 0) + 1;
}

/**
 * Rates every customer (of one branch, when given) with the table in force on `today`. Where
 * the level differs from kyc.riskRating, HQ writes the new level and the next review the table's
 * cycle gives (a prohibited customer is recorded 高 with the review due today, for compliance
 * to exit), never below the latest change a branch proposed with four eyes (recordedRating).
 * Each change is its own HQ edit, so devices receive it like any HQ change.
 */
export async function rerate(
  db: Database,
  options: { today: string; branchId?: string; dryRun: boolean; actor: string },
): Promise<RerateSummary> {
  const table = await currentRiskRules(db);
  const today = parseIsoDate(options.today);
  if (!today) throw new BranchDeskError('INPUT_INVALID', { issues: `today: ${options.today}` });
  const summary = newSummary(table.version, options.dryRun);
  for await (const { id, record } of everyCustomer(db, options.branchId)) {
    summary.rated++;
    const {
      level,
      nextReviewDue: due,
      assessment,
    } = recordedRating(
      record.kind === 'individual'
        ? { ...record, nationality: record.nationality, occupation: record.occupation }
        : record,
      table,
      today,
    );
    if (level === record.kyc.riskRating && due === record.kyc.nextReviewDue) continue;
    moved(
      summary,
      `${record.kyc.riskRating}→${assessment.level === 'prohibited' ? 'prohibited' : level}`,
    );
    if (!options.dryRun)
      await editAtHq(
        db,
        id,
        { kyc: { ...record.kyc, riskRating: level, nextReviewDue: due } },
        options.actor,
      );
  }
  return summary;
}

/** Every customer (of one branch), a page at a time, in id order. */
async function* everyCustomer(
  db: Sql,
  branchId: string | undefined,
): AsyncGenerator<{ id: string; record: Customer }> {
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const page = await db.query<{ id: string; record: Customer }>(
      `SELECT id, record FROM customer
        WHERE id > $1 AND ($2::text IS NULL OR home_branch_id = $2) AND merged_into IS NULL
        ORDER BY id LIMIT ${PAGE}`,
      [after, branchId ?? null],
    );
    yield* page;
    if (page.length < PAGE) return;
    after = page.at(-1)!.id;
  }
}

/**
 * Writes the wealth segment the segment table in force gives (from the record's assets) into
 * every record (of one branch) whose segment differs: HQ's field, so search lists and reports
 * agree with the home. Each change is its own HQ edit, received by devices like any other.
 */
export async function applySegments(
  db: Database,
  options: { branchId?: string; dryRun: boolean; actor: string },
): Promise<RerateSummary> {
  const table = await currentSegmentRules(db);
  const summary = newSummary(table.version, options.dryRun);
  for await (const { id, record } of everyCustomer(db, options.branchId)) {
    summary.rated++;
    const segment = wealthSegment(bookFacts(record).aum, table);
    if (segment === record.segment) continue;
    moved(summary, `${record.segment}→${segment}`);
    if (!options.dryRun) await editAtHq(db, id, { segment }, options.actor);
  }
  return summary;
}

/** A campaign's results: for each branch (the customer's home branch), contacts by outcome. */
export async function campaignResults(
  db: Sql,
  campaignId: string,
): Promise<Map<string, Record<string, number>>> {
  const rows = await db.query<{ branch: string; outcome: string; contacts: number | string }>(
    `SELECT c.home_branch_id AS branch, contact ->> 'outcome' AS outcome, count(*) AS contacts
       FROM customer c, jsonb_array_elements(coalesce(c.record -> 'campaignContacts', '[]'::jsonb)) contact
      WHERE contact ->> 'campaignId' = $1 AND c.merged_into IS NULL
      GROUP BY 1, 2 ORDER BY 1, 2`,
    [campaignId],
  );
  const results = new Map<string, Record<string, number>>();
  for (const row of rows) {
    const branch = results.get(row.branch) ?? {};
    branch[row.outcome] = Number(row.contacts);
    results.set(row.branch, branch);
  }
  return results;
}
