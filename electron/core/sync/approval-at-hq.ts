// Asking HQ to record an identity approval as the approving supervisor: with their own session's
// access token, on this device. No session (branchctl, a desk signed in offline without a refresh
// token) or no HQ means no approval: the change stays held until the supervisor is online.
import { BranchDeskError, isBranchDeskError, type ErrorCode } from '../../../shared/errors';
import type { RecordApproval } from '../customers/approvals';
import type { SecretStore } from '../secrets';
import type { StaffSession } from '../session/session';
import type { Vault } from '../vault';
import { deviceClient } from './engine';

/** Errors that mean "no HQ for this person now": no session, no network, HQ down. */
export const hqOutOfReach: readonly ErrorCode[] = [
  'SESSION_REQUIRED',
  'SESSION_UNAUTHENTICATED',
  'HQ_UNREACHABLE',
  'HQ_UNAVAILABLE',
];

export function approvalAtHq(deps: {
  vault?: Vault;
  secrets: SecretStore;
  session?: StaffSession;
}): RecordApproval {
  return async (request) => {
    const { vault, session } = deps;
    if (!vault || !session) throw new BranchDeskError('APPROVAL_NEEDS_HQ');
    try {
      const token = await session.hqAccessToken(deps);
      return await deviceClient(vault, deps.secrets).recordApproval(request, token);
    } catch (error) {
      if (isBranchDeskError(error) && hqOutOfReach.includes(error.code))
        throw new BranchDeskError('APPROVAL_NEEDS_HQ');
      throw error;
    }
  };
}
