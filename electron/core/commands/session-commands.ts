// The session commands, each declared once (define.ts). A transport with a desk (the Electron window, the web
// harness) passes its StaffSession in the context; branchctl has none and signs nobody in.
import { BranchDeskError } from '../../../shared/errors';
import type { StaffSession } from '../session/session';
import { wallClockIso } from '../clock';
import type { Vault } from '../vault';
import type { CommandDefinitions, CommandsOf } from './define';
import { clear } from './masking';
import type { CommandContext } from './table';

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

const staff = clear('the signed-in member of staff');

export const sessionCommands: CommandDefinitions<CommandsOf<'session'>> = {
  'session.login': {
    handler: (input, context) => sessionOf(context).login(input, context),
    audit: {
      kind: 'self',
      why: 'records login_success or login_failure with the cache and lockout counters it changes',
    },
    mask: staff,
    writes: false,
  },
  'session.logout': {
    handler: (_input, context) => sessionOf(context).logout(context),
    audit: { kind: 'self', why: 'records logout as the session ends' },
    mask: staff,
    writes: false,
  },
  'session.lock': {
    handler: (_input, context) => sessionOf(context).lock(context),
    audit: { kind: 'self', why: 'records lock as the session locks' },
    mask: staff,
    writes: false,
  },
  'session.unlock': {
    handler: ({ password }, context) => sessionOf(context).unlock(password, context),
    audit: { kind: 'self', why: 'records unlock or the failed attempt with the lockout counter' },
    mask: staff,
    writes: false,
  },
  'session.status': {
    handler: (_input, context) => sessionOf(context).status(context),
    audit: {
      kind: 'self',
      why: 'reports the session; locking it when idle is recorded as a lock',
    },
    mask: staff,
    writes: false,
  },
  'session.draft.save': {
    handler: ({ form, body }, context) => {
      const { userId, vault } = draftOwner(context);
      vault.db
        .prepare(
          `INSERT INTO desk_draft (user_id, form, body, saved_at) VALUES (?, ?, ?, ?)
           ON CONFLICT (user_id, form) DO UPDATE SET body = excluded.body, saved_at = excluded.saved_at`,
        )
        .run(userId, form, JSON.stringify(body), wallClockIso());
      return { draft: readDraft(vault, userId, form) };
    },
    audit: {
      kind: 'none',
      why: "the user's own unsaved typing, kept encrypted for them; reading a customer is audited when it happens",
    },
    mask: clear("the user's own typing, returned to them only"),
    writes: false,
  },
  'session.draft.get': {
    handler: ({ form }, context) => {
      const { userId, vault } = draftOwner(context);
      return { draft: readDraft(vault, userId, form) };
    },
    audit: { kind: 'none', why: "the user's own unsaved typing, given back only to them" },
    mask: clear("the user's own typing, returned to them only"),
    writes: false,
  },
  'session.draft.discard': {
    handler: ({ form }, context) => {
      const { userId, vault } = draftOwner(context);
      vault.db.prepare('DELETE FROM desk_draft WHERE user_id = ? AND form = ?').run(userId, form);
      return { draft: null };
    },
    audit: { kind: 'none', why: "forgets the user's own unsaved typing" },
    mask: clear('nothing'),
    writes: false,
  },
};
