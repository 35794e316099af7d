// Pull: apply HQ's scope changes after the stored cursor, page by page. A page is applied in
// slices of a hundred changes; each slice and the cursor after its last change commit in one
// vault transaction, so a sync cut short (a crash, a lost network) resumes from the last slice it
// applied and re-downloads at most the rest of the page it was on. The core answers whatever else
// was asked of it after reading a page, after checking a slice's records and making rows of them,
// and after each slice's transaction: a teller's search waits for one of those, never for a whole
// page. The next page is asked for only once this one is applied: asking earlier would let HQ
// prepare it meanwhile, but a crash would then waste that page as well as the rest of this one,
// and a crash must cost at most one page of downloading again.
import { checkMasterRecord, type Customer } from '../../../shared/customer';
import { BranchDeskError } from '../../../shared/errors';
import type { PullResponse } from '../../../shared/protocol/hq';
import {
  CustomerStore,
  customerJson,
  packCustomerJson,
  prepareInsert,
  RecordPacker,
  type CustomerJson,
  type PackedCustomer,
  type PreparedInsert,
} from '../customers';
import { faultPoint } from '../fault';
import type { HqClient } from '../hq-client/client';
import { log } from '../log';
import { beginBulkLoad, type Vault } from '../vault';
import { adoptEpoch } from './epoch';
import { dropRedirect, hasRedirects, recordRedirect } from './redirects';
import { purgeErased } from './erasure';
import { SyncState } from './outbox';
import { rebase } from './rebase';
import { checkScope, type ScopeCheck } from './scope-check';

const CURSOR_KEY = 'sync.cursor';

/**
 * New customers' terms wait in the recent index (migration 5) until it holds this many, about
 * 2.8k customers' worth, and at the end of every pull. Folding is one sorted pass over the main
 * index; writing each slice's terms there instead rewrote most of it on every commit. Smaller
 * means more folds, bigger means each commit rewrites more of the recent index: on 60k
 * customers in slices of 200, 50k terms loaded in 24.2 s where 200k took 27.2 s.
 */
export const FOLD_RECENT_TERMS_AT = 50_000;

/**
 * Terms moved per transaction when folding during a sync (`CustomerStore.foldRecentTerms`):
 * about 15–30 ms of work here, so a search asked for meanwhile waits no longer than a slice.
 * Folding 50k terms at once held the vault for 150 ms or more.
 */
export const FOLD_CHUNK_TERMS = 5_000;

/**
 * Changes applied per transaction: a slice of new customers takes about 50 ms here, and a search
 * asked for meanwhile waits for it. Measured on a 20k-customer initial sync from PGlite (bench
 * `sync`, one run each): 200 gave a search p95 of 208 ms, 100 gave 102 ms for 5 % more sync time,
 * 50 gave 59 ms for 22 % more. Each commit rewrites the index pages the slice touched, encrypted,
 * so smaller slices cost more than their share.
 */
export const SLICE_CHANGES = 100;

/**
 * Lets the event loop go round once, timers and I/O included, before going on. One setImmediate
 * is not enough: called from the poll phase (a page has just arrived) it runs in the same
 * round's check phase, with no timer or message handled in between.
 */
export const otherWork = () =>
  new Promise<void>((resolve) => setImmediate(() => setImmediate(resolve)));

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
  /** Customers HQ erased, purged from this vault with everything about them (sync/erasure.ts). */
  erased: number;
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
    erased: 0,
    invalid: 0,
    cursor: syncCursor(vault),
    scope: null,
  };
  // An initial sync is a bulk load: write through the rollback journal (see vault/bulk-load.ts).
  const endBulk = summary.cursor === 0 ? beginBulkLoad(vault.db) : () => {};
  const packer = new LazyPacker();
  let epochRestarts = 0;
  try {
    for (;;) {
      // Only the first page counts what is left: the size of the whole run, for progress.
      const page = await client.pull(summary.cursor, pageSize, { count: summary.pages === 0 });
      faultPoint('sync:page-received');
      // HQ restored from a backup: this page counts from a cursor HQ no longer means. Start
      // over from the beginning (sync/epoch.ts reset the cursor).
      if (adoptEpoch(vault, page.epoch) === 'new') {
        // An HQ that changes epoch on every answer is broken, not restored.
        if (++epochRestarts > 2) throw new BranchDeskError('HQ_PROTOCOL_ERROR', { status: 200 });
        summary.cursor = syncCursor(vault);
        summary.pages = 0;
        continue;
      }
      await otherWork(); // reading the page took its own time
      if (summary.pages === 0) summary.total = page.remaining ?? 0;
      const { changes } = page;
      // A slice is checked (and its records sent to be packed) while the one before it waits
      // for its packing, and applied on the turn after: the core's thread checks one slice
      // while the worker packs another.
      let waiting: { slice: Slice; preparing: Promise<PreparedChange[]> } | undefined;
      const applyWaiting = async () => {
        if (!waiting) return;
        const { slice, preparing } = waiting;
        waiting = undefined;
        const prepared = await preparing;
        withoutWaitingForDisk(vault, () =>
          applySlice(vault, store, state, prepared, slice.cursor, page.hlc, summary),
        );
        summary.done += slice.end - slice.start;
        options.onProgress?.({ pages: summary.pages, done: summary.done, total: summary.total });
        if (store.recentTermCount() >= FOLD_RECENT_TERMS_AT) await foldRecentTerms(store);
      };
      for (const slice of slicesOf(changes, page.cursor)) {
        // Checking the records and making rows of them needs no vault: done in a turn of its
        // own, so a search waits for that or for a slice's transaction, never both.
        const preparing = prepareSlice(store, changes.slice(slice.start, slice.end), packer);
        // Awaited when the slice is applied, or dropped with this run's own error (the packer
        // stopping at the end then fails it too): never a rejection nobody handles.
        preparing.catch(() => undefined);
        await otherWork();
        await applyWaiting();
        waiting = { slice, preparing };
        await otherWork();
      }
      await applyWaiting();
      faultPoint('sync:after-page');
      summary.pages++;
      if (!page.hasMore) {
        await foldRecentTerms(store);
        if (page.scopeDigest)
          summary.scope = await checkScope(vault, store, client, page.scopeDigest);
        break;
      }
    }
  } finally {
    endBulk();
    await packer.close();
  }
  return summary;
}

