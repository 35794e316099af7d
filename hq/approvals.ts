// Four eyes, enforced where the data is mastered. A branch device holds an identity change until
// a supervisor who is not its maker approves it; HQ does not take the device's word for that. The
// approving supervisor's own HQ session asks HQ to record the approval (who, from the session;
// their roles and branch at that moment; a digest of exactly the mutation approved), and a pushed
// identity change is applied only with such a record, checked again here against the mutation.
// docs/SYNC-PROTOCOL.md ("Four eyes at HQ") and docs/SECURITY.md say why this shape.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { principalPermissions, type Role } from '../shared/access/permissions';
import { needsFourEyes, type CustomerEditableField } from '../shared/customer';
import { BranchDeskError } from '../shared/errors';
import { ApiError } from '../shared/protocol/hq';
import {
  ApprovalRequest,
  ApprovalResponse,
  type Mutation,
  type MutationOutcome,
  type MutationRejection,
} from '../shared/protocol/mutations';
import { actorIsUser } from '../shared/audit/actor';
import { approvalDigest } from '../shared/sync/approval';
import { sameJson } from '../shared/sync/canonical';
import { sha256Hex } from './crypto';
import type { Database, Sql } from './db/database';
import type { AuthenticatedDevice } from './devices';
import { authenticateStaff } from './staff';

type UpdateMutation = Extract<Mutation, { kind: 'update' }>;

const mayApprove = (roles: readonly Role[]) =>
  principalPermissions({ kind: 'user', userId: '', username: '', roles }).has('approve');

/**
 * Whether a mutation's `actor` names this user, by the device's own encoding (shared/audit/actor.ts)
 * and the older spelling cut at 64, so a long name cannot slip past the self-approval check.
 */
export const actorNames = (actor: string, username: string): boolean =>
  actorIsUser(actor, username, sha256Hex);

/**
 * Records a supervisor's approval, made with their own live session (`Authorization: Bearer`),
 * on the device that session was opened on. Refuses anyone without `approve`, and the maker.
 */
export async function recordApproval(
  db: Database,
  authorization: string | undefined,
  request: ApprovalRequest,
  now = Date.now(),
): Promise<ApprovalResponse> {
  return db.transaction(async (tx) => {
    // The one staff-session check: a session of a revoked device is told DEVICE_REVOKED (410).
    const who = await authenticateStaff(tx, authorization, now);
    if (!mayApprove(who.roles))
      throw new BranchDeskError('PERMISSION_DENIED', { permission: 'approve' });
    if (who.userBranchId !== null && who.userBranchId !== who.deviceBranchId)
      throw new BranchDeskError('USER_NOT_AT_BRANCH', { branchId: who.deviceBranchId });
    if (actorNames(request.maker, who.username))
      throw new BranchDeskError('APPROVAL_OWN_CHANGE', { changeId: request.mutationId });
    const approvalId = randomUUID();
    const approvedAt = new Date(now).toISOString();
    // One approval per mutation: a second ask for the same one (a retry) is refused, not doubled.
    const inserted = await tx.query(
      `INSERT INTO identity_approval (id, mutation_id, customer_id, device_id, branch_id,
         approver_id, approver_username, approver_roles, approver_branch_id, maker, digest, approved_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
       ON CONFLICT (mutation_id) DO NOTHING RETURNING id`,
      [
        approvalId,
        request.mutationId,
        request.customerId,
        who.deviceId,
        who.deviceBranchId,
        who.userId,
        who.username,
        who.roles,
        who.userBranchId,
        request.maker,
        request.digest,
        approvedAt,
      ],
    );
    if (inserted.length === 0)
      throw new BranchDeskError('APPROVAL_NOT_PENDING', {
        changeId: request.mutationId,
        status: 'approved',
      });
    return { approvalId, approverId: who.userId, approvedAt };
  });
}

interface ApprovalRow {
  mutation_id: string;
  customer_id: string;
  device_id: string;
  branch_id: string;
  approver_username: string;
  approver_roles: Role[];
  approver_branch_id: string | null;
  digest: string;
}

/** The fields HQ applies only with four eyes: identity, and a proposed rating change. */
const identityFields = (fields: UpdateMutation['fields']): string[] =>
  Object.keys(fields).filter((field) => needsFourEyes(field));

