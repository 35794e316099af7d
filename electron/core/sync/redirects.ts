// Customers HQ merged into another (hq/merges.ts): the record leaves this vault, and a redirect
// from its id and customer number to the survivor stays, so an old link or a number read out at
// the counter still finds the person. An unmerge brings the customer back and the redirect goes.
// Redirects hold ids and customer numbers only, in the encrypted vault like everything else.
import type { SqliteDatabase } from '../vault';

export interface CustomerRedirect {
  customerId: string;
  customerNumber: string;
  survivorId: string;
  survivorNumber: string;
}

export function recordRedirect(db: SqliteDatabase, redirect: CustomerRedirect, at: string): void {
  db.prepare(
    `INSERT OR REPLACE INTO customer_redirect
       (customer_id, customer_number, survivor_id, survivor_number, merged_seen_at)
     VALUES (?, ?, ?, ?, ?)`,
  ).run(
    redirect.customerId,
    redirect.customerNumber,
    redirect.survivorId,
    redirect.survivorNumber,
    at,
  );
}

/** Whether the vault holds any redirect (a pull checks once per slice before dropping any). */
export function hasRedirects(db: SqliteDatabase): boolean {
  return db.prepare('SELECT 1 FROM customer_redirect LIMIT 1').get() !== undefined;
}

export function dropRedirect(db: SqliteDatabase, customerId: string): void {
  db.prepare('DELETE FROM customer_redirect WHERE customer_id = ?').run(customerId);
}

/**
 * Where a customer merged away went, by their old id or number, following merges in turn (a
 * survivor merged away later leads on to the next).
 */
export function redirectOf(
  db: SqliteDatabase,
  selector: { id?: string; customerNumber?: string },
): CustomerRedirect | undefined {
  const byId = db.prepare(
    `SELECT customer_id AS customerId, customer_number AS customerNumber,
            survivor_id AS survivorId, survivor_number AS survivorNumber
     FROM customer_redirect WHERE customer_id = ?`,
  );
  let found = (
    selector.id !== undefined
      ? byId.get(selector.id)
      : db
          .prepare(
            `SELECT customer_id AS customerId, customer_number AS customerNumber,
                    survivor_id AS survivorId, survivor_number AS survivorNumber
             FROM customer_redirect WHERE customer_number = ?`,
          )
          .get(selector.customerNumber ?? '')
  ) as CustomerRedirect | undefined;
  for (let hop = 0; found && hop < 16; hop++) {
    const next = byId.get(found.survivorId) as CustomerRedirect | undefined;
    if (!next) break;
    found = { ...found, survivorId: next.survivorId, survivorNumber: next.survivorNumber };
  }
  return found;
}
