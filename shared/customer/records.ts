// The parts of a customer that are records rather than facts about the person: KYC, the
// accounts summary from HQ, consents, notes, visits and tasks.
import { z } from 'zod';
import { compactIdentifier } from '../validation';
import { freeTextSchema, isoDate, isoDateTime, referenceIdSchema } from './fields';
import { addCustomerIssue } from './issues';
import { checkUniqueEntryIds } from './list-entries';

export const kycStatuses = ['pending', 'verified', 'review_required', 'rejected'] as const;
export const riskRatings = ['low', 'medium', 'high'] as const;
export const RiskRating = z.enum(riskRatings);
export type RiskRating = z.infer<typeof RiskRating>;

/** 客户身份识别: decided by HQ's AML function, shown and proposed for change at the branch. */
export const kycSchema = z.object({
  status: z.enum(kycStatuses),
  /** Undefined until the first review is done. */
  lastReviewedOn: isoDate.optional(),
  nextReviewDue: isoDate,
  riskRating: RiskRating,
  /** 政治公众人物 */
  pep: z.boolean(),
  /** A hit on a sanctions list that has not been cleared. */
  sanctionsHit: z.boolean(),
  /** 资金来源, as the customer declared it. */
  sourceOfFunds: freeTextSchema.optional(),
});
export type Kyc = z.infer<typeof kycSchema>;

// Twelve digits in a row is already more than any masked form shows (first 6 + last 4 of a
// card); separators are ignored so `6222 0212 3456 7890` is caught as well.
const UNMASKED_DIGITS = /\d{12,}/u;

/** True when an account or card number shows too many digits to count as masked. */
export function isUnmaskedAccountNumber(text: string): boolean {
  // Compacting only removes characters and turns full-width digits into ASCII ones: text with
  // fewer than twelve digits of either kind (every masked number) cannot hold twelve in a row.
  return digitCount(text) >= 12 && UNMASKED_DIGITS.test(compactIdentifier(text));
}

function digitCount(text: string): number {
  let count = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if ((code >= 0x30 && code <= 0x39) || (code >= 0xff10 && code <= 0xff19)) count++;
  }
  return count;
}

/** An account number as shown in summaries: `6222****7890`. Never the full number. */
export const maskedAccountNumberSchema = z.string().superRefine((text, context) => {
  if (isUnmaskedAccountNumber(text)) addCustomerIssue(context, 'ACCOUNT_NUMBER_NOT_MASKED');
});

export const accountStatuses = ['active', 'dormant', 'frozen', 'closed'] as const;

/** One line of the accounts summary; read-only, delivered by HQ. */
export const accountSummarySchema = z.object({
  /** HQ's product name or code, shown as given. */
  product: freeTextSchema,
  maskedNumber: maskedAccountNumberSchema,
  status: z.enum(accountStatuses),
  openedOn: isoDate,
  /**
   * The day a closed account was closed: where the AML retention period of the customer's data
   * is counted from once the last one closes (hq/privacy/erasure.ts).
   */
  closedOn: isoDate.optional(),
  /** The balance in whole yuan as HQ last summed it (deposits and wealth products; not credit). */
  balance: z.number().int().min(0).max(1e13).optional(),
  /** A time deposit's next maturity (到期日). */
  maturesOn: isoDate.optional(),
});
export type AccountSummary = z.infer<typeof accountSummarySchema>;

export const consentStates = ['granted', 'withdrawn'] as const;
/** How the consent was given or withdrawn; `branch` is the counter. */
export const consentChannels = ['branch', 'online_banking', 'mobile_app', 'phone'] as const;

/**
 * The purposes staff capture consent for (PIPL Art. 14: specific; Art. 29: separate for sensitive
 * information such as financial accounts). Each is asked and recorded on its own. Records HQ
 * delivers may carry other codes from older catalogues; they are kept and shown as they are.
 */
export const consentPurposes = [
  'marketing_sms',
  'marketing_phone',
  'marketing_email',
  'group_data_sharing',
  'cross_border_transfer',
  'credit_report_enquiry',
] as const;
export const ConsentPurpose = z.enum(consentPurposes);
export type ConsentPurpose = z.infer<typeof ConsentPurpose>;

