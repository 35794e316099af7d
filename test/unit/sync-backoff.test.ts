// Backoff after failed syncs: a doubling cap, half of it fixed and half random, never past the max.
import { describe, expect, it } from 'vitest';
import { type BackoffPolicy, backoffDelay, syncBackoff } from '../../shared/sync/backoff';

/** Close to 1, far enough below it that the delay is exactly one below the cap. */
const NEAR_ONE = 0.999_999;
/** The largest value below 1: `random` is in [0, 1). */
const ALMOST_ONE = 1 - Number.EPSILON / 2;

function capOf(failures: number, policy: BackoffPolicy): number {
  return Math.min(policy.maxMs, policy.baseMs * 2 ** (failures - 1));
}

describe('backoffDelay', () => {
  it('uses a 1 s base and a 5 min ceiling for sync', () => {
    expect(syncBackoff).toEqual({ baseMs: 1_000, maxMs: 300_000 });
  });

  it('does not wait before the first attempt', () => {
    for (const random of [0, 0.5, ALMOST_ONE]) {
      expect(backoffDelay(0, random)).toBe(0);
      expect(backoffDelay(-1, random)).toBe(0);
      expect(backoffDelay(-100, random, { baseMs: 500, maxMs: 10_000 })).toBe(0);
    }
  });

  it('doubles the cap with each failure: exact delays at the extremes of random', () => {
    const expected = [
      [1, 500, 999],
      [2, 1_000, 1_999],
      [3, 2_000, 3_999],
      [4, 4_000, 7_999],
      [5, 8_000, 15_999],
      [6, 16_000, 31_999],
      [7, 32_000, 63_999],
      [8, 64_000, 127_999],
      [9, 128_000, 255_999],
      [10, 150_000, 299_999],
      [11, 150_000, 299_999],
    ] as const;
    for (const [failures, least, most] of expected) {
      expect(backoffDelay(failures, 0)).toBe(least);
      expect(backoffDelay(failures, NEAR_ONE)).toBe(most);
      expect(backoffDelay(failures, 0.5)).toBe(Math.floor((most + 1) * 0.75));
    }
  });

  it('stays within [cap/2, cap] for any random value, and is an integer', () => {
    const policies: BackoffPolicy[] = [
      syncBackoff,
      { baseMs: 250, maxMs: 60_000 },
      { baseMs: 1, maxMs: 1_000 },
      { baseMs: 3, maxMs: 7 },
    ];
    const randoms = [0, 1e-9, 0.1, 0.25, 0.5, 0.75, 0.9, 0.999_999, ALMOST_ONE];
    for (const policy of policies) {
      for (let failures = 1; failures <= 40; failures += 1) {
        const cap = capOf(failures, policy);
        for (const random of randoms) {
          const delay = backoffDelay(failures, random, policy);
          expect(Number.isInteger(delay)).toBe(true);
          expect(delay).toBeGreaterThanOrEqual(Math.floor(cap / 2));
          expect(delay).toBeLessThanOrEqual(cap);
        }
        expect(backoffDelay(failures, 0, policy)).toBe(Math.floor(cap / 2));
      }
    }
  });

  it('reaches the cap at most, even for the largest random value below 1', () => {
    // Floating point may round cap/2 + (1 - 2^-53) * cap/2 up to the cap itself; never past it.
    expect(ALMOST_ONE).toBeLessThan(1);
    for (let failures = 1; failures <= 40; failures += 1) {
      const cap = capOf(failures, syncBackoff);
      const delay = backoffDelay(failures, ALMOST_ONE);
      expect(delay).toBeLessThanOrEqual(cap);
      expect(delay).toBeGreaterThanOrEqual(cap - 1);
    }
  });

  it('grows with random: more random, never less delay', () => {
    for (let failures = 1; failures <= 12; failures += 1) {
      let previous = -1;
      for (let random = 0; random < 1; random += 0.01) {
        const delay = backoffDelay(failures, random);
        expect(delay).toBeGreaterThanOrEqual(previous);
        previous = delay;
      }
    }
  });

  it('never lowers the cap as failures pile up', () => {
    for (const policy of [syncBackoff, { baseMs: 700, maxMs: 45_000 }]) {
      let previousLeast = 0;
      let previousMost = 0;
      for (let failures = 1; failures <= 64; failures += 1) {
        const least = backoffDelay(failures, 0, policy);
        const most = backoffDelay(failures, NEAR_ONE, policy);
        expect(least).toBeGreaterThanOrEqual(previousLeast);
        expect(most).toBeGreaterThanOrEqual(previousMost);
        previousLeast = least;
        previousMost = most;
      }
      expect(previousLeast).toBe(Math.floor(policy.maxMs / 2));
    }
  });

  it('never exceeds the ceiling, even after a huge number of failures', () => {
    for (const failures of [20, 31, 32, 53, 1_000, 1_000_000, Number.MAX_SAFE_INTEGER]) {
      for (const random of [0, 0.5, ALMOST_ONE]) {
        const delay = backoffDelay(failures, random);
        expect(Number.isFinite(delay)).toBe(true);
        expect(delay).toBeLessThanOrEqual(syncBackoff.maxMs);
        expect(delay).toBeGreaterThanOrEqual(syncBackoff.maxMs / 2);
      }
      expect(backoffDelay(failures, 0)).toBe(150_000);
      expect(backoffDelay(failures, NEAR_ONE)).toBe(299_999);
    }
    expect(backoffDelay(Infinity, 0.5)).toBe(225_000);
  });

  it('caps at the ceiling from the first failure when the base is above it', () => {
    const policy = { baseMs: 10_000, maxMs: 4_000 };
    expect(backoffDelay(1, 0, policy)).toBe(2_000);
    expect(backoffDelay(1, NEAR_ONE, policy)).toBe(3_999);
    expect(backoffDelay(30, NEAR_ONE, policy)).toBe(3_999);
    expect(backoffDelay(30, ALMOST_ONE, policy)).toBeLessThanOrEqual(4_000);
  });

  it('spreads devices that failed together over half the cap', () => {
    const delays = new Set<number>();
    for (let i = 0; i < 100; i += 1) delays.add(backoffDelay(10, i / 100));
    expect(delays.size).toBe(100);
    expect(Math.min(...delays)).toBe(150_000);
    expect(Math.max(...delays)).toBe(298_500);
  });
});
