// The vault's migration that gives ids to the phones and addresses stored before they had them
// (tasks always had). The ids are the ones HQ's migration 012 gives the same lists (an entry's
// place: shared/customer/list-entries.ts), so a record held here and its master at HQ still match
// without either side telling the other. In the outbox, an edit's `to` takes the ids of its
// `from` for the entries it did not change, so that HQ sees which entries the edit touched.
import { withEntryIds } from '../../../shared/customer/list-entries';
import type { SqliteDatabase } from './sqlcipher';

const LISTS = ['phones', 'addresses'] as const;

type Entries = { id?: string }[];

function listOf(value: unknown): Entries | undefined {
  return Array.isArray(value) ? (value as Entries) : undefined;
}

function withIds(record: Record<string, unknown>): boolean {
  let changed = false;
  for (const field of LISTS) {
    const list = listOf(record[field]);
    if (!list || list.every((entry) => typeof entry?.id === 'string')) continue;
    record[field] = withEntryIds(list);
    changed = true;
  }
  return changed;
}

interface StoredMutation {
  kind: string;
  customer?: Record<string, unknown>;
  fields?: Record<string, { from?: unknown; to?: unknown } | undefined>;
}

function mutationWithIds(mutation: StoredMutation): boolean {
  if (mutation.kind === 'create') return mutation.customer ? withIds(mutation.customer) : false;
  let changed = false;
  for (const field of LISTS) {
    const change = mutation.fields?.[field];
    if (!change) continue;
    const from = listOf(change.from);
    const to = listOf(change.to);
    if (from) change.from = withEntryIds(from);
    if (to) change.to = withEntryIds(to, (change.from as Entries | undefined) ?? []);
    changed = changed || from !== undefined || to !== undefined;
  }
  return changed;
}

export function giveListEntriesIds(db: SqliteDatabase): void {
  const missing = (field: string) =>
    `EXISTS (SELECT 1 FROM json_each(record, '$.${field}') WHERE json_type(value, '$.id') IS NULL)`;
  const customers = db
    .prepare(`SELECT id, record FROM customer WHERE ${LISTS.map(missing).join(' OR ')}`)
    .all() as { id: string; record: string }[];
  const setRecord = db.prepare('UPDATE customer SET record = ? WHERE id = ?');
  for (const row of customers) {
    const record = JSON.parse(row.record) as Record<string, unknown>;
    if (withIds(record)) setRecord.run(JSON.stringify(record), row.id);
  }
  const mutations = db.prepare('SELECT seq, mutation FROM outbox').all() as {
    seq: number;
    mutation: string;
  }[];
  const setMutation = db.prepare('UPDATE outbox SET mutation = ? WHERE seq = ?');
  for (const row of mutations) {
    const mutation = JSON.parse(row.mutation) as StoredMutation;
    if (mutationWithIds(mutation)) setMutation.run(JSON.stringify(mutation), row.seq);
  }
}
