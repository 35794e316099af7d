// The change feed's watermark: the highest change_seq below which no change can still commit.
// Transactions draw change_seq from one sequence and commit in any order: a pull that served
// seq 21 while the transaction holding seq 20 was still open would move the device's cursor
// past 20 for good. So a pull serves only up to a watermark that every transaction still in
// flight is above.
//
// Which seqs may still commit is told by transaction ids (the same on PostgreSQL and PGlite).
// Every change_seq is drawn by a transaction that already has its id (HQ migration 10). A point
// (v, xid) is noted by reading the sequence's last value v, then taking a new transaction id
// xid: every seq up to v was drawn by a transaction whose id is below xid. Once the oldest
// transaction still running (a snapshot's xmin) is at xid or later, all of those have ended,
// and a snapshot taken then sees every change up to v that will ever commit.
import type { Database, Sql } from './db/database';
import { lastChangeSeq } from './epoch';

interface Point {
  v: number;
  xid: bigint;
}

/** How long a pull waits for the writers in flight at its start before serving less. */
const SETTLE_MS = 250;

/** Points not yet superseded, oldest first; per database (one HQ process may open several). */
const pointsOf = new WeakMap<Database, Point[]>();

async function snapshotXmin(db: Sql): Promise<bigint> {
  const [row] = await db.query<{ xmin: string }>(
    'SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS xmin',
  );
  return BigInt(row!.xmin);
}

export interface Feed {
  /** The change sequence's last value when the feed was opened. */
  readonly lastSeq: number;
  /**
   * The watermark for the pull's snapshot: call inside its transaction. Changes up to it that
   * will ever commit are all in the snapshot.
   */
  watermark(tx: Sql): Promise<number>;
}

/**
 * Before a pull's snapshot: notes a point. `settle` then waits a moment (at most SETTLE_MS) for
 * the transactions in flight at the point to end, so that a snapshot taken after it serves what
 * had committed by the point. A writer slower than that holds the watermark below its seq until
 * it ends; the pull then serves less, never skips.
 */
export async function openFeed(db: Database): Promise<Feed & { settle(): Promise<void> }> {
  let points = pointsOf.get(db);
  if (!points) pointsOf.set(db, (points = []));
  const v = await lastChangeSeq(db);
  // The sequence went back (a database restored under a running HQ): older points are void.
  if (points.some((point) => point.v > v)) points.length = 0;
  const [row] = await db.query<{ xid: string }>('SELECT pg_current_xact_id()::text AS xid');
  const noted = { v, xid: BigInt(row!.xid) };
  points.push(noted);
  const all = points;
  return {
    lastSeq: v,
    async settle() {
      // A push takes a few milliseconds: the first look comes after one would have ended.
      for (
        let waited = 0, delay = 4;
        waited < SETTLE_MS;
        waited += delay, delay = Math.min(delay * 2, 50)
      ) {
        if ((await snapshotXmin(db)) >= noted.xid) break;
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    },
    async watermark(tx) {
      const xmin = await snapshotXmin(tx);
      let best: Point | undefined;
      for (const point of all) if (point.xid <= xmin && (!best || point.v > best.v)) best = point;
      if (!best) return 0;
      // Safe points below the best one can never give a higher watermark again.
      const keep = all.filter((point) => point === best || point.xid > xmin);
      all.splice(0, all.length, ...keep);
      return best.v;
    },
  };
}
