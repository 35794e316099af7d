// The customer commands: search, show, create, update, and the probable-duplicates report.
import { z } from 'zod';
import { revealReasons } from '../access/masking';
import { addressKinds, phoneKinds } from '../customer/contacts';
import {
  ConsentPurpose,
  consentChannels,
  consentEvidenceSchema,
  noticeVersionSchema,
  taskStatuses,
  visitKinds,
} from '../customer/records';
import { isoDate } from '../customer/fields';
import {
  actionResponses,
  campaignOutcomes,
  kycReviewChecks,
  kycReviewOutcomes,
  NextActionCode,
  riskRatings,
  satisfactionReasons,
} from '../customer/records';
import { customerListItemSchema } from '../customer/list-item';
import { customerFieldPolicies } from '../customer/field-policies';
import { matchedFields } from '../search/plan';

export const CustomerSearchInput = z
  .object({
    /** What the teller typed. Longer than any name or identifier is refused, not truncated. */
    query: z.string().max(256),
    limit: z.number().int().min(1).max(100).default(20),
    offset: z.number().int().min(0).max(10_000).default(0),
  })
  .strict();

export const CustomerSearchOutput = z.object({
  items: z.array(customerListItemSchema.extend({ matchedField: z.enum(matchedFields) })),
  fields: z.array(z.enum(matchedFields)),
  truncated: z.boolean(),
});

export const CustomerShowInput = z
  .object({ id: z.uuid().optional(), customerNumber: z.string().max(32).optional() })
  .strict()
  .refine((input) => (input.id === undefined) !== (input.customerNumber === undefined), {
    message: 'give exactly one of id and customerNumber',
  });

/** A customer as stored; its shape is checked by customerSchema inside the core. */
const StoredCustomer = z.record(z.string(), z.unknown());

export const CustomerShowOutput = z.object({
  customer: StoredCustomer,
  hasPendingChanges: z.boolean(),
  /**
   * Changes to this customer waiting for a supervisor (maker-checker): which fields, by whom,
   * since when; never the proposed values (a supervisor sees those in approvals.list).
   */
  awaitingApproval: z.array(
    z.object({
      id: z.number().int().positive(),
      fields: z.array(z.string()),
      requestedBy: z.string(),
      requestedAt: z.string(),
    }),
  ),
  /** This customer's sync conflicts still waiting for a person to decide. */
  openConflicts: z.number().int().min(0),
  /** This customer's changes HQ refused, in the rejected ledger. */
  rejectedChanges: z.number().int().min(0),
});

const DuplicateCandidate = z.object({
  id: z.string(),
  customerNumber: z.string(),
  displayName: z.string(),
});
const ProbableDuplicate = z.object({
  reason: z.enum(['same_name_and_birth_date', 'same_phone_similar_name']),
  candidate: DuplicateCandidate,
});

export const CustomerCreateInput = z
  .object({
    /** Everything but the fields the system assigns (id, customer number, version, provenance). */
    customer: z.record(z.string(), z.unknown()),
  })
  .strict();

export const CustomerWriteOutput = z.object({
  customer: StoredCustomer,
  /** Probable duplicates: a warning for the teller, not a refusal. */
  probableDuplicates: z.array(ProbableDuplicate),
  /**
   * Set when the change touched identity or other sensitive fields: it was not applied but
   * waits, as this pending change, for a supervisor other than its maker (maker-checker).
   */
  pendingChangeId: z.number().int().positive().optional(),
});

const editableFields = Object.keys(customerFieldPolicies) as [string, ...string[]];

export const CustomerUpdateInput = z
  .object({
    id: z.uuid(),
    /** The version the change was made against; a newer stored version refuses the change. */
    baseVersion: z.number().int().positive(),
    changes: z
      .partialRecord(z.enum(editableFields), z.unknown())
      .refine((changes) => Object.keys(changes).length > 0, {
        message: 'nothing to change',
      }),
    /** For a change held for a supervisor: what its maker tells them (why, what was seen). */
    note: z.string().trim().max(500).optional(),
    /**
     * The customer asked for this correction of their data (更正, PIPL Art. 46): the change is
     * marked so in its history at HQ and in the customer's copy. It follows the normal path.
     */
    correction: z.boolean().optional(),
  })
  .strict();

/**
 * One phone of a customer, set or added (`index` equal to the count adds one): the desk holds
 * only masked copies of the other phones, so it cannot send the whole list as `customer.update`
 * needs. The number is checked by the shared phone validator in the core, as typed.
 */
export const CustomerSetPhoneInput = z
  .object({
    id: z.uuid(),
    baseVersion: z.number().int().positive(),
    index: z.number().int().min(0).max(20),
    phone: z.object({
      kind: z.enum(phoneKinds),
      e164: z.string().max(64),
      primary: z.boolean().optional(),
    }),
    /** The customer asked for this correction (as for customer.update). */
    correction: z.boolean().optional(),
  })
  .strict();

/**
 * One address of a customer, set or added (`index` equal to the count adds one), for the same
 * reason as a phone: the desk holds masked copies of the others. The core checks the region
 * codes and postcode with the shared address schema.
 */
export const CustomerSetAddressInput = z
  .object({
    id: z.uuid(),
    baseVersion: z.number().int().positive(),
    index: z.number().int().min(0).max(20),
    address: z
      .object({
        kind: z.enum(addressKinds),
        provinceCode: z.string().max(6),
        cityCode: z.string().max(6),
        districtCode: z.string().max(6),
        line: z.string().max(500),
        postcode: z.string().max(6).optional(),
      })
      .strict(),
    correction: z.boolean().optional(),
  })
  .strict();

