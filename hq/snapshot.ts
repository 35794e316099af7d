// The initial-sync snapshot: a device's whole scope in customer-id order, a chunk at a time
// (`GET /v1/snapshot`, docs/SYNC-PROTOCOL.md "Initial sync"). The change feed sends a new device
// every change of its scope and folds them to one per customer; the snapshot reads each customer
// once, by a range seek from the last one sent, and passes each record's JSON text through as
// PostgreSQL wrote it: HQ never parses the records it sends, nor serialises them again.
import type { Sql } from './db/database';
import { inBranchScope } from './scope';

export interface SnapshotRows {
  /** The records' JSON texts, in id order within their part. */
  records: string[];
  /** Where the next chunk starts (a SnapshotPosition), or null after the last. */
  next: string | null;
}

/**
 * Up to `limit` customers of branch `branchId`'s scope after `after` (a SnapshotPosition; none:
 * the start). The scope (`inBranchScope`, hq/scope.ts) is read in two parts, each in id order
 * by an index range seek, so a chunk costs the rows it sends whatever the table holds: first
 * the branch's own customers (`home`), then those of other branches that one of its RMs looks
 * after (`rm`: usually few; their query reads the RMs' customers, so it runs once or twice).
 */
export async function snapshotRows(
  db: Sql,
  branchId: string,
  after: string | undefined,
  limit: number,
): Promise<SnapshotRows> {
  const [part, from] = parsePosition(after);
  const rows = await db.query<{ id: string; record: string }>(
    part === 'home'
      ? `SELECT c.id, c.record::text AS record FROM customer c
         WHERE c.home_branch_id = $1 AND c.id > $2 AND c.merged_into IS NULL
         ORDER BY c.home_branch_id, c.id LIMIT $3`
      : `SELECT c.id, c.record::text AS record FROM customer c
         WHERE c.assigned_rm_id IN (SELECT r.id FROM relationship_manager r WHERE r.branch_id = $1)
           AND c.home_branch_id <> $1 AND c.id > $2 AND c.merged_into IS NULL
         ORDER BY c.id LIMIT $3`,
    [branchId, from, limit],
  );
  const full = rows.length === limit;
  return {
    records: rows.map((row) => row.record),
    next: full ? `${part}:${rows.at(-1)!.id}` : part === 'home' ? 'rm:' : null,
  };
}

const FIRST_ID = '00000000-0000-0000-0000-000000000000';

/** `home:<id>` / `rm:<id>`: after that customer in that part; `rm:` the start of the RM part. */
function parsePosition(after: string | undefined): ['home' | 'rm', string] {
  if (after === undefined) return ['home', FIRST_ID];
  const [part, id] = after.split(':') as ['home' | 'rm', string];
  return [part, id || FIRST_ID];
}

/** How many customers a branch's scope holds (the first chunk tells the device, for progress). */
export async function scopeSize(db: Sql, branchId: string): Promise<number> {
  const [row] = await db.query<{ count: string }>(
    `SELECT count(*) AS count FROM customer c WHERE ${inBranchScope}`,
    [branchId],
  );
  return Number(row?.count ?? 0);
}
