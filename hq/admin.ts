// HQ staff operations behind the admin API: branches and their relationship managers, and
// customers onboarded at HQ.
import { customerSchema, type Customer } from '../shared/customer';
import { BranchDeskError } from '../shared/errors';
import type { Database, Sql } from './db/database';
import { contentHash } from './content-hash';
import { qualityColumns } from './quality-facts';
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
export async function insertCustomers(tx: Sql, customers: readonly Customer[]): Promise<void> {
  const hashes = customers.map(contentHash);
  const facts = customers.map((customer, index) => qualityColumns(customer, hashes[index]!));
  const column = (at: number) => facts.map((row) => row[at]);
  await tx.query(
    `INSERT INTO customer (id, customer_number, home_branch_id, assigned_rm_id, version, record, content_hash,
                          quality_stamp, quality_flags, quality_expires_on, quality_kyc_due, quality_confirmed_on,
                          change_seq)
     SELECT (r ->> 'id')::uuid, r ->> 'customerNumber', r ->> 'homeBranchId', r ->> 'assignedRmId',
            (r ->> 'version')::integer, r, ($2::text[])[n],
            ($3::text[])[n], ($4::integer[])[n], ($5::text[])[n], ($6::text[])[n], ($7::text[])[n],
            next_change_seq()
     FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS e(r, n)
     ORDER BY n`,
    [JSON.stringify(customers), hashes, column(0), column(1), column(2), column(3), column(4)],
  );
  await logScope(
    tx,
    customers.map((customer) => customer.id),
  );
}
