// checkMasterRecord must answer what customerSchema answers: the same verdict and the same
// value, key order included. Its shortcut (storedRecord) is the part that could differ, so every
// property here compares storedRecord and checkMasterRecord with the schema, on synthetic records
// from many seeds and on the same records broken at random: a field removed, a wrong type, null,
// an extra key, text the schema would normalise, an invalid phone, ID number, date or enum, a
// value taken from another customer (a birth date that no longer matches the ID number), an entry
// twice, another kind of document.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Customer,
  addressSchema,
  consentSchema,
  restrictionSchema,
  corporateCustomerSchema,
  customerPhoneSchema,
  customerSchema,
  identityDocumentSchema,
  individualCustomerSchema,
  kycSchema,
  noteSchema,
  taskSchema,
  visitSchema,
  accountSummarySchema,
} from '../../../shared/customer';
import { checkMasterRecord, storedRecord } from '../../../shared/customer/master-record';
import { type SyntheticCustomerOptions, generateCustomers } from '../../../shared/synthetic';

const options: SyntheticCustomerOptions = {
  branches: ['BJ0105', 'SH0201'],
  rmsPerBranch: 3,
  today: '2026-07-01',
};

/** Records as they arrive from HQ: through JSON. */
function records(seed: number, count: number): unknown[] {
  return [...generateCustomers({ ...options, seed, count })].map(
    (customer) => JSON.parse(JSON.stringify(customer)) as unknown,
  );
}

/** A record whose consents are events of the ledger, with every optional field in play. */
function withLedgerConsents(raw: unknown, index: number): unknown {
  const record = raw as { consents: unknown[] };
  const id = (n: number) => `7e3c1a2b-4d5e-4f60-8a9b-${String(index * 10 + n).padStart(12, '0')}`;
  record.consents = [
    {
      id: id(1),
      purpose: 'marketing_sms',
      state: 'granted',
      at: '2026-11-02T09:15:00+08:00',
      channel: 'branch',
      noticeVersion: '2026-10',
      capturedBy: 'B001-teller-01',
      evidence: { kind: 'paper_form', reference: `PF-${index}` },
      expiresOn: '2027-11-02',
    },
    {
      id: id(2),
      purpose: 'cross_border_transfer',
      state: 'withdrawn',
      at: '2026-11-03T10:00:00+08:00',
      channel: 'phone',
      capturedBy: 'B001-rm-01',
      evidence: { kind: 'customer_screen' },
    },
  ];
  // Every third rated a visit on the customer screen, with or without a reason.
  if (index % 3 === 0)
    (record as { satisfaction?: unknown }).satisfaction = [
      {
        id: id(3),
        visitId: id(4),
        score: 1 + (index % 5),
        ...(index % 2 === 0 ? { reason: 'long_wait' } : {}),
        at: '2026-11-05T10:30:00+08:00',
        servedBy: 'B001-teller-01',
      },
    ];
  // Every fourth has a complaint with a step, and a suggestion.
  if (index % 4 === 1) {
    const complaint = id(5);
    (record as { complaints?: unknown }).complaints = [
      {
        id: complaint,
        reference: `TS20261105${complaint.replaceAll('-', '').slice(0, 6).toUpperCase()}`,
        kind: 'complaint',
        channel: 'counter',
        category: 'fees',
        description: '多收了手续费',
        ...(index % 8 === 1 ? { request: '退还' } : {}),
        receivedAt: '2026-11-05T10:30:00+08:00',
        receivedBy: 'B001-teller-01',
        owner: 'B001-teller-01',
        acknowledgeBy: '2026-11-06',
        resolveBy: '2026-11-20',
      },
      {
        id: id(6),
        reference: `JY20261105${id(6).replaceAll('-', '').slice(0, 6).toUpperCase()}`,
        kind: 'suggestion',
        channel: 'phone',
        category: 'other',
        description: '建议延长营业时间',
        receivedAt: '2026-11-05T11:00:00+08:00',
        receivedBy: 'B001-teller-01',
        owner: 'B001-teller-01',
      },
    ];
    (record as { complaintSteps?: unknown }).complaintSteps = [
      {
        id: id(7),
        complaintId: complaint,
        status: 'resolved',
        at: '2026-11-06T09:00:00+08:00',
        by: 'B001-teller-01',
        resolution: '已退还',
        customerResponse: 'accepted',
      },
    ];
  }
  // Every other one restricted, with or without the day its hold ends.
  if (index % 2 === 0)
    (record as { restriction?: unknown }).restriction = {
      since: '2026-11-04T08:00:00Z',
      reason: index % 4 === 0 ? 'erasure_requested' : 'legal_hold',
      ...(index % 4 === 0 ? { until: '2036-11-04' } : {}),
    };
  return record;
}

