// Synthetic data with a known number of data quality problems (docs/QUALITY.md): each customer
// is first put right in every way a rule looks at (on `today`), then a share of them, chosen by
// the seed, gets exactly one problem planted. A report over such data must count each rule's
// planted problems and nothing else (probable duplicates excepted: two synthetic people may share
// a name and birth date by chance, which the tests count apart). `npm run hq -- seed
// --plant-problems 0.2` seeds HQ so.
import type { Customer } from '../customer';
import { RecordRandom } from '../synthetic/random';
import { validateEmail, validatePhone } from '../validation';
import { mainlandProvinceCodes } from '../validation/regions';

/**
 * The rules a valid record can be given a problem of on its own: not probable_duplicate (two
 * records), nor email_invalid and address_district_unknown (the customer schema refuses such an
 * address or district; those rules find what was written before it did, which valid synthetic
 * data cannot hold).
 */
export const plantableRules = [
  'required_missing',
  'phone_unverified',
  'document_expired',
  'kyc_review_overdue',
  'stale_contacts',
] as const;
export type PlantableRule = (typeof plantableRules)[number];

export interface PlantOptions {
  /** The day the problems are judged on, `YYYY-MM-DD`. */
  today: string;
  /** Share of customers given one problem, 0–1. */
  rate: number;
}

const shiftDays = (day: string, days: number) => {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
};

/** The problem planted in the customer at `index` of the run for `seed`, if any. */
export function plantedProblem(
  seed: number,
  index: number,
  options: PlantOptions,
): PlantableRule | undefined {
  const random = new RecordRandom(seed ^ 0x51a7, index);
  if (!random.chance(options.rate)) return undefined;
  return plantableRules[random.int(plantableRules.length)];
}

/** The customer put right in every way a rule looks at, on `today`. */
export function tidied(customer: Customer, index: number, today: string): Customer {
  const fixed = JSON.parse(JSON.stringify(customer)) as Customer;
  fixed.updatedAt = `${shiftDays(today, -30)}T02:00:00.000Z`;
  // Contacts confirmed lately: a visit a month ago (the last one moved there, or a first one).
  const lately = `${shiftDays(today, -30)}T02:00:00.000Z`;
  const lastVisit = fixed.visits.reduce<number>(
    (latest, visit, at) => (latest < 0 || visit.at > fixed.visits[latest]!.at ? at : latest),
    -1,
  );
  if (lastVisit >= 0) fixed.visits[lastVisit] = { ...fixed.visits[lastVisit]!, at: lately };
  else
    fixed.visits = [
      {
        id: `00000000-0000-4000-a000-${String(index).padStart(12, '0')}`,
        at: lately,
        author: fixed.homeBranchId,
        kind: 'branch',
      },
    ];
  fixed.kyc = { ...fixed.kyc, nextReviewDue: shiftDays(today, 200) };
  fixed.identityDocuments = fixed.identityDocuments.map((document) =>
    document.expiresOn !== null && document.expiresOn !== undefined && document.expiresOn <= today
      ? { ...document, expiresOn: shiftDays(today, 3650) }
      : document,
  );
  fixed.phones = fixed.phones.map((phone) =>
    validatePhone(phone.e164, { kind: phone.kind }).issues.length === 0
      ? phone
      : { ...phone, kind: 'mobile', e164: `+86139${String(index % 1e8).padStart(8, '0')}` },
  );
  if (fixed.email !== undefined && validateEmail(fixed.email).issues.length > 0)
    fixed.email = `c${index}@example.cn`;
  fixed.addresses = fixed.addresses.map((address) =>
    /^\d{6}$/.test(address.districtCode) &&
    mainlandProvinceCodes.has(address.districtCode.slice(0, 2))
      ? address
      : { ...address, districtCode: '110105' },
  );
  const needed = fixed.kind === 'individual' ? 'residential' : 'registered';
  if (!fixed.addresses.some((address) => address.kind === needed) && fixed.addresses[0])
    fixed.addresses = [{ ...fixed.addresses[0], kind: needed }, ...fixed.addresses.slice(1)];
  if (fixed.kind === 'individual' && !fixed.occupation) fixed.occupation = '职员';
  return fixed;
}

/** `customer` (tidied) with the problem of `rule` planted, judged on `today`. */
export function withProblem(customer: Customer, rule: PlantableRule, today: string): Customer {
  const c = JSON.parse(JSON.stringify(customer)) as Customer;
  switch (rule) {
    case 'required_missing':
      if (c.kind === 'individual') delete c.occupation;
      else c.addresses = c.addresses.map((a) => ({ ...a, kind: 'mailing' as const }));
      break;
    case 'phone_unverified':
      // A well-formed mobile in a range no carrier has been given (154…): the schema takes it, today's validator warns.
      c.phones = [
        { ...c.phones[0]!, kind: 'mobile', e164: '+8615412345678' },
        ...c.phones.slice(1),
      ];
      break;
    case 'document_expired':
      c.identityDocuments = c.identityDocuments.map((d, i) =>
        i === 0 ? { ...d, expiresOn: shiftDays(today, -1) } : d,
      );
      break;
    case 'kyc_review_overdue':
      c.kyc = { ...c.kyc, nextReviewDue: shiftDays(today, -1) };
      break;
    case 'stale_contacts': {
      const long = `${shiftDays(today, -3 * 366)}T02:00:00.000Z`;
      c.updatedAt = long;
      c.visits = c.visits.map((visit) => ({ ...visit, at: long }));
      break;
    }
  }
  return c;
}

/** The customer at `index` as a run with planted problems has it. */
export function plantedCustomer(
  customer: Customer,
  seed: number,
  index: number,
  options: PlantOptions,
): Customer {
  const clean = tidied(customer, index, options.today);
  const rule = plantedProblem(seed, index, options);
  return rule ? withProblem(clean, rule, options.today) : clean;
}
