// Hybrid logical clocks (Kulkarni et al., 2014). A timestamp is the larger of the wall clock and
// the latest timestamp seen, plus a counter to order events within one millisecond, plus the
// node that made it. Sending and receiving carry the clock along, so an edit made after seeing
// another is always ordered after it, even on a PC whose clock is a day slow; a PC a day fast
// pulls every clock it talks to forward rather than reordering anything.
//
// Written as a fixed-width string, timestamps compare correctly as plain strings:
// `000001764241234567-00003-<node>`.

export interface Hlc {
  /** Milliseconds since the epoch: the wall clock, or a later timestamp already seen. */
  wall: number;
  /** Orders events with the same `wall`. */
  counter: number;
  /** Who made it: a device id, or `hq`. Breaks the last ties, so no two timestamps are equal. */
  node: string;
}

const WALL_DIGITS = 15;
const COUNTER_DIGITS = 5;
const MAX_COUNTER = 10 ** COUNTER_DIGITS - 1;
export const HLC_PATTERN = /^(\d{15})-(\d{5})-([A-Za-z0-9._:-]{1,64})$/u;

/**
 * How far ahead of its own wall clock HQ accepts a timestamp: a PC clock a day off either way is
 * tolerated; one further off would drag every clock in the bank forward, so its edits are refused.
 */
export const MAX_CLOCK_AHEAD_MS = 36 * 60 * 60 * 1000;

export function formatHlc(hlc: Hlc): string {
  return `${String(hlc.wall).padStart(WALL_DIGITS, '0')}-${String(hlc.counter).padStart(COUNTER_DIGITS, '0')}-${hlc.node}`;
}

export function parseHlc(text: string): Hlc | undefined {
  const match = HLC_PATTERN.exec(text);
  if (!match) return undefined;
  return { wall: Number(match[1]), counter: Number(match[2]), node: match[3]! };
}

/** Orders two formatted timestamps: negative, zero or positive. */
export function compareHlc(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The timestamp of a local event (an edit, a message sent), after `last`. */
export function tickHlc(last: Hlc | undefined, now: number, node: string): Hlc {
  const previous = last?.wall ?? 0;
  if (now > previous) return { wall: now, counter: 0, node };
  return advance(previous, last?.counter ?? 0, node);
}

/** The clock after receiving `remote`: later than both it and `last`. */
export function receiveHlc(
  last: Hlc | undefined,
  remote: Hlc | undefined,
  now: number,
  node: string,
): Hlc {
  const localWall = last?.wall ?? 0;
  const remoteWall = remote?.wall ?? 0;
  const wall = Math.max(localWall, remoteWall, now);
  if (wall === now && now > localWall && now > remoteWall) return { wall, counter: 0, node };
  const counter = Math.max(
    wall === localWall ? (last?.counter ?? 0) : -1,
    wall === remoteWall ? (remote?.counter ?? 0) : -1,
  );
  return advance(wall, counter, node);
}

/** The next counter at `wall`; past the last counter the clock borrows the next millisecond. */
function advance(wall: number, counter: number, node: string): Hlc {
  if (counter >= MAX_COUNTER) return { wall: wall + 1, counter: 0, node };
  return { wall, counter: counter + 1, node };
}

/** Whether a device's timestamp is further ahead of HQ's wall clock `now` than HQ accepts. */
export function isTooFarAhead(text: string, now: number): boolean {
  const parsed = parseHlc(text);
  return !parsed || parsed.wall > now + MAX_CLOCK_AHEAD_MS;
}

/**
 * Below this, a device's measured clock offset is network delay and ordinary drift: its
 * timestamps are taken as they are, and the clock's own causal order decides.
 */
export const CLOCK_OFFSET_TOLERANCE_MS = 2000;

/**
 * A device's timestamp in HQ's time: its wall moved back by the device's clock offset (its clock
 * minus HQ's, measured when the push arrived), never past `now`, HQ's clock at receipt. Counter
 * and node stay, as tie-breaks. A clock misset by a constant is thereby undone, however long the
 * edit waited offline; an offset within the tolerance is left alone.
 */
export function correctHlc(text: string, offsetMs: number, now: number): string {
  const parsed = parseHlc(text);
  if (!parsed || Math.abs(offsetMs) < CLOCK_OFFSET_TOLERANCE_MS) return text;
  const wall = Math.max(0, Math.min(parsed.wall - offsetMs, now));
  return formatHlc({ ...parsed, wall });
}
