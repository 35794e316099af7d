// The privacy answers HQ gives a privacy officer (docs/PRIVACY.md).
import { z } from 'zod';

/** The customer's own copy of their personal information (PIPL Art. 44–45). */
export const CustomerCopy = z.object({
  /** When HQ produced the copy (ISO 8601). */
  producedAt: z.string(),
  /** The record as HQ holds it now, whole: the customer's own data is not masked for them. */
  customer: z.record(z.string(), z.unknown()),
  /** Every change a branch made, in the order HQ received them: when, what, and from where. */
  changes: z.array(
    z.object({
      receivedAt: z.string(),
      kind: z.enum(['create', 'update']),
      fields: z.array(z.string()),
      branchId: z.string(),
      /** The roles of the member of staff who made it (never their name); none: no staff. */
      roles: z.array(z.string()),
      outcome: z.enum(['applied', 'rejected']),
      /** The customer asked for this change: a correction of their data (PIPL Art. 46). */
      correction: z.boolean(),
    }),
  ),
  /** Values the record no longer holds because a later change replaced them. */
  replacedValues: z.array(
    z.object({ field: z.string(), value: z.unknown(), replacedAt: z.string() }),
  ),
  /** Who accessed the data: per day, branch, role and action, how many times. */
  access: z.array(
    z.object({
      day: z.string(),
      branchId: z.string(),
      roles: z.array(z.string()),
      action: z.string(),
      count: z.number().int().positive(),
    }),
  ),
});
export type CustomerCopy = z.infer<typeof CustomerCopy>;

/**
 * A privacy notice's version: a short code such as `2026-12`. It is what a consent records as
 * the notice the customer saw, so it is plain and stable: letters, digits, `.`, `-`, `_`.
 */
export const NoticeVersion = z
  .string()
  .regex(/^[0-9A-Za-z][0-9A-Za-z._-]{0,31}$/, { message: 'a short code such as 2026-12' });
export type NoticeVersion = z.infer<typeof NoticeVersion>;

// Control characters other than line breaks and tabs have no place in text people read and
// print; a stray one usually means a file in the wrong encoding.
// eslint-disable-next-line no-control-regex -- finding them is the point
const controls = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

/** A notice in one language: a one-line title and paragraphs separated by blank lines. */
export const NoticeText = z.object({
  title: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .refine((title) => !/[\r\n]/.test(title) && !controls.test(title), {
      message: 'one line of text',
    }),
  body: z
    .string()
    .trim()
    .min(1)
    .max(100_000)
    .refine((body) => !controls.test(body), { message: 'no control characters' }),
});
export type NoticeText = z.infer<typeof NoticeText>;

/** A privacy notice as HQ published it (PIPL Art. 7, 17): immutable once published. */
export const PrivacyNotice = z.object({
  version: NoticeVersion,
  /** HQ's publication order: a device asks for the notices after the last one it holds. */
  seq: z.number().int().positive(),
  /** When HQ published it (ISO 8601). */
  publishedAt: z.string(),
  /** The day from which it is the notice in force (YYYY-MM-DD, the bank's calendar). */
  effectiveFrom: z.iso.date(),
  zh: NoticeText,
  en: NoticeText,
});
export type PrivacyNotice = z.infer<typeof PrivacyNotice>;

/** What a privacy officer publishes. */
export const PublishNoticeRequest = PrivacyNotice.pick({
  version: true,
  effectiveFrom: true,
  zh: true,
  en: true,
});
export type PublishNoticeRequest = z.infer<typeof PublishNoticeRequest>;

/** The notice as stored; `published` is false when the same text was already published. */
export const PublishNoticeResponse = z.object({ notice: PrivacyNotice, published: z.boolean() });

/** A notice without its text, for lists. */
export const NoticeSummary = PrivacyNotice.pick({
  version: true,
  seq: true,
  publishedAt: true,
  effectiveFrom: true,
});
export type NoticeSummary = z.infer<typeof NoticeSummary>;
export const NoticeListResponse = z.object({ notices: z.array(NoticeSummary) });

/** A device's question: the notices published after the last one it holds (its `seq`). */
export const NoticesQuery = z.object({ after: z.coerce.number().int().min(0).default(0) });
export const NoticesResponse = z.object({ notices: z.array(PrivacyNotice) });

