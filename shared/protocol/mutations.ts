// Push: the branch's outbox of mutations, HQ's stored outcome of each, and HQ's admin edits.
// Both ends validate with these schemas; docs/SYNC-PROTOCOL.md explains the rules.
import { z } from 'zod';
import { customerFieldPolicies } from '../customer/field-policies';
import { HLC_PATTERN } from '../sync/hlc';
import { fieldResults } from '../sync/merge';

export const HlcTimestamp = z.string().regex(HLC_PATTERN, 'not a hybrid logical clock timestamp');

const editableFieldNames = Object.keys(customerFieldPolicies) as [string, ...string[]];
export const EditableField = z.enum(editableFieldNames);

const Actor = z.string().regex(/^[A-Za-z0-9._:@-]{1,64}$/u, 'not a staff reference');

/** Per field, the value the edit started from and the value it set. */
export const FieldChanges = z
  .partialRecord(
    EditableField,
    z
      .object({
        // Absent when the field was unset (an optional field added or cleared).
        from: z.unknown().optional(),
        to: z.unknown().optional(),
      })
      .strict(),
  )
  .refine((fields) => Object.keys(fields).length > 0, 'no fields changed');

const mutationCommon = {
  /** The idempotency key: HQ applies a mutation at most once and stores its outcome under it. */
  mutationId: z.uuid(),
  customerId: z.uuid(),
  hlc: HlcTimestamp,
  actor: Actor,
  device: z.uuid(),
};

/**
 * Evidence of four eyes on a change to identity fields (docs/SYNC-PROTOCOL.md, "Four eyes at
 * HQ"). Either an approval HQ recorded from the approving supervisor's own session for this very
 * mutation, or, for a parked conflict resolved by keeping the branch's value, the earlier mutation
 * whose approved value this one sets again.
 */
export const MutationApproval = z.union([
  z.object({ approvalId: z.uuid() }).strict(),
  z.object({ reaffirms: z.uuid() }).strict(),
]);
export type MutationApproval = z.infer<typeof MutationApproval>;

export const Mutation = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('create'),
      ...mutationCommon,
      /** The whole new customer; HQ checks it with customerSchema. */
      customer: z.record(z.string(), z.unknown()),
    })
    .strict(),
  z
    .object({
      kind: z.literal('update'),
      ...mutationCommon,
      /** The HQ version the edit was made on; null for a customer created here, not yet at HQ. */
      baseVersion: z.number().int().positive().nullable(),
      fields: FieldChanges,
      /** Required when `fields` names an identity field; HQ checks it (hq/approvals.ts). */
      approval: MutationApproval.optional(),
      /**
       * The customer asked for this correction of their data (PIPL Art. 46). It changes nothing in
       * how the edit is merged; HQ keeps it with the mutation, and the customer's copy shows it.
       */
      correction: z.literal(true).optional(),
      /**
       * The device's pull cursor when the edit was made: the scope changes it had applied. HQ
       * tells by it whether the branch still held the customer as far as it knew (hq/push-guard.ts).
       */
      scopeCursor: z.number().int().nonnegative().optional(),
    })
    .strict(),
]);
export type Mutation = z.infer<typeof Mutation>;

/** Why HQ refused a whole mutation. Permanent: the mutation goes to the rejected ledger. */
export const mutationRejections = [
  'CUSTOMER_NOT_FOUND',
  'CUSTOMER_EXISTS',
  'OUT_OF_SCOPE',
  'INVALID_RESULT',
  'DUPLICATE_DOCUMENT',
  'CLOCK_SKEW',
  /** HQ erased the customer (PIPL Art. 47): the device purges them and drops the edit. */
  'CUSTOMER_ERASED',
  /** HQ restricted the customer (PIPL Art. 47): only a withdrawal of consent is taken. */
  'CUSTOMER_RESTRICTED',
  /** A new consent event without the ledger's facts (maker, evidence, notice for a grant). */
  'CONSENT_INCOMPLETE',
  /** A KYC review not the pusher's own, or with a next due date later than HQ's cycle gives. */
  'KYC_REVIEW_REFUSED',
  /** A campaign contact HQ's call list would not hold (campaign, period, channel, consent, cap). */
  'CAMPAIGN_CONTACT_REFUSED',
  /** An answer to a suggested next best action in another's name, or to compliance work. */
  'ACTION_RESPONSE_REFUSED',
  /** A rating proposal in another's name, or dated later than HQ's clock allows. */
  'RATING_PROPOSAL_REFUSED',
  /** A customer's rating of a visit in another's name, or of a visit the record does not have. */
  'SATISFACTION_REFUSED',
  /** A complaint or a step of one in another's name, or not as the device records them. */
  'COMPLAINT_REFUSED',
  // What a branch may push (hq/push-guard.ts):
  /** A create that sets a field HQ owns (hqOwnedFields) to anything but a new customer's value. */
  'HQ_OWNED_FIELD',
  /**
   * An edit the branch made while it held the customer, pushed more than HQ's grace period after
   * the customer left its scope (`OUT_OF_SCOPE`: never held, or the edit was made after leaving).
   */
  'SCOPE_GRACE_EXPIRED',
  // Four eyes, as HQ checks them (hq/approvals.ts):
  /** An identity change with no approval. */
  'APPROVAL_MISSING',
  /** The approval names nothing HQ recorded for this mutation, customer and device. */
  'APPROVAL_UNKNOWN',
  /** The approver is the maker. */
  'APPROVAL_SELF',
  /** The approver was not a supervisor of this device's branch when they approved. */
  'APPROVAL_NOT_SUPERVISOR',
  /** What was approved is not what this mutation changes. */
  'APPROVAL_MISMATCH',
] as const;
export const MutationRejection = z.enum(mutationRejections);
export type MutationRejection = z.infer<typeof MutationRejection>;

