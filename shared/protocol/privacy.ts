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
