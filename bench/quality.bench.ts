// `npm run bench -- quality`: data quality at scale (docs/QUALITY.md).
//   - On the device: a branch of 200,000 customers (a fifth with a planted problem) scored from
//     the book's columns (quality.score), for the branch (target ≤ 5 s) and one RM's book, in an
//     encrypted vault and a plain SQLite file side by side (alternating which goes first); and,
//     for comparison, the same score made by unpacking every record and running the shared rules.
//   - At HQ on PostgreSQL (a throwaway cluster, test/support/postgres.ts): the quality report over
//     every branch (target ≤ 60 s at 1,000,000) from the facts HQ's writers keep, the same after
//     a release with new rules (every record judged again first), the cross-branch duplicate
//     search, and the floor of judging records in Node: reading every record once.
//
//   --customers N      customers on the device (default 200000)
//   --hq-customers N   customers at HQ (default 1000000; 0 skips HQ)
//   --runs N           runs of each device measure per side (default 5)
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3-multiple-ciphers';
import { CustomerStore, unpackRecord } from '../electron/core/customers';
import { QualityReader } from '../electron/core/quality/score';
import { OsSecretStore } from '../electron/core/secrets';
import {
  bulkLoad,
  createVault,
  keyAccounts,
  migrate,
  type SqliteDatabase,
  type Vault,
} from '../electron/core/vault';
import { applyConnectionPragmas } from '../electron/core/vault/sqlcipher';
import { openDatabase } from '../hq/db/database';
import { findDuplicates } from '../hq/duplicates';
import { qualityReport } from '../hq/quality';
import { seedHq } from '../hq/seed';
import { migrate as migrateHq } from '../hq/db/migrate';
import type { Customer } from '../shared/customer';
import { qualityTally } from '../shared/quality/rules';
import { generateCustomers } from '../shared/synthetic';
import { parseIsoDate } from '../shared/validation/dates';
import { tempDir } from '../test/support/files';
import { startPostgres } from '../test/support/postgres';
import { report, round, summarize, timeMs } from './support';

const { values } = parseArgs({
  options: {
    customers: { type: 'string', default: '200000' },
    'hq-customers': { type: 'string', default: '1000000' },
    runs: { type: 'string', default: '5' },
  },
});
const CUSTOMERS = Number(values.customers);
const HQ_CUSTOMERS = Number(values['hq-customers']);
const RUNS = Number(values.runs);
const TODAY = '2026-12-05';
const today = parseIsoDate(TODAY)!;
const RMS = Math.max(1, Math.round((CUSTOMERS * 0.4) / 5000));

const dir = tempDir('branchdesk-bench-quality-');
const secrets = new OsSecretStore();
let profileId = '';
type Side = 'encrypted' | 'plain';
const rows: (string | number)[][] = [
  ['measure', 'customers', 'enc p50 (or once)', 'plain p50', 'ratio', 'target'],
];
const results: Record<string, unknown> = {};

