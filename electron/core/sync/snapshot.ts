// The initial sync as a snapshot (docs/SYNC-PROTOCOL.md, "Initial sync"). A device that holds
// nothing from HQ yet does not replay the change feed: it reads its whole scope from HQ in
// customer-id order (`GET /v1/snapshot`, a chunk at a time), builds a staging database from it
// beside the vault, and then switches that file in, once, atomically; the cursor-based pull
// takes over from the snapshot's cursor.
//
// The staging file is encrypted with the vault's own key and holds only what HQ can send again,
// so it is written with `synchronous = OFF`: a killed process loses nothing committed (the OS has
// it), and a file damaged by a power cut is thrown away and downloaded again. Each chunk commits
// with the position it reached, so a crash costs at most one chunk of downloading again (and the
// one asked for ahead).
// Search terms are not indexed as they arrive (each slice would rewrite pages all over the
// index): they are appended to a side file and, once every customer is in, sorted and written in
// order by SQLite on a worker thread (on the core's own for a scope of one chunk, milliseconds
// where starting the thread took more). The desk keeps working on the vault as it was throughout:
// the loader's own turns are a slice of a hundred customers, and the heavy sort runs off-thread.
//
// The switch copies the device's own tables (outbox, audit log, staff, settings: everything the
// snapshot does not build) from the vault into the staging file, merges the customers the
// device made or changed itself, then replaces the vault file with it by a rename. A crash before
// the rename leaves the old vault in use and the switch is done again; after it, the new one.
import { chmodSync, closeSync, existsSync, fsyncSync, openSync, renameSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Statement } from 'better-sqlite3-multiple-ciphers';
import { checkMasterRecord, type Customer } from '../../../shared/customer';
import { BranchDeskError } from '../../../shared/errors';
import { SnapshotPosition, type SnapshotChunk } from '../../../shared/protocol/hq';
import { recordHash } from '../../../shared/sync/record-hash';
import { sha256Hex } from '../audit/log';
import {
  CustomerStore,
  customerJson,
  customerTerms,
  packCustomerJson,
  prepareInsert,
  type Packed,
  unpackRecord,
  unpackRecordJson,
  type CustomerJson,
  type PreparedInsert,
} from '../customers';
import { faultPoint } from '../fault';
import type { HqClient } from '../hq-client/client';
import { log } from '../log';
import type { SecretStore } from '../secrets';
import {
  LATEST_SCHEMA_VERSION,
  keyAccounts,
  migrate,
  openVault,
  vaultPaths,
  type SqliteDatabase,
  type Vault,
} from '../vault';
import { runOffThread } from '../vault/off-thread';
import { createCipherDatabase, isWrongKeyError, openCipherDatabase } from '../vault/sqlcipher';
import { adoptEpoch } from './epoch';
import { EPOCH_KEY, SyncState } from './outbox';
import { rebase } from './rebase';
import { LazyPacker, otherWork, PACK_ON_WORKER_AT, type PullProgress } from './pull';

/**
 * Customers a snapshot request asks for: about 0.45 MB of JSON, parsed in ~7 ms. The next chunk
 * is asked for while one is written, and a chunk commits once its last slice is written, so a
 * crash downloads again at most the chunk being written and the one asked for ahead: 500
 * customers.
 */
export const SNAPSHOT_CHUNK = 250;

/**
 * Customers checked, made into rows and written per turn of the core's thread: a search waits for
 * at most one turn. Fifty instead made the p95 wait 13 ms rather than 24 on a busy machine, but
 * cost seconds of writing when each slice committed (as they did until 2026-12-07; now a chunk
 * does); on a quiet machine a hundred keeps it near 12 ms.
 */
export const SNAPSHOT_SLICE = 100;

/**
 * Customers up to which a snapshot's terms are sorted and its indexes built on the core's own
 * thread (a few milliseconds); a bigger scope has them built on a worker thread.
 */
export const INDEX_HERE_UP_TO = SNAPSHOT_CHUNK;

/**
 * Tables the snapshot builds (the book's facts are written with each record); every other table
 * is the device's own and moves at the switch.
 */
const BUILT_TABLES = new Set([
  'customer',
  'customer_book',
  'customer_term',
  'customer_term_recent',
  'vault_meta',
]);

const META = {
  at: 'snapshot.at',
  after: 'snapshot.after',
  epoch: 'snapshot.epoch',
  total: 'snapshot.total',
  loaded: 'snapshot.loaded',
  /** How the staging file and its side file are laid out (STAGING_FORMAT). */
  format: 'snapshot.format',
  /** `chunks` while downloading, `ready` once the terms are indexed. */
  phase: 'snapshot.phase',
  /** HQ's record of a customer that had edits of this device's at the switch, as HQ sent it. */
  master: 'snapshot.master.',
  /** The SQL of an index of DEFERRED_INDEXES, dropped while the rows load. */
  index: 'snapshot.index.',
} as const;

