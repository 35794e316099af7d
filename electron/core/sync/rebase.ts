// What the branch shows while it has edits HQ has not acknowledged: HQ's latest master record
// with the pending edits laid on top, in the order they were made. Histories are unions (an entry
// HQ added and one added here both show); every other field shows the local value, which is what
// the push will propose. HQ decides when the push arrives (shared/sync/merge.ts).
import {
  customerFieldPolicies,
  customerSchema,
  type Customer,
  type CustomerEditableField,
} from '../../../shared/customer';
import type { Mutation } from '../../../shared/protocol/mutations';
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