/**
 * Why HQ refuses this update for want of four eyes, or null when it may be applied: a mutation
 * that changes no identity field needs no approval, but one it carries must still be valid.
 * Runs inside the mutation's transaction (the customer row is locked).
 */
export async function identityApprovalRefusal(
  tx: Sql,
  device: AuthenticatedDevice,
  mutation: UpdateMutation,
): Promise<MutationRejection | null> {
  const fields = identityFields(mutation.fields);
  const approval = mutation.approval;
  if (!approval) return fields.length > 0 ? 'APPROVAL_MISSING' : null;
  if ('reaffirms' in approval) return reaffirmRefusal(tx, device, mutation, approval.reaffirms);

  const [row] = await tx.query<ApprovalRow>('SELECT * FROM identity_approval WHERE id = $1', [
    approval.approvalId,
  ]);
  if (!row || row.mutation_id !== mutation.mutationId || row.customer_id !== mutation.customerId)
    return 'APPROVAL_UNKNOWN';
  if (actorNames(mutation.actor, row.approver_username)) return 'APPROVAL_SELF';
  // Judged as the approver stood when they approved, and for this device's branch.
  if (
    !mayApprove(row.approver_roles) ||
    row.branch_id !== device.branchId ||
    (row.approver_branch_id !== null && row.approver_branch_id !== device.branchId)
  )
    return 'APPROVAL_NOT_SUPERVISOR';
  // Another device of the same branch has its own held changes: an approval serves its own.
  if (row.device_id !== device.deviceId) return 'APPROVAL_UNKNOWN';
  const digest = approvalDigest(sha256Hex, {
    mutationId: mutation.mutationId,
    customerId: mutation.customerId,
    baseVersion: mutation.baseVersion,
    actor: mutation.actor,
    fields: mutation.fields,
  });
  return digest === row.digest ? null : 'APPROVAL_MISMATCH';
}

/**
 * A parked identity conflict resolved by keeping the branch's value sets again what an earlier
 * mutation of this device set with four eyes: allowed once (one applied citation), only for
 * fields HQ answered `conflict` to, and only to the very value that mutation carried.
 */
async function reaffirmRefusal(
  tx: Sql,
  device: AuthenticatedDevice,
  mutation: UpdateMutation,
  earlierId: string,
): Promise<MutationRejection | null> {
  const [earlier] = await tx.query<{ body: Mutation; outcome: MutationOutcome }>(
    `SELECT body, outcome FROM mutation
     WHERE mutation_id = $1 AND device_id = $2 AND customer_id = $3`,
    [earlierId, device.deviceId, mutation.customerId],
  );
  if (!earlier || earlier.body.kind !== 'update' || earlier.outcome.status !== 'applied')
    return 'APPROVAL_UNKNOWN';
  const again = await tx.query(
    `SELECT 1 FROM mutation WHERE body -> 'approval' ->> 'reaffirms' = $1
       AND outcome ->> 'status' = 'applied' LIMIT 1`,
    [earlierId],
  );
  if (again.length > 0) return 'APPROVAL_UNKNOWN';
  for (const field of identityFields(mutation.fields)) {
    const name = field as CustomerEditableField;
    const before = earlier.body.fields[name];
    if (
      earlier.outcome.fields[name] !== 'conflict' ||
      !before ||
      !sameJson(before.to, mutation.fields[name]?.to)
    )
      return 'APPROVAL_MISMATCH';
  }
  return null;
}

/** `POST /v1/approvals`: a small plugin of its own, so the route and its schemas stay together. */
export function approvalRoutes(db: Database) {
  return async (app: FastifyInstance): Promise<void> => {
    app.withTypeProvider<ZodTypeProvider>().post(
      '/v1/approvals',
      {
        schema: {
          body: ApprovalRequest,
          response: {
            200: ApprovalResponse,
            401: ApiError,
            403: ApiError,
            409: ApiError,
            410: ApiError,
          },
        },
      },
      async (request) => {
        const recorded = await recordApproval(db, request.headers.authorization, request.body);
        app.log.info(
          { approvalId: recorded.approvalId, mutationId: request.body.mutationId },
          'identity approval recorded',
        );
        return recorded;
      },
    );
  };
}
