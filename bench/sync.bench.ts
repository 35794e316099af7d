// `npm run bench -- sync`: sync against a real HQ process over loopback HTTP, on both of HQ's
// databases (embedded PGlite and a throwaway PostgreSQL cluster). For each backend, in one run:
//   - the initial sync of N customers into an encrypted vault as the core runs it (a snapshot,
//     then the pull from its cursor: electron/core/sync/snapshot.ts), with where its time went,
//     the client's peak RSS, and the p95 wait of searches arriving at random (every 100 ms on
//     average) while it runs; the rows HQ sent must be the customers in scope, once each;
//   - the floor beside it: the finished vault written once more, whole and encrypted (VACUUM
//     INTO a new file), and the vault's bytes per customer;
//   - a delta pull of 1k customers changed twice each at HQ (rows: the 1k changed customers);
//   - a push of 1k local edits;
// each by a client in a process of its own (bench/sync-client.ts), so the peak RSS is its own,
// run from an esbuild bundle as the app runs the core (through tsx, loading the TypeScript
// alone held ~47 MB more); and once, the device's check of a record HQ sends, in µs per record.
// Beside each initial sync, the CPU the client (every thread) and HQ (with PostgreSQL's server)
// used meanwhile; and once, the CPU of the device's necessary steps alone (parsing, checking,
// the vault's JSON, search terms, deflating, the content hash: deviceStepsAloneCpuMs). With the
// floor and HQ's CPU they give the least time any design could take on this machine's cores.
//
//   --customers N     customers at HQ, all in the device's branch (default 100000)
//   --history N       changes each customer has had at HQ before the first sync (default 1)
//   --skip-postgres   PGlite only (no PostgreSQL server binaries needed)
//   --skip-pglite     PostgreSQL only (a million customers seed far faster there)
//
// BENCH_SYNC_PROFILE=DIR writes a CPU profile of each client's delta pull there.
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { sha256Hex } from '../electron/core/audit/log';
import { customerJson, customerTerms, packCustomerJson } from '../electron/core/customers';
import { checkMasterRecord, type Customer } from '../shared/customer';
import { recordHash } from '../shared/sync/record-hash';
import { openDatabase } from '../hq/db/database';
import { logScope } from '../hq/scope';
import { generateCustomers } from '../shared/synthetic';
import { tempDir } from '../test/support/files';
import { addHqUser, hqCommand, signInHq, startHq, type HqEnv } from '../test/support/hq';
import { startPostgres, type PostgresCluster } from '../test/support/postgres';
import { bundleScripts } from '../scripts/build-node.mjs';
import type { SyncClientJob } from './sync-client';
import type { summarize } from './support';
import { report, round, timeMs } from './support';

// The client, bundled once per run (scripts/build-node.mjs).
const { client: clientScript } = await bundleScripts(
  { client: 'bench/sync-client.ts' },
  fileURLToPath(new URL('../out/bench-node', import.meta.url)),
);

/** What bench/sync-client.ts prints. */
interface ClientResults {
  initial_sync: {
    ms: number;
    customers_per_s: number;
    chunks: number;
    peak_rss_mb: number;
    steps_ms: Record<string, number> | null;
    /** CPU of the client's every thread, and of HQ's process (with PostgreSQL's), meanwhile. */
    client_cpu_ms: number;
    hq_cpu_ms: number | null;
  };
  floor: { vacuum_into_ms: number };
  vault: { bytes: number; bytes_per_customer: number };
  initial: { rows: number; customers_in_scope: number };
  search_during_sync: ReturnType<typeof summarize>;
  delta_pull_1k: { ms: number; waiting_for_hq_ms: number };
  delta: { rows: number; bytes: number; changes_made: number; changed_customers: number };
  push_1k: { ms: number; mutations_per_s: number };
}

const { values } = parseArgs({
  options: {
    customers: { type: 'string', default: '100000' },
    history: { type: 'string', default: '1' },
    'skip-postgres': { type: 'boolean', default: false },
    'skip-pglite': { type: 'boolean', default: false },
  },
});
const CUSTOMERS = Number(values.customers);
const SEED = 2026;
const DELTA = 1000;
/**
 * Changes each customer has had at HQ before the device's first sync (the seed is the first).
 * The snapshot reads each customer once whatever its history; more than 1 shows the feed's own
 * folding (sync-pull and change-feed tests check it) and costs minutes of seeding on PGlite.
 */
