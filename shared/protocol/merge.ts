// Merging duplicate customers at HQ with four eyes, and undoing a merge (docs/QUALITY.md).
// A supervisor proposes with their own HQ session; a second person approves; HQ merges. Both ends
// validate with these schemas.
import { z } from 'zod';
import { mergeChoosableFields, mergeSides } from '../quality/merge';

/** Days after a merge during which it may be undone (documented in docs/QUALITY.md). */
export const UNMERGE_PERIOD_DAYS = 90;

export const MergeSide = z.enum(mergeSides);
export const MergeChoices = z.partialRecord(z.enum(mergeChoosableFields), MergeSide);

const reason = z.string().trim().min(2).max(500);
/** As HQ stores it (a response schema must encode both ways: no normalising transform here). */
const CustomerNumber = z.string().regex(/^C\d{10}$/);

export const MergeProposalRequest = z
  .object({
    /** Keeps its id and customer number. */
    survivorId: z.uuid(),
    /** Becomes a redirect to the survivor. */
    mergedId: z.uuid(),
    /** Per field, whose value survives; unnamed fields keep the survivor's. */
    choices: MergeChoices.default({}),
    reason,
  })
  .strict()
  .refine((request) => request.survivorId !== request.mergedId, {
    message: 'a customer cannot be merged into itself',
    path: ['mergedId'],
  });
export type MergeProposalRequest = z.infer<typeof MergeProposalRequest>;

export const mergeStatuses = ['proposed', 'rejected', 'merged', 'unmerged'] as const;
export const MergeStatus = z.enum(mergeStatuses);

export const MergeRecord = z.object({
  id: z.uuid(),
  status: MergeStatus,
  survivorId: z.uuid(),
  survivorNumber: CustomerNumber,
  mergedId: z.uuid(),
  mergedNumber: CustomerNumber,
  choices: MergeChoices,
  reason: z.string(),
  /** Who proposed and who decided: `user:<username>` for branch staff, `hq:<username>` at HQ. */
  proposedBy: z.string(),
  proposedAt: z.iso.datetime({ offset: true }),
  decidedBy: z.string().nullable(),
  decidedAt: z.iso.datetime({ offset: true }).nullable(),
  /** Until when an unmerge is allowed (merged only). */
  unmergeUntil: z.iso.datetime({ offset: true }).nullable(),
  unmergedBy: z.string().nullable(),
  unmergedAt: z.iso.datetime({ offset: true }).nullable(),
});
export type MergeRecord = z.infer<typeof MergeRecord>;

export const MergeList = z.object({ merges: z.array(MergeRecord) });

export const MergeListQuery = z
  .object({ status: MergeStatus.optional(), customerId: z.uuid().optional() })
  .strict();

export const MergeDecisionRequest = z
  .object({ decision: z.enum(['approve', 'reject']), note: z.string().trim().max(500).optional() })
  .strict();

/** One change made to the survivor since the merge, for a person to give to one of the two. */
export const UnmergeChange = z.object({
  key: z.string(),
  field: z.string(),
  change: z.enum(['value', 'added', 'changed', 'removed']),
  entry: z.string().optional(),
  /** Where it goes unless a person says otherwise. */
  suggested: MergeSide,
});
export const UnmergePlan = z.object({
  merge: MergeRecord,
  changes: z.array(UnmergeChange),
});
export type UnmergePlan = z.infer<typeof UnmergePlan>;

export const UnmergeRequest = z
  .object({
    reason,
    /** Per change key (UnmergePlan), the record it goes to; unnamed: the suggested one. */
    assignments: z.record(z.string().max(200), MergeSide).default({}),
  })
  .strict();
export type UnmergeRequest = z.infer<typeof UnmergeRequest>;

/** A pair of probable duplicates HQ found across branches (`npm run hq -- duplicates`). */
export const CrossBranchDuplicate = z.object({
  reason: z.enum(['same_document', 'same_name_and_birth_date', 'same_phone_and_name']),
  customers: z.array(
    z.object({ id: z.uuid(), customerNumber: CustomerNumber, homeBranchId: z.string() }),
  ),
});
export type CrossBranchDuplicate = z.infer<typeof CrossBranchDuplicate>;
