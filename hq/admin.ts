// HQ staff operations behind the admin API: branches and their relationship managers, and
// customers onboarded at HQ.
import { customerSchema } from '../shared/customer';
import { BranchDeskError } from '../shared/errors';
import type { Database, Sql } from './db/database';
import { contentHash } from './content-hash';
import { logScope } from './scope';

export async function createBranch(
  db: Database,
  branch: { id: string; name: string; relationshipManagers: string[] },
): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query('INSERT INTO branch (id, name) VALUES ($1, $2) ON CONFLICT DO NOTHING', [
      branch.id,
      branch.name,
    ]);
    for (const [index, rmId] of branch.relationshipManagers.entries()) {
      await tx.query(
        `INSERT INTO relationship_manager (id, branch_id, name) VALUES ($1, $2, $3)
         ON CONFLICT DO NOTHING`,
        [rmId, branch.id, `客户经理 ${index + 1}`],
      );
    }
  });
}

/** Adds new customers, each validated whole; one invalid record refuses the batch. */
export async function importCustomers(db: Database, records: unknown[]): Promise<number> {
  const customers = records.map((record, index) => {
    const parsed = customerSchema.safeParse(record);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((issue) => issue.path.join('.')).join('; ');
      throw new BranchDeskError('CUSTOMER_INVALID', { issues: `#${index}: ${issues}` });
    }
    return parsed.data;
  });
  await db.transaction((tx) => insertCustomers(tx, customers));
  return customers.length;
}

/**
 * Inserts whole customer records (already checked) in one statement, each at the next change
 * sequence number, and logs the scope they enter. Seeding and onboarding both go through here.
 */
export async function insertCustomers(
  tx: Sql,
  customers: readonly { id: string }[],
): Promise<void> {
  await tx.query(
    `INSERT INTO customer (id, customer_number, home_branch_id, assigned_rm_id, version, record, content_hash, change_seq)
     SELECT (r ->> 'id')::uuid, r ->> 'customerNumber', r ->> 'homeBranchId', r ->> 'assignedRmId',
            (r ->> 'version')::integer, r, ($2::text[])[n], next_change_seq()
     FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS e(r, n)
     ORDER BY n`,
    [JSON.stringify(customers), customers.map(contentHash)],
  );
  await logScope(
    tx,
    customers.map((customer) => customer.id),
  );
}