const HISTORY = Number(values.history);

const dir = tempDir('branchdesk-bench-sync-');
const clusters: PostgresCluster[] = [];

/** Search queries a teller would type, taken from the customers being synced. */
function queriesFrom(customers: Customer[]): string[] {
  return customers
    .slice(0, 200)
    .flatMap((customer) => [
      customer.legalName,
      customer.identityDocuments[0]?.number.slice(-6) ?? customer.customerNumber,
      customer.phones[0]?.e164.slice(-11) ?? customer.customerNumber,
    ]);
}

/**
 * The device's necessary work per customer of an initial sync, each step alone, in this one
 * thread (ms of CPU): what any design must do with every record HQ sends before it is written.
 * Chunks of 250 records as HQ sends them, each parsed, checked, made into the three JSON texts
 * the vault keeps, given its search terms, its texts deflated (customers/record-codec.ts) and
 * its content hash worked out as HQ sent it. Writing is not here: the floor is its lower bound.
 */
function deviceStepsAloneCpuMs(count: number): Record<string, number> {
  const steps: Record<string, number> = {
    parse: 0,
    check: 0,
    json: 0,
    terms: 0,
    deflate: 0,
    hash: 0,
  };
  const step = <T>(name: string, work: () => T): T => {
    const before = process.cpuUsage();
    const result = work();
    const used = process.cpuUsage(before);
    steps[name]! += (used.user + used.system) / 1000;
    return result;
  };
  let chunk: Customer[] = [];
  const measure = () => {
    const body = JSON.stringify({ customers: chunk });
    const sent = step('parse', () => (JSON.parse(body) as { customers: unknown[] }).customers);
    const checked = step('check', () => sent.map((record) => checkMasterRecord(record)!));
    const texts = step('json', () => checked.map((customer) => customerJson(customer)));
    step('terms', () => checked.map((customer) => customerTerms(customer)));
    step('deflate', () => texts.map((json) => packCustomerJson(json)));
    step('hash', () => sent.map((record) => recordHash(sha256Hex, record)));
    chunk = [];
  };
  for (const customer of generateCustomers({
    seed: SEED,
    count,
    branches: ['B001'],
    rmsPerBranch: 8,
  })) {
    chunk.push(customer);
    if (chunk.length === 250) measure();
  }
  if (chunk.length > 0) measure();
  return Object.fromEntries(Object.entries(steps).map(([name, ms]) => [name, Math.round(ms)]));
}

