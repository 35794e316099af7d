// `npm run bench -- vault`: what encryption costs. The same rows go into an SQLCipher vault and
// into a plain SQLite file with the same settings, interleaved batch by batch so machine noise
// hits both sides alike; then open time and random point reads, side by side.
//
//   --rows N     rows to insert (default 200000)
//   --reads N    point reads measured per side (default 100000)
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3-multiple-ciphers';
import { OsSecretStore } from '../electron/core/secrets';
import {
  bulkLoad,
  CACHE_SIZE_KIB,
  createVault,
  keyAccounts,
  openVault,
  type SqliteDatabase,
} from '../electron/core/vault';
import { applyConnectionPragmas } from '../electron/core/vault/sqlcipher';
import { tempDir } from '../test/support/files';
import { report, round, summarize, timeMs } from './support';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '200000' },
    reads: { type: 'string', default: '100000' },
  },
});
const ROWS = Number(values.rows);
const READS = Number(values.reads);
const BATCH = 10_000;

/** A deterministic stand-in for a customer record: ~1 KB of JSON with a unique external id. */
function row(id: number): [number, string, string] {
  const seed = (id * 2654435761) >>> 0;
  const text = (n: number) => (seed + n).toString(36).repeat(6);
  const body = JSON.stringify({
    id,
    kind: seed % 5 ? 'individual' : 'corporate',
    note: text(1),
    address: text(2),
    employer: text(3),
    history: Array.from({ length: 8 }, (_, i) => ({
      at: 1_700_000_000 + seed + i,
      what: text(i + 4),
    })),
  });
  return [id, `C${String(id).padStart(10, '0')}`, body];
}

const schema =
  'CREATE TABLE bench_row (id INTEGER PRIMARY KEY, external_id TEXT NOT NULL UNIQUE, body TEXT NOT NULL)';

function openPlain(file: string): SqliteDatabase {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  applyConnectionPragmas(db);
  db.prepare('SELECT count(*) FROM sqlite_schema').get();
  return db;
}

const dir = tempDir('branchdesk-bench-');
const secrets = new OsSecretStore();
const encryptedDir = join(dir.path, 'encrypted');
const plainFile = join(dir.path, 'plain.db');
let profileId = '';
let splitProfileId = '';

