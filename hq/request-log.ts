// What a request carries beyond Fastify's own: the instance's metrics and change hub, and who
// made it, for the one JSON log line each request gets (hq/server.ts). Ids only, never names.
import type { FastifyRequest } from 'fastify';
import type { ChangeHub } from './change-hub';
import type { HqMetrics } from './metrics';

declare module 'fastify' {
  interface FastifyInstance {
    /** This instance's Prometheus metrics (hq/metrics.ts). */
    metrics: HqMetrics;
    /** The devices connected for change notifications (hq/change-hub.ts). */
    changeHub: ChangeHub;
  }
  interface FastifyRequest {
    /** The member of staff a request was authenticated as, for its log line (never a name). */
    userId: string | null;
  }
}

/** Notes who made a request, for the one log line each request gets. */
export function noteUser(request: FastifyRequest, userId: string): void {
  request.userId = userId;
}
