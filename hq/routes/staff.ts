// Branch staff signing in on an enrolled device: sign-in, refresh, sign-out, and the branch's
// staff list a device keeps for offline sign-in.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  BranchStaffResponse,
  LoginRequest,
  LoginResponse,
  LogoutRequest,
  RefreshRequest,
  SessionTokens,
  type SignInPolicy,
} from '../../shared/auth/staff';
import { serializeError } from '../../shared/errors';
import { ApiError } from '../../shared/protocol/hq';
import type { Database } from '../db/database';
import { activeDevice } from '../devices';
import { noteUser } from '../request-log';
import { branchStaff, decoyHash, login, logoutSession, refreshSession } from '../staff';

export const staffRoutes: FastifyPluginAsyncZod<{ db: Database; policy: SignInPolicy }> = async (
  app,
  { db, policy },
) => {
  void decoyHash(); // ready before the first sign-in of an unknown user

  app.post(
    '/v1/auth/login',
    {
      schema: {
        body: LoginRequest,
        response: {
          200: LoginResponse,
          400: ApiError,
          401: ApiError,
          403: ApiError,
          423: ApiError,
        },
      },
    },
    async (request) => {
      const device = await activeDevice(db, request.headers.authorization);
      try {
        const signedIn = await login(db, device, request.body, policy);
        noteUser(request, signedIn.user.userId);
        app.log.info(
          { deviceId: device.deviceId, userId: signedIn.user.userId },
          'staff signed in',
        );
        return signedIn;
      } catch (error) {
        app.log.info(
          { deviceId: device.deviceId, outcome: serializeError(error).code },
          'staff sign-in refused',
        );
        throw error;
      }
    },
  );

  app.post(
    '/v1/auth/refresh',
    { schema: { body: RefreshRequest, response: { 200: SessionTokens, 401: ApiError } } },
    async (request) => {
      const device = await activeDevice(db, request.headers.authorization);
      return refreshSession(db, device, request.body.refreshToken);
    },
  );

  app.post(
    '/v1/auth/logout',
    {
      schema: {
        body: LogoutRequest,
        response: { 200: z.object({ ok: z.literal(true) }), 401: ApiError },
      },
    },
    async (request) => {
      const device = await activeDevice(db, request.headers.authorization);
      await logoutSession(db, device, request.body.refreshToken);
      return { ok: true as const };
    },
  );

  app.get(
    '/v1/branch/staff',
    { schema: { response: { 200: BranchStaffResponse, 401: ApiError, 410: ApiError } } },
    async (request) => {
      const device = await activeDevice(db, request.headers.authorization);
      return {
        users: await branchStaff(db, device.branchId),
        policy,
        serverTime: new Date().toISOString(),
      };
    },
  );
};