/** A slice of a page: its changes from `start` to `end`, and the cursor once it is applied. */
interface Slice {
  start: number;
  end: number;
  cursor: number;
}

/** A page's slices: they end between changes of different seqs, so a slice's cursor is exact. */
function* slicesOf(changes: PullResponse['changes'], pageCursor: number): Generator<Slice> {
  let start = 0;
  while (start < changes.length) {
    let end = Math.min(start + SLICE_CHANGES, changes.length);
    while (end < changes.length && changes[end]!.seq === changes[end - 1]!.seq) end++;
    yield { start, end, cursor: end === changes.length ? pageCursor : changes[end - 1]!.seq };
    start = end;
  }
}

/**
 * Runs `commit` (one synchronous transaction) with its commit not waiting for the disk, in WAL
 * mode. What a slice writes HQ sends again, and the slice's cursor commits with it: a power cut
 * that loses the slice loses its cursor too, and the next pull asks for it again. WAL keeps
 * commits atomic and in order with synchronous=NORMAL; the next commit at FULL (the desk's own
 * edits) syncs the slice's frames with its own. Each slice paid a sync of the disk otherwise:
 * 0.29 s of a 1k-change pull here (10 slices). Set around this transaction only, which awaits
 * nothing, so no command of the desk commits meanwhile. Not in the rollback journal of a bulk
 * load, where NORMAL may leave a damaged file after a power cut on some file systems.
 */
function withoutWaitingForDisk(vault: Vault, commit: () => void): void {
  if (vault.db.pragma('journal_mode', { simple: true }) !== 'wal') return commit();
  vault.db.pragma('synchronous = NORMAL');
  try {
    commit();
  } finally {
    vault.db.pragma('synchronous = FULL');
  }
}

/** Empties the recent term index into the main one, a chunk at a time. */
async function foldRecentTerms(store: CustomerStore): Promise<void> {
  while (store.foldRecentTerms(FOLD_CHUNK_TERMS) > 0) await otherWork();
}

/**
 * Records a slice must hold for them to be packed on the worker thread: packing a customer's
 * three texts (customers/record-codec.ts) and hashing its record cost ~0.2 ms of the core's
 * thread, a few records cost less there than a trip to the worker, and the worker is started
 * only for a pull that needs it.
 */
export const PACK_ON_WORKER_AT = 16;

/** A record packer started by the first slice that needs it (a pull's, a snapshot's). */
export class LazyPacker {
  private packer: RecordPacker | undefined;

  get(): RecordPacker {
    return (this.packer ??= new RecordPacker());
  }

  async close(): Promise<void> {
    await this.packer?.close();
  }
}

/** A change of a slice, with its record checked, its JSON packed and, when new here, its row. */
interface PreparedChange {
  change: PullResponse['changes'][number];
  /** The checked record; undefined for a customer leaving the scope or a refused record. */
  customer?: Customer;
  /** Its JSON and their packing, as the vault keeps them when no edit here is rebased on it. */
  made?: { json: CustomerJson; packed: PackedCustomer };
  /** The content hash of the record as HQ sent it. */
  hash?: string;
  /** Its row, made when the customer was not in the vault yet. */
  insert?: PreparedInsert;
}

/**
 * Checks a slice's records and makes their JSON here, at once; packs them (and hashes what HQ
 * sent) on the worker for a slice of many, and makes the rows of new customers once that is
 * done.
 */
