// Maker-checker (ARCHITECTURE.md §6): a change to identity or other sensitive fields made by a
// member of staff is checked as it is made (so the maker sees any error at once) and then held
// here, neither applied nor queued for HQ, until a supervisor who is not its maker approves it
// (it is then applied as the maker's edit) or rejects it. A held change keeps the values it
// replaces: approved after unrelated edits to the record (a visit, a phone), it is applied to the
// record as it stands; once any of its own fields has changed since, it cannot be approved as
// made and goes back to its maker to redo ('redo', naming the fields).
// HQ does not take the device's word for the second pair of eyes: approving a change to identity
// fields asks HQ, with the approver's own session, to record the approval of exactly the mutation
// about to be queued, and that mutation carries the record's id (hq/approvals.ts checks it).
import { randomUUID } from 'node:crypto';
import type { HeldChange, PendingChange } from '../../../shared/commands/approvals';
import { needsFourEyes, type Customer } from '../../../shared/customer';
import { BranchDeskError } from '../../../shared/errors';
import type {
  ApprovalRequest,
  ApprovalResponse,
  Mutation,
  MutationApproval,
} from '../../../shared/protocol/mutations';
import { approvalDigest } from '../../../shared/sync/approval';
import { sameJson } from '../../../shared/sync/canonical';
import { actorId } from '../audit/actor';
import { sha256Hex } from '../audit/log';
import { wallClockIso } from '../clock';
import type { Vault } from '../vault';
import type { Actor, CustomerService } from './service';

interface Row {
  id: number;
  customer_id: string;
  base_version: number;
  changes: string;
  before: string | null;
  note: string | null;
  correction: number;
  requested_by: string;
  requested_at: string;
  status: PendingChange['status'];
  decided_by: string | null;
  decided_at: string | null;
  reason: string | null;
  moved: string | null;
}

const toChange = (row: Row): PendingChange => ({
  id: row.id,
  customerId: row.customer_id,
  baseVersion: row.base_version,
  changes: JSON.parse(row.changes) as Record<string, unknown>,
  before: row.before === null ? null : (JSON.parse(row.before) as Record<string, unknown>),
  note: row.note,
  correction: row.correction === 1,
  requestedBy: row.requested_by,
  requestedAt: row.requested_at,
  status: row.status,
  decidedBy: row.decided_by,
  decidedAt: row.decided_at,
  reason: row.reason,
  moved: row.moved === null ? [] : (JSON.parse(row.moved) as string[]),
});

/**
 * The change's fields whose value is no longer what it replaced. A change kept without the values
 * it replaced (held before they were kept) counts every field as moved once the record has.
 */
function movedSince(change: PendingChange, current: Customer): string[] {
  if (current.version === change.baseVersion) return [];
  return Object.keys(change.changes).filter(
    (field) =>
      change.before === null ||
      !(field in change.before) ||
      !sameJson(current[field as keyof Customer] ?? null, change.before[field] ?? null),
  );
}

/** Records an approval at HQ as the approving supervisor; throws when HQ cannot be asked. */
export type RecordApproval = (request: ApprovalRequest) => Promise<ApprovalResponse>;

/**
 * Changes that HQ applies only with four eyes: identity, and a proposed rating change (the device
 * holds more: see identityFieldsIn).
 */
export const needsHqApproval = (changes: Record<string, unknown>): boolean =>
  Object.keys(changes).some((field) => needsFourEyes(field));

type Update = Extract<Mutation, { kind: 'update' }>;

const digestOf = (mutation: Update) =>
  approvalDigest(sha256Hex, {
    mutationId: mutation.mutationId,
    customerId: mutation.customerId,
    baseVersion: mutation.baseVersion,
    actor: mutation.actor,
    fields: mutation.fields,
  });

export class ApprovalQueue {
  private readonly statements;