try {
  // ---- the device ---------------------------------------------------------------------------
  const vault = createVault(join(dir.path, 'encrypted'), secrets);
  profileId = vault.profileId;
  const plainDb = new Database(join(dir.path, 'plain.db'));
  plainDb.pragma('journal_mode = WAL');
  applyConnectionPragmas(plainDb);
  migrate(plainDb);
  const dbs: Record<Side, SqliteDatabase> = { encrypted: vault.db, plain: plainDb };
  const stores = {
    encrypted: new CustomerStore(dbs.encrypted),
    plain: new CustomerStore(dbs.plain),
  };
  const perRm = new Map<string, number>();
  const loaded = timeMs(() =>
    bulkLoad(dbs.encrypted, () =>
      bulkLoad(dbs.plain, () => {
        let batch: Customer[] = [];
        const flush = () => {
          for (const side of ['encrypted', 'plain'] as const) stores[side].insertMany(batch);
          batch = [];
        };
        for (const customer of generateCustomers({
          seed: 2028,
          count: CUSTOMERS,
          branches: ['B001'],
          rmsPerBranch: RMS,
          plant: { today: TODAY, rate: 0.2 },
        })) {
          if (customer.assignedRmId)
            perRm.set(customer.assignedRmId, (perRm.get(customer.assignedRmId) ?? 0) + 1);
          batch.push(customer);
          if (batch.length === 5000) flush();
        }
        if (batch.length) flush();
      }),
    ),
  );
  console.log(`loaded ${CUSTOMERS} customers into both sides in ${round(loaded / 1000, 1)} s`);
  const [rmId] = [...perRm].sort((a, b) => Math.abs(a[1] - 5000) - Math.abs(b[1] - 5000))[0]!;
  const readers: Record<Side, QualityReader> = {
    encrypted: new QualityReader(vault),
    plain: new QualityReader({ db: plainDb } as Vault),
  };
  const measures: Record<string, (side: Side) => number> = {
    score_branch: (side) => readers[side].score({ scope: 'branch' }, today).records,
    score_rm_book: (side) => readers[side].score({ scope: 'mine', rmId }, today).records,
    list_branch_stale_first_page: (side) =>
      readers[side].list({ scope: 'branch' }, 'stale_contacts', today, { offset: 0, limit: 100 })
        .total,
  };
  const targets: Record<string, number> = { score_branch: 5000 };
  for (const [name, measure] of Object.entries(measures)) {
    const samples: Record<Side, number[]> = { encrypted: [], plain: [] };
    let counted = 0;
    for (let run = 0; run < RUNS; run++) {
      const order: Side[] = run % 2 ? ['plain', 'encrypted'] : ['encrypted', 'plain'];
      for (const side of order) samples[side].push(timeMs(() => (counted = measure(side))));
    }
    const encrypted = summarize(samples.encrypted);
    const plain = summarize(samples.plain);
    const ratio = round(encrypted.p50_ms / plain.p50_ms, 3);
    results[`device.${name}`] = {
      customers: counted,
      encrypted,
      plain,
      ratio,
      ...(targets[name] ? { target_ms: targets[name] } : {}),
    };
    rows.push([
      `device ${name}`,
      counted,
      round(encrypted.p50_ms, 1),
      round(plain.p50_ms, 1),
      ratio,
      targets[name] ?? '',
    ]);
  }
  // The floor a score must beat without the book's columns: every record unpacked and judged.
  const unpackAll = timeMs(() => {
    const tally = qualityTally({ today: TODAY });
    for (const record of dbs.encrypted.prepare('SELECT record FROM customer').pluck().iterate())
      tally.add(unpackRecord(record as Buffer));
  });
  results['device.score_branch_unpack_every_record'] = { encrypted_ms: round(unpackAll, 1) };
  rows.push(['device score by unpacking every record', CUSTOMERS, round(unpackAll, 1), '', '', '']);
  vault.close();
  plainDb.close();

  // ---- HQ on PostgreSQL ---------------------------------------------------------------------
  if (HQ_CUSTOMERS > 0) {
    const cluster = await startPostgres();
    try {
      const db = await openDatabase({ dataDir: join(dir.path, 'hq'), databaseUrl: cluster.url });
      await migrateHq(db);
      const seeded = performance.now();
      await seedHq(db, {
        customers: HQ_CUSTOMERS,
        branches: 20,
        seed: 2029,
        plantProblems: 0.2,
      });
      console.log(
        `seeded HQ with ${HQ_CUSTOMERS} customers in ${round((performance.now() - seeded) / 1000, 1)} s`,
      );
      const once = async (name: string, work: () => Promise<number>, target?: number) => {
        const started = performance.now();
        const counted = await work();
        const ms = round(performance.now() - started, 1);
        results[`hq.${name}`] = {
          customers: counted,
          postgres_ms: ms,
          ...(target ? { target_ms: target } : {}),
        };
        rows.push([`hq ${name}`, counted, ms, '', '', target ?? '']);
      };
      await once('read_every_record_floor', async () => {
        let read = 0;
        let after = '00000000-0000-0000-0000-000000000000';
        for (;;) {
          const page = await db.query<{ id: string; record: unknown }>(
            'SELECT id, record FROM customer WHERE id > $1 ORDER BY id LIMIT 2000',
            [after],
          );
          read += page.length;
          if (page.length < 2000) break;
          after = page.at(-1)!.id;
        }
        return read;
      });
      await once('duplicates_across_branches', async () => (await findDuplicates(db)).length);
      await once(
        'quality_report_all_branches',
        async () =>
          [...(await qualityReport(db, { today: TODAY })).values()].reduce(
            (sum, score) => sum + score.records,
            0,
          ),
        60_000,
      );
      // After a release with new rules (or phone ranges): every record judged again, then counted.
      await db.query('UPDATE customer SET quality_stamp = NULL');
      await once('quality_report_every_record_judged_again', async () =>
        [...(await qualityReport(db, { today: TODAY })).values()].reduce(
          (sum, score) => sum + score.records,
          0,
        ),
      );
      await db.close();
    } finally {
      cluster.stop();
    }
  }
  report('quality', rows, results);
} finally {
  if (profileId) secrets.delete(keyAccounts(profileId).current);
  dir.cleanup();
}
