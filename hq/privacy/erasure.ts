// Erasure under retention (PIPL Art. 47; docs/PRIVACY.md, "Erasure"). A request is recorded and
// checked against the holds (holds.ts). While one applies the customer is restricted: kept, not
// processed. When none is left, HQ erases: the customer row (and with it the documents index),
// every value history kept, every mutation body and approval about them are deleted in one
// transaction; what stays is the id, which audit entries name, and generalised figures for
// statistics. The feed then tells every branch that held the customer to purge them
// (`erased` leaving rows, docs/SYNC-PROTOCOL.md), and a push naming them is refused.
import { randomUUID } from 'node:crypto';
import { customerSchema, type Customer } from '../../shared/customer';
import { BranchDeskError } from '../../shared/errors';
import { bankToday } from '../../shared/insight/day';
import {
  AML_RETENTION_YEARS,
  type ErasureHold,
  type ErasureRequest,
  type erasureChannels,
} from '../../shared/protocol/privacy';
import * as clock from '../clock';
import type { Database, Sql } from '../db/database';
import { appendHqAction } from '../hq-audit';
import { editAtHq } from '../mutations';
import { mergeChain } from '../merges';
import { branchesHolding } from '../scope';
import { forgetScopeDigests } from '../scope-digest';
import { generalise, type ExtractSource } from './extract';
import { holdsOn, type HoldFacts } from './holds';

export interface RetentionPolicy {
  /** Today on HQ's calendar (YYYY-MM-DD): when the holds are measured. */
  today: string;
  /** Years the AML retention period runs after the relationship ended. */
  years: number;
}

/**
 * Today on HQ's calendar and the AML retention period: as asked, else from the environment
 * (HQ_AML_RETENTION_YEARS), else the law's minimum. Never shorter than the minimum.
 */
export function retentionPolicy(options: { today?: string; years?: number } = {}): RetentionPolicy {
  const fromEnv = process.env.HQ_AML_RETENTION_YEARS;
  const years = options.years ?? (fromEnv ? Number(fromEnv) : AML_RETENTION_YEARS);
  if (!Number.isInteger(years) || years < AML_RETENTION_YEARS || years > 100)
    throw new BranchDeskError('INPUT_INVALID', {
      issues: `HQ_AML_RETENTION_YEARS: a whole number of years from ${AML_RETENTION_YEARS} to 100`,
    });
  return { today: options.today ?? bankToday(), years };
}

/** The customer's record and legal holds in force, read under a lock on the customer row. */
async function factsOf(
  tx: Sql,
  customerId: string,
): Promise<{ customer: Customer; facts: HoldFacts } | undefined> {
  const [row] = await tx.query<{ record: unknown }>(
    'SELECT record FROM customer WHERE id = $1 FOR UPDATE',
    [customerId],
  );
  if (!row) return undefined;
  const customer = customerSchema.parse(row.record);
  // Holds placed on a record later merged into this one hold the person too (hq/merges.ts).
  const holds = await tx.query<{ id: string; reference: string; placed_at: Date | string }>(
    `WITH RECURSIVE person (id) AS (
       SELECT $1::uuid UNION SELECT c.id FROM customer c JOIN person p ON c.merged_into = p.id)
     SELECT id, reference, placed_at FROM legal_hold
     WHERE customer_id IN (SELECT id FROM person) AND released_at IS NULL ORDER BY placed_at, id`,
    [customerId],
  );
  return {
    customer,
    facts: {
      accounts: customer.accounts,
      visits: customer.visits,
      legalHolds: holds.map((hold) => ({
        id: hold.id,
        reference: hold.reference,
        placedAt: new Date(hold.placed_at).toISOString(),
      })),
    },
  };
}

async function isErased(tx: Sql, customerId: string): Promise<boolean> {
  const rows = await tx.query('SELECT 1 FROM erased_customer WHERE customer_id = $1', [customerId]);
  return rows.length > 0;
}

/**
 * What is kept of a customer for statistics: the kind, the home branch, and, for a person, the
 * quasi-identifiers at the coarseness of a broad extract (a 10-year age band, the province, how
 * many products, gender, segment, risk rating). Nothing that picks them out.
 */
