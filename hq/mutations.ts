// Applying a device's mutations, and HQ staff's own edits, to the master records. Each mutation
// runs in its own transaction that also stores its outcome under its mutationId: a retry (the
// response was lost, the request was delivered twice) finds the outcome and returns it, so no
// mutation is ever applied twice, and one refused mutation never holds up the others.
import { randomInt } from 'node:crypto';
import {
  customerFieldPolicies,
  customerNumberCheckDigit,
  customerSchema,
  isEntryListField,
  isHqOwnedField,
  type Customer,
  type CustomerEditableField,
} from '../shared/customer';
import { effectiveKyc } from '../shared/insight/review';
import { bankDay } from '../shared/insight/day';
import { recordedRating } from '../shared/insight/risk';
import { parseIsoDate } from '../shared/validation/dates';
import { currentRiskRules } from './insight/rules';
import {
  newContactsAllowed,
  newProposalsAllowed,
  newRatingsAllowed,
  newComplaintsAllowed,
  newResponsesAllowed,
  newReviewsAllowed,
} from './insight/push-checks';
import { BranchDeskError } from '../shared/errors';
import type { Mutation, MutationOutcome, MutationRejection } from '../shared/protocol/mutations';
import { sameJson } from '../shared/sync/canonical';
import { correctHlc, isTooFarAhead } from '../shared/sync/hlc';
import { mergeField, type FieldResult } from '../shared/sync/merge';
import { identityApprovalRefusal } from './approvals';
import { applyEntryMerge, applyHqListEdit, entryHlc } from './entry-clocks';
import * as clock from './clock';
import { contentHash } from './content-hash';
import { qualityColumns } from './quality-facts';
import type { Database, Sql } from './db/database';
import { isContention, isDataError, underSavepoint, violates } from './db/errors';
import type { AuthenticatedDevice } from './devices';
import { createRefusal, scopeRefusal } from './push-guard';
import { lockMergeChain, redirectMutation, type ChainRow } from './merges';
import { holdsNow, logScope } from './scope';

type CustomerRow = Omit<ChainRow, 'id'>;

export interface PushResult {
  outcome: MutationOutcome;
  current: { version: number; customer: Record<string, unknown> } | null;
}

/** Tries of one mutation that lost races with concurrent transactions, before the push fails. */
const CONTENTION_TRIES = 5;

/**
 * `clockOffsetMs`: how far the device's clock is ahead of HQ's (negative: behind), measured as
 * the push arrived (the push's `sentAt` minus HQ's clock then); its edits are ordered in HQ's time.
 */
export async function applyMutations(
  db: Database,
  device: AuthenticatedDevice,
  mutations: Mutation[],
  clockOffsetMs = 0,
): Promise<{ results: PushResult[]; hlc: string; epoch: string }> {
  const results: PushResult[] = [];
  for (const mutation of mutations) {
    if (mutation.device !== device.deviceId)
      throw new BranchDeskError('INPUT_INVALID', { issues: 'mutation from another device' });
    let outcome: MutationOutcome | undefined;
    for (let tries = 1; !outcome; tries++) {
      try {
        outcome = await db.transaction((tx) => applyOnce(tx, device, mutation, clockOffsetMs));
      } catch (error) {
        // Lost a race (a number taken a moment ago, a deadlock): run it again, it sees the
        // winner. Never stored as the outcome; after a few tries the push fails and is retried.
        if (isContention(error) && tries < CONTENTION_TRIES) continue;
        // Data the database refuses (a NUL in a text, a value out of range) is this mutation's
        // fault, and retrying cannot help: store it refused, so it never blocks the outbox.
        if (!isDataError(error)) throw error;
        outcome = await db.transaction((tx) => storeRefused(tx, device, mutation));
      }
    }
    // The last one's record is read with HQ's clock and epoch, which the answer carries.
    if (mutation === mutations.at(-1)) {
      const last = await currentWithClock(db, device.branchId, mutation.customerId);
      results.push({ outcome, current: last.current });
      return { results, ...last.clock };
    }
    results.push({ outcome, current: await currentFor(db, device.branchId, mutation.customerId) });
  }
  return { results, ...(await clock.currentWithEpoch(db)) };
}

