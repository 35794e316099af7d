// Sync: a device pulls the changes of its branch's scope, checks the scope's digest bucket by
// bucket, fetches records by id, and pushes its mutations.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  ApiError,
  FetchCustomersRequest,
  FetchCustomersResponse,
  PullQuery,
  ScopeBucket,
  SnapshotQuery,
} from '../../shared/protocol/hq';
import { PushRequest, PushResponse } from '../../shared/protocol/mutations';
import { NoticesQuery, NoticesResponse } from '../../shared/protocol/privacy';
import * as clock from '../clock';
import type { Database } from '../db/database';
import { activeDevice } from '../devices';
import { currentEpoch, lastChangeSeq, presentedEpoch, rewindSeen } from '../epoch';
import { applyMutations } from '../mutations';
import { openFeed } from '../feed-watermark';
import { noticesAfter } from '../privacy/notices';
import { ruleTablesAfter } from '../insight/rules';
import { RuleTablesQuery, RuleTablesResponse } from '../../shared/protocol/rules';
import { scopeSize, snapshotRows } from '../snapshot';
import { fetchInScope, pageOfChanges, scopeBucket } from '../scope';
import {
  scopeDigestInSnapshot,
  scopeDigestText,
  sharedScopeDigest,
  storeContentHashes,
} from '../scope-digest';