/**
 * Indexes of the customer table a download builds at its end, in one sorted pass, instead of
 * keeping them row by row: customer numbers (and the scope digest's id-ordered index) come in no
 * useful order, so each slice touched pages all over them, and writing the rows of 100k customers
 * took 6.0 s with them, 1.9 s without, plus 1.0 s to build them after (here, 2026-12-05).
 */
const DEFERRED_INDEXES = [
  'customer_by_number',
  'customer_scope',
  'customer_by_name',
  // The book's indexes lead with the RM, the date a review or a complaint is due: no order a
  // snapshot's rows come in either. Built at the end they are also packed full, not half empty.
  'customer_book_figures',
  'customer_book_complaints',
  'customer_book_quality',
] as const;

const CURSOR_KEY = 'sync.cursor';

/**
 * The layout of a staging file and its side file; one a build of another layout left is begun
 * anew. 3: the side file keeps a slice's terms of a tag as one row of JSON (2026-12-07).
 */
const STAGING_FORMAT = '3';

export interface SnapshotSummary {
  /** The snapshot's cursor, where the pull goes on from. */
  at: number;
  /** Customers HQ sent (this run and any run before it that was cut short). */
  loaded: number;
  /** Chunks downloaded by this run. */
  chunks: number;
  /** A staging file left by an earlier run was taken up again. */
  resumed: boolean;
  /** Records this build's schema refuses (logged by id, not stored). */
  invalid: number;
  /** Where this run's time went, in ms of the core's thread (and the sort's worker). */
  ms: {
    /** For HQ's chunks (the next is asked for while one is written). */
    waiting: number;
    checking: number;
    /** For the record packer's thread to send back a slice's packed records. */
    packing: number;
    writing: number;
    indexing: number;
    switching: number;
  };
}

/** Adds the time `work` takes to `summary.ms[step]`. */
function timed<T>(summary: SnapshotSummary, step: keyof SnapshotSummary['ms'], work: () => T): T {
  const started = performance.now();
  try {
    return work();
  } finally {
    summary.ms[step] += performance.now() - started;
  }
}

/** The staging file and the side file of its search terms, beside the vault's file. */
export function snapshotPaths(dataDir: string) {
  const database = vaultPaths(dataDir).database;
  return { staging: `${database}.snapshot`, terms: `${database}.snapshot-terms` };
}

/**
 * Whether a sync should start with a snapshot: the device has never pulled (no cursor at all).
 * A pull that ran, a snapshot switched in, and a restart after HQ's restore (sync/epoch.ts sets
 * the cursor to 0) all leave a cursor, and go on by the change feed. Customers made here and
 * already pushed do not count: the snapshot brings HQ's copy of them.
 */
export function wantsSnapshot(vault: Vault): boolean {
  return vault.db.prepare('SELECT 1 FROM vault_meta WHERE key = ?').get(CURSOR_KEY) === undefined;
}

/**
 * Clears what a snapshot may have left once it is not wanted any more: its files, and its notes
 * in the vault (a switch cut short right after the rename keeps them).
 */
export function settleSnapshot(vault: Vault): void {
  removeSnapshotFiles(vault.dataDir);
  vault.db.prepare("DELETE FROM vault_meta WHERE key >= 'snapshot.' AND key < 'snapshot/'").run();
}

/** Removes a staging file and its side file (an abandoned or finished snapshot). */
export function removeSnapshotFiles(dataDir: string): void {
  removeStaging(snapshotPaths(dataDir));
}

function removeStaging({ staging, terms }: ReturnType<typeof snapshotPaths>): void {
  for (const file of [staging, terms])
    for (const suffix of ['', '-journal', '-wal', '-shm'])
      rmSync(`${file}${suffix}`, { force: true });
}

/**
 * Loads the device's scope as a snapshot and switches it in as the vault. Afterwards the vault's
 * cursor is the snapshot's, and `vault.db` is a connection to the new file.
 */