/**
 * A visit (到访) recorded with the customer, with an optional note of what was done. Visits are
 * append-only: the core adds the entry (its id, time and author) to the current record, so no
 * version is needed and two desks recording visits never conflict.
 */
export const CustomerRecordVisitInput = z
  .object({
    id: z.uuid(),
    /** The visit's own id, made by the desk when the form opens: a retried save records it once. */
    visitId: z.uuid(),
    kind: z.enum(visitKinds),
    text: z.string().trim().min(1).max(2000).optional(),
  })
  .strict();

/**
 * The customer's rating of a visit (满意度), as they gave it on the counter's customer screen:
 * only the core runs it, when the screen answers (a desk that sends it is refused).
 */
export const CustomerRecordSatisfactionInput = z
  .object({
    id: z.uuid(),
    /** The rating's id: the counter request that asked for it, so a retry records it once. */
    ratingId: z.uuid(),
    visitId: z.uuid(),
    score: z.number().int().min(1).max(5),
    reason: z.enum(satisfactionReasons).optional(),
  })
  .strict();

/**
 * A note (服务记录) added to the customer. Notes are append-only: the core adds the entry (its
 * time and author) to the current record, so no version is needed, and the note's own id, made by
 * the desk when the form opens, records a retried save once.
 */
/** One contact of a campaign's call list, and what came of it. */
export const CustomerRecordContactInput = z
  .object({
    id: z.uuid(),
    contactId: z.uuid(),
    campaignId: z.string().min(1).max(64),
    outcome: z.enum(campaignOutcomes),
  })
  .strict();

/**
 * A suggested next best action marked done or dismissed: `action` and `about` name the suggestion
 * as insight.next_actions gave it; `responseId` makes a retry record it once.
 */
export const CustomerRespondActionInput = z
  .object({
    id: z.uuid(),
    responseId: z.uuid(),
    action: NextActionCode,
    about: z.string().min(1).max(10),
    response: z.enum(actionResponses),
  })
  .strict();

/** A change of the customer's AML risk rating proposed at the branch, with why (four eyes). */
export const CustomerProposeRatingInput = z
  .object({
    id: z.uuid(),
    proposalId: z.uuid(),
    level: z.enum(riskRatings),
    reason: z.string().trim().min(1).max(2000),
  })
  .strict();

/** A periodic KYC review done with the customer: what was checked, the outcome, a note. */
export const CustomerRecordReviewInput = z
  .object({
    id: z.uuid(),
    reviewId: z.uuid(),
    outcome: z.enum(kycReviewOutcomes),
    checked: z
      .array(z.enum(kycReviewChecks))
      .max(kycReviewChecks.length)
      .refine((checks) => new Set(checks).size === checks.length, 'a check named twice'),
    note: z.string().trim().min(1).max(2000).optional(),
  })
  .strict();

export const CustomerAddNoteInput = z
  .object({
    id: z.uuid(),
    noteId: z.uuid(),
    text: z.string().trim().min(1).max(2000),
  })
  .strict();

/**
 * A consent granted (授权同意), one purpose at a time (PIPL Art. 14, 29: specific and separate).
 * The core adds the event (its time and the member of staff) to the ledger; the event's id, made
 * by the desk when the form opens, records a retried save once.
 */
export const CustomerGrantConsentInput = z
  .object({
    id: z.uuid(),
    consentId: z.uuid(),
    purpose: ConsentPurpose,
    channel: z.enum(consentChannels),
    /** The privacy notice the customer was shown before agreeing. */
    noticeVersion: noticeVersionSchema,
    evidence: consentEvidenceSchema,
    /** The day the grant lapses, if it is not for good. */
    expiresOn: isoDate.optional(),
  })
  .strict();

/**
 * A consent withdrawn (撤回同意): no harder than granting (PIPL Art. 15). It takes effect on this
 * device at once, offline included, and reaches HQ with the next sync.
 */
export const CustomerWithdrawConsentInput = z
  .object({
    id: z.uuid(),
    consentId: z.uuid(),
    purpose: ConsentPurpose,
    channel: z.enum(consentChannels),
    evidence: consentEvidenceSchema,
  })
  .strict();

/**
 * A task (任务) added for the customer, assigned to whoever adds it. Its id, made by the desk
 * when the form opens, records a retried save once.
 */
export const CustomerAddTaskInput = z
  .object({
    id: z.uuid(),
    taskId: z.uuid(),
    title: z.string().trim().min(1).max(200),
    dueOn: isoDate,
  })
  .strict();

/**
 * A task's status set (done or cancelled, or open again). Setting the status it already has
 * changes nothing, so a retried save is harmless.
 */
export const CustomerSetTaskStatusInput = z
  .object({
    id: z.uuid(),
    taskId: z.uuid(),
    status: z.enum(taskStatuses),
  })
  .strict();

export const CustomerDuplicatesInput = z
  .object({ limit: z.number().int().min(1).max(10_000).default(100) })
  .strict();

export const CustomerDuplicatesOutput = z.object({
  groups: z.array(
    z.object({
      reason: z.enum(['same_name_and_birth_date', 'same_phone_similar_name']),
      customers: z.array(DuplicateCandidate),
    }),
  ),
});

/** Reveal one masked field of a customer, with a reason from the list; audited. */
export const CustomerRevealInput = z
  .object({
    id: z.uuid(),
    reason: z.enum(revealReasons),
    /** Which one, for fields a customer can have several of (phones, documents, addresses). */
    index: z.number().int().min(0).max(20).default(0),
  })
  .strict();

/** The clear value, once: the UI shows it briefly and forgets it. */
export const CustomerRevealOutput = z.object({
  value: z.string(),
  /** The customer is restricted: revealed under `reveal_restricted` (a compliance officer). */
  restricted: z.literal(true).optional(),
});