/** The schema's answer and both of ours agree on `raw`. */
function expectSameAnswer(raw: unknown): { stored: boolean; valid: boolean } {
  const parsed = customerSchema.safeParse(raw);
  const stored = storedRecord(raw);
  if (stored !== undefined) {
    expect(parsed.success, 'storedRecord accepted what the schema refuses').toBe(true);
    expect(stored).toStrictEqual(parsed.data);
    expect(JSON.stringify(stored)).toBe(JSON.stringify(parsed.data));
  }
  const checked = checkMasterRecord(raw);
  expect(checked !== undefined).toBe(parsed.success);
  if (checked !== undefined) {
    expect(checked).toStrictEqual(parsed.data);
    expect(JSON.stringify(checked)).toBe(JSON.stringify(parsed.data));
  }
  return { stored: stored !== undefined, valid: parsed.success };
}

// ——— breaking records ———

type Path = (string | number)[];

function isContainer(value: unknown): value is Record<string | number, unknown> {
  return typeof value === 'object' && value !== null;
}

/** Every path inside `value`, parents before children. */
function pathsOf(value: unknown, prefix: Path = []): Path[] {
  if (!isContainer(value)) return [];
  const keys: (string | number)[] = Array.isArray(value)
    ? value.map((_, index) => index)
    : Object.keys(value);
  return keys.flatMap((key) => [[...prefix, key], ...pathsOf(value[key], [...prefix, key])]);
}

function at(root: unknown, path: Path): unknown {
  let value = root;
  for (const key of path) value = isContainer(value) ? value[key] : undefined;
  return value;
}

/** The container holding `path`'s last key, and that key. */
function parentOf(root: unknown, path: Path): [Record<string | number, unknown>, string | number] {
  const parent = at(root, path.slice(0, -1));
  if (!isContainer(parent)) throw new Error('no parent');
  return [parent, path.at(-1)!];
}

const fullWidth = (text: string) =>
  text.replace(/[!-~]/gu, (char) => String.fromCharCode(char.charCodeAt(0) + 0xfee0));

const stringChanges: ((text: string) => string)[] = [
  (text) => ` ${text}`,
  (text) => `${text} `,
  (text) => text.toUpperCase(),
  (text) => text.toLowerCase(),
  fullWidth,
  (text) => `${text.slice(0, 1)}\u200b${text.slice(1)}`,
  (text) => text.slice(0, -1),
  (text) => `${text}0`,
  (text) => `${text}X`,
  (text) => text.replace(/\d/u, (digit) => String((Number(digit) + 1) % 10)),
  (text) => text.replace(/(\d)(\d)/u, '$2$1'),
  (text) => text.replace(/-/gu, ' - '),
  (text) => text.replace(/\u00b7/gu, '\u2022'),
  (text) => text.replace(/ /gu, '  '),
  (text) => text.replace(/\+86/u, '0086 '),
  (text) => text.replace(/\+86/u, ''),
  (text) => `${text}${text}`,
];

const anyValue: unknown[] = [
  null,
  undefined,
  0,
  1,
  -1,
  1.5,
  2 ** 53,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  true,
  false,
  '',
  ' ',
  'x',
  [],
  {},
  [{}],
  [null],
];

