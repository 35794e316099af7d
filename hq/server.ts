// The HQ HTTP service: Fastify with zod validation on every route (the shared schemas), an
// OpenAPI document at /openapi.json, typed errors in zh-CN and en, logs without PII.
import swagger from '@fastify/swagger';
import Fastify, { type FastifyInstance } from 'fastify';
import { z } from 'zod';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { BranchDeskError, serializeError, type ErrorCode } from '../shared/errors';
import {
  ApiError,
  DeviceStatus,
  EnrollRequest,
  EnrollResponse,
  FetchCustomersRequest,
  FetchCustomersResponse,
  Health,
  PullQuery,
  PullResponse,
  ScopeBucket,
} from '../shared/protocol/hq';
import { PushRequest, PushResponse } from '../shared/protocol/mutations';
import {
  AuditBatch,
  AuditBatchResponse,
  BranchStaffResponse,
  CustomerAccessResponse,
  defaultSignInPolicy,
  LoginRequest,
  LoginResponse,
  LogoutRequest,
  RefreshRequest,
  SessionTokens,
  type SignInPolicy,
} from '../shared/auth/staff';
import { approvalRoutes } from './approvals';
import { acceptAuditBatch, customerAccessFor } from './audit';
import {
  authenticateStaff,
  branchStaff,
  decoyHash,
  login,
  logoutSession,
  refreshSession,
} from './staff';
import * as clock from './clock';
import type { Database } from './db/database';
import { authenticateDevice, enrollDevice } from './devices';
import { applyMutations } from './mutations';
import { adminRoutes } from './routes/admin';
import { changesAfter, countChangesAfter, fetchInScope, scopeBucket, scopeDigest } from './scope';

const statusOf: Partial<Record<ErrorCode, number>> = {
  INPUT_INVALID: 400,
  DEVICE_UNAUTHENTICATED: 401,
  ADMIN_UNAUTHENTICATED: 401,
  CUSTOMER_NOT_FOUND: 404,
  CUSTOMER_INVALID: 422,
  ENROLLMENT_CODE_INVALID: 403,
  BRANCH_NOT_FOUND: 404,
  DEVICE_NOT_FOUND: 404,
  DEVICE_REVOKED: 410,
  LOGIN_FAILED: 401,
  SESSION_UNAUTHENTICATED: 401,
  ACCOUNT_LOCKED: 423,
  USER_DISABLED: 403,
  USER_NOT_AT_BRANCH: 403,
  USER_NOT_FOUND: 404,
  USER_EXISTS: 409,
  PERMISSION_DENIED: 403,
  APPROVAL_OWN_CHANGE: 409,
  APPROVAL_NOT_PENDING: 409,
  AUDIT_KEY_UNKNOWN: 409,
  AUDIT_CHAIN_BROKEN: 409,
  AUDIT_SIGNATURE_INVALID: 422,
};

