// The field-level three-way merge HQ runs on a branch's edit, and the canonical JSON it compares by.
import { describe, expect, it } from 'vitest';
import {
  customerFieldPolicies,
  type CustomerEditableField,
  type CustomerFieldClass,
} from '../../shared/customer/field-policies';
import { canonicalJson, sameJson } from '../../shared/sync/canonical';
import { formatHlc } from '../../shared/sync/hlc';
import {
  appendOnlyUnion,
  fieldResults,
  mergeField,
  onlyAppends,
  rejectedFieldResults,
} from '../../shared/sync/merge';

const T = 1_764_241_234_567;
const earlier = formatHlc({ wall: T, counter: 0, node: 'dev-a' });
const later = formatHlc({ wall: T + 1, counter: 0, node: 'dev-a' });
/** Same millisecond as `earlier`; only the counter says which came last. */
const laterByCounter = formatHlc({ wall: T, counter: 1, node: 'dev-a' });
/** Same millisecond and counter as `earlier`; only the node breaks the tie. */
const laterByNode = formatHlc({ wall: T, counter: 0, node: 'hq' });

const kyc = (status: string, riskRating: string) => ({
  status,
  nextReviewDue: '2027-01-01',
  riskRating,
  pep: false,
  sanctionsHit: false,
});
const note = (id: string, text: string) => ({
  id,
  at: '2025-11-27T09:00:00.000Z',
  author: 'staff-1',
  text,
});
const visit = (id: string, kind: string) => ({
  id,
  at: '2025-11-27T10:00:00.000Z',
  author: 'staff-2',
  kind,
});

/** The same value with the keys of every object in reverse order. */
function reverseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reverseKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .reverse()
      .map(([key, item]) => [key, reverseKeys(item)]),
  );
}

interface Case {
  field: CustomerEditableField;
  base: unknown;
  local: unknown;
  hq: unknown;
}

/**
 * For each field class, a field of it and three different values: base, branch's, HQ's. Lists
 * merged entry by entry (phones, addresses, tasks) are tested in sync-entry-merge.test.ts.
 */
const concurrentCases: Record<Exclude<CustomerFieldClass, 'append_only'>, Case[]> = {
  contact: [
    { field: 'email', base: 'old@example.cn', local: 'branch@example.cn', hq: 'hq@example.cn' },
    { field: 'preferredChannel', base: 'phone', local: 'email', hq: 'sms' },
  ],
  profile: [
    { field: 'occupation', base: 'teacher', local: 'engineer', hq: 'doctor' },
    { field: 'employer', base: 'Acme', local: 'Bank of Dalian', hq: 'Haier' },
  ],
  identity: [
    { field: 'englishName', base: 'Li Wei', local: 'Wei Li', hq: 'LI Wei' },
    { field: 'birthDate', base: '1980-01-01', local: '1980-01-10', hq: '1981-01-01' },
  ],
  hq_authoritative: [
    {
      field: 'kyc',
      base: kyc('pending', 'low'),
      local: kyc('verified', 'low'),
      hq: kyc('review_required', 'high'),
    },
    { field: 'homeBranchId', base: 'br-1', local: 'br-2', hq: 'br-3' },
    { field: 'segment', base: 'mass', local: 'affluent', hq: 'private_banking' },
  ],
};

describe('the test fixtures', () => {
  it('use fields of the class they stand for', () => {
    for (const [fieldClass, cases] of Object.entries(concurrentCases)) {
      for (const { field } of cases) expect(customerFieldPolicies[field]).toBe(fieldClass);
    }
    expect(customerFieldPolicies.notes).toBe('append_only');
    expect(customerFieldPolicies.visits).toBe('append_only');
    expect(customerFieldPolicies.consents).toBe('append_only');
  });

  it('reverse key order for the key-order tests', () => {
    expect(Object.keys(reverseKeys({ a: 1, b: { c: 1, d: 2 } }) as object)).toEqual(['b', 'a']);
    expect(reverseKeys([{ c: 1, d: 2 }])).toEqual([{ c: 1, d: 2 }]);
    expect(Object.keys((reverseKeys([{ c: 1, d: 2 }]) as object[])[0]!)).toEqual(['d', 'c']);
  });
});

