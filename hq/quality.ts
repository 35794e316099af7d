// `npm run hq -- quality report`: every branch's data quality by the shared rules
// (shared/quality/rules.ts). Records at HQ were validated when written; they are judged as stored,
// by their writers: each keeps the facts the rules read beside it (hq/quality-facts.ts), and the
// report counts them in SQL, after judging again, in pages, the records whose facts are stale.
import type { Customer } from '../shared/customer';
import {
  qualityFacts,
  qualityRules,
  recordOnlyRules,
  ruleBit,
  staleBefore,
  type QualityScore,
} from '../shared/quality/rules';
import { qualityRulesStamp } from './quality-facts';
import { randomUUID } from 'node:crypto';
import type { Database } from './db/database';
import { editAtHq } from './mutations';
import { findDuplicates } from './duplicates';
import { BranchDeskError } from '../shared/errors';

const PAGE = 2000;

/**
 * What the rules read of a record, and no more (shared/quality/rules.ts): the whole record is
 * about 2 KB of JSON, these columns a tenth of it, so reading a bank costs a tenth. The earliest
 * document expiry stands for "a document has expired", the last visit and the first account's
 * opening for the day contacts were confirmed (the rules take the latest and earliest of them).
 * test/integration/quality-planted.test.ts holds the report to the rules on the whole records.
 */
const judgedColumns = `id, home_branch_id, record ->> 'kind' AS kind,
  record -> 'occupation' AS occupation, record -> 'email' AS email,
  (SELECT jsonb_agg(jsonb_build_object('kind', a -> 'kind', 'districtCode', a -> 'districtCode'))
     FROM jsonb_array_elements(record -> 'addresses') a) AS addresses,
  (SELECT jsonb_agg(jsonb_build_object('kind', p -> 'kind', 'e164', p -> 'e164'))
     FROM jsonb_array_elements(record -> 'phones') p) AS phones,
  (SELECT min(d ->> 'expiresOn') FROM jsonb_array_elements(record -> 'identityDocuments') d)
     AS expires_on,
  record -> 'kyc' ->> 'nextReviewDue' AS kyc_due,
  (SELECT max(v ->> 'at') FROM jsonb_array_elements(record -> 'visits') v) AS last_visit,
  (SELECT min(a ->> 'openedOn') FROM jsonb_array_elements(record -> 'accounts') a) AS since,
  record ->> 'updatedAt' AS updated_at`;

interface JudgedRow {
  id: string;
  home_branch_id: string;
  kind: Customer['kind'];
  occupation: string | null;
  email: string | null;
  addresses: { kind: string; districtCode: string }[] | null;
  phones: { kind: string; e164: string }[] | null;
  expires_on: string | null;
  kyc_due: string;
  last_visit: string | null;
  since: string | null;
  updated_at: string;
}

/** The columns as the record the rules read (only the fields they read are there). */
function asRecord(row: JudgedRow): Customer {
  return {
    id: row.id,
    kind: row.kind,
    ...(row.occupation === null ? {} : { occupation: row.occupation }),
    ...(row.email === null ? {} : { email: row.email }),
    addresses: row.addresses ?? [],
    phones: row.phones ?? [],
    identityDocuments: row.expires_on === null ? [] : [{ expiresOn: row.expires_on }],
    kyc: { nextReviewDue: row.kyc_due },
    visits: row.last_visit === null ? [] : [{ at: row.last_visit }],
    accounts: row.since === null ? [] : [{ openedOn: row.since }],
    updatedAt: row.updated_at,
  } as unknown as Customer;
}

/** Each rule as a condition on a customer's quality facts (`c`, HQ migration 29) and duplicates (`d`). */
const ruleSql: Record<string, string> = {
  ...Object.fromEntries(
    recordOnlyRules.map((id) => [id, `(c.quality_flags & ${ruleBit(id)}) <> 0`]),
  ),
  // Days as text compare as the rules compare them, byte by byte.
  document_expired: 'c.quality_expires_on < $1 COLLATE "C"',
  kyc_review_overdue: 'c.quality_kyc_due < $1 COLLATE "C"',
  stale_contacts: 'c.quality_confirmed_on < $2 COLLATE "C"',
  probable_duplicate: 'd.id IS NOT NULL',
};
// A rule added without its condition here would count nothing: refuse to start instead.
for (const rule of qualityRules)
  if (!(rule.id in ruleSql)) throw new Error(`quality rule ${rule.id} has no SQL at HQ`);