const enumValues = [
  'individual',
  'corporate',
  'male',
  'female',
  'mobile',
  'landline',
  'phone',
  'sms',
  'email',
  'post',
  'branch',
  'residential',
  'mailing',
  'registered',
  'resident_id',
  'passport',
  'hk_macao_permit',
  'taiwan_permit',
  'foreign_permanent_resident_id',
  'uscc',
  'business_licence',
  'mass',
  'affluent',
  'private_banking',
  'pending',
  'verified',
  'review_required',
  'rejected',
  'low',
  'medium',
  'high',
  'active',
  'dormant',
  'frozen',
  'closed',
  'granted',
  'withdrawn',
  'online_banking',
  'mobile_app',
  'home',
  'business_premises',
  'video',
  'open',
  'done',
  'cancelled',
  'Individual',
];
const dates = [
  '2024-02-29',
  '2023-02-29',
  '2024-02-30',
  '2024-13-01',
  '2024-1-01',
  '0000-01-01',
  '1899-12-31',
  '1990-01-01',
  '2099-01-01',
  '2026-07-01',
  ' 2024-01-01',
  '2024-01-01T00:00:00Z',
];
const instants = [
  '2026-03-30T09:02:07+08:00',
  '2026-03-30T09:02:07Z',
  '2026-03-30T09:02:07.123Z',
  '2026-03-30T09:02+08:00',
  '2026-03-30T09:02:07',
  '2026-03-30 09:02:07+08:00',
  '2026-02-30T09:02:07Z',
  '2026-03-30T24:00:00Z',
];
const ids = [
  'f926d069-fe50-406b-9783-45b7087966d1',
  'F926D069-FE50-406B-9783-45B7087966D1',
  '00000000-0000-8000-8000-000000000000',
  '00000000-0000-8000-8000-000000000001',
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  'f926d069-fe50-906b-9783-45b7087966d1',
  'f926d069-fe50-406b-c783-45b7087966d1',
  'f926d069fe50406b978345b7087966d1',
];
const phones = [
  '+8613800138000',
  '+86 138 0013 8000',
  '13800138000',
  '+8612012345678',
  '+861380013800',
  '+861012345678',
  '+862185551234',
  '+8675512345678',
  '+8679151173691',
  '+864001234567',
  '+868001234567',
  '+8612345',
  '+85291234567',
  '+85221234567',
  '+14155552671',
  '+447911123456',
  '010-12345678',
  '12345678',
  '+8610123456789',
];
const documentNumbers = [
  '41010219471107902X',
  '41010219471107902x',
  '410102194711079021',
  '410102471107902',
  '110105194912310021',
  '810000199001010013',
  'E12345678',
  'EA1234567',
  'G12345678',
  'H12345678',
  'H1234567801',
  '12345678',
  '1234567801(B)',
  'USA123456789012',
  '92360103MA7G879F7E',
  '91350100M000100Y43',
  '110108000000016',
  'ABC',
];
const names = [
  '王梅静',
  '王 梅静',
  '王·梅静',
  '王··梅静',
  '·王',
  '王1',
  '王😀',
  'Wang Meijing',
  'Wang  Meijing',
  'wang meijing',
  "O'Brien",
  'Jean-Luc Picard',
  'Nguyễn Văn An',
  '王'.repeat(31),
  'a'.repeat(101),
  'Ａｌｉ',
  '南昌汇通电子股份有限公司',
  '3M中国有限公司',
];
const codes = [
  '110000',
  '110100',
  '110101',
  '500000',
  '500100',
  '500101',
  '990000',
  '11000',
  'CHN',
  'chn',
  'CN',
  'HKG',
  ' CHN',
];
const references = ['B001-rm-04', 'B001 rm 04', 'a'.repeat(65), 'a'.repeat(64), 'x:y.z_1'];
const customerNumbers = [
  'C3823220615',
  'c3823220615',
  'C3823220616',
  'C 382 322 0615',
  'C382322061',
];
const masked = ['6216 **** **** 4192', '6222 0212 3456 7890', '622202123456', '6222****7890'];
const emails = [
  'a@example.com',
  'A@Example.COM',
  'a@example',
  'a@@example.com',
  ' a@example.com',
  'a@qq.con',
];

/** Values worth trying in a field, by the field's name. */
function valuesFor(key: string | number | undefined): readonly unknown[] {
  switch (key) {
    case 'e164':
      return phones;
    case 'number':
      return documentNumbers;
    case 'legalName':
    case 'chineseName':
    case 'pinyinName':
    case 'englishName':
      return names;
    case 'birthDate':
    case 'issuedOn':
    case 'expiresOn':
    case 'nextReviewDue':
    case 'lastReviewedOn':
    case 'openedOn':
    case 'closedOn':
    case 'dueOn':
      return dates;
    case 'at':
    case 'updatedAt':
      return instants;
    case 'id':
      return ids;
    case 'provinceCode':
    case 'cityCode':
    case 'districtCode':
    case 'postcode':
    case 'nationality':
    case 'issuingCountry':
      return codes;
    case 'updatedBy':
    case 'updatedByDevice':
    case 'homeBranchId':
    case 'assignedRmId':
    case 'author':
    case 'assignee':
      return references;
    case 'customerNumber':
      return customerNumbers;
    case 'maskedNumber':
      return masked;
    case 'email':
      return emails;
    default:
      return enumValues;
  }
}

