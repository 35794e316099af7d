// Push: send the outbox to HQ in order, in batches, and apply each stored outcome in one vault
// transaction with taking the mutation off the outbox. A crash before that commit re-sends the
// batch; HQ answers with the outcomes it stored, so nothing is applied twice and nothing is lost.
import { checkMasterRecord } from '../../../shared/customer';
import { isBranchDeskError } from '../../../shared/errors';
import type { Mutation, PushResponse } from '../../../shared/protocol/mutations';
import { rejectedFieldResults } from '../../../shared/sync/merge';
import { CustomerStore } from '../customers';
import { faultPoint } from '../fault';
import type { HqClient } from '../hq-client/client';
import { log } from '../log';
import type { Vault } from '../vault';
import { adoptEpoch } from './epoch';
import { purgeErased } from './erasure';
import { SyncState } from './outbox';
import { rebase } from './rebase';

export interface PushSummary {
  /** Mutations HQ answered. */
  pushed: number;
  applied: number;
  /** Whole mutations HQ refused (in the rejected ledger). */
  rejected: number;
  /** Fields of applied mutations that lost to HQ (in the rejected ledger). */
  rejectedFields: number;
  /** Identity fields parked in the conflict queue. */
  conflicts: number;
  /** Customers HQ had erased, purged here when it refused their edits (CUSTOMER_ERASED). */
  erased: number;
}

export const emptyPushSummary = (): PushSummary => ({
  pushed: 0,
  applied: 0,
  rejected: 0,
  rejectedFields: 0,
  conflicts: 0,
  erased: 0,
});

export async function pushOutbox(
  vault: Vault,
  client: HqClient,
  options: { batchSize?: number; summary?: PushSummary } = {},
): Promise<PushSummary> {
  const state = new SyncState(vault);
  const store = new CustomerStore(vault.db);
  const summary = options.summary ?? emptyPushSummary();
  const device = state.deviceId();
  let batchSize = options.batchSize ?? 200;
  for (;;) {
    const batch = underBytes(state.next(batchSize), MAX_BATCH_BYTES);
    if (batch.length === 0) break;
    let response: PushResponse;
    try {
      // Edits made before the device enrolled carry its profile id; HQ knows it by its device id.
      response = await client.push(batch.map((entry) => ({ ...entry.mutation, device })));
    } catch (error) {
      // HQ refuses a batch it cannot read at all (a mutation this HQ's schema refuses). Never
      // blocked: find the culprit one mutation at a time and move it to the ledger.
      if (!isBranchDeskError(error, 'INPUT_INVALID')) throw error;
      if (batch.length > 1) {
        batchSize = 1;
        continue;
      }
      const unreadable = batch[0]!.mutation;
      // The device shows HQ's record again, with any later edits on top.
      const [master] = (await client.fetchCustomers([unreadable.customerId])).customers;
      const current = master ? { version: master.version, customer: master.customer } : null;
      vault.db.transaction(() => dropUnreadable(state, store, unreadable, current, summary))();
      continue;
    }
    faultPoint('sync:after-push-response');
    vault.db.transaction(() => {
      response.results.forEach((result, index) => {
        const mutation = batch[index]?.mutation;
        if (mutation && result.outcome.mutationId === mutation.mutationId)
          applyOutcome(state, store, mutation, result, summary);
      });
      state.receive(response.hlc);
    })();
    faultPoint('sync:after-push-commit');
    // HQ restored from a backup: what it acknowledged before may be gone; sent again from here.
    adoptEpoch(vault, response.epoch);
  }
  return summary;
}

type Result = PushResponse['results'][number];

/** Half of HQ's 1 MiB body limit: room for the envelope and for growth. */
const MAX_BATCH_BYTES = 512 * 1024;

/** The longest prefix of `batch` whose JSON stays under `limit` bytes (at least one entry). */
function underBytes<T extends { mutation: Mutation }>(batch: T[], limit: number): T[] {
  let bytes = 0;
  for (const [index, entry] of batch.entries()) {
    bytes += Buffer.byteLength(JSON.stringify(entry.mutation));
    if (bytes > limit) return batch.slice(0, Math.max(1, index));
  }
  return batch;
}