describe('mergeField', () => {
  const allCases = [
    ...Object.values(concurrentCases).flat(),
    {
      field: 'notes',
      base: [note('n1', 'a')],
      local: [note('n1', 'a'), note('n2', 'b')],
      hq: [note('n1', 'a'), note('n3', 'c')],
    },
  ] satisfies Case[];

  describe.each(allCases)('on $field', ({ field, base, local }) => {
    it('applies a change HQ has not touched since the base, whatever the timestamps', () => {
      for (const hqHlc of [undefined, earlier, later]) {
        expect(mergeField(field, { from: base, to: local }, base, earlier, hqHlc)).toEqual({
          result: 'applied',
          value: local,
        });
      }
    });

    it('applies it when HQ holds the base with its keys in another order', () => {
      const reordered = reverseKeys(base);
      expect(mergeField(field, { from: base, to: local }, reordered, earlier, later)).toEqual({
        result: 'applied',
        value: local,
      });
    });

    it('leaves a value HQ already has unchanged, whatever the timestamps', () => {
      for (const hqHlc of [undefined, earlier, later]) {
        const merged = mergeField(field, { from: base, to: local }, local, earlier, hqHlc);
        expect(merged.result).toBe('unchanged');
        expect(merged.value).toEqual(local);
      }
    });
  });

  describe.each([...concurrentCases.contact, ...concurrentCases.profile])(
    'on $field, changed differently on both sides (a later edit wins)',
    ({ field, base, local, hq }) => {
      it('takes the edit when it is later than HQ’s last write', () => {
        for (const [editHlc, hqHlc] of [
          [later, earlier],
          [laterByCounter, earlier],
          [laterByNode, earlier],
        ] as const) {
          expect(mergeField(field, { from: base, to: local }, hq, editHlc, hqHlc)).toEqual({
            result: 'won',
            value: local,
          });
        }
      });

      it('keeps HQ’s value when HQ’s write is later', () => {
        for (const [editHlc, hqHlc] of [
          [earlier, later],
          [earlier, laterByCounter],
          [earlier, laterByNode],
        ] as const) {
          expect(mergeField(field, { from: base, to: local }, hq, editHlc, hqHlc)).toEqual({
            result: 'superseded',
            value: hq,
          });
        }
      });

      it('keeps HQ’s value when the timestamps are equal: the edit is not later', () => {
        expect(mergeField(field, { from: base, to: local }, hq, later, later)).toEqual({
          result: 'superseded',
          value: hq,
        });
      });

      it('takes the edit when HQ recorded no timestamp for the field (seed data)', () => {
        expect(mergeField(field, { from: base, to: local }, hq, earlier, undefined)).toEqual({
          result: 'won',
          value: local,
        });
      });

      it('orders a day-old wall clock with a later counter correctly (padding matters)', () => {
        const ninetyNine = formatHlc({ wall: 99, counter: 0, node: 'dev-a' });
        const hundred = formatHlc({ wall: 100, counter: 0, node: 'dev-a' });
        expect(mergeField(field, { from: base, to: local }, hq, hundred, ninetyNine).result).toBe(
          'won',
        );
        expect(mergeField(field, { from: base, to: local }, hq, ninetyNine, hundred).result).toBe(
          'superseded',
        );
      });
    },
  );

  describe.each(concurrentCases.identity)(
    'on $field, changed differently on both sides (identity)',
    ({ field, base, local, hq }) => {
      it('reports a conflict and keeps HQ’s value, however late the edit', () => {
        for (const hqHlc of [undefined, earlier, later]) {
          expect(mergeField(field, { from: base, to: local }, hq, later, hqHlc)).toEqual({
            result: 'conflict',
            value: hq,
          });
        }
      });
    },
  );

  describe.each(concurrentCases.hq_authoritative)(
    'on $field, changed differently on both sides (HQ owns it)',
    ({ field, base, local, hq }) => {
      it('keeps HQ’s value, however late the edit', () => {
        for (const hqHlc of [undefined, earlier, later]) {
          expect(mergeField(field, { from: base, to: local }, hq, later, hqHlc)).toEqual({
            result: 'hq_authoritative',
            value: hq,
          });
        }
      });
    },
  );

  describe('on a history changed on both sides', () => {
    it('keeps HQ’s notes first, then the ones the branch added', () => {
      const base = [note('n1', 'first')];
      const local = [note('n1', 'first'), note('n2', 'branch'), note('n4', 'branch again')];
      const hq = [note('n1', 'first'), note('n3', 'hq')];
      for (const [editHlc, hqHlc] of [
        [earlier, later],
        [later, earlier],
        [later, undefined],
      ] as const) {
        expect(mergeField('notes', { from: base, to: local }, hq, editHlc, hqHlc)).toEqual({
          result: 'merged',
          value: [
            note('n1', 'first'),
            note('n3', 'hq'),
            note('n2', 'branch'),
            note('n4', 'branch again'),
          ],
        });
      }
    });

    it('does not add a visit twice when both sides added it', () => {
      const base = [visit('v1', 'branch')];
      const local = [visit('v1', 'branch'), visit('v2', 'phone')];
      const hq = [visit('v1', 'branch'), visit('v3', 'home'), visit('v2', 'phone')];
      const merged = mergeField('visits', { from: base, to: local }, hq, later, earlier);
      expect(merged).toEqual({ result: 'merged', value: hq });
    });

    it('does not bring back an entry that HQ no longer has and the base had', () => {
      const base = [note('n1', 'first'), note('n2', 'second')];
      const local = [note('n1', 'first'), note('n2', 'second'), note('n5', 'new')];
      const hq = [note('n1', 'first'), note('n3', 'hq')];
      expect(mergeField('notes', { from: base, to: local }, hq, later, earlier)).toEqual({
        result: 'merged',
        value: [note('n1', 'first'), note('n3', 'hq'), note('n5', 'new')],
      });
    });

    it('dedupes consents, which have no id, by content regardless of key order', () => {
      const granted = {
        purpose: 'marketing',
        state: 'granted',
        at: '2025-11-01T08:00:00.000Z',
        channel: 'branch',
      };
      const grantedReordered = {
        channel: 'branch',
        at: '2025-11-01T08:00:00.000Z',
        state: 'granted',
        purpose: 'marketing',
      };
      const withdrawn = { ...granted, state: 'withdrawn', at: '2025-11-20T08:00:00.000Z' };
      const hqOnly = { ...granted, purpose: 'data_sharing', channel: 'online_banking' };
      const merged = mergeField(
        'consents',
        { from: [], to: [grantedReordered, withdrawn] },
        [granted, hqOnly],
        later,
        earlier,
      );
      expect(merged.result).toBe('merged');
      expect(merged.value).toEqual([granted, hqOnly, withdrawn]);
    });
  });
});

