// Customers in the vault: the record, its list item and its book facts (each compressed:
// record-codec.ts) and its search terms, written together.
import type { Customer, StoredListItem } from '../../../shared/customer';
import { toCustomerListItem } from '../../../shared/customer';
import {
  bookColumns,
  bookFacts,
  type BookColumns,
  type BookFacts,
} from '../../../shared/insight/book';
import type { SqliteDatabase } from '../vault';
import { packJson, unpackJson, unpackRecord } from './record-codec';
import { customerTerms, searchNameOf, termsStamp } from './terms';

export interface WriteOptions {
  /** A change made here, not yet accepted by HQ. */
  pending?: boolean;
  /**
   * Bulk loads: put the new customers' terms in the recent index, for `mergeRecentTerms` to
   * fold into the main one in a single sorted pass (see migration 5).
   */
  deferTerms?: boolean;
  /** The version HQ last sent; by default the record's own for HQ data, none for a local creation. */
  hqVersion?: number | null;
  /** The content hash of the record as HQ sent it (the scope digest's), when it came from HQ. */
  hqHash?: string | null;
}

function hqVersionFor(customer: Customer, options: WriteOptions): number | null {
  if (options.hqVersion !== undefined) return options.hqVersion;
  return options.pending ? null : customer.version;
}

/** A new customer as `insertPrepared` writes it: its row and its search terms. */
export interface PreparedInsert {
  readonly row: ReturnType<typeof customerRow> & { hqHash: string | null };
  readonly terms: readonly string[];
  /** What the portfolio home reads of the customer (shared/insight/book.ts). */
  readonly book: BookRow;
}

type BookRow = BookColumns & { facts: Buffer };

/**
 * What the vault keeps of a customer as JSON: its record, its list item (whose
 * `hasPendingChanges` readers take from the row's column: `readListItem`) and its book's facts.
 */
export interface CustomerJson {
  record: string;
  listItem: string;
  facts: BookFacts;
  factsJson: string;
}

export function customerJson(customer: Customer): CustomerJson {
  const facts = bookFacts(customer);
  return {
    record: JSON.stringify(customer),
    listItem: JSON.stringify(toCustomerListItem(customer, { hasPendingChanges: false })),
    facts,
    factsJson: JSON.stringify(facts),
  };
}

/** `CustomerJson` packed as the vault keeps it (a snapshot packs on a worker: record-packer.ts). */
export interface PackedCustomer {
  record: Buffer;
  listItem: Buffer;
  facts: Buffer;
}

export function packCustomerJson(json: CustomerJson): PackedCustomer {
  return {
    record: packJson('record', json.record),
    listItem: packJson('listItem', json.listItem),
    facts: packJson('facts', json.factsJson),
  };
}

/** A list item as the vault keeps it, with the pending flag of its row. */
export function readListItem(stored: Uint8Array, pending: number | boolean): StoredListItem {
  const item = JSON.parse(unpackJson(stored)) as StoredListItem;
  return { ...item, hasPendingChanges: pending === true || pending === 1 };
}

/** The book's facts as the vault keeps them. */
export function readFacts(stored: Uint8Array): BookFacts {
  return JSON.parse(unpackJson(stored)) as BookFacts;
}

/**
 * Everything about inserting `customer` that needs no database (see `insertPrepared`). `json`
 * and `packed` are given when they were made already (a snapshot packs on a worker thread).
 */
export function prepareInsert(
  customer: Customer,
  options: WriteOptions = {},
  json: CustomerJson = customerJson(customer),
  packed: PackedCustomer = packCustomerJson(json),
): PreparedInsert {
  const pending = options.pending ?? false;
  const terms = customerTerms(customer);
  return {
    row: {
      ...customerRow(customer, pending, hqVersionFor(customer, options), packed, terms),
      hqHash: options.hqHash ?? null,
    },
    terms,
    book: bookRow(json, packed),
  };
}

