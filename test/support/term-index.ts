// The search index checked against the records: every customer's terms, as the vault works
// them out (customers/terms.ts), and nothing else, in either part of the index; and each row's
// stamp of its terms, where it has one, is theirs.
import { customerTerms, termsStamp, unpackRecord } from '../../electron/core/customers';
import type { SqliteDatabase } from '../../electron/core/vault';

/** Customer ids whose indexed terms differ from their record's, and what the index holds spare. */
export function termIndexProblems(db: SqliteDatabase): string[] {
  const indexed = new Map<number, Set<string>>();
  for (const table of ['customer_term', 'customer_term_recent'])
    for (const [term, key] of db
      .prepare(`SELECT term, customer_key FROM ${table}`)
      .raw()
      .iterate() as Iterable<[string, number]>) {
      let terms = indexed.get(key);
      if (!terms) indexed.set(key, (terms = new Set()));
      terms.add(term);
    }
  const problems: string[] = [];
  for (const [key, id, record, stamp] of db
    .prepare('SELECT customer_key, id, record, terms_stamp FROM customer')
    .raw()
    .iterate() as Iterable<[number, string, Buffer, number | null]>) {
    const wanted = [...new Set(customerTerms(unpackRecord(record)))].sort();
    const held = [...(indexed.get(key) ?? [])].sort();
    indexed.delete(key);
    if (wanted.join('\n') !== held.join('\n')) problems.push(id);
    else if (stamp !== null && stamp !== termsStamp(wanted)) problems.push(`${id}: stamp`);
  }
  for (const key of indexed.keys()) problems.push(`no customer with key ${key}`);
  return problems;
}