export function erasedStatistics(customer: Customer, today: string): Record<string, string> {
  const common = {
    kind: customer.kind,
    homeBranchId: customer.homeBranchId,
    segment: customer.segment,
    riskRating: customer.kyc.riskRating,
  };
  if (customer.kind !== 'individual' || !customer.birthDate) return common;
  const source: ExtractSource = {
    birthDate: customer.birthDate,
    gender: customer.gender ?? 'unknown',
    districts: (customer.addresses ?? []).map((address) => ({
      kind: address.kind,
      district: address.districtCode ?? '',
    })),
    segment: customer.segment,
    products: (customer.accounts ?? [])
      .filter((account) => account.status !== 'closed')
      .map((account) => account.product),
    riskRating: customer.kyc.riskRating,
    kycStatus: customer.kyc.status,
  };
  const row = generalise(
    source,
    { age_band: 1, gender: 0, area: 2, segment: 0, products: 1, risk_rating: 0 },
    today,
  );
  return { ...common, ageBand: row.age_band, gender: row.gender, province: row.area };
}

/**
 * Erases one customer inside `tx` (the customer row locked by the caller). Irreversible: the
 * rows are deleted, not flagged. Returns the branches told to purge.
 */
async function erase(
  tx: Sql,
  customer: Customer,
  ground: 'request' | 'retention_ended',
  today: string,
): Promise<string[]> {
  const id = customer.id;
  const branches = await branchesHolding(tx, id);
  const hlc = await clock.tick(tx);
  // Records merged into this customer (hq/merges.ts) are the same person: they go too, and so
  // do the merges, which keep copies of both records for an unmerge.
  const away = await tx.query<{ id: string; record: Customer }>(
    `WITH RECURSIVE away (id) AS (
       SELECT id FROM customer WHERE merged_into = $1
       UNION SELECT c.id FROM customer c JOIN away a ON c.merged_into = a.id)
     SELECT c.id, c.record FROM customer c JOIN away USING (id)`,
    [id],
  );
  const ids = [id, ...away.map((row) => row.id)];
  // Values the merges and unmerges of these records moved into another record's field history.
  await tx.query(
    `DELETE FROM field_history WHERE source IN (
       SELECT prefix || m.id::text FROM customer_merge m, unnest(ARRAY['merge:', 'unmerge:']) AS prefix
       WHERE m.survivor_id = ANY($1::uuid[]) OR m.merged_id = ANY($1::uuid[]))`,
    [ids],
  );
  await tx.query(
    'DELETE FROM customer_merge WHERE survivor_id = ANY($1::uuid[]) OR merged_id = ANY($1::uuid[])',
    [ids],
  );
  await tx.query('DELETE FROM field_history WHERE customer_id = ANY($1::uuid[])', [ids]);
  await tx.query('DELETE FROM mutation WHERE customer_id = ANY($1::uuid[])', [ids]);
  await tx.query('DELETE FROM identity_approval WHERE customer_id = ANY($1::uuid[])', [ids]);
  // The documents index (customer_document) goes with the rows (ON DELETE CASCADE).
  await tx.query('DELETE FROM customer WHERE id = ANY($1::uuid[])', [ids]);
  // The terms the kept scope digests hold of them, with those digests (worked out whole next).
  await forgetScopeDigests(tx, branches, ids);
  for (const gone of [{ id, record: customer }, ...away])
    await tx.query(
      `INSERT INTO erased_customer (customer_id, ground, statistics) VALUES ($1, $2, $3)`,
      [gone.id, ground, JSON.stringify(erasedStatistics(gone.record, today))],
    );
  // HQ's own audit names the customer by id alone, as every audit entry does from now on.
  await appendHqAction(tx, {
    actor: 'hq:privacy',
    action: 'privacy_erase',
    target: id,
    details: { ground, branches },
  });
  // Leaving every branch that held the customer, at one new change: each device purges it at
  // its next pull (changesAfter marks the row `erased`).
  const [seq] = await tx.query<{ seq: string }>('SELECT next_change_seq() AS seq');
  await tx.query(
    `INSERT INTO scope_change (seq, branch_id, customer_id, in_scope, hlc)
     SELECT $1, branch, $2, false, $3 FROM unnest($4::text[]) AS branch`,
    [seq!.seq, id, hlc, branches],
  );
  return branches;
}

export interface ErasureDecision {
  request: ErasureRequest;
  /** Restricted meanwhile (held), or erased now. */
  outcome: 'held' | 'erased';
}

/**
 * Records a customer's request for erasure and acts on it: erased now when nothing holds the
 * data, else restricted (`erasure_requested`, until the AML period's end when that is the only
 * hold) and left for the retention job. A second request while one is held re-checks that one.
 */