function prepareSlice(
  store: CustomerStore,
  changes: PullResponse['changes'],
  packer: LazyPacker,
): Promise<PreparedChange[]> {
  const checked = changes.map((change) => {
    if (!change.inScope) return { change };
    const customer = checkMasterRecord(change.customer);
    if (customer === undefined) return { change };
    return { change, customer, json: customerJson(customer) };
  });
  const records = checked.filter(
    (each): each is typeof each & { customer: Customer; json: CustomerJson } =>
      each.customer !== undefined,
  );
  // Most changes of an initial sync are new customers: their rows are made here, once.
  const finish = (packed: PackedCustomer[], hashes: string[] | undefined): PreparedChange[] => {
    let next = 0;
    return checked.map((each) => {
      if (each.customer === undefined) return { change: each.change };
      const index = next++;
      const made = { json: each.json!, packed: packed[index]! };
      const prepared: PreparedChange = {
        change: each.change,
        customer: each.customer,
        made,
        ...(hashes ? { hash: hashes[index]! } : {}),
      };
      if (!store.has(each.customer.id))
        prepared.insert = prepareInsert(
          each.customer,
          { pending: false, ...(hashes ? { hqHash: hashes[index]! } : {}) },
          made.json,
          made.packed,
        );
      return prepared;
    });
  };
  if (records.length < PACK_ON_WORKER_AT)
    return Promise.resolve(
      finish(
        records.map(({ json }) => packCustomerJson(json)),
        undefined,
      ),
    );
  return packer
    .get()
    .pack(
      records.flatMap(({ json }) => [json.record, json.listItem, json.factsJson]),
      records.flatMap(() => ['record', 'listItem', 'facts'] as const),
      records.map(({ change }) => JSON.stringify(change.customer)),
    )
    .then(({ packed, hashes }) =>
      finish(
        // Three packed texts a customer, in the order they were asked for.
        records.map((_, index) => ({
          record: packed[index * 3]!,
          listItem: packed[index * 3 + 1]!,
          facts: packed[index * 3 + 2]!,
        })),
        hashes,
      ),
    );
}

function applySlice(
  vault: Vault,
  store: CustomerStore,
  state: SyncState,
  changes: readonly PreparedChange[],
  cursor: number,
  hlc: PullResponse['hlc'],
  summary: PullSummary,
): void {
  const setCursor = vault.db.prepare(
    'INSERT OR REPLACE INTO vault_meta (key, value) VALUES (?, ?)',
  );
  vault.db.transaction(() => {
    // New customers are inserted together at the end (insertMany is much faster); a change
    // later in the slice to one of them replaces or drops it first.
    const fresh = new Map<string, PreparedInsert>();
    /**
     * The master records stored from this slice, as HQ sent them, with their content hashes
     * when worked out already (a new customer's row holds its own).
     */
    const taken = new Map<string, { record: unknown; hash?: string }>();
    const evictions = state.hasEvictions();
    const redirects = hasRedirects(vault.db);
    for (const { change, customer, made, hash, insert } of changes) {
      // The row's flags only: the stored record is read (and unpacked) only where it is needed.
      const stored = store.peek(change.customerId);
      if (!change.inScope) {
        taken.delete(change.customerId);
        // Merged into another at HQ: the old id and number lead to the survivor from now on.
        const merged = change.mergedInto && stored && store.get(change.customerId);
        if (change.mergedInto && merged)
          recordRedirect(
            vault.db,
            {
              customerId: change.customerId,
              customerNumber: merged.customer.customerNumber,
              survivorId: change.mergedInto.customerId,
              survivorNumber: change.mergedInto.customerNumber,
            },
            new Date().toISOString(),
          );
        if (fresh.delete(change.customerId)) continue;
        // Erased at HQ: everything goes now, unsent edits included (HQ would refuse them).
        if (change.erased) {
          if (purgeErased(vault.db, change.customerId)) summary.erased++;
          continue;
        }
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
      // Back after an unmerge: no longer a redirect.
      if (redirects) dropRedirect(vault.db, change.customerId);
      if (!customer) {
        summary.invalid++;
        log('warn', 'sync.invalid_master_record', {
          customerId: change.customerId,
          seq: change.seq,
        });
        continue;
      }
      if (!stored) {
        fresh.set(
          customer.id,
          insert ??
            prepareInsert(
              customer,
              { pending: false, ...(hash ? { hqHash: hash } : {}) },
              made?.json,
              made?.packed,
            ),
        );
        if (hash) taken.delete(customer.id);
        else taken.set(customer.id, { record: change.customer });
        continue;
      }
      // Back in scope (perhaps later in this very slice): nothing to evict.
      if (evictions || summary.keptLocal > 0) state.keep(customer.id);
      if (customer.version <= (stored.hqVersion ?? 0)) continue;
      if (stored.hasPendingChanges) {
        store.replace(rebase(customer, state.pendingFor(customer.id)), {
          pending: true,
          hqVersion: customer.version,
        });
      } else {
        store.replace(customer, { pending: false }, { ...made });
      }
      taken.set(customer.id, { record: change.customer, ...(hash ? { hash } : {}) });
      summary.updated++;
    }
    summary.inserted += store.insertPrepared([...fresh.values()], { deferTerms: true });
    for (const [customerId, { record, hash }] of taken) state.tookFromHq(customerId, record, hash);
    setCursor.run(CURSOR_KEY, String(cursor));
    state.receive(hlc);
  })();
  summary.cursor = cursor;
}