describe('appendOnlyUnion', () => {
  it('keeps HQ’s entries in HQ’s order, then the added ones in the edit’s order', () => {
    const value = appendOnlyUnion(
      'notes',
      { from: [note('a', '1')], to: [note('z', '3'), note('a', '1'), note('m', '2')] },
      [note('q', 'hq'), note('a', '1')],
    );
    expect(value).toEqual([note('q', 'hq'), note('a', '1'), note('z', '3'), note('m', '2')]);
  });

  it('tells entries with an id apart by id only: HQ’s version of an entry stands', () => {
    const value = appendOnlyUnion(
      'notes',
      { from: [], to: [note('n1', 'edited at the branch'), note('n2', 'new')] },
      [note('n1', 'as HQ has it')],
    );
    expect(value).toEqual([note('n1', 'as HQ has it'), note('n2', 'new')]);
  });

  it('adds an entry the edit lists twice only once', () => {
    const value = appendOnlyUnion(
      'visits',
      { from: [], to: [visit('v1', 'home'), visit('v1', 'home'), visit('v2', 'video')] },
      [],
    );
    expect(value).toEqual([visit('v1', 'home'), visit('v2', 'video')]);
  });

  it('adds a consent the edit lists twice, in two key orders, only once', () => {
    const value = appendOnlyUnion(
      'consents',
      {
        from: [],
        to: [
          { purpose: 'p', state: 'granted' },
          { state: 'granted', purpose: 'p' },
        ],
      },
      [],
    );
    expect(value).toEqual([{ purpose: 'p', state: 'granted' }]);
  });

  it('treats a value that is not an array as empty, on any side', () => {
    expect(appendOnlyUnion('notes', { from: undefined, to: [note('a', '1')] }, undefined)).toEqual([
      note('a', '1'),
    ]);
    expect(appendOnlyUnion('notes', { from: null, to: null }, [note('a', '1')])).toEqual([
      note('a', '1'),
    ]);
    expect(appendOnlyUnion('notes', { from: 'x', to: [note('a', '1')] }, { id: 'h' })).toEqual([
      note('a', '1'),
    ]);
  });

  it('does not change its inputs', () => {
    const hq = [note('h', 'hq')];
    const to = [note('b', 'branch')];
    const value = appendOnlyUnion('notes', { from: [], to }, hq);
    expect(value).toEqual([note('h', 'hq'), note('b', 'branch')]);
    expect(value).not.toBe(hq);
    expect(hq).toEqual([note('h', 'hq')]);
    expect(to).toEqual([note('b', 'branch')]);
  });
});