export async function loadSnapshot(
  vault: Vault,
  secrets: SecretStore,
  client: HqClient,
  options: { chunkSize?: number; onProgress?: (progress: PullProgress) => void } = {},
): Promise<SnapshotSummary> {
  const key = secrets.get(keyAccounts(vault.profileId)[vault.keySource]);
  if (key === null) throw new BranchDeskError('VAULT_KEY_MISSING', { profileId: vault.profileId });
  const paths = snapshotPaths(vault.dataDir);
  for (let restarts = 0; ; restarts++) {
    const staging = openStaging(paths, key);
    let summary: SnapshotSummary;
    try {
      summary = await download(staging, vault, client, key, paths, options);
    } catch (error) {
      if (staging.open) staging.close();
      if (!(error instanceof EpochChanged)) throw error;
      // HQ was restored from a backup mid-snapshot: what was loaded may be from before it.
      removeStaging(paths);
      if (restarts >= 2) throw new BranchDeskError('HQ_PROTOCOL_ERROR', { status: 200 });
      continue;
    }
    timed(summary, 'switching', () => switchIn(vault, secrets, key, paths));
    for (const step of Object.keys(summary.ms) as (keyof SnapshotSummary['ms'])[])
      summary.ms[step] = Math.round(summary.ms[step]);
    log('info', 'sync.snapshot_loaded', {
      at: summary.at,
      loaded: summary.loaded,
      chunks: summary.chunks,
      resumed: summary.resumed,
    });
    return summary;
  }
}

class EpochChanged extends Error {}

/** Opens the staging file a run left, if it is sound and of this schema; else starts anew. */
function openStaging(paths: ReturnType<typeof snapshotPaths>, key: string): SqliteDatabase {
  if (existsSync(paths.staging)) {
    let db: SqliteDatabase | undefined;
    try {
      db = openCipherDatabase(paths.staging, key);
      const version = db.pragma('user_version', { simple: true }) as number;
      if (version === LATEST_SCHEMA_VERSION && metaOf(db).get(META.format) === STAGING_FORMAT)
        return stagingPragmas(db);
    } catch (error) {
      // A key rotated since, a file a power cut damaged: nothing in it HQ cannot send again.
      if (!isWrongKeyError(error)) log('warn', 'sync.snapshot_staging_unusable', {});
    }
    db?.close();
  }
  removeStaging(paths);
  const db = createCipherDatabase(paths.staging, key);
  if (process.platform !== 'win32') chmodSync(paths.staging, 0o600);
  stagingPragmas(db);
  migrate(db);
  deferIndexes(db);
  metaOf(db).set(META.format, STAGING_FORMAT);
  return db;
}

/** The SQL of each index deferIndexes dropped (none, for a file it never got to). */
function indexesToBuild(db: SqliteDatabase, meta: ReturnType<typeof metaOf>): string[] {
  const exists = db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'index' AND name = ?");
  return DEFERRED_INDEXES.filter((name) => exists.get(name) === undefined).map((name) => {
    const sql = meta.get(`${META.index}${name}`);
    if (sql === undefined) throw new Error(`the staging file lost the definition of ${name}`);
    return sql;
  });
}

/** Drops DEFERRED_INDEXES, keeping each one's SQL (the migrations' own) to build it at the end. */
function deferIndexes(db: SqliteDatabase): void {
  const meta = metaOf(db);
  const sqlOf = db.prepare("SELECT sql FROM sqlite_schema WHERE type = 'index' AND name = ?");
  db.transaction(() => {
    for (const name of DEFERRED_INDEXES) {
      const sql = sqlOf.pluck().get(name) as string | undefined;
      if (sql === undefined) throw new Error(`the vault schema has no index ${name}`);
      meta.set(`${META.index}${name}`, sql);
      db.exec(`DROP INDEX ${name}`);
    }
  })();
}

function stagingPragmas(db: SqliteDatabase): SqliteDatabase {
  // TRUNCATE, not PERSIST: with this driver's encrypted journal, a process killed mid-transaction
  // over a PERSIST journal (which keeps the old records past the new ones) left a file SQLite
  // called malformed at its next opening, in 9 of 20 kills here; TRUNCATE and DELETE in none of 20.
  db.pragma('journal_mode = TRUNCATE');
  db.pragma('synchronous = OFF');
  db.pragma('temp_store = MEMORY');
  // 16 MiB: rows, the id index and the side file of terms are all written in key order now (the
  // indexes that were not are built at the end), so a bigger cache only held memory: 64 MiB
  // made the client's peak 480 MB, this 437 MB, at the same ratio to the floor (one run each).
  db.pragma('cache_size = -16384');
  db.pragma('foreign_keys = OFF');
  return db;
}

/**
 * Attaches the side file of terms, written with synchronous off like the staging file (with it
 * on, its commit was a third of the writing), and makes it agree with the staging file. The two
 * commit in one transaction but not atomically together (two files with synchronous off get no
 * super-journal), so a process killed between their commits may leave one a chunk ahead of the
 * other: the side file notes the last customer key whose terms it holds, terms past the staging
 * file's last key are dropped, and the terms of customers it lacks are worked out again from
 * their records.
 */
