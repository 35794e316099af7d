// Audit from branch devices: signed batches in, and "who looked at this customer" out, to
// branch staff as their role and branch allow.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AuditBatch, AuditBatchResponse, CustomerAccessResponse } from '../../shared/auth/staff';
import { BranchDeskError, isBranchDeskError, serializeError } from '../../shared/errors';
import { ApiError, AuditPosition } from '../../shared/protocol/hq';
import { acceptAuditBatch, auditPosition, customerAccessFor } from '../audit';
import type { Database } from '../db/database';
import { activeDevice } from '../devices';
import { currentEpoch, presentedEpoch, rewindSeen } from '../epoch';
import { noteUser } from '../request-log';
import { authenticateStaff } from '../staff';

export const auditRoutes: FastifyPluginAsyncZod<{ db: Database }> = async (app, { db }) => {
  app.post(
    '/v1/audit/batches',
    {
      schema: {
        body: AuditBatch,
        response: {
          200: AuditBatchResponse,
          400: ApiError,
          401: ApiError,
          409: ApiError,
          422: ApiError,
        },
      },
    },
    async (request) => {
      const device = await activeDevice(db, request.headers.authorization);
      try {
        const acknowledged = await acceptAuditBatch(db, device, request.body);
        app.metrics.auditBatches.inc({ result: 'verified' });
        app.log.info(
          { deviceId: device.deviceId, through: acknowledged.seq },
          'audit batch stored',
        );
        return { acknowledged };
      } catch (error) {
        // The device had an acknowledgement beyond HQ's copy: HQ went back in time (see
        // hq/epoch.ts); a device already told of the new epoch asks for the position first.
        app.metrics.auditBatches.inc({ result: 'refused' });
        if (isBranchDeskError(error, 'AUDIT_RESUME'))
          await rewindSeen(db, device, presentedEpoch(request.headers));
        app.log.warn(
          { deviceId: device.deviceId, outcome: serializeError(error).code },
          'audit batch refused',
        );
        throw error;
      }
    },
  );

  app.get(
    '/v1/audit/position',
    { schema: { response: { 200: AuditPosition, 401: ApiError, 410: ApiError } } },
    async (request) => {
      const device = await activeDevice(db, request.headers.authorization);
      return {
        acknowledged: await auditPosition(db, device.deviceId),
        epoch: await currentEpoch(db),
      };
    },
  );

  app.get(
    '/v1/audit/customers/:id',
    {
      schema: {
        params: z.object({ id: z.uuid() }),
        response: { 200: CustomerAccessResponse, 401: ApiError, 403: ApiError, 410: ApiError },
      },
    },
    async (request) => {
      const staff = await authenticateStaff(db, request.headers.authorization);
      noteUser(request, staff.userId);
      if (!staff.permissions.has('view_audit'))
        throw new BranchDeskError('PERMISSION_DENIED', { permission: 'view_audit' });
      return { entries: await customerAccessFor(db, staff, request.params.id) };
    },
  );
};