export async function buildServer(
  db: Database,
  options: {
    logLevel?: string;
    /** Sign-in rules sent to devices; the defaults when unset. */
    policy?: SignInPolicy;
  } = {},
): Promise<FastifyInstance> {
  const app = Fastify({
    logger: {
      level: options.logLevel ?? 'info',
      // Requests are logged by method, route and status; bodies and headers never are.
      serializers: {
        req: (request) => ({
          method: request.method,
          url: request.routeOptions?.url ?? request.url.split('?')[0],
        }),
      },
    },
    bodyLimit: 1024 * 1024,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  await app.register(swagger, {
    openapi: { info: { title: 'BranchDesk HQ', version: '0.1.0' } },
    transform: jsonSchemaTransform,
  });

  app.setErrorHandler((error, _request, reply) => {
    // A body over the limit (a push batch too big): the device halves its batch on this code.
    if ((error as { statusCode?: number }).statusCode === 413) {
      return reply
        .status(413)
        .send(serializeError(new BranchDeskError('INPUT_INVALID', { issues: 'body too large' })));
    }
    // Fastify's own refusals of a request it could not read (a body that is not JSON, a content
    // type it does not take): the caller's mistake, said with our code, never a 500.
    const fastifyCode = (error as { code?: unknown }).code;
    const status = (error as { statusCode?: number }).statusCode ?? 500;
    if (
      typeof fastifyCode === 'string' &&
      fastifyCode.startsWith('FST_') &&
      status >= 400 &&
      status < 500
    ) {
      const issues =
        fastifyCode === 'FST_ERR_CTP_INVALID_JSON_BODY' ? 'body: not valid JSON' : fastifyCode;
      return reply
        .status(status)
        .send(serializeError(new BranchDeskError('INPUT_INVALID', { issues })));
    }
    if ((error as { validation?: unknown }).validation) {
      const issues = String((error as Error).message).slice(0, 500);
      return reply
        .status(400)
        .send(serializeError(new BranchDeskError('INPUT_INVALID', { issues })));
    }
    const body = serializeError(error);
    if (body.code === 'INTERNAL')
      app.log.error({ err: { name: (error as Error).name } }, 'internal error');
    return reply.status(statusOf[body.code] ?? 500).send(body);
  });

  /** The calling device, refusing a revoked one (410): it may only learn that it must wipe. */
  const activeDevice = async (authorization: string | undefined) => {
    const device = await authenticateDevice(db, authorization);
    if (device.status === 'revoked') throw new BranchDeskError('DEVICE_REVOKED');
    return device;
  };

  await app.register(approvalRoutes(db));

  app.get('/health', { schema: { response: { 200: Health } } }, async () => ({
    status: 'ok' as const,
    database: db.kind,
  }));

  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

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

  app.get(
    '/v1/changes',
    {
      schema: {
        querystring: PullQuery,
        response: { 200: PullResponse, 401: ApiError, 410: ApiError },
      },
    },
    async (request) => {
      const device = await activeDevice(request.headers.authorization);
      const { after, limit, count } = request.query;
      // One snapshot for the page and, on the last page, the digest of the scope at its cursor.
      const { rows, digest } = await db.transaction(async (tx) => {
        await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
        // One more than asked tells whether another page follows.
        const page = await changesAfter(tx, device.branchId, after, limit + 1);
        return {
          rows: page,
          digest: page.length > limit ? null : await scopeDigest(tx, device.branchId),
        };
      });
      const changes = rows.slice(0, limit).map((row) => ({
        seq: row.seq,
        customerId: row.customerId,
        inScope: row.inScope,
        version: row.version,
        customer: (row.record as Record<string, unknown> | null) ?? null,
      }));
      const remaining = count === '1' ? await countChangesAfter(db, device.branchId, after) : null;
      return {
        changes,
        cursor: changes.at(-1)?.seq ?? after,
        hasMore: rows.length > limit,
        remaining,
        scopeDigest: digest,
        hlc: await clock.current(db),
      };
    },
  );

  app.get(
    '/v1/scope/buckets/:bucket',
    {
      schema: {
        params: z.object({ bucket: z.string().regex(/^[0-9a-f]{2}$/) }),
        response: { 200: ScopeBucket, 401: ApiError, 410: ApiError },
      },
    },
    async (request) => {
      const device = await activeDevice(request.headers.authorization);
      return { entries: await scopeBucket(db, device.branchId, request.params.bucket) };
    },
  );

  app.post(
    '/v1/customers/fetch',
    {
      schema: {
        body: FetchCustomersRequest,
        response: { 200: FetchCustomersResponse, 401: ApiError, 410: ApiError },
      },
    },
    async (request) => {
      const device = await activeDevice(request.headers.authorization);
      return { customers: await fetchInScope(db, device.branchId, request.body.ids) };
    },
  );

  app.post(
    '/v1/mutations',
    {
      schema: {
        body: PushRequest,
        response: { 200: PushResponse, 400: ApiError, 401: ApiError, 410: ApiError },
      },
    },
    async (request) => {
      const device = await activeDevice(request.headers.authorization);
      const pushed = await applyMutations(db, device, request.body.mutations);
      const counts: Record<string, number> = {};
      for (const { outcome } of pushed.results) {
        const key = outcome.status === 'applied' ? 'applied' : `rejected_${outcome.reason}`;
        counts[key] = (counts[key] ?? 0) + 1;
      }
      app.log.info({ deviceId: device.deviceId, ...counts }, 'mutations pushed');
      return pushed;
    },
  );

  // ---- Staff sign-in on branch devices and audit intake ----------------------------------
  const policy = options.policy ?? defaultSignInPolicy;
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
      const device = await activeDevice(request.headers.authorization);
      try {
        const signedIn = await login(db, device, request.body, policy);
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
      const device = await activeDevice(request.headers.authorization);
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
      const device = await activeDevice(request.headers.authorization);
      await logoutSession(db, device, request.body.refreshToken);
      return { ok: true as const };
    },
  );

  app.get(
    '/v1/branch/staff',
    { schema: { response: { 200: BranchStaffResponse, 401: ApiError, 410: ApiError } } },
    async (request) => {
      const device = await activeDevice(request.headers.authorization);
      return {
        users: await branchStaff(db, device.branchId),
        policy,
        serverTime: new Date().toISOString(),
      };
    },
  );

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
      const device = await activeDevice(request.headers.authorization);
      try {
        const acknowledged = await acceptAuditBatch(db, device, request.body);
        app.log.info(
          { deviceId: device.deviceId, through: acknowledged.seq },
          'audit batch stored',
        );
        return { acknowledged };
      } catch (error) {
        app.log.warn(
          { deviceId: device.deviceId, outcome: serializeError(error).code },
          'audit batch refused',
        );
        throw error;
      }
    },
  );

  app.get(
    '/v1/audit/customers/:id',
    {
      schema: {
        params: z.object({ id: z.uuid() }),
        response: { 200: CustomerAccessResponse, 401: ApiError, 403: ApiError },
      },
    },
    async (request) => {
      const staff = await authenticateStaff(db, request.headers.authorization);
      if (!staff.permissions.has('view_audit'))
        throw new BranchDeskError('PERMISSION_DENIED', { permission: 'view_audit' });
      return { entries: await customerAccessFor(db, staff, request.params.id) };
    },
  );

  // ---- HQ staff: signed in at HQ, every action in HQ's own audit --------------------------
  await app.register(adminRoutes, { db });

  return app;
}
