// Child process for the staging file's crash test: opens the snapshot staging file of the data
// directory argv[2] with the key argv[3] as a download does, then writes slices of synthetic
// customers through the download's own writer forever, printing `committed <n>` after each
// commit, until the test kills it.
import { prepareInsert } from '../../electron/core/customers';
import { SNAPSHOT_SLICE, snapshotPaths, stagingWriter } from '../../electron/core/sync/snapshot';
import { generateCustomers } from '../../shared/synthetic';

const writer = stagingWriter(snapshotPaths(process.argv[2]!), process.argv[3]!);
for (;;) {
  const slice = [
    ...generateCustomers({
      seed: 5,
      start: writer.loaded(),
      count: SNAPSHOT_SLICE,
      branches: ['B001'],
      rmsPerBranch: 4,
    }),
  ];
  writer.write(
    slice.map((customer) => prepareInsert(customer, { hqHash: 'h' })),
    `home:${slice.at(-1)!.id}`,
  );
  process.stdout.write(`committed ${writer.loaded()}\n`);
}
