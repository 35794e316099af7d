// The three-way merge of a list whose entries have stable ids (phones, addresses, tasks), entry by
// entry. An edit still carries the whole list it started from (`from`, the base) and the whole
// list it set (`to`): comparing the two per id says what the edit did to each entry (added,
// changed, removed, left alone), which is then merged against HQ's list like a field of its own.
// Entries changed on one side only merge silently, so two devices changing different entries
// both keep their change; an entry changed differently on both sides (a removal counts as a
// change) goes to the later write by hybrid logical clock, and the loser is reported for history.
import { withEntryIds } from '../customer/list-entries';
import { sameJson } from './canonical';
import { compareHlc } from './hlc';

export interface EntryLoser {
  id: string;
  /** The entry that lost; null when what lost was its removal. */
  value: unknown;
  /** Whose write lost: HQ's entry, or the edit's. */
  side: 'hq' | 'edit';
}

export interface EntryListMerge {
  result: 'applied' | 'unchanged' | 'merged' | 'won' | 'superseded';
  value: unknown[];
  /** Ids of the entries whose value (or removal) in the result is the edit's. */
  written: string[];
  losers: EntryLoser[];
}

type Entry = { id: string } & Record<string, unknown>;

/** Entries as id → entry, ids given to any that lack one as a read would (withEntryIds). */
function byId(list: unknown, previous: readonly unknown[] = []): Map<string, Entry> {
  const entries = (Array.isArray(list) ? list : []).filter(
    (entry): entry is Record<string, unknown> => typeof entry === 'object' && entry !== null,
  );
  return new Map(withEntryIds(entries, previous).map((entry) => [entry.id, entry as Entry]));
}

/**
 * Merges an edit of an entry list into HQ's list. `hqEntryHlc(id)` is the time of HQ's last
 * write to that entry (undefined when unknown: seed data, which any edit is later than). With
 * `localWins` every entry changed on both sides takes the edit's value: the device's rebase, which
 * shows what the push will propose.
 *
 * Order, the same on every replica: HQ's entries in HQ's order, then the entries HQ does not have
 * in the order of the edit's list.
 */
export function mergeEntryList(
  change: { from?: unknown; to?: unknown },
  hqValue: unknown,
  editHlc: string,
  hqEntryHlc: (id: string) => string | undefined,
  options: { localWins?: boolean } = {},
): EntryListMerge {
  const hq = byId(hqValue);
  const base = byId(change.from, [...hq.values()]);
  // An entry an older device sent without an id keeps the id of the same entry in its base (or
  // at HQ, when both added it); one matching neither is new and takes an id neither uses.
  const local = byId(change.to, [...base.values(), ...hq.values()]);
  const written: string[] = [];
  const losers: EntryLoser[] = [];
  let editOnly = false;
  let hqToo = false;
  const merged = new Map<string, Entry | undefined>();
  for (const id of new Set([...hq.keys(), ...local.keys(), ...base.keys()])) {
    const [b, l, h] = [base.get(id), local.get(id), hq.get(id)];
    if (sameJson(l, b) || sameJson(l, h)) {
      if (!sameJson(h, b)) hqToo = true;
      merged.set(id, h);
      continue;
    }
    const hqHlc = hqEntryHlc(id);
    if (sameJson(h, b)) editOnly = true;
    else if (options.localWins || hqHlc === undefined || compareHlc(editHlc, hqHlc) > 0)
      losers.push({ id, value: h ?? null, side: 'hq' });
    else {
      losers.push({ id, value: l ?? null, side: 'edit' });
      merged.set(id, h);
      continue;
    }
    written.push(id);
    merged.set(id, l);
  }
  const order = [...hq.keys(), ...[...local.keys()].filter((id) => !hq.has(id))];
  const value = order.map((id) => merged.get(id)).filter((entry) => entry !== undefined);
  const result = losers.some((loser) => loser.side === 'edit')
    ? 'superseded'
    : losers.length > 0
      ? 'won'
      : editOnly
        ? hqToo
          ? 'merged'
          : 'applied'
        : 'unchanged';
  return { result, value, written, losers };
}

/** Where HQ keeps the time of the last write to one entry, beside its fields' (`field_hlc`). */
export function entryClockKey(field: string, id: string): string {
  return `${field}/${id}`;
}

/**
 * HQ's per-entry clocks after a write of `field` at `hlc` that set the entries `written`:
 * those take `hlc` (or keep a later one), entries seen for the first time keep the field's clock
 * from before, and the clocks of entries no longer in the list go.
 */
export function nextEntryClocks(
  clocks: Readonly<Record<string, string>>,
  field: string,
  after: unknown,
  written: readonly string[],
  hlc: string,
): Record<string, string> {
  const prefix = entryClockKey(field, '');
  const present = new Set([...byId(after).keys()]);
  const next: Record<string, string> = {};
  for (const [key, value] of Object.entries(clocks))
    if (!key.startsWith(prefix) || present.has(key.slice(prefix.length))) next[key] = value;
  for (const id of present) {
    const key = entryClockKey(field, id);
    const known = next[key] ?? clocks[field];
    if (written.includes(id))
      next[key] = known !== undefined && compareHlc(known, hlc) > 0 ? known : hlc;
    else if (known !== undefined) next[key] = known;
  }
  return next;
}

/** The ids whose entry differs between two lists (added, changed or removed). */
export function changedEntryIds(before: unknown, after: unknown): string[] {
  const [a, b] = [byId(before), byId(after, [...byId(before).values()])];
  return [...new Set([...a.keys(), ...b.keys()])].filter((id) => !sameJson(a.get(id), b.get(id)));
}
