// Two records of one person made one (docs/QUALITY.md, "Merge and unmerge"), and made two
// again. Pure functions over master records, the same at HQ (which performs both, hq/merges.ts)
// and on the desk (which previews them). The survivor keeps its id and customer number; field by
// field a person chose which value survives; every list is united without duplicates, so the
// history, visits, notes, consents, tasks and accounts of the record merged away move over.
import { customerFieldPolicies, type Customer, type CustomerEditableField } from '../customer';
import { canonicalJson, sameJson } from '../sync/canonical';

/** The fields that hold one value, of which the proposer picks the survivor's or the other's. */
export const mergeChoosableFields = [
  'legalName',
  'chineseName',
  'pinyinName',
  'englishName',
  'birthDate',
  'gender',
  'nationality',
  'email',
  'preferredChannel',
  'occupation',
  'employer',
  'kyc',
  'segment',
] as const satisfies readonly CustomerEditableField[];
export type MergeChoosableField = (typeof mergeChoosableFields)[number];

export const mergeSides = ['survivor', 'merged'] as const;
export type MergeSide = (typeof mergeSides)[number];

/** The lists of a record, every one united at a merge. */
export const unitedListFields = [
  'identityDocuments',
  'phones',
  'addresses',
  'accounts',
  'consents',
  'kycReviews',
  'campaignContacts',
  'ratingProposals',
  'actionResponses',
  'satisfaction',
  'complaints',
  'complaintSteps',
  'notes',
  'visits',
  'tasks',
] as const satisfies readonly CustomerEditableField[];

type Entry = Record<string, unknown>;
type FieldChanges = Partial<Record<string, { from?: unknown; to?: unknown }>>;

/**
 * What makes two entries of a list the same thing: a document's type and number, a phone's number,
 * an address's content, else the entry's id (histories), else its content.
 */
function naturalKey(field: string, entry: Entry): string {
  switch (field) {
    case 'identityDocuments':
      return `${String(entry.type)}|${String(entry.number)}`;
    case 'phones':
      return String(entry.e164);
    case 'accounts':
      return `${String(entry.product)}|${String(entry.maskedNumber)}|${String(entry.openedOn)}`;
    case 'addresses': {
      const { id: _id, ...content } = entry;
      return canonicalJson(content);
    }
    default:
      return typeof entry.id === 'string' ? `id:${entry.id}` : canonicalJson(entry);
  }
}

const entriesOf = (value: unknown): Entry[] =>
  (Array.isArray(value) ? value : []).filter(
    (entry): entry is Entry => typeof entry === 'object' && entry !== null,
  );

export interface MergedRecord {
  /** The survivor as it is after the merge (its version and provenance are the caller's). */
  record: Customer;
  /**
   * Per list, the id an entry of the record merged away has now, where it differs: the same
   * entry was already the survivor's, or its id was taken. An edit queued offline against the
   * record merged away is translated by it (hq/merges.ts `redirectMutation`).
   */
  entryIds: Record<string, Record<string, string>>;
}

/**
 * The survivor after merging `merged` into it. `choices` names the fields whose value comes from
 * the record merged away (the rest keep the survivor's); `newId` gives an entry whose id the
 * survivor already uses for something else a fresh one (HQ derives it from the merge, the list and
 * the old id: `movedEntryId` in hq/merges.ts).
 */
