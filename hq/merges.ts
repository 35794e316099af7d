// Merging duplicate customers, and undoing it (docs/QUALITY.md, "Merge and unmerge"). One
// person proposes (a branch supervisor, or HQ staff), a second approves; HQ performs the merge in
// one transaction: the survivor takes the united record (shared/quality/merge.ts) and the other
// row becomes a redirect (`merged_into`), leaving every scope. Devices follow at their next pull;
// an edit queued offline against the record merged away is applied to the survivor
// (`redirectMutation`, called by hq/mutations.ts). Within UNMERGE_PERIOD_DAYS a supervisor may
// undo it: both records come back as they were, and each change made since goes to the one a
// person gave it to.
import { createHash, randomUUID } from 'node:crypto';
import { customerSchema, type Customer } from '../shared/customer';
import { BranchDeskError, isBranchDeskError } from '../shared/errors';
import {
  UNMERGE_PERIOD_DAYS,
  type MergeProposalRequest,
  type MergeRecord,
  type UnmergePlan,
  type UnmergeRequest,
} from '../shared/protocol/merge';
import type { Mutation } from '../shared/protocol/mutations';
import {
  changesSinceMerge,
  defaultSide,
  keysTouched,
  mergeCustomerRecords,
  rebaseOntoSurvivor,
  splitAtUnmerge,
  type MergeChoosableField,
  type MergeSide,
} from '../shared/quality/merge';
import { sameJson } from '../shared/sync/canonical';
import * as clock from './clock';
import type { Database, Sql } from './db/database';
import { underSavepoint, violates } from './db/errors';
import { appendHqAction } from './hq-audit';
import { editInTransaction } from './mutations';
import { branchesHolding, holdsNow } from './scope';

/**
 * The new id of an entry of the record merged away whose id the survivor already used: derived
 * from the merge, the list and the old id (a version-8 UUID), so anyone holding the three can
 * follow the entry (the fault simulation's list check does).
 */
