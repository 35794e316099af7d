// Bulk loads (initial sync, seeding) write through the rollback journal instead of the WAL.
//
// SQLite3MultipleCiphers encrypts WAL frames as they are written, and a checkpoint then
// decrypts each frame and encrypts it again into the main file: three cipher passes a page.
// With a rollback journal a new page is encrypted once, straight into the main file, and the
// journal holds only the few existing pages a transaction changes. Measured on 200k rows
// (bench/vault.bench.ts): encrypted/plain 2.3x through the WAL, 1.7x this way.
//
// Durability is unchanged: `synchronous=FULL` makes each committed batch survive power loss,
// and a crash mid-batch leaves a hot journal that the next open rolls back with the current
// key (test/integration/vault-bulk-load-crash.test.ts). The price is that other connections
// cannot read while a batch commits; the core holds the vault's only connection, so in
// practice nothing waits.
import { CACHE_SIZE_KIB, type SqliteDatabase } from './sqlcipher';

/**
 * The page cache during a bulk load, in KiB. A load writes each customer page once and never
 * reads it again, so a full-size cache would only fill with them (and count in the process's
 * memory); what a load does reread (the id index, the recent term index) fits in this.
 */
export const BULK_LOAD_CACHE_KIB = 64 * 1024;

/**
 * Runs `load` with the rollback journal and returns to WAL afterwards, even if `load` throws.
 * If another connection has the file open, SQLite keeps WAL and `load` simply runs in it.
 */
export function bulkLoad<T>(db: SqliteDatabase, load: () => T): T {
  const end = beginBulkLoad(db);
  try {
    return load();
  } finally {
    end();
  }
}

/**
 * The same for a load that awaits between its transactions (a sync pulling pages over the
 * network): switches to the rollback journal now and returns the function that switches back.
 */
export function beginBulkLoad(db: SqliteDatabase): () => void {
  let switched = false;
  db.pragma(`cache_size = -${BULK_LOAD_CACHE_KIB}`);
  try {
    switched = db.pragma('journal_mode = DELETE', { simple: true }) === 'delete';
  } catch {
    // Busy: someone else holds the WAL open. Loading through the WAL is slower, never wrong.
  }
  return () => {
    if (switched) db.pragma('journal_mode = WAL');
    db.pragma(`cache_size = -${CACHE_SIZE_KIB}`);
  };
}
