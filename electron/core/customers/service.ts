// Customer operations on an open vault: what the commands call.
import { randomInt, randomUUID } from 'node:crypto';
import {
  customerFieldPolicies,
  needsFourEyes,
  customerNumberCheckDigit,
  customerSchema,
  hqOwnedFieldsSetAtCreate,
  isHqOwnedField,
  newCustomerHqFields,
  type Customer,
  type CustomerEditableField,
  type Task,
} from '../../../shared/customer';
import { BranchDeskError } from '../../../shared/errors';
import type { MutationApproval } from '../../../shared/protocol/mutations';
import { sameJson } from '../../../shared/sync/canonical';
import { onlyAppends } from '../../../shared/sync/merge';
import { localToday } from '../../../shared/validation';
import { wallClockIso } from '../clock';
import { faultPoint } from '../fault';
import { CustomerSearch } from '../search/search';
import { SyncState } from '../sync/outbox';
import { redirectOf } from '../sync/redirects';
import { perConnection, type Vault } from '../vault';
import { findDuplicates, similarNames, type ProbableDuplicate } from './duplicates';
import { withNewEntryIds } from './entry-ids';
import { CustomerStore, termIndexSql } from './store';
import { afterPrefix, term, termTags, type TermTag } from './terms';

/** The bounds of every term with `tag`, for a range scan of the term index. */
const termRange = (tag: TermTag) => ({ from: term(tag, ''), to: afterPrefix(term(tag, '')) });

export interface Actor {
  /** Who makes the change (a user id, or the OS user at branchctl). */
  id: string;
}

export interface WriteResult {
  customer: Customer;
  probableDuplicates: ProbableDuplicate[];
}

export class CustomerService {
  readonly sync: SyncState;
  private readonly parts: () => { store: CustomerStore; search: CustomerSearch };

  constructor(readonly vault: Vault) {
    this.parts = perConnection(vault, (db) => ({
      store: new CustomerStore(db),
      search: new CustomerSearch(db),
    }));
    this.sync = new SyncState(vault);
  }

  get store(): CustomerStore {
    return this.parts().store;
  }

  get search(): CustomerSearch {
    return this.parts().search;
  }

  show(selector: { id?: string; customerNumber?: string }) {
    const found = selector.id
      ? this.store.get(selector.id)
      : this.store.getByNumber(selector.customerNumber ?? '');
    if (found) return found;
    // Merged into another at HQ (sync/redirects.ts): say where they went.
    const redirect = redirectOf(this.vault.db, selector);
    if (redirect)
      throw new BranchDeskError('CUSTOMER_MERGED', {
        customerNumber: redirect.survivorNumber,
        customerId: redirect.survivorId,
      });
    throw new BranchDeskError('CUSTOMER_NOT_FOUND');
  }

  /**
   * Creates a customer from everything but its system fields; a duplicate document refuses. The
   * fields HQ owns take a new customer's values (newCustomerHqFields): given otherwise, refused.
   */
  create(input: Record<string, unknown>, actor: Actor): WriteResult {
    this.refuseHqOwnedAtCreate(input);
    return this.vault.db.transaction(() => {
      const customer = validate({
        ...newCustomerHqFields(this.branchId() ?? '', localToday()),
        ...input,
        id: randomUUID(),
        customerNumber: this.allocateCustomerNumber(),
        version: 1,
        ...this.provenance(actor),
      });
      const probableDuplicates = this.refuseDuplicateDocuments(customer);
      this.store.insert(customer, { pending: true });
      this.sync.enqueue({
        kind: 'create',
        customerId: customer.id,
        actor: actor.id,
        customer: customer as unknown as Record<string, unknown>,
      });
      return { customer, probableDuplicates };
    })();
  }

