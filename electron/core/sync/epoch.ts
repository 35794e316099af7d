// HQ's epoch on the device. Every sync answer names HQ's epoch; a new one means HQ's database
// went back in time (restored from a backup), so what HQ acknowledged may be gone and the pull
// cursor counts changes HQ now numbers differently. In one transaction the device then:
// - puts the mutations HQ applied within the retention window back in the outbox, with the
//   pending ones, in the order they were made (HQ answers the stored outcome of one it still
//   has: mutation ids are idempotency keys), so edits acknowledged after the backup reach HQ
//   again;
// - forgets the cursor and the versions HQ sent (HQ reissues them), so the next pull is a full
//   one that replaces every copy, and the scope digest, which covers content, repairs the rest;
// - restarts its audit upload from where HQ's copy now ends (audit/upload.ts asks HQ).
import { CustomerStore } from '../customers';
import { log } from '../log';
import type { Vault } from '../vault';
import { EPOCH_KEY, RETAIN_ACKNOWLEDGED_DAYS, SyncState } from './outbox';

/** Set by a new epoch: the audit upload asks HQ where its copy ends before sending. */
export const AUDIT_RESYNC_KEY = 'audit.resync';
const CURSOR_KEY = 'sync.cursor';

export function knownEpoch(vault: Vault): string | undefined {
  return vault.db.prepare('SELECT value FROM vault_meta WHERE key = ?').pluck().get(EPOCH_KEY) as
    string | undefined;
}

/**
 * Takes HQ's epoch from an answer. `new`: it differs from the one this device knew, and the
 * device has started over as above; `first`: the device knew none (enrolled or upgraded since),
 * and takes it as it is.
 */
export function adoptEpoch(vault: Vault, epoch: string): 'same' | 'first' | 'new' {
  return vault.db.transaction(() => {
    const known = knownEpoch(vault);
    if (known === epoch) return 'same' as const;
    const setMeta = vault.db.prepare(
      'INSERT OR REPLACE INTO vault_meta (key, value) VALUES (?, ?)',
    );
    setMeta.run(EPOCH_KEY, epoch);
    if (known === undefined) return 'first' as const;
    const state = new SyncState(vault);
    state.pruneAcknowledged();
    const resent = reopenAcknowledged(vault);
    // Versions HQ sent belong to the old epoch: any version HQ sends now (from 2 on) replaces the
    // copy; a version 1 differing in content is found by the digest, which compares content.
    vault.db.prepare('UPDATE customer SET hq_version = 1 WHERE hq_version IS NOT NULL').run();
    const store = new CustomerStore(vault.db);
    for (const customerId of resent.customers)
      if (store.has(customerId)) store.setPending(customerId, true);
    setMeta.run(CURSOR_KEY, '0');
    setMeta.run(AUDIT_RESYNC_KEY, '1');
    log('warn', 'sync.hq_epoch_changed', {
      resent: resent.count,
      pending: state.outboxSize() - resent.count,
      windowDays: RETAIN_ACKNOWLEDGED_DAYS,
    });
    return 'new' as const;
  })();
}

/**
 * Moves every kept acknowledged mutation back into the outbox, ordered with the pending ones by
 * their clocks (the order they were made). Their scope cursors counted the old epoch's changes,
 * so they go: HQ then orders such an edit against a move by its clock (hq/push-guard.ts).
 */
function reopenAcknowledged(vault: Vault): { count: number; customers: Set<string> } {
  const db = vault.db;
  type Row = { mutation_id: string; customer_id: string; mutation: string; created_at: string };
  const kept = db
    .prepare(
      'SELECT mutation_id, customer_id, mutation, acknowledged_at AS created_at FROM sync_acknowledged',
    )
    .all() as Row[];
  if (kept.length === 0) return { count: 0, customers: new Set() };
  const pending = db
    .prepare('SELECT mutation_id, customer_id, mutation, created_at FROM outbox ORDER BY seq')
    .all() as Row[];
  const hlcOf = (row: Row) => (JSON.parse(row.mutation) as { hlc: string }).hlc;
  const all = [...kept, ...pending].sort((a, b) => {
    const [x, y] = [hlcOf(a), hlcOf(b)];
    return x < y ? -1 : x > y ? 1 : 0;
  });
  db.prepare('DELETE FROM outbox').run();
  db.prepare('DELETE FROM sync_acknowledged').run();
  const insert = db.prepare(
    `INSERT INTO outbox (mutation_id, customer_id, mutation, created_at)
     VALUES (?, ?, json_remove(?, '$.scopeCursor'), ?)`,
  );
  for (const row of all) insert.run(row.mutation_id, row.customer_id, row.mutation, row.created_at);
  return { count: kept.length, customers: new Set(kept.map((row) => row.customer_id)) };
}
