// Merging duplicate customers from the desk (docs/QUALITY.md): a supervisor proposes, a
// second supervisor (or HQ) approves, HQ performs it; within its period a supervisor may undo it.
// Every call goes to HQ with the signed-in supervisor's own session: HQ checks and records it.
import { z } from 'zod';
import {
  MergeDecisionRequest,
  MergeList,
  MergeListQuery,
  MergeProposalRequest,
  MergeRecord,
  UnmergePlan,
  UnmergeRequest,
} from '../protocol/merge';
import type { CommandSpec } from './contract';

export const MergeProposeInput = MergeProposalRequest;

export const MergeDecideInput = MergeDecisionRequest.extend({ mergeId: z.uuid() }).strict();
export const MergeIdInput = z.object({ mergeId: z.uuid() }).strict();
export const MergeUnmergeInput = UnmergeRequest.extend({ mergeId: z.uuid() }).strict();

/** Where a customer who was merged away went: found on this device by their old id or number. */
export const MergeRedirectInput = z
  .object({ id: z.uuid().optional(), customerNumber: z.string().max(20).optional() })
  .strict();
export const MergeRedirectOutput = z.object({
  redirect: z
    .object({
      customerId: z.uuid(),
      customerNumber: z.string(),
      survivorId: z.uuid(),
      survivorNumber: z.string(),
      /** Whether this device holds the survivor (a merge across branches may leave it elsewhere). */
      survivorHeld: z.boolean(),
    })
    .nullable(),
});

const merge = (summary: string) => ({ permission: 'merge_customers' as const, summary });

export const mergeContract = {
  'merge.propose': {
    input: MergeProposeInput,
    output: MergeRecord,
    ...merge(
      'Proposes merging two records of one person at HQ: the survivor keeps its number, the other becomes a redirect; a second person approves.',
    ),
  },
  'merge.list': {
    input: MergeListQuery,
    output: MergeList,
    ...merge("The branch's merge requests at HQ, newest first: waiting, decided, undone."),
  },
  'merge.decide': {
    input: MergeDecideInput,
    output: MergeRecord,
    ...merge(
      "Approves (HQ merges at once) or rejects another person's merge proposal; never one's own.",
    ),
  },
  'merge.unmerge_plan': {
    input: MergeIdInput,
    output: UnmergePlan,
    ...merge(
      'What changed in the survivor since a merge, each change with the record it would go to.',
    ),
  },
  'merge.unmerge': {
    input: MergeUnmergeInput,
    output: MergeRecord,
    ...merge(
      'Undoes a merge within its period: both records as they were, each later change given to the one named.',
    ),
  },
  'merge.redirect': {
    input: MergeRedirectInput,
    output: MergeRedirectOutput,
    permission: 'search' as const,
    summary:
      'Where a customer merged away went, by their old id or customer number (this device keeps a redirect for each).',
  },
} as const satisfies Record<string, CommandSpec>;
