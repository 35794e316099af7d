// Complaints across branches (docs/COUNTER.md): `npm run hq -- complaints report` counts them by
// branch, category and age, so a problem that recurs shows; `complaints publish-rules` publishes
// the categories and service levels devices record by. Records are read in pages, as the quality
// report does, and judged with the device's own code (shared/counter/complaints.ts).
import {
  complaintStates,
  type Complaint,
  type ComplaintStep,
  type ComplaintStatus,
} from '../shared/counter/complaints';
import { BranchDeskError } from '../shared/errors';
import { bankDay } from '../shared/insight/day';
import { parseIsoDate, toDayNumber } from '../shared/validation/dates';
import type { Database } from './db/database';

const PAGE = 2000;

/** How long an open complaint has waited, in days since it was received. */
export const ageBuckets = ['0-7', '8-15', '16-30', '31+'] as const;
export type AgeBucket = (typeof ageBuckets)[number];

export interface ComplaintTally {
  branchId: string;
  category: string;
  kind: Complaint['kind'];
  total: number;
  /** Open ones, by age. */
  open: Record<AgeBucket, number>;
  overdue: number;
  resolved: number;
  escalated: number;
  /** Resolutions the customer did not accept. */
  notAccepted: number;
}

function bucketOf(days: number): AgeBucket {
  return days <= 7 ? '0-7' : days <= 15 ? '8-15' : days <= 30 ? '16-30' : '31+';
}

/** Every branch's complaints and suggestions by category, on `today` (the bank's day). */
export async function complaintsReport(
  db: Database,
  options: { branchId?: string; today: string },
): Promise<ComplaintTally[]> {
  if (options.branchId !== undefined) {
    const known = await db.query('SELECT 1 FROM branch WHERE id = $1', [options.branchId]);
    if (known.length === 0)
      throw new BranchDeskError('BRANCH_NOT_FOUND', { branchId: options.branchId });
  }
  const todayNumber = toDayNumber(parseIsoDate(options.today)!);
  const tallies = new Map<string, ComplaintTally>();
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const page = await db.query<{
      id: string;
      home_branch_id: string;
      complaints: Complaint[] | null;
      steps: ComplaintStep[] | null;
    }>(
      `SELECT id, home_branch_id, record -> 'complaints' AS complaints,
              record -> 'complaintSteps' AS steps
         FROM customer
        WHERE id > $1 AND ($2::text IS NULL OR home_branch_id = $2) AND merged_into IS NULL
        ORDER BY id LIMIT ${PAGE}`,
      [after, options.branchId ?? null],
    );
    for (const row of page) {
      if (!row.complaints?.length) continue;
      for (const state of complaintStates(row.complaints, row.steps ?? [], options.today)) {
        const { complaint } = state;
        const key = `${row.home_branch_id}\u0000${complaint.kind}\u0000${complaint.category}`;
        let tally = tallies.get(key);
        if (!tally)
          tallies.set(
            key,
            (tally = {
              branchId: row.home_branch_id,
              category: complaint.category,
              kind: complaint.kind,
              total: 0,
              open: { '0-7': 0, '8-15': 0, '16-30': 0, '31+': 0 },
              overdue: 0,
              resolved: 0,
              escalated: 0,
              notAccepted: 0,
            }),
          );
        count(tally, state.status, state.overdue !== null);
        if (state.status !== 'resolved' && state.status !== 'escalated') {
          const received = toDayNumber(parseIsoDate(bankDay(complaint.receivedAt))!);
          tally.open[bucketOf(todayNumber - received)]++;
        }
        if (state.steps.some((step) => step.customerResponse === 'not_accepted'))
          tally.notAccepted++;
      }
    }
    if (page.length < PAGE) break;
    after = page.at(-1)!.id;
  }
  return [...tallies.values()].sort(
    (a, b) =>
      a.branchId.localeCompare(b.branchId) ||
      a.kind.localeCompare(b.kind) ||
      b.total - a.total ||
      a.category.localeCompare(b.category),
  );
}

function count(tally: ComplaintTally, status: ComplaintStatus, overdue: boolean): void {
  tally.total++;
  if (status === 'resolved') tally.resolved++;
  else if (status === 'escalated') tally.escalated++;
  if (overdue) tally.overdue++;
}

/** The report as the console prints it: one line per branch, kind and category. */
export function describeComplaints(tallies: readonly ComplaintTally[]): string {
  const header = [
    'branch',
    'kind',
    'category',
    'total',
    ...ageBuckets.map((bucket) => `open ${bucket} d`),
    'overdue',
    'resolved',
    'escalated',
    'not accepted',
  ].join('\t');
  const lines = tallies.map((tally) =>
    [
      tally.branchId,
      tally.kind,
      tally.category,
      tally.total,
      ...ageBuckets.map((bucket) => tally.open[bucket]),
      tally.overdue,
      tally.resolved,
      tally.escalated,
      tally.notAccepted,
    ].join('\t'),
  );
  return [header, ...lines, `${tallies.reduce((sum, tally) => sum + tally.total, 0)} in all`].join(
    '\n',
  );
}
