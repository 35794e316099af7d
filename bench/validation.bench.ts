// `npm run bench -- validation`: what checking each master record HQ sends costs, the schema
// (customerSchema.safeParse) and checkMasterRecord side by side on the same records, chunk by
// chunk and in alternating order so machine noise hits both alike. Records come as HQ sends
// them: synthetic customers through JSON. Then where checkMasterRecord's time goes: the
// validators it calls, timed alone on the same records, and the rest (reading the fields).
//
//   --customers N   records to check (default 100000)
//   --seed N        synthetic seed (default 1)
import { parseArgs } from 'node:util';
import {
  type Customer,
  checkCorporateCustomer,
  checkIndividualCustomer,
  customerSchema,
  documentNumber,
  isStoredName,
  phoneNumberE164,
} from '../shared/customer';
import { checkMasterRecord, storedRecord } from '../shared/customer/master-record';
import { generateCustomers } from '../shared/synthetic';
import { validatePersonName } from '../shared/validation';
import { report, round } from './support';

const { values } = parseArgs({
  options: {
    customers: { type: 'string', default: '100000' },
    seed: { type: 'string', default: '1' },
  },
});
const CUSTOMERS = Number(values.customers);
const SEED = Number(values.seed);
const CHUNK = 10_000;
const options = { branches: ['B001'], rmsPerBranch: 8 };

/** A chunk of records as they arrive: one JSON text parsed, as a pull or snapshot page is. */
function chunk(start: number, count: number): unknown[] {
  const text = JSON.stringify([...generateCustomers({ ...options, seed: SEED, count, start })]);
  return JSON.parse(text) as unknown[];
}

function timeUs<T>(records: readonly T[], check: (record: T) => unknown): number {
  const started = performance.now();
  for (const raw of records) if (!check(raw)) throw new Error('a valid record was refused');
  return (performance.now() - started) * 1000;
}

const schemaCheck = (raw: unknown) => customerSchema.safeParse(raw).success;
const ignore = { addIssue: () => undefined };

// The validators checkMasterRecord calls, each over every record's fields it applies to.
const parts: Record<string, (customer: Customer) => unknown> = {
  phones: (customer) =>
    customer.phones.every((phone) => phoneNumberE164(phone.kind, phone.e164, ignore)),
  document_numbers: (customer) =>
    customer.identityDocuments.every((document) => documentNumber(document, ignore)),
  rules_between_fields: (customer) => {
    if (customer.kind === 'individual') checkIndividualCustomer(customer, ignore);
    else checkCorporateCustomer(customer, ignore);
    return true;
  },
  names: (customer) => {
    const { legalName, chineseName, pinyinName, englishName } = customer;
    if (customer.kind === 'corporate')
      return [legalName, chineseName, pinyinName, englishName].every(
        (name) => name === undefined || isStoredName(name),
      );
    const person = (name: string | undefined, script: 'any' | 'latin') =>
      name === undefined || validatePersonName(name, { script }).ok;
    return (
      person(legalName, 'any') &&
      person(chineseName, 'any') &&
      person(pinyinName, 'latin') &&
      person(englishName, 'latin')
    );
  },
};

// Warm both up on records outside the measured ones.
const warmUp = chunk(CUSTOMERS, 3000);
for (let round = 0; round < 2; round++) {
  timeUs(warmUp, schemaCheck);
  timeUs(warmUp, checkMasterRecord);
}

let schemaUs = 0;
let checkUs = 0;
let stored = 0;
const partUs: Record<string, number> = Object.fromEntries(
  Object.keys(parts).map((name) => [name, 0]),
);
for (let start = 0, turn = 0; start < CUSTOMERS; start += CHUNK, turn++) {
  const records = chunk(start, Math.min(CHUNK, CUSTOMERS - start));
  if (turn % 2 === 0) {
    schemaUs += timeUs(records, schemaCheck);
    checkUs += timeUs(records, checkMasterRecord);
  } else {
    checkUs += timeUs(records, checkMasterRecord);
    schemaUs += timeUs(records, schemaCheck);
  }
  const customers: Customer[] = [];
  for (const [index, raw] of records.entries()) {
    const customer = storedRecord(raw);
    if (customer === undefined) continue;
    stored++;
    customers.push(customer);
    // The two must agree; a sample is enough here (the unit test checks every field).
    if (index % 97 === 0 && JSON.stringify(customer) !== JSON.stringify(customerSchema.parse(raw)))
      throw new Error('checkMasterRecord and the schema disagree');
  }
  for (const [name, part] of Object.entries(parts)) partUs[name]! += timeUs(customers, part);
}

const perRecord = (us: number) => round(us / CUSTOMERS, 2);
const rest = checkUs - Object.values(partUs).reduce((sum, us) => sum + us, 0);
const results = {
  customers: CUSTOMERS,
  seed: SEED,
  schema: { us_per_record: perRecord(schemaUs), s_total: round(schemaUs / 1e6, 2) },
  check: {
    us_per_record: perRecord(checkUs),
    s_total: round(checkUs / 1e6, 2),
    answered_without_schema: round(stored / CUSTOMERS, 4),
    where_the_time_goes_us_per_record: {
      ...Object.fromEntries(Object.entries(partUs).map(([name, us]) => [name, perRecord(us)])),
      fields_and_the_rest: perRecord(rest),
    },
  },
  ratio: round(schemaUs / checkUs, 2),
  target: { check_us_per_record_max: 15 },
};
report(
  'validation',
  [
    ['measure', 'µs/record', `s per ${CUSTOMERS}`],
    ['customerSchema.safeParse', perRecord(schemaUs), round(schemaUs / 1e6, 2)],
    ['checkMasterRecord', perRecord(checkUs), round(checkUs / 1e6, 2)],
    ...Object.entries(partUs).map(([name, us]) => [
      `  of which ${name}`,
      perRecord(us),
      round(us / 1e6, 2),
    ]),
    ['  of which fields and the rest', perRecord(rest), round(rest / 1e6, 2)],
    ['schema ÷ check', results.ratio, ''],
    ['answered without the schema', results.check.answered_without_schema, ''],
  ],
  results,
);
