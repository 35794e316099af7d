// The customer's own copy at the counter (PIPL Art. 45; docs/PRIVACY.md): a supervisor of the
// branch produces it with the customer present and identified, co-signed by a second supervisor
// signed in on the same PC (four eyes). Both sessions are checked here, not on the device. The
// copy is HQ's whole record, unmasked (it is the customer's own data); HQ's audit names both
// supervisors, the device and the branch. Nothing is stored: the device shows and prints it.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { BranchDeskError } from '../../shared/errors';
import { ApiError } from '../../shared/protocol/hq';
import { CounterCopyRequest, CustomerCopy } from '../../shared/protocol/privacy';
import type { Database } from '../db/database';
import { recordHqAction } from '../hq-audit';
import { customerCopy } from '../privacy/copy';
import { holdsNow } from '../scope';
import { authenticateStaff, type AuthenticatedStaff } from '../staff';

export const counterCopyRoutes: FastifyPluginAsyncZod<{ db: Database }> = async (app, { db }) => {
  app.post(
    '/v1/customers/:id/privacy-copy',
    {
      schema: {
        params: z.object({ id: z.uuid() }),
        body: CounterCopyRequest,
        response: { 200: CustomerCopy, 401: ApiError, 403: ApiError, 404: ApiError, 410: ApiError },
      },
    },
    async (request) => {
      const maker = await authenticateStaff(db, request.headers.authorization);
      const customerId = request.params.id;
      const record = (outcome: string, cosigner?: AuthenticatedStaff) =>
        recordHqAction(db, {
          actor: `user:${maker.username}`,
          action: 'privacy_copy',
          target: customerId,
          details: {
            at: 'counter',
            branchId: maker.deviceBranchId,
            deviceId: maker.deviceId,
            cosigner: cosigner?.username ?? null,
            outcome,
          },
        });
      try {
        if (!maker.permissions.has('produce_copy') || maker.userBranchId !== maker.deviceBranchId)
          throw new BranchDeskError('PERMISSION_DENIED', { permission: 'produce_copy' });
        const cosigner = await authenticateStaff(db, `Bearer ${request.body.cosignerToken}`).catch(
          () => {
            throw new BranchDeskError('COSIGNER_INVALID');
          },
        );
        // Another supervisor of this branch, signed in on this very PC: the second pair of eyes
        // stood at the counter.
        if (
          cosigner.userId === maker.userId ||
          !cosigner.permissions.has('produce_copy') ||
          cosigner.deviceId !== maker.deviceId ||
          cosigner.userBranchId !== maker.deviceBranchId
        )
          throw new BranchDeskError('COSIGNER_INVALID');
        // Only a customer the branch holds (an erased or unknown one is simply not found).
        if (!(await holdsNow(db, maker.deviceBranchId, customerId)))
          throw new BranchDeskError('CUSTOMER_NOT_FOUND');
        const copy = await customerCopy(db, customerId);
        await record('ok', cosigner);
        return copy;
      } catch (error) {
        await record(error instanceof BranchDeskError ? error.code : 'INTERNAL');
        throw error;
      }
    },
  );
};
