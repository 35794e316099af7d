// A book's data quality on the device (docs/QUALITY.md): the shared rules (shared/quality/rules.ts)
// asked of the book's columns, as the home's figures are (insight/book.ts). The rules judged from
// the record alone are bits written with each record (quality_flags); the day-bound ones compare
// the book's dates with today; a probable duplicate is a customer sharing a name-and-birth-date
// search term with another. One pass over a narrow index scores a branch of 200,000 customers
// without unpacking a record (npm run bench -- quality). Each week's score is kept for the trend.
import {
  qualityRules,
  recordOnlyRules,
  ruleBit,
  staleBefore,
  type QualityScore,
} from '../../../shared/quality/rules';
import { shownListItem, type CustomerListItem } from '../../../shared/customer/list-item';
import type { CalendarDate } from '../../../shared/validation/dates';
import { formatIsoDate } from '../../../shared/validation/dates';
import type { Book } from '../insight/book';
import { readListItem } from '../customers/store';
import { termTags } from '../customers/terms';
import { perConnection, type Vault } from '../vault';

/** Each rule as a condition on the book's columns (`b`), with @today, @staleBefore and @dups. */
const ruleSql: Record<string, string> = {
  ...Object.fromEntries(
    recordOnlyRules.map((id) => [id, `(b.quality_flags & ${ruleBit(id)}) <> 0`]),
  ),
  document_expired: 'coalesce(b.document_expires_on < @today, 0)',
  kyc_review_overdue: 'b.kyc_due < @today',
  stale_contacts: 'coalesce(b.confirmed_on < @staleBefore, 0)',
  probable_duplicate: 'b.customer_key IN (SELECT value FROM json_each(@dups))',
};

const anyProblem = `(${qualityRules.map((rule) => ruleSql[rule.id]).join(' OR ')})`;

/** The name-and-birth-date terms (`b:`) that more than one customer has, and who has them. */
const duplicateKeys = `
  SELECT DISTINCT customer_key FROM (
    SELECT term, customer_key FROM customer_term WHERE term >= 'b:' AND term < 'b;'
    UNION SELECT term, customer_key FROM customer_term_recent WHERE term >= 'b:' AND term < 'b;'
  ) WHERE term IN (
    SELECT term FROM (
      SELECT term, customer_key FROM customer_term WHERE term >= 'b:' AND term < 'b;'
      UNION SELECT term, customer_key FROM customer_term_recent WHERE term >= 'b:' AND term < 'b;'
    ) GROUP BY term HAVING count(*) > 1)`;
void termTags.nameBirth; // 'b', the tag the query above reads

export interface WeekScore {
  /** Monday of the week, `YYYY-MM-DD`. */
  week: string;
  records: number;
  clean: number;
}

/** Monday of the week `today` falls in. */
export function weekOf(today: string): string {
  const date = new Date(`${today}T00:00:00Z`);
  const back = (date.getUTCDay() + 6) % 7;
  date.setUTCDate(date.getUTCDate() - back);
  return date.toISOString().slice(0, 10);
}

export class QualityReader {
  private readonly statements;

  constructor(vault: Vault) {
    const sums = qualityRules.map((rule) => `sum(${ruleSql[rule.id]}) AS "${rule.id}"`).join(', ');
    this.statements = perConnection(vault, (db) => ({
      duplicates: db.prepare(duplicateKeys).pluck(),
      branch: db.prepare(
        `SELECT count(*) AS records, sum(NOT ${anyProblem}) AS clean, ${sums} FROM customer_book b`,
      ),
      mine: db.prepare(
        `SELECT count(*) AS records, sum(NOT ${anyProblem}) AS clean, ${sums}
         FROM customer_book b WHERE b.rm = @rm`,
      ),
      keepWeek: db.prepare(
        `INSERT OR REPLACE INTO quality_week (book, week, records, clean)
         VALUES (@book, @week, @records, @clean)`,
      ),
      weeks: db.prepare(
        `SELECT week, records, clean FROM quality_week WHERE book = ? ORDER BY week DESC LIMIT 26`,
      ),
      items: db
        .prepare(
          `SELECT customer_key, list_item, has_pending_changes FROM customer
           WHERE customer_key IN (SELECT value FROM json_each(?))`,
        )
        .raw(),
      db,
    }));
  }

  private bound(today: CalendarDate, book: Book) {
    const iso = formatIsoDate(today);
    return {
      today: iso,
      staleBefore: staleBefore(iso),
      dups: JSON.stringify(this.statements().duplicates.all()),
      ...(book.scope === 'mine' ? { rm: book.rmId } : {}),
    };
  }

  /** The book's score on `today`: every rule counted in one pass. */
  score(book: Book, today: CalendarDate): QualityScore {
    const problems = Object.fromEntries(qualityRules.map((rule) => [rule.id, 0]));
    if (book.scope === 'mine' && book.rmId === null)
      return { records: 0, clean: 0, cleanShare: 1, problems };
    const statements = this.statements();
    const row = (book.scope === 'mine' ? statements.mine : statements.branch).get(
      this.bound(today, book),
    ) as Record<string, number | null>;
    for (const rule of qualityRules) problems[rule.id] = row[rule.id] ?? 0;
    const records = row.records ?? 0;
    const clean = row.clean ?? 0;
    return { records, clean, cleanShare: records === 0 ? 1 : clean / records, problems };
  }

  /** Keeps `score` as this week's for the book, and returns the weeks kept, oldest first. */
  keepWeek(bookKey: string, today: CalendarDate, score: QualityScore): WeekScore[] {
    const statements = this.statements();
    statements.keepWeek.run({
      book: bookKey,
      week: weekOf(formatIsoDate(today)),
      records: score.records,
      clean: score.clean,
    });
    return (statements.weeks.all(bookKey) as WeekScore[]).reverse();
  }

  /** One page of the book's customers with `problem`, by customer number, and how many. */
  list(
    book: Book,
    problem: string,
    today: CalendarDate,
    page: { offset: number; limit: number },
  ): { total: number; items: CustomerListItem[] } {
    if (book.scope === 'mine' && book.rmId === null) return { total: 0, items: [] };
    const where = `${book.scope === 'mine' ? 'b.rm = @rm AND ' : ''}${ruleSql[problem]}`;
    const db = this.statements().db;
    const bound = this.bound(today, book);
    const total = db
      .prepare(`SELECT count(*) FROM customer_book b WHERE ${where}`)
      .pluck()
      .get(bound) as number;
    const keys = db
      .prepare(
        `SELECT b.customer_key FROM customer_book b JOIN customer c USING (customer_key)
         WHERE ${where} ORDER BY c.customer_number LIMIT @limit OFFSET @offset`,
      )
      .pluck()
      .all({ ...bound, limit: page.limit, offset: page.offset }) as number[];
    const rows = new Map(
      (this.statements().items.all(JSON.stringify(keys)) as [number, Buffer, number][]).map(
        ([key, item, pending]) => [key, readListItem(item, pending)],
      ),
    );
    return {
      total,
      items: keys.flatMap((key) => {
        const item = rows.get(key);
        return item ? [shownListItem(item, today)] : [];
      }),
    };
  }
}
