// Rate limits per device, per staff session and per sign-in name (@fastify/rate-limit), counted
// in the database so that every HQ instance behind the load balancer sees the same count: a
// runaway client is refused at any door, and a device moved between instances gains nothing.
import { createHash } from 'node:crypto';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { BranchDeskError } from '../shared/errors';
import type { Database } from './db/database';
import type { HqMetrics } from './metrics';

/** Requests a minute one device or one staff session may make (HQ_RATE_LIMIT_PER_MINUTE). */
export const DEFAULT_PER_MINUTE = 1200;
/** Sign-in attempts a minute under one name, on top of the lockout after five failures. */
export const SIGN_IN_PER_MINUTE = 20;

const PerMinute = z.coerce.number().int().min(10).max(1_000_000);

export function perMinuteFromEnv(setting = process.env.HQ_RATE_LIMIT_PER_MINUTE): number {
  if (!setting) return DEFAULT_PER_MINUTE;
  const parsed = PerMinute.safeParse(setting);
  if (!parsed.success)
    throw new Error('HQ_RATE_LIMIT_PER_MINUTE must be a whole number from 10 to 1000000');
  return parsed.data;
}

/**
 * What a request's limit is counted against: the device of a `Device` credential, the session of
 * a `Bearer` token (one member of staff on one device; the token itself is never kept, only a
 * hash), the name a sign-in is for, else the address it came from.
 */
export function rateKey(request: FastifyRequest): string {
  const authorization = request.headers.authorization ?? '';
  const device = /^Device ([0-9a-f-]{36})\./.exec(authorization);
  if (device) return `device:${device[1]}`;
  const bearer = /^Bearer (\S+)$/.exec(authorization);
  if (bearer)
    return `session:${createHash('sha256').update(bearer[1]!).digest('hex').slice(0, 32)}`;
  const username = (request.body as { username?: unknown } | undefined)?.username;
  if (typeof username === 'string' && username.length <= 64) return `signin:${username}`;
  return `ip:${request.ip}`;
}

type Reply = { current: number; ttl: number };
type Callback = (error: Error | null, reply?: Reply) => void;

/** The plugin's store interface, counted in table rate_limit (HQ migration 26): fixed windows. */
function databaseStore(db: Database) {
  let calls = 0;
  return class DatabaseStore {
    incr(key: string, done: Callback, timeWindow: number): void {
      // Now and then, windows long over are swept (one row per key otherwise stays).
      if (++calls % 1000 === 0)
        void db
          .query("DELETE FROM rate_limit WHERE window_start < now() - interval '1 hour'")
          .catch(() => {});
      db.query<{ hits: number; ttl: number }>(
        `INSERT INTO rate_limit AS r (key, window_start, hits) VALUES ($1, statement_timestamp(), 1)
         ON CONFLICT (key) DO UPDATE SET
           window_start = CASE WHEN r.window_start <= statement_timestamp() - make_interval(secs => $2)
                               THEN statement_timestamp() ELSE r.window_start END,
           hits = CASE WHEN r.window_start <= statement_timestamp() - make_interval(secs => $2)
                       THEN 1 ELSE r.hits + 1 END
         RETURNING hits, greatest(0, ceil(extract(epoch FROM
           r.window_start + make_interval(secs => $2) - statement_timestamp()) * 1000))::int AS ttl`,
        [key, timeWindow / 1000],
      ).then(
        ([row]) => done(null, { current: row!.hits, ttl: row!.ttl }),
        (error: Error) => done(error),
      );
    }

    read(key: string, done: Callback, timeWindow: number): void {
      db.query<{ hits: number; ttl: number }>(
        `SELECT hits, greatest(0, ceil(extract(epoch FROM
           window_start + make_interval(secs => $2) - clock_timestamp()) * 1000))::int AS ttl
         FROM rate_limit WHERE key = $1 AND window_start > clock_timestamp() - make_interval(secs => $2)`,
        [key, timeWindow / 1000],
      ).then(
        ([row]) => done(null, { current: row?.hits ?? 0, ttl: row?.ttl ?? 0 }),
        (error: Error) => done(error),
      );
    }

    child(): DatabaseStore {
      return new DatabaseStore();
    }
  };
}

export async function registerRateLimits(
  app: FastifyInstance,
  db: Database,
  metrics: HqMetrics,
  perMinute: number,
): Promise<void> {
  await app.register(rateLimit, {
    global: true,
    // After the body is read: a sign-in is limited by the name it is for.
    hook: 'preHandler',
    timeWindow: 60_000,
    max: (_request, key) => (key.startsWith('signin:') ? SIGN_IN_PER_MINUTE : perMinute),
    keyGenerator: rateKey,
    store: databaseStore(db),
    // A database that cannot count cannot serve the request either: its own error says so.
    skipOnError: true,
    onExceeded: (_request, key) => metrics.rateLimited.inc({ kind: key.split(':')[0] }),
    errorResponseBuilder: (_request, context) =>
      new BranchDeskError('RATE_LIMITED', { retryAfterSeconds: Math.ceil(context.ttl / 1000) }),
  });
}