/** A privacy notice's version as HQ publishes it (`2026-12`, `v3.1`): a reference's characters. */
export const noticeVersionSchema = referenceIdSchema;

export const consentEvidenceKinds = ['customer_screen', 'paper_form'] as const;

/**
 * What shows the customer's own will: they confirmed on the counter's customer-facing screen, or
 * signed a paper form, filed under a reference.
 */
export const consentEvidenceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('customer_screen') }),
  z.object({ kind: z.literal('paper_form'), reference: referenceIdSchema }),
]);
export type ConsentEvidence = z.infer<typeof consentEvidenceSchema>;

/**
 * One event in the consent ledger (授权同意 / 撤回同意). The current state of a purpose is its
 * latest event (`consent.ts`); events are never edited or removed, so two devices adding events
 * to one customer never conflict. Events captured at a desk carry every field; events from before
 * the ledger (delivered by HQ) have no id, notice version, member of staff or evidence.
 */
export const consentSchema = z.object({
  /** Names the event: a retried save, or the same event arriving twice by sync, adds it once. */
  id: z.uuid().optional(),
  /** What the customer agreed to, a code of `consentPurposes` (or of an older catalogue). */
  purpose: freeTextSchema,
  state: z.enum(consentStates),
  at: isoDateTime,
  channel: z.enum(consentChannels),
  /** The privacy notice the customer was shown. */
  noticeVersion: noticeVersionSchema.optional(),
  /** The member of staff who captured it. */
  capturedBy: referenceIdSchema.optional(),
  evidence: consentEvidenceSchema.optional(),
  /** A grant may lapse: from this day on it no longer counts. */
  expiresOn: isoDate.optional(),
});
export type Consent = z.infer<typeof consentSchema>;

/**
 * Why a customer's data is restricted (限制处理, PIPL Art. 47): they asked for erasure and a hold
 * applies (AML retention, an active product), a legal or investigation hold, or they asked for
 * restriction themselves.
 */
export const restrictionReasons = ['erasure_requested', 'legal_hold', 'customer_request'] as const;

/**
 * A restriction HQ placed: processing stops except storage and what the law requires. Masked for
 * every role, no reveal, no edit (but the withdrawal of a consent), kept out of marketing and
 * analysis. `until`: the day the hold that keeps the data is expected to end.
 */
export const restrictionSchema = z.object({
  since: isoDateTime,
  reason: z.enum(restrictionReasons),
  until: isoDate.optional(),
});
export type Restriction = z.infer<typeof restrictionSchema>;

/** What a periodic KYC review (客户身份资料定期审核) concluded. */
export const kycReviewOutcomes = ['no_change', 'updated', 'escalated', 'exit'] as const;
/** What the reviewer checked with the customer. */
export const kycReviewChecks = [
  'identity_documents',
  'occupation',
  'address',
  'purpose_of_relationship',
] as const;

/**
 * One periodic KYC review, recorded by the RM (append-only, like visits). The review's day and the
 * next due date it set are what HQ writes into `kyc` (shared/insight/review.ts, effectiveKyc); an
 * identity change found in a review goes through approval like any other.
 */
export const kycReviewSchema = z.object({
  id: z.uuid(),
  at: isoDateTime,
  reviewer: referenceIdSchema,
  outcome: z.enum(kycReviewOutcomes),
  checked: z.array(z.enum(kycReviewChecks)),
  note: freeTextSchema.optional(),
  /** The risk level the cycle was taken from, and the rule table's version. */
  level: z.enum(['low', 'medium', 'high', 'prohibited']),
  ruleVersion: referenceIdSchema,
  nextReviewDue: isoDate,
});
export type KycReview = z.infer<typeof kycReviewSchema>;

/** What came of one marketing contact of a campaign's call list. */
export const campaignOutcomes = ['reached', 'interested', 'declined', 'do_not_contact'] as const;

/**
 * One contact of a customer for a campaign (append-only, synced like visits): what the contact
 * cap counts, and what HQ's campaign results add up per branch.
 */
