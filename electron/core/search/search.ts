// searchCustomers: one box, every kind of query, answered from the vault's term index.
// Every lookup is an index seek on the term index (an exact key or a prefix range; the index is
// customer_term and, during a bulk load, customer_term_recent, merged in order) or a primary key
// read on customer; nothing scans a table (test/integration/search.test.ts checks the plans).
import { shownListItem, type CustomerListItem } from '../../../shared/customer';
import { localToday } from '../../../shared/validation/dates';
import { planSearch, type MatchedField, type SearchStep } from '../../../shared/search/plan';
import {
  afterPrefix,
  reverse,
  searchableName,
  term,
  termTags,
  type TermTag,
} from '../customers/terms';
import { readListItem, termIndexSql } from '../customers/store';
import type { SqliteDatabase } from '../vault';

export interface SearchOptions {
  limit: number;
  offset: number;
}

export interface SearchHitItem extends CustomerListItem {
  matchedField: MatchedField;
}

export interface SearchResult {
  items: SearchHitItem[];
  /** What the query was taken for, in ranking order. */
  fields: MatchedField[];
  /** True when a lookup hit its candidate cap: refine the query to see the rest. */
  truncated: boolean;
}

/**
 * At most this many candidates per lookup are read, and as many ranked in all; a query matching
 * more is truncated.
 */
export const CANDIDATE_CAP = 1000;

/** Ranks, best first: identifiers, then tails, then names, then pinyin. */
const rank = {
  identifier: 0,
  tail: 1,
  nameExact: 2,
  nameStart: 3,
  nameContains: 4,
  pinyinExact: 5,
  pinyinPrefix: 6,
} as const;

interface Candidate {
  key: number;
  rank: number;
  field: MatchedField;
  /** When it was found: lookups run best first and read the index in order (shorter pinyin first). */
  order: number;
}

export class CustomerSearch {
  private readonly exact;
  private readonly range;
  private readonly names;
  private readonly listItems;
  private readonly byNumber;
  private readonly countTerm;
  private readonly namedExactly;
  private readonly namedStarting;
  private readonly countStarting;

  constructor(db: SqliteDatabase) {
    this.countTerm = db.prepare(`SELECT count(*) FROM (${termIndexSql.keysWithTerm})`).pluck();
    this.byNumber = db
      .prepare('SELECT customer_key FROM customer WHERE customer_number = ?')
      .pluck();
    this.exact = db.prepare(termIndexSql.keysWithTerm).pluck();
    // Both read only the index on (search_name, customer_number), in the order a page shows them.
    this.namedExactly = db.prepare(
      `SELECT customer_key, search_name, customer_number FROM customer
       WHERE search_name = @name ORDER BY search_name, customer_number LIMIT @limit`,
    );
    this.namedStarting = db.prepare(
      `SELECT customer_key, search_name, customer_number FROM customer
       WHERE search_name > @name AND search_name < @to LIMIT @limit`,
    );
    this.countStarting = db
      .prepare(
        `SELECT count(*) FROM (SELECT 1 FROM customer
         WHERE search_name > @name AND search_name < @to LIMIT @limit)`,
      )
      .pluck();
    this.range = db.prepare(`${termIndexSql.termsInRange} LIMIT @limit`);
    this.names = db.prepare(
      'SELECT customer_key, legal_name, customer_number FROM customer WHERE customer_key IN (SELECT value FROM json_each(?))',
    );
    this.listItems = db.prepare(
      'SELECT customer_key, list_item, has_pending_changes FROM customer WHERE customer_key IN (SELECT value FROM json_each(?))',
    );
  }

