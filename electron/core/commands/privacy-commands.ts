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
import {
  CustomerCopy,
  ErasureDecision,
  ErasureListResponse,
  LegalHoldReleaseResponse,
  LegalHoldResponse,
  RetentionResponse,
} from '../../../shared/protocol/privacy';
import type { z } from 'zod';
import { hqDesk } from '../session/hq-desk';
import { sessionOf } from './session-commands';
import type { CommandDefinitions, CommandsOf } from './define';
import { clear } from './masking';
import type { CommandContext } from './table';

function vaultOf(context: CommandContext) {
  if (!context.vault) throw new BranchDeskError('VAULT_NOT_OPEN');
  return context.vault;
}

/**
 * HQ's admin API as the desk's signed-in HQ user. Each call is HQ's to authorise (the privacy
 * officer's role) and to record, in its own audit chain under the officer's name.
 */
function asHqUser<T extends z.ZodType>(
  context: CommandContext,
  method: 'get' | 'post',
  path: string,
  schema: T,
  body?: unknown,
): Promise<z.output<T>> {
  const { token } = hqDesk.require(sessionOf(context));
  return deviceClient(vaultOf(context), context.secrets).asHqUser(
    token,
    method,
    path,
    schema,
    body,
  );
}

const atHq = {
  kind: 'none',
  why: "an HQ user's action at HQ: HQ authorises it and records it in its own audit chain under their name",
} as const;

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
  'privacy.hq.sign_in': {
    handler: async (credentials, context) => {
      const owner = sessionOf(context);
      const client = deviceClient(vaultOf(context), context.secrets);
      const signedIn = await client.hqSignIn(credentials);
      hqDesk.set(owner, {
        user: signedIn.user,
        token: signedIn.accessToken,
        expiresAt: signedIn.expiresAt,
      });
      return { user: signedIn.user };
    },
    audit: atHq,
    mask: clear('who is signed in to HQ'),
    writes: false,
  },
  'privacy.hq.sign_out': {
    handler: async (_input, context) => {
      const owner = sessionOf(context);
      const session = hqDesk.get(owner);
      hqDesk.forget(owner);
      if (session)
        await deviceClient(vaultOf(context), context.secrets)
          .hqSignOut(session.token)
          .catch(() => undefined); // expired or HQ away: the token is forgotten here either way
      return { user: null };
    },
    audit: atHq,
    mask: clear('nobody'),
    writes: false,
  },
  'privacy.hq.status': {
    handler: (_input, context) => ({ user: hqDesk.get(sessionOf(context))?.user ?? null }),
    audit: atHq,
    mask: clear('who is signed in to HQ'),
    writes: false,
  },
  'privacy.hq.erasures': {
    handler: ({ status }, context) =>
      asHqUser(
        context,
        'get',
        `v1/admin/erasure-requests${status ? `?status=${status}` : ''}`,
        ErasureListResponse,
      ),
    audit: atHq,
    mask: clear("HQ's answer to its privacy officer"),
    writes: false,
  },
  'privacy.hq.erasure_request': {
    handler: ({ customerId, ...body }, context) =>
      asHqUser(
        context,
        'post',
        `v1/admin/customers/${customerId}/erasure-requests`,
        ErasureDecision,
        body,
      ),
    audit: atHq,
    mask: clear("HQ's answer to its privacy officer"),
    writes: false,
  },
  'privacy.hq.hold': {
    handler: ({ customerId, ...body }, context) =>
      asHqUser(
        context,
        'post',
        `v1/admin/customers/${customerId}/legal-holds`,
        LegalHoldResponse,
        body,
      ),
    audit: atHq,
    mask: clear('a hold id'),
    writes: false,
  },
  'privacy.hq.release_hold': {
    handler: ({ holdId }, context) =>
      asHqUser(
        context,
        'post',
        `v1/admin/legal-holds/${holdId}/release`,
        LegalHoldReleaseResponse,
        {},
      ),
    audit: atHq,
    mask: clear('a customer id'),
    writes: false,
  },
  'privacy.hq.retention': {
    handler: (body, context) =>
      asHqUser(context, 'post', 'v1/admin/privacy/retention', RetentionResponse, body),
    audit: atHq,
    mask: clear('counts'),
    writes: false,
  },
  'privacy.hq.copy': {
    handler: async ({ customerId }, context) => {
      const copy = await asHqUser(
        context,
        'get',
        `v1/admin/customers/${customerId}/privacy-copy`,
        CustomerCopy,
      );
      return { copy, html: customerCopyHtml(copy) };
    },
    audit: atHq,
    mask: clear("the customer's own copy, for the privacy officer (HQ checks the role)"),
    writes: false,
  },
};
