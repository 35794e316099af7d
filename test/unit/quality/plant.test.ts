// The generator's planted problems (shared/quality/plant.ts): every record stays valid, and the
// rules find in each exactly the problem planted in it, so a report over such data has a known
// answer.
import { describe, expect, it } from 'vitest';
import { checkMasterRecord, customerSchema } from '../../../shared/customer';
import { plantedProblem } from '../../../shared/quality/plant';
import { problemsOf } from '../../../shared/quality/rules';
import { generateCustomers } from '../../../shared/synthetic';

const today = '2026-12-06';
const plant = { today, rate: 0.3 };

describe('planted data quality problems', () => {
  const customers = [
    ...generateCustomers({
      seed: 5,
      count: 400,
      branches: ['B001', 'B002'],
      rmsPerBranch: 2,
      plant,
    }),
  ];

  it('keeps every record valid, for the schema and for the sync’s fast check', () => {
    for (const customer of customers) {
      const parsed = customerSchema.safeParse(customer);
      expect(parsed.success, JSON.stringify(parsed.error?.issues.slice(0, 2))).toBe(true);
      expect(checkMasterRecord(JSON.parse(JSON.stringify(customer)))).toEqual(parsed.data);
    }
  });

  it('gives each record exactly the problem planted in it, and the rest none', () => {
    const planted = new Map<string, number>();
    customers.forEach((customer, index) => {
      const rule = plantedProblem(5, index, plant);
      expect(problemsOf(customer, { today }), `${index}`).toEqual(rule ? [rule] : []);
      if (rule) planted.set(rule, (planted.get(rule) ?? 0) + 1);
    });
    // About 30 % planted, every rule among them.
    const total = [...planted.values()].reduce((sum, n) => sum + n, 0);
    expect(total).toBeGreaterThan(80);
    expect(total).toBeLessThan(160);
    expect(planted.size).toBe(5);
  });

  it('reads a cleansing task by the sync’s fast check as the schema does', () => {
    const customer = {
      ...customers[0]!,
      tasks: [
        {
          id: '33333333-3333-4333-8333-333333333333',
          title: '请客户核实联系方式',
          dueOn: '2027-03-31',
          status: 'open' as const,
          assignee: 'counter',
          cleansing: 'stale_contacts',
        },
      ],
    };
    const parsed = customerSchema.parse(customer);
    expect(parsed.tasks[0]!.cleansing).toBe('stale_contacts');
    expect(checkMasterRecord(JSON.parse(JSON.stringify(customer)))).toEqual(parsed);
    // A cleansing that names no rule is no task the fast check takes as it stands.
    const odd = { ...customer, tasks: [{ ...customer.tasks[0]!, cleansing: 'Not A Rule' }] };
    expect(customerSchema.safeParse(odd).success).toBe(false);
    expect(checkMasterRecord(JSON.parse(JSON.stringify(odd)))).toBeUndefined();
  });
});