const found = (id: string) => `coalesce(${ruleSql[id]}, false)`;

/** Counts a bank's (or a branch's) facts: $1 today, $2 stale before, $3 duplicates, $4 branch. */
const countFacts = `
  SELECT c.home_branch_id AS branch, count(*)::integer AS records,
    count(*) FILTER (WHERE NOT (${qualityRules.map((rule) => found(rule.id)).join(' OR ')}))::integer AS clean,
    ${qualityRules.map((rule) => `count(*) FILTER (WHERE ${found(rule.id)})::integer AS "${rule.id}"`).join(',\n    ')}
  FROM customer c LEFT JOIN (SELECT DISTINCT unnest($3::uuid[]) AS id) d ON d.id = c.id
  WHERE c.merged_into IS NULL AND ($4::text IS NULL OR c.home_branch_id = $4)
  GROUP BY c.home_branch_id`;

/**
 * Judges again the records whose quality facts are stale (written by a statement that did not
 * write them, or judged by older rules: hq/quality-facts.ts) and stores their facts. Each page is
 * fetched while the one before is judged. A record changed since it was read keeps what its
 * writer stored. Returns how many were judged.
 */
export async function refreshQualityFacts(
  db: Database,
  options: { branchId?: string } = {},
): Promise<number> {
  type StaleRow = JudgedRow & {
    version: number;
    content_hash: string | null;
    stamp: string | null;
  };
  const fetchPage = (after: string) =>
    db.query<StaleRow>(
      `SELECT ${judgedColumns}, version, content_hash,
              CASE WHEN content_hash IS NULL THEN md5(record::text) END AS stamp
         FROM customer
        WHERE id > $1 AND ($2::text IS NULL OR home_branch_id = $2) AND merged_into IS NULL
          AND NOT coalesce(quality_stamp = content_hash || ':' || $3::text, false)
        ORDER BY id LIMIT ${PAGE}`,
      [after, options.branchId ?? null, qualityRulesStamp()],
    );
  let judged = 0;
  let next = fetchPage('00000000-0000-0000-0000-000000000000');
  for (;;) {
    const page = await next;
    if (page.length === PAGE) next = fetchPage(page.at(-1)!.id);
    if (page.length > 0) {
      const facts = page.map((row) => qualityFacts(asRecord(row)));
      // Only if the record is still the one judged: its content hash, or without one its text.
      await db.query(
        `UPDATE customer c SET quality_stamp = f.hash || ':' || $9::text, quality_flags = f.flags,
                quality_expires_on = f.expires_on, quality_kyc_due = f.kyc_due,
                quality_confirmed_on = f.confirmed_on
           FROM unnest($1::uuid[], $2::integer[], $3::text[], $4::text[], $5::integer[], $6::text[],
                       $7::text[], $8::text[])
                AS f(id, version, hash, stamp, flags, expires_on, kyc_due, confirmed_on)
          WHERE c.id = f.id AND c.version = f.version
            AND (c.content_hash = f.hash OR (c.content_hash IS NULL AND f.hash IS NULL
                                             AND md5(c.record::text) = f.stamp))`,
        [
          page.map((row) => row.id),
          page.map((row) => row.version),
          page.map((row) => row.content_hash),
          page.map((row) => row.stamp),
          facts.map((fact) => fact.flags),
          facts.map((fact) => fact.expiresOn),
          facts.map((fact) => fact.kycDue),
          facts.map((fact) => fact.confirmedOn),
          qualityRulesStamp(),
        ],
      );
      judged += page.length;
    }
    if (page.length < PAGE) break;
  }
  return judged;
}

/**
 * Each branch's score (customers by home branch), for one branch when `branchId` is given: the
 * records whose facts are stale judged again, then the facts counted in one statement.
 */