function attachTerms(db: SqliteDatabase, file: string, key: string): void {
  db.prepare('ATTACH DATABASE ? AS snapshot_terms KEY ?').run(file, `x'${key}'`);
  db.pragma('snapshot_terms.synchronous = OFF');
  db.exec(`CREATE TABLE IF NOT EXISTS snapshot_terms.${TERMS_THROUGH} (
    one INTEGER PRIMARY KEY CHECK (one = 1), customer_key INTEGER NOT NULL)`);
  const held = db.prepare('SELECT coalesce(max(customer_key), 0) FROM main.customer').pluck();
  const noted = db.prepare(`SELECT customer_key FROM snapshot_terms.${TERMS_THROUGH}`).pluck();
  const last = held.get() as number;
  const through = (noted.get() as number | undefined) ?? 0;
  if (through === last) return;
  const tables = termTables(db);
  db.transaction(() => {
    if (through > last)
      for (const table of tables)
        db.prepare(`DELETE FROM snapshot_terms.${table} WHERE first_key > ?`).run(last);
    else {
      const addTerms = termAdder(db);
      const page = db
        .prepare(
          'SELECT customer_key, record FROM main.customer WHERE customer_key > ? ORDER BY customer_key LIMIT 500',
        )
        .raw();
      for (let after = through; after < last;) {
        const rows = page.all(after) as [number, Buffer][];
        if (rows.length === 0) break; // keys are consecutive: not before `last`
        const terms = termsByTable(
          rows.map(([customerKey, record]) => ({
            key: customerKey,
            terms: customerTerms(unpackRecord(record)),
          })),
        );
        for (const [table, list] of terms) addTerms(table, list);
        after = rows.at(-1)![0];
      }
    }
    termsThroughNoter(db)(last);
  })();
  log('warn', 'sync.snapshot_terms_reconciled', { through, last });
}

/** The side file's table holding the last customer key whose terms it has. */
const TERMS_THROUGH = 'terms_through';

/** Notes the last customer key whose terms the side file holds (prepared once per writer). */
function termsThroughNoter(db: SqliteDatabase): (customerKey: number) => void {
  const note = db.prepare(
    `INSERT OR REPLACE INTO snapshot_terms.${TERMS_THROUGH} (one, customer_key) VALUES (1, ?)`,
  );
  return (customerKey) => void note.run(customerKey);
}

/**
 * Appends customers' terms of one tag to its table of the side file (made when first needed) as
 * one row: `{"<customer key>": [terms…], …}` and the first key. A row a slice is cheap for the
 * core's thread (a row a term was 2.7 s of an initial sync of 100k); the JSON is taken apart
 * where the terms are sorted, off the thread, in about the time the sort of rows took.
 */
function termAdder(db: SqliteDatabase) {
  const adders = new Map<string, Statement<[number, string]>>();
  return (table: string, { first, byKey }: TagTerms) => {
    let add = adders.get(table);
    if (!add) {
      db.exec(
        `CREATE TABLE IF NOT EXISTS snapshot_terms.${table} (first_key INTEGER NOT NULL, terms TEXT NOT NULL)`,
      );
      add = db.prepare<[number, string]>(
        `INSERT INTO snapshot_terms.${table} (first_key, terms) VALUES (?, ?)`,
      );
      adders.set(table, add);
    }
    add.run(first, JSON.stringify(byKey));
  };
}

/** A slice's terms of one tag: by customer key, from the first key (the lowest) on. */
interface TagTerms {
  first: number;
  byKey: Record<number, string[]>;
}

/** Customers' terms (given in key order) grouped by the side file's table, then by key. */
function termsByTable(
  customers: Iterable<{ key: number; terms: readonly string[] }>,
): Map<string, TagTerms> {
  const tables = new Map<string, TagTerms>();
  for (const { key, terms } of customers)
    for (const term of terms) {
      const table = termTable(term);
      let tag = tables.get(table);
      if (!tag) tables.set(table, (tag = { first: key, byKey: {} }));
      (tag.byKey[key] ??= []).push(term);
    }
  return tables;
}

/**
 * The side file keeps the terms in one table per tag (a term's first character, by its code:
 * `y` and `Y` are two tags, and SQLite's names ignore case). At the end each table is sorted on
 * its own, in the tags' order, which is the index's: the sort holds one tag's terms in memory at
 * a time (name grams, the most, are about a quarter), not all ~1.8 million of 100k customers.
 */
const termTable = (term: string) => `term_${term.charCodeAt(0)}`;

/** The side file's tables of terms, in the order their terms sort. */
function termTables(db: SqliteDatabase): string[] {
  return (
    db
      .prepare(
        "SELECT name FROM snapshot_terms.sqlite_schema WHERE type = 'table' AND name LIKE 'term~_%' ESCAPE '~'",
      )
      .pluck()
      .all() as string[]
  ).sort((a, b) => Number(a.slice(5)) - Number(b.slice(5)));
}

