// `npm run bench -- sync`: sync against a real HQ process over loopback HTTP, on both of HQ's
// databases (embedded PGlite and a throwaway PostgreSQL cluster), beside the local limit. For
// each backend, in one run:
//   - initial sync of N customers into an encrypted vault, with the client's peak RSS, and the
//     p95 of searches issued every 25 ms while it runs (in the same process: the core is one
//     thread, so a search waits for the page being applied);
//   - delta pull of 1k changes made at HQ;
//   - push of 1k local edits;
// and once: the local limit, the same customers bulk-inserted straight into a vault (with and
// without validating each record as a pull does).
//
//   --customers N     customers at HQ, all in the device's branch (default 100000)
//   --skip-postgres   PGlite only (no PostgreSQL server binaries needed)
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CustomerService, CustomerStore } from '../electron/core/customers';
import { enrollDevice, forgetProfileSecrets } from '../electron/core/device/enrollment';
import { OsSecretStore } from '../electron/core/secrets';
import { deviceClient } from '../electron/core/sync/engine';
import { FOLD_RECENT_TERMS_AT, pullChanges } from '../electron/core/sync/pull';
import { pushOutbox } from '../electron/core/sync/push';
import { bulkLoad, createVault, openVault } from '../electron/core/vault';
import { customerSchema, type Customer } from '../shared/customer';
import { generateCustomers } from '../shared/synthetic';
import { tempDir } from '../test/support/files';
import { hqAdmin, hqCommand, startHq, type HqEnv } from '../test/support/hq';
import { startPostgres, type PostgresCluster } from '../test/support/postgres';
import { report, round, summarize, timeMs } from './support';

const { values } = parseArgs({
  options: {
    customers: { type: 'string', default: '100000' },
    'skip-postgres': { type: 'boolean', default: false },
  },
});
const CUSTOMERS = Number(values.customers);
const SEED = 2026;
const DELTA = 1000;
const ADMIN_TOKEN = 'bench-admin-token-0123456789abcdefghij';

const dir = tempDir('branchdesk-bench-sync-');
const secrets = new OsSecretStore();
const profiles: string[] = [];
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

async function measureBackend(backend: 'pglite' | 'postgres', queries: string[]) {
  const hq: HqEnv = { dataDir: join(dir.path, `hq-${backend}`), adminToken: ADMIN_TOKEN };
  if (backend === 'postgres') {
    const cluster = await startPostgres();
    clusters.push(cluster);
    hq.databaseUrl = cluster.url;
  }
  const seedMs = timeMs(() => {
    const seeded = hqCommand(hq, [
      'seed',
      '--customers',
      String(CUSTOMERS),
      '--branches',
      '1',
      '--seed',
      String(SEED),
    ]);
    if (seeded.status !== 0) throw new Error(seeded.stderr);
  });
  const code = hqCommand(hq, ['enroll-code', '--branch', 'B001']).stdout.trim();
  const server = await startHq(hq);
  try {
    const branchDir = join(dir.path, `branch-${backend}`);
    const enrollment = await enrollDevice(branchDir, secrets, {
      hqUrl: server.url,
      code,
      deviceName: 'bench',
    });
    profiles.push(enrollment.profileId);
    const vault = openVault(branchDir, secrets);
    const client = deviceClient(vault, secrets);
    const customers = new CustomerService(vault);

    // --- initial sync, with searches issued every 25 ms while it runs ---
    let peakRss = process.memoryUsage().rss;
    const latencies: number[] = [];
    let query = 0;
    let due = performance.now();
    let syncing = true;
    const searcher = setInterval(() => {
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
      // A search asked for at `due` answers when the thread is free: that wait counts.
      customers.search.search(queries[query++ % queries.length]!, { limit: 20, offset: 0 });
      latencies.push(performance.now() - due);
      due = performance.now() + 25;
    }, 25);
    const started = performance.now();
    const summary = await pullChanges(vault, client, { pageSize: 1000 });
    const syncMs = performance.now() - started;
    syncing = false;
    clearInterval(searcher);
    if (summary.inserted !== CUSTOMERS || syncing)
      throw new Error(`pulled ${summary.inserted}, expected ${CUSTOMERS}`);

    // --- delta pull: 1k customers changed at HQ ---
    const admin = hqAdmin(() => server.url, ADMIN_TOKEN);
    const ids = vault.db
      .prepare('SELECT id FROM customer ORDER BY customer_key LIMIT ?')
      .pluck()
      .all(DELTA) as string[];
    for (let start = 0; start < ids.length; start += 50)
      await Promise.all(
        ids
          .slice(start, start + 50)
          .map((id, index) => admin.edit(id, { email: `delta.${start + index}@example.com` })),
      );
    const deltaStarted = performance.now();
    const delta = await pullChanges(vault, client, { pageSize: 1000 });
    const deltaMs = performance.now() - deltaStarted;
    if (delta.updated !== DELTA) throw new Error(`delta pull updated ${delta.updated}`);

    // --- push: 1k local edits ---
    for (const [index, id] of ids.entries()) {
      const stored = customers.show({ id });
      customers.update(
        id,
        stored.customer.version,
        { email: `pushed.${index}@example.com` },
        { id: 'bench' },
      );
    }
    const pushStarted = performance.now();
    const pushed = await pushOutbox(vault, client);
    const pushMs = performance.now() - pushStarted;
    if (pushed.applied !== DELTA) throw new Error(`push applied ${pushed.applied}`);
    vault.close();

    return {
      hq_seed_ms: Math.round(seedMs),
      initial_sync: {
        ms: Math.round(syncMs),
        customers_per_s: Math.round(CUSTOMERS / (syncMs / 1000)),
        pages: summary.pages,
        peak_rss_mb: Math.round(peakRss / 2 ** 20),
      },
      search_during_sync: summarize(latencies),
      delta_pull_1k: { ms: Math.round(deltaMs) },
      push_1k: { ms: Math.round(pushMs), mutations_per_s: Math.round(DELTA / (pushMs / 1000)) },
    };
  } finally {
    await server.stop();
  }
}

