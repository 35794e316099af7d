// HQ at scale: three stateless HQ instances on one PostgreSQL cluster behind a round-robin load
// balancer. They start together (the migrations take turns); a device's consecutive calls land
// on different instances and the outcomes are a single instance's; a push whose instance dies
// mid-request is retried on another and applies exactly once; a change pushed through one
// instance nudges a device streaming from another, which then holds it in seconds; rate limits
// are counted across instances; operators get probes, metrics, security headers and JSON logs
// without customer data.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CustomerService } from '../../../electron/core/customers';
import { deviceAccount, enrollDevice } from '../../../electron/core/device/enrollment';
import { HqClient } from '../../../electron/core/hq-client/client';
import { ChangeStream } from '../../../electron/core/sync/change-stream';
import { SyncScheduler, syncRound } from '../../../electron/core/sync/engine';
import { SyncState } from '../../../electron/core/sync/outbox';
import { openVault, type Vault } from '../../../electron/core/vault';
import { openDatabase } from '../../../hq/db/database';
import { scopeDigest } from '../../../hq/scope-digest';
import { startBalancer, type Balancer } from '../../support/balancer';
import {
  hqCommand,
  hqCommandInBackground,
  startHq,
  type HqEnv,
  type RunningHq,
} from '../../support/hq';
import { profileSandbox, realSecretStore } from '../../support/keyring';
import { freePort, startPostgres, type PostgresCluster } from '../../support/postgres';

const secrets = realSecretStore();
const INSTANCES = 3;

