// What keeps a customer's data from erasure (hq/privacy/holds.ts): the one reading the request,
// the retention job and HQ's candidates' query all follow.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addYears, holdsOn, relationshipEnd } from '../../../hq/privacy/holds';

const closed = (closedOn: string) => ({ status: 'closed' as const, closedOn });
const none = { legalHolds: [] };

describe('holds on erasure', () => {
  it('keeps the data of a customer with an account still open, whatever its state', () => {
    for (const status of ['active', 'dormant', 'frozen'] as const)
      expect(
        holdsOn({ ...none, accounts: [closed('2001-01-01'), { status }] }, '2099-01-01', 10),
      ).toEqual([{ kind: 'active_product', accounts: 1 }]);
  });

  it('runs the AML period from the last closing day or visit, whichever is later', () => {
    const facts = {
      ...none,
      accounts: [closed('2014-05-02'), closed('2016-03-01')],
      visits: [{ at: '2017-08-09T10:00:00+08:00' }],
    };
    expect(relationshipEnd(facts)).toBe('2017-08-09');
    expect(holdsOn(facts, '2027-08-08', 10)).toEqual([
      { kind: 'aml_retention', until: '2027-08-09' },
    ]);
    // On the day the period ends, nothing holds any more.
    expect(holdsOn(facts, '2027-08-09', 10)).toEqual([]);
    // A longer period set by HQ holds longer.
    expect(holdsOn(facts, '2027-08-09', 15)).toEqual([
      { kind: 'aml_retention', until: '2032-08-09' },
    ]);
  });

  it('cannot show the period ended when a closed account has no closing day', () => {
    expect(holdsOn({ ...none, accounts: [{ status: 'closed' }] }, '2099-01-01', 10)).toEqual([
      { kind: 'aml_retention', until: null },
    ]);
  });

  it('finds no relationship to keep records of without an account or a visit', () => {
    expect(relationshipEnd(none)).toBeNull();
    expect(holdsOn(none, '2026-12-05', 10)).toEqual([]);
  });

  it('keeps the data while a legal hold stands, whatever else', () => {
    const hold = {
      id: '5b0e1c9e-8f0c-4e42-9d57-5b0e1c9e8f0c',
      reference: 'GA-1',
      placedAt: '2026-01-01T00:00:00.000Z',
    };
    expect(holdsOn({ legalHolds: [hold] }, '2099-01-01', 10)).toEqual([
      { kind: 'legal_hold', holdId: hold.id, reference: 'GA-1', since: hold.placedAt },
    ]);
  });

  it('adds whole years to a day, 29 February included', () => {
    expect(addYears('2016-02-29', 10)).toBe('2026-02-28');
    expect(addYears('2016-02-29', 8)).toBe('2024-02-29');
    expect(addYears('2019-12-31', 10)).toBe('2029-12-31');
  });

  it('never lets a customer go while a day of the period is left (property)', () => {
    const day = fc
      .date({
        min: new Date('2000-01-01T00:00:00Z'),
        max: new Date('2060-12-31T00:00:00Z'),
        noInvalidDate: true,
      })
      .map((date) => date.toISOString().slice(0, 10));
    fc.assert(
      fc.property(
        fc.array(day, { minLength: 1, maxLength: 4 }),
        day,
        fc.integer({ min: 10, max: 30 }),
        (closings, today, years) => {
          const facts = { ...none, accounts: closings.map(closed) };
          const last = closings.reduce((a, b) => (a > b ? a : b));
          const held = holdsOn(facts, today, years).length > 0;
          expect(held).toBe(today < addYears(last, years));
        },
      ),
    );
  });
});
