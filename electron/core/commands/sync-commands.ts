// The sync commands, each declared once (define.ts): a round now, the device's sync state, the conflict queue and
// the rejected ledger.
import { principalPermissions } from '../../../shared/access/permissions';
import { isIdentityField } from '../../../shared/customer';
import { BranchDeskError } from '../../../shared/errors';
import { readEnrollment } from '../device/enrollment';
import { resolveConflict } from '../sync/conflicts';
import { acknowledgedAudit } from '../audit/upload';
import { lastSyncAt, syncRound } from '../sync/engine';
import type { ConflictEntry } from '../sync/outbox';
import { syncCursor } from '../sync/pull';
import { actorOf, customersOf } from './customer-commands';
import type { CommandDefinitions, CommandsOf } from './define';
import { clear, conflict as maskedConflict, rejected as maskedRejection } from './masking';
import type { CommandContext } from './table';

export const syncCommands: CommandDefinitions<CommandsOf<'sync'>> = {
  'sync.run': {
    handler: async ({ pageSize, initialSync }, { vault, secrets, onProgress }) => {
      if (!vault) throw new BranchDeskError('VAULT_NOT_OPEN');
      return syncRound(vault, secrets, {
        ...(pageSize ? { pageSize } : {}),
        ...(initialSync ? { initialSync } : {}),
        ...(onProgress ? { onProgress } : {}),
      });
    },
    audit: {
      kind: 'around',
      start: () => ({ action: 'sync_start' }),
      end: (_input, { output, error }) => ({
        action: 'sync_end',
        details: output
          ? {
              pushed: output.push.pushed,
              pulled: output.pull.done,
              snapshotLoaded: output.snapshot?.loaded ?? 0,
              inserted: output.pull.inserted,
              updated: output.pull.updated,
              removed: output.pull.removed,
              evicted: output.evicted,
              erased: output.pull.erased,
            }
          : { error: error ?? 'unknown' },
      }),
    },
    mask: clear('counts'),
    writes: false,
  },
  'sync.status': {
    handler: (_input, context) => {
      const customers = customersOf(context);
      const vault = context.vault!;
      const count = (sql: string, ...params: number[]) =>
        vault.db
          .prepare(sql)
          .pluck()
          .get(...params) as number;
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
          'SELECT count(*) FROM audit_log WHERE seq > ?',
          acknowledgedAudit(vault).seq,
        ),
      };
    },
    audit: {
      kind: 'none',
      why: 'counts and the cursor, nothing of any customer; the status bar asks every few seconds',
    },
    mask: clear('counts and times'),
    writes: false,
  },
  'sync.conflicts.list': {
    handler: ({ all, limit }, context) => ({
      conflicts: customersOf(context)
        .sync.conflicts({ open: !all, limit })
        .map((conflict) => withNumber(context, conflict)),
    }),
    audit: {
      kind: 'within',
      entry: (_input, output) => ({
        action: 'view',
        details: { of: 'conflicts', count: output.conflicts.length },
      }),
    },
    mask: (output, options) => ({
      conflicts: output.conflicts.map((entry) => maskedConflict(entry, options)),
    }),
    writes: false,
  },
  'sync.conflicts.show': {
    handler: ({ id }, context) => {
      const conflict = customersOf(context).sync.conflict(id);
      if (!conflict) throw new BranchDeskError('CONFLICT_NOT_FOUND', { conflictId: id });
      return withNumber(context, conflict);
    },
    audit: {
      kind: 'within',
      entry: (_input, output) => ({
        action: 'view',
        target: output.customerId,
        details: { of: 'conflict', conflictId: output.id, field: output.field },
      }),
    },
    mask: (output, options) => maskedConflict(output, options),
    writes: false,
  },
  'sync.conflicts.resolve': {
    handler: ({ id, take, value }, context) => {
      const customers = customersOf(context);
      const conflict = customers.sync.conflict(id);
      // Taking a value for an identity field is an identity edit, with that permission.
      if (
        conflict &&
        take !== 'hq' &&
        isIdentityField(conflict.field) &&
        !principalPermissions(context.principal).has('edit_identity')
      )
        throw new BranchDeskError('PERMISSION_DENIED', { permission: 'edit_identity' });
      const resolved = resolveConflict(customers, id, { take, value }, actorOf(context.principal));
      return { conflict: withNumber(context, resolved.conflict), mutationId: resolved.mutationId };
    },
    audit: {
      kind: 'within',
      entry: ({ id, take }, output) => ({
        action: 'resolve_conflict',
        target: output.conflict.customerId,
        details: {
          conflictId: id,
          field: output.conflict.field,
          take,
          mutationId: output.mutationId,
        },
      }),
    },
    mask: (output, options) => ({ ...output, conflict: maskedConflict(output.conflict, options) }),
    writes: true,
  },
  'sync.rejected.list': {
    handler: ({ limit }, context) => ({
      rejected: customersOf(context).sync.rejected(limit),
    }),
    audit: {
      kind: 'within',
      entry: (_input, output) => ({
        action: 'view',
        details: { of: 'rejected', count: output.rejected.length },
      }),
    },
    mask: (output, options) => ({
      rejected: output.rejected.map((entry) => maskedRejection(entry, options)),
    }),
    writes: false,
  },
};

function withNumber(context: CommandContext, conflict: ConflictEntry) {
  const stored = customersOf(context).store.get(conflict.customerId);
  return { ...conflict, customerNumber: stored?.customer.customerNumber ?? null };
}
