// When to try again after a transient failure: exponential backoff with jitter (half of a cap
// that doubles with each failure, plus a random part of the other half), so devices that lost HQ at the
// same moment do not all come back at the same moment.

export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
}

export const syncBackoff: BackoffPolicy = { baseMs: 1_000, maxMs: 5 * 60_000 };

/** The delay before attempt `failures + 1`; `random` is in [0, 1). */
export function backoffDelay(
  failures: number,
  random: number,
  policy: BackoffPolicy = syncBackoff,
): number {
  if (failures <= 0) return 0;
  const cap = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(failures - 1, 30));
  return Math.floor(cap / 2 + random * (cap / 2));
}
