// The scope digest's arithmetic (shared/sync/scope-digest.ts), which HQ and the device must agree
// on bit for bit: a bucket's value is the sum modulo 2^64 of its customers' terms, whatever order
// they were added in, and taking a customer away undoes adding it.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DigestSums,
  UNKNOWN_HASH_DIGITS,
  bucketOf,
  entryTerm,
  sumOfJoinedTerms,
} from '../../shared/sync/scope-digest';

const hex = (length: number) =>
  fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: length, maxLength: length });
const entry = fc.record({ id: fc.uuid(), hash: hex(64) });

/** The digest by its definition, with nothing kept along the way. */
function byDefinition(entries: { id: string; hash: string }[]): Record<string, string> {
  const sums = new Map<string, bigint>();
  for (const { id, hash } of entries)
    sums.set(bucketOf(id), (sums.get(bucketOf(id)) ?? 0n) + BigInt(`0x${hash.slice(0, 16)}`));
  return Object.fromEntries(
    [...sums].map(([bucket, sum]) => [bucket, (sum % 2n ** 64n).toString(16).padStart(16, '0')]),
  );
}

describe('the scope digest’s arithmetic', () => {
  it('is the sum of the terms modulo 2^64 in each bucket, in any order', () => {
    fc.assert(
      fc.property(fc.uniqueArray(entry, { selector: (e) => e.id, maxLength: 60 }), (entries) => {
        const forward = new DigestSums();
        for (const { id, hash } of entries) forward.add(id, entryTerm(hash));
        const backward = new DigestSums();
        for (const { id, hash } of [...entries].reverse()) backward.add(id, entryTerm(hash));
        const expected = byDefinition(entries);
        expect(forward.toDigest().buckets).toEqual(expected);
        expect(backward.toDigest().buckets).toEqual(expected);
        expect(forward.toDigest().count).toBe(entries.length);
      }),
    );
  });

  it('takes a customer away exactly as it was added, and leaves out emptied buckets', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(entry, { selector: (e) => e.id, minLength: 1, maxLength: 40 }),
        fc.nat(),
        (entries, cut) => {
          const kept = entries.slice(0, cut % entries.length);
          const sums = new DigestSums();
          for (const { id, hash } of entries) sums.add(id, entryTerm(hash));
          for (const { id, hash } of entries.slice(kept.length)) sums.remove(id, entryTerm(hash));
          const digest = sums.toDigest();
          expect(digest.buckets).toEqual(byDefinition(kept));
          expect(digest.count).toBe(kept.length);
          // Carried over as stored (values and counts), it goes on the same.
          const again = DigestSums.from(digest.buckets, digest.counts);
          expect(again.toDigest()).toEqual(digest);
        },
      ),
    );
  });

  it('adds terms joined back to back as SQLite joins them, as the terms one by one', () => {
    fc.assert(
      fc.property(fc.array(hex(64), { maxLength: 300 }), (hashes) => {
        const joined = hashes.map((hash) => hash.slice(0, 16)).join('');
        const oneByOne = hashes.reduce((sum, hash) => sum + entryTerm(hash), 0n);
        expect(BigInt.asUintN(64, sumOfJoinedTerms(joined))).toBe(BigInt.asUintN(64, oneByOne));
      }),
    );
  });

  it('counts a customer held without a known hash, so an extra one never goes unseen', () => {
    expect(entryTerm(null)).toBe(1n);
    expect(entryTerm('')).toBe(1n);
    expect(sumOfJoinedTerms(UNKNOWN_HASH_DIGITS)).toBe(1n);
    const sums = new DigestSums();
    sums.add('0a000000-0000-4000-8000-000000000000', entryTerm(null));
    expect(sums.toDigest().buckets).toEqual({ '0a': '0000000000000001' });
  });

  it('refuses to take away a customer a bucket does not hold', () => {
    const sums = new DigestSums();
    sums.remove('0a000000-0000-4000-8000-000000000000', 5n);
    expect(() => sums.toDigest()).toThrow(/bucket 0a holds -1/);
  });
});
