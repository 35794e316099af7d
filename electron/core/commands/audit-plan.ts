// What the audit log records for each command. Every command must say (the type makes a new
// command without a plan a compile error):
//   - `within`: the handler is synchronous and runs in one vault transaction with its entry, so
//     the entry commits with the action or neither does;
//   - `around`: long work (a sync) that commits many times; an entry when it starts and one
//     when it ends, whichever way;
//   - `after`: the command makes or rebuilds the vault itself; its entry is written once the
//     vault is there (not in the same transaction: there is none around a key rotation);
//   - `none`: reads nothing of customers' data and changes nothing (the reason says why).
// Queries and values typed by the teller are recorded: the log lives in the encrypted vault and
// at HQ, never in the process log.
import type { RevealableField } from '../../../shared/access/permissions';
import type { AuditAction } from '../../../shared/audit/entry';
import type { CommandName, CommandOutput } from '../../../shared/commands/contract';
import type { commandContract } from '../../../shared/commands/contract';
import type { z } from 'zod';

export interface PlannedEntry {
  action: AuditAction;
  target?: string | null;
  details?: Record<string, unknown>;
}

type Input<N extends CommandName> = z.output<(typeof commandContract)[N]['input']>;

export type AuditPlan<N extends CommandName> =
  | { kind: 'within'; entry: (input: Input<N>, output: CommandOutput<N>) => PlannedEntry }
  | {
      kind: 'around';
      start: (input: Input<N>) => PlannedEntry;
      end: (
        input: Input<N>,
        outcome: { output?: CommandOutput<N>; error?: string },
      ) => PlannedEntry;
    }
  | { kind: 'after'; entry: (input: Input<N>, output: CommandOutput<N>) => PlannedEntry }
  | { kind: 'none'; why: string }
  /** The command writes its own entries, with the state they record (sign-in, lock). */
  | { kind: 'self'; why: string };

/** Revealing a field: who saw which field of which customer, and why. */
const reveal = (field: RevealableField) =>
  ({
    kind: 'within',
    entry: ({
      id,
      reason,
      index,
    }: {
      id: string;
      reason: string;
      index: number;
    }): PlannedEntry => ({
      action: 'reveal',
      target: id,
      details: { field, reason, index },
    }),
  }) as const;

const customerId = (output: { customer: Record<string, unknown> }) =>
  typeof output.customer.id === 'string' ? output.customer.id : null;