try {
  // --- bulk insert, interleaved ---
  const created = createVault(encryptedDir, secrets);
  profileId = created.profileId;
  const sides = { encrypted: created.db, plain: openPlain(plainFile) };
  for (const db of Object.values(sides)) db.exec(schema);
  const insertMs = { encrypted: 0, plain: 0 };
  // The vault's bulk-load path (rollback journal), applied to both sides alike.
  bulkLoad(sides.encrypted, () =>
    bulkLoad(sides.plain, () => {
      for (let start = 1; start <= ROWS; start += BATCH) {
        const rows = Array.from({ length: Math.min(BATCH, ROWS - start + 1) }, (_, i) =>
          row(start + i),
        );
        const order =
          (start / BATCH) % 2
            ? (['plain', 'encrypted'] as const)
            : (['encrypted', 'plain'] as const);
        for (const side of order) {
          const db = sides[side];
          const insert = db.prepare(
            'INSERT INTO bench_row (id, external_id, body) VALUES (?, ?, ?)',
          );
          insertMs[side] += timeMs(() =>
            db.transaction(() => rows.forEach((r) => insert.run(...r)))(),
          );
        }
      }
    }),
  );
  for (const db of Object.values(sides)) {
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
  }

  // --- the same inserts through the WAL (the interactive write path), checkpoint timed apart ---
  // SQLite3MultipleCiphers re-encrypts every frame a WAL checkpoint copies into the main file
  // (official SQLCipher copies frames as they are), which is why bulk loads avoid the WAL.
  const split = { encrypted: { commit: 0, checkpoint: 0 }, plain: { commit: 0, checkpoint: 0 } };
  {
    const splitRows = Math.min(ROWS, 50_000);
    const splitVault = createVault(join(dir.path, 'split'), secrets);
    splitProfileId = splitVault.profileId;
    const dbs = { encrypted: splitVault.db, plain: openPlain(join(dir.path, 'split-plain.db')) };
    for (const [side, db] of Object.entries(dbs) as ['encrypted' | 'plain', SqliteDatabase][]) {
      db.exec(schema);
      db.pragma('wal_autocheckpoint = 0');
      const insert = db.prepare('INSERT INTO bench_row (id, external_id, body) VALUES (?, ?, ?)');
      for (let start = 1; start <= splitRows; start += BATCH) {
        const rows = Array.from({ length: Math.min(BATCH, splitRows - start + 1) }, (_, i) =>
          row(start + i),
        );
        split[side].commit += timeMs(() =>
          db.transaction(() => rows.forEach((r) => insert.run(...r)))(),
        );
      }
      split[side].checkpoint = timeMs(() => db.pragma('wal_checkpoint(TRUNCATE)'));
      db.close();
    }
  }

  // --- open an existing vault: keychain, key check, pragmas, migrations checked ---
  const openMs = {
    encrypted: [] as number[],
    encryptedColdStore: [] as number[],
    plain: [] as number[],
  };
  for (let i = 0; i < 15; i++) {
    openMs.encrypted.push(timeMs(() => openVault(encryptedDir, secrets).close()));
    // A fresh store probes the keychain again, as the first open after the app starts does.
    openMs.encryptedColdStore.push(
      timeMs(() => openVault(encryptedDir, new OsSecretStore()).close()),
    );
    openMs.plain.push(timeMs(() => openPlain(plainFile).close()));
  }

  // --- random point reads by external id, same sequence on both sides, interleaved ---
  const vault = openVault(encryptedDir, secrets);
  const readers = { encrypted: vault.db, plain: openPlain(plainFile) };
  const ids = Array.from(
    { length: READS },
    () => `C${String(1 + (randomBytes(4).readUInt32LE() % ROWS)).padStart(10, '0')}`,
  );
  const lookups = Object.fromEntries(
    Object.entries(readers).map(([side, db]) => [
      side,
      db.prepare('SELECT body FROM bench_row WHERE external_id = ?').pluck(),
    ]),
  ) as Record<'encrypted' | 'plain', Database.Statement>;
  /** Times `list` on both sides, 1000 lookups at a time, alternating which side goes first. */
  const measure = (list: string[]) => {
    const samples = { encrypted: [] as number[], plain: [] as number[] };
    const total = { encrypted: 0, plain: 0 };
    for (let start = 0; start < list.length; start += 1000) {
      const order =
        (start / 1000) % 2 ? (['plain', 'encrypted'] as const) : (['encrypted', 'plain'] as const);
      for (const side of order) {
        const began = performance.now();
        for (const id of list.slice(start, start + 1000)) {
          const t = performance.now();
          lookups[side].get(id);
          samples[side].push(performance.now() - t);
        }
        total[side] += performance.now() - began;
      }
    }
    return { samples, total };
  };
  // Cold: straight after opening, every miss is a disk read (decrypt + HMAC on the vault side).
  const cold = measure(ids.slice(0, 20_000));
  // Steady state, as a desk that has been open a while: every row read once, then measured.
  for (const side of ['encrypted', 'plain'] as const)
    readers[side].prepare('SELECT body FROM bench_row').pluck().all();
  const warm = measure(ids);
  const readSamples = warm.samples;
  const readTotal = warm.total;
  vault.close();
  readers.plain.close();

  const insertRate = (side: 'encrypted' | 'plain') => Math.round(ROWS / (insertMs[side] / 1000));
  const readRate = (side: 'encrypted' | 'plain') => Math.round(READS / (readTotal[side] / 1000));
  const open = {
    encrypted: summarize(openMs.encrypted),
    encrypted_first_in_process: summarize(openMs.encryptedColdStore),
    plain: summarize(openMs.plain),
  };
  const reads = {
    encrypted: summarize(readSamples.encrypted),
    plain: summarize(readSamples.plain),
  };
  const coldReads = {
    encrypted: summarize(cold.samples.encrypted),
    plain: summarize(cold.samples.plain),
  };
  const results = {
    rows: ROWS,
    cache_size_kib: CACHE_SIZE_KIB,
    bulk_insert: {
      encrypted_rows_per_s: insertRate('encrypted'),
      plain_rows_per_s: insertRate('plain'),
      ratio: round(insertMs.encrypted / insertMs.plain, 3),
      target_ratio_max: 2,
      path: 'bulkLoad (rollback journal)',
      through_wal: {
        rows: Math.min(ROWS, 50_000),
        ratio: round(
          (split.encrypted.commit + split.encrypted.checkpoint) /
            (split.plain.commit + split.plain.checkpoint),
          3,
        ),
        commits_ratio: round(split.encrypted.commit / split.plain.commit, 3),
        checkpoint_ratio: round(split.encrypted.checkpoint / split.plain.checkpoint, 3),
      },
    },
    point_read: {
      encrypted_reads_per_s: readRate('encrypted'),
      plain_reads_per_s: readRate('plain'),
      encrypted: reads.encrypted,
      plain: reads.plain,
      ratio: round(readTotal.encrypted / readTotal.plain, 3),
      target_ratio_max: 1.3,
      cold: {
        encrypted: coldReads.encrypted,
        plain: coldReads.plain,
        ratio: round(cold.total.encrypted / cold.total.plain, 3),
      },
    },
    open: {
      ...open,
      ratio: round(open.encrypted.p50_ms / open.plain.p50_ms, 2),
      target_encrypted_p50_ms_max: 50,
    },
  };
  report(
    'vault',
    [
      ['measure', 'encrypted', 'plain', 'ratio (enc/plain)', 'target'],
      [
        'bulk insert rows/s',
        results.bulk_insert.encrypted_rows_per_s,
        results.bulk_insert.plain_rows_per_s,
        results.bulk_insert.ratio,
        '≤ 2',
      ],
      [
        'insert through the WAL (interactive path)',
        '',
        '',
        results.bulk_insert.through_wal.ratio,
        '(info)',
      ],
      ['  of which commits', '', '', results.bulk_insert.through_wal.commits_ratio, '(info)'],
      [
        '  of which WAL checkpoint',
        '',
        '',
        results.bulk_insert.through_wal.checkpoint_ratio,
        '(info)',
      ],
      [
        'point read reads/s',
        results.point_read.encrypted_reads_per_s,
        results.point_read.plain_reads_per_s,
        results.point_read.ratio,
        '≤ 1.3',
      ],
      [
        'point read p95 ms',
        reads.encrypted.p95_ms,
        reads.plain.p95_ms,
        round(reads.encrypted.p95_ms / reads.plain.p95_ms, 2),
        '',
      ],
      ['point read, cold cache', '', '', results.point_read.cold.ratio, '(info)'],
      [
        'open p50 ms (store warm)',
        open.encrypted.p50_ms,
        open.plain.p50_ms,
        results.open.ratio,
        '< 50 ms',
      ],
      [
        'open p50 ms (first in process)',
        open.encrypted_first_in_process.p50_ms,
        open.plain.p50_ms,
        round(open.encrypted_first_in_process.p50_ms / open.plain.p50_ms, 2),
        '< 50 ms',
      ],
    ],
    results,
  );
} finally {
  if (profileId) secrets.delete(keyAccounts(profileId).current);
  if (splitProfileId) secrets.delete(keyAccounts(splitProfileId).current);
  dir.cleanup();
}
