// Phones, addresses and tasks merged entry by entry (shared/sync/entry-merge.ts): edits of
// different entries both stand, the same entry changed on both sides goes to the later write and
// the loser is reported, entries without ids get the same ids on every replica.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  customerFieldPolicies,
  customerSchema,
  entryListFields,
  positionalEntryId,
  withEntryIds,
} from '../../shared/customer';
import { generateCustomer } from '../../shared/synthetic';
import { sameJson } from '../../shared/sync/canonical';
import {
  changedEntryIds,
  entryClockKey,
  mergeEntryList,
  nextEntryClocks,
} from '../../shared/sync/entry-merge';
import { formatHlc } from '../../shared/sync/hlc';
import { mergeField } from '../../shared/sync/merge';

const hlc = (wall: number, node = 'dev-a') => formatHlc({ wall, counter: 0, node });
const [t1, t2, t3] = [hlc(1_000), hlc(2_000), hlc(3_000)];
const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const phone = (n: number, e164: string) => ({ id: id(n), kind: 'mobile', e164 });
const never = () => undefined;

describe('mergeEntryList', () => {
  const base = [phone(1, '+8613800000001')];

  it('keeps phones added on both sides: HQ’s first, then the edit’s', () => {
    const local = [...base, phone(2, '+8613800000002')];
    const hq = [...base, phone(3, '+8613800000003')];
    const merged = mergeEntryList({ from: base, to: local }, hq, t1, () => t2);
    expect(merged.result).toBe('merged');
    expect(merged.value).toEqual([...hq, phone(2, '+8613800000002')]);
    expect(merged.losers).toEqual([]);
    expect(merged.written).toEqual([id(2)]);
  });

  it('keeps changes of different entries from both sides', () => {
    const two = [phone(1, '+8613800000001'), phone(2, '+8613800000002')];
    const local = [phone(1, '+8613900000001'), two[1]];
    const hq = [two[0], phone(2, '+8613700000002')];
    const merged = mergeEntryList({ from: two, to: local }, hq, t1, () => t3);
    expect(merged.value).toEqual([phone(1, '+8613900000001'), phone(2, '+8613700000002')]);
    expect(merged.result).toBe('merged');
  });

  it('gives the same entry changed on both sides to the later write, the loser reported', () => {
    const local = [phone(1, '+8613900000001')];
    const hq = [phone(1, '+8613700000001')];
    const won = mergeEntryList({ from: base, to: local }, hq, t3, () => t2);
    expect(won).toEqual({
      result: 'won',
      value: local,
      written: [id(1)],
      losers: [{ id: id(1), value: hq[0], side: 'hq' }],
    });
    const lost = mergeEntryList({ from: base, to: local }, hq, t1, () => t2);
    expect(lost).toEqual({
      result: 'superseded',
      value: hq,
      written: [],
      losers: [{ id: id(1), value: local[0], side: 'edit' }],
    });
  });

  it('treats a removal against a change like any two writes: the later stands', () => {
    const changedAtHq = [phone(1, '+8613700000001')];
    const removalLater = mergeEntryList({ from: base, to: [] }, changedAtHq, t3, () => t2);
    expect(removalLater.value).toEqual([]);
    expect(removalLater.losers).toEqual([{ id: id(1), value: changedAtHq[0], side: 'hq' }]);
    const removalEarlier = mergeEntryList({ from: base, to: [] }, changedAtHq, t1, () => t2);
    expect(removalEarlier.value).toEqual(changedAtHq);
    expect(removalEarlier.result).toBe('superseded');
    expect(removalEarlier.losers).toEqual([{ id: id(1), value: null, side: 'edit' }]);
  });

  it('takes the edit for an entry HQ knows no time of (seed data)', () => {
    const local = [phone(1, '+8613900000001')];
    const merged = mergeEntryList(
      { from: base, to: local },
      [phone(1, '+8613700000001')],
      t1,
      never,
    );
    expect(merged.result).toBe('won');
  });

  it('merges lists an older device sent without ids against HQ’s lists with them', () => {
    const legacy = [{ kind: 'mobile', e164: '+8613800000001' }];
    const hq = withEntryIds([...legacy, { kind: 'mobile', e164: '+8613800000003' }]);
    const merged = mergeEntryList(
      { from: legacy, to: [...legacy, { kind: 'mobile', e164: '+8613800000002' }] },
      hq,
      t1,
      () => t2,
    );
    expect(merged.value.map((entry) => (entry as { e164: string }).e164)).toEqual([
      '+8613800000001',
      '+8613800000003',
      '+8613800000002',
    ]);
    expect(new Set(merged.value.map((entry) => (entry as { id: string }).id)).size).toBe(3);
  });
});

describe('mergeField on a list of entries', () => {
  it('merges phones, addresses and tasks entry by entry, all of last-writer-wins classes', () => {
    for (const field of entryListFields) {
      expect(['contact', 'profile']).toContain(customerFieldPolicies[field]);
      const merged = mergeField(
        field,
        { from: [], to: [phone(2, '+8613800000002')] },
        [phone(3, '+8613800000003')],
        t1,
        t2,
      );
      expect(merged.result).toBe('merged');
      expect(merged.entries?.written).toEqual([id(2)]);
    }
  });
});

const sample = { branches: ['B001'], rmsPerBranch: { B001: ['B001-rm-01'] } };

