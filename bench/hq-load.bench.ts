// `npm run bench -- hq-load`: a thousand branch devices against HQ on a throwaway PostgreSQL
// cluster on loopback (docs/OPERATIONS.md, "HQ at scale"), with one HQ instance and then two.
//
// Each device is a light client of the real protocol with real credentials (enrolled over HTTP,
// its own Ed25519 audit key, its own member of staff with a password and TOTP), not a vault: it
// keeps the records HQ sent it (id, version, content hash) and its pull cursor. The run is a busy
// branch day's peak hour, compressed (the rates are in docs/OPERATIONS.md):
//   - every device holds HQ's change stream open (GET /v1/events) and pulls when nudged, and
//     polls every minute besides, as the desk does;
//   - every device pushes an edit (a customer's e-mail) about once a minute;
//   - every device uploads a signed batch of 5 audit entries about once a minute;
//   - the staff sign in as the branch opens: half a sign-in a second across the bank.
// It stops by itself after --seconds, then reconciles: every mutation sent has exactly one
// stored outcome, every applied one moved its customer one version on (0 lost, 0 duplicated),
// and every device's copy matches HQ's digest of its branch's scope.
//
//   --devices N        devices (default 1000), ten to a branch
//   --customers N      customers at HQ (default 20000)
//   --seconds N        length of each run (default 60)
//   --instances LIST   the runs (default "1,2"): HQ instances behind the devices
//   --cpu-prof DIR     each HQ instance writes a V8 CPU profile to DIR as it stops
import {
  createPublicKey,
  generateKeyPairSync,
  randomUUID,
  sign,
  type KeyObject,
} from 'node:crypto';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { EventSource } from 'eventsource';
import { NUDGE_SPREAD_MS } from '../electron/core/sync/change-stream';
import { openDatabase, type Database } from '../hq/db/database';
import { migrate } from '../hq/db/migrate';
import { createEnrollmentCode } from '../hq/devices';
import { seedHq, branchId as seededBranch } from '../hq/seed';
import { addUser } from '../hq/staff';
import { sha256Hex } from '../hq/crypto';
import { auditBatchPayload, auditGenesis, auditHash, type AuditEntry } from '../shared/audit/entry';
import { newTotpSecret, totpAt } from '../shared/auth/totp';
import { formatHlc, tickHlc, type Hlc } from '../shared/sync/hlc';
import { recordHash } from '../shared/sync/record-hash';
import { DigestSums, bucketOf, entryTerm } from '../shared/sync/scope-digest';
import { tempDir } from '../test/support/files';
import { startHq, type RunningHq } from '../test/support/hq';
import { freePort, startPostgres } from '../test/support/postgres';
import { percentile, processesCpuMs, report, round } from './support';

const { values } = parseArgs({
  options: {
    devices: { type: 'string', default: '1000' },
    customers: { type: 'string', default: '20000' },
    seconds: { type: 'string', default: '60' },
    instances: { type: 'string', default: '1,2' },
    /** A folder: each HQ instance writes a V8 CPU profile there when it stops. */
    'cpu-prof': { type: 'string' },
  },
});
const DEVICES = Number(values.devices);
const CUSTOMERS = Number(values.customers);
const SECONDS = Number(values.seconds);
const RUNS = values.instances.split(',').map(Number);
const PER_BRANCH = 10;
const BRANCHES = Math.ceil(DEVICES / PER_BRANCH);
/** The busy hour's rates (docs/OPERATIONS.md). */
const PUSH_EVERY_MS = 60_000;
const AUDIT_EVERY_MS = 60_000;
const POLL_EVERY_MS = 60_000;
const SIGN_INS_PER_SECOND = 0.5;
const PAGE = 1000;

interface Held {
  version: number;
  hash: string;
}

interface Device {
  index: number;
  deviceId: string;
  authorization: string;
  branchId: string;
  chain: string;
  auditKey: KeyObject;
  audit: { seq: number; hash: string };
  username: string;
  password: string;
  totpSecret: string;
  held: Map<string, Held>;
  /**
   * Each bucket's digest as last worked out, until a record in it changes: the generator's own
   * CPU shares the machine with HQ, and working out the device's 256 buckets at every pull was a
   * third of it. A desk on its own PC works them out whole (electron/core/sync/scope-check.ts).
   */
  bucketDigests: Map<string, string>;
  cursor: number;
  hlc: Hlc | undefined;
  pulling: boolean;
  again: boolean;
  stream?: EventSource;
}

