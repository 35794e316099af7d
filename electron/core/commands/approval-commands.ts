// Maker-checker, each command declared once (define.ts): the supervisor's inbox, approve, reject.
import { auditOf } from './audit-commands';
import { actorOf, approvalsOf } from './customer-commands';
import { approvalAtHq } from '../sync/approval-at-hq';
import type { CommandDefinitions, CommandsOf } from './define';
import { pendingChange } from './masking';

export const approvalCommands: CommandDefinitions<CommandsOf<'approvals'>> = {
  'approvals.list': {
    handler: ({ customerId, all, limit }, context) => ({
      changes: approvalsOf(context).list({ ...(customerId ? { customerId } : {}), all, limit }),
    }),
    audit: {
      kind: 'within',
      entry: ({ customerId: target }, output) => ({
        action: 'view',
        target: target ?? null,
        details: { of: 'approvals', count: output.changes.length },
      }),
    },
    mask: (output, options) => ({
      changes: output.changes.map((change) => pendingChange(change, options)),
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
      );
    },
    audit: {
      kind: 'self',
      why: 'asks HQ to record the approval first (async), then writes approve in the transaction that applies the change',
    },
    mask: (output, options) => ({ ...output, change: pendingChange(output.change, options) }),
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
    mask: (output, options) => ({ ...output, change: pendingChange(output.change, options) }),
    writes: false,
  },
};
