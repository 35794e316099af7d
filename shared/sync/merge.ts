// The field-level three-way merge of a branch's edit into HQ's master record. For each field the
// edit carries the value it started from (`from`, the base) and the value it set (`to`); HQ has
// its current value. A field changed on one side only merges silently; one changed differently
// on both sides follows its class in customerFieldPolicies (shared/customer/field-policies.ts),
// the single table both ends read.
import {
  customerFieldPolicies,
  type CustomerEditableField,
  type CustomerFieldClass,
} from '../customer/field-policies';
import { isEntryListField } from '../customer/list-entries';
import { canonicalJson, sameJson } from './canonical';
import { mergeEntryList, type EntryLoser } from './entry-merge';
import { compareHlc } from './hlc';

/**
 * What happened to one field of an edit:
 * - `applied`: HQ had not changed it since the base; the edit's value is taken.
 * - `unchanged`: HQ already had the edit's value.
 * - `merged`: both sides added entries to a history, or changed different entries of a list
 *   merged entry by entry (phones, addresses, tasks); HQ keeps both.
 * - `won` / `superseded`: both sides changed a contact or profile field (of a list, the same
 *   entry); the later edit (by hybrid logical clock) wins, and the loser is kept in HQ's field
 *   history. A list with an entry the edit lost is `superseded` even if others were taken.
 * - `hq_authoritative`: both sides changed a field HQ owns; HQ's value stands.
 * - `conflict`: both sides changed an identity field; HQ's value stands until a person decides.
 */
export const fieldResults = [
  'applied',
  'unchanged',
  'merged',
  'won',
  'superseded',
  'hq_authoritative',
  'conflict',
] as const;
export type FieldResult = (typeof fieldResults)[number];

/** Results that leave the branch's value out of the master record, with the reason shown. */
export const rejectedFieldResults: readonly FieldResult[] = ['superseded', 'hq_authoritative'];

export interface FieldChange {
  /** Undefined when the field was unset. */
  from?: unknown;
  to?: unknown;
}

export interface FieldMerge {
  result: FieldResult;
  /** The field's value in the merged record. */
  value: unknown;
  /**
   * For a list merged entry by entry (phones, addresses, tasks): the entries the edit wrote and
   * the values that lost, one by one, instead of the field as a whole.
   */
  entries?: { written: string[]; losers: EntryLoser[] };
}

/**
 * Merges one field. `editHlc` is the edit's timestamp; `hqHlc` that of the last write to this
 * field at HQ (undefined when none was recorded: the seed data, which any edit is later than).
 */
export function mergeField(
  field: CustomerEditableField,
  change: FieldChange,
  hqValue: unknown,
  editHlc: string,
  hqHlc: string | undefined,
  hqEntryHlc: (id: string) => string | undefined = () => hqHlc,
): FieldMerge {
  if (isEntryListField(field)) {
    const { result, value, written, losers } = mergeEntryList(change, hqValue, editHlc, hqEntryHlc);
    return { result, value, entries: { written, losers } };
  }
  if (sameJson(hqValue, change.to)) return { result: 'unchanged', value: hqValue };
  // An edit that changes nothing proposes nothing, whatever HQ holds now.
  if (sameJson(change.from, change.to)) return { result: 'unchanged', value: hqValue };
  if (sameJson(hqValue, change.from)) return { result: 'applied', value: change.to };
  return mergeConcurrent(customerFieldPolicies[field], field, change, hqValue, editHlc, hqHlc);
}

function mergeConcurrent(
  policy: CustomerFieldClass,
  field: CustomerEditableField,
  change: FieldChange,
  hqValue: unknown,
  editHlc: string,
  hqHlc: string | undefined,
): FieldMerge {
  switch (policy) {
    case 'append_only':
      return { result: 'merged', value: appendOnlyUnion(field, change, hqValue) };
    case 'hq_authoritative':
      return { result: 'hq_authoritative', value: hqValue };
    case 'identity':
      return { result: 'conflict', value: hqValue };
    case 'contact':
    case 'profile':
      return hqHlc === undefined || compareHlc(editHlc, hqHlc) > 0
        ? { result: 'won', value: change.to }
        : { result: 'superseded', value: hqValue };
  }
}

/** How entries of a history are told apart: by id where they have one, else by their content. */
function entryKey(entry: unknown): string {
  const id = (entry as { id?: unknown } | null)?.id;
  return typeof id === 'string' ? `id:${id}` : canonicalJson(entry);
}

/** HQ's entries, then the entries the edit added (in its order) that HQ does not have yet. */
export function appendOnlyUnion(
  _field: CustomerEditableField,
  change: FieldChange,
  hqValue: unknown,
): unknown[] {
  const hqEntries = Array.isArray(hqValue) ? hqValue : [];
  const before = new Set((Array.isArray(change.from) ? change.from : []).map(entryKey));
  const have = new Set(hqEntries.map(entryKey));
  const added = (Array.isArray(change.to) ? change.to : []).filter((entry) => {
    const key = entryKey(entry);
    if (before.has(key) || have.has(key)) return false;
    have.add(key);
    return true;
  });
  return [...hqEntries, ...added];
}

/**
 * True when `next` keeps every entry of `previous` unchanged: the rule for an edit to a history
 * (notes, visits, consents), which may only add.
 */
export function onlyAppends(previous: unknown, next: unknown): boolean {
  if (!Array.isArray(previous)) return true;
  if (!Array.isArray(next)) return false;
  const kept = new Set(next.map(canonicalJson));
  return previous.every((entry) => kept.has(canonicalJson(entry)));
}