export const auditPlans: { [N in CommandName]: AuditPlan<N> } = {
  'vault.init': {
    kind: 'after',
    entry: (_input, output) => ({
      action: 'config_change',
      details: { event: 'vault_created', schemaVersion: output.schemaVersion },
    }),
  },
  'vault.doctor': {
    kind: 'none',
    why: 'reads the file read-only for its health; shows no customer data',
  },
  'vault.rekey': {
    kind: 'after',
    entry: (_input, output) => ({
      action: 'config_change',
      details: { event: 'vault_rekeyed', ...output },
    }),
  },
  'device.enroll': {
    kind: 'after',
    entry: (_input, output) => ({
      action: 'config_change',
      details: { event: 'device_enrolled', deviceId: output.deviceId, branchId: output.branchId },
    }),
  },
  'device.status': {
    kind: 'none',
    why: 'asks HQ about the device; a revoked device has no vault left to write to',
  },
  'device.about': {
    kind: 'none',
    why: 'the device, its branch and the version: nothing of any customer or person',
  },
  'session.login': {
    kind: 'self',
    why: 'records login_success or login_failure with the cache and lockout counters it changes',
  },
  'session.logout': {
    kind: 'self',
    why: 'records logout as the session ends',
  },
  'session.lock': {
    kind: 'self',
    why: 'records lock as the session locks',
  },
  'session.unlock': {
    kind: 'self',
    why: 'records unlock or the failed attempt with the lockout counter',
  },
  'session.status': {
    kind: 'self',
    why: 'reports the session; locking it when idle is recorded as a lock',
  },
  'session.draft.save': {
    kind: 'none',
    why: "the user's own unsaved typing, kept encrypted for them; reading a customer is audited when it happens",
  },
  'session.draft.get': {
    kind: 'none',
    why: "the user's own unsaved typing, given back only to them",
  },
  'session.draft.discard': {
    kind: 'none',
    why: "forgets the user's own unsaved typing",
  },
  'sync.run': {
    kind: 'around',
    start: () => ({ action: 'sync_start' }),
    end: (_input, { output, error }) => ({
      action: 'sync_end',
      details: output
        ? {
            pushed: output.push.pushed,
            pulled: output.pull.done,
            inserted: output.pull.inserted,
            updated: output.pull.updated,
            removed: output.pull.removed,
            evicted: output.evicted,
          }
        : { error: error ?? 'unknown' },
    }),
  },
  'sync.status': {
    kind: 'none',
    why: 'counts and the cursor, nothing of any customer; the status bar asks every few seconds',
  },
  'sync.conflicts.list': {
    kind: 'within',
    entry: (_input, output) => ({
      action: 'view',
      details: { of: 'conflicts', count: output.conflicts.length },
    }),
  },
  'sync.conflicts.show': {
    kind: 'within',
    entry: (_input, output) => ({
      action: 'view',
      target: output.customerId,
      details: { of: 'conflict', conflictId: output.id, field: output.field },
    }),
  },
  'sync.conflicts.resolve': {
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
  'sync.rejected.list': {
    kind: 'within',
    entry: (_input, output) => ({
      action: 'view',
      details: { of: 'rejected', count: output.rejected.length },
    }),
  },
  'customer.search': {
    kind: 'within',
    entry: ({ query, limit, offset }, output) => ({
      action: 'search',
      details: { query, limit, offset, results: output.items.length },
    }),
  },
  'customer.show': {
    kind: 'within',
    entry: (_input, output) => ({ action: 'view', target: customerId(output) }),
  },
  'customer.create': {
    kind: 'within',
    entry: (_input, output) => ({ action: 'create', target: customerId(output) }),
  },
  'customer.update': {
    kind: 'within',
    entry: ({ changes, baseVersion }, output) => ({
      action: 'update',
      target: customerId(output),
      details: {
        fields: Object.keys(changes).sort(),
        baseVersion,
        ...(output.pendingChangeId ? { pendingChangeId: output.pendingChangeId } : {}),
      },
    }),
  },
  'customer.set_phone': {
    kind: 'within',
    entry: ({ index, baseVersion }, output) => ({
      action: 'update',
      target: customerId(output),
      details: { fields: ['phones'], index, baseVersion },
    }),
  },
  'customer.set_address': {
    kind: 'within',
    entry: ({ index, baseVersion }, output) => ({
      action: 'update',
      target: customerId(output),
      details: { fields: ['addresses'], index, baseVersion },
    }),
  },
  'customer.record_visit': {
    kind: 'within',
    entry: ({ kind, visitId }, output) => ({
      action: 'update',
      target: customerId(output),
      details: { fields: ['visits'], kind, visitId },
    }),
  },
  'approvals.list': {
    kind: 'within',
    entry: ({ customerId: target }, output) => ({
      action: 'view',
      target: target ?? null,
      details: { of: 'approvals', count: output.changes.length },
    }),
  },
  'approvals.approve': {
    kind: 'self',
    why: 'asks HQ to record the approval first (async), then writes approve in the transaction that applies the change',
  },
  'approvals.reject': {
    kind: 'within',
    entry: (_input, { change }) => ({
      action: 'reject',
      target: change.customerId,
      details: { pendingChangeId: change.id, maker: change.requestedBy, reason: change.reason },
    }),
  },
  'customer.duplicates': {
    kind: 'within',
    entry: (_input, output) => ({
      action: 'view',
      details: { of: 'duplicates', groups: output.groups.length },
    }),
  },
  'customer.reveal.identity_number': reveal('identity_number'),
  'customer.reveal.phone': reveal('phone'),
  'customer.reveal.email': reveal('email'),
  'customer.reveal.address': reveal('address'),
  'customer.reveal.account_number': reveal('account_number'),
  'customer.reveal.name': reveal('name'),
  'audit.verify': {
    kind: 'within',
    entry: (_input, output) => ({
      action: 'view',
      details: { of: 'audit_verification', ok: output.ok, checked: output.checked },
    }),
  },
  'audit.customer_access': {
    kind: 'around',
    start: ({ customerId }) => ({
      action: 'export',
      target: customerId,
      details: { what: 'customer_access', stage: 'start' },
    }),
    end: ({ customerId }, { output, error }) => ({
      action: 'export',
      target: customerId,
      details: output
        ? { what: 'customer_access', entries: output.entries.length }
        : { what: 'customer_access', error },
    }),
  },
  'audit.export': {
    kind: 'within',
    entry: ({ from, to, customerId: target, actor, action }, output) => ({
      action: 'export',
      target: target ?? null,
      details: {
        of: 'audit',
        ...(from ? { from } : {}),
        ...(to ? { to } : {}),
        ...(actor ? { actor } : {}),
        ...(action ? { action } : {}),
        entries: output.entries.length,
      },
    }),
  },
};
