#!/usr/bin/env node
// `npm run test:fault -- [--seeds N] [--first S] [--seed S]`: the seeded sync fault simulation
// (test/fault/) over N seeds from S (default 1000 from 1), or one seed to replay a failure.
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    seeds: { type: 'string', default: '1000' },
    first: { type: 'string', default: '1' },
    seed: { type: 'string' },
  },
});
const env = { ...process.env };
for (const [name, value] of [
  ['BRANCHDESK_FAULT_SEEDS', values.seeds],
  ['BRANCHDESK_FAULT_FIRST_SEED', values.first],
  ['BRANCHDESK_FAULT_SEED', values.seed],
]) {
  if (value === undefined) continue;
  if (!/^\d+$/.test(value)) {
    console.error(`--${name.toLowerCase().split('_').at(-1)} must be a whole number`);
    process.exit(2);
  }
  env[name] = value;
}
const run = spawnSync(
  'scripts/with-keyring.sh',
  [
    'npx',
    'vitest',
    'run',
    // The seeds in two halves, one file each, that vitest's two workers run side by side; a
    // replayed seed runs in the first.
    ...(values.seed
      ? ['test/fault/sync-faults-a.test.ts', '--reporter', 'verbose']
      : ['test/fault/sync-faults-a.test.ts', 'test/fault/sync-faults-b.test.ts']),
  ],
  { stdio: 'inherit', env },
);
process.exit(run.status ?? 1);
