// Pull: apply HQ's scope changes after the stored cursor, page by page. Each page and the cursor
// after it commit in one vault transaction, so a sync cut short (a crash, a lost network)
// resumes from the last page it applied and re-downloads at most the one it was on.
import { customerSchema, type Customer } from '../../../shared/customer';
import type { PullResponse } from '../../../shared/protocol/hq';
import { CustomerStore } from '../customers';
import { faultPoint } from '../fault';
import type { HqClient } from '../hq-client/client';
import { log } from '../log';
import { beginBulkLoad, type Vault } from '../vault';
import { SyncState } from './outbox';
import { rebase } from './rebase';
import { checkScope, type ScopeCheck } from './scope-check';

const CURSOR_KEY = 'sync.cursor';

export interface PullProgress {
  pages: number;
  /** Changes applied so far in this run, and how many there were to apply when it started. */
  done: number;
  total: number;
}

export interface PullSummary extends PullProgress {
  inserted: number;
  updated: number;
  removed: number;
  /**
   * Customers that left the scope but still have edits to push: purged after the push. (HQ's
   * newer versions of customers with pending edits are applied under those edits: `updated`.)
   */
  keptLocal: number;
  /** Master records HQ sent that this build's schema refuses (logged by id). */
  invalid: number;
  cursor: number;
  /** The scope check against HQ's digest at the end of the pull. */
  scope: ScopeCheck | null;
}

export function syncCursor(vault: Vault): number {
  const row = vault.db
    .prepare('SELECT value FROM vault_meta WHERE key = ?')
    .pluck()
    .get(CURSOR_KEY) as string | undefined;
  return row === undefined ? 0 : Number(row);
}

export async function pullChanges(
  vault: Vault,
  client: HqClient,
  options: { pageSize?: number; onProgress?: (progress: PullProgress) => void } = {},
): Promise<PullSummary> {
  const store = new CustomerStore(vault.db);
  const state = new SyncState(vault);
  const pageSize = options.pageSize ?? 1000;
  const summary: PullSummary = {
    pages: 0,
    done: 0,
    total: 0,
    inserted: 0,
    updated: 0,
    removed: 0,
    keptLocal: 0,
    invalid: 0,
    cursor: syncCursor(vault),
    scope: null,
  };
  // An initial sync is a bulk load: write through the rollback journal (see vault/bulk-load.ts).
  const endBulk = summary.cursor === 0 ? beginBulkLoad(vault.db) : () => {};
  try {
    for (;;) {
      // Only the first page counts what is left: the size of the whole run, for progress.
      const page = await client.pull(summary.cursor, pageSize, { count: summary.pages === 0 });
      faultPoint('sync:page-received');
      if (summary.pages === 0) summary.total = page.remaining ?? 0;
      applyPage(vault, store, state, page, summary);
      faultPoint('sync:after-page');
      summary.pages++;
      summary.done += page.changes.length;
      options.onProgress?.({ pages: summary.pages, done: summary.done, total: summary.total });
      if (!page.hasMore) {
        if (page.scopeDigest)
          summary.scope = await checkScope(vault, store, client, page.scopeDigest);
        break;
      }
    }
  } finally {
    endBulk();
  }
  return summary;
}

function applyPage(
  vault: Vault,
  store: CustomerStore,
  state: SyncState,
  page: PullResponse,
  summary: PullSummary,
): void {
  const setCursor = vault.db.prepare(
    'INSERT OR REPLACE INTO vault_meta (key, value) VALUES (?, ?)',
  );
  vault.db.transaction(() => {
    // New customers are inserted together at the end (insertMany is much faster); a change
    // later in the page to one of them replaces or drops it first.
    const fresh = new Map<string, Customer>();
    const evictions = state.hasEvictions();
    for (const change of page.changes) {
      const stored = store.get(change.customerId);
      if (!change.inScope) {
        if (fresh.delete(change.customerId)) continue;
        if (!stored) continue;
        if (stored.hasPendingChanges) {
          state.evictLater(change.customerId, change.seq); // purged once its edits are pushed
          summary.keptLocal++;
          continue;
        }
        store.remove(change.customerId);
        summary.removed++;
        continue;
      }
      const parsed = customerSchema.safeParse(change.customer);
      if (!parsed.success) {
        summary.invalid++;
        log('warn', 'sync.invalid_master_record', {
          customerId: change.customerId,
          seq: change.seq,
        });
        continue;
      }
      const customer = parsed.data;
      if (!stored) {
        fresh.set(customer.id, customer);
        continue;
      }
      // Back in scope (perhaps later in this very page): nothing to evict.
      if (evictions || summary.keptLocal > 0) state.keep(customer.id);
      if (customer.version <= (stored.hqVersion ?? 0)) continue;
      if (stored.hasPendingChanges) {
        store.replace(rebase(customer, state.pendingFor(customer.id)), {
          pending: true,
          hqVersion: customer.version,
        });
      } else {
        store.replace(customer, { pending: false });
      }
      summary.updated++;
    }
    summary.inserted += store.insertMany(fresh.values());
    setCursor.run(CURSOR_KEY, String(page.cursor));
    state.receive(page.hlc);
  })();
  summary.cursor = page.cursor;
}
