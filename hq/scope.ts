// A device's scope: the customers whose home branch is its branch, or whose relationship manager
// belongs to it. Every change to a customer is logged for each branch it enters, stays in or leaves.
import { BranchDeskError } from '../shared/errors';
import { compareHlc } from '../shared/sync/hlc';
import * as clock from './clock';
import { contentHash } from './content-hash';
import type { Database, Sql } from './db/database';

/** The branches whose scope holds each customer now (one merged into another is in none). */
const scopeBranches = `
  SELECT c.id AS customer_id, scope.branch_id
  FROM customer c
  CROSS JOIN LATERAL (
    SELECT c.home_branch_id AS branch_id
    UNION
    SELECT rm.branch_id FROM relationship_manager rm WHERE rm.id = c.assigned_rm_id
  ) AS scope
  WHERE c.id = ANY($1::uuid[]) AND c.merged_into IS NULL`;

/**
 * Logs the current scope of `customerIds` at each one's change_seq (after inserts and edits).
 * A reassignment passes `entered`: HQ's clock then, and the branches that held the customer
 * before, so a branch it newly enters has its row timed (the push's scope check in
 * hq/push-guard.ts orders edits against those times; a branch it stays in is no change).
 */
export async function logScope(
  tx: Sql,
  customerIds: string[],
  entered?: { hlc: string; heldBefore: string[] },
): Promise<void> {
  // The feed sends a customer's newest row only: older ones are of no use to any device (one
  // whose cursor is between the two gets the newer one next). An entering or leaving row (with
  // an hlc) stays for the push guard. One statement: its DELETE does not see the rows its INSERT
  // adds, so it looks for a newer row among those (`fresh`) as well as among the stored ones.
  await tx.query(
    `WITH fresh AS (
       SELECT c.change_seq AS seq, s.branch_id, s.customer_id,
              CASE WHEN $2::text IS NULL OR s.branch_id = ANY($3::text[]) THEN NULL ELSE $2 END AS hlc
       FROM (${scopeBranches}) AS s JOIN customer c ON c.id = s.customer_id),
     added AS (
       INSERT INTO scope_change (seq, branch_id, customer_id, in_scope, hlc)
       SELECT seq, branch_id, customer_id, true, hlc FROM fresh)
     DELETE FROM scope_change o
     WHERE o.customer_id = ANY($1::uuid[]) AND o.hlc IS NULL
       AND (EXISTS (SELECT 1 FROM fresh n
                    WHERE n.customer_id = o.customer_id AND n.branch_id = o.branch_id
                      AND n.seq > o.seq)
            OR EXISTS (SELECT 1 FROM scope_change n
                       WHERE n.customer_id = o.customer_id AND n.branch_id = o.branch_id
                         AND n.seq > o.seq))`,
    [customerIds, entered?.hlc ?? null, entered?.heldBefore ?? []],
  );
}

/** The branches whose scope holds the customer now. */
export async function branchesHolding(tx: Sql, customerId: string): Promise<string[]> {
  const rows = await tx.query<{ branch_id: string }>(scopeBranches, [[customerId]]);
  return rows.map((row) => row.branch_id);
}

/** True when `branchId` holds the customer now. */
export async function holdsNow(tx: Sql, branchId: string, customerId: string): Promise<boolean> {
  const rows = await tx.query(`SELECT 1 FROM (${scopeBranches}) AS s WHERE s.branch_id = $2`, [
    [customerId],
    branchId,
  ]);
  return rows.length > 0;
}

export interface ScopeMove {
  /** Its place in the branch's scope changes: what a device's pull cursor counts. */
  seq: number;
  /** Entered (true) or left (false) the branch's scope. */
  inScope: boolean;
  /** HQ's clock at the move. */
  hlc: string;
  /** HQ's wall clock at the move. */
  at: Date;
}

/**
 * Whether the branch ever held the customer, and each time the customer entered or left its scope
 * by a reassignment, oldest first. Held from the first row on unless the first move is entering.
 */
