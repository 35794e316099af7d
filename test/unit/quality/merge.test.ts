// The pure side of merging duplicates (shared/quality/merge.ts): the united record, its validity
// as a master record, the redirect of an edit made to the record merged away, and an unmerge that
// gives back both records as they were plus each later change where it was assigned.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkMasterRecord, customerSchema, type Customer } from '../../../shared/customer';
import {
  changesSinceMerge,
  keysTouched,
  mergeCustomerRecords,
  rebaseOntoSurvivor,
  splitAtUnmerge,
} from '../../../shared/quality/merge';
import { mergeField } from '../../../shared/sync/merge';
import { generateCustomers } from '../../../shared/synthetic';
import { secondRegistrationOf } from '../../support/duplicates';

const people = [
  ...generateCustomers({ seed: 23, count: 80, branches: ['B001'], rmsPerBranch: 2 }),
].filter((customer) => customer.kind === 'individual');
let next = 0;
const newId = (..._why: string[]) => `00000000-0000-4000-8000-${String(++next).padStart(12, '0')}`;
const MERGE_ID = '11111111-1111-4111-8111-111111111111';
const AT = '2026-12-01T02:00:00.000Z';

/** The same person registered a second time: their identity, another document and phone. */
function secondRecordOf(person: Customer, other: Customer): Customer {
  return { ...other, ...secondRegistrationOf(person, 'E12345678') } as Customer;
}

describe('mergeCustomerRecords', () => {
  const survivor = people[0]!;
  const merged = secondRecordOf(survivor, people[1]!);
  const { record, entryIds } = mergeCustomerRecords(
    survivor,
    merged,
    { occupation: 'merged' },
    { mergeId: MERGE_ID, at: AT, newId },
  );

  it('keeps the survivor’s id and number, takes the chosen values and unites every list', () => {
    expect(record.id).toBe(survivor.id);
    expect(record.customerNumber).toBe(survivor.customerNumber);
    expect(record.kind === 'individual' && record.occupation).toBe(
      merged.kind === 'individual' && merged.occupation,
    );
    expect(record.kind === 'individual' && record.employer).toBe(
      survivor.kind === 'individual' && survivor.employer,
    );
    expect(record.identityDocuments).toEqual([
      ...survivor.identityDocuments,
      ...merged.identityDocuments,
    ]);
    for (const note of merged.notes) expect(record.notes).toContainEqual(note);
    for (const visit of [...survivor.visits, ...merged.visits])
      expect(record.visits).toContainEqual(visit);
    expect(record.phones.filter((phone) => phone.primary)).toHaveLength(1);
    expect(record.mergedFrom).toEqual([
      { customerId: merged.id, customerNumber: merged.customerNumber, mergeId: MERGE_ID, at: AT },
    ]);
    // Phones and addresses of both carry positional ids that clash: the other's got new ones.
    expect(new Set(record.phones.map((phone) => phone.id)).size).toBe(record.phones.length);
    expect(Object.keys(entryIds.phones ?? {}).length).toBeGreaterThan(0);
  });

  it('is a valid master record, read the same by the sync’s fast check and by the schema', () => {
    const parsed = customerSchema.parse(record);
    expect(parsed).toEqual(record);
    expect(checkMasterRecord(structuredClone(record))).toEqual(parsed);
  });

  it('unites without duplicates: merging a record with itself adds nothing to any list', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: people.length - 1 }), (index) => {
        const person = people[index]!;
        const twin = { ...structuredClone(person), id: newId(), customerNumber: 'C0000000001' };
        const { record: same } = mergeCustomerRecords(
          person,
          twin,
          {},
          {
            mergeId: MERGE_ID,
            at: AT,
            newId,
          },
        );
        const { mergedFrom: _, ...rest } = same;
        expect(rest).toEqual(person);
      }),
      { numRuns: 30 },
    );
  });
});

