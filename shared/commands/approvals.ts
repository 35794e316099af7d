// Maker-checker: changes to identity and other sensitive fields wait for a second person.
import { z } from 'zod';

export const approvalStatuses = ['pending', 'approved', 'rejected', 'redo'] as const;

export const PendingChange = z.object({
  id: z.number().int().positive(),
  customerId: z.uuid(),
  baseVersion: z.number().int().positive(),
  changes: z.record(z.string(), z.unknown()),
  /** What each changed field held when the change was made; null for a change held before it was kept. */
  before: z.record(z.string(), z.unknown()).nullable(),
  /** What the maker wrote for the supervisor. */
  note: z.string().nullable(),
  /** The customer asked for this correction of their data (PIPL Art. 46). */
  correction: z.boolean(),
  requestedBy: z.string(),
  requestedAt: z.string(),
  /** `redo`: one of its fields changed since it was made, so its maker must make it again. */
  status: z.enum(approvalStatuses),
  decidedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
  reason: z.string().nullable(),
  /**
   * Its fields whose value changed since it was made: for `redo`, those that did when approval
   * was tried; for a pending change, those that have by now (approving it will ask for a redo).
   */
  moved: z.array(z.string()),
});
export type PendingChange = z.infer<typeof PendingChange>;

/** A held change with what a person needs to judge it: whose record, who made it, and whether it is the reader's own. */
export const HeldChange = PendingChange.extend({
  /** The customer's number and name (masked by the reader's role); null when the record is gone from this device. */
  customer: z.object({ customerNumber: z.string(), name: z.string() }).nullable(),
  /** The maker's display name, when they signed in on this device. */
  makerName: z.string().nullable(),
  /** The decider's display name, likewise. */
  deciderName: z.string().nullable(),
  /** Made by the reader: they may not approve it (APPROVAL_OWN_CHANGE). */
  own: z.boolean(),
});
export type HeldChange = z.infer<typeof HeldChange>;

export const ApprovalListInput = z
  .object({
    customerId: z.uuid().optional(),
    all: z.boolean().default(false),
    limit: z.number().int().min(1).max(1000).default(100),
  })
  .strict();

export const ApprovalListOutput = z.object({ changes: z.array(HeldChange) });

/** The reader's own held changes, newest first, whatever became of them. */
export const ApprovalMineInput = z
  .object({
    customerId: z.uuid().optional(),
    limit: z.number().int().min(1).max(500).default(100),
  })
  .strict();

export const ApprovalCountInput = z.object({}).strict();

export const ApprovalCountOutput = z.object({ pending: z.number().int().nonnegative() });

export const ApprovalApproveInput = z.object({ id: z.number().int().positive() }).strict();

export const ApprovalRejectInput = z
  .object({
    id: z.number().int().positive(),
    /** Why, for the maker: required. */
    reason: z.string().trim().min(1).max(500),
  })
  .strict();

export const ApprovalDecisionOutput = z.object({
  change: PendingChange,
  /** The customer's version after an approved change was applied. */
  version: z.number().int().positive().nullable(),
});
