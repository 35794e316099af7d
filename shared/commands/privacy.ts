// The privacy notices a device holds (docs/PRIVACY.md): the one in force, the list, one version.
// HQ publishes them; the device receives them at each sync and answers these from its vault.
import { z } from 'zod';
import { HqUser } from '../auth/hq-staff';
import { LoginRequest } from '../auth/staff';
import {
  CustomerCopy,
  ErasureDecision,
  ErasureListResponse,
  ErasureRequestBody,
  LegalHoldBody,
  LegalHoldReleaseResponse,
  LegalHoldResponse,
  NoticeSummary,
  NoticeVersion,
  PrivacyNotice,
  RetentionBody,
  RetentionResponse,
} from '../protocol/privacy';
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

// ---- A privacy officer at the desk, signed in to HQ (online only) ------------------------------
// The desk is a window on HQ's admin API here: HQ checks the officer's role on every call and
// records each in its own audit chain under their name. Their token lives in the core's memory.

export const PrivacyHqSignInInput = LoginRequest;
export const PrivacyHqStatusOutput = z.object({ user: HqUser.nullable() });
export const PrivacyHqErasuresInput = z
  .object({ status: z.enum(['held', 'erased']).optional() })
  .strict();
export const PrivacyHqErasureRequestInput = ErasureRequestBody.extend({ customerId: z.uuid() });
export const PrivacyHqHoldInput = LegalHoldBody.extend({ customerId: z.uuid() });
export const PrivacyHqReleaseHoldInput = z.object({ holdId: z.uuid() }).strict();
export const PrivacyHqCopyInput = z.object({ customerId: z.uuid() }).strict();

const hqWork = (summary: string) => ({ permission: 'sign_in' as const, summary });

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
  'privacy.hq.sign_in': {
    input: PrivacyHqSignInInput,
    output: PrivacyHqStatusOutput,
    ...hqWork(
      'Signs an HQ privacy officer in at HQ for the privacy desk (online only; HQ checks and audits).',
    ),
  },
  'privacy.hq.sign_out': {
    input: z.object({}).strict(),
    output: PrivacyHqStatusOutput,
    ...hqWork("Ends the HQ privacy officer's session at HQ and forgets its token."),
  },
  'privacy.hq.status': {
    input: z.object({}).strict(),
    output: PrivacyHqStatusOutput,
    ...hqWork('Who is signed in to HQ on the privacy desk, if anyone.'),
  },
  'privacy.hq.erasures': {
    input: PrivacyHqErasuresInput,
    output: ErasureListResponse,
    ...hqWork('The erasure requests at HQ, newest first (privacy officer).'),
  },
  'privacy.hq.erasure_request': {
    input: PrivacyHqErasureRequestInput,
    output: ErasureDecision,
    ...hqWork("Records a customer's erasure request at HQ: erased now, or held with its holds."),
  },
  'privacy.hq.hold': {
    input: PrivacyHqHoldInput,
    output: LegalHoldResponse,
    ...hqWork('Places a legal or investigation hold on a customer at HQ.'),
  },
  'privacy.hq.release_hold': {
    input: PrivacyHqReleaseHoldInput,
    output: LegalHoldReleaseResponse,
    ...hqWork('Releases a legal hold at HQ.'),
  },
  'privacy.hq.retention': {
    input: RetentionBody,
    output: RetentionResponse,
    ...hqWork('Runs the retention job at HQ now, or counts what it would erase (dryRun).'),
  },
  'privacy.hq.copy': {
    input: PrivacyHqCopyInput,
    output: z.object({ copy: CustomerCopy, html: z.string() }),
    ...hqWork(
      "A customer's own copy from HQ, for a privacy officer: shown and printed, never saved.",
    ),
  },
  'privacy.copy.counter': {
    input: PrivacyCopyCounterInput,
    output: PrivacyCopyCounterOutput,
    permission: 'produce_copy',
    summary:
      "The customer's own copy of their data from HQ, at the counter: the customer present and identified, a second supervisor co-signing; online only, audited, never written to disk.",
  },
} as const satisfies Record<string, CommandSpec>;
