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
import type { Database } from './db/database';
import { authenticateDevice, enrollDevice } from './devices';
import { changesAfter, countChangesAfter, fetchInScope, scopeBucket, scopeDigest } from './scope';

const statusOf: Partial<Record<ErrorCode, number>> = {
  INPUT_INVALID: 400,
  DEVICE_UNAUTHENTICATED: 401,
  ENROLLMENT_CODE_INVALID: 403,
  BRANCH_NOT_FOUND: 404,
  DEVICE_NOT_FOUND: 404,
  DEVICE_REVOKED: 410,
};

export async function buildServer(
  db: Database,
  options: { logLevel?: string } = {},
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
      const enrolled = await enrollDevice(db, request.body.code, request.body.deviceName);
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
      const { after, limit } = request.query;
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
      const remaining = await countChangesAfter(db, device.branchId, after);
      return {
        changes,
        cursor: changes.at(-1)?.seq ?? after,
        hasMore: rows.length > limit,
        remaining,
        scopeDigest: digest,
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

  return app;
}
