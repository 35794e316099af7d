// Merging duplicate customers from the desk (docs/QUALITY.md). HQ performs merges: each
// command here is one call to HQ with the signed-in supervisor's own session, which HQ checks
// (their permission, their branch, never deciding their own proposal) and records in its audit
// chain; this device's log records each call too. A decided merge reaches this vault at the next
// sync (the desk starts one), like any change from HQ. `merge.redirect` is local: where a
// customer merged away went, from the redirects the pulls left (sync/redirects.ts).
import type { z } from 'zod';
import { BranchDeskError, isBranchDeskError } from '../../../shared/errors';
import { maskSearchQuery } from '../../../shared/access/masking';
import { MergeList, MergeRecord, UnmergePlan } from '../../../shared/protocol/merge';
import { CustomerStore } from '../customers';
import { hqOutOfReach } from '../sync/approval-at-hq';
import { deviceClient } from '../sync/engine';
import { redirectOf } from '../sync/redirects';
import type { CommandDefinitions, CommandsOf } from './define';
import { clear } from './masking';
import { sessionOf } from './session-commands';
import type { CommandContext } from './table';

function vaultOf(context: CommandContext) {
  if (!context.vault) throw new BranchDeskError('VAULT_NOT_OPEN');
  return context.vault;
}

/** One call to HQ's merge API as the signed-in supervisor; no HQ session: MERGE_NEEDS_HQ. */
async function atHq<T extends z.ZodType>(
  context: CommandContext,
  method: 'get' | 'post',
  path: string,
  schema: T,
  body?: unknown,
): Promise<z.output<T>> {
  const vault = vaultOf(context);
  let token: string;
  try {
    token = await sessionOf(context).hqAccessToken(context);
  } catch (error) {
    if (isBranchDeskError(error) && hqOutOfReach.includes(error.code))
      throw new BranchDeskError('MERGE_NEEDS_HQ');
    throw error;
  }
  try {
    return await deviceClient(vault, context.secrets).asHqUser(token, method, path, schema, body);
  } catch (error) {
    if (isBranchDeskError(error) && hqOutOfReach.includes(error.code))
      throw new BranchDeskError('MERGE_NEEDS_HQ');
    throw error;
  }
}

const ids = clear('ids, customer numbers, field names and statuses of merge requests');
const listed = {
  kind: 'none',
  why: 'merge requests at HQ: ids, customer numbers and statuses only; HQ records who asked',
} as const;

export const mergeCommands: CommandDefinitions<CommandsOf<'merge'>> = {
  'merge.propose': {
    handler: (input, context) => atHq(context, 'post', 'v1/merges', MergeRecord, input),
    audit: {
      kind: 'around',
      start: ({ survivorId, mergedId }) => ({
        action: 'merge',
        target: survivorId,
        details: { stage: 'propose', survivorId, mergedId },
      }),
      end: ({ survivorId, mergedId }, { output, error }) => ({
        action: 'merge',
        target: survivorId,
        details: output
          ? { stage: 'proposed', mergeId: output.id, survivorId, mergedId }
          : { stage: 'propose', survivorId, mergedId, error },
      }),
    },
    mask: ids,
    writes: false,
  },
  'merge.list': {
    handler: ({ status, customerId }, context) => {
      const query = new URLSearchParams({
        ...(status ? { status } : {}),
        ...(customerId ? { customerId } : {}),
      }).toString();
      return atHq(context, 'get', `v1/merges${query ? `?${query}` : ''}`, MergeList);
    },
    audit: listed,
    mask: ids,
    writes: false,
  },
  'merge.decide': {
    handler: ({ mergeId, decision, note }, context) =>
      atHq(context, 'post', `v1/merges/${mergeId}/decision`, MergeRecord, {
        decision,
        ...(note ? { note } : {}),
      }),
    audit: {
      kind: 'around',
      start: ({ mergeId, decision }) => ({
        action: 'merge',
        target: null,
        details: { stage: 'decide', mergeId, decision },
      }),
      end: ({ mergeId, decision }, { output, error }) => ({
        action: 'merge',
        target: output?.survivorId ?? null,
        details: output
          ? {
              stage: 'decided',
              mergeId,
              decision,
              status: output.status,
              survivorId: output.survivorId,
              mergedId: output.mergedId,
            }
          : { stage: 'decide', mergeId, decision, error },
      }),
    },
    mask: ids,
    // Approved: the merge comes back with the next pull, which the desk starts now.
    writes: true,
  },
  'merge.unmerge_plan': {
    handler: ({ mergeId }, context) =>
      atHq(context, 'get', `v1/merges/${mergeId}/unmerge-plan`, UnmergePlan),
    audit: listed,
    mask: ids,
    writes: false,
  },
  'merge.unmerge': {
    handler: ({ mergeId, reason, assignments }, context) =>
      atHq(context, 'post', `v1/merges/${mergeId}/unmerge`, MergeRecord, { reason, assignments }),
    audit: {
      kind: 'around',
      start: ({ mergeId }) => ({
        action: 'merge',
        target: null,
        details: { stage: 'unmerge', mergeId },
      }),
      end: ({ mergeId, assignments }, { output, error }) => ({
        action: 'merge',
        target: output?.survivorId ?? null,
        details: output
          ? {
              stage: 'unmerged',
              mergeId,
              survivorId: output.survivorId,
              mergedId: output.mergedId,
              count: Object.keys(assignments ?? {}).length,
            }
          : { stage: 'unmerge', mergeId, error },
      }),
    },
    mask: ids,
    writes: true,
  },
  'merge.redirect': {
    handler: ({ id, customerNumber }, context) => {
      const vault = vaultOf(context);
      const found = redirectOf(vault.db, {
        ...(id ? { id } : {}),
        ...(customerNumber ? { customerNumber } : {}),
      });
      if (!found) return { redirect: null };
      return {
        redirect: {
          ...found,
          survivorHeld: new CustomerStore(vault.db).has(found.survivorId),
        },
      };
    },
    audit: {
      kind: 'within',
      entry: ({ id, customerNumber }, output) => ({
        action: 'search',
        target: output.redirect?.survivorId ?? null,
        details: {
          what: 'merge_redirect',
          ...(id ? { of: id } : {}),
          results: output.redirect ? 1 : 0,
          ...(customerNumber ? { query: maskSearchQuery(customerNumber, () => false) } : {}),
        },
      }),
    },
    mask: ids,
    writes: false,
  },
};
