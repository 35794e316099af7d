// GET /v1/events: a device's change stream (Server-Sent Events). It carries no data, only
// "something changed for your branch": `change` events, which the device answers with a pull.
// The first event, `ready`, says the stream is open (the device pulls once then: what changed
// while it was not listening is not told again). A stream lasts at most STREAM_MS; the device
// then opens another, on whichever instance the load balancer picks, so streams spread over an
// instance added since.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Database } from '../db/database';
import { activeDevice } from '../devices';

/** The longest a stream stays open before the device is asked to open another. */
export const STREAM_MS = 10 * 60_000;
/** How soon a device reconnects after a stream ends (the SSE `retry` field), in milliseconds. */
const RECONNECT_MS = 3_000;

export const eventRoutes: FastifyPluginAsyncZod<{ db: Database }> = async (app, { db }) => {
  // An instance shutting down ends its streams first (they would hold its close for minutes);
  // their desks reconnect to another instance.
  const open = new Set<() => void>();
  app.addHook('preClose', async () => {
    for (const close of [...open]) close();
  });
  app.get('/v1/events', { sse: 'only', schema: { hide: true } }, async (request, reply) => {
    const device = await activeDevice(db, request.headers.authorization);
    reply.sse.keepAlive();
    await reply.sse.send({ event: 'ready', data: {}, retry: RECONNECT_MS });
    let queued = false;
    const unsubscribe = app.changeHub.subscribe(device.branchId, () => {
      // Several commits in one tick make one event: the pull after it sees them all.
      if (queued) return;
      queued = true;
      queueMicrotask(() => {
        queued = false;
        if (!reply.sse.isConnected) return;
        app.metrics.nudges.inc();
        void reply.sse.send({ event: 'change', data: {} }).catch(() => {});
      });
    });
    const close = () => reply.sse.close();
    open.add(close);
    // Between 80 % and 100 % of STREAM_MS: streams opened together do not all end together.
    // Unreferenced: a stream never keeps a stopping process alive.
    const end = setTimeout(close, STREAM_MS * (0.8 + 0.2 * Math.random()));
    end.unref();
    reply.sse.onClose(() => {
      clearTimeout(end);
      open.delete(close);
      unsubscribe();
    });
  });
};