/** Documents of the kinds the synthetic records do not hold. */
const otherDocuments: unknown[] = [
  { type: 'passport', number: 'E12345678', issuingCountry: 'CHN', expiresOn: '2030-01-01' },
  { type: 'passport', number: 'X1234567', issuingCountry: 'usa', expiresOn: null },
  { type: 'passport', number: 'E12345678', expiresOn: null },
  { type: 'hk_macao_permit', number: 'H12345678', expiresOn: '2031-05-01' },
  { type: 'taiwan_permit', number: '1234567801', expiresOn: null },
  { type: 'foreign_permanent_resident_id', number: 'USA123456789012', expiresOn: null },
  { type: 'business_licence', number: '110108000000016', issuedOn: '2010-01-01', expiresOn: null },
  {
    type: 'uscc',
    number: '91350100M000100Y43',
    issuedOn: '2015-01-01',
    expiresOn: '2014-01-01',
  },
  { type: 'uscc', number: '91350100m000100y43', issuedBy: ' 市场监督管理局 ', expiresOn: null },
];

type Mutation =
  | { op: 'delete'; at: number }
  | { op: 'set'; at: number; value: number; fromField: boolean }
  | { op: 'string'; at: number; change: number }
  | { op: 'extra'; at: number; value: number }
  | { op: 'copy'; at: number; donor: number }
  | { op: 'duplicate'; at: number }
  | { op: 'document'; document: number; replace: boolean }
  | { op: 'kind' };

const index = fc.nat();
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('delete' as const), at: index }),
  fc.record({ op: fc.constant('set' as const), at: index, value: index, fromField: fc.boolean() }),
  fc.record({ op: fc.constant('string' as const), at: index, change: index }),
  fc.record({ op: fc.constant('extra' as const), at: index, value: index }),
  fc.record({ op: fc.constant('copy' as const), at: index, donor: index }),
  fc.record({ op: fc.constant('duplicate' as const), at: index }),
  fc.record({ op: fc.constant('document' as const), document: index, replace: fc.boolean() }),
  fc.record({ op: fc.constant('kind' as const) }),
);

function pick<T>(values: readonly T[], at: number): T {
  return values[at % values.length]!;
}

function mutate(record: unknown, change: Mutation, donors: readonly unknown[]): void {
  if (!isContainer(record)) return;
  if (change.op === 'kind') {
    record.kind = record.kind === 'individual' ? 'corporate' : 'individual';
    return;
  }
  if (change.op === 'document') {
    const documents = record.identityDocuments;
    if (!Array.isArray(documents)) return;
    const document = structuredClone(pick(otherDocuments, change.document));
    if (change.replace && documents.length > 0) documents[0] = document;
    else documents.push(document);
    return;
  }
  const paths = pathsOf(record);
  if (paths.length === 0) return;
  const path = pick(paths, change.at);
  const [parent, key] = parentOf(record, path);
  const value = parent[key];
  switch (change.op) {
    case 'delete':
      if (Array.isArray(parent) && typeof key === 'number') parent.splice(key, 1);
      else delete parent[key];
      return;
    case 'set':
      parent[key] = structuredClone(
        change.fromField ? pick(valuesFor(key), change.value) : pick(anyValue, change.value),
      );
      return;
    case 'string':
      if (typeof value === 'string') parent[key] = pick(stringChanges, change.change)(value);
      return;
    case 'extra':
      if (isContainer(value) && !Array.isArray(value))
        value.extra = structuredClone(pick(anyValue, change.value));
      else if (!Array.isArray(parent)) parent.unexpected = 'x';
      return;
    case 'copy': {
      const donated = at(pick(donors, change.donor), path);
      if (donated !== undefined) parent[key] = structuredClone(donated);
      return;
    }
    case 'duplicate':
      if (Array.isArray(value) && value.length > 0) value.push(structuredClone(value[0]));
      else if (Array.isArray(parent)) parent.push(structuredClone(value));
      return;
  }
}

