// The portfolio home on the device: the figures of shared/insight/book.ts asked of the vault's
// table customer_book (written with each record, migration 19), which SQLite answers from a
// narrow covering index without unpacking a record or parsing JSON. A book is an RM's customers
// (a range of that index) or the whole vault for a branch. Nothing is cached: an edit or a sync
// shows in the next reading (npm run bench -- insight measures a book and a branch).
import type { BookScope } from '../../../shared/commands/insight';
import type { CampaignTarget } from '../../../shared/insight/campaign';
import {
  bookFigures,
  figureWindow,
  nextBirthday,
  type BookFacts,
  type BookFigure,
  type BookSummary,
  type FigureWindow,
} from '../../../shared/insight/book';
import { shownListItem, type CustomerListItem } from '../../../shared/customer/list-item';
import { defaultSegmentRules, type SegmentRuleTable } from '../../../shared/insight/segment';
import type { CalendarDate } from '../../../shared/validation/dates';
import { readFacts, readListItem } from '../customers/store';
import { perConnection, type Vault } from '../vault';

/** Whose book: an RM's own (by their RM id), or the branch's (every customer on the device). */
export type Book = { scope: 'mine'; rmId: string | null } | { scope: 'branch' };

export interface BookEntry {
  key: number;
  facts: BookFacts;
}

export interface ListedCustomer {
  customer: CustomerListItem;
  day: string | null;
  /** Assets in yuan, for the segment by rule (never sent to the desk). */
  aum: number;
}

/**
 * Each figure as a condition on the book's columns, with the column its list is sorted by: the
 * same questions `figuresOf` (shared/insight/book.ts) asks of one customer's facts, asked of the
 * whole book at once with the limits of `figureWindow`. test/integration/insight-book.test.ts
 * holds the two to the same answers.
 */
const isNew = 'coalesce(since >= @newSince, 0)';
const atRisk =
  '(coalesce(last_closed_on >= @closedSince, 0) OR coalesce(matures_on < @today AND matures_on >= @maturedSince, 0))';
const unmet = '(last_visit_on IS NULL OR last_visit_on < @unmetBefore)';

const figureSql: Record<BookFigure, { where: string; day: string; order?: string }> = {
  // By the segment rules in force (shared/insight/segment.ts), not the field HQ last wrote.
  'segment.mass': { where: 'aum < @affluentFrom', day: 'kyc_due' },
  'segment.affluent': {
    where: 'aum >= @affluentFrom AND aum < @privateBankingFrom',
    day: 'kyc_due',
  },
  'segment.private_banking': { where: 'aum >= @privateBankingFrom', day: 'kyc_due' },
  'life.new': { where: isNew, day: 'since' },
  'life.at_risk': { where: `NOT ${isNew} AND ${atRisk}`, day: 'kyc_due' },
  'life.dormant': {
    where: `NOT ${isNew} AND NOT ${atRisk} AND ${unmet}`,
    day: 'last_visit_on',
    order: "coalesce(last_visit_on, '0000-00-00')",
  },
  'life.active': { where: `NOT ${isNew} AND NOT ${atRisk} AND NOT ${unmet}`, day: 'kyc_due' },
  'risk.low': { where: "risk = 'low'", day: 'kyc_due' },
  'risk.medium': { where: "risk = 'medium'", day: 'kyc_due' },
  'risk.high': { where: "risk = 'high'", day: 'kyc_due' },
  'aum.under_50k': { where: "aum_band = 'under_50k'", day: 'kyc_due' },
  'aum.50k_500k': { where: "aum_band = '50k_500k'", day: 'kyc_due' },
  'aum.500k_6m': { where: "aum_band = '500k_6m'", day: 'kyc_due' },
  'aum.6m_plus': { where: "aum_band = '6m_plus'", day: 'kyc_due' },
  'deposits.maturing30': {
    where: 'matures_on >= @today AND matures_on <= @maturityNotice',
    day: 'matures_on',
  },
  'kyc.overdue': { where: 'kyc_due < @today', day: 'kyc_due' },
  'kyc.due30': { where: 'kyc_due >= @today AND kyc_due <= @kycDue30', day: 'kyc_due' },
  'kyc.due90': { where: 'kyc_due > @kycDue30 AND kyc_due <= @kycDue90', day: 'kyc_due' },
  'documents.expired': { where: 'document_expires_on < @today', day: 'document_expires_on' },
  'documents.expiring': {
    where: 'document_expires_on >= @today AND document_expires_on <= @documentNotice',
    day: 'document_expires_on',
  },
  dormant: {
    where: '(last_visit_on IS NULL OR last_visit_on < @dormantBefore)',
    // Never visited first, then the longest since.
    day: 'last_visit_on',
    order: "coalesce(last_visit_on, '0000-00-00')",
  },
  birthdays: {
    where: 'birth_month_day IN (SELECT value FROM json_each(@birthdays))',
    // The next birthday: this year's when it has not passed (by month and day), else next year's.
    day: 'birth_month_day',
  },
  'tasks.open': { where: 'task_due IS NOT NULL', day: 'task_due' },
  'tasks.overdue': { where: 'task_due < @today', day: 'task_due' },
};