export function mergeCustomerRecords(
  survivor: Customer,
  merged: Customer,
  choices: Partial<Record<MergeChoosableField, MergeSide>>,
  meta: { mergeId: string; at: string; newId: (field: string, oldId: string) => string },
): MergedRecord {
  const record: Record<string, unknown> = { ...survivor };
  const theirs = merged as unknown as Record<string, unknown>;
  for (const field of mergeChoosableFields) {
    if (choices[field] !== 'merged') continue;
    if (theirs[field] === undefined) delete record[field];
    else record[field] = theirs[field];
  }
  const entryIds: Record<string, Record<string, string>> = {};
  for (const field of unitedListFields) {
    const ours = entriesOf(record[field]);
    const other = entriesOf(theirs[field]);
    if (other.length === 0) continue;
    const byKey = new Map(ours.map((entry) => [naturalKey(field, entry), entry]));
    const ids = new Set(ours.map((entry) => entry.id).filter((id) => typeof id === 'string'));
    const united = [...ours];
    const moved: Record<string, string> = {};
    for (const entry of other) {
      const same = byKey.get(naturalKey(field, entry));
      if (same) {
        if (typeof entry.id === 'string' && typeof same.id === 'string' && same.id !== entry.id)
          moved[entry.id] = same.id;
        continue;
      }
      let taken = entry;
      if (typeof entry.id === 'string' && ids.has(entry.id)) {
        taken = { ...entry, id: meta.newId(field, entry.id) };
        moved[entry.id] = taken.id as string;
      }
      united.push(taken);
      byKey.set(naturalKey(field, taken), taken);
      if (typeof taken.id === 'string') ids.add(taken.id);
    }
    record[field] = united;
    if (Object.keys(moved).length > 0) entryIds[field] = moved;
  }
  // One primary phone: the survivor's, when both had one.
  const phones = entriesOf(record.phones);
  if (phones.filter((phone) => phone.primary === true).length > 1) {
    let seen = false;
    record.phones = phones.map((phone) => {
      if (phone.primary !== true) return phone;
      if (!seen) return ((seen = true), phone);
      return { ...phone, primary: false };
    });
  }
  record.mergedFrom = [
    ...(survivor.mergedFrom ?? []),
    ...(merged.mergedFrom ?? []),
    {
      customerId: merged.id,
      customerNumber: merged.customerNumber,
      mergeId: meta.mergeId,
      at: meta.at,
    },
  ];
  return { record: record as unknown as Customer, entryIds };
}

// ---- Unmerge -----------------------------------------------------------------------------------

/** One change made to the survivor since the merge, which a person gives to one of the two. */
export interface ChangeSinceMerge {
  /** `field` for a value, `field/entryKey` for an entry of a list: the key of the assignment. */
  key: string;
  field: CustomerEditableField;
  change: 'value' | 'added' | 'changed' | 'removed';
  /** For an entry: its id or natural key. */
  entry?: string;
}

const editableFields = Object.keys(customerFieldPolicies) as CustomerEditableField[];

/**
 * An entry's key in an unmerge's changes: its id, else a hash of its natural key (never the
 * document number or the address itself, which the desk would show or send).
 */
const entryKeyOf = (field: string, entry: Entry) =>
  typeof entry.id === 'string' ? entry.id : `h${fnv1a(naturalKey(field, entry))}`;

