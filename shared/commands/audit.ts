// The audit commands' schemas: verify the vault's chain, and read entries out of it.
import { z } from 'zod';
import { AuditAction, AuditEntry } from '../audit/entry';

export const AuditVerifyInput = z.object({}).strict();

const ChainBreak = z.object({
  seq: z.number().int().positive(),
  problem: z.enum(['missing', 'out_of_order', 'prev_hash_mismatch', 'hash_mismatch', 'truncated']),
});

export const AuditVerifyOutput = z.object({
  ok: z.boolean(),
  /** Entries checked before the first break (all of them when ok). */
  checked: z.number().int().nonnegative(),
  /** The first entry that does not belong to the chain; null when the chain is whole. */
  firstBad: ChainBreak.nullable(),
  head: z.object({ seq: z.number().int().nonnegative(), hash: z.string() }).nullable(),
});

const isoDay = z.union([z.iso.date(), z.iso.datetime({ offset: true })]);

export const AuditExportInput = z
  .object({
    /** From this day or time (inclusive); a day is its whole UTC day. */
    from: isoDay.optional(),
    to: isoDay.optional(),
    customerId: z.uuid().optional(),
    actor: z.string().max(64).optional(),
    action: AuditAction.optional(),
    limit: z.number().int().min(1).max(1_000_000).default(100_000),
  })
  .strict();

export const AuditExportOutput = z.object({ entries: z.array(AuditEntry) });
