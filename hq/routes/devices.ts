// Enrollment and a device's status: how a PC becomes a device of a branch, and learns that it
// was revoked (and must wipe).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ApiError, DeviceStatus, EnrollRequest, EnrollResponse } from '../../shared/protocol/hq';
import type { Database } from '../db/database';
import { authenticateDevice, enrollDevice } from '../devices';

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
      const { code, deviceName, auditKey } = request.body;
      const enrolled = await enrollDevice(db, code, deviceName, auditKey);
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