async function timeMsAsync(work: () => Promise<void>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

/**
 * Gives every customer HISTORY - 1 more changes at HQ, each a new version logged in the scope
 * as HQ logs an edit (hq/scope.ts logScope), straight in HQ's database while HQ is stopped.
 */
async function seedHistory(hq: HqEnv): Promise<void> {
  const db = await openDatabase({ databaseUrl: hq.databaseUrl, dataDir: hq.dataDir });
  try {
    const ids = (await db.query<{ id: string }>('SELECT id FROM customer ORDER BY id')).map(
      (row) => row.id,
    );
    for (let change = 2; change <= HISTORY; change++)
      for (let start = 0; start < ids.length; start += 5000) {
        const batch = ids.slice(start, start + 5000);
        await db.transaction(async (tx) => {
          await tx.query(
            `UPDATE customer SET version = version + 1, change_seq = next_change_seq(),
               record = record || jsonb_build_object('version', version + 1)
             WHERE id = ANY($1::uuid[])`,
            [batch],
          );
          await logScope(tx, batch);
        });
      }
  } finally {
    await db.close();
  }
}

async function measureBackend(backend: 'pglite' | 'postgres', queries: string[]) {
  // The delta step's 2,000 staff edits come from one HQ session, faster than a person types.
  const hq: HqEnv = {
    dataDir: join(dir.path, `hq-${backend}`),
    extraEnv: { HQ_RATE_LIMIT_PER_MINUTE: '100000' },
  };
  let cluster: PostgresCluster | undefined;
  if (backend === 'postgres') {
    cluster = await startPostgres();
    clusters.push(cluster);
    hq.databaseUrl = cluster.url;
  }
  const seedMs = timeMs(() => {
    const seeded = hqCommand(
      hq,
      ['seed', '--customers', String(CUSTOMERS), '--branches', '1', '--seed', String(SEED)],
      { timeoutMs: 3_600_000 },
    );
    if (seeded.status !== 0) throw new Error(seeded.stderr);
  });
  const historyMs = await timeMsAsync(() => seedHistory(hq));
  const code = hqCommand(hq, ['enroll-code', '--branch', 'B001']).stdout.trim();
  const account = addHqUser(hq);
  const server = await startHq(hq);
  try {
    const job: SyncClientJob = {
      hqUrl: server.url,
      // The client (another process) acts in this HQ administrator's session.
      adminToken: await signInHq(server.url, account),
      enrollmentCode: code,
      branchDir: join(dir.path, `branch-${backend}`),
      customers: CUSTOMERS,
      delta: DELTA,
      queries,
      hqPid: server.pid,
      ...(cluster ? { databasePid: cluster.serverPid() } : {}),
    };
    // Not spawnSync: HQ's log goes to a pipe this process must keep reading meanwhile.
    const child = spawn(process.execPath, [clientScript], {
      env: { ...process.env, BENCH_SYNC_CLIENT: JSON.stringify(job) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let printed = '';
    child.stdout.on('data', (chunk: Buffer) => (printed += chunk.toString()));
    const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
    if (status !== 0) throw new Error(`the ${backend} client failed (${status})`);
    const measured = JSON.parse(printed.trim().split('\n').at(-1)!) as ClientResults;
    if (measured.initial.rows !== measured.initial.customers_in_scope)
      throw new Error(`initial sync sent ${measured.initial.rows} rows`);
    if (measured.delta.rows !== measured.delta.changed_customers)
      throw new Error(`delta pull sent ${measured.delta.rows} rows`);
    return {
      hq_seed_ms: Math.round(seedMs),
      hq_history_ms: Math.round(historyMs),
      ...measured,
    };
  } finally {
    await server.stop();
  }
}

try {
  // The generator is deterministic per index: the first 200 are the same as HQ's first 200.
  const queries = queriesFrom([
    ...generateCustomers({ seed: SEED, count: 200, branches: ['B001'], rmsPerBranch: 8 }),
  ]);
  const backends = (['pglite', 'postgres'] as const).filter(
    (backend) => !values[`skip-${backend}`],
  );
  const measured: Record<string, Awaited<ReturnType<typeof measureBackend>>> = {};
  for (const backend of backends) measured[backend] = await measureBackend(backend, queries);

  // --- what the device's check of each record HQ sends costs, on its own ---
  const records = [
    ...generateCustomers({ seed: SEED, count: 20_000, branches: ['B001'], rmsPerBranch: 8 }),
  ].map((customer) => JSON.parse(JSON.stringify(customer)) as unknown);
  for (const record of records.slice(0, 2000)) checkMasterRecord(record); // warm up
  const checkMs = timeMs(() => {
    for (const record of records) if (!checkMasterRecord(record)) throw new Error('refused');
  });
  const validationUs = round((checkMs * 1000) / records.length, 1);

  // --- why the sync is where it is: its CPU against the work no design can skip ---
  const stepsAlone = deviceStepsAloneCpuMs(CUSTOMERS);
  const stepsAloneMs = Object.values(stepsAlone).reduce((sum, ms) => sum + ms, 0);
  const cores = availableParallelism();
  /**
   * The least wall time an initial sync could take here: the device's steps alone, the floor
   * (writing the finished vault once) and HQ's CPU during this run's sync, spread perfectly
   * over every core. Null where HQ's CPU could not be read.
   */
  const lowerBoundMs = (r: (typeof measured)[string]) =>
    r.initial_sync.hq_cpu_ms === null
      ? null
      : Math.round((stepsAloneMs + r.floor.vacuum_into_ms + r.initial_sync.hq_cpu_ms) / cores);

  const results = {
    customers: CUSTOMERS,
    history_changes_per_customer: HISTORY,
    ...measured,
    validation: { us_per_record: validationUs },
    device_steps_alone_cpu_ms: { ...stepsAlone, total: stepsAloneMs },
    cores,
    lower_bound_ms: Object.fromEntries(
      Object.entries(measured).map(([backend, result]) => [backend, lowerBoundMs(result)]),
    ),
    ratios: Object.fromEntries(
      Object.entries(measured).flatMap(([backend, result]) => {
        const bound = lowerBoundMs(result);
        return [
          [
            `${backend}_sync_vs_floor`,
            round(result.initial_sync.ms / result.floor.vacuum_into_ms, 2),
          ],
          [
            `${backend}_lower_bound_vs_floor`,
            bound === null ? null : round(bound / result.floor.vacuum_into_ms, 2),
          ],
        ];
      }),
    ),
    targets: {
      sync_vs_floor_ratio_max: 3,
      vault_bytes_per_customer_max: 2048,
      search_during_sync_p95_ms_max: 20,
      peak_rss_mb_max: 400,
      delta_pull_1k_ms_max: 1000,
    },
  };
  const rows: (string | number)[][] = [['measure', ...Object.keys(measured)]];
  const each = (label: string, pick: (r: (typeof measured)[string]) => string | number) =>
    rows.push([label, ...Object.values(measured).map(pick)]);
  each('HQ seed (ms)', (r) => r.hq_seed_ms);
  each('floor: VACUUM INTO of the synced vault (ms)', (r) => r.floor.vacuum_into_ms);
  each(`initial sync of ${CUSTOMERS} (ms)`, (r) => r.initial_sync.ms);
  each('  vs floor (target ≤ 3)', (r) => round(r.initial_sync.ms / r.floor.vacuum_into_ms, 2));
  for (const step of ['waiting', 'checking', 'packing', 'writing', 'indexing', 'switching'])
    each(`  snapshot: ${step} (ms)`, (r) => r.initial_sync.steps_ms?.[step] ?? '-');
  each('  CPU of the client, all its threads (ms)', (r) => r.initial_sync.client_cpu_ms);
  each("  CPU of HQ (with PostgreSQL's server) (ms)", (r) => r.initial_sync.hq_cpu_ms ?? '-');
  each("  cores busy: that CPU / the sync's time", (r) =>
    r.initial_sync.hq_cpu_ms === null
      ? '-'
      : round((r.initial_sync.client_cpu_ms + r.initial_sync.hq_cpu_ms) / r.initial_sync.ms, 2),
  );
  each('  customers/s', (r) => r.initial_sync.customers_per_s);
  each('  client peak RSS (MB, target < 400)', (r) => r.initial_sync.peak_rss_mb);
  each(`  rows sent (customers in scope: ${CUSTOMERS})`, (r) => r.initial.rows);
  each('vault bytes per customer (target ≤ 2048)', (r) => r.vault.bytes_per_customer);
  each('search p95 during sync (ms, target ≤ 20)', (r) => r.search_during_sync.p95_ms);
  each('delta pull of 1k customers changed twice (ms, target ≤ 1000)', (r) => r.delta_pull_1k.ms);
  each(
    '  of it: waiting for HQ (its page and scope digest) (ms)',
    (r) => r.delta_pull_1k.waiting_for_hq_ms,
  );
  each('  rows sent (changed customers: 1000)', (r) => r.delta.rows);
  each('  bytes sent (JSON)', (r) => r.delta.bytes);
  each('push of 1k mutations (ms)', (r) => r.push_1k.ms);
  rows.push(['validation (µs per record)', ...Object.keys(measured).map(() => validationUs)]);
  const all = (label: string, value: string | number) =>
    rows.push([label, ...Object.keys(measured).map(() => value)]);
  all(`device's steps alone, CPU for ${CUSTOMERS} (ms)`, stepsAloneMs);
  for (const [name, ms] of Object.entries(stepsAlone)) all(`  ${name} (ms)`, ms);
  each(
    `lower bound: (steps alone + floor + HQ's CPU) / ${cores} cores (ms)`,
    (r) => lowerBoundMs(r) ?? '-',
  );
  each('  vs floor', (r) => {
    const bound = lowerBoundMs(r);
    return bound === null ? '-' : round(bound / r.floor.vacuum_into_ms, 2);
  });
  report('sync', rows, results);
} finally {
  for (const cluster of clusters) cluster.stop();
  dir.cleanup();
}
