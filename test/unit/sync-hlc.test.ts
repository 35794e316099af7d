// Hybrid logical clocks: the string form, and the ordering guarantees sync relies on.
import { describe, expect, it } from 'vitest';
import {
  type Hlc,
  compareHlc,
  formatHlc,
  HLC_PATTERN,
  MAX_CLOCK_AHEAD_MS,
  parseHlc,
  receiveHlc,
  tickHlc,
} from '../../shared/sync/hlc';

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;
/** 2025-11-27, a realistic wall clock with 13 digits. */
const T = 1_764_241_234_567;

/** A small seeded generator (mulberry32), so a failing run can be replayed. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function tupleOrder(a: Hlc, b: Hlc): number {
  if (a.wall !== b.wall) return a.wall < b.wall ? -1 : 1;
  if (a.counter !== b.counter) return a.counter < b.counter ? -1 : 1;
  return a.node < b.node ? -1 : a.node > b.node ? 1 : 0;
}

/** Asserts that `later` is strictly after `earlier`, both as strings and as tuples. */
function expectAfter(later: Hlc, earlier: Hlc): void {
  expect(compareHlc(formatHlc(later), formatHlc(earlier))).toBeGreaterThan(0);
  expect(compareHlc(formatHlc(earlier), formatHlc(later))).toBeLessThan(0);
  expect(tupleOrder(later, earlier)).toBeGreaterThan(0);
}

describe('the string form of a hybrid logical clock', () => {
  it('is fixed width: 15 digits of wall, 5 of counter, then the node', () => {
    expect(formatHlc({ wall: T, counter: 3, node: 'dev-1' })).toBe('001764241234567-00003-dev-1');
    expect(formatHlc({ wall: 0, counter: 0, node: 'hq' })).toBe('000000000000000-00000-hq');
    expect(formatHlc({ wall: 999_999_999_999_999, counter: 99_999, node: 'hq' })).toBe(
      '999999999999999-99999-hq',
    );
  });

  it.each<Hlc>([
    { wall: T, counter: 0, node: 'hq' },
    { wall: T, counter: 42, node: 'dev-7f3a' },
    { wall: 0, counter: 99_999, node: 'a' },
    { wall: 999_999_999_999_999, counter: 1, node: 'Branch_01.pc:2-x' },
    { wall: 1, counter: 1, node: 'n'.repeat(64) },
  ])('round-trips %o through format and parse', (hlc) => {
    const text = formatHlc(hlc);
    expect(HLC_PATTERN.test(text)).toBe(true);
    expect(parseHlc(text)).toEqual(hlc);
    expect(formatHlc(parseHlc(text)!)).toBe(text);
  });

  it('parses the fields as numbers, not strings', () => {
    const parsed = parseHlc('001764241234567-00042-hq');
    expect(parsed).toEqual({ wall: T, counter: 42, node: 'hq' });
    expect(typeof parsed?.wall).toBe('number');
    expect(typeof parsed?.counter).toBe('number');
  });

  it.each([
    ['an empty string', ''],
    ['a wall of 14 digits', '01764241234567-00003-hq'],
    ['a wall of 16 digits', '0001764241234567-00003-hq'],
    ['a counter of 4 digits', '001764241234567-0003-hq'],
    ['a counter of 6 digits', '001764241234567-000003-hq'],
    ['an empty node', '001764241234567-00003-'],
    ['no node at all', '001764241234567-00003'],
    ['a node of 65 characters', `001764241234567-00003-${'n'.repeat(65)}`],
    ['a node with a space', '001764241234567-00003-dev 1'],
    ['a node with a slash', '001764241234567-00003-dev/1'],
    ['a node with non-ASCII letters', '001764241234567-00003-総行'],
    ['letters in the wall', '00176424123456x-00003-hq'],
    ['letters in the counter', '001764241234567-0000a-hq'],
    ['a negative wall', '-01764241234567-00003-hq'],
    ['non-ASCII digits', '٠٠١٧٦٤٢٤١٢٣٤٥٦٧-00003-hq'],
    ['another separator', '001764241234567_00003_hq'],
    ['leading text', 'x001764241234567-00003-hq'],
    ['a trailing newline', '001764241234567-00003-hq\n'],
    ['surrounding spaces', ' 001764241234567-00003-hq '],
  ])('refuses %s', (_label, text) => {
    expect(HLC_PATTERN.test(text)).toBe(false);
    expect(parseHlc(text)).toBeUndefined();
  });

  it('accepts a node of exactly 64 characters from the allowed set', () => {
    const node = 'aZ9._:-'.repeat(10).slice(0, 64);
    expect(node).toHaveLength(64);
    expect(parseHlc(`001764241234567-00003-${node}`)?.node).toBe(node);
  });

  it('sorts as strings exactly like (wall, counter, node) tuples', () => {
    const random = seeded(7);
    const nodes = ['hq', 'a', 'a-b', 'a.b', 'B', 'dev-1', 'dev-10', 'dev-2', 'z:9'];
    const walls = [0, 9, 10, 99, 100, T - 1, T, T + 1, 10 * T];
    const clocks: Hlc[] = [];
    for (let i = 0; i < 400; i += 1) {
      clocks.push({
        wall: walls[Math.floor(random() * walls.length)]!,
        counter: [0, 1, 9, 10, 99_998, 99_999][Math.floor(random() * 6)]!,
        node: nodes[Math.floor(random() * nodes.length)]!,
      });
    }
    const byString = clocks.map(formatHlc).sort(compareHlc);
    const byTuple = [...clocks].sort(tupleOrder).map(formatHlc);
    expect(byString).toEqual(byTuple);
    for (const a of clocks.slice(0, 60)) {
      for (const b of clocks.slice(0, 60)) {
        expect(Math.sign(compareHlc(formatHlc(a), formatHlc(b)))).toBe(Math.sign(tupleOrder(a, b)));
      }
    }
  });

  it('orders a later millisecond first even when the earlier one has a bigger counter', () => {
    // Plain numbers would sort 99 after 100 as strings; the padding is what prevents it.
    expectAfter({ wall: 100, counter: 0, node: 'a' }, { wall: 99, counter: 99_999, node: 'z' });
    expectAfter({ wall: T, counter: 10, node: 'a' }, { wall: T, counter: 9, node: 'z' });
    expectAfter({ wall: T, counter: 9, node: 'b' }, { wall: T, counter: 9, node: 'a' });
  });

  it('compares equal strings as zero', () => {
    const text = formatHlc({ wall: T, counter: 1, node: 'hq' });
    expect(compareHlc(text, `${text}`)).toBe(0);
  });
});

