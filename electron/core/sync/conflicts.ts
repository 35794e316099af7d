// Resolving a parked identity conflict. Keeping HQ's value changes nothing (HQ already has it).
// Taking the local value sets again what the conflicting mutation set with four eyes: it is
// queued at once, citing that mutation as its approval (HQ checks the value is the one approved,
// for a field it answered `conflict` to). Entering another value is a new identity edit: held for
// a second supervisor like any other (ApprovalQueue), nothing applied until then. Either way the
// conflict closes in the same transaction.
import type { CustomerEditableField } from '../../../shared/customer';
import { BranchDeskError } from '../../../shared/errors';
import { ApprovalQueue, needsHqApproval } from '../customers/approvals';
import type { Actor, CustomerService } from '../customers/service';
import type { ConflictEntry } from './outbox';

export function resolveConflict(
  customers: CustomerService,
  id: number,
  choice: { take: 'local' | 'hq' | 'value'; value?: unknown },
  actor: Actor,
): { conflict: ConflictEntry; mutationId: string | null; pendingChangeId: number | null } {
  const sync = customers.sync;
  return customers.store.db.transaction(() => {
    const conflict = sync.conflict(id);
    if (!conflict) throw new BranchDeskError('CONFLICT_NOT_FOUND', { conflictId: id });
    if (conflict.resolvedAt)
      throw new BranchDeskError('CONFLICT_ALREADY_RESOLVED', { conflictId: id });
    let mutationId: string | null = null;
    let pendingChangeId: number | null = null;
    if (choice.take !== 'hq') {
      const stored = customers.show({ id: conflict.customerId });
      const changes = {
        [conflict.field as CustomerEditableField]:
          choice.take === 'local' ? conflict.local : choice.value,
      };
      if (choice.take === 'value' && needsHqApproval(changes)) {
        pendingChangeId = new ApprovalQueue(customers.vault, customers).hold(
          conflict.customerId,
          stored.customer.version,
          changes,
          actor,
        );
      } else {
        const before = sync.pendingFor(conflict.customerId).length;
        customers.update(
          conflict.customerId,
          stored.customer.version,
          changes,
          actor,
          needsHqApproval(changes) ? { approval: { reaffirms: conflict.mutationId } } : {},
        );
        const pending = sync.pendingFor(conflict.customerId);
        if (pending.length > before) mutationId = pending.at(-1)!.mutationId;
      }
    }
    sync.markResolved(id, choice.take, actor.id, mutationId);
    return { conflict: sync.conflict(id)!, mutationId, pendingChangeId };
  })();
}
