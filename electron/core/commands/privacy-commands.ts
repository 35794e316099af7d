// The privacy notice commands, each declared once (define.ts). A notice is the bank's published
// text, the same for everyone: reading it is nobody's personal data, so nothing is audited.
import { localDay } from '../../../shared/customer/consent';
import { BranchDeskError } from '../../../shared/errors';
import { wallClock } from '../clock';
import { currentNotice, noticeList, noticeOfVersion } from '../sync/notices';
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
};
