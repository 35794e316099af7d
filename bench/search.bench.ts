// `npm run bench -- search`: search latency per query class, on the same customers in an
// encrypted vault and in a plain SQLite file with the same schema, side by side: each query
// runs on both, alternating which goes first.
//
//   --customers N   customers to load (default 200000)
//   --queries N     queries per class (default 300)
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3-multiple-ciphers';
import { CustomerStore } from '../electron/core/customers';
import { namePinyin, nationalNumber } from '../electron/core/customers/terms';
import { CustomerSearch } from '../electron/core/search';
import { OsSecretStore } from '../electron/core/secrets';
import {
  bulkLoad,
  createVault,
  keyAccounts,
  migrate,
  type SqliteDatabase,
} from '../electron/core/vault';
import { applyConnectionPragmas } from '../electron/core/vault/sqlcipher';
import type { Customer } from '../shared/customer';
import { generateCustomers } from '../shared/synthetic';
import { tempDir } from '../test/support/files';
import { report, round, summarize, timeMs } from './support';

const { values } = parseArgs({
  options: {
    customers: { type: 'string', default: '200000' },
    queries: { type: 'string', default: '300' },
  },
});
const CUSTOMERS = Number(values.customers);
const QUERIES = Number(values.queries);
const BATCH = 5000;

const dir = tempDir('branchdesk-bench-search-');
const secrets = new OsSecretStore();
let profileId = '';

try {
  const vault = createVault(join(dir.path, 'encrypted'), secrets);
  profileId = vault.profileId;
  const plain = new Database(join(dir.path, 'plain.db'));
  plain.pragma('journal_mode = WAL');
  applyConnectionPragmas(plain);
  migrate(plain);
  const sides = { encrypted: vault.db, plain } as Record<'encrypted' | 'plain', SqliteDatabase>;

  // --- load: the same batches into both, through the bulk-load path ---
  const sample: Customer[] = [];
  const loadMs = { encrypted: 0, plain: 0 };
  const stores = {
    encrypted: new CustomerStore(sides.encrypted),
    plain: new CustomerStore(sides.plain),
  };
  const stride = Math.max(1, Math.floor(CUSTOMERS / (QUERIES * 4)));
  bulkLoad(sides.encrypted, () =>
    bulkLoad(sides.plain, () => {
      let batch: Customer[] = [];
      const flush = () => {
        for (const side of ['encrypted', 'plain'] as const)
          loadMs[side] += timeMs(() => stores[side].insertMany(batch));
        batch = [];
      };
      let index = 0;
      for (const customer of generateCustomers({
        seed: 2026,
        count: CUSTOMERS,
        branches: ['B001', 'B002', 'B003'],
        rmsPerBranch: 8,
      })) {
        if (index++ % stride === 0) sample.push(customer);
        batch.push(customer);
        if (batch.length === BATCH) flush();
      }
      if (batch.length) flush();
    }),
  );

  // --- queries per class, drawn from customers that are in the vault ---
  const individuals = sample.filter((c) => c.kind === 'individual');
  const take = (list: string[]) => list.filter(Boolean).slice(0, QUERIES);
  const names = (length: number) =>
    individuals.map((c) => c.legalName).filter((name) => [...name].length === length);
  const residentIds = individuals.map(
    (c) => c.identityDocuments.find((d) => d.type === 'resident_id')?.number ?? '',
  );
  const classes: Record<string, string[]> = {
    full_id: take(residentIds),
    id_tail: take(residentIds.map((id) => id.slice(-6))),
    // As typed at the counter: mobiles as 11 digits, landlines with their trunk 0 and area code.
    phone: take(
      sample.map((c) =>
        c.phones[0]
          ? (c.phones[0].kind === 'mobile' ? '' : '0') + nationalNumber(c.phones[0].e164)
          : '',
      ),
    ),
    phone_tail: take(
      sample.map((c) => (c.phones[0] ? nationalNumber(c.phones[0].e164).slice(-4) : '')),
    ),
    account_tail: take(
      sample.map((c) => c.accounts[0]?.maskedNumber.replace(/\D/g, '').slice(-4) ?? ''),
    ),
    name_2_chars: take(names(2)),
    name_3_chars: take(names(3)),
    pinyin_full: take(individuals.map((c) => namePinyin(c.legalName)?.syllables.join('') ?? '')),
    pinyin_initials: take(individuals.map((c) => namePinyin(c.legalName)?.initials ?? '')),
    no_match: Array.from(
      { length: QUERIES },
      (_, i) => `xqzv${String.fromCharCode(97 + (i % 26))}`,
    ),
  };

  const searches = {
    encrypted: new CustomerSearch(sides.encrypted),
    plain: new CustomerSearch(sides.plain),
  };
  // Warm both page caches the way a desk in use is warm: one pass over every class.
  for (const queries of Object.values(classes))
    for (const q of queries)
      for (const side of ['encrypted', 'plain'] as const)
        searches[side].search(q, { limit: 20, offset: 0 });

  const rows: (string | number)[][] = [
    ['query class', 'n', 'enc p50', 'enc p95', 'enc p99', 'plain p95', 'p95 ratio', 'hits/query'],
  ];
  const results: Record<string, unknown> = {};
  let worstRatio = 0;
  let worstP95 = 0;
  for (const [name, queries] of Object.entries(classes)) {
    const samples = { encrypted: [] as number[], plain: [] as number[] };
    let hits = 0;
    queries.forEach((query, index) => {
      const order =
        index % 2 ? (['plain', 'encrypted'] as const) : (['encrypted', 'plain'] as const);
      for (const side of order) {
        let found = 0;
        samples[side].push(
          timeMs(
            () => (found = searches[side].search(query, { limit: 20, offset: 0 }).items.length),
          ),
        );
        if (side === 'encrypted') hits += found;
      }
    });
    const encrypted = summarize(samples.encrypted);
    const plainStats = summarize(samples.plain);
    const ratio = round(encrypted.p95_ms / plainStats.p95_ms, 3);
    worstRatio = Math.max(worstRatio, ratio);
    worstP95 = Math.max(worstP95, encrypted.p95_ms);
    results[name] = {
      encrypted,
      plain: plainStats,
      p95_ratio: ratio,
      hits_per_query: round(hits / queries.length, 2),
    };
    rows.push([
      name,
      queries.length,
      encrypted.p50_ms,
      encrypted.p95_ms,
      encrypted.p99_ms,
      plainStats.p95_ms,
      ratio,
      round(hits / queries.length, 2),
    ]);
  }
  vault.close();
  plain.close();
  report('search', rows, {
    customers: CUSTOMERS,
    load: {
      encrypted_ms: Math.round(loadMs.encrypted),
      plain_ms: Math.round(loadMs.plain),
      ratio: round(loadMs.encrypted / loadMs.plain, 3),
    },
    classes: results,
    worst: { encrypted_p95_ms: worstP95, p95_ratio: worstRatio },
    targets: { encrypted_p95_ms_max: 5, p95_ratio_max: 1.3 },
  });
  console.log(
    `load: encrypted ${Math.round(loadMs.encrypted)} ms, plain ${Math.round(loadMs.plain)} ms (${CUSTOMERS} customers)`,
  );
} finally {
  if (profileId) secrets.delete(keyAccounts(profileId).current);
  dir.cleanup();
}
