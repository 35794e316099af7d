// Enrollment and a device's status: how a PC becomes a device of a branch, and learns that it
// was revoked (and must wipe).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ApiError, DeviceStatus, EnrollRequest, EnrollResponse } from '../../shared/protocol/hq';
import type { Database } from '../db/database';
import { authenticateDevice, enrollDevice } from '../devices';
import { environmentOf } from '../environment';
import { BranchDeskError } from '../../shared/errors';

export const deviceRoutes: FastifyPluginAsyncZod<{ db: Database }> = async (app, { db }) => {
  app.post(
    '/v1/enroll',
    {
      schema: {
        body: EnrollRequest,
        response: { 201: EnrollResponse, 400: ApiError, 403: ApiError },
      },
    },
    async (request, reply) => {
      const { code, deviceName, auditKey, environment } = request.body;
      // A training profile never enrolls with a production HQ, nor a production one with a
      // training HQ: refused before the code is spent.
      const own = await environmentOf(db);
      if (environment !== own)
        throw new BranchDeskError('HQ_ENVIRONMENT_MISMATCH', { environment: own });
      const enrolled = {
        ...(await enrollDevice(db, code, deviceName, auditKey)),
        environment: own,
      };
      app.log.info({ deviceId: enrolled.deviceId, branchId: enrolled.branchId }, 'device enrolled');
      return reply.status(201).send(enrolled);
    },
  );

  app.get(
    '/v1/device/status',
    { schema: { response: { 200: DeviceStatus, 401: ApiError } } },
    async (request) => {
      const device = await authenticateDevice(db, request.headers.authorization);
      return {
        ...device,
        action: device.status === 'revoked' ? ('wipe' as const) : ('none' as const),
      };
    },
  );
};