describe('entry ids on read', () => {
  it('are given by place, the same on every replica, and a parse keeps them', () => {
    const customer = generateCustomer(7, 0, sample);
    const { phones, addresses } = customer;
    expect(addresses[0]!.id).toBe(positionalEntryId(0));
    const stripped = {
      ...customer,
      phones: phones.map(({ id: _id, ...rest }) => rest),
      addresses: addresses.map(({ id: _id, ...rest }) => rest),
    };
    const parsed = customerSchema.parse(stripped);
    expect(parsed.phones).toEqual(phones);
    expect(parsed.addresses).toEqual(addresses);
    expect(customerSchema.parse(parsed)).toEqual(parsed);
  });

  it('keep the id of an entry with the same content and skip ids in use', () => {
    const previous = [phone(9, '+8613800000009')];
    const list = withEntryIds(
      [
        { id: positionalEntryId(0), kind: 'mobile', e164: '+8613800000001' },
        { kind: 'mobile', e164: '+8613800000009' },
        { kind: 'mobile', e164: '+8613800000002' },
      ],
      previous,
    );
    expect(list.map((entry) => entry.id)).toEqual([
      positionalEntryId(0),
      id(9),
      positionalEntryId(1),
    ]);
    // An entry matching none before is new: it takes no id an entry before had.
    const after = withEntryIds(
      [{ kind: 'mobile', e164: '+8613800000002' }],
      [{ id: positionalEntryId(0), kind: 'mobile', e164: '+8613800000001' }],
    );
    expect(after[0]!.id).toBe(positionalEntryId(1));
  });

  it('refuses one id twice in a list', () => {
    const customer = generateCustomer(7, 0, sample);
    const twice = { ...customer, addresses: [customer.addresses[0], customer.addresses[0]] };
    expect(customerSchema.safeParse(twice).success).toBe(false);
  });
});

/** HQ in miniature: a list and its per-entry clocks, merging edits as hq/mutations.ts does. */
function hqApplies(
  state: { list: unknown[]; clocks: Record<string, string> },
  edit: { from: unknown[]; to: unknown[]; hlc: string },
) {
  const merged = mergeEntryList(
    edit,
    state.list,
    edit.hlc,
    (entry) => state.clocks[entryClockKey('phones', entry)] ?? state.clocks.phones,
  );
  const clocks = nextEntryClocks(state.clocks, 'phones', merged.value, merged.written, edit.hlc);
  if (merged.written.length > 0 && !((clocks.phones ?? '') > edit.hlc)) clocks.phones = edit.hlc;
  return { state: { list: merged.value, clocks }, merged };
}

const byId = (list: unknown[]) =>
  Object.fromEntries(list.map((entry) => [(entry as { id: string }).id, entry]));

describe('properties', () => {
  const entry = fc.record({
    id: fc.integer({ min: 1, max: 6 }).map(id),
    kind: fc.constant('mobile'),
    e164: fc.integer({ min: 0, max: 3 }).map((n) => `+861380000000${n}`),
  });
  const list = fc.uniqueArray(entry, { selector: (item) => item.id, maxLength: 5 });
  /** An edit of `base`: some entries changed, some removed, some added. */
  const editOf = (base: { id: string; e164: string }[]) =>
    fc
      .tuple(
        fc.array(fc.constantFrom('keep', 'change', 'remove'), {
          minLength: base.length,
          maxLength: base.length,
        }),
        list,
      )
      .map(([actions, extra]) => {
        const known = new Set(base.map((item) => item.id));
        const kept = base.flatMap((item, index) =>
          actions[index] === 'remove'
            ? []
            : actions[index] === 'change'
              ? [{ ...item, e164: `${item.e164}9` }]
              : [item],
        );
        return [...kept, ...extra.filter((item) => !known.has(item.id))];
      });
  const scenario = list.chain((base) =>
    fc.record({
      base: fc.constant(base),
      a: editOf(base),
      b: editOf(base),
      hlcA: fc.integer({ min: 1, max: 1000 }),
      hlcB: fc.integer({ min: 1001, max: 2000 }),
    }),
  );

  it('two edits of one base give the same entries in either order, and nothing is lost', () => {
    fc.assert(
      fc.property(scenario, fc.boolean(), ({ base, a, b, hlcA, hlcB }, swap) => {
        const edits = [
          { from: base, to: a, hlc: hlc(hlcA) },
          { from: base, to: b, hlc: hlc(hlcB, 'dev-b') },
        ];
        const run = (order: typeof edits) => {
          let state: { list: unknown[]; clocks: Record<string, string> } = {
            list: base,
            clocks: { phones: hlc(0) },
          };
          const losers: unknown[] = [];
          for (const edit of order) {
            const next = hqApplies(state, edit);
            state = next.state;
            losers.push(...next.merged.losers.map((loser) => loser.value));
          }
          return { list: state.list, losers };
        };
        const forward = run(edits);
        const backward = run(swap ? [...edits].reverse() : edits);
        expect(byId(backward.list)).toEqual(byId(forward.list));
        // Every entry either edit wrote is in the result or among the losers.
        for (const edit of edits) {
          for (const written of changedEntryIds(edit.from, edit.to)) {
            const value = byId(edit.to)[written] ?? null;
            const kept =
              sameJson(byId(forward.list)[written] ?? null, value) ||
              forward.losers.some((loser) => sameJson(loser, value));
            expect(kept).toBe(true);
          }
        }
      }),
      { numRuns: 500 },
    );
  });

  it('an edit alone is taken whole, and changes nothing when it arrives again', () => {
    fc.assert(
      fc.property(scenario, ({ base, a, hlcA }) => {
        const edit = { from: base, to: a, hlc: hlc(hlcA) };
        const once = hqApplies({ list: base, clocks: {} }, edit);
        // Changed on one side only: exactly the edit's entries.
        expect(byId(once.merged.value)).toEqual(byId(a));
        const twice = hqApplies(once.state, edit);
        expect(twice.merged.result).toBe('unchanged');
        expect(twice.merged.value).toEqual(once.merged.value);
      }),
      { numRuns: 300 },
    );
  });
});
