// The branch side of `npm run bench -- sync`, in a process of its own so that its peak RSS is the
// client's alone: the bench process before it has seeded HQ, run another backend's client and
// will build the local limit's rows, and none of that may count here.
//
// Enrolls with the HQ at BENCH_SYNC_CLIENT's `hqUrl`, then measures, in this order: the initial
// sync (a snapshot, then the pull from its cursor) with searches arriving at random meanwhile (in this process: the core is one thread, so a
// search waits for whatever the sync is doing), a delta pull of `delta` customers changed twice
// each at HQ, and a push of `delta` local edits; the rows HQ sent (and the delta's JSON bytes);
// the floor (the finished vault written again with VACUUM INTO) and the vault's size. Prints one
// JSON line with the results.
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { CustomerService } from '../electron/core/customers';
import { enrollDevice, forgetProfileSecrets } from '../electron/core/device/enrollment';
import { OsSecretStore } from '../electron/core/secrets';
import { deviceClient, syncRound } from '../electron/core/sync/engine';
import { pullChanges } from '../electron/core/sync/pull';
import { pushOutbox } from '../electron/core/sync/push';
import { openVault, vaultPaths } from '../electron/core/vault';
import { RecordRandom } from '../shared/synthetic/random';
import { hqAdmin } from '../test/support/hq';
import { processesCpuMs, summarize } from './support';

export interface SyncClientJob {
  hqUrl: string;
  adminToken: string;
  enrollmentCode: string;
  branchDir: string;
  customers: number;
  delta: number;
  queries: string[];
  /** HQ's process, whose CPU during the initial sync is counted (with PostgreSQL's, if any). */
  hqPid: number;
  /** PostgreSQL's server process, when HQ runs on it: its CPU and its backends' count too. */
  databasePid?: number;
}

/**
 * With BENCH_SYNC_PROFILE set to a directory, a CPU profile of one step of this process (open it
 * in Chrome's DevTools, or read its samples): started here, written as `<step>.cpuprofile`.
 */
async function startProfile() {
  const dir = process.env.BENCH_SYNC_PROFILE;
  if (!dir) return undefined;
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
  return {
    async stop(step: string) {
      const { profile } = await session.post('Profiler.stop');
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, `${step}.cpuprofile`), JSON.stringify(profile));
      session.disconnect();
    },
  };
}

/** The mean time between two searches during the initial sync. */
const SEARCH_MEAN_INTERVAL_MS = 100;

/** Seeded, so every run asks at the same moments. */
const arrivals = new RecordRandom(2026, 0);

const job = JSON.parse(process.env.BENCH_SYNC_CLIENT ?? 'null') as SyncClientJob | null;
if (!job) throw new Error('BENCH_SYNC_CLIENT is not set: this file is run by bench/sync.bench.ts');