export async function qualityReport(
  db: Database,
  options: { branchId?: string; today: string },
): Promise<Map<string, QualityScore>> {
  if (options.branchId !== undefined) {
    const known = await db.query('SELECT 1 FROM branch WHERE id = $1', [options.branchId]);
    if (known.length === 0)
      throw new BranchDeskError('BRANCH_NOT_FOUND', { branchId: options.branchId });
  }
  await refreshQualityFacts(db, options);
  // Probable duplicates across the whole bank (hq/duplicates.ts): a pair at two branches counts
  // at each.
  const probableDuplicates = [
    ...new Set(
      (await findDuplicates(db)).flatMap((group) => group.customers.map((customer) => customer.id)),
    ),
  ];
  const rows = await db.query<
    { branch: string; records: number; clean: number } & Record<string, number>
  >(countFacts, [
    options.today,
    staleBefore(options.today),
    probableDuplicates,
    options.branchId ?? null,
  ]);
  rows.sort((a, b) => a.branch.localeCompare(b.branch));
  return new Map(
    rows.map((row) => [
      row.branch,
      {
        records: row.records,
        clean: row.clean,
        cleanShare: row.records === 0 ? 1 : row.clean / row.records,
        problems: Object.fromEntries(qualityRules.map((rule) => [rule.id, row[rule.id]!])),
      },
    ]),
  );
}

/** The report as the console prints it: one block per branch, problems most frequent first. */
export function describeQuality(scores: Map<string, QualityScore>): string {
  const lines: string[] = [];
  for (const [branchId, score] of scores) {
    lines.push(
      `${branchId}\t${score.records} customers\t${score.clean} clean (${(score.cleanShare * 100).toFixed(1)} %)`,
    );
    const problems = Object.entries(score.problems)
      .filter(([, count]) => count > 0)
      .sort(([, a], [, b]) => b - a);
    for (const [id, count] of problems) {
      const rule = qualityRules.find((candidate) => candidate.id === id)!;
      lines.push(`  ${String(count).padStart(8)}  ${id}  ${rule.words.en}`);
    }
  }
  return lines.join('\n');
}

/**
 * Cleansing work made at HQ (`npm run hq -- quality tasks`): a task for every customer with
 * `problem` (of one branch, or all) who has no open task for it yet, for their RM or the counter.
 * Each is HQ's own edit of the record (a new version, synced to every branch holding it), as a
 * supervisor's tasks are the branch's. Restricted customers are passed over.
 */
export async function makeCleansingTasks(
  db: Database,
  options: {
    problem: string;
    branchId?: string;
    assignee: 'rm' | 'counter';
    dueOn: string;
    title: string;
    today: string;
    actor: string;
  },
): Promise<{ created: number; skipped: number }> {
  const rule = qualityRules.find((known) => known.id === options.problem);
  if (!rule || rule.id === 'probable_duplicate')
    throw new BranchDeskError('INPUT_INVALID', { issues: `problem: ${options.problem}` });
  const having: string[] = [];
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const page = await db.query<JudgedRow>(
      `SELECT ${judgedColumns} FROM customer
        WHERE id > $1 AND ($2::text IS NULL OR home_branch_id = $2) AND merged_into IS NULL
        ORDER BY id LIMIT ${PAGE}`,
      [after, options.branchId ?? null],
    );
    for (const row of page)
      if (rule.finds(asRecord(row), { today: options.today })) having.push(row.id);
    if (page.length < PAGE) break;
    after = page.at(-1)!.id;
  }
  let created = 0;
  let skipped = 0;
  for (const id of having) {
    const [row] = await db.query<{ record: Customer }>(
      'SELECT record FROM customer WHERE id = $1',
      [id],
    );
    const customer = row?.record;
    if (
      !customer ||
      customer.restriction ||
      customer.tasks.some((task) => task.cleansing === rule.id && task.status === 'open')
    ) {
      skipped++;
      continue;
    }
    const task = {
      id: randomUUID(),
      title: options.title,
      dueOn: options.dueOn,
      status: 'open' as const,
      assignee: options.assignee === 'rm' ? (customer.assignedRmId ?? 'counter') : 'counter',
      cleansing: rule.id,
    };
    await editAtHq(db, id, { tasks: [...customer.tasks, task] }, options.actor);
    created++;
  }
  return { created, skipped };
}