async function storeRefused(
  tx: Sql,
  device: AuthenticatedDevice,
  mutation: Mutation,
): Promise<MutationOutcome> {
  const outcome = rejected(mutation, 'INVALID_RESULT');
  await tx.query(
    `INSERT INTO mutation (mutation_id, device_id, customer_id, hlc, body, outcome)
     VALUES ($1, $2, $3, $4, '{}'::jsonb, $5)
     ON CONFLICT (mutation_id) DO NOTHING`,
    [
      mutation.mutationId,
      device.deviceId,
      mutation.customerId,
      mutation.hlc,
      JSON.stringify(outcome),
    ],
  );
  const [stored] = await tx.query<{ outcome: MutationOutcome }>(
    'SELECT outcome FROM mutation WHERE mutation_id = $1',
    [mutation.mutationId],
  );
  return stored?.outcome ?? outcome;
}

async function applyOnce(
  tx: Sql,
  device: AuthenticatedDevice,
  mutation: Mutation,
  clockOffsetMs: number,
): Promise<MutationOutcome> {
  // Two deliveries of one mutation at once: the second waits here, then finds the first's outcome.
  await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [mutation.mutationId]);
  const [stored] = await tx.query<{ device_id: string; outcome: MutationOutcome }>(
    'SELECT device_id, outcome FROM mutation WHERE mutation_id = $1',
    [mutation.mutationId],
  );
  if (stored) {
    if (stored.device_id !== device.deviceId)
      throw new BranchDeskError('INPUT_INVALID', { issues: 'mutation id already used' });
    return stored.outcome;
  }
  // Locks in one order everywhere, customer row then HQ's clock (editAtHq does the same), so a
  // push and a staff edit of one customer cannot deadlock.
  // With a customer merged into another (hq/merges.ts), the survivor's row too, both in id order
  // as every path locks customers.
  const locked = await lockMergeChain(tx, mutation.customerId);
  const own = locked.get(mutation.customerId);
  // An erased customer (privacy/erasure.ts) takes nothing, not even a create under their id; the
  // outcome is kept without the body, so a retry gets the same answer and no value comes back.
  // Erasure deletes the row (an erasure this push waited for too), so only a customer without
  // one can be erased.
  const erased =
    own === undefined &&
    (await tx.query('SELECT 1 FROM erased_customer WHERE customer_id = $1', [mutation.customerId]))
      .length > 0;
  if (erased) {
    const outcome = rejected(mutation, 'CUSTOMER_ERASED');
    await tx.query(
      `INSERT INTO mutation (mutation_id, device_id, customer_id, hlc, body, outcome)
       VALUES ($1, $2, $3, $4, '{}'::jsonb, $5)`,
      [
        mutation.mutationId,
        device.deviceId,
        mutation.customerId,
        mutation.hlc,
        JSON.stringify(outcome),
      ],
    );
    return outcome;
  }
  // The edit in HQ's time (docs/SYNC-PROTOCOL.md, "A wrong clock"): merged, stored in field
  // clocks and passed on to HQ's clock by that time, so a PC's wrong clock orders nothing.
  const now = Date.now();
  const ordered = { ...mutation, hlc: correctHlc(mutation.hlc, clockOffsetMs, now) };
  const acceptable = !isTooFarAhead(mutation.hlc, now) && clock.acceptable(ordered.hlc, now);
  const outcome = !acceptable
    ? rejected(mutation, 'CLOCK_SKEW')
    : ordered.kind === 'create'
      ? await create(tx, device, ordered, own !== undefined)
      : await update(tx, device, ordered, own);
  // HQ's clock moves past the edit's time in the statement that stores the outcome, the last
  // before the commit: every push waits for the clock's row, so it is held for the end of the
  // transaction only. (The merge orders by the edit's own time; HQ's clock orders what HQ stamps
  // later.)
  await tx.query(
    `WITH ${clock.advancedPast(7)}
     INSERT INTO mutation (mutation_id, device_id, customer_id, hlc, body, outcome)
     VALUES ($1, $2, $3, $4, $5, $6)`,
    [
      mutation.mutationId,
      device.deviceId,
      mutation.customerId,
      mutation.hlc,
      JSON.stringify(mutation),
      JSON.stringify(outcome),
      (acceptable && clock.floorAfter(ordered.hlc, now)) || null,
    ],
  );
  return outcome;
}

