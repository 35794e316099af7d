// The customer's own copy of their personal information (PIPL Art. 44–45): everything HQ holds
// about them, unmasked (it is their own data), and who accessed it, by role, branch and day, from
// the audit logs the devices upload. Staff are named by role, never by name: the customer learns
// how their data was used, not who the bank's employees are. Machine-readable JSON, and a
// printable zh-CN report.
import { BranchDeskError } from '../../shared/errors';
import type { CustomerCopy } from '../../shared/protocol/privacy';
import type { Sql } from '../db/database';

export type { CustomerCopy };
export { customerCopyHtml } from '../../shared/privacy/copy-report';

/** `user:<username>` as audit entries and mutations name staff; other actors are no one's. */
const username = (actor: string) => (actor.startsWith('user:') ? actor.slice(5) : null);

/** Fields of the record, and of its entries, that name a member of staff or a device. */
const STAFF_FIELDS = ['updatedBy', 'updatedByDevice'] as const;
const ENTRY_STAFF_FIELDS = ['author', 'assignee', 'capturedBy'] as const;

/**
 * The record without who on the bank's side wrote what: the customer learns how their data was
 * used, not the names of the bank's employees (changes and access are given by role instead).
 */
export function withoutStaff(record: Record<string, unknown>): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...record };
  for (const field of STAFF_FIELDS) delete copy[field];
  for (const [field, value] of Object.entries(copy)) {
    if (!Array.isArray(value)) continue;
    copy[field] = value.map((entry: unknown) => {
      if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return entry;
      const kept = { ...(entry as Record<string, unknown>) };
      for (const key of ENTRY_STAFF_FIELDS) delete kept[key];
      return kept;
    });
  }
  return copy;
}

/** The customer's copy as HQ holds it now; CUSTOMER_NOT_FOUND when HQ has no such customer. */
export async function customerCopy(db: Sql, customerId: string): Promise<CustomerCopy> {
  const [customer] = await db.query<{ record: Record<string, unknown> }>(
    'SELECT record FROM customer WHERE id = $1',
    [customerId],
  );
  if (!customer) throw new BranchDeskError('CUSTOMER_NOT_FOUND', { id: customerId });
  const staff = new Map(
    (
      await db.query<{ username: string; roles: string[] }>(
        'SELECT username, roles FROM staff_user',
      )
    ).map((row) => [row.username, [...row.roles].sort()]),
  );
  const rolesOf = (actor: string) => staff.get(username(actor) ?? '') ?? [];

  const mutations = await db.query<{
    received_at: Date | string;
    body: {
      kind: 'create' | 'update';
      actor: string;
      fields?: Record<string, unknown>;
      correction?: true;
    };
    outcome: { status: 'applied' | 'rejected' };
    branch_id: string;
  }>(
    `SELECT m.received_at, m.body, m.outcome, d.branch_id
       FROM mutation m JOIN device d ON d.id = m.device_id
      WHERE m.customer_id = $1 ORDER BY m.received_at, m.mutation_id`,
    [customerId],
  );
  const replaced = await db.query<{ field: string; value: unknown; recorded_at: Date | string }>(
    'SELECT field, value, recorded_at FROM field_history WHERE customer_id = $1 ORDER BY id',
    [customerId],
  );
  // Counted in the database: a customer seen ten thousand times is a few hundred groups.
  const access = await db.query<{
    day: string;
    branch_id: string;
    actor: string;
    action: string;
    count: string | number;
  }>(
    `SELECT substr(a.at, 1, 10) AS day, d.branch_id, a.actor, a.action, count(*) AS count
       FROM audit_entry a JOIN device d ON d.id = a.device_id
      WHERE a.target = $1
      GROUP BY 1, 2, 3, 4`,
    [customerId],
  );
  const byRole = new Map<string, CustomerCopy['access'][number]>();
  for (const row of access) {
    const roles = rolesOf(row.actor);
    const key = [row.day, row.branch_id, roles.join(','), row.action].join('\u001f');
    const entry = byRole.get(key);
    if (entry) entry.count += Number(row.count);
    else
      byRole.set(key, {
        day: row.day,
        branchId: row.branch_id,
        roles,
        action: row.action,
        count: Number(row.count),
      });
  }
  const iso = (value: Date | string) => new Date(value).toISOString();
  return {
    producedAt: new Date().toISOString(),
    customer: withoutStaff(customer.record),
    changes: mutations.map((row) => ({
      receivedAt: iso(row.received_at),
      kind: row.body.kind,
      fields: row.body.kind === 'create' ? [] : Object.keys(row.body.fields ?? {}).sort(),
      branchId: row.branch_id,
      roles: rolesOf(row.body.actor),
      outcome: row.outcome.status,
      correction: row.body.correction === true,
    })),
    replacedValues: replaced.map((row) => ({
      field: row.field,
      value: row.value,
      replacedAt: iso(row.recorded_at),
    })),
    access: [...byRole.values()].sort(
      (a, b) =>
        b.day.localeCompare(a.day) ||
        a.branchId.localeCompare(b.branchId) ||
        a.action.localeCompare(b.action),
    ),
  };
}