/** The window's limits as the queries' named parameters. */
function parameters(window: FigureWindow) {
  return { ...window, birthdays: JSON.stringify(window.birthdays) };
}

export class BookReader {
  private readonly statements;

  constructor(vault: Vault) {
    const counts = bookFigures
      .map((figure) => `sum(${figureSql[figure].where}) AS "${figure}"`)
      .join(',\n');
    this.statements = perConnection(vault, (db) => ({
      branch: db.prepare('SELECT customer_key, facts FROM customer_book').raw(),
      mine: db.prepare('SELECT customer_key, facts FROM customer_book WHERE rm = @rm').raw(),
      countsBranch: db.prepare(`SELECT count(*) AS total, ${counts} FROM customer_book`),
      countsMine: db.prepare(
        `SELECT count(*) AS total, ${counts} FROM customer_book WHERE rm = @rm`,
      ),
      soonestBranch: db
        .prepare(
          `SELECT customer_key, facts FROM customer_book WHERE task_due IS NOT NULL
           ORDER BY task_due, customer_key LIMIT @limit`,
        )
        .raw(),
      soonestMine: db
        .prepare(
          `SELECT customer_key, facts FROM customer_book WHERE rm = @rm AND task_due IS NOT NULL
           ORDER BY task_due, customer_key LIMIT @limit`,
        )
        .raw(),
      items: db
        .prepare(
          `SELECT customer_key, customer_number, legal_name, list_item, has_pending_changes
           FROM customer WHERE customer_key IN (SELECT value FROM json_each(?))`,
        )
        .raw(),
      db,
    }));
  }

  /**
   * The keys of the book's customers in a campaign's `target` on `today`, asked of the book's
   * columns as `inTarget` (shared/insight/campaign.ts) asks of a record: the call list then
   * unpacks only these to check consent and the cap, not the whole branch.
   */
  targetKeys(
    book: Book,
    target: CampaignTarget,
    today: CalendarDate,
    rules: SegmentRuleTable = defaultSegmentRules,
  ): number[] {
    if (book.scope === 'mine' && book.rmId === null) return [];
    const any = (figures: readonly BookFigure[]) =>
      `(${figures.map((figure) => qualified(figureSql[figure].where)).join(' OR ')})`;
    const where = [
      ...(book.scope === 'mine' ? ['b.rm = @rm'] : []),
      ...(target.kinds ? ['c.kind IN (SELECT value FROM json_each(@kinds))'] : []),
      ...(target.risks ? ['b.risk IN (SELECT value FROM json_each(@risks))'] : []),
      ...(target.segments
        ? [any(target.segments.map((segment) => `segment.${segment}` as const))]
        : []),
      ...(target.lifeCycles
        ? [any(target.lifeCycles.map((stage) => `life.${stage}` as const))]
        : []),
      ...(target.figures ?? []).map((figure) => qualified(figureSql[figure].where)),
    ];
    const join = target.kinds ? 'JOIN customer c USING (customer_key)' : '';
    return this.statements()
      .db.prepare(
        `SELECT b.customer_key FROM customer_book b ${join}
         ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY b.customer_key`,
      )
      .pluck()
      .all({
        ...parameters(figureWindow(today, rules)),
        ...(book.scope === 'mine' ? { rm: book.rmId } : {}),
        ...(target.kinds ? { kinds: JSON.stringify(target.kinds) } : {}),
        ...(target.risks ? { risks: JSON.stringify(target.risks) } : {}),
      }) as number[];
  }

  /** Every customer of the book, with its facts (the rating reads them). */
  *entries(book: Book): Generator<BookEntry> {
    if (book.scope === 'mine' && book.rmId === null) return;
    const rows =
      book.scope === 'branch'
        ? this.statements().branch.iterate()
        : this.statements().mine.iterate({ rm: book.rmId });
    for (const [key, facts] of rows as Iterable<[number, Buffer]>)
      yield { key, facts: readFacts(facts) };
  }

