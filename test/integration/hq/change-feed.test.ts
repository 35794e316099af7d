// The change feed, end to end against a real HQ process (PGlite and PostgreSQL): each customer
// once however many changes it had (an initial sync and a delta), the newest state of one that
// left the scope and came back, evictions still sent; and on PostgreSQL, a writer that took its
// change_seq and commits late while a later change commits and a device pulls: the device must
// still receive the late change (docs/SYNC-PROTOCOL.md, "Scope and pull").
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrollDevice } from '../../../electron/core/device/enrollment';
import type { HqClient } from '../../../electron/core/hq-client/client';
import { deviceClient } from '../../../electron/core/sync/engine';
import { pullChanges, syncCursor } from '../../../electron/core/sync/pull';
import { openVault, type Vault } from '../../../electron/core/vault';
import { openDatabase } from '../../../hq/db/database';
import { logScope } from '../../../hq/scope';
import {
  addHqUser,
  hqAdmin,
  hqCommand,
  startHq,
  type HqEnv,
  type RunningHq,
} from '../../support/hq';
import { profileSandbox, realSecretStore } from '../../support/keyring';
import { startPostgres, type PostgresCluster } from '../../support/postgres';

const secrets = realSecretStore();

/** Every page of the feed after `cursor`, as the device would get them, without applying any. */
async function feedAfter(client: HqClient, cursor: number, limit: number) {
  const changes = [];
  let remaining: number | null = null;
  for (let after = cursor, first = true; ; first = false) {
    const page = await client.pull(after, limit, { count: first });
    if (first) remaining = page.remaining;
    changes.push(...page.changes);
    expect(page.cursor).toBeGreaterThanOrEqual(after);
    after = page.cursor;
    if (!page.hasMore) break;
  }
  return { changes, remaining };
}

describe.each(['pglite', 'postgres'] as const)('the change feed (%s)', (backend) => {
  const sandbox = profileSandbox(secrets);
  let cluster: PostgresCluster | undefined;
  let hq: HqEnv;
  let server: RunningHq;
  let admin: ReturnType<typeof hqAdmin>;
  let vault: Vault;
  let client: HqClient;

  beforeAll(async () => {
    hq = { dataDir: join(sandbox.path, 'hq') };
    if (backend === 'postgres') {
      cluster = await startPostgres();
      hq.databaseUrl = cluster.url;
    }
    const seeded = hqCommand(hq, ['seed', '--customers', '80', '--branches', '2', '--seed', '16']);
    expect(seeded.status, seeded.stderr).toBe(0);
    const code = hqCommand(hq, ['enroll-code', '--branch', 'B001']).stdout.trim();
    const account = addHqUser(hq);
    server = await startHq(hq);
    admin = hqAdmin(() => server.url, account);
    const dataDir = join(sandbox.path, 'device');
    const enrollment = await enrollDevice(dataDir, secrets, { hqUrl: server.url, code });
    sandbox.forget(enrollment.profileId);
    vault = openVault(dataDir, secrets);
    client = deviceClient(vault, secrets);
  }, 180_000);
  afterAll(async () => {
    vault?.close();
    await server?.stop();
    cluster?.stop();
    sandbox.cleanup();
  });

  const scopeIds = async () => [...(await admin.scope('B001')).keys()].sort();

  it('sends each in-scope customer once on an initial sync, however many changes each had', async () => {
    const ids = await scopeIds();
    // History: four more changes to each of the first ten, and one that leaves and comes back.
    for (const [index, id] of ids.slice(0, 10).entries())
      for (let change = 1; change <= 4; change++)
        await admin.edit(id, { email: `history.${index}.${change}@example.com` });
    const [away] = ids.slice(-1);
    await admin.reassign(away!, 'B002', null);
    await admin.reassign(away!, 'B001', null);

    const { changes, remaining } = await feedAfter(client, 0, 7);
    const sent = changes.map((change) => change.customerId);
    expect(new Set(sent).size).toBe(sent.length);
    expect(sent.sort()).toEqual(await scopeIds());
    expect(changes.every((change) => change.inScope)).toBe(true);
    expect(remaining).toBe(sent.length);

    const pulled = await pullChanges(vault, client, { pageSize: 7 });
    expect(pulled).toMatchObject({ inserted: sent.length, updated: 0, removed: 0 });
    expect(pulled.scope).toMatchObject({ mismatchedBuckets: 0 });
  });

  it('sends each changed customer once on a delta, in its newest state, evictions too', async () => {
    const ids = await scopeIds();
    const [edited, leaving, returning] = ids;
    for (let change = 1; change <= 3; change++)
      await admin.edit(edited!, { email: `delta.${change}@example.com` });
    await admin.reassign(leaving!, 'B002', null);
    await admin.reassign(returning!, 'B002', null);
    await admin.edit(returning!, { email: 'returned@example.com' });
    await admin.reassign(returning!, 'B001', null);

    const { changes, remaining } = await feedAfter(client, syncCursor(vault), 2);
    expect(remaining).toBe(3);
    const byId = new Map(changes.map((change) => [change.customerId, change]));
    expect(changes).toHaveLength(3);
    const scope = await admin.scope('B001');
    expect(byId.get(edited!)).toMatchObject({
      inScope: true,
      version: scope.get(edited!)!.version,
    });
    expect(byId.get(leaving!)).toMatchObject({ inScope: false, customer: null });
    expect(byId.get(returning!)).toMatchObject({
      inScope: true,
      version: scope.get(returning!)!.version,
      customer: expect.objectContaining({ email: 'returned@example.com' }),
    });

    const pulled = await pullChanges(vault, client);
    expect(pulled).toMatchObject({ inserted: 0, updated: 2, removed: 1 });
    expect(pulled.scope).toMatchObject({ mismatchedBuckets: 0 });
    const held = vault.db.prepare('SELECT id FROM customer ORDER BY id').pluck().all();
    expect(held).toEqual([...scope.keys()].sort());
  });

  it.runIf(backend === 'postgres')(
    'never skips a change whose writer took its seq before a later one committed',
    async () => {
      const ids = await scopeIds();
      const [late, early] = ids.slice(5, 7);
      // A second writer at HQ's database: takes its change_seq, logs the scope as HQ does, and
      // commits only when told, while HQ commits an edit with a later seq and the device pulls.
      const db = await openDatabase({ databaseUrl: hq.databaseUrl!, dataDir: sandbox.path });
      let commit = () => {};
      const released = new Promise<void>((resolve) => (commit = resolve));
      let taken = () => {};
      const seqTaken = new Promise<void>((resolve) => (taken = resolve));
      try {
        const writer = db.transaction(async (tx) => {
          await tx.query(
            `UPDATE customer SET version = version + 1, change_seq = nextval('change_seq'),
               record = record || jsonb_build_object('version', version + 1, 'email', 'late@example.com')
             WHERE id = $1`,
            [late],
          );
          await logScope(tx, [late!]);
          taken();
          await released;
        });
        await seqTaken;
        await admin.edit(early!, { email: 'early@example.com' });
        const first = await pullChanges(vault, client);
        commit();
        await writer;

        const { changes } = await feedAfter(client, syncCursor(vault), 100);
        const fromFirst = first.updated;
        // The late change comes now, whether or not the early one came with the first pull.
        expect(changes.map((change) => change.customerId)).toContain(late);
        expect(fromFirst + changes.length).toBe(2);
        const second = await pullChanges(vault, client);
        expect(second.scope).toMatchObject({ mismatchedBuckets: 0 });
      } finally {
        commit();
        await db.close();
      }
    },
    60_000,
  );
});