/** Latencies and errors per route, for one run. */
class Tally {
  readonly samples = new Map<string, number[]>();
  readonly errors = new Map<string, number>();
  readonly errorKinds = new Map<string, number>();
  add(route: string, ms: number) {
    let list = this.samples.get(route);
    if (!list) this.samples.set(route, (list = []));
    list.push(ms);
  }
  fail(route: string, kind: string) {
    this.errors.set(route, (this.errors.get(route) ?? 0) + 1);
    this.errorKinds.set(`${route} ${kind}`, (this.errorKinds.get(`${route} ${kind}`) ?? 0) + 1);
  }
}

// HQ's own answer times (its request histogram, hq/metrics.ts), summed over the instances, for
// the routes the targets are about: the time HQ took, next to the time the generator saw, which
// also holds the generator's own waits (it shares the two cores with HQ and PostgreSQL).
const HQ_ROUTES = { push: 'POST /v1/mutations', pull: 'GET /v1/changes' } as const;
type Buckets = Map<string, Map<number, number>>;

async function answerTimes(metricsPorts: number[]): Promise<Buckets> {
  const sums: Buckets = new Map();
  for (const port of metricsPorts) {
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    for (const [, labelText, count] of text.matchAll(
      /^hq_http_request_duration_seconds_bucket\{([^}]*)\} (\d+)$/gm,
    )) {
      const labels = Object.fromEntries(
        [...labelText!.matchAll(/(\w+)="([^"]*)"/g)].map(([, name, value]) => [name, value]),
      );
      const key = `${labels.method} ${labels.route}`;
      let buckets = sums.get(key);
      if (!buckets) sums.set(key, (buckets = new Map()));
      const bound = labels.le === '+Inf' ? Infinity : Number(labels.le);
      buckets.set(bound, (buckets.get(bound) ?? 0) + Number(count));
    }
  }
  return sums;
}

/** The q-quantile (ms) of the answers between two readings, as Prometheus' histogram_quantile. */
function histogramQuantile(before: Buckets, after: Buckets, key: string, q: number) {
  const bounds = [...(after.get(key)?.keys() ?? [])].sort((a, b) => a - b);
  const counts = bounds.map(
    (bound) => (after.get(key)?.get(bound) ?? 0) - (before.get(key)?.get(bound) ?? 0),
  );
  const total = counts.at(-1) ?? 0;
  if (total === 0) return undefined;
  const rank = q * total;
  const index = counts.findIndex((count) => count >= rank);
  const upper = bounds[index]!;
  const lower = index > 0 ? bounds[index - 1]! : 0;
  if (upper === Infinity) return round(lower * 1000, 1);
  const below = index > 0 ? counts[index - 1]! : 0;
  return round((lower + ((upper - lower) * (rank - below)) / (counts[index]! - below)) * 1000, 1);
}

// pg_stat_statements: where PostgreSQL's time goes, printed after each run.
const cluster = await startPostgres(['shared_preload_libraries=pg_stat_statements']);
const dir = tempDir('branchdesk-bench-hq-load-');
const hqEnv = {
  dataDir: join(dir.path, 'hq'),
  databaseUrl: cluster.url,
  // A line per request at info: written by the thousands a second, it would be what is measured.
  extraEnv: {
    HQ_LOG_LEVEL: 'warn',
    HQ_RATE_LIMIT_PER_MINUTE: '1200',
  },
};
const db: Database = await openDatabase({ databaseUrl: cluster.url, dataDir: dir.path });
const results: Record<string, unknown> = {
  devices: DEVICES,
  branches: BRANCHES,
  customers: CUSTOMERS,
  seconds: SECONDS,
  rates: {
    push_every_s: PUSH_EVERY_MS / 1000,
    audit_batch_every_s: AUDIT_EVERY_MS / 1000,
    poll_every_s: POLL_EVERY_MS / 1000,
    sign_ins_per_s: SIGN_INS_PER_SECOND,
  },
};
const table: (string | number)[][] = [
  ['instances', 'route', 'requests', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'errors', 'target'],
];
const running: RunningHq[] = [];
/** Who signs in next: each member of staff once (a TOTP step is taken once), across the runs. */
let signInOrder: Device[] = [];
// Whatever ends this process, the throwaway cluster goes with it.
process.on('exit', () => cluster.stop());