export const campaignContactSchema = z.object({
  id: z.uuid(),
  campaignId: referenceIdSchema,
  at: isoDateTime,
  by: referenceIdSchema,
  channel: z.enum(['phone', 'sms', 'email']),
  outcome: z.enum(campaignOutcomes),
});
export type CampaignContact = z.infer<typeof campaignContactSchema>;

/**
 * A change of the AML risk rating proposed at the branch (an RM's new information), with why. It
 * reaches HQ only once a supervisor who is not its maker approves it (four eyes: fourEyesFields),
 * and HQ then re-rates with it as a floor (shared/insight/risk.ts, ratingWithProposals).
 */
export const ratingProposalSchema = z.object({
  id: z.uuid(),
  level: RiskRating,
  reason: freeTextSchema,
  at: isoDateTime,
  by: referenceIdSchema,
});
export type RatingProposal = z.infer<typeof ratingProposalSchema>;

/** Next best actions the desk suggests (shared/insight/next-action.ts). */
export const nextActions = [
  'start_review',
  'renew_document',
  'renew_deposit',
  'win_back',
  'offer_mobile_banking',
  'birthday_greeting',
  'reconnect',
] as const;
export const NextActionCode = z.enum(nextActions);
export type NextActionCode = z.infer<typeof NextActionCode>;

export const actionResponses = ['done', 'dismissed'] as const;

/** A member of staff's answer to a suggested next best action. Append-only, like visits. */
export const actionResponseSchema = z.object({
  id: z.uuid(),
  action: NextActionCode,
  /** What the suggestion was about: the day it concerns, or the bank quarter (`2026-Q4`). */
  about: z.string().regex(/^(\d{4}-\d{2}-\d{2}|\d{4}-Q[1-4])$/u),
  response: z.enum(actionResponses),
  at: isoDateTime,
  by: referenceIdSchema,
});
export type ActionResponse = z.infer<typeof actionResponseSchema>;

/** Why a customer rated a visit as they did (满意度): a short list, one at most. */
export const satisfactionReasons = [
  'quick_service',
  'friendly_staff',
  'clear_explanation',
  'long_wait',
  'complicated_process',
  'unclear_explanation',
  'other',
] as const;

/**
 * 满意度评价: the customer's own rating of a visit, given on the counter's customer screen (1–5,
 * with at most one reason from the list), recorded with the visit it rates. Append-only.
 */
export const satisfactionSchema = z.object({
  id: z.uuid(),
  visitId: z.uuid(),
  score: z.number().int().min(1).max(5),
  reason: z.enum(satisfactionReasons).optional(),
  at: isoDateTime,
  /** The member of staff who served the customer (whose desk asked for the rating). */
  servedBy: referenceIdSchema,
});
export type Satisfaction = z.infer<typeof satisfactionSchema>;

/** 服务记录: a note written by staff. Append-only. */
export const noteSchema = z.object({
  id: z.uuid(),
  at: isoDateTime,
  author: referenceIdSchema,
  text: freeTextSchema,
});
export type Note = z.infer<typeof noteSchema>;

export const visitKinds = ['branch', 'home', 'business_premises', 'phone', 'video'] as const;

/** 走访: a contact with the customer. Append-only. */
export const visitSchema = z.object({
  id: z.uuid(),
  at: isoDateTime,
  author: referenceIdSchema,
  kind: z.enum(visitKinds),
  text: freeTextSchema.optional(),
});
export type Visit = z.infer<typeof visitSchema>;

export const taskStatuses = ['open', 'done', 'cancelled'] as const;

export const taskSchema = z.object({
  id: z.uuid(),
  title: freeTextSchema,
  dueOn: isoDate,
  status: z.enum(taskStatuses),
  assignee: referenceIdSchema,
  /**
   * A cleansing task (docs/QUALITY.md): the data quality rule (shared/quality/rules.ts) whose
   * problem it is to fix; done once the record no longer has it.
   */
  cleansing: z
    .string()
    .regex(/^[a-z][a-z_]{0,39}$/u)
    .optional(),
});
export type Task = z.infer<typeof taskSchema>;

/** An array of entries with ids, refusing the same id twice. */
export function entriesWithUniqueIds<T extends z.ZodType<{ id: string }>>(entry: T) {
  return z.array(entry).superRefine(checkUniqueEntryIds);
}
