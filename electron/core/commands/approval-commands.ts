// Handlers for maker-checker: the supervisor's inbox, approve, reject.
import { auditOf } from './audit-commands';
import { actorOf, approvalsOf } from './customer-commands';
import { approvalAtHq } from '../sync/approval-at-hq';
import type { CommandHandler } from './table';

export const approvalHandlers: {
  'approvals.list': CommandHandler<'approvals.list'>;
  'approvals.approve': CommandHandler<'approvals.approve'>;
  'approvals.reject': CommandHandler<'approvals.reject'>;
} = {
  'approvals.list': ({ customerId, all, limit }, context) => ({
    changes: approvalsOf(context).list({ ...(customerId ? { customerId } : {}), all, limit }),
  }),
  'approvals.approve': ({ id }, context) => {
    const checker = actorOf(context.principal);
    return approvalsOf(context).approve(id, checker, approvalAtHq(context), ({ change, version }) =>
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
  'approvals.reject': ({ id, reason }, context) => ({
    change: approvalsOf(context).reject(id, actorOf(context.principal), reason),
    version: null,
  }),
};
