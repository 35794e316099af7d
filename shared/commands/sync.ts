// Syncing with HQ: run a pull now, and the local sync state.
import { z } from 'zod';

export const SyncRunInput = z
  .object({ pageSize: z.number().int().min(1).max(5000).optional() })
  .strict();

export const SyncProgress = z.object({
  pages: z.number().int(),
  done: z.number().int(),
  total: z.number().int(),
});

export const SyncRunOutput = SyncProgress.extend({
  inserted: z.number().int(),
  updated: z.number().int(),
  removed: z.number().int(),
  keptLocal: z.number().int(),
  invalid: z.number().int(),
  cursor: z.number().int(),
  scope: z
    .object({
      mismatchedBuckets: z.number().int(),
      fetched: z.number().int(),
      removed: z.number().int(),
      keptLocal: z.number().int(),
    })
    .nullable(),
});

export const SyncStatusInput = z.object({}).strict();

export const SyncStatusOutput = z.object({
  enrolled: z.boolean(),
  branchId: z.string().nullable(),
  cursor: z.number().int(),
  customers: z.number().int(),
  pendingChanges: z.number().int(),
});