export async function scopeMoves(
  tx: Sql,
  branchId: string,
  customerId: string,
): Promise<{ everHeld: boolean; moves: ScopeMove[] }> {
  const ever = await tx.query(
    'SELECT 1 FROM scope_change WHERE customer_id = $1 AND branch_id = $2 LIMIT 1',
    [customerId, branchId],
  );
  const rows = await tx.query<{
    seq: string;
    in_scope: boolean;
    hlc: string;
    changed_at: Date | string;
  }>(
    `SELECT seq, in_scope, hlc, changed_at FROM scope_change
     WHERE customer_id = $1 AND branch_id = $2 AND hlc IS NOT NULL
     ORDER BY hlc`,
    [customerId, branchId],
  );
  const moves = rows.map((row) => ({
    seq: Number(row.seq),
    inScope: row.in_scope,
    hlc: row.hlc,
    at: new Date(row.changed_at),
  }));
  // In the clock's own order (plain string order), whatever the database's collation.
  moves.sort((a, b) => compareHlc(a.hlc, b.hlc));
  return { everHeld: ever.length > 0, moves };
}

/**
 * Moves a customer to another branch (and RM): a new version and change, logged as leaving the
 * branches that no longer hold it and entering (or staying in) the ones that do.
 */
export async function reassignCustomer(
  db: Database,
  customerId: string,
  branchId: string,
  rmId: string | null,
): Promise<void> {
  await db.transaction(async (tx) => {
    const before = (await tx.query<{ branch_id: string }>(scopeBranches, [[customerId]])).map(
      (row) => row.branch_id,
    );
    if (before.length === 0) throw new BranchDeskError('CUSTOMER_NOT_FOUND');
    await tx.query(
      `UPDATE customer SET
         home_branch_id = $2,
         assigned_rm_id = $3,
         version = version + 1,
         change_seq = next_change_seq(),
         record = record || jsonb_build_object('homeBranchId', $2::text, 'version', version + 1)
                  || CASE WHEN $3::text IS NULL THEN '{}'::jsonb ELSE jsonb_build_object('assignedRmId', $3::text) END
       WHERE id = $1`,
      [customerId, branchId, rmId],
    );
    if (rmId === null)
      await tx.query(`UPDATE customer SET record = record - 'assignedRmId' WHERE id = $1`, [
        customerId,
      ]);
    // After the customer row is locked (by the update), as everywhere: customer, then clock.
    const hlc = await clock.tick(tx);
    await logScope(tx, [customerId], { hlc, heldBefore: before });
    const after = new Set(
      (await tx.query<{ branch_id: string }>(scopeBranches, [[customerId]])).map(
        (row) => row.branch_id,
      ),
    );
    for (const left of before.filter((branch) => !after.has(branch))) {
      await tx.query(
        `INSERT INTO scope_change (seq, branch_id, customer_id, in_scope, hlc)
         SELECT change_seq, $2, id, false, $3 FROM customer WHERE id = $1`,
        [customerId, left, hlc],
      );
    }
  });
}

export interface ScopeChange {
  seq: number;
  customerId: string;
  inScope: boolean;
  version: number | null;
  /** The master record's JSON text as stored, when in scope: sent on as it is. */
  recordText: string | null;
  /** Leaving because HQ erased the customer: purge everything about them, pending edits too. */
  erased?: true;
  /** Leaving because HQ merged the customer into this one (hq/merges.ts). */
  mergedInto?: { customerId: string; customerNumber: string };
}

/**
 * A branch's changes after `cursor` up to `upTo`, each customer once: its newest row there (a
 * customer's older rows say nothing its newest does not). Oldest first, so a page's cursor moves
 * forward and a customer left for a later page is still after it.
 */
const newestAfter = `
  FROM scope_change s
  WHERE s.branch_id = $1 AND s.seq > $2 AND s.seq <= $3
    AND NOT EXISTS (SELECT 1 FROM scope_change n
                    WHERE n.customer_id = s.customer_id AND n.branch_id = s.branch_id
                      AND n.seq > s.seq AND n.seq <= $3)`;