/** What HQ did with one mutation: stored with it, and returned as stored on every retry. */
export const MutationOutcome = z.object({
  mutationId: z.uuid(),
  customerId: z.uuid(),
  status: z.enum(['applied', 'rejected']),
  reason: MutationRejection.nullable(),
  /** For an update, what happened to each field (see shared/sync/merge.ts). */
  fields: z.partialRecord(EditableField, z.enum(fieldResults)),
  /** The version this mutation made; null when it changed nothing or was refused. */
  appliedVersion: z.number().int().positive().nullable(),
  /**
   * The customer was merged into another before this edit arrived: it was applied to that one,
   * the survivor (hq/merges.ts). `appliedVersion` and `fields` are the survivor's.
   */
  redirectedTo: z.uuid().optional(),
});
export type MutationOutcome = z.infer<typeof MutationOutcome>;

export const PushRequest = z
  .object({
    mutations: z.array(Mutation).min(1).max(500),
    /**
     * The device's wall clock as it sends (ms since the epoch): HQ measures the device's clock
     * offset from it and orders the edits in HQ's time. Absent from older builds: no correction.
     */
    sentAt: z.number().int().positive().optional(),
  })
  .strict();

export const PushResponse = z.object({
  results: z.array(
    z.object({
      outcome: MutationOutcome,
      /** The master record now, when the device may hold it; the device rebases on it. */
      current: z
        .object({
          version: z.number().int().positive(),
          customer: z.record(z.string(), z.unknown()),
        })
        .nullable(),
    }),
  ),
  /** HQ's clock after the batch: the device's clock moves past it. */
  hlc: HlcTimestamp,
  /** HQ's epoch (shared/protocol/hq.ts `HqEpoch`): a new one means HQ was restored. */
  epoch: z.uuid(),
});
export type PushResponse = z.infer<typeof PushResponse>;

// ---- Four eyes: HQ records a supervisor's approval --------------------------------------------

/**
 * `POST /v1/approvals`, with the approving supervisor's own access token: HQ records who approved
 * (from the session) the mutation the device is about to queue, by the digest of exactly what it
 * changes (approvalDigest in shared/sync/approval.ts).
 */
export const ApprovalRequest = z
  .object({
    mutationId: z.uuid(),
    customerId: z.uuid(),
    /** The maker, as the mutation's `actor` will name them. */
    maker: Actor,
    digest: z.string().regex(/^[0-9a-f]{64}$/u, 'not a SHA-256 digest'),
  })
  .strict();
export type ApprovalRequest = z.infer<typeof ApprovalRequest>;

export const ApprovalResponse = z.object({
  approvalId: z.uuid(),
  /** HQ's id of the approver. */
  approverId: z.uuid(),
  approvedAt: z.string(),
});
export type ApprovalResponse = z.infer<typeof ApprovalResponse>;

// ---- HQ staff (admin) API -------------------------------------------------------------------

/**
 * `POST /v1/admin/customers/:id/edit`: a change made at HQ (the master). Who made it is the
 * signed-in HQ user, never a name the caller declares.
 */
export const AdminEditRequest = z
  .object({
    changes: z
      .partialRecord(EditableField, z.unknown())
      .refine((changes) => Object.keys(changes).length > 0, 'nothing to change'),
  })
  .strict();

export const AdminReassignRequest = z
  .object({ branchId: z.string().min(1).max(64), rmId: z.string().min(1).max(64).nullable() })
  .strict();

export const AdminCustomerResponse = z.object({
  version: z.number().int().positive(),
  customer: z.record(z.string(), z.unknown()),
});

/** `GET /v1/admin/branches/:id/scope`: every customer the branch's devices must hold. */
export const AdminScopeResponse = z.object({
  customers: z.array(
    z.object({
      customerId: z.uuid(),
      version: z.number().int().positive(),
      customer: z.record(z.string(), z.unknown()),
    }),
  ),
});

export const AdminMutationsRequest = z.object({ ids: z.array(z.uuid()).min(1).max(5000) }).strict();
export const AdminMutationsResponse = z.object({
  mutations: z.array(
    z.object({ deviceId: z.uuid(), outcome: MutationOutcome, receivedAt: z.string() }),
  ),
});

export const AdminHistoryResponse = z.object({
  entries: z.array(
    z.object({
      field: z.string(),
      value: z.unknown(),
      hlc: z.string().nullable(),
      source: z.string(),
      supersededAtVersion: z.number().int(),
    }),
  ),
});

/** `POST /v1/admin/branches`: a new branch and its relationship managers. */
export const AdminBranchRequest = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/),
    name: z.string().trim().min(1).max(100),
    relationshipManagers: z
      .array(z.string().regex(/^[A-Za-z0-9_-]{1,64}$/))
      .max(100)
      .default([]),
  })
  .strict();

/** `POST /v1/admin/customers`: customers onboarded at HQ (each checked with customerSchema). */
export const AdminImportRequest = z
  .object({ customers: z.array(z.record(z.string(), z.unknown())).min(1).max(5000) })
  .strict();
export const AdminImportResponse = z.object({ imported: z.number().int() });

/** `POST /v1/admin/enrollment-codes`: a one-time code for IT to enroll a device of a branch. */
export const AdminEnrollmentCodeRequest = z
  .object({
    branchId: z.string().min(1).max(64),
    ttlHours: z
      .number()
      .min(0)
      .max(24 * 30)
      .default(24),
  })
  .strict();
export const AdminEnrollmentCodeResponse = z.object({ code: z.string() });
