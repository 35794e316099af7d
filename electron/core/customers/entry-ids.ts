// Ids for the entries of phones, addresses and tasks a teller's edit sends whole. An entry the
// record already has (same content) keeps its id; any other entry without one is new here and
// gets a random id, so that two devices adding entries at the same time never share one (ids
// from a place in the list are only for entries stored before ids existed).
import { randomUUID } from 'node:crypto';
import { isEntryListField } from '../../../shared/customer';
import { canonicalJson } from '../../../shared/sync/canonical';

export function withNewEntryIds(
  changes: Record<string, unknown>,
  stored: Record<string, unknown>,
): Record<string, unknown> {
  const out = { ...changes };
  for (const [field, value] of Object.entries(changes)) {
    if (!isEntryListField(field) || !Array.isArray(value)) continue;
    const byContent = new Map<string, string[]>();
    for (const entry of Array.isArray(stored[field]) ? (stored[field] as unknown[]) : []) {
      const { id, ...content } = entry as { id: string };
      const key = canonicalJson(content);
      byContent.set(key, [...(byContent.get(key) ?? []), id]);
    }
    const used = new Set(value.map((entry) => (entry as { id?: unknown } | null)?.id));
    out[field] = value.map((entry: unknown) => {
      if (typeof entry !== 'object' || entry === null || 'id' in entry) return entry;
      const id = byContent.get(canonicalJson(entry))?.find((known) => !used.has(known));
      const chosen = id ?? randomUUID();
      used.add(chosen);
      return { ...entry, id: chosen };
    });
  }
  return out;
}
