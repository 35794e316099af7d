// A customer HQ erased (PIPL Art. 47; hq/privacy/erasure.ts) leaves this vault whole: the record
// and its search terms, and every sync record that holds their values (unsent and applied
// mutations, the rejected ledger, conflicts, held changes). Unlike a customer who only left the
// scope, their unsent edits are not pushed first: HQ refuses them (CUSTOMER_ERASED). The vault
// runs with secure_delete, so the freed pages are zeroed; after a round that purged anyone the
// WAL is checkpointed and truncated, so no earlier page version stays in it either. The audit
// log keeps its entries: they name the customer by id only, a key that now leads nowhere.
import { CustomerStore } from '../customers';
import { log } from '../log';
import type { SqliteDatabase } from '../vault';

/** The sync tables that hold a customer's values, by customer id. */
const SYNC_TABLES = [
  'outbox',
  'sync_rejected',
  'sync_conflict',
  'sync_eviction',
  'sync_acknowledged',
  'pending_change',
] as const;

/**
 * Removes everything this vault holds about the customer, inside the caller's transaction.
 * True when anything was there.
 */
export function purgeErased(db: SqliteDatabase, customerId: string): boolean {
  let found = new CustomerStore(db).remove(customerId);
  for (const table of SYNC_TABLES)
    found =
      db.prepare(`DELETE FROM ${table} WHERE customer_id = ?`).run(customerId).changes > 0 || found;
  // Redirects to or from them (sync/redirects.ts): ids and numbers that now lead nowhere.
  db.prepare('DELETE FROM customer_redirect WHERE customer_id = ? OR survivor_id = ?').run(
    customerId,
    customerId,
  );
  if (found) log('info', 'sync.customer_erased', { customerId });
  return found;
}

/**
 * Writes the WAL back into the database file and truncates it to nothing: after a purge, the
 * pages that held the customer before are in no file. A reader still on an old snapshot keeps
 * the WAL from truncating; the next round tries again (logged, nothing is lost).
 */
export function truncateWal(db: SqliteDatabase): boolean {
  const [result] = db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
  const done = result?.busy === 0;
  if (!done) log('warn', 'vault.wal_checkpoint_busy', {});
  return done;
}