interface ChangeRow {
  seq: string;
  customer_id: string;
  in_scope: boolean;
  version: number | null;
  record_text: string | null;
  erased: boolean;
  survivor_id: string | null;
  survivor_number: string | null;
}

function asChange(row: ChangeRow): ScopeChange {
  return {
    seq: Number(row.seq),
    customerId: row.customer_id,
    inScope: row.in_scope,
    version: row.version,
    recordText: row.record_text,
    ...(row.erased ? { erased: true } : {}),
    ...(row.survivor_id && row.survivor_number
      ? { mergedInto: { customerId: row.survivor_id, customerNumber: row.survivor_number } }
      : {}),
  };
}

/** A pull's page and what its answer carries besides, all of one snapshot. */
export interface ChangesPage {
  /** Up to `limit` + 1 changes: one more than asked tells whether another page follows. */
  rows: ScopeChange[];
  /** Changes of this branch beyond the watermark: writers still in flight hold them back. */
  heldBack: boolean;
  /**
   * The scope's digest at the page's cursor, for the last page of a whole scope (no more pages,
   * nothing held back); null when the page carries none. `stale` when one is due and the stored
   * one is not of this snapshot: `sharedScopeDigest` or `scopeDigestText` works it out.
   */
  digest: { bucketsText: string; count: number } | 'stale' | null;
  /** The newest row of the branch's feed in the snapshot: the digest holds through it. */
  throughSeq: number;
  /** How many changes the pages after the cursor hold, when asked. */
  remaining: number | null;
  /** HQ's clock now and its epoch. */
  hlc: string;
  epoch: string;
}

/**
 * The next page of a branch's changes after `cursor`, up to the watermark `upTo` (see `openFeed`),
 * each customer once, oldest first, with all the pull's answer carries besides, in one statement:
 * one round trip and one snapshot (a statement sees one, whatever the transaction's isolation).
 * The digest stored for the branch's newest row (HQ migration 27) serves when that row is this
 * snapshot's newest; with the changes up to the watermark all committed (nothing held back), two
 * snapshots with the same newest row hold the same scope. A change that reached a record without
 * a row in the feed shows in the digest at the branch's next change, not before.
 */
