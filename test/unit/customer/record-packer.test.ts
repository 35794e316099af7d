// The worker thread that packs records for a snapshot packs byte for byte as packRecord does.
import { afterAll, describe, expect, it } from 'vitest';
import { packRecord, unpackRecord } from '../../../electron/core/customers/record-codec';
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
    answers.forEach((packed, index) => {
      const batch = batches[index]!;
      expect(packed).toHaveLength(batch.length);
      packed.forEach((bytes, at) => {
        expect(Buffer.compare(bytes, packRecord(batch[at]!))).toBe(0);
        expect(unpackRecord(bytes)).toEqual(batch[at]);
      });
    });
    expect(await packer.pack([])).toEqual([]);
  });

  it('refuses work once closed, and says so', async () => {
    const closed = new RecordPacker();
    await closed.close();
    await expect(closed.pack(['{}'])).rejects.toThrow(/closed|stopped/);
  });
});
