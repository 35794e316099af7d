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
 * Moves HQ's clock past a device's timestamp. Refuses (returns undefined, clock unchanged) a
 * timestamp further ahead of HQ's wall clock than any PC clock we tolerate.
 */
export async function receive(
  tx: Sql,
  remote: string,
  now = Date.now(),
): Promise<string | undefined> {
  const parsed = parseHlc(remote);
  if (!parsed || parsed.wall > now + MAX_CLOCK_AHEAD_MS) return undefined;
  return store(tx, receiveHlc(await lastIssued(tx), parsed, now, NODE));
}

/** HQ's clock now, for responses (without issuing a new timestamp). */
export async function current(tx: Sql, now = Date.now()): Promise<string> {
  const last = await lastIssued(tx, false);
  return formatHlc(last && last.wall >= now ? last : { wall: now, counter: 0, node: NODE });
}

/** HQ's clock now and its epoch, in one round trip (a pull's answer carries both). */
export async function currentWithEpoch(
  tx: Sql,
  now = Date.now(),
): Promise<{ hlc: string; epoch: string }> {
  const [row] = await tx.query<{ last: string | null; epoch: string | null }>(
    `SELECT (SELECT last FROM hlc_state WHERE singleton) AS last,
            (SELECT epoch FROM hq_epoch ORDER BY n DESC LIMIT 1) AS epoch`,
  );
  if (!row?.epoch) throw new Error('HQ has no epoch: run the migrations');
  const last = row.last ? parseHlc(row.last) : undefined;
  return {
    hlc: formatHlc(last && last.wall >= now ? last : { wall: now, counter: 0, node: NODE }),
    epoch: row.epoch,
  };
}
