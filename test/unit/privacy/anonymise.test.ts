// The extract's anonymisation on its own, over generated populations: whatever the data, the
// rows are k-anonymous, within the suppression budget, with no identifying value left; data that
// is already k-anonymous is not generalised at all; and a finer generalisation within the
// budget is never passed over for a coarser one.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  anonymise,
  assertAnonymous,
  generalise,
  hierarchyHeights,
  loss,
  quasiIdentifiers,
  quasiKey,
  type ExtractSource,
} from '../../../hq/privacy/extract';

const today = '2026-12-04';

const source: fc.Arbitrary<ExtractSource> = fc.record({
  birthDate: fc
    .date({ min: new Date('1930-01-01'), max: new Date('2008-12-31'), noInvalidDate: true })
    .map((date) => date.toISOString().slice(0, 10)),
  gender: fc.constantFrom('male', 'female'),
  districts: fc.array(
    fc.record({
      kind: fc.constantFrom('residential', 'mailing'),
      district: fc.constantFrom('110105', '110108', '310104', '310115', '440305', '440106'),
    }),
    { maxLength: 2 },
  ),
  segment: fc.constantFrom('mass', 'affluent', 'private_banking'),
  products: fc.array(fc.constantFrom('活期储蓄', '定期存款', '信用卡', '理财'), { maxLength: 4 }),
  riskRating: fc.constantFrom('low', 'medium', 'high'),
  kycStatus: fc.constantFrom('verified', 'review_required'),
});

const sizes = (rows: ReturnType<typeof anonymise>['rows']) => {
  const counted = new Map<string, number>();
  for (const row of rows) counted.set(quasiKey(row), (counted.get(quasiKey(row)) ?? 0) + 1);
  return [...counted.values()];
};

describe('anonymising an extract', () => {
  it('is k-anonymous and within the suppression budget for any population of k or more', () => {
    fc.assert(
      fc.property(
        fc.array(source, { minLength: 5, maxLength: 300 }),
        fc.integer({ min: 2, max: 10 }),
        fc.constantFrom(0, 0.01, 0.05, 0.2),
        (sources, k, share) => {
          fc.pre(sources.length >= k);
          const result = anonymise(sources, { k, maxSuppressedShare: share, today });
          expect(Math.min(...sizes(result.rows))).toBeGreaterThanOrEqual(k);
          expect(result.suppressed).toBeLessThanOrEqual(share * sources.length);
          expect(result.rows.length + result.suppressed).toBe(sources.length);
          expect(() => assertAnonymous(result.rows, k)).not.toThrow();
        },
      ),
      { numRuns: 60 },
    );
  });

  it('keeps data that is already k-anonymous as it is', () => {
    fc.assert(
      fc.property(source, fc.integer({ min: 2, max: 8 }), (one, k) => {
        const result = anonymise(
          Array.from({ length: k }, () => one),
          {
            k,
            maxSuppressedShare: 0,
            today,
          },
        );
        expect(quasiIdentifiers.every((column) => result.generalisation[column] === 0)).toBe(true);
      }),
      { numRuns: 30 },
    );
  });

  it('never chooses a coarser generalisation than one that meets the budget with less loss', () => {
    fc.assert(
      fc.property(fc.array(source, { minLength: 20, maxLength: 120 }), (sources) => {
        const k = 3;
        const result = anonymise(sources, { k, maxSuppressedShare: 0.05, today });
        // Each single step down one hierarchy loses less; none of them may meet the budget.
        for (const column of quasiIdentifiers) {
          if (result.generalisation[column] === 0) continue;
          const finer = { ...result.generalisation, [column]: result.generalisation[column] - 1 };
          expect(loss(finer)).toBeLessThan(loss(result.generalisation));
          const rows = sources.map((s) => generalise(s, finer, today));
          const counted = new Map<string, number>();
          for (const row of rows) counted.set(quasiKey(row), (counted.get(quasiKey(row)) ?? 0) + 1);
          const suppressed = rows.filter((row) => counted.get(quasiKey(row))! < k).length;
          expect(suppressed).toBeGreaterThan(0.05 * sources.length);
        }
      }),
      { numRuns: 30 },
    );
  });

  it('refuses rows that are not k-anonymous, in words, naming how many', () => {
    const one = generalise(
      {
        birthDate: '1980-02-29',
        gender: 'female',
        districts: [{ kind: 'residential', district: '110105' }],
        segment: 'mass',
        products: [],
        riskRating: 'low',
        kycStatus: 'verified',
      },
      hierarchyHeights,
      today,
    );
    expect(() => assertAnonymous([one, one], 3)).toThrow(/2 rows .* fewer than 3 times/);
  });
});
