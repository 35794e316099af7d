// Each quality rule on its own: a clean record (a synthetic customer put right) has no problem;
// the record with one problem planted has that one and no other; the tally counts them.
import { describe, expect, it } from 'vitest';
import type { Customer } from '../../../shared/customer';
import { createHash } from 'node:crypto';
import {
  QUALITY_RULES_REVISION,
  confirmedOn,
  problemsOf,
  qualityRules,
  qualityTally,
} from '../../../shared/quality/rules';
import { validatePhone } from '../../../shared/validation';
import { generateCustomers } from '../../../shared/synthetic';
import { tidied } from '../../../shared/quality/plant';

const today = '2026-07-01';

/** Synthetic customers, each put right in every way a rule looks at. */
function cleanCustomers(): { individual: Customer; corporate: Customer } {
  const all = [...generateCustomers({ seed: 11, count: 40, branches: ['B001'], rmsPerBranch: 2 })];
  // The generator's own tidying (shared/quality/plant.ts), with an address everyone can parse.
  const tidy = (customer: Customer): Customer => {
    const fixed = tidied(customer, 0, today);
    fixed.email = 'client@example.cn';
    return fixed;
  };
  return {
    individual: tidy(all.find((c) => c.kind === 'individual')!),
    corporate: tidy(all.find((c) => c.kind === 'corporate')!),
  };
}

const plants: Record<string, (customer: Customer) => void> = {
  required_missing: (c) => {
    if (c.kind === 'individual') delete c.occupation;
    else c.addresses = c.addresses.map((a) => ({ ...a, kind: 'mailing' }));
  },
  phone_unverified: (c) => {
    // A mobile number in a range no carrier has (120…): today's validator refuses it.
    c.phones = [{ ...c.phones[0]!, kind: 'mobile', e164: '+8612012345678' }];
  },
  email_invalid: (c) => {
    c.email = 'client@@example';
  },
  document_expired: (c) => {
    c.identityDocuments = c.identityDocuments.map((d) => ({ ...d, expiresOn: '2026-06-30' }));
  },
  address_district_unknown: (c) => {
    c.addresses = c.addresses.map((a) => ({ ...a, districtCode: '990101' }));
  },
  kyc_review_overdue: (c) => {
    c.kyc = { ...c.kyc, nextReviewDue: '2026-06-30' };
  },
  stale_contacts: (c) => {
    c.updatedAt = '2024-06-30T23:00:00.000Z';
    c.visits = c.visits.map((v) => ({ ...v, at: '2024-05-01T09:00:00.000Z' }));
  },
  probable_duplicate: () => {},
};

