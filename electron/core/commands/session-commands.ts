// Handlers for the session commands. A transport with a desk (the Electron window, the web
// harness) passes its StaffSession in the context; branchctl has none and signs nobody in.
import { BranchDeskError } from '../../../shared/errors';
import { deviceClient } from '../sync/engine';
import type { StaffSession } from '../session/session';
import type { CommandContext, CommandHandler } from './table';

function sessionOf(context: CommandContext): StaffSession {
  if (!context.session) throw new BranchDeskError('SESSION_REQUIRED');
  return context.session;
}

export const sessionHandlers: {
  'session.login': CommandHandler<'session.login'>;
  'session.logout': CommandHandler<'session.logout'>;
  'session.lock': CommandHandler<'session.lock'>;
  'session.unlock': CommandHandler<'session.unlock'>;
  'session.status': CommandHandler<'session.status'>;
  'audit.customer_access': CommandHandler<'audit.customer_access'>;
} = {
  'session.login': (input, context) => sessionOf(context).login(input, context),
  'session.logout': (_input, context) => sessionOf(context).logout(context),
  'session.lock': (_input, context) => sessionOf(context).lock(context),
  'session.unlock': ({ password }, context) => sessionOf(context).unlock(password, context),
  'session.status': (_input, context) => sessionOf(context).status(context),
  'audit.customer_access': async ({ customerId }, context) => {
    const token = await sessionOf(context).hqAccessToken(context);
    const vault = context.vault;
    if (!vault) throw new BranchDeskError('VAULT_NOT_OPEN');
    return deviceClient(vault, context.secrets).customerAccess(customerId, token);
  },
};
