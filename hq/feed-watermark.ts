// The change feed's watermark: the highest change_seq below which no change can still commit.
// Transactions draw change_seq from one sequence and commit in any order: a pull that served
// seq 21 while the transaction holding seq 20 was still open would move the device's cursor
// past 20 for good. So a pull serves only up to a watermark that every writer still in flight is
// above.
//
// Which seqs may still commit is told by the feed's writers themselves (HQ migration 28): each
// takes a shared advisory lock before it draws a change_seq and holds it until it ends. A point
// (v, writers) is noted by reading the sequence's last value v, then the transactions holding
// the lock: every seq up to v was drawn by one of them or by a transaction already ended. Once
// none of those writers holds the lock any more, all of them have ended and their commits are
// visible, so a snapshot taken after that sees every change up to v that will ever commit.
// Nothing but the feed's own writers (a push, an HQ edit, a reassignment) can hold a pull back:
// not sign-ins, audit uploads, other pulls or rate-limit counts.
import type { Database } from './db/database';
import { lastChangeSeq } from './epoch';

interface Point {
  v: number;
  /** When the reading of v had come back (performance.now()). */
  readAt: number;
  /** The writers in flight when the point was noted; none once they have all ended. */
  writers: string[];
}

/** How long a pull waits for the writers in flight at its start before serving less. */
const SETTLE_MS = 250;

/** A database's points not yet superseded, and the look at the writers under way, if one is. */
interface Points {
  list: Point[];
  looking?: Promise<void> | undefined;
}

/** Per database (one HQ process may open several). */
const pointsOf = new WeakMap<Database, Points>();

/** The highest point whose writers have all ended, and drops the points it supersedes. */
function best(points: Point[]): number {
  let top: Point | undefined;
  for (const point of points)
    if (point.writers.length === 0 && (!top || point.v > top.v)) top = point;
  if (!top) return 0;
  const keep = points.filter((point) => point === top || point.v > top.v);
  points.splice(0, points.length, ...keep);
  return top.v;
}

/**
 * Looks at the writers now: a point none of whose writers still holds the lock is clear. Pulls
 * that look at the same moment share one look (reading `pg_locks` visits every lock partition).
 */
async function look(db: Database, points: Points): Promise<void> {
  points.looking ??= (async () => {
    try {
      // Only the points noted before the lock's holders are read: a point noted meanwhile may
      // name a writer that took the lock after the reading, which the reading cannot show.
      const before = [...points.list];
      const [row] = await db.query<{ writers: string[] }>('SELECT feed_writers() AS writers');
      const live = new Set(row!.writers);
      for (const point of before)
        if (point.writers.some((writer) => !live.has(writer)))
          point.writers = point.writers.filter((writer) => live.has(writer));
    } finally {
      points.looking = undefined;
    }
  })();
  await points.looking;
}

export interface Feed {
  /** The change sequence's last value when the feed was opened. */
  readonly lastSeq: number;
  /**
   * The watermark for a snapshot taken after this returns (call it before the snapshot's
   * transaction begins): every change up to it that will ever commit is in that snapshot.
   */
  watermark(): Promise<number>;
  /** Waits a moment (at most SETTLE_MS) for the writers in flight at the feed's opening to end. */
  settle(): Promise<void>;
}

/**
 * Before a pull's snapshot: notes a point. A writer slower than `settle` waits for holds the
 * watermark below its seq until it ends; the pull then serves less, never skips.
 */
export async function openFeed(db: Database): Promise<Feed> {
  let points = pointsOf.get(db);
  if (!points) pointsOf.set(db, (points = { list: [] }));
  const all = points;
  const askedAt = performance.now();
  const v = await lastChangeSeq(db);
  // The sequence went back (a database restored under a running HQ): older points are void. A
  // higher point read while this reading was under way says nothing of the kind (two pulls'
  // answers can come back in either order).
  if (all.list.some((point) => point.v > v && point.readAt < askedAt)) all.list.length = 0;
  // Most pulls come while the sequence stands where an earlier pull found it. That point serves
  // (its writers were read after v, as they would be now), or a higher one that is clear does:
  // the lock's holders are read only for a value of the sequence not seen before.
  const seen = v <= best(all.list) || all.list.some((point) => point.v === v);
  if (!seen) {
    // In this order: every seq up to v was drawn by a writer holding the lock when it is read.
    const [row] = await db.query<{ writers: string[] }>('SELECT feed_writers() AS writers');
    all.list.push({ v, readAt: performance.now(), writers: row!.writers });
  }
  /** The feed has served up to v: a point at or above it is clear. */
  const served = () => best(all.list) >= v;
  return {
    lastSeq: v,
    async settle() {
      // A push takes a few milliseconds: the first look comes after one would have ended.
      for (
        let waited = 0, delay = 4;
        waited < SETTLE_MS && !served();
        waited += delay, delay = Math.min(delay * 2, 50)
      ) {
        await new Promise((resolve) => setTimeout(resolve, delay));
        await look(db, all);
      }
    },
    async watermark() {
      // A point above the best clear one may have cleared since it was noted.
      const top = best(all.list);
      if (all.list.some((point) => point.v > top)) await look(db, all);
      return best(all.list);
    },
  };
}