describe('data quality rules', () => {
  const { individual, corporate } = cleanCustomers();
  const duplicates = (c: Customer, rule: string) =>
    rule === 'probable_duplicate' ? new Set([c.id]) : new Set<string>();

  it('goes up a revision when a rule judges differently (HQ judges every record again then)', () => {
    // The rules' code as this test sees it: change a rule, and this fails until the revision goes
    // up with the new code's hash written here (HQ's stored verdicts would be of the old rules).
    const code = createHash('sha256')
      .update([...qualityRules.map((rule) => String(rule.finds)), String(confirmedOn)].join('\n'))
      .digest('hex')
      .slice(0, 16);
    expect({ revision: QUALITY_RULES_REVISION, code }).toEqual({
      revision: 1,
      code: 'e99e9cf2b9d36a84',
    });
  });

  it('finds nothing in a clean record of either kind', () => {
    for (const customer of [individual, corporate])
      expect(problemsOf(customer, { today, probableDuplicates: new Set() })).toEqual([]);
  });

  it('has a plant for every rule, and words for it in both languages', () => {
    expect(Object.keys(plants).sort()).toEqual(qualityRules.map((rule) => rule.id).sort());
    for (const rule of qualityRules) {
      expect(rule.words['zh-CN']).toMatch(/\p{Script=Han}/u);
      expect(rule.words.en).toMatch(/^[\x20-\x7e]+$/);
    }
  });

  for (const rule of qualityRules)
    it(`${rule.id}: finds its problem planted, and only that one`, () => {
      for (const base of [individual, corporate]) {
        const planted = structuredClone(base);
        plants[rule.id]!(planted);
        expect(
          problemsOf(planted, { today, probableDuplicates: duplicates(planted, rule.id) }),
          `${rule.id} on a ${base.kind}`,
        ).toEqual([rule.id]);
      }
    });

  it('keeps contacts fresh for two years to the day, and 29 February in a common year', () => {
    const fresh = structuredClone(individual);
    const visit = fresh.visits[0]!;
    fresh.visits = [{ ...visit, at: '2024-07-01T00:00:00.000+08:00' }];
    expect(problemsOf(fresh, { today })).toEqual([]);
    fresh.visits = [{ ...visit, at: '2024-06-30T23:59:59.000+08:00' }];
    expect(problemsOf(fresh, { today })).toEqual(['stale_contacts']);
    fresh.kyc = { ...fresh.kyc, nextReviewDue: '2029-01-01' };
    fresh.visits = [{ ...visit, at: '2026-02-28T10:00:00.000+08:00' }];
    expect(problemsOf(fresh, { today: '2028-02-29' })).toEqual([]);
  });

  it('takes a visit as the confirmation, else becoming a customer; no other change', () => {
    const fresh = structuredClone(individual);
    fresh.visits = [{ ...fresh.visits[0]!, at: '2023-01-10T10:00:00.000+08:00' }];
    // A task or a note added today confirms nothing with the customer.
    fresh.updatedAt = `${today}T08:00:00.000Z`;
    expect(problemsOf(fresh, { today })).toEqual(['stale_contacts']);
    // Never visited: the first account's opening is when details were last checked.
    fresh.visits = [];
    fresh.accounts = fresh.accounts.map((account) => ({ ...account, openedOn: '2025-03-01' }));
    expect(problemsOf(fresh, { today })).toEqual(
      fresh.accounts.length > 0 ? [] : ['stale_contacts'],
    );
  });

  it('judges a mobile as the validator does, on numbers of every prefix', () => {
    const rule = qualityRules.find((candidate) => candidate.id === 'phone_unverified')!;
    const random = (digits: number, seed: number) =>
      String(Math.floor(Math.abs(Math.sin(seed) * 10 ** (digits + 3))) % 10 ** digits).padStart(
        digits,
        '0',
      );
    let checked = 0;
    for (let prefix = 1300; prefix <= 1999; prefix++)
      for (let range = 0; range < 3; range++) {
        const hcode = `${prefix}${random(3, prefix * 7 + range)}`;
        for (let tail = 0; tail < 3; tail++) {
          const e164 = `+86${hcode}${random(4, prefix * 131 + range * 17 + tail)}`;
          const person = {
            ...individual,
            phones: [{ ...individual.phones[0]!, kind: 'mobile' as const, e164 }],
          };
          expect(rule.finds(person, { today }), e164).toBe(
            validatePhone(e164, { kind: 'mobile' }).issues.length > 0,
          );
          checked++;
        }
      }
    expect(checked).toBe(700 * 9);
  });

  it('judges a landline as the validator does, with or without its shortcut', () => {
    const rule = qualityRules.find((candidate) => candidate.id === 'phone_unverified')!;
    // Area codes of every kind, and ones that begin service numbers rather than landlines.
    const area = ['10', '21', '27', '29', '311', '371', '512', '755', '851', '991', '400', '800'];
    let accepted = 0;
    for (const [index, code] of area.entries())
      for (let length = 5; length <= 9; length++)
        for (let tail = 0; tail < 20; tail++) {
          const subscriber = String(
            (index * 7919 + length * 104729 + tail * 15485863) % 10 ** length,
          ).padStart(length, String(tail % 10));
          const e164 = `+86${code}${subscriber}`;
          const person = {
            ...individual,
            phones: [{ ...individual.phones[0]!, kind: 'landline' as const, e164 }],
          };
          const fails = validatePhone(e164, { kind: 'landline' }).issues.length > 0;
          if (!fails) accepted++;
          expect(rule.finds(person, { today }), e164).toBe(fails);
        }
    expect(accepted).toBeGreaterThan(100);
  });

  it('tallies records, clean ones and each problem', () => {
    const tally = qualityTally({ today });
    tally.add(individual);
    const expired = structuredClone(corporate);
    plants.document_expired!(expired);
    plants.kyc_review_overdue!(expired);
    expect(tally.add(expired)).toEqual(['document_expired', 'kyc_review_overdue']);
    const score = tally.score();
    expect(score).toMatchObject({ records: 2, clean: 1, cleanShare: 0.5 });
    expect(score.problems).toMatchObject({ document_expired: 1, kyc_review_overdue: 1 });
    expect(Object.keys(score.problems)).toHaveLength(qualityRules.length);
  });
});