  /**
   * Applies `changes` to the customer's `baseVersion` (a newer stored version refuses them) and
   * queues them for HQ as one mutation: per field, the value before and after.
   */
  update(
    id: string,
    baseVersion: number,
    changes: Record<string, unknown>,
    actor: Actor,
    /**
     * For an approved identity change: the mutation's id and the approval HQ recorded for it;
     * for a change the customer asked for, `correction` (PIPL Art. 46).
     */
    queued: {
      mutationId?: string;
      approval?: MutationApproval;
      correction?: boolean;
      /** The one change a restricted customer still takes: a withdrawal of their consent. */
      despiteRestriction?: boolean;
    } = {},
  ): WriteResult {
    for (const field of Object.keys(changes)) {
      if (isHqOwnedField(field)) throw new BranchDeskError('CUSTOMER_FIELD_READ_ONLY', { field });
    }
    const result = this.vault.db.transaction(() => {
      const stored = this.store.get(id);
      if (!stored) throw new BranchDeskError('CUSTOMER_NOT_FOUND');
      // Restricted (PIPL Art. 47): processing stops but for storage and what the law requires.
      if (stored.customer.restriction && !queued.despiteRestriction)
        throw new BranchDeskError('CUSTOMER_RESTRICTED');
      if (stored.customer.version !== baseVersion) {
        throw new BranchDeskError('CUSTOMER_VERSION_CONFLICT', {
          current: stored.customer.version,
          base: baseVersion,
        });
      }
      changes = withNewEntryIds(changes, stored.customer);
      for (const [field, value] of Object.entries(changes)) {
        if (
          customerFieldPolicies[field as CustomerEditableField] === 'append_only' &&
          !onlyAppends(stored.customer[field as keyof Customer], value)
        )
          throw new BranchDeskError('CUSTOMER_APPEND_ONLY', { field });
      }
      const customer = validate({
        ...stored.customer,
        ...changes,
        version: stored.customer.version + 1,
        ...this.provenance(actor),
      });
      const fields: Record<string, { from: unknown; to: unknown }> = {};
      for (const field of Object.keys(changes)) {
        const from = stored.customer[field as keyof Customer];
        const to = customer[field as keyof Customer];
        if (!sameJson(from, to)) fields[field] = { from, to };
      }
      // Nothing actually changed (the same value typed again): no new version, nothing to push.
      if (Object.keys(fields).length === 0)
        return { customer: stored.customer, probableDuplicates: [] };
      const probableDuplicates = this.refuseDuplicateDocuments(customer);
      this.store.replace(customer, { pending: true });
      this.sync.enqueue(
        {
          kind: 'update',
          customerId: customer.id,
          actor: actor.id,
          baseVersion: stored.hqVersion,
          fields,
          ...(queued.approval ? { approval: queued.approval } : {}),
          ...(queued.correction ? { correction: true as const } : {}),
        },
        queued.mutationId,
      );
      faultPoint('edit:before-commit');
      return { customer, probableDuplicates };
    })();
    // Inside a command the commit is the command's (with its audit entry): it passes the point.
    if (!this.vault.db.inTransaction) faultPoint('edit:after-commit');
    return result;
  }

  /**
   * What the sync left unsettled for this customer: conflicts still waiting for a person, and
   * changes HQ refused (the rejected ledger). Counts only; the lists are the sync screens'.
   */
  syncIssues(id: string): { openConflicts: number; rejectedChanges: number } {
    const count = (sql: string) => this.vault.db.prepare(sql).pluck().get(id) as number;
    return {
      openConflicts: count(
        'SELECT count(*) FROM sync_conflict WHERE customer_id = ? AND resolved_at IS NULL',
      ),
      rejectedChanges: count('SELECT count(*) FROM sync_rejected WHERE customer_id = ?'),
    };
  }

  /**
   * Adds one entry to a history (notes, visits) of the current record, so no version is needed
   * and two desks adding entries never conflict. An entry whose id is there already (a save
   * retried after its answer was lost) is not added twice.
   */
  appendEntry(
    id: string,
    field:
      | 'notes'
      | 'visits'
      | 'consents'
      | 'kycReviews'
      | 'campaignContacts'
      | 'actionResponses'
      | 'satisfaction'
      | 'complaints'
      | 'complaintSteps',
    entry: { id: string } & Record<string, unknown>,
    actor: Actor,
    options: { despiteRestriction?: boolean } = {},
  ): WriteResult {
    return this.vault.db.transaction(() => {
      const { customer } = this.show({ id });
      const entries = customer[field] ?? [];
      if (entries.some((known) => known.id === entry.id))
        return { customer, probableDuplicates: [] };
      return this.update(id, customer.version, { [field]: [...entries, entry] }, actor, options);
    })();
  }

  /** Adds a task for the customer; one whose id is there already is not added twice. */
  addTask(id: string, task: Omit<Task, 'status'>, actor: Actor): WriteResult {
    return this.vault.db.transaction(() => {
      const { customer } = this.show({ id });
      if (customer.tasks.some((known) => known.id === task.id))
        return { customer, probableDuplicates: [] };
      const tasks = [...customer.tasks, { ...task, status: 'open' as const }];
      return this.update(id, customer.version, { tasks }, actor);
    })();
  }

  /** Sets one task's status; the status it has already changes nothing (no new version). */
  setTaskStatus(id: string, taskId: string, status: Task['status'], actor: Actor): WriteResult {
    return this.vault.db.transaction(() => {
      const { customer } = this.show({ id });
      if (!customer.tasks.some((task) => task.id === taskId))
        throw new BranchDeskError('CUSTOMER_TASK_NOT_FOUND');
      const tasks = customer.tasks.map((task) => (task.id === taskId ? { ...task, status } : task));
      return this.update(id, customer.version, { tasks }, actor);
    })();
  }

  /**
   * Runs every check `update` would (read-only and append-only fields, the version, the merged
   * record's validity, duplicate documents) and leaves the vault as it was: for a change that
   * will wait for approval, so its maker sees any error now.
   */
  checkUpdate(id: string, baseVersion: number, changes: Record<string, unknown>): void {
    const checked = new Error('checked, not applied');
    try {
      this.vault.db.transaction(() => {
        this.update(id, baseVersion, changes, { id: 'check' });
        throw checked; // rolls the savepoint back
      })();
    } catch (error) {
      if (error !== checked) throw error;
    }
  }