describe('checkMasterRecord', () => {
  const pool = [
    ...records(1, 120),
    ...records(7, 60),
    ...records(2 ** 40 + 3, 60),
    ...records(5, 60).map(withLedgerConsents),
  ];

  it('answers every synthetic record by its shortcut, with what the schema returns', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 }), (seed) => {
        for (const record of records(seed, 25)) {
          expect(expectSameAnswer(record)).toEqual({ stored: true, valid: true });
        }
      }),
      { numRuns: 40 },
    );
    for (const record of pool) expect(expectSameAnswer(record).stored).toBe(true);
  });

  it('gives the same verdict and value as the schema on records broken at random', () => {
    const seen = { stored: 0, refused: 0, normalised: 0 };
    fc.assert(
      fc.property(index, fc.array(mutation, { minLength: 1, maxLength: 3 }), (base, changes) => {
        const record = structuredClone(pick(pool, base));
        for (const change of changes) mutate(record, change, pool);
        const answer = expectSameAnswer(record);
        if (answer.stored) seen.stored++;
        else if (answer.valid) seen.normalised++;
        else seen.refused++;
      }),
      { numRuns: 6000 },
    );
    // Each way through was taken, many times.
    expect(seen.stored).toBeGreaterThan(300);
    expect(seen.refused).toBeGreaterThan(300);
    expect(seen.normalised).toBeGreaterThan(30);
  });

  it('refuses what is not a customer at all', () => {
    for (const raw of [undefined, null, 0, 'x', [], {}, [pool[0]], { kind: 'other' }]) {
      expect(storedRecord(raw)).toBeUndefined();
      expect(checkMasterRecord(raw)).toBeUndefined();
    }
  });

  it('leaves a record the schema normalises to the schema, and returns its normalised form', () => {
    const record = structuredClone(pool[0]) as Customer;
    record.legalName = ` ${record.legalName}`;
    expect(storedRecord(record)).toBeUndefined();
    expect(checkMasterRecord(record)).toStrictEqual(customerSchema.parse(record));
  });

  it('knows every field of the schema', () => {
    // storedRecord reads these fields and no others: a field added to a schema must be added
    // there too (master-record.ts), or a record carrying it would lose it.
    const fields = (schema: { shape: Record<string, { isOptional(): boolean }> }) =>
      Object.entries(schema.shape).map(([key, field]) => (field.isOptional() ? `${key}?` : key));
    const common = [
      'id',
      'customerNumber',
      'version',
      'updatedAt',
      'updatedBy',
      'updatedByDevice',
      'legalName',
      'chineseName?',
      'pinyinName?',
      'englishName?',
      'identityDocuments',
      'phones',
      'email?',
      'preferredChannel',
      'addresses',
      'kyc',
      'kycReviews?',
      'campaignContacts?',
      'ratingProposals?',
      'actionResponses?',
      'satisfaction?',
      'complaints?',
      'complaintSteps?',
      'segment',
      'homeBranchId',
      'assignedRmId?',
      'accounts',
      'consents',
      'notes',
      'visits',
      'tasks',
      'restriction?',
      'mergedFrom?',
    ];
    expect(fields(individualCustomerSchema)).toEqual([
      'kind',
      ...common,
      'gender',
      'birthDate',
      'nationality',
      'occupation?',
      'employer?',
    ]);
    expect(fields(corporateCustomerSchema)).toEqual(['kind', ...common]);
    expect(fields(identityDocumentSchema.in)).toEqual([
      'type',
      'number',
      'issuedBy?',
      'issuedOn?',
      'expiresOn',
      'issuingCountry?',
    ]);
    expect(fields(customerPhoneSchema.in)).toEqual(['id?', 'kind', 'e164', 'primary?']);
    expect(fields(addressSchema)).toEqual([
      'id?',
      'kind',
      'provinceCode',
      'cityCode',
      'districtCode',
      'line',
      'postcode?',
    ]);
    expect(fields(kycSchema)).toEqual([
      'status',
      'lastReviewedOn?',
      'nextReviewDue',
      'riskRating',
      'pep',
      'sanctionsHit',
      'sourceOfFunds?',
    ]);
    expect(fields(accountSummarySchema)).toEqual([
      'product',
      'maskedNumber',
      'status',
      'openedOn',
      'closedOn?',
      'balance?',
      'maturesOn?',
    ]);
    expect(fields(consentSchema)).toEqual([
      'id?',
      'purpose',
      'state',
      'at',
      'channel',
      'noticeVersion?',
      'capturedBy?',
      'evidence?',
      'expiresOn?',
    ]);
    expect(fields(noteSchema)).toEqual(['id', 'at', 'author', 'text']);
    expect(fields(visitSchema)).toEqual(['id', 'at', 'author', 'kind', 'text?']);
    expect(fields(taskSchema)).toEqual([
      'id',
      'title',
      'dueOn',
      'status',
      'assignee',
      'cleansing?',
    ]);
    expect(fields(restrictionSchema)).toEqual(['since', 'reason', 'until?']);
  });
});