type ConsentEvent = Record<string, unknown> | null;

/** The consent events an update's ledger carries, and those HQ's record holds already. */
function consentEvents(
  mutation: Extract<Mutation, { kind: 'update' }>,
  current: Record<string, unknown>,
): { to: ConsentEvent[] | undefined; held: ConsentEvent[] } {
  const to = mutation.fields.consents?.to;
  return {
    to: Array.isArray(to) ? (to as ConsentEvent[]) : undefined,
    held: (Array.isArray(current.consents) ? current.consents : []) as ConsentEvent[],
  };
}

/** The same event: by id when it has one, else (an early record) by purpose, state and time. */
const sameEvent = (known: ConsentEvent, event: ConsentEvent, byId: boolean) =>
  byId && event?.id !== undefined
    ? known?.id === event.id
    : known?.purpose === event?.purpose && known?.state === event?.state && known?.at === event?.at;

/**
 * Whether an update only adds withdrawals of consent to the ledger: every grant it carries is one
 * HQ already holds (the same purpose and time), and it touches no other field.
 */
function onlyWithdrawals(
  mutation: Extract<Mutation, { kind: 'update' }>,
  current: Record<string, unknown>,
): boolean {
  const { to, held } = consentEvents(mutation, current);
  if (Object.keys(mutation.fields).join() !== 'consents' || to === undefined) return false;
  return to.every(
    (event) => event?.state === 'withdrawn' || held.some((known) => sameEvent(known, event, false)),
  );
}

/**
 * Whether every consent event the update adds (one HQ does not hold yet) carries the ledger's
 * facts: its id, the maker as the member of staff who captured it, its evidence and, for a grant,
 * the notice version. Events HQ holds (older ones included) are not judged again.
 */
function newConsentsComplete(
  mutation: Extract<Mutation, { kind: 'update' }>,
  current: Record<string, unknown>,
): boolean {
  const { to, held } = consentEvents(mutation, current);
  if (to === undefined) return true;
  return to.every(
    (event) =>
      held.some((known) => sameEvent(known, event, true)) ||
      (typeof event?.id === 'string' &&
        event.capturedBy === mutation.actor &&
        typeof event.evidence === 'object' &&
        event.evidence !== null &&
        (event.state !== 'granted' || typeof event.noticeVersion === 'string')),
  );
}

function rejected(mutation: Mutation, reason: MutationRejection): MutationOutcome {
  return {
    mutationId: mutation.mutationId,
    customerId: mutation.customerId,
    status: 'rejected',
    reason,
    fields: {},
    appliedVersion: null,
  };
}

async function create(
  tx: Sql,
  device: AuthenticatedDevice,
  mutation: Extract<Mutation, { kind: 'create' }>,
  exists: boolean,
): Promise<MutationOutcome> {
  if (exists) return rejected(mutation, 'CUSTOMER_EXISTS');
  const refused = createRefusal(device, mutation);
  if (refused) return rejected(mutation, refused);
  const parsed = customerSchema.safeParse({
    ...mutation.customer,
    id: mutation.customerId,
    version: 1,
    updatedBy: mutation.actor,
    updatedByDevice: device.deviceId,
  });
  if (!parsed.success) return rejected(mutation, 'INVALID_RESULT');
  const customer = parsed.data;
  if (!(await inBranch(tx, device.branchId, customer))) return rejected(mutation, 'OUT_OF_SCOPE');
  const fieldHlc = Object.fromEntries(
    Object.keys(customerFieldPolicies).map((field) => [field, mutation.hlc]),
  );
  if (!(await insertCreated(tx, customer, fieldHlc)))
    return rejected(mutation, 'DUPLICATE_DOCUMENT');
  await logScope(tx, [customer.id]);
  return {
    mutationId: mutation.mutationId,
    customerId: mutation.customerId,
    status: 'applied',
    reason: null,
    fields: {},
    appliedVersion: 1,
  };
}

type UpdateMutation = Extract<Mutation, { kind: 'update' }>;