  search(query: string, options: SearchOptions): SearchResult {
    const plan = planSearch(query);
    const candidates = new Map<number, Candidate>();
    let truncated = false;
    let found = 0;
    const offer = (key: number, candidateRank: number, field: MatchedField) => {
      const known = candidates.get(key);
      if (!known || candidateRank < known.rank) {
        candidates.set(key, { key, rank: candidateRank, field, order: found++ });
      }
    };
    const exact = (tag: TermTag, value: string): number[] => {
      const keys = this.exact.all({ term: term(tag, value), limit: CANDIDATE_CAP }) as number[];
      if (keys.length === CANDIDATE_CAP) truncated = true;
      return keys;
    };
    const prefix = (tag: TermTag, value: string): { term: string; customer_key: number }[] => {
      const start = term(tag, value);
      const rows = this.range.all({
        from: start,
        to: afterPrefix(start),
        limit: CANDIDATE_CAP,
      }) as {
        term: string;
        customer_key: number;
      }[];
      if (rows.length === CANDIDATE_CAP) truncated = true;
      return rows;
    };

    let nameQuery: string | undefined;
    // Names (and their length in characters) and numbers of candidates, to rank them: the name
    // lookups read them from their index.
    const details = new Map<number, { name: string; length: number; number: string }>();
    const detail = (name: string, number: string) => ({ name, length: [...name].length, number });
    // Customers known to match but not read, since they rank below a page already full: they
    // count toward the cap as if read.
    let unread = 0;
    const named = (name: string, ranked: number): number => {
      const rows = (
        ranked === rank.nameExact
          ? this.namedExactly.all({ name, limit: CANDIDATE_CAP })
          : this.namedStarting.all({ name, to: afterPrefix(name), limit: CANDIDATE_CAP })
      ) as { customer_key: number; search_name: string; customer_number: string }[];
      if (rows.length === CANDIDATE_CAP) truncated = true;
      for (const row of rows) {
        offer(row.customer_key, ranked, 'name');
        details.set(row.customer_key, detail(row.search_name, row.customer_number));
      }
      return rows.length;
    };
    const startingUnread = (name: string): void => {
      const count = this.countStarting.get({
        name,
        to: afterPrefix(name),
        limit: CANDIDATE_CAP,
      }) as number;
      if (count === CANDIDATE_CAP) truncated = true;
      unread += count;
    };
    /** How many candidates rank at `ranked` or better so far. */
    const rankedAtLeast = (ranked: number): number => {
      let count = 0;
      for (const candidate of candidates.values()) if (candidate.rank <= ranked) count++;
      return count;
    };
    for (const step of plan.steps)
      this.lookup(step, {
        exact,
        prefix,
        offer,
        setNameQuery: (q) => (nameQuery = q),
        named,
        startingUnread,
        rankedAtLeast,
        wanted: options.offset + options.limit,
      });

    // Names are re-ranked by how they match (whole, start, inside) and then shorter first; every
    // other lookup is already in a sensible order: by rank, then as the index returned it.
    if (nameQuery !== undefined) {
      const keys = [...candidates.values()]
        .filter((candidate) => candidate.rank === rank.nameContains)
        .map((candidate) => candidate.key);
      for (const row of this.names.all(JSON.stringify(keys)) as {
        customer_key: number;
        legal_name: string;
        customer_number: string;
      }[]) {
        details.set(row.customer_key, detail(searchableName(row.legal_name), row.customer_number));
      }
      const query = nameQuery;
      for (const candidate of candidates.values()) {
        if (candidate.rank !== rank.nameContains) continue;
        const name = details.get(candidate.key)?.name ?? '';
        if (!name.includes(query)) candidates.delete(candidate.key);
        else if (name === query) candidate.rank = rank.nameExact;
        else if (name.startsWith(query)) candidate.rank = rank.nameStart;
      }
    }
    const ordered = [...candidates.values()].sort((a, b) => {
      if (a.rank !== b.rank) return a.rank - b.rank;
      const left = details.get(a.key);
      const right = details.get(b.key);
      if (left && right) {
        if (left.length !== right.length) return left.length - right.length;
        // Customer numbers are C and ten digits: compared as the index compares them.
        if (left.number !== right.number) return left.number < right.number ? -1 : 1;
        return 0;
      }
      return a.order - b.order;
    });

    // Lookups of one query may together offer more than a lookup may: the best of them count.
    if (ordered.length + unread > CANDIDATE_CAP) {
      if (ordered.length > CANDIDATE_CAP) ordered.length = CANDIDATE_CAP;
      truncated = true;
    }
    const page = ordered.slice(options.offset, options.offset + options.limit);
    const rows = this.listItems.all(JSON.stringify(page.map((candidate) => candidate.key))) as {
      customer_key: number;
      list_item: Buffer;
      has_pending_changes: number;
    }[];
    const byKey = new Map(rows.map((row) => [row.customer_key, row]));
    const today = localToday();
    const items: SearchHitItem[] = [];
    for (const candidate of page) {
      const row = byKey.get(candidate.key);
      if (!row) continue;
      const item = shownListItem(readListItem(row.list_item, row.has_pending_changes), today);
      items.push({
        ...item,
        hasPendingChanges: row.has_pending_changes === 1,
        matchedField: candidate.field,
      });
    }
    return { items, fields: plan.steps.map((step) => step.field), truncated };
  }