describe('onlyAppends', () => {
  const notes = [note('n1', 'one'), note('n2', 'two')];

  it('allows adding entries', () => {
    expect(onlyAppends(notes, [...notes, note('n3', 'three')])).toBe(true);
    expect(onlyAppends([], [note('n1', 'one')])).toBe(true);
    expect(onlyAppends(notes, notes)).toBe(true);
  });

  it('allows the same entries with their keys in another order', () => {
    const reordered = notes.map(reverseKeys);
    expect(onlyAppends(notes, reordered)).toBe(true);
    expect(
      onlyAppends(
        [{ purpose: 'p', state: 'granted', channel: 'branch' }],
        [{ channel: 'branch', state: 'granted', purpose: 'p' }],
      ),
    ).toBe(true);
  });

  it('refuses removing an entry', () => {
    expect(onlyAppends(notes, [note('n1', 'one')])).toBe(false);
    expect(onlyAppends(notes, [])).toBe(false);
    expect(onlyAppends(notes, [note('n2', 'two'), note('n3', 'three')])).toBe(false);
  });

  it('refuses modifying an entry, even with the same id', () => {
    expect(onlyAppends(notes, [note('n1', 'one'), note('n2', 'TWO')])).toBe(false);
    expect(onlyAppends(notes, [note('n1', 'one'), { ...note('n2', 'two'), extra: 1 }])).toBe(false);
    const { text: _dropped, ...withoutText } = note('n2', 'two');
    expect(onlyAppends(notes, [note('n1', 'one'), withoutText])).toBe(false);
  });

  it('refuses replacing the history with something that is not an array', () => {
    expect(onlyAppends(notes, undefined)).toBe(false);
    expect(onlyAppends(notes, null)).toBe(false);
    expect(onlyAppends([], {})).toBe(false);
  });

  it('allows anything when there was no history before', () => {
    expect(onlyAppends(undefined, [note('n1', 'one')])).toBe(true);
    expect(onlyAppends(null, [])).toBe(true);
    expect(onlyAppends(undefined, undefined)).toBe(true);
    expect(onlyAppends('not a list', 'still not')).toBe(true);
  });
});