export async function requestErasure(
  db: Database,
  input: {
    customerId: string;
    channel: (typeof erasureChannels)[number];
    reference: string;
    actor: string;
  },
  policy: RetentionPolicy,
): Promise<ErasureDecision> {
  const decided = await db.transaction(async (tx) => {
    if (await isErased(tx, input.customerId))
      throw new BranchDeskError('CUSTOMER_ERASED', { customerId: input.customerId });
    // A record merged into another is that person: the request is theirs (hq/merges.ts).
    const customerId = (await mergeChain(tx, input.customerId)).at(-1)!;
    const found = await factsOf(tx, customerId);
    if (!found) throw new BranchDeskError('CUSTOMER_NOT_FOUND');
    const holds = holdsOn(found.facts, policy.today, policy.years);
    const [open] = await tx.query<{ id: string }>(
      `SELECT id FROM erasure_request WHERE customer_id = $1 AND status = 'held'`,
      [customerId],
    );
    const id = open?.id ?? randomUUID();
    if (!open)
      await tx.query(
        `INSERT INTO erasure_request (id, customer_id, channel, reference, recorded_by, status, holds)
         VALUES ($1, $2, $3, $4, $5, 'held', $6)`,
        [id, customerId, input.channel, input.reference, input.actor, JSON.stringify(holds)],
      );
    if (holds.length > 0) {
      await tx.query(`UPDATE erasure_request SET holds = $2, evaluated_at = now() WHERE id = $1`, [
        id,
        JSON.stringify(holds),
      ]);
      return { id, holds, customer: found.customer };
    }
    await erase(tx, found.customer, 'request', policy.today);
    await tx.query(
      `UPDATE erasure_request SET status = 'erased', holds = '[]', evaluated_at = now(),
         erased_at = now() WHERE id = $1`,
      [id],
    );
    return { id, holds, customer: found.customer };
  });
  if (decided.holds.length > 0) await restrictForRequest(db, decided.customer, decided.holds);
  return {
    request: (await erasureRequest(db, decided.id))!,
    outcome: decided.holds.length > 0 ? 'held' : 'erased',
  };
}

/**
 * Restricts a customer whose erasure waits on holds (PIPL Art. 47: stop processing but keep).
 * `until` is the AML period's end when that is the only hold with an end; a standing
 * restriction for the same reason and end is left as it is (no new version for nothing).
 */
async function restrictForRequest(
  db: Database,
  customer: Customer,
  holds: ErasureHold[],
): Promise<void> {
  const ends = holds.map((hold) => (hold.kind === 'aml_retention' ? hold.until : null));
  const until = ends.length === 1 && ends[0] ? ends[0] : undefined;
  const standing = customer.restriction;
  if (standing?.reason === 'erasure_requested' && standing.until === until) return;
  await editAtHq(
    db,
    customer.id,
    {
      restriction: {
        since: standing?.since ?? new Date().toISOString(),
        reason: 'erasure_requested',
        ...(until ? { until } : {}),
      },
    },
    'hq:privacy',
  );
}

/** Places a legal or investigation hold: nothing erases the customer until it is released. */
export async function placeLegalHold(
  db: Database,
  input: { customerId: string; reference: string; actor: string },
): Promise<{ holdId: string }> {
  return db.transaction(async (tx) => {
    if (await isErased(tx, input.customerId))
      throw new BranchDeskError('CUSTOMER_ERASED', { customerId: input.customerId });
    const known = await tx.query('SELECT 1 FROM customer WHERE id = $1', [input.customerId]);
    if (known.length === 0) throw new BranchDeskError('CUSTOMER_NOT_FOUND');
    const holdId = randomUUID();
    await tx.query(
      `INSERT INTO legal_hold (id, customer_id, reference, placed_by) VALUES ($1, $2, $3, $4)`,
      [holdId, input.customerId, input.reference, input.actor],
    );
    return { holdId };
  });
}

/** Releases a legal hold; the next retention run erases the customer if nothing else holds. */
export async function releaseLegalHold(
  db: Database,
  input: { holdId: string; actor: string },
): Promise<{ customerId: string }> {
  const [row] = await db.query<{ customer_id: string }>(
    `UPDATE legal_hold SET released_at = now(), released_by = $2
     WHERE id = $1 AND released_at IS NULL RETURNING customer_id`,
    [input.holdId, input.actor],
  );
  if (!row) throw new BranchDeskError('LEGAL_HOLD_NOT_FOUND', { holdId: input.holdId });
  return { customerId: row.customer_id };
}

export interface RetentionRun {
  /** Held requests whose holds have all ended: erased now. */
  erasedOnRequest: number;
  /** Customers without a request whose AML period ended: erased now. */
  erasedRetentionEnded: number;
  /** Requests still held, with their holds re-checked. */
  stillHeld: number;
}

/**
 * The retention job (`npm run hq -- privacy retention`): erases every customer whose request no
 * hold keeps any more, and every customer whose relationship ended more than the retention period
 * ago, legal holds aside. Each customer in its own transaction, so a run cut short loses nothing
 * and the next one finishes. `dryRun`: counts, changes nothing.
 */
