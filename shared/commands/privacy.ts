// The privacy notices a device holds (docs/PRIVACY.md): the one in force, the list, one version.
// HQ publishes them; the device receives them at each sync and answers these from its vault.
import { z } from 'zod';
import { LoginRequest } from '../auth/staff';
import { CustomerCopy, NoticeSummary, NoticeVersion, PrivacyNotice } from '../protocol/privacy';
import type { CommandSpec } from './contract';

export const PrivacyNoticeCurrentInput = z.object({}).strict();
/** The notice in force today on this device; null until one has been received. */
export const PrivacyNoticeCurrentOutput = z.object({ notice: PrivacyNotice.nullable() });

export const PrivacyNoticeListInput = z.object({}).strict();
/** Every notice held, newest publication first. */
export const PrivacyNoticeListOutput = z.object({ notices: z.array(NoticeSummary) });

export const PrivacyNoticeShowInput = z.object({ version: NoticeVersion }).strict();
export const PrivacyNoticeShowOutput = z.object({ notice: PrivacyNotice });

/**
 * The customer's own copy at the counter (PIPL Art. 45): the signed-in supervisor confirms the
 * customer is present and identified; a second supervisor co-signs on this PC with their own
 * credentials (checked at HQ, used for this copy only, signed out after).
 */
export const PrivacyCopyCounterInput = z
  .object({
    id: z.uuid(),
    identityChecked: z.literal(true),
    cosigner: LoginRequest,
  })
  .strict();
/** The copy as HQ holds it, and the same as the zh-CN page to print. Never written to disk. */
export const PrivacyCopyCounterOutput = z.object({ copy: CustomerCopy, html: z.string() });

/** The privacy area's entries of the command contract (contract.ts spreads them in). */
export const privacyContract = {
  'privacy.notice.current': {
    input: PrivacyNoticeCurrentInput,
    output: PrivacyNoticeCurrentOutput,
    permission: 'view',
    summary:
      'The privacy notice in force today (the latest already effective), as HQ last sent it; null before any.',
  },
  'privacy.notice.list': {
    input: PrivacyNoticeListInput,
    output: PrivacyNoticeListOutput,
    permission: 'view',
    summary: 'The privacy notices this device holds: version, publication and effective dates.',
  },
  'privacy.notice.show': {
    input: PrivacyNoticeShowInput,
    output: PrivacyNoticeShowOutput,
    permission: 'view',
    summary: 'One privacy notice by its version, in zh-CN and English.',
  },
  'privacy.copy.counter': {
    input: PrivacyCopyCounterInput,
    output: PrivacyCopyCounterOutput,
    permission: 'produce_copy',
    summary:
      "The customer's own copy of their data from HQ, at the counter: the customer present and identified, a second supervisor co-signing; online only, audited, never written to disk.",
  },
} as const satisfies Record<string, CommandSpec>;
