// `npm run hq -- quality report`: every branch's data quality by the shared rules
// (shared/quality/rules.ts), read in pages so a bank of millions never sits in memory at once.
// Records at HQ were validated when written; they are judged as stored.
import type { Customer } from '../shared/customer';
import { qualityRules, qualityTally, type QualityScore } from '../shared/quality/rules';
import type { Database } from './db/database';
import { findDuplicates } from './duplicates';
import { BranchDeskError } from '../shared/errors';

const PAGE = 2000;

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
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const page = await db.query<{ id: string; home_branch_id: string; record: Customer }>(
      `SELECT id, home_branch_id, record FROM customer
        WHERE id > $1 AND ($2::text IS NULL OR home_branch_id = $2) AND merged_into IS NULL
        ORDER BY id LIMIT ${PAGE}`,
      [after, options.branchId ?? null],
    );
    for (const row of page) {
      let tally = tallies.get(row.home_branch_id);
      if (!tally)
        tallies.set(
          row.home_branch_id,
          (tally = qualityTally({ today: options.today, probableDuplicates })),
        );
      tally.add(row.record);
    }
    if (page.length < PAGE) break;
    after = page.at(-1)!.id;
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
