// Handlers for the session commands. A transport with a desk (the Electron window, the web
// harness) passes its StaffSession in the context; branchctl has none and signs nobody in.
import { BranchDeskError } from '../../../shared/errors';
import type { StaffSession } from '../session/session';
import type { CommandContext, CommandHandler } from './table';

export function sessionOf(context: CommandContext): StaffSession {
  if (!context.session) throw new BranchDeskError('SESSION_REQUIRED');
  return context.session;
}

export const sessionHandlers: {
  'session.login': CommandHandler<'session.login'>;
  'session.logout': CommandHandler<'session.logout'>;
  'session.lock': CommandHandler<'session.lock'>;
  'session.unlock': CommandHandler<'session.unlock'>;
  'session.status': CommandHandler<'session.status'>;
} = {
  'session.login': (input, context) => sessionOf(context).login(input, context),
  'session.logout': (_input, context) => sessionOf(context).logout(context),
  'session.lock': (_input, context) => sessionOf(context).lock(context),
  'session.unlock': ({ password }, context) => sessionOf(context).unlock(password, context),
  'session.status': (_input, context) => sessionOf(context).status(context),
};
