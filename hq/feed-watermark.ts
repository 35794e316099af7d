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

interface Point {
  v: number;
  /** The writers in flight when the point was noted; none once they have all ended. */
  writers: string[];
}

/** How long a pull waits for the writers in flight at its start before serving less. */
const SETTLE_MS = 250;

/** Points not yet superseded, oldest first; per database (one HQ process may open several). */
const pointsOf = new WeakMap<Database, Point[]>();

async function writersNow(db: Database): Promise<Set<string>> {
  const [row] = await db.query<{ writers: string[] }>('SELECT feed_writers() AS writers');
  return new Set(row!.writers);
}

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
  if (!points) pointsOf.set(db, (points = []));
  const [row] = await db.query<{ last: string; writers: string[] }>(
    'SELECT last, writers FROM feed_point()',
  );
  const noted: Point = { v: Number(row!.last), writers: row!.writers };
  // The sequence went back (a database restored under a running HQ): older points are void.
  if (points.some((point) => point.v > noted.v)) points.length = 0;
  points.push(noted);
  const all = points;
  /** Looks at the writers now: a point none of whose writers still holds the lock is clear. */
  const look = async () => {
    const live = await writersNow(db);
    for (const point of new Set([...all, noted]))
      if (point.writers.some((writer) => !live.has(writer)))
        point.writers = point.writers.filter((writer) => live.has(writer));
  };
  return {
    lastSeq: noted.v,
    async settle() {
      // A push takes a few milliseconds: the first look comes after one would have ended.
      for (
        let waited = 0, delay = 4;
        waited < SETTLE_MS && noted.writers.length > 0 && best(all) < noted.v;
        waited += delay, delay = Math.min(delay * 2, 50)
      ) {
        await new Promise((resolve) => setTimeout(resolve, delay));
        await look();
      }
    },
    async watermark() {
      // A point above the best clear one may have cleared since it was noted.
      const top = best(all);
      if (all.some((point) => point.v > top && point.writers.length > 0)) await look();
      return best(all);
    },
  };
}
