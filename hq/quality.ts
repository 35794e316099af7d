// `npm run hq -- quality report`: every branch's data quality by the shared rules
// (shared/quality/rules.ts), read in pages so a bank of millions never sits in memory at once.
// Records at HQ were validated when written; they are judged as stored.
import type { Customer } from '../shared/customer';
import { qualityRules, qualityTally, type QualityScore } from '../shared/quality/rules';
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
function judged(row: JudgedRow): Customer {
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

/** Each branch's score (customers by home branch), for one branch when `branchId` is given. */
export async function qualityReport(
  db: Database,
  options: { branchId?: string; today: string },
): Promise<Map<string, QualityScore>> {
  if (options.branchId !== undefined) {
    const known = await db.query('SELECT 1 FROM branch WHERE id = $1', [options.branchId]);
    if (known.length === 0)
      throw new BranchDeskError('BRANCH_NOT_FOUND', { branchId: options.branchId });
  }
  // Probable duplicates across the whole bank (hq/duplicates.ts): a pair at two branches counts
  // at each.
  const probableDuplicates = new Set(
    (await findDuplicates(db)).flatMap((group) => group.customers.map((customer) => customer.id)),
  );
  const tallies = new Map<string, ReturnType<typeof qualityTally>>();
  // Each page fetched while the one before is judged: PostgreSQL and the rules overlap.
  const fetchPage = (after: string) =>
    db.query<JudgedRow>(
      `SELECT ${judgedColumns} FROM customer
        WHERE id > $1 AND ($2::text IS NULL OR home_branch_id = $2) AND merged_into IS NULL
        ORDER BY id LIMIT ${PAGE}`,
      [after, options.branchId ?? null],
    );
  let next = fetchPage('00000000-0000-0000-0000-000000000000');
  for (;;) {
    const page = await next;
    if (page.length === PAGE) next = fetchPage(page.at(-1)!.id);
    for (const row of page) {
      let tally = tallies.get(row.home_branch_id);
      if (!tally)
        tallies.set(
          row.home_branch_id,
          (tally = qualityTally({ today: options.today, probableDuplicates })),
        );
      tally.add(judged(row));
    }
    if (page.length < PAGE) break;
  }
  return new Map(
    [...tallies.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([id, t]) => [id, t.score()]),
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
      if (rule.finds(judged(row), { today: options.today })) having.push(row.id);
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