describe('HQ as three instances on one PostgreSQL', () => {
  const sandbox = profileSandbox(secrets);
  let cluster: PostgresCluster;
  let hq: HqEnv;
  let db: pg.Pool;
  const instances: RunningHq[] = [];
  const ports: number[] = [];
  const metricsPorts: number[] = [];
  const earlierLogs: string[] = [];
  let balancer: Balancer;
  const vaults: Vault[] = [];

  const start = async (index: number) => {
    // Instance 0 listens through an address of its own, as behind a pooler in transaction mode.
    const listener = new URL(cluster.url);
    listener.searchParams.set('application_name', 'hq-listener-0');
    const env =
      index === 0 ? { ...hq, extraEnv: { HQ_LISTEN_DATABASE_URL: listener.toString() } } : hq;
    instances[index] = await startHq(env, {
      port: ports[index],
      args: ['--metrics-port', String(metricsPorts[index])],
    });
    return instances[index]!;
  };

  async function enrolled(name: string): Promise<Vault> {
    // Not hqCommand: it would stall the balancer, which runs in this process (see there).
    const code = (
      await hqCommandInBackground(hq, ['enroll-code', '--branch', 'B001'])
    ).stdout.trim();
    const dataDir = join(sandbox.path, name);
    const enrollment = await enrollDevice(dataDir, secrets, {
      hqUrl: balancer.url,
      code,
      deviceName: name,
    });
    sandbox.forget(enrollment.profileId);
    const vault = openVault(dataDir, secrets);
    vaults.push(vault);
    return vault;
  }

  /** Customers only B001 holds, individuals: the edits' targets. */
  async function branchCustomers(count: number, offset: number): Promise<string[]> {
    const { rows } = await db.query<{ id: string }>(
      `SELECT id FROM customer
       WHERE home_branch_id = 'B001' AND merged_into IS NULL AND record->>'kind' = 'individual'
         AND (assigned_rm_id IS NULL OR assigned_rm_id LIKE 'B001-%')
       ORDER BY id OFFSET $1 LIMIT $2`,
      [offset, count],
    );
    return rows.map((row) => row.id);
  }

  const edit = (vault: Vault, id: string, changes: Record<string, unknown>) => {
    const customers = new CustomerService(vault);
    const { customer } = customers.show({ id });
    return customers.update(id, customer.version, changes, { id: 'os-teller' });
  };

  beforeAll(async () => {
    cluster = await startPostgres();
    hq = { dataDir: join(sandbox.path, 'hq'), databaseUrl: cluster.url };
    db = new pg.Pool({ connectionString: cluster.url, max: 2 });
    for (let i = 0; i < INSTANCES; i++) {
      ports.push(await freePort());
      metricsPorts.push(await freePort());
    }
    // All three start at once on an empty database: each runs the migrations, taking turns.
    await Promise.all([0, 1, 2].map((i) => start(i)));
    const seeded = hqCommand(hq, ['seed', '--customers', '600', '--branches', '2', '--seed', '22']);
    expect(seeded.status, seeded.stderr).toBe(0);
    balancer = await startBalancer(instances.map((instance) => instance.url));
  }, 240_000);

  afterAll(async () => {
    for (const vault of vaults) vault.close();
    await balancer?.close();
    await Promise.all(instances.map((instance) => instance?.stop()));
    await db?.end();
    cluster?.stop();
    sandbox.cleanup();
  });

  it('applied each migration once although three instances migrated at once', async () => {
    const { rows } = await db.query<{ version: number; n: string }>(
      'SELECT version, count(*) AS n FROM schema_migration GROUP BY version ORDER BY version',
    );
    expect(rows.length).toBeGreaterThanOrEqual(26);
    expect(rows.every((row) => Number(row.n) === 1)).toBe(true);
    for (const instance of instances) {
      const ready = await fetch(`${instance.url}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({
        status: 'ready',
        migration: rows.at(-1)!.version,
      });
      expect((await fetch(`${instance.url}/healthz`)).status).toBe(200);
    }
  });

  it('syncs a device whose consecutive calls go to different instances, as one instance would', async () => {
    const vault = await enrolled('device-a');
    const first = await syncRound(vault, secrets);
    expect(first.pull.scope?.mismatchedBuckets ?? 0).toBe(0);
    // The enrollment, the snapshot and the pulls went through every instance.
    const used = new Set(balancer.log.map((line) => line.split(' -> ')[1]));
    expect(used.size).toBe(INSTANCES);

    const [id] = await branchCustomers(1, 0);
    edit(vault, id!, { email: 'rotated@example.com' });
    const round = await syncRound(vault, secrets);
    expect(round.push).toMatchObject({ pushed: 1, applied: 1 });
    const { rows } = await db.query<{ email: string; version: number }>(
      "SELECT record->>'email' AS email, version FROM customer WHERE id = $1",
      [id],
    );
    expect(rows[0]!.email).toBe('rotated@example.com');
    // The device holds exactly what HQ holds for the branch: the digest check found nothing.
    const again = await syncRound(vault, secrets);
    expect(again.pull.scope).toMatchObject({ mismatchedBuckets: 0, fetched: 0, removed: 0 });
    // The digest pulls share (HQ migration 27) is of the branch's newest feed row, and is the one
    // computed afresh.
    const hqDb = await openDatabase({ databaseUrl: cluster.url, dataDir: sandbox.path });
    try {
      const [stored] = await hqDb.query<{ through_seq: string; buckets: unknown; newest: string }>(
        `SELECT d.through_seq, d.buckets,
                (SELECT max(seq) FROM scope_change WHERE branch_id = 'B001') AS newest
         FROM scope_digest d WHERE d.branch_id = 'B001'`,
      );
      expect(stored!.through_seq).toBe(stored!.newest);
      const fresh = await hqDb.transaction((tx) => scopeDigest(tx, 'B001'));
      expect(stored!.buckets).toEqual(fresh.buckets);
    } finally {
      await hqDb.close();
    }
  });

  it('applies a push exactly once when its instance dies mid-request and another takes the retry', async () => {
    const vault = vaults[0]!;
    const ids = await branchCustomers(40, 10);
    // The instance each push lands on is killed a moment after the request reaches it: before,
    // during or after its transaction, whichever the moment hits; its answer never arrives.
    for (const [round, delay] of [0, 15, 60, 250].entries()) {
      const batch = ids.slice(round * 10, round * 10 + 10);
      const before = new Map(
        (
          await db.query<{ id: string; version: number }>(
            'SELECT id, version FROM customer WHERE id = ANY($1)',
            [batch],
          )
        ).rows.map((row) => [row.id, row.version]),
      );
      for (const id of batch)
        edit(vault, id, { email: `round${round}-${id.slice(0, 8)}@example.com` });
      const pending = new SyncState(vault).next(100).map((entry) => entry.mutation.mutationId);
      expect(pending).toHaveLength(10);
      let killed: number | undefined;
      const logFrom = balancer.log.length;
      balancer.onForward = ({ method, path, target }) => {
        if (killed !== undefined || method !== 'POST' || !path.startsWith('/v1/mutations')) return;
        killed = target;
        setTimeout(() => void instances[target]!.kill(), delay);
        return 'drop'; // whatever the instance managed, its answer never arrives
      };
      // The client retries a call whose answer never came; the round may still fail if the
      // retry met the dying instance too: then the next round pushes the same mutations again.
      let pushed = false;
      for (let attempt = 0; attempt < 3 && !pushed; attempt++) {
        pushed = await syncRound(vault, secrets).then(
          () => true,
          () => false,
        );
      }
      balancer.onForward = undefined;
      expect(pushed).toBe(true);
      expect(killed).toBeDefined();
      const pushedTo = balancer.log
        .slice(logFrom)
        .filter((line) => line.startsWith('POST /v1/mutations'))
        .map((line) => Number(line.split(' -> ')[1]));
      // The push was sent again, to an instance that was not the one killed.
      expect(pushedTo.length).toBeGreaterThanOrEqual(2);
      expect(pushedTo.slice(1).some((target) => target !== killed)).toBe(true);
      earlierLogs.push(instances[killed!]!.output());
      await start(killed!);
      expect(new SyncState(vault).next(100)).toHaveLength(0);
      // One stored outcome each, applied, and each customer one version on.
      const stored = await db.query<{ mutation_id: string; status: string }>(
        "SELECT mutation_id, outcome->>'status' AS status FROM mutation WHERE mutation_id = ANY($1)",
        [pending],
      );
      expect(stored.rows.map((row) => row.mutation_id).sort()).toEqual([...pending].sort());
      expect(stored.rows.every((row) => row.status === 'applied')).toBe(true);
      const after = await db.query<{ id: string; version: number; email: string }>(
        "SELECT id, version, record->>'email' AS email FROM customer WHERE id = ANY($1)",
        [batch],
      );
      for (const row of after.rows) {
        expect(row.version).toBe(before.get(row.id)! + 1);
        expect(row.email).toBe(`round${round}-${row.id.slice(0, 8)}@example.com`);
      }
    }
  }, 240_000);

  it('nudges a device streaming from one instance when a change is pushed through another', async () => {
    const watcher = await enrolled('device-watcher');
    const writer = await enrolled('device-writer');
    await syncRound(watcher, secrets);
    await syncRound(writer, secrets);
    // The watcher polls every ten minutes: only the nudge can bring the change in time.
    const scheduler = new SyncScheduler(() => syncRound(watcher, secrets), {
      intervalMs: 10 * 60_000,
    });
    let nudges = 0;
    // Straight to instance 0, which none of the writer's calls reach.
    const stream = new ChangeStream(
      instances[0]!.url,
      `Device ${secrets.get(deviceAccount(watcher.profileId))}`,
      () => {
        nudges++;
        scheduler.nudge();
      },
    );
    scheduler.start();
    stream.start();
    try {
      // The stream's opening is a nudge of its own (spread over up to 300 ms), and a round.
      await expect.poll(() => nudges, { timeout: 10_000 }).toBe(1);
      await expect.poll(() => scheduler.state.running, { timeout: 10_000 }).toBe(false);
      const [id] = await branchCustomers(1, 60);
      const email = `nudged-${randomUUID().slice(0, 8)}@example.com`;
      edit(writer, id!, { email });
      // Pushed straight to instance 2, which does not hold the watcher's stream.
      await syncRound(writer, secrets, { client: deviceClientAt(writer, instances[2]!.url) });
      const sent = Date.now();
      await expect
        .poll(() => new CustomerService(watcher).show({ id: id! }).customer.email, {
          timeout: 10_000,
          interval: 50,
        })
        .toBe(email);
      expect(nudges).toBe(2); // the stream's opening, then the change
      // Instance 0 heard the change on the address it was given for listening: one connection
      // there, its listener (the pool's connections use DATABASE_URL).
      const { rows: listeners } = await db.query<{ pid: number }>(
        `SELECT pid FROM pg_stat_activity WHERE application_name = 'hq-listener-0'`,
      );
      expect(listeners).toHaveLength(1);
      expect(Date.now() - sent).toBeLessThan(10_000);
    } finally {
      stream.stop();
      await scheduler.stop();
    }
  });

  it('counts a rate limit across instances: the twenty-first sign-in a minute is refused wherever it lands', async () => {
    const statuses: number[] = [];
    let refused: Response | undefined;
    for (let i = 0; i < 24; i++) {
      const response = await fetch(`${balancer.url}/v1/admin/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          username: 'no-such-admin',
          password: 'x'.repeat(12),
          totp: '000000',
        }),
      });
      statuses.push(response.status);
      if (response.status === 429) refused ??= response;
      else await response.arrayBuffer();
    }
    expect(statuses.slice(0, 20).every((status) => status === 401)).toBe(true);
    expect(statuses.slice(20)).toEqual([429, 429, 429, 429]);
    expect(Number(refused!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await refused!.json()).toMatchObject({ code: 'RATE_LIMITED' });
  });

  it('refuses to serve with a metrics port or a listening address that is no such thing, in words', () => {
    for (const [name, value] of [
      ['HQ_METRICS_PORT', 'ninety'],
      ['HQ_LISTEN_DATABASE_URL', 'localhost:5432'],
    ] as const) {
      const run = hqCommand({ ...hq, extraEnv: { [name]: value } }, ['serve', '--port', '0']);
      expect(run.status, name).toBe(1);
      expect(run.stderr).toContain('INPUT_INVALID');
      expect(run.stderr).toContain(name);
    }
  });

  it('sends security headers, and serves metrics on a port of its own', async () => {
    const response = await fetch(`${instances[1]!.url}/healthz`);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('strict-transport-security')).toMatch(/max-age=/);
    expect(response.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    // Not on the devices' door.
    expect((await fetch(`${instances[1]!.url}/metrics`)).status).toBe(404);
    const texts = await Promise.all(
      metricsPorts.map(async (port) => (await fetch(`http://127.0.0.1:${port}/metrics`)).text()),
    );
    const all = texts.join('\n');
    expect(all).toMatch(/hq_http_request_duration_seconds_bucket\{[^}]*route="\/v1\/changes"/);
    expect(all).toMatch(/hq_sync_pages_total\{kind="snapshot"\} [1-9]/);
    expect(all).toMatch(/hq_mutations_total\{outcome="applied"\} [1-9]/);
    expect(all).toMatch(/hq_rate_limited_total\{kind="signin"\} [1-9]/);
    expect(all).toMatch(/hq_db_pool_connections\{state="max"\} 8/);
    expect(all).toMatch(/hq_connected_devices \d/);
    expect(all).toMatch(/hq_flagged_devices 0/);
  });

  it("logs JSON lines with request and device ids, never a customer's name, ID number or phone", async () => {
    const logs = [...earlierLogs, ...instances.map((instance) => instance.output())].join('\n');
    const lines = logs.split('\n').filter((line) => line.startsWith('{'));
    const requests = lines.map((line) => JSON.parse(line)).filter((line) => line.msg === 'request');
    expect(requests.length).toBeGreaterThan(50);
    expect(
      requests.some((line) => line.deviceId && line.reqId && line.route === '/v1/mutations'),
    ).toBe(true);
    const { rows } = await db.query<{ name: string; id_number: string; phone: string | null }>(
      `SELECT record->>'legalName' AS name, record->'identityDocuments'->0->>'number' AS id_number,
              record->'phones'->0->>'number' AS phone
       FROM customer WHERE home_branch_id = 'B001'`,
    );
    const needles = rows
      .flatMap((row) => [row.name, row.id_number, row.phone])
      .filter((value): value is string => typeof value === 'string' && value.length >= 2);
    expect(needles.length).toBeGreaterThan(300);
    for (const needle of needles) expect(logs).not.toContain(needle);
  });
});