function dropUnreadable(
  state: SyncState,
  store: CustomerStore,
  mutation: Mutation,
  current: Result['current'],
  summary: PushSummary,
): void {
  state.acknowledge(mutation.mutationId);
  summary.rejected++;
  state.reject(
    mutation,
    null,
    'UNREADABLE',
    mutation.kind === 'create' ? mutation.customer : mutation.fields,
  );
  log('warn', 'sync.mutation_unreadable', {
    mutationId: mutation.mutationId,
    customerId: mutation.customerId,
  });
  refresh(state, store, mutation.customerId, current);
}

function applyOutcome(
  state: SyncState,
  store: CustomerStore,
  mutation: Mutation,
  { outcome, current }: Result,
  summary: PushSummary,
): void {
  if (!state.acknowledge(mutation.mutationId, { retain: outcome.status === 'applied' })) return;
  summary.pushed++;
  if (outcome.status === 'rejected' && outcome.reason === 'CUSTOMER_ERASED') {
    // HQ erased the customer: nothing about them stays here, this edit included (erasure.ts).
    summary.rejected++;
    if (purgeErased(store.db, mutation.customerId)) summary.erased++;
    return;
  }
  if (outcome.status === 'rejected') {
    summary.rejected++;
    // Timestamps from a clock HQ thinks wild: continue from HQ's clock from now on.
    if (outcome.reason === 'CLOCK_SKEW') state.restartClockFromHq();
    state.reject(
      mutation,
      null,
      outcome.reason ?? 'REJECTED',
      mutation.kind === 'create' ? mutation.customer : mutation.fields,
    );
    log('info', 'sync.mutation_rejected', {
      mutationId: mutation.mutationId,
      customerId: mutation.customerId,
      reason: outcome.reason,
    });
  } else {
    summary.applied++;
    if (mutation.kind === 'update') {
      for (const [field, result] of Object.entries(outcome.fields)) {
        const change = mutation.fields[field];
        if (!result || !change) continue;
        if (rejectedFieldResults.includes(result)) {
          summary.rejectedFields++;
          state.reject(mutation, field, result, change.to);
        } else if (result === 'conflict') {
          summary.conflicts++;
          state.park(mutation, field, {
            base: change.from,
            local: change.to,
            hq: current?.customer[field],
            hqVersion: current?.version ?? null,
          });
        }
      }
    }
  }
  refresh(state, store, mutation.customerId, current);
}

/** The customer after an outcome: HQ's current record with the edits still pending on top. */
function refresh(
  state: SyncState,
  store: CustomerStore,
  customerId: string,
  current: Result['current'],
): void {
  const stored = store.get(customerId);
  if (!stored) return; // purged meanwhile (left the scope)
  const remaining = state.pendingFor(customerId);
  const master = current ? checkMasterRecord(current.customer) : undefined;
  if (current && master) {
    if (stored.hqVersion !== null && current.version < stored.hqVersion) {
      store.setPending(customerId, remaining.length > 0);
      return;
    }
    store.replace(rebase(master, remaining), {
      pending: remaining.length > 0,
      hqVersion: current.version,
    });
    state.tookFromHq(customerId, current.customer);
  } else if (remaining.length === 0 && stored.hqVersion === null) {
    // Created here and refused by HQ: it exists nowhere else. The ledger keeps the whole record.
    store.remove(customerId);
  } else {
    store.setPending(customerId, remaining.length > 0);
  }
}

/** Purges customers that left the scope once none of their edits wait to be pushed. */
export function purgeEvicted(vault: Vault): number {
  const state = new SyncState(vault);
  const store = new CustomerStore(vault.db);
  return vault.db.transaction(() => {
    let purged = 0;
    for (const customerId of state.evictable()) {
      if (store.remove(customerId)) purged++;
      state.keep(customerId);
    }
    return purged;
  })();
}
