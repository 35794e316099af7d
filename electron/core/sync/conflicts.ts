// Resolving a parked identity conflict. Keeping HQ's value changes nothing (HQ already has it);
// taking the local value or entering another is an ordinary edit of that one field, validated
// and queued as a new mutation, in the same transaction that closes the conflict.
import type { CustomerEditableField } from '../../../shared/customer';
import { BranchDeskError } from '../../../shared/errors';
import type { Actor, CustomerService } from '../customers/service';
import type { ConflictEntry } from './outbox';

export function resolveConflict(
  customers: CustomerService,
  id: number,
  choice: { take: 'local' | 'hq' | 'value'; value?: unknown },
  actor: Actor,
): { conflict: ConflictEntry; mutationId: string | null } {
  const sync = customers.sync;
  return customers.store.db.transaction(() => {
    const conflict = sync.conflict(id);
    if (!conflict) throw new BranchDeskError('CONFLICT_NOT_FOUND', { conflictId: id });
    if (conflict.resolvedAt)
      throw new BranchDeskError('CONFLICT_ALREADY_RESOLVED', { conflictId: id });
    let mutationId: string | null = null;
    if (choice.take !== 'hq') {
      const stored = customers.show({ id: conflict.customerId });
      const before = sync.pendingFor(conflict.customerId).length;
      customers.update(
        conflict.customerId,
        stored.customer.version,
        {
          [conflict.field as CustomerEditableField]:
            choice.take === 'local' ? conflict.local : choice.value,
        },
        actor,
      );
      const pending = sync.pendingFor(conflict.customerId);
      if (pending.length > before) mutationId = pending.at(-1)!.mutationId;
    }
    sync.markResolved(id, choice.take, actor.id, mutationId);
    return { conflict: sync.conflict(id)!, mutationId };
  })();
}