  /** Groups of probable duplicates across the vault, for `branchctl duplicates`. */
  duplicateGroups(limit: number) {
    const groups: {
      reason: ProbableDuplicate['reason'];
      customers: { id: string; customerNumber: string; displayName: string }[];
    }[] = [];
    const db = this.vault.db;
    const shared = db.prepare(
      `SELECT term, json_group_array(customer_key) AS keys
       FROM (${termIndexSql.termsInRange})
       GROUP BY term HAVING count(*) > 1 LIMIT @limit`,
    );
    const load = (keys: number[]) =>
      keys
        .map((key) => this.store.getByKey(key)?.customer)
        .filter((c): c is Customer => c !== undefined);
    const summary = (c: Customer) => ({
      id: c.id,
      customerNumber: c.customerNumber,
      displayName: c.legalName,
    });

    for (const row of shared.all({ ...termRange(termTags.nameBirth), limit }) as {
      keys: string;
    }[]) {
      groups.push({
        reason: 'same_name_and_birth_date',
        customers: load(JSON.parse(row.keys)).map(summary),
      });
    }
    for (const row of shared.all({ ...termRange(termTags.phone), limit }) as {
      keys: string;
    }[]) {
      const customers = load(JSON.parse(row.keys));
      const [first, ...rest] = customers;
      if (first && rest.some((other) => similarNames(first.legalName, other.legalName))) {
        groups.push({ reason: 'same_phone_similar_name', customers: customers.map(summary) });
      }
      if (groups.length >= limit) break;
    }
    return groups.slice(0, limit);
  }

  /**
   * HQ's own check of a creation (hqOwnedFieldsSetAtCreate), made here first so that nothing HQ
   * would refuse is queued. A vault not enrolled yet belongs to no branch: the home branch it is
   * given stands until HQ judges it.
   */
  private refuseHqOwnedAtCreate(input: Record<string, unknown>): void {
    const today = localToday();
    const branch = this.branchId() ?? String(input.homeBranchId ?? '');
    const candidate = { ...newCustomerHqFields(branch, today), ...input };
    const [field] = hqOwnedFieldsSetAtCreate(candidate, branch, today);
    if (field) throw new BranchDeskError('CUSTOMER_FIELD_READ_ONLY', { field });
  }

  /** This device's branch, once enrolled. */
  private branchId(): string | undefined {
    const row = this.vault.db
      .prepare("SELECT value FROM vault_meta WHERE key = 'enrollment.branchId'")
      .pluck()
      .get() as string | undefined;
    return row || undefined;
  }

  private refuseDuplicateDocuments(customer: Customer): ProbableDuplicate[] {
    const report = findDuplicates(this.store, customer);
    const conflict = report.documentConflicts[0];
    if (conflict) {
      throw new BranchDeskError('CUSTOMER_DUPLICATE_DOCUMENT', {
        customerNumber: conflict.existing.customerNumber,
        documentType: conflict.documentType,
      });
    }
    return report.probable;
  }

  private provenance(actor: Actor) {
    return {
      updatedAt: wallClockIso(),
      updatedBy: actor.id,
      updatedByDevice: this.vault.profileId,
    };
  }

  /**
   * A customer number for a customer created at this branch: random, checked unused here.
   * HQ confirms or replaces it when the creation syncs (sync issue).
   */
  private allocateCustomerNumber(): string {
    for (;;) {
      const body = String(randomInt(0, 1_000_000_000)).padStart(9, '0');
      const number = `C${body}${customerNumberCheckDigit(body)}`;
      if (!this.store.getByNumber(number)) return number;
    }
  }
}

function validate(candidate: Record<string, unknown>): Customer {
  const parsed = customerSchema.safeParse(candidate);
  if (parsed.success) return parsed.data;
  // Paths and codes only: the rejected values are customer data.
  const issues = parsed.error.issues.map((issue) => {
    const params = (issue as { params?: { validationCode?: string; customerCode?: string } })
      .params;
    const code = params?.validationCode ?? params?.customerCode ?? issue.code;
    return `${issue.path.join('.') || '(customer)'}: ${code}`;
  });
  throw new BranchDeskError('CUSTOMER_INVALID', { issues: issues.join('; ') });
}

/**
 * The changed fields held for four eyes and that need `edit_identity` rather than
 * `edit_contacts`: identity fields and a proposed rating change (needsFourEyes), and the
 * HQ-authoritative ones (KYC, assignment), which are at least as sensitive.
 */
export function identityFieldsIn(changes: Record<string, unknown>): string[] {
  return Object.keys(changes).filter((field) => needsFourEyes(field) || isHqOwnedField(field));
}
