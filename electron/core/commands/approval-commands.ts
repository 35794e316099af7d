// Maker-checker, each command declared once (define.ts): the supervisor's inbox and its badge,
// approve, reject, and the maker's own requests.
import { maskFieldValue, MASKED } from '../../../shared/access/masking';
import type { HeldChange, PendingChange } from '../../../shared/commands/approvals';
import { auditOf } from './audit-commands';
import { actorOf, approvalsOf } from './customer-commands';
import { approvalAtHq } from '../sync/approval-at-hq';
import type { CommandDefinitions, CommandsOf } from './define';
import { pendingChange, type MaskOptions } from './masking';

/** A held change's proposed and replaced values, each by its field's rule. */
const heldValues = <T extends PendingChange>(change: T, options: MaskOptions): T => ({
  ...pendingChange(change, options),
  // Free text (the maker's note, the checker's reason): a reader who may not read names reads none.
  note: change.note !== null && options.names ? MASKED : change.note,
  reason: change.reason !== null && options.names ? MASKED : change.reason,
  before:
    change.before === null
      ? null
      : Object.fromEntries(
          Object.entries(change.before).map(([field, value]) => [
            field,
            maskFieldValue(field, value, options),
          ]),
        ),
});

/**
 * A held change as the reader may see it: its values by each field's rule, the customer's name
 * by the name rule.
 */
const heldChange = (change: HeldChange, options: MaskOptions): HeldChange => ({
  ...heldValues(change, options),
  customer: change.customer
    ? {
        ...change.customer,
        name: String(maskFieldValue('legalName', change.customer.name, options) ?? MASKED),
      }
    : null,
});

export const approvalCommands: CommandDefinitions<CommandsOf<'approvals'>> = {
  'approvals.list': {
    handler: ({ customerId, all, limit }, context) => {
      const queue = approvalsOf(context);
      const changes = queue.list({ ...(customerId ? { customerId } : {}), all, limit });
      return { changes: queue.view(changes, actorOf(context.principal)) };
    },
    audit: {
      kind: 'within',
      entry: ({ customerId: target }, output) => ({
        action: 'view',
        target: target ?? null,
        details: { of: 'approvals', count: output.changes.length },
      }),
    },
    mask: (output, options) => ({
      changes: output.changes.map((change) => heldChange(change, options)),
    }),
    writes: false,
  },
  'approvals.count': {
    handler: (_input, context) => ({
      pending: approvalsOf(context).waitingFor(actorOf(context.principal)),
    }),
    audit: { kind: 'none', why: 'a count of waiting changes: no customer, nothing personal' },
    mask: { nothingPersonal: 'a count' },
    writes: false,
  },
  'approvals.mine': {
    handler: ({ customerId, limit }, context) => {
      const queue = approvalsOf(context);
      const maker = actorOf(context.principal);
      const changes = queue.mine(maker, { ...(customerId ? { customerId } : {}), limit });
      return { changes: queue.view(changes, maker) };
    },
    audit: {
      kind: 'within',
      entry: ({ customerId: target }, output) => ({
        action: 'view',
        target: target ?? null,
        details: { of: 'own_requests', count: output.changes.length },
      }),
    },
    mask: (output, options) => ({
      changes: output.changes.map((change) => heldChange(change, options)),
    }),
    writes: false,
  },
  'approvals.approve': {
    handler: ({ id }, context) => {
      const checker = actorOf(context.principal);
      return approvalsOf(context).approve(
        id,
        checker,
        approvalAtHq(context),
        ({ change, version }) =>
          auditOf(context).append({
            actor: checker.id,
            action: 'approve',
            target: change.customerId,
            details: {
              pendingChangeId: change.id,
              maker: change.requestedBy,
              fields: Object.keys(change.changes).sort(),
              version,
            },
          }),
        // Not approved, not rejected: back to its maker, because these fields moved since.
        ({ change, moved }) =>
          auditOf(context).append({
            actor: checker.id,
            action: 'reject',
            target: change.customerId,
            details: {
              pendingChangeId: change.id,
              maker: change.requestedBy,
              fields: moved,
              kind: 'redo',
            },
          }),
      );
    },
    audit: {
      kind: 'self',
      why: 'asks HQ to record the approval first (async), then writes approve in the transaction that applies the change (or reject, kind redo, in the one that sends it back)',
    },
    mask: (output, options) => ({ ...output, change: heldValues(output.change, options) }),
    writes: true,
  },
  'approvals.reject': {
    handler: ({ id, reason }, context) => ({
      change: approvalsOf(context).reject(id, actorOf(context.principal), reason),
      version: null,
    }),
    audit: {
      kind: 'within',
      entry: (_input, { change }) => ({
        action: 'reject',
        target: change.customerId,
        details: { pendingChangeId: change.id, maker: change.requestedBy, reason: change.reason },
      }),
    },
    mask: (output, options) => ({ ...output, change: heldValues(output.change, options) }),
    writes: false,
  },
};
