// Handlers for the sync commands: a round now, the device's sync state, the conflict queue and
// the rejected ledger.
import { principalPermissions } from '../../../shared/access/permissions';
import { customerFieldPolicies, type CustomerEditableField } from '../../../shared/customer';
import { BranchDeskError } from '../../../shared/errors';
import { readEnrollment } from '../device/enrollment';
import { resolveConflict } from '../sync/conflicts';
import { acknowledgedAudit } from '../audit/upload';
import { lastSyncAt, syncRound } from '../sync/engine';
import type { ConflictEntry } from '../sync/outbox';
import { syncCursor } from '../sync/pull';
import { actorOf, customersOf } from './customer-commands';
import type { CommandContext, CommandHandler } from './table';

export const syncHandlers: {
  'sync.run': CommandHandler<'sync.run'>;
  'sync.status': CommandHandler<'sync.status'>;
  'sync.conflicts.list': CommandHandler<'sync.conflicts.list'>;
  'sync.conflicts.show': CommandHandler<'sync.conflicts.show'>;
  'sync.conflicts.resolve': CommandHandler<'sync.conflicts.resolve'>;
  'sync.rejected.list': CommandHandler<'sync.rejected.list'>;
} = {
  'sync.run': async ({ pageSize }, { vault, secrets, onProgress }) => {
    if (!vault) throw new BranchDeskError('VAULT_NOT_OPEN');
    return syncRound(vault, secrets, {
      ...(pageSize ? { pageSize } : {}),
      ...(onProgress ? { onProgress } : {}),
    });
  },
  'sync.status': (_input, context) => {
    const customers = customersOf(context);
    const vault = context.vault!;
    const count = (sql: string) => vault.db.prepare(sql).pluck().get() as number;
    const enrollment = readEnrollment(vault);
    return {
      enrolled: enrollment !== undefined,
      branchId: enrollment?.branchId ?? null,
      cursor: syncCursor(vault),
      customers: count('SELECT count(*) FROM customer'),
      pendingChanges: count('SELECT count(*) FROM customer WHERE has_pending_changes = 1'),
      ...customers.sync.counts(),
      lastSyncAt: lastSyncAt(vault),
      auditPending: count(
        `SELECT count(*) FROM audit_log WHERE seq > ${acknowledgedAudit(vault).seq}`,
      ),
    };
  },
  'sync.conflicts.list': ({ all, limit }, context) => ({
    conflicts: customersOf(context)
      .sync.conflicts({ open: !all, limit })
      .map((conflict) => withNumber(context, conflict)),
  }),
  'sync.conflicts.show': ({ id }, context) => {
    const conflict = customersOf(context).sync.conflict(id);
    if (!conflict) throw new BranchDeskError('CONFLICT_NOT_FOUND', { conflictId: id });
    return withNumber(context, conflict);
  },
  'sync.conflicts.resolve': ({ id, take, value }, context) => {
    const customers = customersOf(context);
    const conflict = customers.sync.conflict(id);
    // Taking a value for an identity field is an identity edit, with that permission.
    if (
      conflict &&
      take !== 'hq' &&
      customerFieldPolicies[conflict.field as CustomerEditableField] === 'identity' &&
      !principalPermissions(context.principal).has('edit_identity')
    )
      throw new BranchDeskError('PERMISSION_DENIED', { permission: 'edit_identity' });
    const resolved = resolveConflict(customers, id, { take, value }, actorOf(context.principal));
    return { conflict: withNumber(context, resolved.conflict), mutationId: resolved.mutationId };
  },
  'sync.rejected.list': ({ limit }, context) => ({
    rejected: customersOf(context).sync.rejected(limit),
  }),
};

function withNumber(context: CommandContext, conflict: ConflictEntry) {
  const stored = customersOf(context).store.get(conflict.customerId);
  return { ...conflict, customerNumber: stored?.customer.customerNumber ?? null };
}
