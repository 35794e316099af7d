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
import type { SqliteDatabase } from './sqlcipher';

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
  try {
    switched = db.pragma('journal_mode = DELETE', { simple: true }) === 'delete';
  } catch {
    // Busy: someone else holds the WAL open. Loading through the WAL is slower, never wrong.
  }
  return () => {
    if (switched) db.pragma('journal_mode = WAL');
  };
}