  constructor(
    private readonly vault: Vault,
    private readonly customers: CustomerService,
  ) {
    const db = vault.db;
    this.statements = {
      insert: db.prepare(
        `INSERT INTO pending_change (customer_id, base_version, changes, before, note, correction,
           requested_by, requested_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      redo: db.prepare(
        `UPDATE pending_change SET status = 'redo', decided_by = @by, decided_at = @at, moved = @moved
         WHERE id = @id AND status = 'pending'`,
      ),
      mine: db.prepare(
        `SELECT * FROM pending_change WHERE requested_by = @maker
           AND (@customerId IS NULL OR customer_id = @customerId)
         ORDER BY id DESC LIMIT @limit`,
      ),
      waiting: db.prepare(
        `SELECT count(*) FROM pending_change WHERE status = 'pending' AND requested_by <> ?`,
      ),
      staff: db.prepare('SELECT username, display_name FROM staff_credential'),
      get: db.prepare('SELECT * FROM pending_change WHERE id = ?'),
      awaiting: db.prepare(
        `SELECT * FROM pending_change WHERE customer_id = ? AND status = 'pending' ORDER BY id`,
      ),
      decide: db.prepare(
        `UPDATE pending_change SET status = @status, decided_by = @by, decided_at = @at, reason = @reason
         WHERE id = @id AND status = 'pending'`,
      ),
    };
  }

  /**
   * Checks the change against the customer as it stands, then holds it with the values it
   * replaces (so an approval later can tell whether they moved). Returns its id.
   */
  hold(
    customerId: string,
    baseVersion: number,
    changes: Record<string, unknown>,
    maker: Actor,
    note?: string,
    /** The customer asked for this correction (PIPL Art. 46): kept, and sent with the change. */
    correction = false,
  ): number {
    this.customers.checkUpdate(customerId, baseVersion, changes);
    const { customer } = this.customers.show({ id: customerId });
    const before = Object.fromEntries(
      Object.keys(changes).map((field) => [field, customer[field as keyof Customer] ?? null]),
    );
    return Number(
      this.statements.insert.run(
        customerId,
        baseVersion,
        JSON.stringify(changes),
        JSON.stringify(before),
        note || null,
        correction ? 1 : 0,
        maker.id,
        wallClockIso(),
      ).lastInsertRowid,
    );
  }

  get(id: number): PendingChange {
    const row = this.statements.get.get(id) as Row | undefined;
    if (!row) throw new BranchDeskError('APPROVAL_NOT_FOUND', { changeId: id });
    return toChange(row);
  }

  /** The changes to one customer still waiting, oldest first (read on every customer.show). */
  awaiting(customerId: string): PendingChange[] {
    return (this.statements.awaiting.all(customerId) as Row[]).map(toChange);
  }

  /** Changes waiting that `reader` may decide (not their own): the inbox's badge. */
  waitingFor(reader: Actor): number {
    return this.statements.waiting.pluck().get(reader.id) as number;
  }

  /** `maker`'s own held changes, newest first, whatever became of them. */
  mine(maker: Actor, options: { customerId?: string; limit: number }): PendingChange[] {
    return (
      this.statements.mine.all({
        maker: maker.id,
        customerId: options.customerId ?? null,
        limit: options.limit,
      }) as Row[]
    ).map((row) => this.withMoved(toChange(row)));
  }

  /**
   * Each change with what a person needs to judge it: the customer's number and name, the
   * maker's and decider's display names (staff who signed in on this device), whether it is the
   * reader's own. Unmasked: the command masks by the reader's role.
   */
  view(changes: PendingChange[], reader: Actor): HeldChange[] {
    const names = new Map(
      (this.statements.staff.all() as { username: string; display_name: string }[]).map((row) => [
        actorId({ kind: 'user', username: row.username }),
        row.display_name,
      ]),
    );
    return changes.map((change) => {
      const customer = this.customers.store.get(change.customerId)?.customer;
      return {
        ...change,
        customer: customer
          ? { customerNumber: customer.customerNumber, name: customer.legalName }
          : null,
        makerName: names.get(change.requestedBy) ?? null,
        deciderName: change.decidedBy ? (names.get(change.decidedBy) ?? null) : null,
        own: change.requestedBy === reader.id,
      };
    });
  }

  /** A pending change with the fields that have moved since it was made (approval would ask for a redo). */
  private withMoved(change: PendingChange): PendingChange {
    if (change.status !== 'pending') return change;
    const current = this.customers.store.get(change.customerId)?.customer;
    return current ? { ...change, moved: movedSince(change, current) } : change;
  }

  list(options: { customerId?: string; all?: boolean; limit: number }): PendingChange[] {
    const where = [
      ...(options.all ? [] : ["status = 'pending'"]),
      ...(options.customerId ? ['customer_id = @customerId'] : []),
    ];
    const sql = `SELECT * FROM pending_change ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY id LIMIT @limit`;
    return (
      this.vault.db.prepare(sql).all({
        limit: options.limit,
        ...(options.customerId ? { customerId: options.customerId } : {}),
      }) as Row[]
    ).map((row) => this.withMoved(toChange(row)));
  }

  /**
   * Applies a pending change as its maker's edit, to the record as it stands when none of its
   * fields moved since it was made (other fields may have: a visit, a phone). When one did, the
   * change becomes 'redo' (committed, with `recordRedo` in the same transaction) and
   * APPROVAL_NEEDS_REDO names the fields. The checker must not be the maker. A change to
   * identity fields is first recorded at HQ by `recordAtHq` (the checker's own HQ session) for
   * exactly the mutation it will queue; without HQ it stays pending.
   */
  async approve(
    id: number,
    checker: Actor,
    recordAtHq: RecordApproval,
    /** Runs in the transaction that applies the change (its audit entry commits with it). */
    recordHere: (approved: { change: PendingChange; version: number }) => void = () => {},
    /** Runs in the transaction that sends the change back to its maker. */
    recordRedo: (redo: { change: PendingChange; moved: string[] }) => void = () => {},
  ): Promise<{ change: PendingChange; version: number }> {
    const held = this.pendingFor(id, checker);
    const change = { ...held, baseVersion: this.rebased(held, checker, recordRedo) };
    let queued: { mutationId?: string; approval?: MutationApproval; correction?: boolean } = {
      correction: change.correction,
    };
    const planned = needsHqApproval(change.changes) ? this.planned(change) : undefined;
    if (planned) {
      const mutation = { ...planned, mutationId: randomUUID() };
      const recorded = await recordAtHq({
        mutationId: mutation.mutationId,
        customerId: mutation.customerId,
        maker: mutation.actor,
        digest: digestOf(mutation),
      });
      queued = {
        ...queued,
        mutationId: mutation.mutationId,
        approval: { approvalId: recorded.approvalId },
      };
    }
    return this.vault.db
      .transaction(() => {
        this.pendingFor(id, checker); // decided by someone else while HQ answered?
        const { customer } = this.customers.update(
          change.customerId,
          change.baseVersion,
          change.changes,
          { id: change.requestedBy },
          queued,
        );
        if (planned) {
          // HQ approved a digest of the mutation as planned; queue nothing else under it.
          const queuedMutation = this.customers.sync
            .pendingFor(change.customerId)
            .find((mutation) => mutation.mutationId === queued.mutationId);
          if (
            queuedMutation?.kind !== 'update' ||
            digestOf(queuedMutation) !== digestOf({ ...planned, mutationId: queued.mutationId! })
          )
            throw new BranchDeskError('CUSTOMER_VERSION_CONFLICT', {
              current: customer.version,
              base: change.baseVersion,
            });
        }
        this.decide(id, 'approved', checker, null);
        const approved = { change: this.get(id), version: customer.version };
        recordHere(approved);
        return approved;
      })
      .immediate();
  }

  /**
   * The version to apply `change` to: the record's current one when none of its fields moved
   * since it was made. Otherwise it goes back to its maker (committed before the error is thrown).
   */
  private rebased(
    change: PendingChange,
    checker: Actor,
    recordRedo: (redo: { change: PendingChange; moved: string[] }) => void,
  ): number {
    const { customer } = this.customers.show({ id: change.customerId });
    const moved = movedSince(change, customer);
    if (moved.length === 0) return customer.version;
    this.vault.db
      .transaction(() => {
        this.statements.redo.run({
          id: change.id,
          by: checker.id,
          at: wallClockIso(),
          moved: JSON.stringify(moved),
        });
        recordRedo({ change: this.get(change.id), moved });
      })
      .immediate();
    // The details keep the fields' names; the message names them in words (detailWords).
    throw new BranchDeskError('APPROVAL_NEEDS_REDO', {
      changeId: change.id,
      fields: moved.join(','),
    });
  }

  /**
   * The update mutation approving `change` would queue, worked out and rolled back (so HQ can be
   * asked to approve exactly it); undefined when it would change nothing.
   */
  private planned(change: PendingChange): Update | undefined {
    const sentinel = new Error('planned, not applied');
    let planned: Update | undefined;
    try {
      this.vault.db.transaction(() => {
        const before = new Set(
          this.customers.sync.pendingFor(change.customerId).map((m) => m.mutationId),
        );
        this.customers.update(change.customerId, change.baseVersion, change.changes, {
          id: change.requestedBy,
        });
        const made = this.customers.sync
          .pendingFor(change.customerId)
          .find((mutation) => !before.has(mutation.mutationId));
        if (made?.kind === 'update') planned = made;
        throw sentinel; // rolls the savepoint back
      })();
    } catch (error) {
      if (error !== sentinel) throw error;
    }
    return planned;
  }

  reject(id: number, checker: Actor, reason: string): PendingChange {
    return this.vault.db.transaction(() => {
      this.pendingFor(id, checker);
      this.decide(id, 'rejected', checker, reason);
      return this.get(id);
    })();
  }

  private pendingFor(id: number, checker: Actor): PendingChange {
    const change = this.get(id);
    if (change.status !== 'pending')
      throw new BranchDeskError('APPROVAL_NOT_PENDING', { changeId: id, status: change.status });
    if (change.requestedBy === checker.id)
      throw new BranchDeskError('APPROVAL_OWN_CHANGE', { changeId: id });
    return change;
  }

  private decide(
    id: number,
    status: 'approved' | 'rejected',
    checker: Actor,
    reason: string | null,
  ): void {
    this.statements.decide.run({ id, status, by: checker.id, at: wallClockIso(), reason });
  }
}
