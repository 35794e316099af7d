// HQ's side of the entry-by-entry merge of phones, addresses and tasks (shared/sync/entry-merge.ts):
// the time of the last write to each entry, kept in the customer's `field_hlc` beside the fields'
// (key `<field>/<entry id>`), and the values that lost, one entry at a time, for field_history.
import { withEntryIds } from '../shared/customer';
import type { Mutation } from '../shared/protocol/mutations';
import {
  changedEntryIds,
  entryClockKey,
  nextEntryClocks,
  type EntryLoser,
} from '../shared/sync/entry-merge';

export interface HistoryRow {
  field: string;
  value: unknown;
  hlc: string | null;
  source: string;
}

/** The last write to one entry; for one never written since ids came, its field's. */
export function entryHlc(
  clocks: Readonly<Record<string, string>>,
  field: string,
  id: string,
): string | undefined {
  return clocks[entryClockKey(field, id)] ?? clocks[field];
}

/** Replaces the clocks in place (the caller's object is the row it writes). */
function replaceClocks(clocks: Record<string, string>, next: Record<string, string>): void {
  for (const key of Object.keys(clocks)) delete clocks[key];
  Object.assign(clocks, next);
}

/**
 * After an edit's list merged entry by entry: the entries it wrote take its clock (and the
 * field's clock moves with them), and each value that lost becomes a history row of its own.
 */
export function applyEntryMerge(
  clocks: Record<string, string>,
  field: string,
  value: unknown,
  entries: { written: string[]; losers: EntryLoser[] },
  mutation: Mutation,
): HistoryRow[] {
  const history = entries.losers.map((loser) => ({
    field,
    value: loser.value,
    ...(loser.side === 'hq'
      ? { hlc: entryHlc(clocks, field, loser.id) ?? null, source: 'hq' }
      : { hlc: mutation.hlc, source: `mutation:${mutation.mutationId}` }),
  }));
  replaceClocks(clocks, nextEntryClocks(clocks, field, value, entries.written, mutation.hlc));
  if (entries.written.length > 0 && !((clocks[field] ?? '') > mutation.hlc))
    clocks[field] = mutation.hlc;
  return history;
}

/**
 * An HQ staff edit of a list: entries sent without ids keep the id of an entry with the same
 * content, and the entries it changed take its clock. Returns the list to store.
 */
export function applyHqListEdit(
  clocks: Record<string, string>,
  field: string,
  before: unknown,
  value: unknown,
  hlc: string,
): unknown {
  if (!Array.isArray(value)) return value;
  const previous = Array.isArray(before) ? (before as unknown[]) : [];
  const list = withEntryIds(value as { id?: string }[], previous);
  replaceClocks(clocks, nextEntryClocks(clocks, field, list, changedEntryIds(before, list), hlc));
  return list;
}
