// What operators watch (docs/OPERATIONS.md, "Metrics and alerts"): Prometheus metrics from
// prom-client, served on a port of their own so that the metrics never share the devices' door.
// One registry per HQ instance; the labels are routes, outcomes and states, never an id.
import http from 'node:http';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { ChangeHub } from './change-hub';
import type { Database } from './db/database';

export interface HqMetrics {
  readonly registry: Registry;
  readonly requestSeconds: Histogram<'method' | 'route' | 'status'>;
  readonly syncPages: Counter<'kind'>;
  readonly mutations: Counter<'outcome'>;
  readonly auditBatches: Counter<'result'>;
  readonly rateLimited: Counter<'kind'>;
  readonly nudges: Counter;
}

export function hqMetrics(db: Database, hub: () => ChangeHub | undefined): HqMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'hq_' });
  const metrics: HqMetrics = {
    registry,
    requestSeconds: new Histogram({
      name: 'hq_http_request_duration_seconds',
      help: 'Time to answer a request, by route (its template) and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    syncPages: new Counter({
      name: 'hq_sync_pages_total',
      help: 'Pages of the change feed and of snapshots served to devices',
      labelNames: ['kind'],
      registers: [registry],
    }),
    mutations: new Counter({
      name: 'hq_mutations_total',
      help: "Pushed mutations by stored outcome ('applied' or 'rejected_<reason>')",
      labelNames: ['outcome'],
      registers: [registry],
    }),
    auditBatches: new Counter({
      name: 'hq_audit_batches_total',
      help: "Devices' audit batches, verified and stored or refused",
      labelNames: ['result'],
      registers: [registry],
    }),
    rateLimited: new Counter({
      name: 'hq_rate_limited_total',
      help: 'Requests refused with 429, by what the limit was keyed on',
      labelNames: ['kind'],
      registers: [registry],
    }),
    nudges: new Counter({
      name: 'hq_change_nudges_total',
      help: 'Change notifications sent to connected devices',
      registers: [registry],
    }),
  };
  new Gauge({
    name: 'hq_connected_devices',
    help: 'Devices holding a change stream open on this instance',
    registers: [registry],
    collect() {
      this.set(hub()?.connected ?? 0);
    },
  });
  new Gauge({
    name: 'hq_flagged_devices',
    help: 'Devices whose audit chain HQ flagged (broken, resumed or badly signed)',
    registers: [registry],
    async collect() {
      const [row] = await db.query<{ n: string }>(
        'SELECT count(*) AS n FROM device WHERE audit_flag IS NOT NULL',
      );
      this.set(Number(row?.n ?? 0));
    },
  });
  new Gauge({
    name: 'hq_db_pool_connections',
    help: "This instance's PostgreSQL pool: total, idle, waiting (requests queued) and max",
    labelNames: ['state'],
    registers: [registry],
    collect() {
      const stats = db.poolStats();
      if (!stats) return;
      for (const [state, value] of Object.entries(stats)) this.set({ state }, value);
    },
  });
  return metrics;
}

/** Serves GET /metrics on its own port; resolves with the address once listening. */
export async function serveMetrics(
  metrics: HqMetrics,
  host: string,
  port: number,
): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((request, response) => {
    if (request.method !== 'GET' || request.url?.split('?')[0] !== '/metrics') {
      response.writeHead(404).end();
      return;
    }
    metrics.registry.metrics().then(
      (text) => response.writeHead(200, { 'content-type': metrics.registry.contentType }).end(text),
      () => response.writeHead(500).end(),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address();
  const bound = typeof address === 'object' && address ? address.port : port;
  return {
    url: `http://${host}:${bound}/metrics`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