export async function pageOfChanges(
  db: Sql,
  branchId: string,
  options: { cursor: number; limit: number; upTo: number; count: boolean },
): Promise<ChangesPage> {
  const rows = await db.query<
    Partial<ChangeRow> & {
      n: string;
      held_back: boolean;
      last: string | null;
      hlc_last: string | null;
      epoch: string | null;
      remaining: string | null;
      buckets: string | null;
      digest_count: number | null;
    }
  >(
    `WITH page AS (
       SELECT p.seq, p.customer_id, p.in_scope, c.version, c.record::text AS record_text,
              (NOT p.in_scope AND e.customer_id IS NOT NULL) AS erased,
              sv.id AS survivor_id, sv.customer_number AS survivor_number
       FROM (SELECT s.seq, s.customer_id, s.in_scope ${newestAfter}
             ORDER BY s.seq, s.customer_id LIMIT $4 + 1) AS p
       LEFT JOIN customer c ON p.in_scope AND c.id = p.customer_id
       LEFT JOIN erased_customer e ON e.customer_id = p.customer_id
       LEFT JOIN customer m ON NOT p.in_scope AND m.id = p.customer_id
       LEFT JOIN customer sv ON sv.id = m.merged_into
     ), facts AS (
       SELECT (SELECT count(*) FROM page) AS n,
              EXISTS (SELECT 1 FROM scope_change WHERE branch_id = $1 AND seq > $3) AS held_back,
              (SELECT max(seq) FROM scope_change WHERE branch_id = $1) AS last,
              (SELECT last FROM hlc_state WHERE singleton) AS hlc_last,
              (SELECT epoch FROM hq_epoch ORDER BY n DESC LIMIT 1) AS epoch,
              CASE WHEN $5::boolean THEN (SELECT count(*) ${newestAfter}) END AS remaining
     )
     SELECT f.n, f.held_back, f.last, f.hlc_last, f.epoch, f.remaining,
            -- The stored digest once, on the answer's first row, when it is due and of this snapshot.
            CASE WHEN f.n <= $4 AND NOT f.held_back AND d.through_seq = f.last
                      AND (page.seq IS NULL OR page.seq = (SELECT min(seq) FROM page))
                 THEN d.buckets::text END AS buckets,
            d.count AS digest_count, page.seq, page.customer_id, page.in_scope, page.version,
            page.record_text, page.erased, page.survivor_id, page.survivor_number
     FROM facts f
     LEFT JOIN scope_digest d ON d.branch_id = $1
     LEFT JOIN page ON true
     ORDER BY page.seq, page.customer_id`,
    [branchId, options.cursor, options.upTo, options.limit, options.count],
  );
  const first = rows[0]!;
  if (!first.epoch) throw new Error('HQ has no epoch: run the migrations');
  const n = Number(first.n);
  const heldBack = first.held_back;
  const due = n <= options.limit && !heldBack;
  const stored = rows.find((row) => row.buckets !== null);
  return {
    rows: n === 0 ? [] : rows.map((row) => asChange(row as ChangeRow)),
    heldBack,
    digest: !due
      ? null
      : stored
        ? { bucketsText: stored.buckets!, count: stored.digest_count ?? 0 }
        : 'stale',
    throughSeq: Number(first.last ?? 0),
    remaining: first.remaining === null ? null : Number(first.remaining),
    hlc: clock.currentFrom(first.hlc_last),
    epoch: first.epoch,
  };
}

/**
 * Whether customer `c` is in the scope of branch $1: its home branch, or an RM of the branch, and
 * not merged into another customer.
 * The one statement of the rule, for every query that selects a branch's customers.
 */
export const inBranchScope = `(c.merged_into IS NULL AND (c.home_branch_id = $1
     OR c.assigned_rm_id = ANY (ARRAY(SELECT id FROM relationship_manager WHERE branch_id = $1))))`;

/** The customers a branch's devices must hold now. */
export const scopeOf = `
  SELECT c.id, c.version, c.record, c.content_hash FROM customer c WHERE ${inBranchScope}`;

export async function scopeBucket(
  db: Database,
  branchId: string,
  bucket: string,
): Promise<{ customerId: string; version: number; hash: string }[]> {
  const rows = await db.query<{
    id: string;
    version: number;
    content_hash: string | null;
    record: unknown;
  }>(
    `SELECT s.id, s.version, s.content_hash, CASE WHEN s.content_hash IS NULL THEN s.record END AS record
     FROM (${scopeOf}) AS s WHERE substr(s.id::text, 1, 2) = $2 ORDER BY s.id`,
    [branchId, bucket],
  );
  return rows.map((row) => ({
    customerId: row.id,
    version: row.version,
    hash: row.content_hash ?? contentHash(row.record),
  }));
}

export async function fetchInScope(db: Database, branchId: string, ids: string[]) {
  const rows = await db.query<{ id: string; version: number; record: Record<string, unknown> }>(
    `SELECT s.id, s.version, s.record FROM (${scopeOf}) AS s WHERE s.id = ANY($2::uuid[])`,
    [branchId, ids],
  );
  return rows.map((row) => ({ customerId: row.id, version: row.version, customer: row.record }));
}

/** Every customer a branch's devices must hold, whole (for HQ staff and the sync proofs). */
export async function scopeOfBranch(db: Database, branchId: string) {
  const rows = await db.query<{ id: string; version: number; record: Record<string, unknown> }>(
    `SELECT s.id, s.version, s.record FROM (${scopeOf}) AS s ORDER BY s.id`,
    [branchId],
  );
  return rows.map((row) => ({ customerId: row.id, version: row.version, customer: row.record }));
}