function bookRow(json: CustomerJson, packed: PackedCustomer): BookRow {
  return { ...bookColumns(json.facts), facts: packed.facts };
}

function customerRow(
  customer: Customer,
  pending: boolean,
  hqVersion: number | null,
  packed: PackedCustomer,
  terms: readonly string[],
) {
  return {
    hqVersion,
    id: customer.id,
    customerNumber: customer.customerNumber,
    kind: customer.kind,
    legalName: customer.legalName,
    version: customer.version,
    pending: pending ? 1 : 0,
    listItem: packed.listItem,
    record: packed.record,
    searchName: searchNameOf(customer),
    termsStamp: termsStamp(terms),
  };
}

export interface StoredCustomer {
  customer: Customer;
  hasPendingChanges: boolean;
  /** The version HQ last sent; null for a customer created here and not yet at HQ. */
  hqVersion: number | null;
}

/**
 * The term index as searches see it: `customer_term` together with `customer_term_recent`, the
 * terms of a bulk load not yet folded in. Each is a UNION of two primary-key seeks that SQLite
 * merges in order, so it reads no more rows than a single index would.
 */
export const termIndexSql = {
  /** Keys of the customers with exactly `@term`, in key order, at most `@limit`. */
  keysWithTerm: `SELECT customer_key FROM customer_term WHERE term = @term
    UNION SELECT customer_key FROM customer_term_recent WHERE term = @term
    ORDER BY 1 LIMIT @limit`,
  /** (term, key) pairs with `@from <= term < @to`, in term order (add a LIMIT). */
  termsInRange: `SELECT term, customer_key FROM customer_term WHERE term >= @from AND term < @to
    UNION SELECT term, customer_key FROM customer_term_recent WHERE term >= @from AND term < @to
    ORDER BY 1, 2`,
} as const;

/** Reads and writes customers; every write keeps the record and its search terms in step. */
export class CustomerStore {
  private readonly statements;
  /** Terms in the recent index, counted once and then kept up to date (an upper bound). */
  private recentTerms: number | undefined;

