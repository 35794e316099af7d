// HQ's hybrid logical clock, one row in the database, read and advanced inside the transaction
// that uses it: every HQ process (and every restart) continues from the latest timestamp issued.
import {
  formatHlc,
  MAX_CLOCK_AHEAD_MS,
  parseHlc,
  receiveHlc,
  tickHlc,
  type Hlc,
} from '../shared/sync/hlc';
import type { Sql } from './db/database';

const NODE = 'hq';

async function lastIssued(tx: Sql, forUpdate = true): Promise<Hlc | undefined> {
  const [row] = await tx.query<{ last: string }>(
    `SELECT last FROM hlc_state WHERE singleton${forUpdate ? ' FOR UPDATE' : ''}`,
  );
  return row ? parseHlc(row.last) : undefined;
}

async function store(tx: Sql, hlc: Hlc): Promise<string> {
  const text = formatHlc(hlc);
  await tx.query(
    `INSERT INTO hlc_state (singleton, last) VALUES (true, $1)
     ON CONFLICT (singleton) DO UPDATE SET last = excluded.last`,
    [text],
  );
  return text;
}

/** A timestamp for an event at HQ (an edit by HQ staff). */
export async function tick(tx: Sql, now = Date.now()): Promise<string> {
  return store(tx, tickHlc(await lastIssued(tx), now, NODE));
}

/** Whether HQ takes a device's timestamp: readable, and not further ahead than any PC we tolerate. */
export function acceptable(remote: string, now = Date.now()): boolean {
  const parsed = parseHlc(remote);
  return parsed !== undefined && parsed.wall <= now + MAX_CLOCK_AHEAD_MS;
}

/**
 * The least HQ's clock must reach once it has received a device's timestamp: later than it (and
 * than `now`). Undefined for a timestamp further ahead of HQ's wall clock than any PC clock we
 * tolerate, which moves the clock nowhere. `advancedPast` writes it.
 */
export function floorAfter(remote: string, now = Date.now()): string | undefined {
  const parsed = parseHlc(remote);
  if (!parsed || parsed.wall > now + MAX_CLOCK_AHEAD_MS) return undefined;
  return formatHlc(receiveHlc(undefined, parsed, now, NODE));
}

/**
 * A CTE (`advanced`) that moves HQ's clock up to the floor in parameter `$n` (`floorAfter`; null
 * moves nothing), to ride in the statement that stores a push's outcome: the clock's row is then
 * held from that statement to the commit only, one round trip, instead of from a read at the
 * push's end. The clock keeps the later of what it held and the floor, so it is past the device's
 * timestamp, and the next `tick` is later still. Compared as bytes: the text is fixed-width.
 */
export const advancedPast = (n: number) => `advanced AS (
  INSERT INTO hlc_state AS h (singleton, last) SELECT true, $${n}::text WHERE $${n}::text IS NOT NULL
  ON CONFLICT (singleton) DO UPDATE SET last = greatest(h.last COLLATE "C", excluded.last COLLATE "C"))`;

/** HQ's clock now, for responses (without issuing a new timestamp). */
export async function current(tx: Sql, now = Date.now()): Promise<string> {
  const last = await lastIssued(tx, false);
  return formatHlc(answerClock(last, now));
}

/** HQ's clock now from the last timestamp it issued (as `hlc_state` holds it), for a response. */
export function currentFrom(lastIssuedText: string | null, now = Date.now()): string {
  return formatHlc(answerClock(lastIssuedText ? parseHlc(lastIssuedText) : undefined, now));
}

/** The last timestamp issued while it is not behind the wall clock, else the wall clock. */
function answerClock(last: Hlc | undefined, now: number): Hlc {
  return last && last.wall >= now ? last : { wall: now, counter: 0, node: NODE };
}

/** The columns `currentWithEpoch` reads, for a statement that reads them with more. */
export const clockAndEpochColumns = `(SELECT last FROM hlc_state WHERE singleton) AS last,
            (SELECT epoch FROM hq_epoch ORDER BY n DESC LIMIT 1) AS epoch`;

/** HQ's clock and epoch as a response carries them, from the columns `clockAndEpochColumns` read. */
export function clockAndEpochFrom(
  row: { last: string | null; epoch: string | null } | undefined,
  now = Date.now(),
): { hlc: string; epoch: string } {
  if (!row?.epoch) throw new Error('HQ has no epoch: run the migrations');
  return { hlc: currentFrom(row.last, now), epoch: row.epoch };
}

/** HQ's clock now and its epoch, in one round trip (a push's answer carries both). */
export async function currentWithEpoch(
  db: Sql,
  now = Date.now(),
): Promise<{ hlc: string; epoch: string }> {
  const [row] = await db.query<{ last: string | null; epoch: string | null }>(
    `SELECT ${clockAndEpochColumns}`,
  );
  return clockAndEpochFrom(row, now);
}
