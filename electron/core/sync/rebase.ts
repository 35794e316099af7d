// What the branch shows while it has edits HQ has not acknowledged: HQ's latest master record
// with the pending edits laid on top, in the order they were made. Histories are unions (an entry
// HQ added and one added here both show); phones, addresses and tasks are merged entry by entry,
// the entries edited here taking their local value; every other field shows the local value,
// which is what the push will propose. HQ decides when the push arrives (shared/sync/merge.ts).
import {
  customerFieldPolicies,
  customerSchema,
  isEntryListField,
  type Customer,
  type CustomerEditableField,
} from '../../../shared/customer';
import type { Mutation } from '../../../shared/protocol/mutations';
import { mergeEntryList } from '../../../shared/sync/entry-merge';
import { appendOnlyUnion } from '../../../shared/sync/merge';

export function rebase(master: Customer, pending: readonly Mutation[]): Customer {
  const updates = pending.filter((mutation) => mutation.kind === 'update');
  if (updates.length === 0) return master;
  const record: Record<string, unknown> = { ...master };
  for (const mutation of updates) {
    for (const [name, change] of Object.entries(mutation.fields)) {
      if (!change) continue;
      const field = name as CustomerEditableField;
      const value =
        customerFieldPolicies[field] === 'append_only'
          ? appendOnlyUnion(field, change, record[field])
          : isEntryListField(field)
            ? mergeEntryList(change, record[field], mutation.hlc, () => undefined, {
                localWins: true,
              }).value
            : change.to;
      if (value === undefined) delete record[field];
      else record[field] = value;
    }
  }
  record.version = master.version + updates.length;
  // Fields HQ changed can make the combination invalid (a preferred channel whose phone HQ
  // removed): then the master record shows, and the push lets HQ decide.
  const parsed = customerSchema.safeParse(record);
  return parsed.success ? parsed.data : master;
}