/** The device's client, at one instance's address instead of the balancer's. */
function deviceClientAt(vault: Vault, url: string): HqClient {
  return new HqClient(url, `Device ${secrets.get(deviceAccount(vault.profileId))}`);
}

describe('the change stream on embedded PGlite (one instance)', () => {
  const sandbox = profileSandbox(secrets);
  let server: RunningHq;
  const vaults: Vault[] = [];

  afterAll(async () => {
    for (const vault of vaults) vault.close();
    await server?.stop();
    sandbox.cleanup();
  });

  it('nudges a connected device when another pushes a change for its branch', async () => {
    const hq: HqEnv = { dataDir: join(sandbox.path, 'hq') };
    expect(
      hqCommand(hq, ['seed', '--customers', '200', '--branches', '1', '--seed', '3']).status,
    ).toBe(0);
    const codes = [0, 1].map(() =>
      hqCommand(hq, ['enroll-code', '--branch', 'B001']).stdout.trim(),
    );
    server = await startHq(hq);
    for (const [index, code] of codes.entries()) {
      const dataDir = join(sandbox.path, `device-${index}`);
      const enrollment = await enrollDevice(dataDir, secrets, { hqUrl: server.url, code });
      sandbox.forget(enrollment.profileId);
      vaults.push(openVault(dataDir, secrets));
    }
    const [watcher, writer] = vaults as [Vault, Vault];
    await syncRound(watcher, secrets);
    await syncRound(writer, secrets);
    let nudges = 0;
    const stream = new ChangeStream(
      server.url,
      `Device ${secrets.get(deviceAccount(watcher.profileId))}`,
      () => nudges++,
    );
    stream.start();
    try {
      await expect.poll(() => nudges, { timeout: 10_000 }).toBe(1); // the stream opened
      const id = writer.db
        .prepare('SELECT id FROM customer ORDER BY id LIMIT 1')
        .pluck()
        .get() as string;
      const customers = new CustomerService(writer);
      const { customer } = customers.show({ id });
      customers.update(
        id,
        customer.version,
        { email: 'pglite-nudge@example.com' },
        { id: 'os-teller' },
      );
      await syncRound(writer, secrets);
      await expect.poll(() => nudges, { timeout: 10_000 }).toBe(2);
    } finally {
      stream.stop();
    }
    // Four runs of HQ on PGlite (a seed, two codes, the server), each opening the embedded
    // database: 34 s next to a full run here, over a minute on a busier one.
  }, 180_000);
});
