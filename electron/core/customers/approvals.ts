// Maker-checker (ARCHITECTURE.md §6): a change to identity or other sensitive fields made by a
// member of staff is checked as it is made (so the maker sees any error at once) and then held
// here, neither applied nor queued for HQ, until a supervisor who is not its maker approves it
// (it is then applied against the version it was made on, as the maker's edit) or rejects it.
// HQ does not take the device's word for the second pair of eyes: approving a change to identity
// fields asks HQ, with the approver's own session, to record the approval of exactly the mutation
// about to be queued, and that mutation carries the record's id (hq/approvals.ts checks it).
import { randomUUID } from 'node:crypto';
import type { PendingChange } from '../../../shared/commands/approvals';
import { isIdentityField } from '../../../shared/customer';
import { BranchDeskError } from '../../../shared/errors';
import type {
  ApprovalRequest,
  ApprovalResponse,
  Mutation,
  MutationApproval,
} from '../../../shared/protocol/mutations';
import { approvalDigest } from '../../../shared/sync/approval';
import { sha256Hex } from '../audit/log';
import { wallClockIso } from '../clock';
import type { Vault } from '../vault';
import type { Actor, CustomerService } from './service';

interface Row {
  id: number;
  customer_id: string;
  base_version: number;
  changes: string;
  requested_by: string;
  requested_at: string;
  status: PendingChange['status'];
  decided_by: string | null;
  decided_at: string | null;
  reason: string | null;
}

const toChange = (row: Row): PendingChange => ({
  id: row.id,
  customerId: row.customer_id,
  baseVersion: row.base_version,
  changes: JSON.parse(row.changes) as Record<string, unknown>,
  requestedBy: row.requested_by,
  requestedAt: row.requested_at,
  status: row.status,
  decidedBy: row.decided_by,
  decidedAt: row.decided_at,
  reason: row.reason,
});

/** Records an approval at HQ as the approving supervisor; throws when HQ cannot be asked. */
export type RecordApproval = (request: ApprovalRequest) => Promise<ApprovalResponse>;

/** Changes that HQ applies only with four eyes (the device holds more: see identityFieldsIn). */
export const needsHqApproval = (changes: Record<string, unknown>): boolean =>
  Object.keys(changes).some((field) => isIdentityField(field));

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
        `INSERT INTO pending_change (customer_id, base_version, changes, requested_by, requested_at)
         VALUES (?, ?, ?, ?, ?)`,
      ),
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

  /** Checks the change against the customer as it stands, then holds it. Returns its id. */
  hold(
    customerId: string,
    baseVersion: number,
    changes: Record<string, unknown>,
    maker: Actor,
  ): number {
    this.customers.checkUpdate(customerId, baseVersion, changes);
    return Number(
      this.statements.insert.run(
        customerId,
        baseVersion,
        JSON.stringify(changes),
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
    ).map(toChange);
  }

  /**
   * Applies a pending change as its maker's edit, against the version it was made on (a newer
   * version refuses it: CUSTOMER_VERSION_CONFLICT, and it stays pending for a reject or a new
   * change). The checker must not be the maker. A change to identity fields is first recorded at
   * HQ by `recordAtHq` (the checker's own HQ session); without HQ it stays pending.
   */
  async approve(
    id: number,
    checker: Actor,
    recordAtHq: RecordApproval,
    /** Runs in the transaction that applies the change (its audit entry commits with it). */
    recordHere: (approved: { change: PendingChange; version: number }) => void = () => {},
  ): Promise<{ change: PendingChange; version: number }> {
    const change = this.pendingFor(id, checker);
    let queued: { mutationId?: string; approval?: MutationApproval } = {};
    const planned = needsHqApproval(change.changes) ? this.planned(change) : undefined;
    if (planned) {
      const mutation = { ...planned, mutationId: randomUUID() };
      const recorded = await recordAtHq({
        mutationId: mutation.mutationId,
        customerId: mutation.customerId,
        maker: mutation.actor,
        digest: digestOf(mutation),
      });
      queued = { mutationId: mutation.mutationId, approval: { approvalId: recorded.approvalId } };
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