describe('an edit queued against the record merged away', () => {
  const survivor = people[2]!;
  const merged = secondRecordOf(survivor, people[3]!);
  const { record: after, entryIds } = mergeCustomerRecords(
    survivor,
    merged,
    {},
    {
      mergeId: MERGE_ID,
      at: AT,
      newId,
    },
  );

  it('applies to the survivor as it would have to the old record, when nothing changed since', () => {
    if (merged.kind !== 'individual') throw new Error('people only');
    const fields = { occupation: { from: merged.occupation, to: '医生' } };
    const rebased = rebaseOntoSurvivor(fields, merged, after, entryIds);
    const result = mergeField(
      'occupation',
      rebased.occupation!,
      after.kind === 'individual' ? after.occupation : undefined,
      '2026-12-01T03:00:00.000Z-0000-dev',
      '2026-12-01T02:00:00.000Z-0000-hq',
    );
    expect(result).toMatchObject({ result: 'applied', value: '医生' });
  });

  it('changes the entry it named, under the id that entry has in the survivor', () => {
    const phone = merged.phones[0]!;
    const edited = { ...phone, kind: 'landline' as const, e164: '+861062345678', primary: false };
    const fields = { phones: { from: merged.phones, to: [edited, ...merged.phones.slice(1)] } };
    const rebased = rebaseOntoSurvivor(fields, merged, after, entryIds);
    const movedTo = entryIds.phones?.[phone.id] ?? phone.id;
    expect((rebased.phones!.to as { id: string }[])[0]!.id).toBe(movedTo);
    expect(after.phones.some((p) => p.id === movedTo && p.e164 === phone.e164)).toBe(true);
  });

  it('changes a phone the merge made no longer primary, without making it primary again', () => {
    const phone = merged.phones.find((p) => p.primary)!;
    const movedTo = entryIds.phones?.[phone.id] ?? phone.id;
    const there = after.phones.find((p) => p.id === movedTo)!;
    expect(there.primary).toBe(false);
    const edited = { ...phone, e164: '+8613987654321' };
    const fields = {
      phones: {
        from: merged.phones,
        to: merged.phones.map((p) => (p.id === phone.id ? edited : p)),
      },
    };
    const rebased = rebaseOntoSurvivor(fields, merged, after, entryIds).phones!;
    expect((rebased.from as { id: string }[]).find((p) => p.id === movedTo)).toEqual(there);
    expect((rebased.to as { id: string }[]).find((p) => p.id === movedTo)).toEqual({
      ...there,
      e164: '+8613987654321',
    });
  });

  it('adds a document to the survivor’s list, keeping the documents the merge brought', () => {
    const added = { type: 'hk_macau_permit', number: 'C12345678', expiresOn: '2030-01-01' };
    const fields = {
      identityDocuments: {
        from: merged.identityDocuments,
        to: [...merged.identityDocuments, added],
      },
    };
    const rebased = rebaseOntoSurvivor(fields, merged, after, entryIds).identityDocuments!;
    expect(rebased.from).toEqual(after.identityDocuments);
    expect(rebased.to).toEqual([...after.identityDocuments, added]);
  });
});

describe('splitAtUnmerge', () => {
  const survivor = people[4]!;
  const merged = secondRecordOf(survivor, people[5]!);
  const { record: atMerge } = mergeCustomerRecords(
    survivor,
    merged,
    { employer: 'merged' },
    {
      mergeId: MERGE_ID,
      at: AT,
      newId,
    },
  );
  const before = { survivor, merged };

  it('with nothing changed since, gives back both records exactly as they were', () => {
    const split = splitAtUnmerge(before, atMerge, atMerge, {});
    expect(split.survivor).toEqual(survivor);
    expect(split.merged).toEqual(merged);
    expect(changesSinceMerge(atMerge, atMerge)).toEqual([]);
  });

  it('gives every later change to one record: assigned, or by default, and none twice', () => {
    const note = (id: string) => ({
      id,
      at: '2026-12-02T01:00:00.000Z',
      author: 'teller1',
      text: '之后的备注',
    });
    fc.assert(
      fc.property(
        fc.array(fc.boolean(), { minLength: 1, maxLength: 6 }),
        fc.constantFrom<'survivor' | 'merged'>('survivor', 'merged'),
        (assignToMerged, occupationSide) => {
          const notes = assignToMerged.map(() => note(newId()));
          const now = {
            ...atMerge,
            notes: [...atMerge.notes, ...notes],
            ...(atMerge.kind === 'individual' ? { occupation: '律师' } : {}),
          } as Customer;
          const assignments = Object.fromEntries([
            ...notes.map((entry, index) => [
              `notes/${entry.id}`,
              assignToMerged[index] ? 'merged' : 'survivor',
            ]),
            ['occupation', occupationSide],
          ]) as Record<string, 'survivor' | 'merged'>;
          const split = splitAtUnmerge(before, atMerge, now, assignments);
          notes.forEach((entry, index) => {
            const home = assignToMerged[index] ? split.merged : split.survivor;
            const other = assignToMerged[index] ? split.survivor : split.merged;
            expect(home.notes).toContainEqual(entry);
            expect(other.notes).not.toContainEqual(entry);
          });
          const gotIt = occupationSide === 'merged' ? split.merged : split.survivor;
          expect(gotIt.kind === 'individual' && gotIt.occupation).toBe('律师');
          // Each record's own documents, nothing of the other's.
          expect(split.survivor.identityDocuments).toEqual(survivor.identityDocuments);
          expect(split.merged.identityDocuments).toEqual(merged.identityDocuments);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('names the changes an edit made, so an unmerge gives a redirected edit back', () => {
    const fields = {
      notes: { from: merged.notes, to: [...merged.notes, note2()] },
      occupation: { from: 'a', to: 'b' },
    };
    expect(keysTouched(fields).sort()).toEqual([`notes/${note2().id}`, 'occupation'].sort());
  });
});

function note2() {
  return {
    id: '22222222-2222-4222-8222-222222222222',
    at: '2026-12-02T01:00:00.000Z',
    author: 'teller1',
    text: '备注',
  };
}
