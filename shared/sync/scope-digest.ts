// The scope digest's arithmetic, the same at HQ and on the device (docs/SYNC-PROTOCOL.md,
// "Provable scope"). A branch's scope is split into 256 buckets by the first two hex digits of
// the customer id. Each customer adds a term to its bucket: the first 64 bits of its record's
// content hash (the SHA-256 of the canonical record, which holds the customer's id). A bucket's
// value is the sum of its terms modulo 2^64, as 16 hex digits.
//
// A sum, not a hash of the bucket's entries in order: a change to a few customers moves their
// buckets' sums by the difference of their terms, so HQ keeps each branch's digest up to date
// from the customers that changed since it was worked out (hq/scope-digest.ts) instead of
// reading the whole scope after every change. The digest finds differences made by accident (a
// lost write, a bug); it is not a defence against someone forging records, which the device's
// own checks are.

/** 2^64: a bucket's sum wraps at it. */
const WRAP = 1n << 64n;

/** The 256 buckets, in order: `00` to `ff`. */
export const DIGEST_BUCKETS: readonly string[] = Array.from({ length: 256 }, (_, n) =>
  n.toString(16).padStart(2, '0'),
);

/** A customer's bucket: the first two hex digits of its id. */
export const bucketOf = (customerId: string): string => customerId.slice(0, 2);

/**
 * What a held customer whose content hash is unknown adds to its bucket: 1, so that it still
 * moves the sum (an extra customer never goes unseen) and matches no real record's term but by
 * chance one in 2^64.
 */
export const UNKNOWN_HASH_TERM = 1n;

/** The 16 hex digits a hash's term is read from, or those of the unknown hash's term. */
export const UNKNOWN_HASH_DIGITS = UNKNOWN_HASH_TERM.toString(16).padStart(16, '0');

/** The term a customer adds to its bucket: the first 64 bits of its content hash. */
export function entryTerm(hash: string | null | undefined): bigint {
  if (!hash || !/^[0-9a-f]{16}/.test(hash)) return UNKNOWN_HASH_TERM;
  return BigInt(`0x${hash.slice(0, 16)}`);
}

/** A bucket's sum as it is sent: 16 lowercase hex digits. */
export const bucketText = (sum: bigint): string =>
  BigInt.asUintN(64, sum).toString(16).padStart(16, '0');

/**
 * The sum of a run of terms given as their hex digits back to back (16 a term), as SQLite can
 * join them: read in halves of 32 bits, which doubles can add exactly for up to 2^21 terms.
 */
export function sumOfJoinedTerms(joined: string): bigint {
  let high = 0;
  let low = 0;
  for (let at = 0; at < joined.length; at += 16) {
    high += Number.parseInt(joined.slice(at, at + 8), 16);
    low += Number.parseInt(joined.slice(at + 8, at + 16), 16);
  }
  return (BigInt(high) << 32n) + BigInt(low);
}

/** A digest being put together or brought up to date: each bucket's sum and how many it holds. */
export class DigestSums {
  private readonly sums = new Map<string, bigint>();
  private readonly counts = new Map<string, number>();

  /** From a stored digest: its buckets' values and their counts. */
  static from(buckets: Record<string, string>, counts: Record<string, number>): DigestSums {
    const digest = new DigestSums();
    for (const [bucket, value] of Object.entries(buckets))
      digest.addToBucket(bucket, BigInt(`0x${value}`), counts[bucket] ?? 0);
    return digest;
  }

  /** Adds `count` customers whose terms add up to `sum` (mod 2^64) to `bucket`. */
  addToBucket(bucket: string, sum: bigint, count: number): void {
    this.sums.set(bucket, BigInt.asUintN(64, (this.sums.get(bucket) ?? 0n) + sum));
    this.counts.set(bucket, (this.counts.get(bucket) ?? 0) + count);
  }

  add(customerId: string, term: bigint): void {
    this.addToBucket(bucketOf(customerId), term, 1);
  }

  remove(customerId: string, term: bigint): void {
    this.addToBucket(bucketOf(customerId), WRAP - BigInt.asUintN(64, term), -1);
  }

  get count(): number {
    let total = 0;
    for (const count of this.counts.values()) total += count;
    return total;
  }

  /** The digest as it is sent (buckets with no customers left out) and each bucket's count. */
  toDigest(): { buckets: Record<string, string>; counts: Record<string, number>; count: number } {
    const buckets: Record<string, string> = {};
    const counts: Record<string, number> = {};
    for (const bucket of [...this.counts.keys()].sort()) {
      const count = this.counts.get(bucket)!;
      if (count < 0) throw new Error(`scope digest: bucket ${bucket} holds ${count} customers`);
      if (count === 0) continue;
      buckets[bucket] = bucketText(this.sums.get(bucket)!);
      counts[bucket] = count;
    }
    return { buckets, counts, count: this.count };
  }
}