  constructor(readonly db: SqliteDatabase) {
    this.statements = {
      insert: db.prepare(
        `INSERT INTO customer (id, customer_number, kind, legal_name, version, has_pending_changes, list_item, record, hq_version, hq_hash, search_name, terms_stamp)
         VALUES (@id, @customerNumber, @kind, @legalName, @version, @pending, @listItem, @record, @hqVersion, @hqHash, @searchName, @termsStamp)`,
      ),
      update: db.prepare(
        `UPDATE customer SET customer_number = @customerNumber, kind = @kind, legal_name = @legalName,
           version = @version, has_pending_changes = @pending, list_item = @listItem, record = @record,
           hq_version = @hqVersion, search_name = @searchName, terms_stamp = @termsStamp
         WHERE customer_key = @key`,
      ),
      // The same without the columns an index leads with (number, name): SQLite rewrites the
      // index entries of every column a SET names, unchanged or not, and each such entry is a
      // page of an index written again, encrypted, at the commit.
      updateContent: db.prepare(
        `UPDATE customer SET version = @version, has_pending_changes = @pending,
           list_item = @listItem, record = @record, hq_version = @hqVersion, terms_stamp = @termsStamp
         WHERE customer_key = @key`,
      ),
      forReplace: db.prepare(
        `SELECT c.customer_key, c.has_pending_changes, c.hq_version, c.record, c.customer_number,
           c.kind, c.legal_name, c.search_name, c.terms_stamp, b.facts
         FROM customer c LEFT JOIN customer_book b USING (customer_key) WHERE c.id = ?`,
      ),
      insertTerms: db.prepare(
        'INSERT OR IGNORE INTO customer_term (term, customer_key) SELECT value ->> 0, value ->> 1 FROM json_each(?)',
      ),
      insertRecentTerms: db.prepare(
        'INSERT OR IGNORE INTO customer_term_recent (term, customer_key) SELECT value ->> 0, value ->> 1 FROM json_each(?)',
      ),
      foldRecent: db.prepare(
        `INSERT OR IGNORE INTO customer_term (term, customer_key)
         SELECT term, customer_key FROM customer_term_recent ORDER BY term, customer_key`,
      ),
      clearRecent: db.prepare('DELETE FROM customer_term_recent'),
      recentBoundary: db.prepare(
        'SELECT term, customer_key FROM customer_term_recent ORDER BY term, customer_key LIMIT 1 OFFSET ?',
      ),
      foldRecentUpTo: db.prepare(
        `INSERT OR IGNORE INTO customer_term (term, customer_key)
         SELECT term, customer_key FROM customer_term_recent
         WHERE (term, customer_key) <= (@term, @key) ORDER BY term, customer_key`,
      ),
      clearRecentUpTo: db.prepare(
        'DELETE FROM customer_term_recent WHERE (term, customer_key) <= (@term, @key)',
      ),
      countRecent: db.prepare('SELECT count(*) FROM customer_term_recent').pluck(),
      insertTerm: db.prepare(
        'INSERT OR IGNORE INTO customer_term (term, customer_key) VALUES (?, ?)',
      ),
      deleteTerm: db.prepare('DELETE FROM customer_term WHERE term = ? AND customer_key = ?'),
      deleteRecentTerm: db.prepare(
        'DELETE FROM customer_term_recent WHERE term = ? AND customer_key = ?',
      ),
      byId: db.prepare(
        'SELECT customer_key, has_pending_changes, hq_version, record FROM customer WHERE id = ?',
      ),
      exists: db.prepare('SELECT 1 FROM customer WHERE id = ?').pluck(),
      peek: db.prepare('SELECT hq_version, has_pending_changes FROM customer WHERE id = ?'),
      byNumber: db.prepare(
        'SELECT customer_key, has_pending_changes, hq_version, record FROM customer WHERE customer_number = ?',
      ),
      byKey: db.prepare(
        'SELECT has_pending_changes, hq_version, record FROM customer WHERE customer_key = ?',
      ),
      setPending: db.prepare('UPDATE customer SET has_pending_changes = @pending WHERE id = @id'),
      deleteRow: db.prepare('DELETE FROM customer WHERE customer_key = ?'),
      // The row's facts go with it by trigger (vault migration 19).
      writeBook: db.prepare(
        `INSERT OR REPLACE INTO customer_book (customer_key, rm, segment, risk, kyc_due,
           document_expires_on, last_visit_on, birth_month_day, task_due, aum_band, matures_on,
           aum, since, last_closed_on, complaint_due, quality_flags, confirmed_on, facts)
         VALUES (@key, @rm, @segment, @risk, @kycDue, @documentExpiresOn, @lastVisitOn,
           @birthMonthDay, @taskDue, @aumBand, @maturesOn, @aum, @since, @lastClosedOn,
           @complaintDue, @qualityFlags, @confirmedOn, @facts)`,
      ),
      keysByTerm: db.prepare(termIndexSql.keysWithTerm).pluck(),
      count: db.prepare('SELECT count(*) FROM customer').pluck(),
    };
  }

  /** Adds a customer that is not in the vault yet. The caller has validated it. */
  insert(customer: Customer, options: WriteOptions = {}): void {
    this.insertMany([customer], options);
  }

  /**
   * Adds many new customers in one transaction (inside `bulkLoad` for big loads). The terms,
   * about twenty a customer, go in as one JSON array expanded by SQLite's json_each: one call
   * into SQLite instead of one per term, which was most of their cost. They are sorted first so
   * the index's B-tree writes stay local. With `deferTerms` they go to the recent index.
   */
  insertMany(customers: Iterable<Customer>, options: WriteOptions = {}): number {
    const prepared: PreparedInsert[] = [];
    for (const customer of customers) prepared.push(prepareInsert(customer, options));
    return this.insertPrepared(prepared, options);
  }

