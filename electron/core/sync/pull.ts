// Pull: apply HQ's scope changes after the stored cursor, page by page. Each page and the cursor
// after it commit in one vault transaction, so a sync cut short (a crash, a lost network)
// resumes from the last page it applied and re-downloads at most the one it was on.
import { customerSchema, type Customer } from '../../../shared/customer';
import { BranchDeskError } from '../../../shared/errors';
import type { PullResponse } from '../../../shared/protocol/hq';
import { CustomerStore } from '../customers';
import { deviceAccount, readEnrollment } from '../device/enrollment';
import { faultPoint } from '../fault';
import { HqClient } from '../hq-client/client';
import { log } from '../log';
import type { SecretStore } from '../secrets';
import { beginBulkLoad, type Vault } from '../vault';
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
  /** In-scope changes not applied because the local copy has edits not yet pushed. */
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
  secrets: SecretStore,
  options: { pageSize?: number; onProgress?: (progress: PullProgress) => void } = {},
): Promise<PullSummary> {
  const enrollment = readEnrollment(vault);
  if (!enrollment) throw new BranchDeskError('DEVICE_NOT_ENROLLED', { profileId: vault.profileId });
  const credential = secrets.get(deviceAccount(vault.profileId));
  if (!credential) throw new BranchDeskError('DEVICE_UNAUTHENTICATED');
  const client = new HqClient(enrollment.hqUrl, `Device ${credential}`);
  const store = new CustomerStore(vault.db);
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
      const page = await client.pull(summary.cursor, pageSize);
      if (summary.pages === 0) summary.total = page.remaining;
      applyPage(vault, store, page, summary);
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
    for (const change of page.changes) {
      const stored = store.get(change.customerId);
      if (!change.inScope) {
        if (fresh.delete(change.customerId)) continue;
        if (!stored) continue;
        if (stored.hasPendingChanges) {
          summary.keptLocal++; // purged once its edits are pushed (push arrives with the outbox)
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
      } else if (stored.hasPendingChanges) {
        summary.keptLocal++;
      } else if (customer.version > stored.customer.version) {
        store.replace(customer, { pending: false });
        summary.updated++;
      }
    }
    summary.inserted += store.insertMany(fresh.values());
    setCursor.run(CURSOR_KEY, String(page.cursor));
  })();
  summary.cursor = page.cursor;
}
