// The worker thread that packs records for a snapshot packs byte for byte as packRecord does.
import { afterAll, describe, expect, it } from 'vitest';
import {
  packJson,
  packRecord,
  unpackJson,
  unpackRecord,
  unpackRecordJson,
} from '../../../electron/core/customers/record-codec';
import { customerJson } from '../../../electron/core/customers/store';
import { sha256Hex } from '../../../electron/core/audit/log';
import { recordHash } from '../../../shared/sync/record-hash';
import fc from 'fast-check';
import { RecordPacker } from '../../../electron/core/customers/record-packer';
import { generateCustomers } from '../../../shared/synthetic';

describe('the record packer', () => {
  const packer = new RecordPacker();
  afterAll(() => packer.close());

  it('packs each record exactly as packRecord does, in order, batch after batch', async () => {
    const customers = [
      ...generateCustomers({ seed: 8, count: 600, branches: ['B001'], rmsPerBranch: 4 }),
    ];
    const batches = [customers.slice(0, 1), customers.slice(1, 250), customers.slice(250)];
    // Asked for all at once: answers come back to the batch that asked.
    const answers = await Promise.all(
      batches.map((batch) => packer.pack(batch.map((customer) => JSON.stringify(customer)))),
    );
    answers.forEach(({ packed, hashes }, index) => {
      const batch = batches[index]!;
      expect(hashes).toEqual([]);
      expect(packed).toHaveLength(batch.length);
      packed.forEach((bytes, at) => {
        expect(Buffer.compare(bytes, packRecord(batch[at]!))).toBe(0);
        expect(unpackRecord(bytes)).toEqual(batch[at]);
      });
    });
    expect(await packer.pack([])).toEqual({ packed: [], hashes: [] });
  });

  it('packs list items and book facts with their own dictionaries, as packJson does', async () => {
    const customers = [
      ...generateCustomers({ seed: 9, count: 50, branches: ['B001'], rmsPerBranch: 4 }),
    ];
    const texts = customers.flatMap((customer) => {
      const json = customerJson(customer);
      return [json.record, json.listItem, json.factsJson];
    });
    const kinds = customers.flatMap(() => ['record', 'listItem', 'facts'] as const);
    const { packed } = await packer.pack(texts, kinds);
    packed.forEach((bytes, at) => {
      expect(Buffer.compare(bytes, packJson(kinds[at]!, texts[at]!))).toBe(0);
      expect(unpackJson(bytes)).toBe(texts[at]);
    });
    // Each kind has its own format byte: a list item is never read as a record.
    expect(new Set(packed.slice(0, 3).map((bytes) => bytes[0])).size).toBe(3);
    expect(() => unpackRecordJson(packed[1]!)).toThrow(/unknown record format/);
  });

  it('works out each content hash as recordHash does, on records and on any JSON', async () => {
    const records = [
      ...generateCustomers({ seed: 10, count: 40, branches: ['B001'], rmsPerBranch: 4 }),
    ].map((customer) => JSON.parse(JSON.stringify(customer)) as unknown);
    const values = fc.sample(fc.jsonValue(), { numRuns: 300, seed: 17 });
    const sent = [...records, ...values].map((value) => JSON.stringify(value));
    const { hashes } = await packer.pack([], [], sent);
    expect(hashes).toEqual(sent.map((text) => recordHash(sha256Hex, JSON.parse(text))));
  });

  it('refuses work once closed, and says so', async () => {
    const closed = new RecordPacker();
    await closed.close();
    await expect(closed.pack(['{}'])).rejects.toThrow(/closed|stopped/);
  });
});
