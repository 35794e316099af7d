import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { type Customer, customerSchema } from '../../../shared/customer';
import {
  type SyntheticCustomerOptions,
  generateCustomer,
  generateCustomers,
} from '../../../shared/synthetic';
import { cityList, mobilePrefixes, sevenDigitAreaCodes } from '../../../shared/synthetic/tables';
import { validatePhone, validateUscc } from '../../../shared/validation';

const options: SyntheticCustomerOptions = {
  branches: ['BJ0105', 'SH0201', 'GZ0310'],
  rmsPerBranch: 4,
  today: '2026-07-01',
};

function take(seed: number, count: number, start = 0): Customer[] {
  return [...generateCustomers({ ...options, seed, count, start })];
}

function residentIdOf(customer: Customer): string {
  const document = customer.identityDocuments[0];
  if (document === undefined) throw new Error('no document');
  return document.number;
}

describe('synthetic customers', () => {
  it('passes customerSchema for thousands of records across seeds, already normalised', () => {
    for (const seed of [0, 1, 42, 2 ** 40 + 7]) {
      for (const customer of take(seed, 750)) {
        const parsed = customerSchema.safeParse(customer);
        if (!parsed.success) {
          throw new Error(
            `${customer.customerNumber}: ${JSON.stringify(parsed.error.issues)}\n${JSON.stringify(customer)}`,
          );
        }
        expect(parsed.data).toEqual(customer);
      }
    }
  });

  it('gives the same data for the same seed, and any record alone by its index', () => {
    const first = take(42, 1000);
    expect(take(42, 1000)).toEqual(first);
    expect(generateCustomer(42, 537, options)).toEqual(first[537]);
    // Independent of the run's count and start.
    expect(take(42, 10, 530)[7]).toEqual(first[537]);
    expect(take(43, 1000)).not.toEqual(first);

    const hash = createHash('sha256');
    for (const customer of first) hash.update(`${JSON.stringify(customer)}\n`);
    // Changes only when the generator's output changes on purpose: update it then, and say so.
    expect(hash.digest('hex')).toBe(
      '29097bdd1c4baf4775cb8576d25ebfebd9bb550390ccbe261f8205016400126e',
    );
  });

  it('has realistic proportions and unique numbers over 100,000 records', () => {
    const customerNumbers = new Set<string>();
    const idNumbers = new Set<string>();
    const surnames = new Map<string, number>();
    let corporate = 0;
    let male = 0;
    let dotted = 0;
    let outsideBmp = 0;
    let compound = 0;
    let polyphonic = 0;
    const mismatches: string[] = [];
    const count = 100_000;
    for (const customer of generateCustomers({ ...options, seed: 7, count })) {
      customerNumbers.add(customer.customerNumber);
      const idNumber = residentIdOf(customer);
      idNumbers.add(idNumber);
      if (customer.kind === 'corporate') {
        corporate += 1;
        if (validateUscc(idNumber).issues.length > 0) mismatches.push(idNumber);
        continue;
      }
      if (customer.gender === 'male') male += 1;
      const parity = Number(idNumber[16]) % 2 === 1 ? 'male' : 'female';
      if (
        parity !== customer.gender ||
        idNumber.slice(6, 14) !== customer.birthDate.replaceAll('-', '')
      )
        mismatches.push(idNumber);
      const name = customer.legalName;
      if (name.includes('\u00b7')) {
        dotted += 1;
        continue;
      }
      if ([...name].length !== name.length) outsideBmp += 1;
      const two = name.slice(0, 2);
      if (['欧阳', '上官', '司马', '诸葛', '东方', '尉迟'].includes(two)) {
        compound += 1;
        continue;
      }
      const surname = name.slice(0, 1);
      if ('单曾解仇区朴查覃'.includes(surname)) polyphonic += 1;
      surnames.set(surname, (surnames.get(surname) ?? 0) + 1);
    }
    const individuals = count - corporate;
    expect(mismatches).toEqual([]);
    expect(customerNumbers.size).toBe(count);
    expect(idNumbers.size).toBe(count);
    expect(corporate / count).toBeGreaterThan(0.09);
    expect(corporate / count).toBeLessThan(0.11);
    expect(male / individuals).toBeGreaterThan(0.48);
    expect(male / individuals).toBeLessThan(0.52);
    expect(dotted / individuals).toBeGreaterThan(0.005);
    expect(dotted / individuals).toBeLessThan(0.02);
    expect(outsideBmp).toBeGreaterThan(0);
    expect(compound).toBeGreaterThan(0);
    expect(polyphonic).toBeGreaterThan(0);
    const share = (surname: string) => (surnames.get(surname) ?? 0) / individuals;
    for (const common of ['王', '李', '张']) expect(share(common)).toBeGreaterThan(0.055);
    expect(share('王')).toBeGreaterThan(share('刘'));
    expect(share('刘')).toBeGreaterThan(share('周'));
    expect(share('周')).toBeGreaterThan(share('邱'));
    expect(share('邱')).toBeGreaterThan(share('覃'));
  });

  it('draws phone numbers only from ranges the phone metadata knows', () => {
    for (const prefix of mobilePrefixes) {
      for (const tail of ['00000000', '12345678', '99999999']) {
        const result = validatePhone(`+86${prefix}${tail}`, { kind: 'mobile' });
        expect(result.ok && result.issues.length === 0, `${prefix}${tail}`).toBe(true);
      }
    }
    for (const city of cityList) {
      const length = sevenDigitAreaCodes.has(city.areaCode) ? 7 : 8;
      for (const lead of ['5', '6']) {
        for (const fill of ['0', '9']) {
          const number = `+86${city.areaCode}${lead}${fill.repeat(length - 1)}`;
          const result = validatePhone(number, { kind: 'landline' });
          expect(result.ok && result.issues.length === 0, number).toBe(true);
        }
      }
    }
  });

  it('homes customers at the given branches and assigns only their RMs', () => {
    for (const customer of take(3, 2000)) {
      expect(options.branches).toContain(customer.homeBranchId);
      if (customer.assignedRmId !== undefined)
        expect(customer.assignedRmId).toMatch(new RegExp(`^${customer.homeBranchId}-rm-0[1-4]$`));
    }
    const named = generateCustomer(1, 0, {
      branches: ['B1'],
      rmsPerBranch: { B1: ['staff-0311'] },
      corporateShare: 1,
    });
    expect(named.assignedRmId).toBe('staff-0311');
  });

  it('refuses options it cannot honour', () => {
    expect(() => generateCustomer(1, 0, { ...options, branches: [] })).toThrow(RangeError);
    expect(() => generateCustomer(-1, 0, options)).toThrow(RangeError);
    expect(() => generateCustomer(1, 0, { ...options, branches: ['bad id'] })).toThrow(RangeError);
    expect(() => [...generateCustomers({ ...options, seed: 1, count: 2e9 })]).toThrow(RangeError);
  });
});