export const syncRoutes: FastifyPluginAsyncZod<{ db: Database }> = async (app, { db }) => {
  // Privacy notices published after the last one the device holds (docs/SYNC-PROTOCOL.md): the
  // same for every branch, few and small, so sent whole.
  app.get(
    '/v1/privacy-notices',
    {
      schema: {
        querystring: NoticesQuery,
        response: { 200: NoticesResponse, 401: ApiError, 410: ApiError },
      },
    },
    async (request) => {
      await activeDevice(db, request.headers.authorization);
      return { notices: await noticesAfter(db, request.query.after) };
    },
  );

  // Rule tables published after the last one the device holds (the AML risk-rating table): the
  // same for every branch, few and small, so sent whole.
  app.get(
    '/v1/rule-tables',
    {
      schema: {
        querystring: RuleTablesQuery,
        response: { 200: RuleTablesResponse, 401: ApiError, 410: ApiError },
      },
    },
    async (request) => {
      await activeDevice(db, request.headers.authorization);
      return { tables: await ruleTablesAfter(db, request.query.after) };
    },
  );

  app.get(
    '/v1/changes',
    {
      // The answer is a PullResponse (shared/protocol/hq.ts) written here as JSON text around the
      // records' and the digest's own JSON, as the database gives them: a busy HQ parses and
      // writes again neither (the device checks the answer against PullResponse).
      schema: {
        querystring: PullQuery,
        response: { 200: z.string(), 401: ApiError, 410: ApiError },
      },
    },
    async (request, reply) => {
      const device = await activeDevice(db, request.headers.authorization);
      const { after, limit, count } = request.query;
      // Only changes below the feed's watermark: none can still commit under it (feed-watermark.ts).
      const feed = await openFeed(db);
      // A cursor beyond every change HQ has issued: HQ's database went back in time. The answer
      // carries a new epoch (or the one started since), and the device starts over.
      const rewound =
        after > feed.lastSeq ? await rewindSeen(db, device, presentedEpoch(request.headers)) : null;
      // The page and all its answer carries in one statement (one snapshot). When the scope's
      // digest is due and the one kept is older, it is brought up to date and kept, once for the
      // branch's pulls of the moment; failing that (the branch changed again meanwhile), the page
      // is read again in one REPEATABLE READ snapshot with the digest worked out there.
      const page = async () => {
        const upTo = await feed.watermark();
        const options = { cursor: after, limit, upTo, count: count === '1' };
        const quick = await pageOfChanges(db, device.branchId, options);
        if (quick.digest !== 'stale') return { ...quick, digest: quick.digest, fresh: [] };
        const shared = await sharedScopeDigest(db, device.branchId, quick.throughSeq);
        if (shared) return { ...quick, digest: shared, fresh: [] };
        return db.transaction(
          async (tx) => {
            const again = await pageOfChanges(tx, device.branchId, options);
            if (again.digest !== 'stale') return { ...again, digest: again.digest, fresh: [] };
            const computed = await scopeDigestInSnapshot(tx, device.branchId);
            return { ...again, digest: scopeDigestText(computed), fresh: computed.fresh };
          },
          { repeatableRead: true },
        );
      };
      let answer = await page();
      // Something for this branch committed beyond the watermark (the change the device was just
      // told of, say): wait a moment for the writers in flight at the feed's opening, then serve
      // again. A pull with nothing held back answers at once.
      if (answer.heldBack) {
        await feed.settle();
        answer = await page();
      }
      const { rows, digest, remaining, epoch, hlc, fresh } = answer;
      // Outside the page's snapshot: a record changed since keeps no hash (HQ migration 11).
      if (fresh.length > 0) await storeContentHashes(db, fresh);
      app.metrics.syncPages.inc({ kind: 'changes' });
      const changes = rows.slice(0, limit).map((row) => {
        const head = JSON.stringify({
          seq: row.seq,
          customerId: row.customerId,
          inScope: row.inScope,
          version: row.version,
          ...(row.erased ? { erased: true as const } : {}),
          ...(row.mergedInto ? { mergedInto: row.mergedInto } : {}),
        });
        return `${head.slice(0, -1)},"customer":${row.recordText ?? 'null'}}`;
      });
      const tail = JSON.stringify({
        cursor: rows.slice(0, limit).at(-1)?.seq ?? after,
        hasMore: rows.length > limit,
        remaining,
        hlc,
        epoch: rewound ?? epoch,
      });
      const scope = digest ? `{"buckets":${digest.bucketsText},"count":${digest.count}}` : 'null';
      return reply
        .type('application/json; charset=utf-8')
        .send(`{"changes":[${changes.join(',')}],"scopeDigest":${scope},${tail.slice(1)}`);
    },
  );

  app.get(
    '/v1/snapshot',
    {
      // The answer is a SnapshotChunk (shared/protocol/hq.ts) written here as JSON text around
      // the records' own JSON (Fastify sends a string with a JSON content type as it is); the
      // device checks it against that schema.
      schema: {
        querystring: SnapshotQuery,
        response: { 200: z.string(), 401: ApiError, 410: ApiError },
      },
    },
    async (request, reply) => {
      const device = await activeDevice(db, request.headers.authorization);
      const { after, at, limit } = request.query;
      const epoch =
        at !== undefined && at > (await lastChangeSeq(db))
          ? await rewindSeen(db, device, presentedEpoch(request.headers))
          : await currentEpoch(db);
      const first = at === undefined;
      const feed = first ? await openFeed(db) : undefined;
      await feed?.settle();
      // Every change up to the feed's watermark is in the snapshot below and in every later one.
      const upTo = feed ? await feed.watermark() : at!;
      const chunk = await db.transaction(
        async (tx) => ({
          at: upTo,
          total: first ? await scopeSize(tx, device.branchId) : null,
          ...(await snapshotRows(tx, device.branchId, after, limit)),
        }),
        { repeatableRead: true },
      );
      app.metrics.syncPages.inc({ kind: 'snapshot' });
      const head = {
        at: chunk.at,
        epoch,
        hlc: await clock.current(db),
        after: after ?? null,
        next: chunk.next,
        total: chunk.total,
      };
      const text = JSON.stringify(head);
      return reply
        .type('application/json; charset=utf-8')
        .send(`${text.slice(0, -1)},"customers":[${chunk.records.join(',')}]}`);
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
      const device = await activeDevice(db, request.headers.authorization);
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
      const device = await activeDevice(db, request.headers.authorization);
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
      // The device's clock against HQ's, as the push arrives: its edits are ordered in HQ's time.
      const { sentAt } = request.body;
      const clockOffsetMs = sentAt === undefined ? 0 : sentAt - Date.now();
      const device = await activeDevice(db, request.headers.authorization);
      const pushed = await applyMutations(db, device, request.body.mutations, clockOffsetMs);
      const counts: Record<string, number> = {};
      for (const { outcome } of pushed.results) {
        const key = outcome.status === 'applied' ? 'applied' : `rejected_${outcome.reason}`;
        counts[key] = (counts[key] ?? 0) + 1;
      }
      for (const [outcome, n] of Object.entries(counts)) app.metrics.mutations.inc({ outcome }, n);
      app.log.info({ deviceId: device.deviceId, ...counts }, 'mutations pushed');
      return pushed;
    },
  );
};
