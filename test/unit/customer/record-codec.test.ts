// The vault's record encoding: whatever goes in comes back the same, and it is much smaller.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  packRecord,
  unpackRecord,
  unpackRecordJson,
} from '../../../electron/core/customers/record-codec';
import type { Customer } from '../../../shared/customer';
import { generateCustomers } from '../../../shared/synthetic';
import { corporateInput, individualInput } from './examples';

describe('the record codec', () => {
  it('gives back every synthetic record exactly, key order included', () => {
    for (const seed of [1, 2, 3])
      for (const customer of generateCustomers({
        seed,
        count: 300,
        branches: ['B001', 'B002'],
        rmsPerBranch: 4,
      }))
        expect(unpackRecordJson(packRecord(customer))).toBe(JSON.stringify(customer));
  });

  it('gives back any JSON value, whatever its text (keys, scripts, escapes, long runs)', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (value) => {
        const packed = packRecord(value as unknown as Customer);
        expect(unpackRecordJson(packed)).toBe(JSON.stringify(value));
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 4000 }), (text) => {
        const record = { ...individualInput(), occupation: text } as unknown as Customer;
        expect(unpackRecord(packRecord(record))).toEqual(record);
      }),
      { numRuns: 200 },
    );
  });

  it('keeps the examples of both kinds', () => {
    for (const input of [individualInput(), corporateInput()]) {
      const record = input as unknown as Customer;
      expect(unpackRecord(packRecord(record))).toEqual(record);
    }
  });

  it('keeps a record in well under a third of its JSON on the synthetic data', () => {
    let json = 0;
    let packed = 0;
    for (const customer of generateCustomers({
      seed: 17,
      count: 2000,
      branches: ['B001'],
      rmsPerBranch: 4,
    })) {
      json += Buffer.byteLength(JSON.stringify(customer));
      packed += packRecord(customer).length;
    }
    expect(packed / json).toBeLessThan(1 / 3);
  });

  it('refuses what it did not write: an unknown format, an empty value, a damaged stream', () => {
    const packed = packRecord(individualInput() as unknown as Customer);
    expect(() => unpackRecordJson(Buffer.from('{"kind":"individual"}'))).toThrow(
      /unknown record format/,
    );
    expect(() => unpackRecordJson(Buffer.alloc(0))).toThrow(/unknown record format/);
    expect(() => unpackRecordJson(packed.subarray(0, 8))).toThrow();
  });
});
