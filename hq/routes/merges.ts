// Merging duplicate customers over HTTP (hq/merges.ts): a branch supervisor with their own HQ
// session (`/v1/merges…`), or an HQ administrator signed in to the admin API
// (`/v1/admin/merges…`). Either may propose, decide another's proposal, or undo a merge; branch
// staff only for the customers their branch holds. HQ's audit records every step (merges.ts).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { BranchDeskError } from '../../shared/errors';
import { ApiError } from '../../shared/protocol/hq';
import {
  MergeDecisionRequest,
  MergeList,
  MergeListQuery,
  MergeProposalRequest,
  MergeRecord,
  UnmergePlan,
  UnmergeRequest,
} from '../../shared/protocol/merge';
import type { Database } from '../db/database';
import { hqActor } from '../hq-audit';
import { authenticateHqUser } from '../hq-staff';
import {
  decideMerge,
  listMerges,
  proposeMerge,
  unmerge,
  unmergePlan,
  type MergeActor,
} from '../merges';
import { authenticateStaff } from '../staff';

const params = z.object({ id: z.uuid() });
const errors = {
  400: ApiError,
  401: ApiError,
  403: ApiError,
  404: ApiError,
  409: ApiError,
  410: ApiError,
};

export const mergeRoutes: FastifyPluginAsyncZod<{ db: Database }> = async (app, { db }) => {
  /** The caller as a merge actor, by the door they came in. */
  async function actorOf(url: string, authorization: string | undefined): Promise<MergeActor> {
    if (url.startsWith('/v1/admin/')) {
      const user = await authenticateHqUser(db, authorization);
      if (!user.roles.includes('hq_admin'))
        throw new BranchDeskError('PERMISSION_DENIED', { permission: 'hq_admin' });
      return { actor: hqActor(user.username), branchId: null };
    }
    const staff = await authenticateStaff(db, authorization);
    // A supervisor of the branch, at a device of that branch.
    if (!staff.permissions.has('merge_customers') || staff.userBranchId !== staff.deviceBranchId)
      throw new BranchDeskError('PERMISSION_DENIED', { permission: 'merge_customers' });
    return { actor: `user:${staff.username}`, branchId: staff.deviceBranchId };
  }

  for (const base of ['/v1/merges', '/v1/admin/merges']) {
    app.post(
      base,
      { schema: { body: MergeProposalRequest, response: { 200: MergeRecord, ...errors } } },
      async (request) => {
        const who = await actorOf(base, request.headers.authorization);
        const merge = await proposeMerge(db, who, request.body);
        request.log.info({ mergeId: merge.id }, 'merge proposed');
        return merge;
      },
    );
    app.get(
      base,
      { schema: { querystring: MergeListQuery, response: { 200: MergeList, ...errors } } },
      async (request) => ({
        merges: await listMerges(
          db,
          await actorOf(base, request.headers.authorization),
          request.query,
        ),
      }),
    );
    app.post(
      `${base}/:id/decision`,
      {
        schema: {
          params,
          body: MergeDecisionRequest,
          response: { 200: MergeRecord, ...errors },
        },
      },
      async (request) => {
        const who = await actorOf(base, request.headers.authorization);
        const merge = await decideMerge(
          db,
          who,
          request.params.id,
          request.body.decision,
          request.body.note,
        );
        request.log.info({ mergeId: merge.id, status: merge.status }, 'merge decided');
        return merge;
      },
    );
    app.get(
      `${base}/:id/unmerge-plan`,
      { schema: { params, response: { 200: UnmergePlan, ...errors } } },
      async (request) =>
        unmergePlan(db, await actorOf(base, request.headers.authorization), request.params.id),
    );
    app.post(
      `${base}/:id/unmerge`,
      { schema: { params, body: UnmergeRequest, response: { 200: MergeRecord, ...errors } } },
      async (request) => {
        const who = await actorOf(base, request.headers.authorization);
        const merge = await unmerge(db, who, request.params.id, request.body);
        request.log.info({ mergeId: merge.id }, 'merge undone');
        return merge;
      },
    );
  }
};