try {
  // The generator is deterministic per index: the first 200 are the same as HQ's first 200. Only
  // those are in memory while the client is measured, so its peak RSS is the client's own.
  const queries = queriesFrom([
    ...generateCustomers({ seed: SEED, count: 200, branches: ['B001'], rmsPerBranch: 8 }),
  ]);
  const backends = values['skip-postgres']
    ? (['pglite'] as const)
    : (['pglite', 'postgres'] as const);
  const measured: Record<string, Awaited<ReturnType<typeof measureBackend>>> = {};
  for (const backend of backends) measured[backend] = await measureBackend(backend, queries);

  // --- the local limit: the same customers straight into a fresh vault ---
  const generated: Customer[] = [
    ...generateCustomers({ seed: SEED, count: CUSTOMERS, branches: ['B001'], rmsPerBranch: 8 }),
  ];
  const localLimit = (validate: boolean) => {
    const local = createVault(join(dir.path, validate ? 'local-validated' : 'local'), secrets);
    profiles.push(local.profileId);
    const store = new CustomerStore(local.db);
    const ms = timeMs(() =>
      bulkLoad(local.db, () => {
        for (let start = 0; start < generated.length; start += 1000) {
          const page = generated.slice(start, start + 1000);
          store.insertMany(
            validate ? page.map((c) => customerSchema.parse(JSON.parse(JSON.stringify(c)))) : page,
            { deferTerms: true },
          );
          if (store.recentTermCount() >= FOLD_RECENT_TERMS_AT) store.mergeRecentTerms();
        }
        store.mergeRecentTerms();
      }),
    );
    local.close();
    return ms;
  };
  const insertOnlyMs = localLimit(false);
  const validatedMs = localLimit(true);

  const results = {
    customers: CUSTOMERS,
    ...measured,
    local_limit: {
      insert_only_ms: Math.round(insertOnlyMs),
      validated_insert_ms: Math.round(validatedMs),
    },
    ratios: Object.fromEntries(
      Object.entries(measured).map(([backend, result]) => [
        `${backend}_sync_vs_local_insert`,
        round(result.initial_sync.ms / insertOnlyMs, 2),
      ]),
    ),
    targets: {
      initial_sync_100k_ms_max: 10_000,
      sync_vs_local_ratio_max: 4,
      search_during_sync_p95_ms_max: 50,
      peak_rss_mb_max: 400,
    },
  };
  const rows: (string | number)[][] = [['measure', ...Object.keys(measured)]];
  const each = (label: string, pick: (r: (typeof measured)[string]) => string | number) =>
    rows.push([label, ...Object.values(measured).map(pick)]);
  each('HQ seed (ms)', (r) => r.hq_seed_ms);
  each(`initial sync of ${CUSTOMERS} (ms)`, (r) => r.initial_sync.ms);
  each('  customers/s', (r) => r.initial_sync.customers_per_s);
  each('  vs local bulk insert (target ≤ 4)', (r) => round(r.initial_sync.ms / insertOnlyMs, 2));
  each('  client peak RSS (MB, target < 400)', (r) => r.initial_sync.peak_rss_mb);
  each('search p95 during sync (ms, target ≤ 50)', (r) => r.search_during_sync.p95_ms);
  each('delta pull of 1k changes (ms)', (r) => r.delta_pull_1k.ms);
  each('push of 1k mutations (ms)', (r) => r.push_1k.ms);
  rows.push([
    'local limit: bulk insert (ms)',
    ...Object.keys(measured).map(() => Math.round(insertOnlyMs)),
  ]);
  rows.push([
    'local: validate + insert (ms)',
    ...Object.keys(measured).map(() => Math.round(validatedMs)),
  ]);
  report('sync', rows, results);
} finally {
  for (const id of profiles) forgetProfileSecrets(id, secrets);
  for (const cluster of clusters) cluster.stop();
  dir.cleanup();
}
