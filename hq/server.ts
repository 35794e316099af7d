// The HQ HTTP service: Fastify with zod validation on every route (the shared schemas), an
// OpenAPI document at /openapi.json, typed errors in zh-CN and en, logs without PII.
import helmet from '@fastify/helmet';
import sse from '@fastify/sse';
import swagger from '@fastify/swagger';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { BranchDeskError, serializeError, type ErrorCode } from '../shared/errors';
import { Health } from '../shared/protocol/hq';
import { defaultSignInPolicy, type SignInPolicy } from '../shared/auth/staff';
import { approvalRoutes } from './approvals';
import { ChangeHub } from './change-hub';
import type { Database } from './db/database';
import { latestMigration } from './db/migrate';
import { hqMetrics } from './metrics';
import { perMinuteFromEnv, registerRateLimits } from './rate-limit';
import { eventRoutes } from './routes/events';
import './request-log';
import { environmentOf } from './environment';
import { ENVIRONMENT_HEADER } from '../shared/protocol/hq';
import { adminRoutes } from './routes/admin';
import { auditRoutes } from './routes/audit';
import { counterCopyRoutes } from './routes/counter-copy';
import { mergeRoutes } from './routes/merges';
import { deviceRoutes } from './routes/devices';
import { staffRoutes } from './routes/staff';
import { syncRoutes } from './routes/sync';

const statusOf: Partial<Record<ErrorCode, number>> = {
  INPUT_INVALID: 400,
  HQ_ENVIRONMENT_MISMATCH: 403,
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
  AUDIT_RESUME: 409,
  AUDIT_SIGNATURE_INVALID: 422,
  NOTICE_VERSION_TAKEN: 409,
  NOTICE_NOT_FOUND: 404,
  CUSTOMER_ERASED: 404,
  LEGAL_HOLD_NOT_FOUND: 404,
  COSIGNER_INVALID: 403,
  MERGE_NOT_FOUND: 404,
  MERGE_NOT_PENDING: 409,
  MERGE_OWN_PROPOSAL: 409,
  MERGE_REFUSED: 409,
  UNMERGE_PERIOD_OVER: 409,
  UNMERGE_REFUSED: 409,
  RATE_LIMITED: 429,
};

export async function buildServer(
  db: Database,
  options: {
    logLevel?: string;
    /** Sign-in rules sent to devices; the defaults when unset. */
    policy?: SignInPolicy;
    /** Requests a minute per device or staff session; HQ_RATE_LIMIT_PER_MINUTE, else 1,200. */
    ratePerMinute?: number;
  } = {},
): Promise<FastifyInstance> {
  const app = Fastify({
    // JSON lines (pino): one per request when it is answered, with its id, route, status, time,
    // and the device and member of staff by id. Bodies, headers and query strings never are.
    logger: { level: options.logLevel ?? 'info' },
    // Fastify's own line per request is off: request-log.ts writes ours.
    logController: new LogController({ disableRequestLogging: true }),
    requestIdHeader: false,
    // The load balancer's addresses (HQ_TRUST_PROXY, comma-separated): then a client's address
    // is the one the balancer saw, for the per-address rate limit.
    ...(process.env.HQ_TRUST_PROXY
      ? { trustProxy: process.env.HQ_TRUST_PROXY.split(',').map((entry) => entry.trim()) }
      : {}),
    bodyLimit: 1024 * 1024,
  }).withTypeProvider<ZodTypeProvider>();
  const hub = await ChangeHub.open(db);
  const metrics = hqMetrics(db, () => hub);
  app.decorate('metrics', metrics);
  app.decorate('changeHub', hub);
  app.decorateRequest('userId', null);
  app.addHook('onClose', async () => hub.close());
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions?.url ?? 'unmatched';
    const seconds = reply.elapsedTime / 1000;
    metrics.requestSeconds.observe(
      { method: request.method, route, status: String(reply.statusCode) },
      seconds,
    );
    const deviceId = /^Device ([0-9a-f-]{36})\./.exec(request.headers.authorization ?? '')?.[1];
    request.log.info(
      {
        method: request.method,
        route,
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime),
        ...(deviceId ? { deviceId } : {}),
        ...(request.userId ? { userId: request.userId } : {}),
      },
      'request',
    );
  });
  // Security headers on every answer (HSTS, no sniffing, no framing, a closed CSP: HQ serves
  // JSON, never pages).
  await app.register(helmet, { global: true });
  await app.register(sse, { heartbeatInterval: 25_000 });
  await registerRateLimits(app, db, metrics, options.ratePerMinute ?? perMinuteFromEnv());
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

  // Every answer says which kind of HQ this is: a device of the other kind stops at once.
  const environment = await environmentOf(db);
  app.addHook('onSend', async (_request, reply) => {
    void reply.header(ENVIRONMENT_HEADER, environment);
  });

  await app.register(approvalRoutes(db));

  app.get(
    '/health',
    { schema: { response: { 200: Health } }, config: { rateLimit: false } },
    async () => ({ status: 'ok' as const, database: db.kind }),
  );

  // For the load balancer and the orchestrator: alive (the process answers) and ready (its
  // database answers, with every migration this build needs).
  app.get('/healthz', { schema: { hide: true }, config: { rateLimit: false } }, async () => ({
    status: 'ok',
  }));
  const needed = latestMigration();
  app.get(
    '/readyz',
    { schema: { hide: true }, config: { rateLimit: false } },
    async (_request, reply) => {
      try {
        const [row] = await db.query<{ version: number | null }>(
          'SELECT max(version) AS version FROM schema_migration',
        );
        const migration = Number(row?.version ?? 0);
        if (migration < needed)
          return reply.status(503).send({ status: 'migrations_behind', migration, needed });
        return { status: 'ready', migration };
      } catch {
        return reply.status(503).send({ status: 'database_unreachable' });
      }
    },
  );

  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  // One plugin per area, each with its routes' schemas.
  await app.register(deviceRoutes, { db });
  await app.register(syncRoutes, { db });
  await app.register(eventRoutes, { db });
  await app.register(staffRoutes, { db, policy: options.policy ?? defaultSignInPolicy });
  await app.register(auditRoutes, { db });
  await app.register(counterCopyRoutes, { db });
  await app.register(mergeRoutes, { db });
  // HQ staff: signed in at HQ, every action in HQ's own audit.
  await app.register(adminRoutes, { db });

  return app;
}