describe('tickHlc, the timestamp of a local event', () => {
  it('starts at the wall clock with counter 0 when there is no previous timestamp', () => {
    expect(tickHlc(undefined, T, 'dev-1')).toEqual({ wall: T, counter: 0, node: 'dev-1' });
  });

  it('takes the wall clock and resets the counter when the clock has moved on', () => {
    expect(tickHlc({ wall: T, counter: 17, node: 'other' }, T + 5, 'dev-1')).toEqual({
      wall: T + 5,
      counter: 0,
      node: 'dev-1',
    });
  });

  it('counts up within the same millisecond', () => {
    expect(tickHlc({ wall: T, counter: 17, node: 'dev-1' }, T, 'dev-1')).toEqual({
      wall: T,
      counter: 18,
      node: 'dev-1',
    });
  });

  it('is strictly increasing across many calls with a clock that stands still', () => {
    let last = tickHlc(undefined, T, 'dev-1');
    for (let i = 0; i < 2_000; i += 1) {
      const next = tickHlc(last, T, 'dev-1');
      expectAfter(next, last);
      last = next;
    }
    expect(last).toEqual({ wall: T, counter: 2_000, node: 'dev-1' });
  });

  it('is strictly increasing when the clock is set back a day, and never goes back with it', () => {
    let last = tickHlc(undefined, T, 'dev-1');
    for (let i = 0; i < 1_000; i += 1) {
      const next = tickHlc(last, T - DAY + i, 'dev-1');
      expectAfter(next, last);
      expect(next.wall).toBe(T);
      last = next;
    }
    // Once the wall clock passes the last timestamp again, it takes over.
    expect(tickHlc(last, T + 1, 'dev-1')).toEqual({ wall: T + 1, counter: 0, node: 'dev-1' });
  });

  it('is strictly increasing with a clock that jumps back and forth at random', () => {
    const random = seeded(42);
    let last: Hlc | undefined;
    let now = T;
    for (let i = 0; i < 3_000; i += 1) {
      now += Math.floor((random() - 0.5) * 2 * (random() < 0.05 ? DAY : 3));
      const next = tickHlc(last, now, 'dev-1');
      if (last) expectAfter(next, last);
      expect(next.wall).toBeGreaterThanOrEqual(now);
      last = next;
    }
  });

  it('borrows the next millisecond when the counter would pass 99999', () => {
    const full: Hlc = { wall: T, counter: 99_999, node: 'dev-1' };
    const next = tickHlc(full, T, 'dev-1');
    expect(next).toEqual({ wall: T + 1, counter: 0, node: 'dev-1' });
    expectAfter(next, full);
    expect(parseHlc(formatHlc(next))).toEqual(next);
    // The clock standing still after the borrow keeps counting from the borrowed millisecond.
    expect(tickHlc(next, T, 'dev-1')).toEqual({ wall: T + 1, counter: 1, node: 'dev-1' });
  });

  it('stays ordered and parseable across the counter overflow', () => {
    let last: Hlc = { wall: T, counter: 99_990, node: 'dev-1' };
    const seen = [formatHlc(last)];
    for (let i = 0; i < 30; i += 1) {
      const next = tickHlc(last, T, 'dev-1');
      expectAfter(next, last);
      expect(next.counter).toBeLessThanOrEqual(99_999);
      expect(parseHlc(formatHlc(next))).toEqual(next);
      seen.push(formatHlc(next));
      last = next;
    }
    expect(last).toEqual({ wall: T + 1, counter: 20, node: 'dev-1' });
    expect([...seen].sort(compareHlc)).toEqual(seen);
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('stamps the node it is given', () => {
    expect(tickHlc({ wall: T, counter: 0, node: 'hq' }, T, 'dev-2').node).toBe('dev-2');
  });
});

describe('receiveHlc, the clock after a message arrives', () => {
  it('takes the wall clock with counter 0 when it is ahead of both', () => {
    expect(
      receiveHlc(
        { wall: T - 10, counter: 5, node: 'dev-1' },
        { wall: T - 20, counter: 9, node: 'hq' },
        T,
        'dev-1',
      ),
    ).toEqual({ wall: T, counter: 0, node: 'dev-1' });
  });

  it('moves past a remote clock a day ahead of its own', () => {
    const last: Hlc = { wall: T, counter: 3, node: 'dev-1' };
    const remote: Hlc = { wall: T + DAY, counter: 7, node: 'hq' };
    const next = receiveHlc(last, remote, T, 'dev-1');
    expect(next).toEqual({ wall: T + DAY, counter: 8, node: 'dev-1' });
    expectAfter(next, last);
    expectAfter(next, remote);
    // And the next local event stays after it, although the wall clock is a day behind.
    expectAfter(tickHlc(next, T + 1, 'dev-1'), remote);
  });

  it('stays after its own last timestamp when the remote clock is a day behind', () => {
    const last: Hlc = { wall: T, counter: 2, node: 'dev-1' };
    const remote: Hlc = { wall: T - DAY, counter: 50, node: 'dev-2' };
    const next = receiveHlc(last, remote, T, 'dev-1');
    expect(next).toEqual({ wall: T, counter: 3, node: 'dev-1' });
    expectAfter(next, last);
    expectAfter(next, remote);
  });

  it('stays after both when its own wall clock is a day behind them', () => {
    const last: Hlc = { wall: T, counter: 4, node: 'dev-1' };
    const remote: Hlc = { wall: T + 10, counter: 1, node: 'hq' };
    const next = receiveHlc(last, remote, T - DAY, 'dev-1');
    expect(next).toEqual({ wall: T + 10, counter: 2, node: 'dev-1' });
    expectAfter(next, last);
    expectAfter(next, remote);
  });

  it('counts past the larger counter when both clocks share the millisecond', () => {
    const last: Hlc = { wall: T, counter: 4, node: 'dev-1' };
    expect(receiveHlc(last, { wall: T, counter: 9, node: 'hq' }, T, 'dev-1')).toEqual({
      wall: T,
      counter: 10,
      node: 'dev-1',
    });
    expect(receiveHlc(last, { wall: T, counter: 1, node: 'hq' }, T - 5, 'dev-1')).toEqual({
      wall: T,
      counter: 5,
      node: 'dev-1',
    });
  });

  it('counts past the remote counter when the remote clock equals the wall clock', () => {
    const next = receiveHlc(
      { wall: T - 1, counter: 50, node: 'dev-1' },
      { wall: T, counter: 6, node: 'hq' },
      T,
      'dev-1',
    );
    expect(next).toEqual({ wall: T, counter: 7, node: 'dev-1' });
  });

  it('counts past its own counter when its last timestamp equals the wall clock', () => {
    const next = receiveHlc(
      { wall: T, counter: 8, node: 'dev-1' },
      { wall: T - 1, counter: 60, node: 'hq' },
      T,
      'dev-1',
    );
    expect(next).toEqual({ wall: T, counter: 9, node: 'dev-1' });
  });

  it('works with no previous timestamp, or no remote one', () => {
    const remote: Hlc = { wall: T + HOUR, counter: 3, node: 'hq' };
    expect(receiveHlc(undefined, remote, T, 'dev-1')).toEqual({
      wall: T + HOUR,
      counter: 4,
      node: 'dev-1',
    });
    expect(receiveHlc(undefined, undefined, T, 'dev-1')).toEqual({
      wall: T,
      counter: 0,
      node: 'dev-1',
    });
    const last: Hlc = { wall: T, counter: 3, node: 'dev-1' };
    expect(receiveHlc(last, undefined, T, 'dev-1')).toEqual({ wall: T, counter: 4, node: 'dev-1' });
  });

  it('borrows the next millisecond when either counter is full', () => {
    const remoteFull = receiveHlc(
      { wall: T, counter: 1, node: 'dev-1' },
      { wall: T + 5, counter: 99_999, node: 'hq' },
      T,
      'dev-1',
    );
    expect(remoteFull).toEqual({ wall: T + 6, counter: 0, node: 'dev-1' });
    expectAfter(remoteFull, { wall: T + 5, counter: 99_999, node: 'hq' });

    const localFull = receiveHlc(
      { wall: T, counter: 99_999, node: 'dev-1' },
      { wall: T, counter: 3, node: 'hq' },
      T,
      'dev-1',
    );
    expect(localFull).toEqual({ wall: T + 1, counter: 0, node: 'dev-1' });
  });

  it('is later than both inputs for any mix of clocks', () => {
    const random = seeded(99);
    const offsets = [-DAY, -HOUR, -1, 0, 1, HOUR, DAY];
    const counters = [0, 1, 500, 99_998, 99_999];
    const pick = <Item>(items: readonly Item[]): Item =>
      items[Math.floor(random() * items.length)]!;
    for (let i = 0; i < 2_000; i += 1) {
      const last: Hlc = { wall: T + pick(offsets), counter: pick(counters), node: 'dev-1' };
      const remote: Hlc = { wall: T + pick(offsets), counter: pick(counters), node: 'hq' };
      const now = T + pick(offsets);
      const next = receiveHlc(last, remote, now, 'dev-1');
      expectAfter(next, last);
      expectAfter(next, remote);
      expect(next.wall).toBeGreaterThanOrEqual(now);
      expect(next.counter).toBeLessThanOrEqual(99_999);
      expect(parseHlc(formatHlc(next))).toEqual(next);
    }
  });
});

describe('causality across devices with skewed clocks', () => {
  interface Event {
    hlc: string;
    /** Vector clock: how many events of each node happened before or at this one. */
    vector: number[];
  }

  function happenedBefore(a: Event, b: Event): boolean {
    return (
      a.vector.every((count, i) => count <= b.vector[i]!) &&
      a.vector.some((c, i) => c < b.vector[i]!)
    );
  }

  it.each([1, 2, 3, 2024])('orders every event after all it could have seen (seed %i)', (seed) => {
    const random = seeded(seed);
    const nodes = ['hq', 'dev-a', 'dev-b'];
    // Each node's wall clock is off by up to a day either way, and drifts while the test runs.
    const skew = nodes.map(() => Math.round((random() * 2 - 1) * DAY));
    const last: (Hlc | undefined)[] = nodes.map(() => undefined);
    const vectors = nodes.map(() => nodes.map(() => 0));
    const inFlight: { to: number; hlc: Hlc; sent: Event }[] = [];
    const events: Event[] = [];
    const received: { sent: Event; at: Event }[] = [];
    let realTime = T;
    let highestWallClock = 0;

    const record = (node: number, hlc: Hlc): Event => {
      vectors[node]![node]! += 1;
      const event = { hlc: formatHlc(hlc), vector: [...vectors[node]!] };
      if (last[node]) expectAfter(hlc, last[node]);
      last[node] = hlc;
      events.push(event);
      return event;
    };

    for (let step = 0; step < 600; step += 1) {
      realTime += Math.floor(random() * 3); // often the same millisecond
      const node = Math.floor(random() * nodes.length);
      if (random() < 0.02) skew[node] = Math.round((random() * 2 - 1) * DAY); // clock reset
      const now = realTime + skew[node]!;
      highestWallClock = Math.max(highestWallClock, now);
      const action = random();
      if (action < 0.45 || inFlight.every((message) => message.to !== node)) {
        // A local event, which is sent to another node most of the time.
        const hlc = tickHlc(last[node], now, nodes[node]!);
        const event = record(node, hlc);
        if (action < 0.35) {
          const to = (node + 1 + Math.floor(random() * (nodes.length - 1))) % nodes.length;
          inFlight.push({ to, hlc, sent: event });
        }
      } else {
        // Deliver a message addressed here, not necessarily the oldest one.
        const waiting = inFlight.filter((message) => message.to === node);
        const message = waiting[Math.floor(random() * waiting.length)]!;
        inFlight.splice(inFlight.indexOf(message), 1);
        vectors[node] = vectors[node]!.map((count, i) => Math.max(count, message.sent.vector[i]!));
        const hlc = receiveHlc(last[node], message.hlc, now, nodes[node]!);
        const at = record(node, hlc);
        expectAfter(hlc, message.hlc);
        received.push({ sent: message.sent, at });
      }
      // The clock never runs ahead of the fastest wall clock seen (no counter overflow here).
      expect(last[node]!.wall).toBeLessThanOrEqual(highestWallClock);
    }

    expect(received.length).toBeGreaterThan(50);
    for (const { sent, at } of received) expect(compareHlc(at.hlc, sent.hlc)).toBeGreaterThan(0);
    // Every pair of events in happened-before order is in the same order by timestamp.
    let ordered = 0;
    for (const a of events) {
      for (const b of events) {
        if (!happenedBefore(a, b)) continue;
        ordered += 1;
        if (compareHlc(a.hlc, b.hlc) >= 0) {
          expect.fail(`${a.hlc} happened before ${b.hlc} but is not ordered before it`);
        }
      }
    }
    expect(ordered).toBeGreaterThan(events.length);
    expect(new Set(events.map((event) => event.hlc)).size).toBe(events.length);
  });
});

describe('MAX_CLOCK_AHEAD_MS', () => {
  it('is 36 hours, tolerating a PC clock a day off', () => {
    expect(MAX_CLOCK_AHEAD_MS).toBe(36 * 60 * 60 * 1000);
    expect(MAX_CLOCK_AHEAD_MS).toBe(129_600_000);
    expect(MAX_CLOCK_AHEAD_MS).toBeGreaterThan(DAY);
  });
});