try {
  console.log(`seeding ${CUSTOMERS} customers over ${BRANCHES} branches…`);
  await migrate(db);
  await db.exec('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
  await seedHq(db, { customers: CUSTOMERS, branches: BRANCHES, seed: 7 });
  const devices = await makeDevices();
  signInOrder = [...devices].sort(() => Math.random() - 0.5);

  for (const [runIndex, instances] of RUNS.entries()) {
    const ports = await Promise.all(Array.from({ length: instances }, () => freePort()));
    const metricsPorts = await Promise.all(Array.from({ length: instances }, () => freePort()));
    for (const [i, port] of ports.entries())
      running.push(
        await startHq(hqEnv, {
          port,
          args: ['--metrics-port', String(metricsPorts[i])],
          nodeArgs: values['cpu-prof']
            ? ['--cpu-prof', `--cpu-prof-dir=${values['cpu-prof']}`]
            : [],
        }),
      );
    const urls = running.map((hq) => hq.url);
    if (runIndex === 0) await enrollAll(devices, urls);
    // Every device starts from its branch's whole scope, as a desk that synced before.
    await pool(devices, 25, (device) => pullAll(device, urls, new Tally()));
    await db.query('SELECT pg_stat_statements_reset()');
    const cpuBefore = cpuSeconds(running.map((hq) => hq.pid));
    const run = await loadRun(devices, urls, metricsPorts);
    const cpuAfter = cpuSeconds(running.map((hq) => hq.pid));
    const cpu = {
      hq_s: round(cpuAfter.hq - cpuBefore.hq, 1),
      postgres_s: round(cpuAfter.postgres - cpuBefore.postgres, 1),
      load_generator_s: round(cpuAfter.bench - cpuBefore.bench, 1),
    };
    const statements = await db.query<{
      query: string;
      calls: string;
      total_ms: number;
      mean_ms: number;
    }>(
      `SELECT left(regexp_replace(query, '[[:space:]]+', ' ', 'g'), 110) AS query, calls,
              round(total_exec_time::numeric, 0)::float AS total_ms,
              round(mean_exec_time::numeric, 2)::float AS mean_ms
       FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT ${Number(process.env.HQ_LOAD_TOP_STATEMENTS ?? 12)}`,
    );
    console.log(`CPU during the run (s): ${JSON.stringify(cpu)}; PostgreSQL's top statements:`);
    for (const row of statements)
      console.log(
        `  ${String(row.total_ms).padStart(8)} ms  ${row.calls.padStart(7)} calls  ${String(row.mean_ms).padStart(7)} ms  ${row.query}`,
      );
    for (const [route, samples] of [...run.tally.samples].sort()) {
      const sorted = [...samples].sort((a, b) => a - b);
      const target = route === 'push' ? 200 : route === 'pull' ? 300 : undefined;
      const p99 = round(percentile(sorted, 99), 1);
      table.push([
        instances,
        route,
        samples.length,
        round(samples.length / SECONDS, 1),
        round(percentile(sorted, 50), 1),
        round(percentile(sorted, 95), 1),
        p99,
        run.tally.errors.get(route) ?? 0,
        target === undefined ? '' : `p99 ≤ ${target} ${p99 <= target ? '✓' : '✗'}`,
      ]);
    }
    console.log(
      `${instances} instance(s): HQ's own answer times (its histogram, interpolated) ${JSON.stringify(run.atHq)}; the generator's event loop delay ${JSON.stringify(run.generatorLoopDelay)}`,
    );
    const propagation = [...run.propagation].sort((a, b) => a - b);
    const p95 = round(percentile(propagation, 95), 1);
    table.push([
      instances,
      'change seen by another device',
      propagation.length,
      '',
      round(percentile(propagation, 50), 1),
      p95,
      round(percentile(propagation, 99), 1),
      '',
      `p95 ≤ 2000 ${p95 <= 2000 ? '✓' : '✗'}`,
    ]);
    results[`instances_${instances}`] = {
      requests_per_s: round(run.requests / SECONDS, 1),
      routes: Object.fromEntries(
        [...run.tally.samples].map(([route, samples]) => {
          const sorted = [...samples].sort((a, b) => a - b);
          return [
            route,
            {
              requests: samples.length,
              p50_ms: round(percentile(sorted, 50), 1),
              p95_ms: round(percentile(sorted, 95), 1),
              p99_ms: round(percentile(sorted, 99), 1),
              errors: run.tally.errors.get(route) ?? 0,
            },
          ];
        }),
      ),
      at_hq: run.atHq,
      generator_loop_delay: run.generatorLoopDelay,
      error_kinds: Object.fromEntries(run.tally.errorKinds),
      errors: [...run.tally.errors.values()].reduce((a, b) => a + b, 0),
      propagation: {
        samples: propagation.length,
        p50_ms: round(percentile(propagation, 50), 1),
        p95_ms: p95,
        p99_ms: round(percentile(propagation, 99), 1),
      },
      postgres_connections_max: run.connectionsMax,
      cpu_seconds: cpu,
      postgres_top_statements: statements,
      hq_rss_mb_max: run.rssMb,
      reconciliation: run.reconciliation,
    };
    console.log(
      `${instances} instance(s): ${round(run.requests / SECONDS, 1)} req/s, ` +
        `PostgreSQL connections ≤ ${run.connectionsMax}, HQ RSS ≤ ${run.rssMb.join(' / ')} MB, ` +
        `reconciliation ${JSON.stringify(run.reconciliation)}`,
    );
    for (const hq of running.splice(0)) await hq.stop();
  }
  report('hq-load', table, results);
} finally {
  for (const hq of running) await hq.stop().catch(() => {});
  await db.close();
  dir.cleanup();
}

/** Devices with their staff: one teller each, the same password hash (Argon2 once, not 1,000 times). */
async function makeDevices(): Promise<Device[]> {
  const password = 'Load-test-password-1';
  const first = await addUser(db, {
    username: 'load-0000',
    displayName: 'Load 0',
    roles: ['teller'],
    branchId: seededBranch(0),
    password,
  });
  const [{ password_hash: hash }] = (await db.query<{ password_hash: string }>(
    'SELECT password_hash FROM staff_user WHERE id = $1',
    [first.userId],
  )) as [{ password_hash: string }];
  const devices: Device[] = [];
  for (let index = 0; index < DEVICES; index++) {
    const branchId = seededBranch(Math.floor(index / PER_BRANCH));
    const username = `load-${String(index).padStart(4, '0')}`;
    let totpSecret = first.totpSecret;
    if (index > 0) {
      totpSecret = newTotpSecret();
      await db.query(
        `INSERT INTO staff_user (id, username, display_name, roles, branch_id, password_hash, totp_secret, status)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'active')`,
        [randomUUID(), username, `Load ${index}`, ['teller'], branchId, hash, totpSecret],
      );
    }
    const { privateKey } = generateKeyPairSync('ed25519');
    devices.push({
      index,
      deviceId: '',
      authorization: '',
      branchId,
      chain: randomUUID(),
      auditKey: privateKey,
      audit: { seq: 0, hash: '' },
      username,
      password,
      totpSecret,
      held: new Map(),
      bucketDigests: new Map(),
      cursor: 0,
      hlc: undefined,
      pulling: false,
      again: false,
    });
  }
  return devices;
}

async function enrollAll(devices: Device[], urls: string[]): Promise<void> {
  await pool(devices, 20, async (device) => {
    const code = await createEnrollmentCode(db, device.branchId, 1);
    const publicKey = createPublicKey(device.auditKey)
      .export({ format: 'der', type: 'spki' })
      .toString('base64');
    const enrolled = (await call(urls[device.index % urls.length]!, 'POST', '/v1/enroll', {
      body: {
        code,
        deviceName: `load-${device.index}`,
        auditKey: { publicKey, chain: device.chain },
      },
    })) as { deviceId: string; credential: string };
    device.deviceId = enrolled.deviceId;
    device.authorization = `Device ${enrolled.deviceId}.${enrolled.credential}`;
    device.audit = { seq: 0, hash: auditGenesis(sha256Hex, device.chain) };
  });
}

/** Pulls until the feed has no more; returns the last page's digest check. */
async function pullAll(
  device: Device,
  urls: string[],
  tally: Tally,
  onRecord?: (customerId: string, record: { email?: string }) => void,
): Promise<{ matched: boolean } | undefined> {
  for (let page = 0; ; page++) {
    const url = urls[(device.index + page) % urls.length]!;
    const started = performance.now();
    let answer: PullAnswer;
    try {
      answer = (await call(url, 'GET', `/v1/changes?after=${device.cursor}&limit=${PAGE}`, {
        authorization: device.authorization,
      })) as PullAnswer;
    } catch (error) {
      tally.fail('pull', (error as Error).message);
      return undefined;
    }
    tally.add('pull', performance.now() - started);
    for (const change of answer.changes) {
      if (change.inScope && change.customer) {
        device.held.set(change.customerId, {
          version: change.version!,
          hash: recordHash(sha256Hex, change.customer),
        });
        onRecord?.(change.customerId, change.customer as { email?: string });
      } else device.held.delete(change.customerId);
      device.bucketDigests.delete(bucketOf(change.customerId));
    }
    device.cursor = answer.cursor;
    if (!answer.hasMore)
      return answer.scopeDigest
        ? { matched: digestMatches(device, answer.scopeDigest) }
        : undefined;
  }
}

interface PullAnswer {
  changes: {
    seq: number;
    customerId: string;
    inScope: boolean;
    version: number | null;
    customer: Record<string, unknown> | null;
  }[];
  cursor: number;
  hasMore: boolean;
  scopeDigest: { buckets: Record<string, string>; count: number } | null;
}

function digestMatches(
  device: Device,
  digest: { buckets: Record<string, string>; count: number },
): boolean {
  if (digest.count !== device.held.size) return false;
  let stale: Map<string, string[]> | undefined;
  for (const id of device.held.keys()) {
    const bucket = bucketOf(id);
    if (device.bucketDigests.has(bucket)) continue;
    stale ??= new Map();
    const ids = stale.get(bucket);
    if (ids) ids.push(id);
    else stale.set(bucket, [id]);
  }
  for (const [bucket, ids] of stale ?? []) {
    const sums = new DigestSums();
    for (const id of ids) sums.add(id, entryTerm(device.held.get(id)!.hash));
    device.bucketDigests.set(bucket, sums.toDigest().buckets[bucket]!);
  }
  // A bucket emptied since has no digest: only buckets with records count.
  const held = new Set([...device.held.keys()].map(bucketOf));
  if (held.size !== Object.keys(digest.buckets).length) return false;
  for (const bucket of held)
    if (device.bucketDigests.get(bucket) !== digest.buckets[bucket]) return false;
  return true;
}

/**
 * CPU seconds used so far by the HQ instances, PostgreSQL's server (with its backends, those that
 * ended too) and this process.
 */
function cpuSeconds(hqPids: number[]): { hq: number; postgres: number; bench: number } {
  const usage = process.cpuUsage();
  return {
    hq: (processesCpuMs(hqPids) ?? 0) / 1000,
    postgres: (processesCpuMs([cluster.serverPid()]) ?? 0) / 1000,
    bench: (usage.user + usage.system) / 1e6,
  };
}

/** The next entry of a device's audit chain after `from`: a search, as a teller's day is full of. */
function chainedEntry(
  chain: string,
  from: { seq: number; hash: string },
  actor: string,
): AuditEntry {
  const fields = {
    seq: from.seq + 1,
    at: new Date().toISOString(),
    actor,
    device: chain,
    action: 'search' as const,
    target: null,
    details: '{}',
  };
  return { ...fields, prevHash: from.hash, hash: auditHash(sha256Hex, fields, from.hash) };
}

async function loadRun(devices: Device[], urls: string[], metricsPorts: number[]) {
  const tally = new Tally();
  let requests = 0;
  const sent: { mutationId: string; customerId: string }[] = [];
  /** The moment each pushed e-mail was acknowledged, to time when another device sees it. */
  const acknowledgedAt = new Map<string, { at: number; by: number }>();
  const propagation: number[] = [];
  const versionsBefore = new Map(
    (
      await db.query<{ id: string; version: number }>(
        'SELECT id, version FROM customer WHERE merged_into IS NULL',
      )
    ).map((row) => [row.id, row.version]),
  );
  let stopping = false;
  const inFlight = new Set<Promise<unknown>>();
  const track = <T>(work: Promise<T>) => {
    requests++;
    inFlight.add(work);
    work.finally(() => inFlight.delete(work)).catch(() => {});
    return work;
  };
  const seen = (device: Device) => (customerId: string, record: { email?: string }) => {
    const pushed = record.email ? acknowledgedAt.get(record.email) : undefined;
    if (pushed && pushed.by !== device.index) propagation.push(Date.now() - pushed.at);
  };
  const pull = async (device: Device) => {
    if (device.pulling) {
      device.again = true;
      return;
    }
    device.pulling = true;
    try {
      do {
        device.again = false;
        await track(pullAll(device, urls, tally, seen(device)));
      } while (device.again && !stopping);
    } finally {
      device.pulling = false;
    }
  };
  const push = async (device: Device, turn: number) => {
    const ids = [...device.held.keys()];
    if (ids.length === 0) return;
    const customerId = ids[Math.floor(Math.random() * ids.length)]!;
    const held = device.held.get(customerId)!;
    device.hlc = tickHlc(device.hlc, Date.now(), device.deviceId);
    const email = `load-${device.index}-${turn}-${randomUUID().slice(0, 8)}@example.com`;
    const mutationId = randomUUID();
    sent.push({ mutationId, customerId });
    const started = performance.now();
    try {
      await track(
        call(urls[(device.index + turn) % urls.length]!, 'POST', '/v1/mutations', {
          authorization: device.authorization,
          body: {
            mutations: [
              {
                kind: 'update',
                mutationId,
                customerId,
                hlc: formatHlc(device.hlc),
                actor: `user:${device.username}`,
                device: device.deviceId,
                baseVersion: held.version,
                fields: { email: { to: email } },
                scopeCursor: device.cursor,
              },
            ],
            sentAt: Date.now(),
          },
        }),
      );
      tally.add('push', performance.now() - started);
      acknowledgedAt.set(email, { at: Date.now(), by: device.index });
    } catch (error) {
      tally.fail('push', (error as Error).message);
    }
  };
  const audit = async (device: Device, turn: number) => {
    const entries: AuditEntry[] = [];
    let from = device.audit;
    for (let i = 0; i < 5; i++) {
      const entry = chainedEntry(device.chain, from, `user:${device.username}`);
      entries.push(entry);
      from = { seq: entry.seq, hash: entry.hash };
    }
    const payload = auditBatchPayload({
      chain: device.chain,
      first: entries[0]!,
      last: entries.at(-1)!,
    });
    const started = performance.now();
    try {
      await track(
        call(urls[(device.index + turn + 1) % urls.length]!, 'POST', '/v1/audit/batches', {
          authorization: device.authorization,
          body: {
            entries,
            signature: sign(null, Buffer.from(payload), device.auditKey).toString('base64'),
          },
        }),
      );
      tally.add('audit', performance.now() - started);
      device.audit = from;
    } catch (error) {
      tally.fail('audit', (error as Error).message);
    }
  };
  const signIn = async (device: Device) => {
    const started = performance.now();
    try {
      await track(
        call(urls[device.index % urls.length]!, 'POST', '/v1/auth/login', {
          authorization: device.authorization,
          body: {
            username: device.username,
            password: device.password,
            totp: totpAt(device.totpSecret, Date.now()),
          },
        }),
      );
      tally.add('sign-in', performance.now() - started);
    } catch (error) {
      tally.fail('sign-in', (error as Error).message);
    }
  };

  // The change streams: each device's on the instance its index picks.
  let open = 0;
  for (const device of devices) {
    const stream = new EventSource(`${urls[device.index % urls.length]}/v1/events`, {
      fetch: (input, init) =>
        fetch(input, {
          ...init,
          headers: { ...init.headers, authorization: device.authorization },
        }),
    });
    stream.addEventListener('ready', () => open++);
    // As the desk does (change-stream.ts): a nudge acted on after a random moment.
    stream.addEventListener('change', () => {
      setTimeout(() => void pull(device), Math.random() * NUDGE_SPREAD_MS);
    });
    device.stream = stream;
  }
  const deadline = Date.now() + 30_000;
  while (open < devices.length && Date.now() < deadline) await sleep(100);
  console.log(`${open} of ${devices.length} change streams open on ${urls.length} instance(s)`);

  // Samplers: PostgreSQL connections and each instance's resident memory.
  let connectionsMax = 0;
  const rss = urls.map(() => 0);
  const sampler = setInterval(() => {
    void db
      .query<{ n: string }>('SELECT count(*) AS n FROM pg_stat_activity WHERE backend_type = $1', [
        'client backend',
      ])
      .then(([row]) => (connectionsMax = Math.max(connectionsMax, Number(row!.n))));
    for (const [i, port] of metricsPorts.entries())
      void fetch(`http://127.0.0.1:${port}/metrics`)
        .then((response) => response.text())
        .then((text) => {
          const bytes = Number(/^hq_process_resident_memory_bytes (\d+)/m.exec(text)?.[1] ?? 0);
          rss[i] = Math.max(rss[i]!, Math.round(bytes / 2 ** 20));
        })
        .catch(() => {});
  }, 1000);

  const answersBefore = await answerTimes(metricsPorts);
  const generatorDelay = monitorEventLoopDelay({ resolution: 10 });
  generatorDelay.enable();

  // The hour: each device's own timers, spread out so that the bank does not act in lockstep.
  const timers: NodeJS.Timeout[] = [];
  const every = (ms: number, action: (turn: number) => void) => {
    let turn = 0;
    const tick = () => {
      if (stopping) return;
      action(turn++);
      timers.push(setTimeout(tick, ms * (0.5 + Math.random())));
    };
    timers.push(setTimeout(tick, Math.random() * ms));
  };
  for (const device of devices) {
    every(PUSH_EVERY_MS, (turn) => void push(device, turn));
    every(AUDIT_EVERY_MS, (turn) => void audit(device, turn));
    every(POLL_EVERY_MS, () => void pull(device));
  }
  every(1000 / SIGN_INS_PER_SECOND, () => {
    const device = signInOrder.pop();
    if (device) void signIn(device);
  });
  await sleep(SECONDS * 1000);
  stopping = true;
  for (const timer of timers) clearTimeout(timer);
  clearInterval(sampler);
  await Promise.allSettled([...inFlight]);
  generatorDelay.disable();
  const answersAfter = await answerTimes(metricsPorts);
  const atHq = Object.fromEntries(
    Object.entries(HQ_ROUTES).map(([route, key]) => [
      route,
      {
        p95_ms: histogramQuantile(answersBefore, answersAfter, key, 0.95),
        p99_ms: histogramQuantile(answersBefore, answersAfter, key, 0.99),
      },
    ]),
  );
  const generatorLoopDelay = {
    p99_ms: round(generatorDelay.percentile(99) / 1e6, 1),
    max_ms: round(generatorDelay.max / 1e6, 1),
  };
  for (const device of devices) device.stream?.close();

  // Reconciliation.
  const ids = sent.map((entry) => entry.mutationId);
  const stored = await db.query<{ mutation_id: string; status: string; customer_id: string }>(
    "SELECT mutation_id, outcome->>'status' AS status, customer_id FROM mutation WHERE mutation_id = ANY($1)",
    [ids],
  );
  const appliedPerCustomer = new Map<string, number>();
  for (const row of stored)
    if (row.status === 'applied')
      appliedPerCustomer.set(row.customer_id, (appliedPerCustomer.get(row.customer_id) ?? 0) + 1);
  const after = await db.query<{ id: string; version: number }>(
    'SELECT id, version FROM customer WHERE id = ANY($1)',
    [[...new Set(sent.map((entry) => entry.customerId))]],
  );
  let duplicated = 0;
  for (const row of after) {
    const moved = row.version - (versionsBefore.get(row.id) ?? row.version);
    duplicated += Math.max(0, moved - (appliedPerCustomer.get(row.id) ?? 0));
  }
  const finalTally = new Tally();
  let digestsMatched = 0;
  await pool(devices, 25, async (device) => {
    const check = await pullAll(device, urls, finalTally);
    if (check?.matched) digestsMatched++;
  });
  return {
    tally,
    atHq,
    generatorLoopDelay,
    requests,
    propagation,
    connectionsMax,
    rssMb: rss,
    reconciliation: {
      sent: ids.length,
      stored: stored.length,
      applied: stored.filter((row) => row.status === 'applied').length,
      rejected: stored.filter((row) => row.status !== 'applied').length,
      lost: ids.length - stored.length,
      duplicated,
      digests_matched: digestsMatched,
      devices: devices.length,
    },
  };
}

async function call(
  base: string,
  method: 'GET' | 'POST',
  path: string,
  options: { authorization?: string; body?: unknown } = {},
): Promise<unknown> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: {
      ...(options.authorization ? { authorization: options.authorization } : {}),
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  if (response.status < 200 || response.status >= 300)
    throw new Error(`${response.status} ${/"code":"([A-Z_]+)"/.exec(text)?.[1] ?? ''}`.trim());
  return JSON.parse(text);
}

async function pool<T>(items: T[], width: number, work: (item: T) => Promise<unknown>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

function sleep(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