export function movedEntryId(mergeId: string, field: string, oldId: string): string {
  const hex = createHash('sha256').update(`${mergeId}\u001f${field}\u001f${oldId}`).digest('hex');
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Who acts: branch staff (with their branch; only its customers) or HQ staff (any customer). */
export interface MergeActor {
  /** `user:<username>` or `hq:<username>`. */
  actor: string;
  /** The branch whose scope bounds what they see and do; null for HQ staff. */
  branchId: string | null;
}

interface MergeRow {
  id: string;
  survivor_id: string;
  merged_id: string;
  survivor_number: string;
  merged_number: string;
  status: MergeRecord['status'];
  choices: Partial<Record<MergeChoosableField, MergeSide>>;
  reason: string;
  proposed_by: string;
  proposer_branch: string | null;
  proposed_at: Date | string;
  decided_by: string | null;
  decided_at: Date | string | null;
  unmerge_until: Date | string | null;
  unmerged_by: string | null;
  unmerged_at: Date | string | null;
  survivor_before: Customer | null;
  merged_before: Customer | null;
  survivor_after: Customer | null;
  entry_ids: Record<string, Record<string, string>> | null;
}

const iso = (value: Date | string | null) =>
  value === null ? null : new Date(value).toISOString();

function recordOf(row: MergeRow): MergeRecord {
  return {
    id: row.id,
    status: row.status,
    survivorId: row.survivor_id,
    survivorNumber: row.survivor_number,
    mergedId: row.merged_id,
    mergedNumber: row.merged_number,
    choices: row.choices,
    reason: row.reason,
    proposedBy: row.proposed_by,
    proposedAt: iso(row.proposed_at)!,
    decidedBy: row.decided_by,
    decidedAt: iso(row.decided_at),
    unmergeUntil: iso(row.unmerge_until),
    unmergedBy: row.unmerged_by,
    unmergedAt: iso(row.unmerged_at),
  };
}

const selectMerge = `
  SELECT m.*, s.customer_number AS survivor_number, g.customer_number AS merged_number
  FROM customer_merge m
  JOIN customer s ON s.id = m.survivor_id
  JOIN customer g ON g.id = m.merged_id`;

interface LockedCustomer {
  id: string;
  record: Customer;
  merged_into: string | null;
}

/** Both customers, locked in id order (every path locks customers so, then HQ's clock). */
async function lockPair(tx: Sql, ids: [string, string]): Promise<Map<string, LockedCustomer>> {
  const rows = await tx.query<LockedCustomer>(
    'SELECT id, record, merged_into FROM customer WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE',
    [ids],
  );
  return new Map(rows.map((row) => [row.id, row]));
}

/** Why these two may not be merged by this actor now, as MERGE_REFUSED's `why`; null: they may. */
async function pairRefusal(
  tx: Sql,
  who: MergeActor,
  survivor: LockedCustomer | undefined,
  merged: LockedCustomer | undefined,
): Promise<string | null> {
  if (!survivor || !merged) throw new BranchDeskError('CUSTOMER_NOT_FOUND');
  if (survivor.merged_into !== null || merged.merged_into !== null) return 'already_merged';
  if (survivor.record.kind !== merged.record.kind) return 'kind_differs';
  if (survivor.record.restriction !== undefined || merged.record.restriction !== undefined)
    return 'restricted';
  if (who.branchId !== null) {
    for (const customer of [survivor, merged])
      if (!(await holdsNow(tx, who.branchId, customer.id))) return 'not_in_scope';
  }
  return null;
}

async function readMerge(tx: Sql, mergeId: string, lock = false): Promise<MergeRow> {
  const [row] = await tx.query<MergeRow>(
    `${selectMerge} WHERE m.id = $1 ${lock ? 'FOR UPDATE OF m' : ''}`,
    [mergeId],
  );
  if (!row) throw new BranchDeskError('MERGE_NOT_FOUND', { mergeId });
  return row;
}

/**
 * Whether branch staff may act on this merge: their branch holds the survivor now, and, while it
 * is proposed, the other customer too (HQ staff: any merge).
 */
async function visibleTo(tx: Sql, who: MergeActor, row: MergeRow): Promise<boolean> {
  if (who.branchId === null) return true;
  if (!(await holdsNow(tx, who.branchId, row.survivor_id))) return false;
  return row.status !== 'proposed' || holdsNow(tx, who.branchId, row.merged_id);
}

/**
 * The same person, whichever door they came in by: a branch user and an HQ user of one name
 * count as one, so nobody approves their own proposal by signing in elsewhere.
 */
const samePerson = (a: string, b: string) =>
  a.replace(/^(user|hq):/, '') === b.replace(/^(user|hq):/, '');

export async function proposeMerge(
  db: Database,
  who: MergeActor,
  request: MergeProposalRequest,
): Promise<MergeRecord> {
  return db.transaction(async (tx) => {
    const pair = await lockPair(tx, [request.survivorId, request.mergedId]);
    const why = await pairRefusal(
      tx,
      who,
      pair.get(request.survivorId),
      pair.get(request.mergedId),
    );
    if (why) throw new BranchDeskError('MERGE_REFUSED', { why });
    const id = randomUUID();
    const inserted = await underSavepoint(
      tx,
      () =>
        tx.query(
          `INSERT INTO customer_merge (id, survivor_id, merged_id, status, choices, reason,
             proposed_by, proposer_branch)
           VALUES ($1, $2, $3, 'proposed', $4, $5, $6, $7)`,
          [
            id,
            request.survivorId,
            request.mergedId,
            JSON.stringify(request.choices),
            request.reason,
            who.actor,
            who.branchId,
          ],
        ),
      (error) => violates(error, 'customer_merge_one_open'),
    );
    if (inserted === undefined) throw new BranchDeskError('MERGE_REFUSED', { why: 'pending' });
    await appendHqAction(tx, {
      actor: who.actor,
      action: 'customer_merge_propose',
      target: request.survivorId,
      details: { mergeId: id, mergedId: request.mergedId, branchId: who.branchId },
    });
    return recordOf(await readMerge(tx, id));
  });
}

export async function listMerges(
  db: Database,
  who: MergeActor,
  filter: { status?: MergeRecord['status']; customerId?: string },
): Promise<MergeRecord[]> {
  const rows = await db.query<MergeRow>(
    `${selectMerge}
     WHERE ($1::text IS NULL OR m.status = $1)
       AND ($2::uuid IS NULL OR $2 IN (m.survivor_id, m.merged_id))
       AND ($3::text IS NULL OR m.proposer_branch = $3 OR EXISTS (
             SELECT 1 FROM customer c WHERE c.id IN (m.survivor_id, m.merged_id)
               AND (c.home_branch_id = $3 OR c.assigned_rm_id IN
                    (SELECT id FROM relationship_manager WHERE branch_id = $3))))
     ORDER BY m.proposed_at DESC, m.id LIMIT 500`,
    [filter.status ?? null, filter.customerId ?? null, who.branchId],
  );
  return rows.map(recordOf);
}

/** Approves (and performs) or rejects a proposed merge, as a person other than its proposer. */
export async function decideMerge(
  db: Database,
  who: MergeActor,
  mergeId: string,
  decision: 'approve' | 'reject',
  note?: string,
): Promise<MergeRecord> {
  return db.transaction(async (tx) => {
    const row = await readMerge(tx, mergeId, true);
    if (!(await visibleTo(tx, who, row))) throw new BranchDeskError('MERGE_NOT_FOUND', { mergeId });
    if (row.status !== 'proposed') throw new BranchDeskError('MERGE_NOT_PENDING');
    if (samePerson(row.proposed_by, who.actor)) throw new BranchDeskError('MERGE_OWN_PROPOSAL');
    if (decision === 'reject') {
      await tx.query(
        `UPDATE customer_merge SET status = 'rejected', decided_by = $2, decided_at = now(),
           decision_note = $3 WHERE id = $1`,
        [mergeId, who.actor, note ?? null],
      );
      await appendHqAction(tx, {
        actor: who.actor,
        action: 'customer_merge_reject',
        target: row.survivor_id,
        details: { mergeId, mergedId: row.merged_id },
      });
      return recordOf(await readMerge(tx, mergeId));
    }
    await performMerge(tx, who, row, note);
    return recordOf(await readMerge(tx, mergeId));
  });
}

async function performMerge(tx: Sql, who: MergeActor, row: MergeRow, note?: string) {
  const pair = await lockPair(tx, [row.survivor_id, row.merged_id]);
  const survivor = pair.get(row.survivor_id);
  const merged = pair.get(row.merged_id);
  const why = await pairRefusal(tx, who, survivor, merged);
  if (why) throw new BranchDeskError('MERGE_REFUSED', { why });
  const before = {
    survivor: customerSchema.parse(survivor!.record),
    merged: customerSchema.parse(merged!.record),
  };
  const at = new Date().toISOString();
  const { record, entryIds } = mergeCustomerRecords(before.survivor, before.merged, row.choices, {
    mergeId: row.id,
    at,
    newId: (field, oldId) => movedEntryId(row.id, field, oldId),
  });
  const heldBefore = await branchesHolding(tx, row.merged_id);
  // The record merged away becomes a redirect: in no scope from now on, its documents the
  // survivor's. Its row is kept as it was, for an unmerge.
  await tx.query('DELETE FROM customer_document WHERE customer_id = $1', [row.merged_id]);
  await tx.query(
    'UPDATE customer SET merged_into = $2, change_seq = next_change_seq() WHERE id = $1',
    [row.merged_id, row.survivor_id],
  );
  // A united record the rules refuse (a document that does not fit the chosen birth date or
  // gender): nothing is merged, and the proposer is told to choose again.
  const written = await writeMergedRecord(tx, row.survivor_id, before.survivor, record, who).catch(
    (error: unknown) => {
      if (isBranchDeskError(error) && error.code === 'CUSTOMER_INVALID')
        throw new BranchDeskError('MERGE_REFUSED', {
          why: 'inconsistent',
          issues: String(error.details?.issues ?? ''),
        });
      throw error;
    },
  );
  // Leaving every branch that held it, timed by HQ's clock (the push guard orders edits by it).
  const hlc = await clock.current(tx);
  await tx.query(
    `INSERT INTO scope_change (seq, branch_id, customer_id, in_scope, hlc)
     SELECT c.change_seq, branch, c.id, false, $3
     FROM customer c, unnest($2::text[]) AS branch WHERE c.id = $1`,
    [row.merged_id, heldBefore, hlc],
  );
  await historyRow(tx, row.merged_id, 'mergedInto', null, `merge:${row.id}`, before.merged.version);
  await tx.query(
    `UPDATE customer_merge SET status = 'merged', decided_by = $2, decided_at = $3,
       decision_note = $4, survivor_before = $5, merged_before = $6, survivor_after = $7,
       entry_ids = $8, unmerge_until = $3::timestamptz + make_interval(days => $9)
     WHERE id = $1`,
    [
      row.id,
      who.actor,
      at,
      note ?? null,
      JSON.stringify(before.survivor),
      JSON.stringify(before.merged),
      JSON.stringify(written),
      JSON.stringify(entryIds),
      UNMERGE_PERIOD_DAYS,
    ],
  );
  for (const target of [row.survivor_id, row.merged_id])
    await appendHqAction(tx, {
      actor: who.actor,
      action: 'customer_merge',
      target,
      details: {
        mergeId: row.id,
        survivorId: row.survivor_id,
        mergedId: row.merged_id,
        proposedBy: row.proposed_by,
        branches: heldBefore,
      },
    });
}

/**
 * Writes `next` over the survivor `current` as HQ's own edit (a new version, field clocks now,
 * entry clocks for changed entries), and its earlier values into the field history, marked with
 * the merge or unmerge. Returns the record as written.
 */
async function writeMergedRecord(
  tx: Sql,
  customerId: string,
  current: Customer,
  next: Customer,
  who: MergeActor,
  source = 'merge',
): Promise<Customer> {
  const was = current as unknown as Record<string, unknown>;
  const will = next as unknown as Record<string, unknown>;
  const changes: Record<string, unknown> = {};
  for (const field of new Set([...Object.keys(was), ...Object.keys(will)])) {
    if (['version', 'updatedAt', 'updatedBy', 'updatedByDevice', 'id', 'kind'].includes(field))
      continue;
    if (!sameJson(was[field], will[field])) changes[field] = will[field];
  }
  const { customer } = await editInTransaction(tx, customerId, changes, who.actor);
  for (const field of Object.keys(changes))
    await historyRow(tx, customerId, field, was[field] ?? null, source, customer.version);
  return customer;
}

async function historyRow(
  tx: Sql,
  customerId: string,
  field: string,
  value: unknown,
  source: string,
  version: number,
) {
  await tx.query(
    `INSERT INTO field_history (customer_id, field, value, hlc, source, superseded_at_version)
     VALUES ($1, $2, $3, NULL, $4, $5)`,
    [customerId, field, JSON.stringify(value ?? null), source, version],
  );
}

// ---- Unmerge -----------------------------------------------------------------------------------

async function mergedRow(tx: Sql, who: MergeActor, mergeId: string, lock: boolean) {
  const row = await readMerge(tx, mergeId, lock);
  if (!(await visibleTo(tx, who, row))) throw new BranchDeskError('MERGE_NOT_FOUND', { mergeId });
  if (row.status !== 'merged') throw new BranchDeskError('MERGE_NOT_PENDING');
  if (new Date(row.unmerge_until!).getTime() < Date.now())
    throw new BranchDeskError('UNMERGE_PERIOD_OVER', {
      until: iso(row.unmerge_until)!.slice(0, 10),
    });
  return row;
}

async function survivorNow(tx: Sql, row: MergeRow, lock: boolean): Promise<Customer> {
  const [current] = await tx.query<{ record: Customer; merged_into: string | null }>(
    `SELECT record, merged_into FROM customer WHERE id = $1 ${lock ? 'FOR UPDATE' : ''}`,
    [row.survivor_id],
  );
  if (!current) throw new BranchDeskError('CUSTOMER_NOT_FOUND');
  if (current.merged_into !== null)
    throw new BranchDeskError('UNMERGE_REFUSED', { why: 'merged_again' });
  // Restricted since (PIPL Art. 47): kept, not processed; an unmerge waits for the lifting.
  if (current.record.restriction !== undefined)
    throw new BranchDeskError('UNMERGE_REFUSED', { why: 'restricted' });
  // A later merge into the survivor is undone first: its record would otherwise be split wrong.
  const [later] = await tx.query(
    `SELECT 1 FROM customer_merge WHERE survivor_id = $1 AND status = 'merged' AND decided_at > $2`,
    [row.survivor_id, row.decided_at],
  );
  if (later) throw new BranchDeskError('UNMERGE_REFUSED', { why: 'later_merge' });
  return current.record;
}

/**
 * The change keys that edits of the record merged away, redirected to the survivor since the
 * merge (hq/mutations.ts), touched: an unmerge gives them back to that record by default.
 */
async function redirectedKeys(tx: Sql, row: MergeRow): Promise<Set<string>> {
  const rows = await tx.query<{ body: Extract<Mutation, { kind: 'update' }> }>(
    `SELECT body FROM mutation
     WHERE customer_id = $1 AND outcome ->> 'redirectedTo' = $2::text AND body ? 'fields'`,
    [row.merged_id, row.survivor_id],
  );
  return new Set(rows.flatMap(({ body }) => keysTouched(body.fields)));
}

/** What changed in the survivor since the merge, each change with the record it would go to. */
export async function unmergePlan(
  db: Database,
  who: MergeActor,
  mergeId: string,
): Promise<UnmergePlan> {
  return db.transaction(async (tx) => {
    const row = await mergedRow(tx, who, mergeId, false);
    const now = await survivorNow(tx, row, false);
    const before = { survivor: row.survivor_before!, merged: row.merged_before! };
    const fromMerged = await redirectedKeys(tx, row);
    return {
      merge: recordOf(row),
      changes: changesSinceMerge(row.survivor_after!, now).map((change) => ({
        ...change,
        suggested: defaultSide(before, change, fromMerged),
      })),
    };
  });
}

export async function unmerge(
  db: Database,
  who: MergeActor,
  mergeId: string,
  request: UnmergeRequest,
): Promise<MergeRecord> {
  return db.transaction(async (tx) => {
    const row = await mergedRow(tx, who, mergeId, true);
    await lockPair(tx, [row.survivor_id, row.merged_id]);
    const now = await survivorNow(tx, row, false);
    const before = { survivor: row.survivor_before!, merged: row.merged_before! };
    const split = splitAtUnmerge(
      before,
      row.survivor_after!,
      now,
      request.assignments,
      await redirectedKeys(tx, row),
    );
    const source = `unmerge:${row.id}`;
    // The survivor first: it lets go of the other's documents, which the other then takes back.
    // Not this merge, nor the merges the other record brought with it (they go back with it).
    const broughtIn = new Set((row.merged_before!.mergedFrom ?? []).map((entry) => entry.mergeId));
    const survivorRecord = {
      ...split.survivor,
      mergedFrom: (now.mergedFrom ?? []).filter(
        (entry) => entry.mergeId !== row.id && !broughtIn.has(entry.mergeId),
      ),
    };
    if (survivorRecord.mergedFrom.length === 0)
      delete (survivorRecord as Partial<Customer>).mergedFrom;
    await writeMergedRecord(tx, row.survivor_id, now, survivorRecord as Customer, who, source);
    const [gone] = await tx.query<{ record: Customer }>(
      'SELECT record FROM customer WHERE id = $1',
      [row.merged_id],
    );
    await tx.query('UPDATE customer SET merged_into = NULL WHERE id = $1', [row.merged_id]);
    // Its documents back: those its row still holds and keeps (the write's trigger claims the
    // ones added since, and releases the ones dropped). One another customer has taken since
    // stops the unmerge: people sort that pair out first.
    const keeps = (split.merged.identityDocuments ?? []).filter((document) =>
      gone!.record.identityDocuments.some(
        (held) => held.type === document.type && held.number === document.number,
      ),
    );
    const claimed = await tx.query(
      `INSERT INTO customer_document (doc_type, doc_number, customer_id)
       SELECT DISTINCT d ->> 'type', d ->> 'number', $1::uuid
       FROM jsonb_array_elements($2::jsonb) AS d
       ORDER BY 1, 2
       ON CONFLICT (doc_type, doc_number) DO NOTHING RETURNING doc_number`,
      [row.merged_id, JSON.stringify(keeps)],
    );
    if (claimed.length !== new Set(keeps.map((d) => `${d.type}|${d.number}`)).size)
      throw new BranchDeskError('UNMERGE_REFUSED', { why: 'document_taken' });
    // Back in its branches' scopes as a new version (logged by the write), the changes given to
    // it included.
    const back = await writeMergedRecord(
      tx,
      row.merged_id,
      gone!.record,
      split.merged,
      who,
      source,
    );
    await historyRow(tx, row.merged_id, 'mergedInto', row.survivor_id, source, back.version);
    await tx.query(
      `UPDATE customer_merge SET status = 'unmerged', unmerged_by = $2, unmerged_at = now(),
         unmerge_reason = $3 WHERE id = $1`,
      [row.id, who.actor, request.reason],
    );
    for (const target of [row.survivor_id, row.merged_id])
      await appendHqAction(tx, {
        actor: who.actor,
        action: 'customer_unmerge',
        target,
        details: {
          mergeId: row.id,
          survivorId: row.survivor_id,
          mergedId: row.merged_id,
          assigned: Object.keys(request.assignments).length,
        },
      });
    return recordOf(await readMerge(tx, row.id));
  });
}

// ---- Edits queued against a record merged away ------------------------------------------------

/** The customer ($1) and the survivors it was merged into in turn, as the CTE `chain`. */
const chainOf = `WITH RECURSIVE chain (id, hop) AS (
       SELECT $1::uuid, 0
       UNION ALL SELECT c.merged_into, chain.hop + 1 FROM customer c JOIN chain ON c.id = chain.id
       WHERE c.merged_into IS NOT NULL AND chain.hop < 16)`;

/** The customer and the survivors it was merged into in turn (just the customer when none). */
export async function mergeChain(tx: Sql, customerId: string): Promise<string[]> {
  const rows = await tx.query<{ id: string }>(`${chainOf} SELECT id FROM chain`, [customerId]);
  return rows.map((row) => row.id);
}

/** A customer's row as a push works on it, locked. */
export interface ChainRow {
  id: string;
  version: number;
  record: Record<string, unknown>;
  field_hlc: Record<string, string>;
  /** The survivor, when this customer was merged into another. */
  merged_into: string | null;
}

/**
 * Locks the rows of the customer's merge chain (`mergeChain`) in id order, as every path locks
 * customers, in one statement, and returns them by id as they are once locked (a row changed
 * while this waited comes back changed; one deleted meanwhile, an erased customer, not at all).
 * A merge between the chain's reading and the lock is a rare deadlock that the caller's retry
 * absorbs.
 */
export async function lockMergeChain(tx: Sql, customerId: string): Promise<Map<string, ChainRow>> {
  const rows = await tx.query<ChainRow>(
    `${chainOf} SELECT c.id, c.version, c.record, c.field_hlc, c.merged_into
     FROM customer c WHERE c.id IN (SELECT id FROM chain)
     ORDER BY c.id FOR UPDATE OF c`,
    [customerId],
  );
  return new Map(rows.map((row) => [row.id, row]));
}

type UpdateMutation = Extract<Mutation, { kind: 'update' }>;

/**
 * The edit as one of the survivor's, following merges in turn (a survivor merged away later
 * passes it on); undefined when a record on the way is gone. The mutation keeps its id: its
 * outcome is stored once, under the id the device knows.
 */
export async function redirectMutation(
  tx: Sql,
  mutation: UpdateMutation,
): Promise<UpdateMutation | undefined> {
  let current = mutation;
  for (let hop = 0; hop < 16; hop++) {
    const [row] = await tx.query<{ merged_into: string | null }>(
      'SELECT merged_into FROM customer WHERE id = $1',
      [current.customerId],
    );
    if (!row) return undefined;
    if (row.merged_into === null) return current;
    const [merge] = await tx.query<{
      survivor_id: string;
      merged_before: Customer;
      survivor_after: Customer;
      entry_ids: Record<string, Record<string, string>>;
    }>(
      `SELECT survivor_id, merged_before, survivor_after, entry_ids FROM customer_merge
       WHERE merged_id = $1 AND status = 'merged' ORDER BY decided_at DESC LIMIT 1`,
      [current.customerId],
    );
    if (!merge) return undefined;
    current = {
      ...current,
      customerId: merge.survivor_id,
      fields: rebaseOntoSurvivor(
        current.fields,
        merge.merged_before,
        merge.survivor_after,
        merge.entry_ids,
      ) as UpdateMutation['fields'],
    };
  }
  return undefined;
}
