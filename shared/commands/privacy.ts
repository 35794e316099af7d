// The privacy notices a device holds (docs/PRIVACY.md): the one in force, the list, one version.
// HQ publishes them; the device receives them at each sync and answers these from its vault.
import { z } from 'zod';
import { NoticeSummary, NoticeVersion, PrivacyNotice } from '../protocol/privacy';
import type { CommandSpec } from './contract';

export const PrivacyNoticeCurrentInput = z.object({}).strict();
/** The notice in force today on this device; null until one has been received. */
export const PrivacyNoticeCurrentOutput = z.object({ notice: PrivacyNotice.nullable() });

export const PrivacyNoticeListInput = z.object({}).strict();
/** Every notice held, newest publication first. */
export const PrivacyNoticeListOutput = z.object({ notices: z.array(NoticeSummary) });

export const PrivacyNoticeShowInput = z.object({ version: NoticeVersion }).strict();
export const PrivacyNoticeShowOutput = z.object({ notice: PrivacyNotice });

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
} as const satisfies Record<string, CommandSpec>;
