// `npm run bench -- synthetic`: how fast the synthetic customer generator streams records, and
// proof that what it streams is valid (a sample, parsed with the real schema).
//
//   --count N    records to generate (default 1000000)
//   --seed N     seed (default 1)
import { parseArgs } from 'node:util';
import { customerSchema } from '../shared/customer';
import {
  type SyntheticCustomerOptions,
  generateCustomer,
  generateCustomers,
} from '../shared/synthetic';
import { report, round } from './support';

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '1000000' },
    seed: { type: 'string', default: '1' },
  },
});
const COUNT = Number(values.count);
const SEED = Number(values.seed);
const SAMPLE = 1000;

const options: SyntheticCustomerOptions = {
  branches: Array.from({ length: 40 }, (_, n) => `BR${String(n + 1).padStart(4, '0')}`),
  rmsPerBranch: 6,
};

let corporate = 0;
let characters = 0;
const started = performance.now();
for (const customer of generateCustomers({ ...options, seed: SEED, count: COUNT })) {
  // Touch every record so that none of the work can be skipped.
  if (customer.kind === 'corporate') corporate += 1;
  characters += customer.legalName.length;
}
const seconds = (performance.now() - started) / 1000;

const validationStarted = performance.now();
let invalid = 0;
const step = Math.max(1, Math.floor(COUNT / SAMPLE));
for (let n = 0; n < Math.min(SAMPLE, COUNT); n += 1) {
  const result = customerSchema.safeParse(generateCustomer(SEED, n * step, options));
  if (!result.success) invalid += 1;
}
const validationMs = performance.now() - validationStarted;

const recordsPerSecond = Math.round(COUNT / seconds);
report(
  'synthetic',
  [
    ['measure', 'value'],
    ['records', COUNT],
    ['total s', round(seconds, 2)],
    ['records/s', recordsPerSecond],
    ['corporate share', round(corporate / COUNT, 4)],
    ['sample validated', Math.min(SAMPLE, COUNT)],
    ['sample invalid', invalid],
    ['validation ms/record', round(validationMs / Math.min(SAMPLE, COUNT), 3)],
  ],
  {
    count: COUNT,
    seed: SEED,
    seconds: round(seconds, 3),
    recordsPerSecond,
    corporateShare: round(corporate / COUNT, 4),
    nameCharacters: characters,
    sampleValidated: Math.min(SAMPLE, COUNT),
    sampleInvalid: invalid,
    validationMsPerRecord: round(validationMs / Math.min(SAMPLE, COUNT), 3),
  },
);
if (invalid > 0) process.exitCode = 1;