// ---- Erasure under retention (PIPL Art. 47) ---------------------------------------------------

/**
 * The AML retention period, in years after the relationship ends: the revised Anti-Money-
 * Laundering Law's minimum (in force from 2025-01-01). HQ may keep data longer, never shorter.
 */
export const AML_RETENTION_YEARS = 10;

/** How a customer's request for erasure reached the bank. */
export const erasureChannels = [
  'branch',
  'online_banking',
  'mobile_app',
  'phone',
  'letter',
] as const;

/**
 * What keeps a customer's data from being erased (hq/privacy/holds.ts):
 *  - `active_product`: accounts not closed (the relationship goes on);
 *  - `aml_retention`: the AML retention period after the relationship ended runs to `until`
 *    (null: a closed account's closing day is unknown, so the end cannot be shown);
 *  - `legal_hold`: a legal or investigation hold not yet released.
 */
export const ErasureHold = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('active_product'), accounts: z.number().int().positive() }),
  z.object({ kind: z.literal('aml_retention'), until: z.iso.date().nullable() }),
  z.object({
    kind: z.literal('legal_hold'),
    holdId: z.uuid(),
    reference: z.string(),
    since: z.iso.datetime({ offset: true }),
  }),
]);
export type ErasureHold = z.infer<typeof ErasureHold>;

/** An erasure request as HQ holds it. */
export const ErasureRequest = z.object({
  id: z.uuid(),
  customerId: z.uuid(),
  receivedAt: z.iso.datetime({ offset: true }),
  channel: z.enum(erasureChannels),
  reference: z.string(),
  recordedBy: z.string(),
  /** `held`: something keeps the data (the customer is restricted meanwhile); `erased`: done. */
  status: z.enum(['held', 'erased']),
  holds: z.array(ErasureHold),
  evaluatedAt: z.iso.datetime({ offset: true }),
  erasedAt: z.iso.datetime({ offset: true }).nullable(),
});
export type ErasureRequest = z.infer<typeof ErasureRequest>;

/** A case reference (a form's, a court order's): a short code, never a person's data. */
export const CaseReference = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[\p{L}\p{N}][\p{L}\p{N}\-_/.#]*$/u, { message: 'letters, digits and - _ / . # only' });

/** `POST /v1/admin/customers/:id/erasure-requests`: a customer's request, as the form gives it. */
export const ErasureRequestBody = z
  .object({ channel: z.enum(erasureChannels), reference: CaseReference })
  .strict();
/** The request as recorded, and what became of it: erased now, or held (restricted meanwhile). */
export const ErasureDecision = z.object({
  request: ErasureRequest,
  outcome: z.enum(['held', 'erased']),
});
export type ErasureDecision = z.infer<typeof ErasureDecision>;
export const ErasureListQuery = z
  .object({ status: z.enum(['held', 'erased']).optional() })
  .strict();
export const ErasureListResponse = z.object({ requests: z.array(ErasureRequest) });

/** `POST /v1/admin/customers/:id/legal-holds`: a legal or investigation hold. */
export const LegalHoldBody = z.object({ reference: CaseReference }).strict();
export const LegalHoldResponse = z.object({ holdId: z.uuid() });
export const LegalHoldReleaseResponse = z.object({ customerId: z.uuid() });

/** `POST /v1/admin/privacy/retention`: the retention job, now (`dryRun`: counts only). */
export const RetentionBody = z
  .object({
    today: z.iso.date().optional(),
    years: z.number().int().min(AML_RETENTION_YEARS).max(100).optional(),
    dryRun: z.boolean().default(false),
  })
  .strict();
export const RetentionResponse = z.object({
  erasedOnRequest: z.number().int().min(0),
  erasedRetentionEnded: z.number().int().min(0),
  stillHeld: z.number().int().min(0),
  today: z.iso.date(),
  years: z.number().int(),
  dryRun: z.boolean(),
});

/**
 * `POST /v1/customers/:id/privacy-copy` (the counter): the customer's copy for a supervisor at the
 * branch, with a second supervisor's session on the same device (four eyes), the customer present
 * and their identity checked. The maker's session is the bearer; the co-signer's token is here.
 */
export const CounterCopyRequest = z
  .object({
    cosignerToken: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
    /** The supervisor confirms the customer is present and their ID document was checked. */
    identityChecked: z.literal(true),
  })
  .strict();
