// The privacy commands, each declared once (define.ts). A notice is the bank's published text,
// the same for everyone: reading it is nobody's personal data, so nothing is audited. The
// customer's copy at the counter is theirs, whole: asked of HQ with four eyes, audited, kept in
// memory only (the desk shows and prints it; no file).
import { localDay } from '../../../shared/customer/consent';
import { BranchDeskError } from '../../../shared/errors';
import { wallClock } from '../clock';
import { log } from '../log';
import { deviceClient } from '../sync/engine';
import { currentNotice, noticeList, noticeOfVersion } from '../sync/notices';
import { customerCopyHtml } from '../../../shared/privacy/copy-report';
import { sessionOf } from './session-commands';
import type { CommandDefinitions, CommandsOf } from './define';
import { clear } from './masking';
import type { CommandContext } from './table';

function vaultOf(context: CommandContext) {
  if (!context.vault) throw new BranchDeskError('VAULT_NOT_OPEN');
  return context.vault;
}

const notAudited = {
  kind: 'none',
  why: "the bank's published privacy notice, the same for every customer: nothing of anyone's",
} as const;

export const privacyCommands: CommandDefinitions<CommandsOf<'privacy'>> = {
  'privacy.notice.current': {
    // The branch's today: a notice effective tomorrow is not yet the one to show or to consent to.
    handler: (_input, context) => ({
      notice: currentNotice(vaultOf(context), localDay(wallClock())),
    }),
    audit: notAudited,
    mask: clear("the bank's published notice"),
    writes: false,
  },
  'privacy.notice.list': {
    handler: (_input, context) => ({ notices: noticeList(vaultOf(context)) }),
    audit: notAudited,
    mask: clear('versions and dates'),
    writes: false,
  },
  'privacy.notice.show': {
    handler: ({ version }, context) => ({ notice: noticeOfVersion(vaultOf(context), version) }),
    audit: notAudited,
    mask: clear("the bank's published notice"),
    writes: false,
  },
  'privacy.copy.counter': {
    handler: async ({ id, cosigner }, context) => {
      const vault = vaultOf(context);
      const token = await sessionOf(context).hqAccessToken(context);
      const client = deviceClient(vault, context.secrets);
      // The co-signer's own sign-in at HQ (their password and code, counted to their lockout),
      // for this one copy: nothing of it is kept, and the session ends right after.
      const signedIn = await client.login(cosigner);
      try {
        const copy = await client.counterCopy(id, token, signedIn.tokens.accessToken);
        return { copy, html: customerCopyHtml(copy) };
      } finally {
        await client.logout(signedIn.tokens.refreshToken).catch((error: unknown) => {
          log('warn', 'privacy.cosigner_logout_failed', {
            code: (error as { code?: string }).code ?? 'unknown',
          });
        });
      }
    },
    audit: {
      kind: 'around',
      start: ({ id, cosigner }) => ({
        action: 'export',
        target: id,
        details: { what: 'privacy_copy', cosigner: cosigner.username, stage: 'start' },
      }),
      end: ({ id, cosigner }, { output, error }) => ({
        action: 'export',
        target: id,
        details: output
          ? {
              what: 'privacy_copy',
              cosigner: cosigner.username,
              changes: output.copy.changes.length,
            }
          : { what: 'privacy_copy', cosigner: cosigner.username, error },
      }),
    },
    mask: clear("the customer's own data, for them, four eyes, audited"),
    writes: false,
  },
};