async function download(
  staging: SqliteDatabase,
  vault: Vault,
  client: HqClient,
  key: string,
  paths: ReturnType<typeof snapshotPaths>,
  options: { chunkSize?: number; onProgress?: (progress: PullProgress) => void },
): Promise<SnapshotSummary> {
  const meta = metaOf(staging);
  const resumed = meta.get(META.at) !== undefined;
  const summary: SnapshotSummary = {
    at: Number(meta.get(META.at) ?? 0),
    loaded: Number(meta.get(META.loaded) ?? 0),
    chunks: 0,
    resumed,
    invalid: 0,
    ms: { waiting: 0, checking: 0, packing: 0, writing: 0, indexing: 0, switching: 0 },
  };
  if (meta.get(META.phase) === 'ready') {
    staging.close();
    return summary;
  }
  attachTerms(staging, paths.terms, key);
  const writer = sliceWriter(staging, meta);
  // Records are packed on a worker while the core's thread checks the next slice; a slice is
  // written on the turn after it was checked, once its records are back. A slice of a few (a
  // small scope, a chunk's tail) is packed here: the worker is started only when one needs it.
  const packer = new LazyPacker();
  let waiting:
    | { checked: CheckedSlice; packing: Promise<Packed>; reached?: string; chunkEnd: boolean }
    | undefined;
  const writeWaiting = async () => {
    if (!waiting) return;
    const { checked, packing, reached, chunkEnd } = waiting;
    waiting = undefined;
    const asked = performance.now();
    const { packed, hashes } = await packing;
    summary.ms.packing += performance.now() - asked;
    const prepared = timed(summary, 'checking', () =>
      checked.map(({ customer, json }, index) =>
        prepareInsert(
          customer,
          { pending: false, hqHash: hashes[index]! },
          json,
          // Three packed texts a customer, in the order `packing` asked for them.
          {
            record: packed[index * 3]!,
            listItem: packed[index * 3 + 1]!,
            facts: packed[index * 3 + 2]!,
          },
        ),
      ),
    );
    timed(summary, 'writing', () => {
      writer.write(prepared, reached, summary);
      // A chunk commits once, with its last slice: a crash downloads it again whole.
      if (chunkEnd) writer.commit();
    });
    options.onProgress?.({ pages: summary.chunks, done: summary.loaded, total });
  };
  let after = meta.get(META.after);
  let total = Number(meta.get(META.total) ?? 0);
  const limit = options.chunkSize ?? SNAPSHOT_CHUNK;
  /** The next chunk, asked for while this one is written (HQ and the device work at once). */
  let ahead: Promise<SnapshotChunk> | undefined;
  const downloadChunks = async () => {
    for (;;) {
      const at = meta.get(META.at);
      const asked = performance.now();
      const chunk = await (ahead ??
        client.snapshot({
          ...(at !== undefined ? { at: Number(at) } : {}),
          ...(after !== undefined ? { after } : {}),
          limit,
        }));
      ahead = undefined;
      summary.ms.waiting += performance.now() - asked;
      faultPoint('sync:snapshot-chunk-received');
      if (at === undefined) {
        // The first chunk: its epoch is the device's from now on, its cursor the snapshot's.
        adoptEpoch(vault, chunk.epoch);
        total = chunk.total ?? 0;
        staging.transaction(() => {
          meta.set(META.at, String(chunk.at));
          meta.set(META.epoch, chunk.epoch);
          meta.set(META.total, String(total));
          meta.set(META.phase, 'chunks');
        })();
        summary.at = chunk.at;
      } else if (chunk.epoch !== meta.get(META.epoch)) {
        throw new EpochChanged();
      }
      summary.chunks++;
      if (chunk.next !== null) {
        ahead = client.snapshot({ at: chunk.at, after: chunk.next, limit });
        ahead.catch(() => undefined); // awaited below, or dropped with this run's own error
      }
      await otherWork(); // reading the chunk took its own turn
      const records = chunk.customers;
      for (let start = 0; start < records.length; start += SNAPSHOT_SLICE) {
        const slice = records.slice(start, start + SNAPSHOT_SLICE);
        const checked = timed(summary, 'checking', () => checkSlice(slice, summary));
        // Packed, and each record's content hash worked out as HQ sent it, on the worker.
        const packing = packSlice(checked, packer);
        // Awaited when the slice is written, or dropped with this run's own error (the packer
        // stopping at the end then fails it too): never a rejection nobody handles.
        packing.catch(() => undefined);
        await otherWork();
        await writeWaiting();
        const chunkEnd = start + SNAPSHOT_SLICE >= records.length;
        const reached = sliceEnd(slice, chunk, chunkEnd);
        waiting = { checked, packing, chunkEnd, ...(reached !== undefined ? { reached } : {}) };
        after = reached ?? after;
        await otherWork();
      }
      faultPoint('sync:snapshot-after-chunk');
      if (chunk.next === null) break;
      after = chunk.next;
    }
  };
  try {
    await downloadChunks();
    await writeWaiting();
    writer.commit();
  } finally {
    await packer.close();
  }
  const tables = termTables(staging);
  const deferred = indexesToBuild(staging, meta);
  // Every term of every customer, sorted once and written in order, and the indexes put off
  // while the rows loaded, each built in one sorted pass.
  const build = `BEGIN;
     ${tables
       .map(
         (table) => `INSERT OR IGNORE INTO customer_term (term, customer_key)
       SELECT term.value, CAST(customer.key AS INTEGER)
       FROM snapshot_terms.${table}, json_each(terms) AS customer, json_each(customer.value) AS term
       ORDER BY 1, 2;`,
       )
       .join('\n     ')}
     ${deferred.map((sql) => `${sql};`).join('\n     ')}
     INSERT OR REPLACE INTO vault_meta (key, value) VALUES ('${META.phase}', 'ready');
     COMMIT;`;
  const indexing = performance.now();
  if (summary.loaded <= INDEX_HERE_UP_TO) {
    // A few customers: milliseconds here, less than starting a thread and opening the file.
    staging.exec(build);
    staging.prepare('DETACH DATABASE snapshot_terms').run();
    staging.close();
  } else {
    // Seconds for a big scope: off the core's thread, which goes on answering the desks.
    staging.prepare('DETACH DATABASE snapshot_terms').run();
    staging.close();
    await runOffThread(
      paths.staging,
      key,
      [
        `ATTACH DATABASE '${paths.terms.replaceAll("'", "''")}' AS snapshot_terms KEY "x'${key}'"`,
        build,
        'DETACH DATABASE snapshot_terms',
      ],
      ['journal_mode = TRUNCATE', 'synchronous = OFF', 'temp_store = MEMORY'],
    );
  }
  summary.ms.indexing += performance.now() - indexing;
  rmSync(paths.terms, { force: true });
  faultPoint('sync:snapshot-indexed');
  return summary;
}

