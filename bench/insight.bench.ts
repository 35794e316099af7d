// `npm run bench -- insight`: the relationship manager's book on the device, on the same
// customers in an encrypted vault and in a plain SQLite file with the same schema, side by side
// (each run on both, alternating which goes first):
//   - the home (every figure and the open tasks with their customers) for one RM's book of about
//     5,000 customers (target ≤ 300 ms) and for the whole branch (target ≤ 2 s);
//   - the list behind a figure (the branch's dormant customers, first page, sorted by day);
//   - rating every customer of the branch with the rule table (target ≤ 5 s for 200k);
//   - a supervisor's call list for a win-back campaign over the branch: the target found from
//     the book's columns, then only those records checked for consent and the cap; and, for
//     comparison, the same list made by unpacking every record of the branch.
//
//   --customers N   customers in the branch (default 200000)
//   --runs N        runs of each measure per side (default 9)
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3-multiple-ciphers';
import { CustomerStore } from '../electron/core/customers';
import { callList, campaignSchema } from '../shared/insight/campaign';
import { BookReader, type Book } from '../electron/core/insight/book';
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
import type { Customer } from '../shared/customer';
import { defaultRiskRules, rateCustomer } from '../shared/insight/risk';
import { generateCustomers } from '../shared/synthetic';
import { parseIsoDate } from '../shared/validation/dates';
import { tempDir } from '../test/support/files';
import { report, round, summarize, timeMs } from './support';

const { values } = parseArgs({
  options: {
    customers: { type: 'string', default: '200000' },
    runs: { type: 'string', default: '9' },
  },
});
const CUSTOMERS = Number(values.customers);
const RUNS = Number(values.runs);
const BATCH = 5000;
/** RMs in the branch: about 40% of customers have one, so a book is about 5,000 at 200k. */
const RMS = Math.max(1, Math.round((CUSTOMERS * 0.4) / 5000));
const today = parseIsoDate('2026-12-05')!;

const dir = tempDir('branchdesk-bench-insight-');
const secrets = new OsSecretStore();
let profileId = '';

type Side = 'encrypted' | 'plain';

try {
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
  bulkLoad(dbs.encrypted, () =>
    bulkLoad(dbs.plain, () => {
      let batch: Customer[] = [];
      const flush = () => {
        for (const side of ['encrypted', 'plain'] as const) stores[side].insertMany(batch);
        batch = [];
      };
      for (const customer of generateCustomers({
        seed: 2027,
        count: CUSTOMERS,
        branches: ['B001'],
        rmsPerBranch: RMS,
      })) {
        if (customer.assignedRmId)
          perRm.set(customer.assignedRmId, (perRm.get(customer.assignedRmId) ?? 0) + 1);
        batch.push(customer);
        if (batch.length === BATCH) flush();
      }
      if (batch.length) flush();
    }),
  );
  // The RM whose book is nearest 5,000.
  const [rmId, bookSize] = [...perRm].sort(
    (a, b) => Math.abs(a[1] - 5000) - Math.abs(b[1] - 5000),
  )[0]!;
  const readers: Record<Side, BookReader> = {
    encrypted: new BookReader(vault),
    plain: new BookReader({ db: plainDb } as Vault),
  };

  /** The home as insight.home computes it: the figures, then the tasks' customers. */
  const home = (side: Side, book: Book) => {
    const summary = readers[side].summary(book, today);
    readers[side].listItems(
      summary.tasks.map((task) => task.customerKey),
      today,
    );
    return summary.total;
  };
  const list = (side: Side) =>
    readers[side].list({ scope: 'branch' }, 'dormant', today, {
      offset: 0,
      limit: 200,
      sort: 'day',
      descending: false,
    }).total;
  const rateAll = (side: Side) => {
    let rated = 0;
    for (const { facts } of readers[side].entries({ scope: 'branch' })) {
      rateCustomer(facts, defaultRiskRules, today);
      rated++;
    }
    return rated;
  };

  // A win-back campaign by SMS over the branch: the supervisor's call list.
  const winBack = campaignSchema.parse({
    id: 'BENCH-WIN-BACK',
    title: { zh: '挽留', en: 'Win back' },
    script: { zh: '您好', en: 'Hello' },
    channel: 'sms',
    from: '2026-12-01',
    until: '2026-12-31',
    target: { lifeCycles: ['at_risk'] },
    contactCapPerMonth: 2,
  });
  /** The call list as insight.call_list builds it: the target from the book, then records. */
  const callListOf = (side: Side, keys: readonly number[]) => {
    const customers = (function* () {
      for (const key of keys) {
        const stored = stores[side].getByKey(key);
        if (stored) yield stored.customer;
      }
    })();
    return callList(customers, winBack, today).length;
  };
  const everyKey = (side: Side) =>
    dbs[side].prepare('SELECT customer_key FROM customer_book').pluck().all() as number[];

  const measures: Record<string, (side: Side) => number> = {
    home_rm_book: (side) => home(side, { scope: 'mine', rmId }),
    home_branch: (side) => home(side, { scope: 'branch' }),
    list_branch_dormant: list,
    rate_branch: rateAll,
    call_list_branch_at_risk: (side) =>
      callListOf(side, readers[side].targetKeys({ scope: 'branch' }, winBack.target, today)),
    // The same list as it was made before: every record of the branch unpacked.
    call_list_branch_at_risk_unpack_all: (side) => callListOf(side, everyKey(side)),
  };
  const targets: Record<string, number> = {
    home_rm_book: 300,
    home_branch: 2000,
    rate_branch: 5000,
  };

  const rows: (string | number)[][] = [
    ['measure', 'customers', 'enc first', 'enc p50', 'enc max', 'plain p50', 'p50 ratio', 'target'],
  ];
  const results: Record<string, unknown> = {};
  for (const [name, measure] of Object.entries(measures)) {
    const samples: Record<Side, number[]> = { encrypted: [], plain: [] };
    let counted = 0;
    for (let run = 0; run < RUNS; run++) {
      const order: Side[] = run % 2 ? ['plain', 'encrypted'] : ['encrypted', 'plain'];
      for (const side of order) samples[side].push(timeMs(() => (counted = measure(side))));
    }
    const encrypted = summarize(samples.encrypted);
    const plain = summarize(samples.plain);
    const first = round(samples.encrypted[0]!, 1);
    const max = round(Math.max(...samples.encrypted), 1);
    const ratio = round(encrypted.p50_ms / plain.p50_ms, 3);
    results[name] = {
      customers: counted,
      encrypted: { ...encrypted, first_ms: first, max_ms: max },
      plain,
      p50_ratio: ratio,
      ...(targets[name] ? { target_ms: targets[name] } : {}),
    };
    rows.push([
      name,
      counted,
      first,
      round(encrypted.p50_ms, 1),
      max,
      round(plain.p50_ms, 1),
      ratio,
      targets[name] ?? '',
    ]);
  }
  vault.close();
  plainDb.close();
  report('insight', rows, {
    branch_customers: CUSTOMERS,
    rm_book: bookSize,
    rms: RMS,
    runs: RUNS,
    ...results,
  });
} finally {
  if (profileId) secrets.delete(keyAccounts(profileId).current);
  dir.cleanup();
}
