// Handlers for the session commands. A transport with a desk (the Electron window, the web
// harness) passes its StaffSession in the context; branchctl has none and signs nobody in.
import { BranchDeskError } from '../../../shared/errors';
import type { StaffSession } from '../session/session';
import { wallClockIso } from '../clock';
import type { Vault } from '../vault';
import type { CommandContext, CommandHandler } from './table';

export function sessionOf(context: CommandContext): StaffSession {
  if (!context.session) throw new BranchDeskError('SESSION_REQUIRED');
  return context.session;
}

/** Drafts belong to the signed-in member of staff; nobody else's are ever read. */
function draftOwner(context: CommandContext): { userId: string; vault: Vault } {
  if (context.principal.kind !== 'user') throw new BranchDeskError('SESSION_REQUIRED');
  if (!context.vault) throw new BranchDeskError('VAULT_NOT_OPEN');
  return { userId: context.principal.userId, vault: context.vault };
}

function readDraft(vault: Vault, userId: string, form: string) {
  const row = vault.db
    .prepare('SELECT body, saved_at FROM desk_draft WHERE user_id = ? AND form = ?')
    .get(userId, form) as { body: string; saved_at: string } | undefined;
  return row
    ? { body: JSON.parse(row.body) as Record<string, string>, savedAt: row.saved_at }
    : null;
}

export const sessionHandlers: {
  'session.login': CommandHandler<'session.login'>;
  'session.logout': CommandHandler<'session.logout'>;
  'session.lock': CommandHandler<'session.lock'>;
  'session.unlock': CommandHandler<'session.unlock'>;
  'session.status': CommandHandler<'session.status'>;
  'session.draft.save': CommandHandler<'session.draft.save'>;
  'session.draft.get': CommandHandler<'session.draft.get'>;
  'session.draft.discard': CommandHandler<'session.draft.discard'>;
} = {
  'session.login': (input, context) => sessionOf(context).login(input, context),
  'session.logout': (_input, context) => sessionOf(context).logout(context),
  'session.lock': (_input, context) => sessionOf(context).lock(context),
  'session.unlock': ({ password }, context) => sessionOf(context).unlock(password, context),
  'session.status': (_input, context) => sessionOf(context).status(context),
  'session.draft.save': ({ form, body }, context) => {
    const { userId, vault } = draftOwner(context);
    vault.db
      .prepare(
        `INSERT INTO desk_draft (user_id, form, body, saved_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (user_id, form) DO UPDATE SET body = excluded.body, saved_at = excluded.saved_at`,
      )
      .run(userId, form, JSON.stringify(body), wallClockIso());
    return { draft: readDraft(vault, userId, form) };
  },
  'session.draft.get': ({ form }, context) => {
    const { userId, vault } = draftOwner(context);
    return { draft: readDraft(vault, userId, form) };
  },
  'session.draft.discard': ({ form }, context) => {
    const { userId, vault } = draftOwner(context);
    vault.db.prepare('DELETE FROM desk_draft WHERE user_id = ? AND form = ?').run(userId, form);
    return { draft: null };
  },
};
