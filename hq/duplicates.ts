// Probable duplicates across the whole bank (`npm run hq -- duplicates`): a device sees only its
// branch's scope, so two records of one person at two branches are found here. The same rules as
// the desk's warning at creation, as SQL over the master records: the same identity document
// (left over from before HQ enforced one customer per document), the same name and birth date,
// the same phone number and name. Customers merged away are not judged. The report names records
// by customer number and home branch only; people open them on a desk to compare.
import type { CrossBranchDuplicate } from '../shared/protocol/merge';
import type { Sql } from './db/database';

interface Group {
  reason: CrossBranchDuplicate['reason'];
  ids: string[];
}

/** Every group of probable duplicates, each group's customers in customer-number order. */
export async function findDuplicates(
  db: Sql,
  options: { branchId?: string } = {},
): Promise<CrossBranchDuplicate[]> {
  const groups: Group[] = [];
  const grouped = async (reason: Group['reason'], sql: string) => {
    const rows = await db.query<{ ids: string[] }>(sql);
    for (const row of rows) groups.push({ reason, ids: row.ids });
  };
  await grouped(
    'same_document',
    `SELECT array_agg(DISTINCT c.id ORDER BY c.id) AS ids
     FROM customer c, jsonb_array_elements(c.record -> 'identityDocuments') AS d
     WHERE c.merged_into IS NULL
     GROUP BY d ->> 'type', d ->> 'number' HAVING count(DISTINCT c.id) > 1`,
  );
  await grouped(
    'same_name_and_birth_date',
    `SELECT array_agg(c.id ORDER BY c.id) AS ids FROM customer c
     WHERE c.merged_into IS NULL AND c.record ->> 'kind' = 'individual'
     GROUP BY lower(c.record ->> 'legalName'), c.record ->> 'birthDate' HAVING count(*) > 1`,
  );
  await grouped(
    'same_phone_and_name',
    `SELECT array_agg(DISTINCT c.id ORDER BY c.id) AS ids
     FROM customer c, jsonb_array_elements(c.record -> 'phones') AS p
     WHERE c.merged_into IS NULL
     GROUP BY p ->> 'e164', lower(c.record ->> 'legalName') HAVING count(DISTINCT c.id) > 1`,
  );
  // One group per set of customers (the first reason found), largest sets kept whole.
  const seen = new Set<string>();
  const unique = groups.filter((group) => {
    const key = group.ids.join(',');
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const ids = [...new Set(unique.flatMap((group) => group.ids))];
  const rows = await db.query<{ id: string; customer_number: string; home_branch_id: string }>(
    'SELECT id, customer_number, home_branch_id FROM customer WHERE id = ANY($1::uuid[])',
    [ids],
  );
  const byId = new Map(rows.map((row) => [row.id, row]));
  return unique
    .map((group) => ({
      reason: group.reason,
      customers: group.ids
        .map((id) => byId.get(id)!)
        .sort((a, b) => a.customer_number.localeCompare(b.customer_number))
        .map((row) => ({
          id: row.id,
          customerNumber: row.customer_number,
          homeBranchId: row.home_branch_id,
        })),
    }))
    .filter(
      (group) =>
        options.branchId === undefined ||
        group.customers.some((customer) => customer.homeBranchId === options.branchId),
    )
    .sort((a, b) => a.customers[0]!.customerNumber.localeCompare(b.customers[0]!.customerNumber));
}

/** The report as the console prints it: one line per group, those across branches marked. */
export function describeDuplicates(groups: CrossBranchDuplicate[]): string {
  const lines = groups.map((group) => {
    const branches = new Set(group.customers.map((customer) => customer.homeBranchId));
    return [
      group.reason,
      branches.size > 1 ? 'across branches' : 'one branch',
      group.customers
        .map((customer) => `${customer.customerNumber}@${customer.homeBranchId}`)
        .join(' '),
    ].join('\t');
  });
  const across = groups.filter(
    (group) => new Set(group.customers.map((customer) => customer.homeBranchId)).size > 1,
  ).length;
  lines.push(`${groups.length} groups of probable duplicates, ${across} across branches`);
  return lines.join('\n');
}
