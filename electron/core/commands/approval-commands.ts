// Handlers for maker-checker: the supervisor's inbox, approve, reject.
import { actorOf, approvalsOf } from './customer-commands';
import type { CommandHandler } from './table';

export const approvalHandlers: {
  'approvals.list': CommandHandler<'approvals.list'>;
  'approvals.approve': CommandHandler<'approvals.approve'>;
  'approvals.reject': CommandHandler<'approvals.reject'>;
} = {
  'approvals.list': ({ customerId, all, limit }, context) => ({
    changes: approvalsOf(context).list({ ...(customerId ? { customerId } : {}), all, limit }),
  }),
  'approvals.approve': ({ id }, context) =>
    approvalsOf(context).approve(id, actorOf(context.principal)),
  'approvals.reject': ({ id, reason }, context) => ({
    change: approvalsOf(context).reject(id, actorOf(context.principal), reason),
    version: null,
  }),
};