const secrets = new OsSecretStore();
const enrollment = await enrollDevice(job.branchDir, secrets, {
  hqUrl: job.hqUrl,
  code: job.enrollmentCode,
  deviceName: 'bench',
});
try {
  const vault = openVault(job.branchDir, secrets);
  const client = deviceClient(vault, secrets);
  const customers = new CustomerService(vault);
  // What the feed sends: changes, and the bytes of the pull answers' JSON bodies.
  const sent = { rows: 0, bytes: 0 };
  let snapshotRows = 0;
  const snapshot = client.snapshot.bind(client);
  client.snapshot = async (...args) => {
    const chunk = await snapshot(...args);
    snapshotRows += chunk.customers.length;
    return chunk;
  };
  const pull = client.pull.bind(client);
  /** Time spent waiting for HQ's pull pages (HQ's query, its scope digest, the transfer). */
  let pullWaitMs = 0;
  client.pull = async (...args) => {
    const asked = performance.now();
    const page = await pull(...args);
    pullWaitMs += performance.now() - asked;
    sent.rows += page.changes.length;
    sent.bytes += Buffer.byteLength(JSON.stringify(page));
    return page;
  };
  const transferred = () => {
    const counted = { ...sent };
    sent.rows = 0;
    sent.bytes = 0;
    return counted;
  };

  // --- initial sync, with a teller's searches arriving at random while it runs ---
  // Arrivals at exponentially distributed intervals (a Poisson process) see the thread busy
  // exactly as often as it is, so their waits sample the sync's blocking fairly; a fixed timer
  // drifts into step with it. Every 100 ms on average: more than a teller types.
  const latencies: number[] = [];
  let query = 0;
  let searcher: NodeJS.Timeout | undefined;
  const nextSearch = () => {
    const due = performance.now() + -Math.log(1 - arrivals.float()) * SEARCH_MEAN_INTERVAL_MS;
    searcher = setTimeout(() => {
      // A search asked for at `due` answers when the thread is free: that wait counts.
      customers.search.search(job.queries[query++ % job.queries.length]!, {
        limit: 20,
        offset: 0,
      });
      latencies.push(performance.now() - due);
      nextSearch();
    }, due - performance.now());
  };
  nextSearch();
  const hqProcesses = () =>
    processesCpuMs(job.databasePid ? [job.hqPid, job.databasePid] : [job.hqPid]);
  const hqCpuBefore = hqProcesses();
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  // The initial sync as the desk's core runs it: a snapshot, then the pull from its cursor.
  const round = await syncRound(vault, secrets, { client });
  const syncMs = performance.now() - started;
  // CPU of this process's every thread (the core's, the packer's, the sort's) and of HQ's.
  const cpu = process.cpuUsage(cpuBefore);
  const hqCpuAfter = hqProcesses();
  clearTimeout(searcher);
  // The kernel's high-water mark of this process's resident memory (KiB on Linux).
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  const loaded = (round.snapshot?.loaded ?? 0) + round.pull.inserted;
  if (loaded !== job.customers) throw new Error(`loaded ${loaded}, expected ${job.customers}`);
  const initial = { rows: snapshotRows + transferred().rows };

  // --- the floor: the finished vault written once more, whole and encrypted ---
  vault.db.pragma('wal_checkpoint(TRUNCATE)');
  const vaultBytes = statSync(vaultPaths(job.branchDir).database).size;
  const copy = join(job.branchDir, 'floor.db');
  const floorStarted = performance.now();
  vault.db.prepare('VACUUM INTO ?').run(copy);
  const floorMs = performance.now() - floorStarted;
  const header = readFileSync(copy).subarray(0, 16).toString('latin1');
  if (header.startsWith('SQLite format 3')) throw new Error('VACUUM INTO wrote a plain file');
  rmSync(copy);

  // --- delta pull: customers changed at HQ, each twice ---
  const admin = hqAdmin(() => job.hqUrl, job.adminToken);
  const ids = vault.db
    .prepare('SELECT id FROM customer ORDER BY customer_key LIMIT ?')
    .pluck()
    .all(job.delta) as string[];
  for (const round of [1, 2])
    for (let start = 0; start < ids.length; start += 50)
      await Promise.all(
        ids
          .slice(start, start + 50)
          .map((id, index) =>
            admin.edit(id, { email: `delta.${round}.${start + index}@example.com` }),
          ),
      );
  pullWaitMs = 0;
  const profiler = await startProfile();
  const deltaStarted = performance.now();
  const delta = await pullChanges(vault, client, { pageSize: 1000 });
  const deltaMs = performance.now() - deltaStarted;
  await profiler?.stop('delta-pull');
  const deltaWaitMs = pullWaitMs;
  if (delta.updated !== job.delta) throw new Error(`delta pull updated ${delta.updated}`);
  const deltaSent = transferred();

  // --- push: local edits ---
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
  if (pushed.applied !== job.delta) throw new Error(`push applied ${pushed.applied}`);
  vault.close();

  process.stdout.write(
    `${JSON.stringify({
      initial_sync: {
        ms: Math.round(syncMs),
        customers_per_s: Math.round(job.customers / (syncMs / 1000)),
        chunks: round.snapshot?.chunks ?? 0,
        peak_rss_mb: Math.round(peakRssMb),
        steps_ms: round.snapshot?.ms ?? null,
        client_cpu_ms: Math.round((cpu.user + cpu.system) / 1000),
        hq_cpu_ms:
          hqCpuBefore === null || hqCpuAfter === null ? null : Math.round(hqCpuAfter - hqCpuBefore),
      },
      floor: { vacuum_into_ms: Math.round(floorMs) },
      vault: { bytes: vaultBytes, bytes_per_customer: Math.round(vaultBytes / job.customers) },
      search_during_sync: summarize(latencies),
      initial: { ...initial, customers_in_scope: job.customers },
      delta_pull_1k: { ms: Math.round(deltaMs), waiting_for_hq_ms: Math.round(deltaWaitMs) },
      delta: { ...deltaSent, changes_made: 2 * job.delta, changed_customers: job.delta },
      push_1k: { ms: Math.round(pushMs), mutations_per_s: Math.round(job.delta / (pushMs / 1000)) },
    })}\n`,
  );
} finally {
  forgetProfileSecrets(enrollment.profileId, secrets);
}