/**
 * The position a slice reaches, committed with it: the chunk's own `next` on its last slice
 * (HQ's word for where the next chunk starts), else just after the slice's last customer, in
 * the part of the scope the chunk is from (SnapshotPosition).
 */
function sliceEnd(slice: unknown[], chunk: SnapshotChunk, last: boolean): string | undefined {
  if (last && chunk.next !== null) return chunk.next;
  const record = slice.at(-1) as { id?: unknown } | undefined;
  if (typeof record?.id !== 'string') return undefined;
  const part = chunk.after?.startsWith('rm:') ? 'rm' : 'home';
  const position = `${part}:${record.id}`;
  return SnapshotPosition.safeParse(position).success ? position : undefined;
}

/** A slice's records as checked: each with its JSON to pack, and as HQ sent it, to hash. */
type CheckedSlice = { customer: Customer; sent: string; json: CustomerJson }[];

/**
 * A slice's three texts a customer packed, in order, and the content hash of each record as HQ
 * sent it: on the worker for a slice of many, here for a few (less than a trip to the worker
 * and, for a small scope's only slice, than starting it).
 */
function packSlice(checked: CheckedSlice, packer: LazyPacker): Promise<Packed> {
  if (checked.length >= PACK_ON_WORKER_AT)
    return packer.get().pack(
      checked.flatMap(({ json }) => [json.record, json.listItem, json.factsJson]),
      checked.flatMap(() => ['record', 'listItem', 'facts'] as const),
      checked.map(({ sent }) => sent),
    );
  return Promise.resolve({
    packed: checked.flatMap(({ json }) => {
      const { record, listItem, facts } = packCustomerJson(json);
      return [record, listItem, facts];
    }),
    hashes: checked.map(({ sent }) => recordHash(sha256Hex, JSON.parse(sent))),
  });
}

function checkSlice(records: unknown[], summary: SnapshotSummary): CheckedSlice {
  const checked: CheckedSlice = [];
  for (const raw of records) {
    const customer = checkMasterRecord(raw);
    if (!customer) {
      summary.invalid++;
      const id = (raw as { id?: unknown } | null)?.id;
      log('warn', 'sync.invalid_master_record', {
        customerId: typeof id === 'string' ? id.slice(0, 36) : 'unknown',
      });
      continue;
    }
    checked.push({ customer, sent: JSON.stringify(raw), json: customerJson(customer) });
  }
  return checked;
}