/** FNV-1a, 64 bits, as hex: a short stable key, not a secret. */
function fnv1a(text: string): string {
  let hash = 0xcbf29ce484222325n;
  for (const char of text) {
    hash ^= BigInt(char.codePointAt(0)!);
    hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return hash.toString(16).padStart(16, '0');
}

/** Fields an unmerge never moves to the other record: scope and a restriction stay put. */
const pinnedToSurvivor: ReadonlySet<string> = new Set([
  'homeBranchId',
  'assignedRmId',
  'restriction',
]);

/** What changed in the survivor between the merge (`atMerge`) and now, field by field, entry by entry. */
export function changesSinceMerge(atMerge: Customer, now: Customer): ChangeSinceMerge[] {
  const before = atMerge as unknown as Record<string, unknown>;
  const after = now as unknown as Record<string, unknown>;
  const changes: ChangeSinceMerge[] = [];
  for (const field of editableFields) {
    if (sameJson(before[field], after[field])) continue;
    if (!Array.isArray(before[field]) && !Array.isArray(after[field])) {
      changes.push({ key: field, field, change: 'value' });
      continue;
    }
    const old = new Map(entriesOf(before[field]).map((e) => [entryKeyOf(field, e), e]));
    const fresh = new Map(entriesOf(after[field]).map((e) => [entryKeyOf(field, e), e]));
    for (const [entry, value] of fresh) {
      const was = old.get(entry);
      if (was === undefined)
        changes.push({ key: `${field}/${entry}`, field, change: 'added', entry });
      else if (!sameJson(was, value))
        changes.push({ key: `${field}/${entry}`, field, change: 'changed', entry });
    }
    for (const entry of old.keys())
      if (!fresh.has(entry))
        changes.push({ key: `${field}/${entry}`, field, change: 'removed', entry });
  }
  return changes;
}

/**
 * The change keys an edit touched (`field`, or `field/entry` for each entry it added, changed or
 * removed): for an edit made to the record merged away and redirected to the survivor, the
 * changes that an unmerge gives back to that record unless a person says otherwise.
 */
export function keysTouched(fields: FieldChanges): string[] {
  const keys: string[] = [];
  for (const [field, change] of Object.entries(fields)) {
    if (!change) continue;
    if (!Array.isArray(change.from) && !Array.isArray(change.to)) {
      keys.push(field);
      continue;
    }
    const from = new Map(entriesOf(change.from).map((e) => [entryKeyOf(field, e), e]));
    const to = new Map(entriesOf(change.to).map((e) => [entryKeyOf(field, e), e]));
    for (const [key, entry] of to)
      if (!sameJson(from.get(key), entry)) keys.push(`${field}/${key}`);
    for (const key of from.keys()) if (!to.has(key)) keys.push(`${field}/${key}`);
  }
  return keys;
}

/**
 * The side an unassigned change goes to: the record merged away for a change an edit of it made
 * (`fromMerged`, by keysTouched) or for an entry only it held, else the survivor.
 */
export function defaultSide(
  before: { survivor: Customer; merged: Customer },
  change: ChangeSinceMerge,
  fromMerged: ReadonlySet<string> = new Set(),
): MergeSide {
  if (fromMerged.has(change.key)) return 'merged';
  if (change.entry === undefined) return 'survivor';
  const holds = (record: Customer) =>
    entriesOf((record as unknown as Record<string, unknown>)[change.field]).some(
      (entry) => entryKeyOf(change.field, entry) === change.entry,
    );
  return holds(before.merged) && !holds(before.survivor) ? 'merged' : 'survivor';
}

/**
 * The two records after an unmerge: each as it was just before the merge, plus the changes made
 * since, each given to the record `assignments` names by the change's key (unnamed: `defaultSide`).
 * An entry removed since is removed from both.
 */
export function splitAtUnmerge(
  before: { survivor: Customer; merged: Customer },
  atMerge: Customer,
  now: Customer,
  assignments: Readonly<Record<string, MergeSide>>,
  fromMerged: ReadonlySet<string> = new Set(),
): { survivor: Customer; merged: Customer } {
  const sides: Record<MergeSide, Record<string, unknown>> = {
    survivor: { ...(before.survivor as unknown as Record<string, unknown>) },
    merged: { ...(before.merged as unknown as Record<string, unknown>) },
  };
  const current = now as unknown as Record<string, unknown>;
  for (const change of changesSinceMerge(atMerge, now)) {
    const field = change.field;
    if (change.change === 'removed') {
      for (const side of mergeSides) {
        const list = entriesOf(sides[side][field]);
        const kept = list.filter((entry) => entryKeyOf(field, entry) !== change.entry);
        if (kept.length !== list.length) sides[side][field] = kept;
      }
      continue;
    }
    const side = pinnedToSurvivor.has(field)
      ? 'survivor'
      : (assignments[change.key] ?? defaultSide(before, change, fromMerged));
    const target = sides[side];
    if (change.change === 'value') {
      if (current[field] === undefined) delete target[field];
      else target[field] = current[field];
      continue;
    }
    const list = entriesOf(target[field]);
    const at = list.findIndex((entry) => entryKeyOf(field, entry) === change.entry);
    const value = entriesOf(current[field]).find((e) => entryKeyOf(field, e) === change.entry);
    if (!value) continue;
    if (at >= 0) list[at] = value;
    else list.push(value);
    target[field] = list;
  }
  return {
    survivor: sides.survivor as unknown as Customer,
    merged: sides.merged as unknown as Customer,
  };
}

// ---- An edit made to the record merged away --------------------------------------------------

const isEntryList = (field: string) => ['phones', 'addresses', 'tasks'].includes(field);

/**
 * An edit queued against the record merged away, made an edit of the survivor (hq/merges.ts): the
 * entries it names carry their ids in the survivor, and where it started from the merged record's
 * value as it was at the merge, it starts from the survivor's as the merge left it. So an edit of a
 * value the survivor has not changed since the merge applies as it would have to the old record,
 * and one the survivor changed since is merged by the field's policy like any concurrent edit.
 */
export function rebaseOntoSurvivor(
  fields: FieldChanges,
  mergedBefore: Customer,
  survivorAfter: Customer,
  entryIds: Readonly<Record<string, Readonly<Record<string, string>>>>,
): FieldChanges {
  const before = mergedBefore as unknown as Record<string, unknown>;
  const after = survivorAfter as unknown as Record<string, unknown>;
  const rebased: FieldChanges = {};
  for (const [field, change] of Object.entries(fields)) {
    if (!change) continue;
    if (isEntryList(field)) {
      // Each entry under its id in the survivor; one the edit started from as the merge found it
      // starts from the survivor's entry as the merge left it (a phone no longer primary, one
      // united with the survivor's), and one the edit left alone stays as the survivor has it.
      const moved = entryIds[field] ?? {};
      const old = new Map(entriesOf(before[field]).map((e) => [e.id, e]));
      const now = new Map(entriesOf(after[field]).map((e) => [e.id, e]));
      const from = new Map(entriesOf(change.from).map((e) => [e.id, e]));
      const survivorEntry = (entry: Entry) => {
        const id = entry.id;
        if (typeof id !== 'string') return undefined;
        const there = now.get(moved[id] ?? id);
        return there && sameJson(old.get(id), entry) ? there : undefined;
      };
      const rename = (entry: Entry): Entry =>
        typeof entry.id === 'string' && moved[entry.id] ? { ...entry, id: moved[entry.id] } : entry;
      rebased[field] = {
        from: Array.isArray(change.from)
          ? entriesOf(change.from).map((entry) => survivorEntry(entry) ?? rename(entry))
          : change.from,
        to: Array.isArray(change.to)
          ? entriesOf(change.to).map((entry) => {
              const base = from.get(entry.id);
              const there = base && survivorEntry(base);
              if (!base || !there) return rename(entry);
              // What the edit changed in the entry, laid on the survivor's entry.
              const changed = Object.keys(entry).filter((key) => !sameJson(entry[key], base[key]));
              return { ...there, ...Object.fromEntries(changed.map((key) => [key, entry[key]])) };
            })
          : change.to,
      };
      continue;
    }
    const policy = customerFieldPolicies[field as CustomerEditableField];
    if (policy === 'append_only' || !sameJson(change.from, before[field])) {
      rebased[field] = change;
      continue;
    }
    if (Array.isArray(change.from) || Array.isArray(change.to)) {
      // A list set whole (identity documents): what the edit added and removed, on the survivor's.
      const key = (entry: unknown) => naturalKey(field, (entry ?? {}) as Entry);
      const from = entriesOf(change.from);
      const to = entriesOf(change.to);
      const removed = new Set(from.map(key).filter((k) => !to.some((entry) => key(entry) === k)));
      const added = to.filter((entry) => !from.some((old) => key(old) === key(entry)));
      const base = entriesOf(after[field]);
      rebased[field] = {
        from: after[field],
        to: [...base.filter((entry) => !removed.has(key(entry))), ...added],
      };
      continue;
    }
    rebased[field] = { ...change, from: after[field] };
    if (after[field] === undefined) delete rebased[field]!.from;
  }
  return rebased;
}
