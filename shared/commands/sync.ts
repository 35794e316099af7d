// Syncing with HQ: run a pull now, and the local sync state.
import { z } from 'zod';

export const SyncRunInput = z
  .object({
    pageSize: z.number().int().min(1).max(5000).optional(),
    /** How a device holding nothing from HQ yet loads its scope (electron/core/sync/snapshot.ts). */
    initialSync: z.enum(['snapshot', 'feed']).optional(),
  })
  .strict();

export const SyncProgress = z.object({
  pages: z.number().int(),
  done: z.number().int(),
  total: z.number().int(),
});

const PullSummary = SyncProgress.extend({
  inserted: z.number().int(),
  updated: z.number().int(),
  removed: z.number().int(),
  keptLocal: z.number().int(),
  /** Customers HQ erased, purged with everything about them. */
  erased: z.number().int(),
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

const PushSummary = z.object({
  pushed: z.number().int(),
  applied: z.number().int(),
  rejected: z.number().int(),
  rejectedFields: z.number().int(),
  conflicts: z.number().int(),
  erased: z.number().int(),
});

/** One round: push the outbox, pull HQ's changes, push again if needed, purge evictions. */
const SnapshotSummary = z.object({
  at: z.number().int(),
  loaded: z.number().int(),
  chunks: z.number().int(),
  resumed: z.boolean(),
  invalid: z.number().int(),
  ms: z.object({
    waiting: z.number().int(),
    checking: z.number().int(),
    writing: z.number().int(),
    indexing: z.number().int(),
    switching: z.number().int(),
  }),
});

export const SyncRunOutput = z.object({
  push: PushSummary,
  /** The initial sync's snapshot, when the round loaded one. */
  snapshot: SnapshotSummary.nullable(),
  pull: PullSummary,
  evicted: z.number().int(),
  /** Staff HQ disabled (or stopped listing) since the last round: they can no longer sign in here. */
  staffForgotten: z.number().int(),
  audit: z.object({
    uploaded: z.number().int(),
    /** The last entry HQ holds. */
    acknowledgedSeq: z.number().int(),
    /** Acknowledged entries past the retention period, deleted here (the anchor kept). */
    pruned: z.number().int(),
    /** Why the upload stopped (HQ refused a broken chain), or null. */
    error: z.string().nullable(),
  }),
});

export const SyncStatusInput = z.object({}).strict();

export const SyncStatusOutput = z.object({
  enrolled: z.boolean(),
  branchId: z.string().nullable(),
  cursor: z.number().int(),
  customers: z.number().int(),
  /** Customers with edits HQ has not acknowledged. */
  pendingChanges: z.number().int(),
  outbox: z.number().int(),
  rejected: z.number().int(),
  openConflicts: z.number().int(),
  awaitingEviction: z.number().int(),
  lastSyncAt: z.string().nullable(),
  /** Audit entries HQ has not acknowledged yet. */
  auditPending: z.number().int(),
});

// ---- the conflict queue and the rejected ledger ---------------------------------------------

export const ConflictListInput = z
  .object({
    all: z.boolean().default(false),
    limit: z.number().int().min(1).max(1000).default(100),
  })
  .strict();

/** One parked conflict; `base`, `local` and `hq` are the field's values (customer data). */
export const Conflict = z.object({
  id: z.number().int(),
  mutationId: z.uuid(),
  customerId: z.uuid(),
  customerNumber: z.string().nullable(),
  field: z.string(),
  base: z.unknown(),
  local: z.unknown(),
  hq: z.unknown(),
  hqVersion: z.number().int().nullable(),
  createdAt: z.string(),
  resolvedAt: z.string().nullable(),
  resolution: z.enum(['local', 'hq', 'value']).nullable(),
  resolvedBy: z.string().nullable(),
  resolutionMutationId: z.string().nullable(),
});

export const ConflictListOutput = z.object({ conflicts: z.array(Conflict) });

export const ConflictShowInput = z.object({ id: z.number().int().positive() }).strict();

/**
 * Resolving a conflict: keep HQ's value (nothing to push), take the local value, or enter
 * another; the last two become a new mutation.
 */
export const ConflictResolveInput = z
  .object({
    id: z.number().int().positive(),
    take: z.enum(['local', 'hq', 'value']),
    value: z.unknown().optional(),
  })
  .strict()
  .refine((input) => (input.take === 'value') === (input.value !== undefined), {
    message: 'give a value exactly when take is "value"',
  });

export const ConflictResolveOutput = z.object({
  conflict: Conflict,
  /** The new mutation, when the resolution changes the customer. */
  mutationId: z.uuid().nullable(),
});

export const RejectedListInput = z
  .object({ limit: z.number().int().min(1).max(1000).default(100) })
  .strict();

export const RejectedListOutput = z.object({
  rejected: z.array(
    z.object({
      id: z.number().int(),
      mutationId: z.uuid(),
      customerId: z.uuid(),
      field: z.string().nullable(),
      reason: z.string(),
      localValue: z.unknown(),
      decidedAt: z.string(),
    }),
  ),
});