/**
 * Writes a slice's rows (with HQ's content hash) and appends their terms to the side file, in
 * one transaction with the position reached. Statements are prepared once per download.
 */
function sliceWriter(staging: SqliteDatabase, meta: ReturnType<typeof metaOf>) {
  const store = new CustomerStore(staging);
  const lastKey = staging.prepare('SELECT coalesce(max(customer_key), 0) FROM customer').pluck();
  const addTerms = termAdder(staging);
  const noteTermsThrough = termsThroughNoter(staging);
  const begin = staging.prepare('BEGIN');
  const commit = staging.prepare('COMMIT');
  // Each slice whole or not at all (a savepoint inside the chunk's transaction).
  const writeSlice = staging.transaction(
    (
      prepared: readonly PreparedInsert[],
      reached: string | undefined,
      summary: SnapshotSummary,
    ) => {
      const before = lastKey.get() as number;
      // Rows only: the terms go to the side file, sorted once at the end.
      store.insertPrepared(prepared.map(({ row, book }) => ({ row, terms: [], book })));
      faultPoint('sync:snapshot-slice-written'); // a kill mid-transaction: rolled back whole
      if (lastKey.get() !== before + prepared.length)
        throw new Error('snapshot rows did not get consecutive keys');
      // A new row's key is the largest so far plus one: these follow `before` in order.
      const terms = termsByTable(
        prepared.map(({ terms: own }, index) => ({ key: before + index + 1, terms: own })),
      );
      for (const [table, list] of terms) addTerms(table, list);
      noteTermsThrough(before + prepared.length);
      summary.loaded += prepared.length;
      if (reached !== undefined) meta.set(META.after, reached);
      meta.set(META.loaded, String(summary.loaded));
    },
  );
  return {
    /** Writes a slice in the transaction under way, beginning one if none is. */
    write(
      prepared: readonly PreparedInsert[],
      reached: string | undefined,
      summary: SnapshotSummary,
    ) {
      if (!staging.inTransaction) begin.run();
      writeSlice(prepared, reached, summary);
    },
    /** Commits the slices written since the last commit, with the position they reached. */
    commit() {
      if (staging.inTransaction) commit.run();
    },
  };
}

/**
 * The staging file as a download writes it: opened (resumed, or made anew when unusable), its
 * side file of terms attached, slices written. The crash test of the staging file drives it.
 */
export function stagingWriter(
  paths: ReturnType<typeof snapshotPaths>,
  key: string,
): {
  staging: SqliteDatabase;
  /** Customers the staging file holds, as committed with the last slice. */
  loaded(): number;
  write(prepared: readonly PreparedInsert[], reached: string): void;
} {
  const staging = openStaging(paths, key);
  attachTerms(staging, paths.terms, key);
  const meta = metaOf(staging);
  const writer = sliceWriter(staging, meta);
  const summary = { loaded: Number(meta.get(META.loaded) ?? 0) } as SnapshotSummary;
  return {
    staging,
    loaded: () => summary.loaded,
    write: (prepared: readonly PreparedInsert[], reached: string) => {
      writer.write(prepared, reached, summary);
      writer.commit();
    },
  };
}

function metaOf(db: SqliteDatabase) {
  const get = db.prepare('SELECT value FROM vault_meta WHERE key = ?').pluck();
  const set = db.prepare('INSERT OR REPLACE INTO vault_meta (key, value) VALUES (?, ?)');
  return {
    get: (key: string) => get.get(key) as string | undefined,
    set: (key: string, value: string) => void set.run(key, value),
  };
}

/**
 * Moves the device's own data into the staging file and puts that file in the vault's place.
 * Runs on the core's thread without awaiting anything, so no command runs in between.
 */
function switchIn(
  vault: Vault,
  secrets: SecretStore,
  key: string,
  paths: ReturnType<typeof snapshotPaths>,
): void {
  const database = vaultPaths(vault.dataDir).database;
  const staging = openCipherDatabase(paths.staging, key);
  try {
    staging.pragma('journal_mode = DELETE');
    staging.pragma('synchronous = FULL');
    staging.pragma('foreign_keys = OFF');
    staging.pragma('temp_store = MEMORY');
    // The vault's last writes are in its WAL; this connection reads them through it.
    staging.prepare('ATTACH DATABASE ? AS live KEY ?').run(database, `x'${key}'`);
    staging.transaction(() => moveDeviceData(staging, vault))();
    staging.prepare('DETACH DATABASE live').run();
  } finally {
    staging.close();
  }
  faultPoint('sync:snapshot-merged');
  syncFile(paths.staging);
  vault.close();
  if (existsSync(`${database}-wal`)) throw new BranchDeskError('VAULT_BUSY', {}); // another connection still has the vault open
  renameSync(paths.staging, database);
  syncFile(dirname(database));
  faultPoint('sync:snapshot-switched');
  const reopened = openVault(vault.dataDir, secrets);
  vault.replaceConnection(reopened.db);
  settleSnapshot(vault);
}