  /**
   * The home's figures on `today`: every count in one pass over the covering index, and the open
   * tasks due soonest (read from the customers whose earliest task is soonest).
   */
  summary(
    book: Book,
    today: CalendarDate,
    taskLimit = 20,
    rules: SegmentRuleTable = defaultSegmentRules,
  ): BookSummary {
    const empty = Object.fromEntries(bookFigures.map((figure) => [figure, 0])) as Record<
      BookFigure,
      number
    >;
    if (book.scope === 'mine' && book.rmId === null) return { total: 0, counts: empty, tasks: [] };
    const statements = this.statements();
    const mine = book.scope === 'mine' ? { rm: book.rmId } : {};
    const row = (book.scope === 'mine' ? statements.countsMine : statements.countsBranch).get({
      ...parameters(figureWindow(today, rules)),
      ...mine,
    }) as Record<string, number | null>;
    const counts = { ...empty };
    for (const figure of bookFigures) counts[figure] = row[figure] ?? 0;
    const soonest = (book.scope === 'mine' ? statements.soonestMine : statements.soonestBranch).all(
      { limit: taskLimit, ...mine },
    ) as [number, Buffer][];
    const tasks = soonest
      .flatMap(([key, facts]) =>
        readFacts(facts).tasks.map((task) => ({ customerKey: key, ...task })),
      )
      .sort((a, b) =>
        a.dueOn < b.dueOn ? -1 : a.dueOn > b.dueOn ? 1 : a.customerKey - b.customerKey,
      )
      .slice(0, taskLimit);
    return { total: row.total ?? 0, counts, tasks };
  }

  /** Runs `read` in one read transaction of this connection (a consistent view of the book). */
  read(read: () => void): void {
    this.statements().db.transaction(read)();
  }

  /** The customers `keys` name, as a search lists them on `today`. */
  listItems(keys: readonly number[], today: CalendarDate): Map<number, CustomerListItem> {
    const found = new Map<number, CustomerListItem>();
    const rows = this.statements().items.all(JSON.stringify(keys)) as [
      number,
      string,
      string,
      Buffer,
      number,
    ][];
    for (const [key, , , item, pending] of rows)
      found.set(key, shownListItem(readListItem(item, pending), today));
    return found;
  }

  /**
   * The customers behind `figure`, sorted: by the day the figure is about (then by key), by
   * name, or by customer number; one page of them, and how many there are.
   */
  list(
    book: Book,
    figure: BookFigure,
    today: CalendarDate,
    page: { offset: number; limit: number; sort: 'day' | 'name' | 'number'; descending: boolean },
    rules: SegmentRuleTable = defaultSegmentRules,
  ): { total: number; items: ListedCustomer[] } {
    if (book.scope === 'mine' && book.rmId === null) return { total: 0, items: [] };
    const { where, day, order: dayKey = day } = figureSql[figure];
    const window = figureWindow(today, rules);
    const scope = book.scope === 'mine' ? 'b.rm = @rm AND ' : '';
    const direction = page.descending ? 'DESC' : 'ASC';
    const order =
      page.sort === 'day'
        ? `${dayOrder(figure, dayKey, window)} ${direction}, b.customer_key ${direction}`
        : page.sort === 'name'
          ? `c.legal_name ${direction}, b.customer_key ${direction}`
          : `c.customer_number ${direction}`;
    const db = this.statements().db;
    const bound = { ...parameters(window), ...(book.scope === 'mine' ? { rm: book.rmId } : {}) };
    const total = db
      .prepare(`SELECT count(*) FROM customer_book b WHERE ${scope}${qualified(where)}`)
      .pluck()
      .get(bound) as number;
    // A page: ordered by what the book holds; names and numbers joined only when sorted by them.
    const join = page.sort === 'day' ? '' : 'JOIN customer c USING (customer_key)';
    const rows = db
      .prepare(
        `SELECT b.customer_key, ${qualified(day)} AS day, b.aum FROM customer_book b ${join}
         WHERE ${scope}${qualified(where)} ORDER BY ${order} LIMIT @limit OFFSET @offset`,
      )
      .raw()
      .all({ ...bound, limit: page.limit, offset: page.offset }) as [
      number,
      string | null,
      number,
    ][];
    const items = this.listItems(
      rows.map(([key]) => key),
      today,
    );
    return {
      total,
      items: rows.flatMap(([key, shown, aum]) => {
        const customer = items.get(key);
        return customer
          ? [
              {
                customer,
                day: figure === 'birthdays' && shown ? (nextBirthday(shown, today) ?? null) : shown,
                aum,
              },
            ]
          : [];
      }),
    };
  }
}

/** The book's columns named through its alias `b` (the list joins the customer table). */
function qualified(sql: string): string {
  return sql.replace(
    /\b(rm|segment|risk|kyc_due|document_expires_on|last_visit_on|birth_month_day|task_due|aum_band|matures_on|aum|since|last_closed_on)\b/g,
    'b.$1',
  );
}

/** A birthday list sorts by the days ahead, across a year's end: the window's own order. */
function dayOrder(figure: BookFigure, day: string, window: FigureWindow): string {
  if (figure !== 'birthdays') return qualified(day);
  // Position of the month and day in the window (02-29 beside 02-28).
  const cases = window.birthdays
    .map((monthDay, index) => `WHEN '${monthDay}' THEN ${index}`)
    .join(' ');
  return `CASE b.birth_month_day ${cases} END`;
}

/** The book a home of `scope` shows to the signed-in user. */
export function bookFor(scope: BookScope, rmId: string | undefined): Book {
  return scope === 'branch' ? { scope } : { scope, rmId: rmId ?? null };
}