export async function runRetention(
  db: Database,
  policy: RetentionPolicy,
  options: { dryRun?: boolean } = {},
): Promise<RetentionRun> {
  const run: RetentionRun = { erasedOnRequest: 0, erasedRetentionEnded: 0, stillHeld: 0 };
  const held = await db.query<{ id: string; customer_id: string }>(
    `SELECT id, customer_id FROM erasure_request WHERE status = 'held' ORDER BY received_at, id`,
  );
  for (const request of held) {
    const erased = await db.transaction(async (tx) => {
      const found = await factsOf(tx, request.customer_id);
      if (!found) return false;
      const holds = holdsOn(found.facts, policy.today, policy.years);
      if (holds.length > 0 || options.dryRun) {
        if (!options.dryRun)
          await tx.query(
            `UPDATE erasure_request SET holds = $2, evaluated_at = now() WHERE id = $1`,
            [request.id, JSON.stringify(holds)],
          );
        return holds.length === 0;
      }
      await erase(tx, found.customer, 'request', policy.today);
      await tx.query(
        `UPDATE erasure_request SET status = 'erased', holds = '[]', evaluated_at = now(),
           erased_at = now() WHERE id = $1`,
        [request.id],
      );
      return true;
    });
    if (erased) run.erasedOnRequest++;
    else run.stillHeld++;
  }
  // Candidates: every account closed, the latest closing day older than the period (visits and
  // legal holds are checked exactly below). Customers with no account are not candidates.
  const cutoff = addYearsSql(policy.today, -policy.years);
  const candidates = await db.query<{ id: string }>(
    `SELECT c.id FROM customer c
     WHERE c.merged_into IS NULL AND jsonb_typeof(c.record -> 'accounts') = 'array'
       AND jsonb_array_length(c.record -> 'accounts') > 0
       AND NOT EXISTS (SELECT 1 FROM jsonb_array_elements(c.record -> 'accounts') AS a
                       WHERE a ->> 'status' <> 'closed' OR NOT a ? 'closedOn' OR a ->> 'closedOn' > $1)
       AND NOT EXISTS (SELECT 1 FROM erasure_request r WHERE r.customer_id = c.id AND r.status = 'held')
     ORDER BY c.id`,
    [cutoff],
  );
  for (const { id } of candidates) {
    const erased = await db.transaction(async (tx) => {
      const found = await factsOf(tx, id);
      if (!found || holdsOn(found.facts, policy.today, policy.years).length > 0) return false;
      if (!options.dryRun) await erase(tx, found.customer, 'retention_ended', policy.today);
      return true;
    });
    if (erased) run.erasedRetentionEnded++;
  }
  return run;
}

/** `today` moved by whole years, for the candidates' query (exactness is holdsOn's). */
function addYearsSql(today: string, years: number): string {
  const year = Number(today.slice(0, 4)) + years;
  return `${String(year).padStart(4, '0')}${today.slice(4)}`;
}

/** One erasure request, or undefined. */
export async function erasureRequest(
  db: Sql,
  requestId: string,
): Promise<ErasureRequest | undefined> {
  const [row] = await db.query<RequestRow>(`${requestColumns} WHERE id = $1`, [requestId]);
  return row && requestOf(row);
}

/** The erasure requests, newest first; `status` narrows them. */
export async function erasureRequests(
  db: Sql,
  filter: { status?: 'held' | 'erased'; customerId?: string } = {},
): Promise<ErasureRequest[]> {
  const rows = await db.query<RequestRow>(
    `${requestColumns}
     WHERE ($1::text IS NULL OR status = $1) AND ($2::uuid IS NULL OR customer_id = $2)
     ORDER BY received_at DESC, id`,
    [filter.status ?? null, filter.customerId ?? null],
  );
  return rows.map(requestOf);
}

const requestColumns = `SELECT id, customer_id, received_at, channel, reference, recorded_by,
  status, holds, evaluated_at, erased_at FROM erasure_request`;

interface RequestRow {
  id: string;
  customer_id: string;
  received_at: Date | string;
  channel: ErasureRequest['channel'];
  reference: string;
  recorded_by: string;
  status: ErasureRequest['status'];
  holds: ErasureHold[];
  evaluated_at: Date | string;
  erased_at: Date | string | null;
}

function requestOf(row: RequestRow): ErasureRequest {
  return {
    id: row.id,
    customerId: row.customer_id,
    receivedAt: new Date(row.received_at).toISOString(),
    channel: row.channel,
    reference: row.reference,
    recordedBy: row.recorded_by,
    status: row.status,
    holds: row.holds,
    evaluatedAt: new Date(row.evaluated_at).toISOString(),
    erasedAt: row.erased_at === null ? null : new Date(row.erased_at).toISOString(),
  };
}
