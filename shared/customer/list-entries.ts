// Entries of a customer's lists that are edited one by one (phones, addresses, tasks) carry a
// stable id, so that two devices changing different entries of one list both keep their change
// (shared/sync/merge.ts merges such a list entry by entry). Tasks always had ids; phones and
// addresses written before ids existed get them here, the same on every replica.
import { z } from 'zod';
import { type IssueSink, addCustomerIssue } from './issues';

/** The lists merged entry by entry; every other list is a history or one value as a whole. */
export const entryListFields = ['phones', 'addresses', 'tasks'] as const;
export type EntryListField = (typeof entryListFields)[number];

export function isEntryListField(field: string): field is EntryListField {
  return (entryListFields as readonly string[]).includes(field);
}

/**
 * The id an entry without one gets from its place in the list: a UUID (version 8) whose last
 * group is the position, so HQ's SQL migration (hq/migrations/012) and the device's vault
 * migration 13 give stored lists the same ids without talking to each other.
 */
export function positionalEntryId(index: number): string {
  return `00000000-0000-8000-8000-${index.toString(16).padStart(12, '0')}`;
}

/**
 * Gives every entry without an id one: the id of an entry of `previous` with the same content
 * (a list sent whole keeps the ids of the entries it did not change), else the first positional
 * id that neither this list nor `previous` uses (an entry matching none before is a new one).
 * Entries with an id keep it. Deterministic: the same lists give the same ids.
 */
export function withEntryIds<T extends object>(
  entries: readonly (T & { id?: string | undefined })[],
  previous: readonly unknown[] = [],
): (T & { id: string })[] {
  const taken = new Set(
    entries.map((entry) => entry.id).filter((id): id is string => typeof id === 'string'),
  );
  if (taken.size === entries.length) return entries as (T & { id: string })[];
  const reserved = new Set<string>();
  const byContent = new Map<string, string>();
  for (const known of previous) {
    const { id, ...content } = (known ?? {}) as { id?: unknown };
    if (typeof id !== 'string') continue;
    reserved.add(id);
    const key = contentKey(content);
    if (!byContent.has(key)) byContent.set(key, id);
  }
  let next = 0;
  return entries.map((entry) => {
    if (typeof entry.id === 'string') return entry as T & { id: string };
    const { id: _absent, ...content } = entry;
    let id = byContent.get(contentKey(content));
    if (id === undefined || taken.has(id)) {
      while (taken.has(positionalEntryId(next)) || reserved.has(positionalEntryId(next))) next++;
      id = positionalEntryId(next);
    }
    taken.add(id);
    return { ...(content as T), id };
  });
}

function contentKey(content: object): string {
  return JSON.stringify(
    Object.entries(content)
      .filter(([, value]) => value !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1)),
  );
}

/** A list of entries with ids: ids added where missing (see withEntryIds), refused twice. */
export function entryListSchema<T extends z.ZodType<{ id?: string | undefined }>>(entry: T) {
  return z
    .array(entry)
    .transform((entries) => withEntryIds(entries))
    .superRefine(checkUniqueEntryIds);
}

/** No two entries of a list with the same id. */
export function checkUniqueEntryIds(entries: readonly { id: string }[], sink: IssueSink): void {
  const seen = new Set<string>();
  entries.forEach((item, index) => {
    if (seen.has(item.id)) addCustomerIssue(sink, 'ENTRY_ID_DUPLICATE', { path: [index, 'id'] });
    seen.add(item.id);
  });
}