/** `first`: the customer's row, locked (`lockMergeChain`); undefined when there is none. */
async function update(
  tx: Sql,
  device: AuthenticatedDevice,
  sent: UpdateMutation,
  first: CustomerRow | undefined,
): Promise<MutationOutcome> {
  if (!first) return rejected(sent, 'CUSTOMER_NOT_FOUND');
  if (first.merged_into === null) return updateRecord(tx, device, sent, sent, first);
  // Merged into another customer (hq/merges.ts): the edit is the survivor's, rebased onto it. A
  // branch that holds the survivor may edit it; otherwise the old record's scope rules apply.
  const mutation = await redirectMutation(tx, sent);
  const row = mutation && (await lockCustomer(tx, mutation.customerId));
  if (!mutation || !row || row.merged_into !== null) return rejected(sent, 'CUSTOMER_NOT_FOUND');
  const outcome = await updateRecord(tx, device, sent, mutation, row);
  return { ...outcome, customerId: sent.customerId, redirectedTo: mutation.customerId };
}

/** `mutation` applied to `row`: the edit as sent (`sent`), or as redirected to a survivor. */
async function updateRecord(
  tx: Sql,
  device: AuthenticatedDevice,
  sent: UpdateMutation,
  mutation: UpdateMutation,
  row: CustomerRow,
): Promise<MutationOutcome> {
  // Customers the branch holds, or held when the edit was made and lost lately (push-guard.ts).
  const outOfScope =
    mutation !== sent && (await holdsNow(tx, device.branchId, mutation.customerId))
      ? null
      : await scopeRefusal(tx, device, sent);
  if (outOfScope) return rejected(mutation, outOfScope);
  // Four eyes: an identity change carries an approval HQ recorded (hq/approvals.ts), for the
  // mutation as it was approved (and sent).
  const unapproved = await identityApprovalRefusal(tx, device, sent);
  if (unapproved) return rejected(mutation, unapproved);
  // Restricted (PIPL Art. 47): HQ takes nothing but withdrawals of consent, as the desk does; an
  // edit made before the restriction reached the branch is refused too (the ledger shows why).
  if (row.record.restriction !== undefined && !onlyWithdrawals(mutation, row.record))
    return rejected(mutation, 'CUSTOMER_RESTRICTED');
  // A consent event is a ledger entry (PIPL Art. 14): who captured it (the maker), its evidence,
  // and for a grant the notice the customer saw. An event without them is no consent at all.
  if (!newConsentsComplete(mutation, row.record)) return rejected(mutation, 'CONSENT_INCOMPLETE');
  // A KYC review or a campaign contact: HQ checks what the device checked (hq/insight/push-checks.ts).
  const stored = row.record as unknown as Customer;
  if (!(await newReviewsAllowed(tx, mutation, stored)))
    return rejected(mutation, 'KYC_REVIEW_REFUSED');
  if (!(await newContactsAllowed(tx, mutation, stored)))
    return rejected(mutation, 'CAMPAIGN_CONTACT_REFUSED');
  if (!newResponsesAllowed(mutation, stored)) return rejected(mutation, 'ACTION_RESPONSE_REFUSED');
  if (!newProposalsAllowed(mutation, stored)) return rejected(mutation, 'RATING_PROPOSAL_REFUSED');
  if (!newRatingsAllowed(mutation, stored)) return rejected(mutation, 'SATISFACTION_REFUSED');
  if (!newComplaintsAllowed(mutation, stored)) return rejected(mutation, 'COMPLAINT_REFUSED');

  const record = { ...row.record };
  const fieldHlc = { ...row.field_hlc };
  const fields: Partial<Record<CustomerEditableField, FieldResult>> = {};
  const losers: { field: string; value: unknown; hlc: string | null; source: string }[] = [];
  for (const [name, change] of Object.entries(mutation.fields)) {
    const field = name as CustomerEditableField;
    if (!change) continue;
    if (isHqOwnedField(field)) {
      fields[field] = 'hq_authoritative';
      continue;
    }
    const merged = mergeField(field, change, record[field], mutation.hlc, fieldHlc[field], (id) =>
      entryHlc(fieldHlc, field, id),
    );
    fields[field] = merged.result;
    // Phones, addresses, tasks: merged entry by entry, each losing entry a history row of its own.
    if (merged.entries)
      losers.push(...applyEntryMerge(fieldHlc, field, merged.value, merged.entries, mutation));
    else if (merged.result === 'won')
      losers.push({ field, value: record[field], hlc: fieldHlc[field] ?? null, source: 'hq' });
    else if (merged.result === 'superseded') {
      losers.push({
        field,
        value: change.to,
        hlc: mutation.hlc,
        source: `mutation:${mutation.mutationId}`,
      });
    }
    if (merged.result === 'applied' || merged.result === 'won' || merged.result === 'merged')
      fieldHlc[field] = maxHlc(fieldHlc[field], mutation.hlc);
    setField(record, field, merged.value);
  }

  // A periodic KYC review recorded at the branch: HQ writes its effect into kyc, HQ's own field
  // (the review's day and next due date, shared/insight/review.ts), in the same version.
  if (mutation.fields.kycReviews) {
    const kyc = effectiveKyc(record as unknown as Customer);
    if (!sameJson(kyc, record.kyc)) {
      record.kyc = kyc;
      fieldHlc.kyc = maxHlc(fieldHlc.kyc, mutation.hlc);
    }
  }
  // A rating change proposed at the branch (approved there, and at HQ by identityApprovalRefusal):
  // HQ re-rates with its own table, the proposal as a floor, into kyc, in the same version.
  if (mutation.fields.ratingProposals) {
    const customer = { ...(record as unknown as Customer), kyc: record.kyc as Customer['kyc'] };
    const rated = recordedRating(
      customer.kind === 'individual'
        ? { ...customer, nationality: customer.nationality, occupation: customer.occupation }
        : customer,
      await currentRiskRules(tx),
      parseIsoDate(bankDay(Date.now()))!,
    );
    const kyc = { ...customer.kyc, riskRating: rated.level, nextReviewDue: rated.nextReviewDue };
    if (!sameJson(kyc, record.kyc)) {
      record.kyc = kyc;
      fieldHlc.kyc = maxHlc(fieldHlc.kyc, mutation.hlc);
    }
  }
  const changed = Object.keys(mutation.fields).some(
    (field) => !sameJson(record[field], row.record[field]),
  );
  let version = row.version;
  if (changed) {
    const parsed = customerSchema.safeParse({
      ...record,
      version: row.version + 1,
      updatedAt: new Date().toISOString(),
      updatedBy: mutation.actor,
      updatedByDevice: device.deviceId,
    });
    if (!parsed.success) return rejected(mutation, 'INVALID_RESULT');
    version = row.version + 1;
    const written = await writeCustomer(tx, mutation.customerId, parsed.data, fieldHlc, row);
    if (written === undefined) return rejected(mutation, 'DUPLICATE_DOCUMENT');
  }
  for (const loser of losers) {
    await tx.query(
      `INSERT INTO field_history (customer_id, field, value, hlc, source, superseded_at_version)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [
        mutation.customerId,
        loser.field,
        JSON.stringify(loser.value ?? null),
        loser.hlc,
        loser.source,
        version,
      ],
    );
  }
  return {
    mutationId: mutation.mutationId,
    customerId: mutation.customerId,
    status: 'applied',
    reason: null,
    fields,
    appliedVersion: changed ? version : null,
  };
}

/** An edit made at HQ by a staff member: HQ is the master, so it simply applies. */
export async function editAtHq(
  db: Database,
  customerId: string,
  changes: Partial<Record<CustomerEditableField, unknown>>,
  actor: string,
): Promise<{ version: number; customer: Customer }> {
  for (const field of Object.keys(changes)) {
    if (field === 'homeBranchId' || field === 'assignedRmId')
      throw new BranchDeskError('INPUT_INVALID', { issues: `${field}: use reassign` });
  }
  // A push locks the customer, then HQ's clock at its end; this edit locks the customer, then
  // the clock at once: a deadlock between the two is rare (both adding one document), and the
  // edit runs again.
  for (let tries = 1; ; tries++) {
    try {
      return await db.transaction((tx) => editInTransaction(tx, customerId, changes, actor));
    } catch (error) {
      if (!isContention(error) || tries >= CONTENTION_TRIES) throw error;
    }
  }
}

/**
 * `editAtHq` inside the caller's transaction (a merge writes the survivor with it). Changing
 * nothing still makes a new version: the caller asked for one.
 */
export async function editInTransaction(
  tx: Sql,
  customerId: string,
  changes: Partial<Record<string, unknown>>,
  actor: string,
): Promise<{ version: number; customer: Customer }> {
  {
    const row = await lockCustomer(tx, customerId);
    if (!row || row.merged_into !== null) throw new BranchDeskError('CUSTOMER_NOT_FOUND');
    const hlc = await clock.tick(tx);
    const record = { ...row.record };
    const fieldHlc = { ...row.field_hlc };
    for (const [field, value] of Object.entries(changes)) {
      setField(
        record,
        field,
        isEntryListField(field)
          ? applyHqListEdit(fieldHlc, field, record[field], value, hlc)
          : value,
      );
      fieldHlc[field] = hlc;
    }
    const parsed = customerSchema.safeParse({
      ...record,
      version: row.version + 1,
      updatedAt: new Date().toISOString(),
      updatedBy: actor,
      updatedByDevice: 'hq',
    });
    if (!parsed.success) {
      const issues = parsed.error.issues
        .map((issue) => issue.path.join('.') || '(customer)')
        .join('; ');
      throw new BranchDeskError('CUSTOMER_INVALID', { issues });
    }
    const written = await writeCustomer(tx, customerId, parsed.data, fieldHlc, row);
    if (written === undefined) throw await duplicateDocument(tx, parsed.data);
    return { version: parsed.data.version, customer: parsed.data };
  }
}

async function lockCustomer(tx: Sql, customerId: string): Promise<CustomerRow | undefined> {
  const [row] = await tx.query<CustomerRow>(
    'SELECT version, record, field_hlc, merged_into FROM customer WHERE id = $1 FOR UPDATE',
    [customerId],
  );
  return row;
}

/**
 * Writes a new version of a customer over `before`, its row as locked; undefined when another
 * customer holds one of its identity documents. Only a change of documents can meet that (the
 * documents index, migration 009, is written only then), so only then is the write made under a
 * savepoint to come back from.
 */
async function writeCustomer(
  tx: Sql,
  customerId: string,
  customer: Customer,
  fieldHlc: Record<string, string>,
  before: CustomerRow,
): Promise<true | undefined> {
  if (sameJson(customer.identityDocuments, before.record.identityDocuments))
    return writeVersion(tx, customerId, customer, fieldHlc);
  return underSavepoint(tx, () => writeVersion(tx, customerId, customer, fieldHlc), takenDocument);
}

async function writeVersion(
  tx: Sql,
  customerId: string,
  customer: Customer,
  fieldHlc: Record<string, string>,
): Promise<true> {
  const hash = contentHash(customer);
  await tx.query(
    `UPDATE customer SET version = $2, record = $3, field_hlc = $4, content_hash = $5,
       quality_stamp = $6, quality_flags = $7, quality_expires_on = $8, quality_kyc_due = $9,
       quality_confirmed_on = $10, change_seq = next_change_seq()
     WHERE id = $1`,
    [
      customerId,
      customer.version,
      JSON.stringify(customer),
      JSON.stringify(fieldHlc),
      hash,
      ...qualityColumns(customer, hash),
    ],
  );
  await logScope(tx, [customerId]);
  return true;
}

/** Sets or (for `undefined`, an optional field cleared) removes a field. */
function setField(record: Record<string, unknown>, field: string, value: unknown): void {
  if (value === undefined) delete record[field];
  else record[field] = value;
}

function maxHlc(a: string | undefined, b: string): string {
  return a !== undefined && a > b ? a : b;
}

async function inBranch(tx: Sql, branchId: string, customer: Customer): Promise<boolean> {
  if (customer.homeBranchId === branchId) return true;
  if (!customer.assignedRmId) return false;
  const rows = await tx.query(
    'SELECT 1 FROM relationship_manager WHERE id = $1 AND branch_id = $2',
    [customer.assignedRmId, branchId],
  );
  return rows.length > 0;
}

/** Another customer holds one of the record's identity documents (migration 009). */
const takenDocument = (error: unknown) => violates(error, 'customer_document_pkey');

/**
 * Inserts a created customer. The database refuses (false) an identity document another customer
 * holds, even one claimed by a transaction running at the same moment: no read-then-write. The
 * branch chose its customer number offline; HQ keeps it unless another customer has it, then
 * gives a free one, however many transactions want the same number at once.
 */
async function insertCreated(
  tx: Sql,
  customer: Customer,
  fieldHlc: Record<string, string>,
): Promise<boolean> {
  for (;;) {
    // Of the record as it is now: a number found taken changes it.
    const hash = contentHash(customer);
    const inserted = await underSavepoint(
      tx,
      () =>
        tx.query(
          `INSERT INTO customer (id, customer_number, home_branch_id, assigned_rm_id, version, record, field_hlc, content_hash,
                                quality_stamp, quality_flags, quality_expires_on, quality_kyc_due, quality_confirmed_on,
                                change_seq)
           VALUES ($1, $2, $3, $4, 1, $5, $6, $7, $8, $9, $10, $11, $12, next_change_seq())
           ON CONFLICT (customer_number) DO NOTHING RETURNING id`,
          [
            customer.id,
            customer.customerNumber,
            customer.homeBranchId,
            customer.assignedRmId ?? null,
            JSON.stringify(customer),
            JSON.stringify(fieldHlc),
            hash,
            ...qualityColumns(customer, hash),
          ],
        ),
      takenDocument,
    );
    if (inserted === undefined) return false;
    if (inserted.length > 0) return true;
    const body = String(randomInt(0, 1_000_000_000)).padStart(9, '0');
    customer.customerNumber = `C${body}${customerNumberCheckDigit(body)}`;
  }
}

/** HQ staff gave a customer a document another one holds: who holds it. */
async function duplicateDocument(tx: Sql, customer: Customer): Promise<BranchDeskError> {
  const [holder] = await tx.query<{ customer_number: string; doc_type: string }>(
    `SELECT c.customer_number, d.doc_type FROM customer_document d JOIN customer c ON c.id = d.customer_id
     WHERE d.customer_id <> $1 AND (d.doc_type, d.doc_number) IN
       (SELECT doc ->> 'type', doc ->> 'number' FROM jsonb_array_elements($2::jsonb) AS doc)
     LIMIT 1`,
    [customer.id, JSON.stringify(customer.identityDocuments)],
  );
  return new BranchDeskError('CUSTOMER_DUPLICATE_DOCUMENT', {
    customerNumber: holder?.customer_number ?? '',
    documentType: holder?.doc_type ?? '',
  });
}

/** The customer's record when the branch holds it (and it is not merged away), else nothing. */
const heldRecord = `SELECT c.version, c.record FROM customer c
     WHERE c.id = $1 AND c.merged_into IS NULL AND (c.home_branch_id = $2
       OR c.assigned_rm_id IN (SELECT id FROM relationship_manager WHERE branch_id = $2))`;

/** The master record for the device's rebase, if its branch holds the customer now. */
async function currentFor(
  db: Database,
  branchId: string,
  customerId: string,
): Promise<PushResult['current']> {
  const [row] = await db.query<{ version: number; record: Record<string, unknown> }>(heldRecord, [
    customerId,
    branchId,
  ]);
  return row ? { version: row.version, customer: row.record } : null;
}

/** `currentFor` and HQ's clock and epoch (`clock.currentWithEpoch`), in one round trip. */
async function currentWithClock(db: Database, branchId: string, customerId: string) {
  const [row] = await db.query<{
    version: number | null;
    record: Record<string, unknown> | null;
    last: string | null;
    epoch: string | null;
  }>(
    `SELECT held.version, held.record, ${clock.clockAndEpochColumns}
     FROM (SELECT 1) AS one LEFT JOIN (${heldRecord}) AS held ON true`,
    [customerId, branchId],
  );
  return {
    current:
      row?.version != null && row.record ? { version: row.version, customer: row.record } : null,
    clock: clock.clockAndEpochFrom(row),
  };
}