  /**
   * The pair of neighbouring characters of `name` that the fewest customers share. Every name
   * that contains `name` contains each of its pairs, so any pair finds them all; the rarest keeps
   * the candidates under the cap (a company name's last pair, 公司, is shared by thousands).
   * Counting stops at the cap, so each count costs at most one short index range.
   */
  private rarestGram(name: string): string {
    const chars = [...name];
    if (chars.length <= 2) return chars.join('');
    let best = chars.slice(-2).join('');
    let fewest = Number.POSITIVE_INFINITY;
    for (let index = chars.length - 2; index >= 0; index--) {
      const gram = chars[index]! + chars[index + 1]!;
      const count = this.countTerm.get({
        term: term(termTags.nameGram, gram),
        limit: CANDIDATE_CAP,
      }) as number;
      if (count < fewest) {
        fewest = count;
        best = gram;
      }
      if (count <= 1) break;
    }
    return best;
  }

  private lookup(
    step: SearchStep,
    tools: {
      exact: (tag: TermTag, value: string) => number[];
      prefix: (tag: TermTag, value: string) => { term: string; customer_key: number }[];
      offer: (key: number, rank: number, field: MatchedField) => void;
      setNameQuery: (query: string) => void;
      /** Offers the customers named `name` exactly (or starting with it); returns how many. */
      named: (name: string, rank: number) => number;
      /** Counts the customers whose name starts with `name` without offering them. */
      startingUnread: (name: string) => void;
      /** How many candidates rank at `rank` or better so far. */
      rankedAtLeast: (rank: number) => number;
      /** Candidates a page needs: its offset and limit. */
      wanted: number;
    },
  ): void {
    const { exact, prefix, offer } = tools;
    switch (step.field) {
      case 'customer_number': {
        const key = this.byNumber.get(step.value) as number | undefined;
        if (key !== undefined) offer(key, rank.identifier, step.field);
        // The number of a record merged into another: the survivor carries it (mergedFrom).
        else
          exact(termTags.mergedNumber, step.value).forEach((survivor) =>
            offer(survivor, rank.identifier, step.field),
          );
        return;
      }
      case 'id_number':
        // Any document type: the reversed number, matched whole.
        exact(termTags.documentReversed, reverse(step.value)).forEach((key) =>
          offer(key, rank.identifier, step.field),
        );
        return;
      case 'phone':
        exact(termTags.phone, step.value).forEach((key) => offer(key, rank.identifier, step.field));
        return;
      case 'card':
        exact(termTags.accountEnds, step.value).forEach((key) =>
          offer(key, rank.identifier, step.field),
        );
        return;
      case 'id_tail':
        prefix(termTags.documentReversed, reverse(step.value)).forEach((row) =>
          offer(row.customer_key, rank.tail, step.field),
        );
        return;
      case 'phone_tail':
        prefix(termTags.phoneReversed, reverse(step.value)).forEach((row) =>
          offer(row.customer_key, rank.tail, step.field),
        );
        return;
      case 'account_tail':
        exact(termTags.accountTail, reverse(step.value)).forEach((key) =>
          offer(key, rank.tail, step.field),
        );
        return;
      case 'phone_prefix':
        prefix(termTags.phone, step.value).forEach((row) =>
          offer(row.customer_key, rank.tail, step.field),
        );
        return;
      case 'name': {
        const name = step.value;
        tools.setNameQuery(name);
        // Names that are the query, then names that start with it, each read in the order a page
        // shows them. Names holding it further in rank below both: looked for only when these
        // do not fill the page, since at a million customers a common name's rarest pair of
        // characters is shared by thousands, and ranking them reads every one's row.
        const exactly = tools.named(name, rank.nameExact);
        // A page full of better matches (a common name at a million customers has hundreds of
        // bearers): the names starting with it are only counted, for the cap, not read.
        if (tools.rankedAtLeast(rank.nameExact) >= tools.wanted) {
          tools.startingUnread(name);
          return;
        }
        const found = exactly + tools.named(name, rank.nameStart);
        if (found >= tools.wanted) return;
        exact(termTags.nameGram, this.rarestGram(name)).forEach((key) =>
          offer(key, rank.nameContains, 'name'),
        );
        return;
      }
      case 'pinyin': {
        const letters = step.value;
        for (const tag of [termTags.pinyin, termTags.initials] as const) {
          for (const row of prefix(tag, letters)) {
            const whole = row.term.length === tag.length + 1 + letters.length;
            offer(row.customer_key, whole ? rank.pinyinExact : rank.pinyinPrefix, 'pinyin');
          }
        }
        if (letters.length >= 2) {
          prefix(termTags.pinyinGiven, letters).forEach((row) =>
            offer(row.customer_key, rank.pinyinPrefix, 'pinyin'),
          );
        }
        return;
      }
    }
  }
}