function syncFile(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Inside the switch's transaction: the device's tables, settings and own customers. */
function moveDeviceData(staging: SqliteDatabase, vault: Vault): void {
  const tables = (schema: string) =>
    staging
      .prepare(
        `SELECT name FROM ${schema}.sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`,
      )
      .pluck()
      .all() as string[];
  const columns = (schema: string, table: string) =>
    (
      staging
        .prepare(`SELECT name FROM pragma_table_info(?, ?)`)
        .pluck()
        .all(table, schema) as string[]
    ).join(',');
  const own = tables('live').filter((table) => !BUILT_TABLES.has(table));
  if (
    own.join() !==
    tables('main')
      .filter((table) => !BUILT_TABLES.has(table))
      .join()
  )
    throw new BranchDeskError('VAULT_MIGRATION_FAILED', { version: LATEST_SCHEMA_VERSION });
  // A switch done again after a crash replaces the copy it made the first time; the audit log
  // refuses deletes unless a prune is under way (vault migration 6), and this is a copy of the
  // vault's log being replaced by the log itself, never an entry lost. The vault's own settings,
  // copied last, do not carry the flag.
  staging
    .prepare("INSERT OR REPLACE INTO main.vault_meta (key, value) VALUES ('audit.pruning', '1')")
    .run();
  for (const table of own) {
    if (columns('live', table) !== columns('main', table))
      throw new BranchDeskError('VAULT_MIGRATION_FAILED', { version: LATEST_SCHEMA_VERSION });
    staging.exec(
      `DELETE FROM main."${table}"; INSERT INTO main."${table}" SELECT * FROM live."${table}"`,
    );
  }
  const meta = metaOf(staging);
  const at = meta.get(META.at) ?? '0';
  const epoch = meta.get(META.epoch);
  staging.exec(`DELETE FROM main.vault_meta WHERE key NOT LIKE 'snapshot.%';
    INSERT INTO main.vault_meta SELECT * FROM live.vault_meta WHERE key NOT LIKE 'snapshot.%'`);
  meta.set(CURSOR_KEY, at);
  if (epoch !== undefined) meta.set(EPOCH_KEY, epoch);
  mergeOwnCustomers(staging, vault);
}

/**
 * The customers in the vault before the switch are the device's own (created here, or edited
 * here since the snapshot began): HQ's copy of one with edits still to push gets those edits
 * on top, as a pull would do (rebase.ts); one HQ does not have (yet) is kept as it is. Done from
 * HQ's record as first found, kept in the staging file's meta, so doing the switch again after
 * a crash gives the same result.
 */
function mergeOwnCustomers(staging: SqliteDatabase, vault: Vault): void {
  type Row = {
    id: string;
    record: Buffer;
    has_pending_changes: number;
    hq_version: number | null;
    hq_hash: string | null;
  };
  const own = staging
    .prepare('SELECT id, record, has_pending_changes, hq_version, hq_hash FROM live.customer')
    .all() as Row[];
  if (own.length === 0) return;
  const store = new CustomerStore(staging);
  const meta = metaOf(staging);
  const state = new SyncState(vault);
  const mainRecord = staging.prepare('SELECT record, hq_hash FROM main.customer WHERE id = ?');
  const setHash = staging.prepare('UPDATE main.customer SET hq_hash = ? WHERE id = ?');
  for (const row of own) {
    const local = unpackRecord(row.record);
    let master = meta.get(`${META.master}${row.id}`);
    if (master === undefined) {
      const fromHq = mainRecord.get(row.id) as { record: Buffer; hq_hash: string } | undefined;
      if (fromHq) {
        master = JSON.stringify({ record: unpackRecordJson(fromHq.record), hash: fromHq.hq_hash });
        meta.set(`${META.master}${row.id}`, master);
      }
    }
    if (master === undefined) {
      // HQ does not have it: a creation still in the outbox (or refused), kept as it is.
      if (store.has(row.id)) store.remove(row.id);
      store.insert(local, {
        pending: row.has_pending_changes === 1,
        hqVersion: row.hq_version,
        hqHash: row.hq_hash,
      });
      continue;
    }
    if (row.has_pending_changes !== 1) continue; // HQ's copy is as new as this device's, or newer
    const { record, hash } = JSON.parse(master) as { record: string; hash: string };
    const fromHq = JSON.parse(record) as Customer;
    store.replace(rebase(fromHq, state.pendingFor(row.id)), {
      pending: true,
      hqVersion: fromHq.version,
    });
    setHash.run(hash, row.id);
  }
}