  /**
   * `insertMany` for customers already made into rows by `prepareInsert`: only SQLite's work is
   * left, so a sync can do the rest beforehand, outside its transaction.
   */
  insertPrepared(prepared: readonly PreparedInsert[], options: WriteOptions = {}): number {
    const insertTerms = options.deferTerms
      ? this.statements.insertRecentTerms
      : this.statements.insertTerms;
    this.db.transaction(() => {
      const terms: [string, number][] = [];
      for (const { row, terms: own, book } of prepared) {
        const key = Number(this.statements.insert.run(row).lastInsertRowid);
        this.statements.writeBook.run({ key, ...book });
        for (const searchTerm of own) terms.push([searchTerm, key]);
      }
      terms.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1]));
      insertTerms.run(JSON.stringify(terms));
      if (options.deferTerms) this.recentTerms = this.recentTermCount() + terms.length;
    })();
    return prepared.length;
  }

  /**
   * About how many terms wait in the recent index: exact the first time, then kept by this store
   * as it adds and folds them (counting a big index on every slice of a sync cost more than the
   * slice). Terms removed with their customers still count until the next fold.
   */
  recentTermCount(): number {
    this.recentTerms ??= this.statements.countRecent.get() as number;
    return this.recentTerms;
  }

  /**
   * Folds the recent index into the main one: one pass in the main index's order, so each of
   * its pages is written once, however many terms land on it. Returns the terms moved.
   */
  mergeRecentTerms(): number {
    const moved = this.db.transaction(() => {
      const waiting = this.statements.countRecent.get() as number;
      if (waiting === 0) return 0;
      this.statements.foldRecent.run();
      this.statements.clearRecent.run();
      return waiting;
    })();
    this.recentTerms = 0;
    return moved;
  }

  /**
   * Folds the `limit` smallest terms of the recent index into the main one, in one transaction,
   * or all of them if fewer wait. A sync folds this way between its slices: the smallest terms
   * land on a narrow run of the main index's pages, so folding in chunks writes each page about
   * as often as one fold would, and a search waits for one chunk instead of the whole fold.
   * Returns the terms moved (0: the recent index is empty).
   */
  foldRecentTerms(limit: number): number {
    const moved = this.db.transaction(() => {
      const last = this.statements.recentBoundary.get(limit - 1) as
        { term: string; customer_key: number } | undefined;
      if (!last) return this.mergeRecentTerms();
      const upTo = { term: last.term, key: last.customer_key };
      this.statements.foldRecentUpTo.run(upTo);
      return this.statements.clearRecentUpTo.run(upTo).changes;
    })();
    if (this.recentTerms !== undefined) this.recentTerms = Math.max(0, this.recentTerms - moved);
    return moved;
  }

  /**
   * Replaces a stored customer, moving its search terms from the old record to the new. `known`
   * saves work already done: the stored record as read in this transaction (`previous`), and
   * the new one's JSON and packing (a pull packs on a worker thread).
   */
  replace(
    customer: Customer,
    options: WriteOptions = {},
    known: { previous?: Customer; json?: CustomerJson; packed?: PackedCustomer } = {},
  ): void {
    const existing = this.statements.forReplace.get(customer.id) as
      | (RawRow & {
          customer_number: string;
          kind: string;
          legal_name: string;
          search_name: string | null;
          terms_stamp: number | null;
          facts: Buffer | null;
        })
      | undefined;
    if (!existing) throw new Error(`customer ${customer.id} is not stored`);
    const pending = options.pending ?? existing.has_pending_changes === 1;
    // A local edit keeps the version HQ last sent; a record from HQ brings its own.
    const hqVersion =
      options.hqVersion !== undefined
        ? options.hqVersion
        : pending
          ? (existing.hq_version ?? null)
          : customer.version;
    const json = known.json ?? customerJson(customer);
    const packed = known.packed ?? packCustomerJson(json);
    const terms = customerTerms(customer);
    const row = customerRow(customer, pending, hqVersion, packed, terms);
    const indexedAsBefore =
      row.customerNumber === existing.customer_number &&
      row.kind === existing.kind &&
      row.legalName === existing.legal_name &&
      row.searchName === existing.search_name;
    (indexedAsBefore ? this.statements.updateContent : this.statements.update).run({
      ...row,
      key: existing.customer_key,
    });
    // Facts packed to the same bytes are the same facts, and so the same columns: most edits
    // (a contact detail) leave the book's row and its three indexes as they were.
    if (!existing.facts?.equals(packed.facts))
      this.statements.writeBook.run({ key: existing.customer_key, ...bookRow(json, packed) });
    // The same terms as stored (their stamp): nothing to move, and the old record is not read.
    if (existing.terms_stamp === row.termsStamp) return;
    const previous = known.previous ?? unpackRecord(existing.record);
    const before = new Set(customerTerms(previous));
    const after = new Set(terms);
    for (const old of before)
      if (!after.has(old)) this.deleteTerm(old, existing.customer_key as number);
    for (const added of after)
      if (!before.has(added)) this.statements.insertTerm.run(added, existing.customer_key);
  }

  /** Removes a customer and every search term of it; `secure_delete` overwrites the freed pages. */
  remove(id: string): boolean {
    const existing = this.statements.byId.get(id) as RawRow | undefined;
    if (!existing) return false;
    const previous = unpackRecord(existing.record);
    for (const old of customerTerms(previous))
      this.deleteTerm(old, existing.customer_key as number);
    this.statements.deleteRow.run(existing.customer_key);
    return true;
  }

  get(id: string): StoredCustomer | undefined {
    return decode(this.statements.byId.get(id) as RawRow | undefined);
  }

  /** What a pull decides by, without reading the record: the version HQ sent, pending edits. */
  peek(id: string): { hqVersion: number | null; hasPendingChanges: boolean } | undefined {
    const row = this.statements.peek.get(id) as
      { hq_version: number | null; has_pending_changes: number } | undefined;
    return row && { hqVersion: row.hq_version, hasPendingChanges: row.has_pending_changes === 1 };
  }

  has(id: string): boolean {
    return this.statements.exists.get(id) !== undefined;
  }

  getByNumber(customerNumber: string): StoredCustomer | undefined {
    return decode(this.statements.byNumber.get(customerNumber) as RawRow | undefined);
  }

  getByKey(key: number): StoredCustomer | undefined {
    return decode(this.statements.byKey.get(key) as RawRow | undefined);
  }

  /** Keys of the customers that carry exactly `searchTerm`. */
  keysWithTerm(searchTerm: string, limit = 100): number[] {
    return this.statements.keysByTerm.all({ term: searchTerm, limit }) as number[];
  }

  /** A term may sit in either index (in the recent one until a bulk load's terms are merged). */
  private deleteTerm(searchTerm: string, key: number): void {
    if (this.statements.deleteTerm.run(searchTerm, key).changes === 0)
      this.statements.deleteRecentTerm.run(searchTerm, key);
  }

  /** Marks whether a customer has edits HQ has not acknowledged yet. */
  setPending(id: string, pending: boolean): void {
    this.statements.setPending.run({ id, pending: pending ? 1 : 0 });
  }

  count(): number {
    return this.statements.count.get() as number;
  }
}

interface RawRow {
  customer_key?: number;
  hq_version?: number | null;
  has_pending_changes: number;
  record: Buffer;
}

function decode(row: RawRow | undefined): StoredCustomer | undefined {
  if (!row) return undefined;
  return {
    customer: unpackRecord(row.record),
    hasPendingChanges: row.has_pending_changes === 1,
    hqVersion: row.hq_version ?? null,
  };
}
