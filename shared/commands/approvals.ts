// Maker-checker: changes to identity and other sensitive fields wait for a second person.
import { z } from 'zod';

export const PendingChange = z.object({
  id: z.number().int().positive(),
  customerId: z.uuid(),
  baseVersion: z.number().int().positive(),
  changes: z.record(z.string(), z.unknown()),
  requestedBy: z.string(),
  requestedAt: z.string(),
  status: z.enum(['pending', 'approved', 'rejected']),
  decidedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
  reason: z.string().nullable(),
});
export type PendingChange = z.infer<typeof PendingChange>;

export const ApprovalListInput = z
  .object({
    customerId: z.uuid().optional(),
    all: z.boolean().default(false),
    limit: z.number().int().min(1).max(1000).default(100),
  })
  .strict();

export const ApprovalListOutput = z.object({ changes: z.array(PendingChange) });

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