describe('canonicalJson', () => {
  it('sorts object keys at every depth', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: 'x' } })).toBe(
      '{"a":{"c":"x","d":[1,{"y":2,"z":1}]},"b":1}',
    );
    expect(canonicalJson({ b: 2, a: 1 })).toBe(canonicalJson({ a: 1, b: 2 }));
  });

  it('keeps the order of arrays, which is meaningful', () => {
    expect(canonicalJson([2, 1])).toBe('[2,1]');
    expect(canonicalJson([[1, 2], [3]])).toBe('[[1,2],[3]]');
    expect(canonicalJson([1, 2])).not.toBe(canonicalJson([2, 1]));
  });

  it('writes no whitespace', () => {
    expect(canonicalJson({ a: [1, 2], b: { c: 'd e' } })).toBe('{"a":[1,2],"b":{"c":"d e"}}');
  });

  it('spells scalars as JSON does', () => {
    expect(canonicalJson(null)).toBe('null');
    expect(canonicalJson(true)).toBe('true');
    expect(canonicalJson(0)).toBe('0');
    expect(canonicalJson(-1.5)).toBe('-1.5');
    expect(canonicalJson('a"b\n')).toBe('"a\\"b\\n"');
    expect(canonicalJson('张伟')).toBe('"张伟"');
    expect(canonicalJson({})).toBe('{}');
    expect(canonicalJson([])).toBe('[]');
  });

  it('treats undefined as absent in objects and as null elsewhere', () => {
    expect(canonicalJson(undefined)).toBe('null');
    expect(canonicalJson({ a: 1, b: undefined })).toBe('{"a":1}');
    expect(canonicalJson({ a: { b: undefined } })).toBe('{"a":{}}');
    expect(canonicalJson([1, undefined, 3])).toBe('[1,null,3]');
    // Keeps a null property, which is a value, unlike an undefined one.
    expect(canonicalJson({ a: null })).toBe('{"a":null}');
  });

  it('escapes keys', () => {
    expect(canonicalJson({ 'a"b': 1 })).toBe('{"a\\"b":1}');
  });

  it('agrees with JSON.parse: the canonical form parses back to an equal value', () => {
    const value = { z: [{ b: 1, a: [null, 'x'] }], a: { c: false, b: 1.25 } };
    expect(JSON.parse(canonicalJson(value))).toEqual(value);
  });
});

describe('sameJson', () => {
  it('is true for the same value with keys in any order', () => {
    expect(sameJson({ a: 1, b: { c: [1, 2], d: 'x' } }, { b: { d: 'x', c: [1, 2] }, a: 1 })).toBe(
      true,
    );
    expect(sameJson([{ a: 1, b: 2 }], [{ b: 2, a: 1 }])).toBe(true);
  });

  it('is false for different values', () => {
    expect(sameJson({ a: 1 }, { a: 2 })).toBe(false);
    expect(sameJson({ a: 1 }, { a: 1, b: 2 })).toBe(false);
    expect(sameJson([1, 2], [2, 1])).toBe(false);
    expect(sameJson('1', 1)).toBe(false);
    expect(sameJson(0, false)).toBe(false);
    expect(sameJson('', null)).toBe(false);
    expect(sameJson([], {})).toBe(false);
    expect(sameJson({ a: { b: 1 } }, { a: { b: '1' } })).toBe(false);
  });

  it('treats an absent property and an undefined one as the same', () => {
    expect(sameJson({ a: 1 }, { a: 1, b: undefined })).toBe(true);
    expect(sameJson(undefined, null)).toBe(true);
  });
});

describe('the result names', () => {
  it('list every result, and reject only the ones that leave the branch’s value out', () => {
    expect([...fieldResults]).toEqual([
      'applied',
      'unchanged',
      'merged',
      'won',
      'superseded',
      'hq_authoritative',
      'conflict',
    ]);
    expect([...rejectedFieldResults].sort()).toEqual(['hq_authoritative', 'superseded']);
  });
});
