// `npm run bench -- sync`: initial sync of N customers from a real HQ process (PGlite) over
// loopback HTTP into an encrypted vault, beside the local limit: the same customers bulk-inserted
// straight into a vault, with and without validating each record as the sync does.
// Push, delta pulls, PostgreSQL and search-during-sync join this suite with the rest of issue 4.
//
//   --customers N   customers at HQ, all in the device's branch (default 20000)
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CustomerStore } from '../electron/core/customers';
import { enrollDevice } from '../electron/core/device/enrollment';
import { OsSecretStore } from '../electron/core/secrets';
import { deviceClient } from '../electron/core/sync/engine';
import { pullChanges } from '../electron/core/sync/pull';
import { bulkLoad, createVault, keyAccounts, openVault } from '../electron/core/vault';
import { customerSchema, type Customer } from '../shared/customer';
import { generateCustomers } from '../shared/synthetic';
import { tempDir } from '../test/support/files';
import { hqCommand, startHq } from '../test/support/hq';
import { report, round, timeMs } from './support';

const { values } = parseArgs({ options: { customers: { type: 'string', default: '20000' } } });
const CUSTOMERS = Number(values.customers);
const SEED = 2026;

const dir = tempDir('branchdesk-bench-sync-');
const secrets = new OsSecretStore();
const profiles: string[] = [];

try {
  const hq = { dataDir: join(dir.path, 'hq') };
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

  // --- initial sync over HTTP, as `branchctl sync` does it, in this process ---
  const branchDir = join(dir.path, 'branch');
  const enrollment = await enrollDevice(branchDir, secrets, {
    hqUrl: server.url,
    code,
    deviceName: 'bench',
  });
  profiles.push(enrollment.profileId);
  const vault = openVault(branchDir, secrets);
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
  let pulled = 0;
  const started = performance.now();
  const summary = await pullChanges(vault, deviceClient(vault, secrets), { pageSize: 1000 });
  const syncMs = performance.now() - started;
  clearInterval(sampler);
  pulled = summary.inserted;
  vault.close();
  await server.stop();

  // --- the local limit: the same customers straight into a fresh vault ---
  const customers: Customer[] = [
    ...generateCustomers({ seed: SEED, count: CUSTOMERS, branches: ['B001'], rmsPerBranch: 8 }),
  ];
  const localLimit = (validate: boolean) => {
    const local = createVault(join(dir.path, validate ? 'local-validated' : 'local'), secrets);
    profiles.push(local.profileId);
    const store = new CustomerStore(local.db);
    const ms = timeMs(() =>
      bulkLoad(local.db, () => {
        for (let start = 0; start < customers.length; start += 1000) {
          const page = customers.slice(start, start + 1000);
          store.insertMany(
            validate ? page.map((c) => customerSchema.parse(JSON.parse(JSON.stringify(c)))) : page,
          );
        }
      }),
    );
    local.close();
    return ms;
  };
  const insertOnlyMs = localLimit(false);
  const validatedMs = localLimit(true);
  const validateOnlyMs = timeMs(() => {
    for (const customer of customers) customerSchema.parse(JSON.parse(JSON.stringify(customer)));
  });

  const perSecond = (ms: number) => Math.round(CUSTOMERS / (ms / 1000));
  const results = {
    customers: CUSTOMERS,
    hq_seed_ms: Math.round(seedMs),
    initial_sync: {
      ms: Math.round(syncMs),
      customers_per_s: perSecond(syncMs),
      pulled,
      pages: summary.pages,
      peak_rss_mb: Math.round(peakRss / 2 ** 20),
    },
    local_limit: {
      insert_only_ms: Math.round(insertOnlyMs),
      insert_only_per_s: perSecond(insertOnlyMs),
      validated_ms: Math.round(validatedMs),
    },
    validate_only_ms: Math.round(validateOnlyMs),
    sync_vs_local_insert_ratio: round(syncMs / insertOnlyMs, 2),
    targets: { initial_sync_100k_ms_max: 10_000, sync_vs_local_ratio_max: 4, peak_rss_mb_max: 400 },
  };
  report(
    'sync',
    [
      ['measure', 'ms', 'customers/s', 'note'],
      [
        'initial sync from HQ (PGlite, HTTP)',
        results.initial_sync.ms,
        results.initial_sync.customers_per_s,
        `${summary.pages} pages, peak RSS ${results.initial_sync.peak_rss_mb} MB`,
      ],
      [
        'local limit: bulk insert into the vault',
        results.local_limit.insert_only_ms,
        results.local_limit.insert_only_per_s,
        '',
      ],
      [
        'local: validate + bulk insert',
        results.local_limit.validated_ms,
        perSecond(validatedMs),
        'what a pull must do per record',
      ],
      ['validate only (customerSchema)', results.validate_only_ms, perSecond(validateOnlyMs), ''],
      ['ratio sync / local insert', '', '', `${results.sync_vs_local_insert_ratio} (target ≤ 4)`],
    ],
    results,
  );
} finally {
  for (const id of profiles) {
    secrets.delete(keyAccounts(id).current);
    secrets.delete(`device:${id}`);
  }
  dir.cleanup();
}
