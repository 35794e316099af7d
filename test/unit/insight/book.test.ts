import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type {
  CorporateCustomer,
  Customer,
  IndividualCustomer,
  Task,
  Visit,
} from '../../../shared/customer';
import {
  aumBandOf,
  BIRTHDAY_DAYS,
  DOCUMENT_EXPIRY_NOTICE_DAYS,
  DORMANT_DAYS,
  bookColumns,
  bookFacts,
  bookFigures,
  daysToBirthday,
  figureDay,
  figureWindow,
  figuresOf,
  summariseBook,
  type BookFacts,
  type BookFigure,
} from '../../../shared/insight/book';
import { defaultRiskRules, rateCustomer } from '../../../shared/insight/risk';
import {
  defaultSegmentRules,
  segmentRuleTableSchema,
  type SegmentRuleTable,
} from '../../../shared/insight/segment';
import { generateCustomers } from '../../../shared/synthetic/generate';
import {
  addDays,
  formatIsoDate,
  fromDayNumber,
  parseIsoDate,
  toDayNumber,
  type CalendarDate,
} from '../../../shared/validation/dates';

function day(text: string): CalendarDate {
  const date = parseIsoDate(text);
  if (!date) throw new Error(`not a date: ${text}`);
  return date;
}

const today = day('2026-12-05');

/** The ISO day `days` from `from` (today by default). */
function iso(days: number, from: CalendarDate = today): string {
  return formatIsoDate(addDays(from, days));
}

const generated = [
  ...generateCustomers({ seed: 1, count: 50, branches: ['BR001'], rmsPerBranch: 2 }),
];

function firstOf<K extends Customer['kind']>(kind: K): Extract<Customer, { kind: K }> {
  const found = generated.find((customer) => customer.kind === kind);
  if (!found) throw new Error(`no ${kind} customer generated`);
  return structuredClone(found) as Extract<Customer, { kind: K }>;
}

function uuid(n: number): string {
  return `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
}

function visit(n: number, at: string, kind: Visit['kind']): Visit {
  return { id: uuid(n), at, author: 'BR001-rm-01', kind };
}

function task(n: number, dueOn: string, status: Task['status']): Task {
  return { id: uuid(100 + n), title: `任务 ${n}`, dueOn, status, assignee: 'BR001-rm-02' };
}

describe('constants', () => {
  it('are the documented windows', () => {
    expect(DORMANT_DAYS).toBe(180);
    expect(DOCUMENT_EXPIRY_NOTICE_DAYS).toBe(90);
    expect(BIRTHDAY_DAYS).toBe(7);
  });
});

describe('bookFacts', () => {
  it('digests a generated individual', () => {
    const person = firstOf('individual');
    const facts = bookFacts(person);
    expect(facts.kind).toBe('individual');
    expect(facts.segment).toBe(person.segment);
    expect(facts.risk).toBe(person.kyc.riskRating);
    expect(facts.birthDate).toBe(person.birthDate);
    expect(facts.nationality).toBe(person.nationality);
    expect(facts.preferredChannel).toBe(person.preferredChannel);
    expect(facts.kyc).toEqual({
      pep: person.kyc.pep,
      sanctionsHit: person.kyc.sanctionsHit,
      nextReviewDue: person.kyc.nextReviewDue,
      ...(person.kyc.lastReviewedOn ? { lastReviewedOn: person.kyc.lastReviewedOn } : {}),
    });
    expect(facts.accounts).toEqual(person.accounts.map(({ status }) => ({ status })));
    expect('rm' in facts).toBe(person.assignedRmId !== undefined);
    expect('restricted' in facts).toBe(false);
    // what the vault stores is JSON: it survives a round trip unchanged
    expect(JSON.parse(JSON.stringify(facts))).toEqual(facts);
  });

  it('digests every generated customer consistently', () => {
    for (const customer of generated) {
      const facts = bookFacts(customer);
      expect(facts.rm).toBe(customer.assignedRmId);
      expect(facts.tasks).toHaveLength(
        customer.tasks.filter((entry) => entry.status === 'open').length,
      );
      const kinds = new Set(customer.visits.map((entry) => entry.kind));
      expect(new Set(facts.visits.map((entry) => entry.kind))).toEqual(kinds);
      expect(facts.visits).toHaveLength(kinds.size);
      if (customer.visits.length === 0) expect(facts.lastVisitOn).toBeUndefined();
      else expect(facts.lastVisitOn).toMatch(/^\d{4}-\d{2}-\d{2}$/u);
      if (customer.kind === 'corporate') {
        expect('birthDate' in facts).toBe(false);
        expect('nationality' in facts).toBe(false);
        expect('occupation' in facts).toBe(false);
      }
    }
  });

  it('rates from the facts exactly as from the whole customer', () => {
    for (const customer of generated) {
      expect(rateCustomer(bookFacts(customer), defaultRiskRules, today)).toEqual(
        rateCustomer(customer, defaultRiskRules, today),
      );
    }
  });

  it('does not count a Chinese national as a foreign national under the default rules', () => {
    // Nationalities are recorded as ISO 3166-1 alpha-3 (CHN); the rule table must use the same.
    const nationals = generated.filter(
      (customer): customer is IndividualCustomer =>
        customer.kind === 'individual' && customer.nationality === 'CHN',
    );
    expect(nationals.length).toBeGreaterThan(0);
    for (const customer of nationals) {
      const reasons = rateCustomer(bookFacts(customer), defaultRiskRules, today).reasons;
      expect(reasons.map((reason) => reason.code)).not.toContain('foreign_national');
    }
  });

  it('keeps the earliest document expiry, ignoring documents that never expire', () => {
    const person = firstOf('individual');
    const [document] = person.identityDocuments;
    if (!document) throw new Error('no document');
    person.identityDocuments = [
      { ...document, expiresOn: '2031-04-01' },
      { ...document, number: 'E12345678', expiresOn: null },
      { ...document, number: 'E12345679', expiresOn: '2027-03-01' },
      { ...document, number: 'E12345670', expiresOn: '2029-12-31' },
    ];
    expect(bookFacts(person).documentExpiresOn).toBe('2027-03-01');

    person.identityDocuments = [{ ...document, expiresOn: null }];
    expect('documentExpiresOn' in bookFacts(person)).toBe(false);
    person.identityDocuments = [];
    expect('documentExpiresOn' in bookFacts(person)).toBe(false);
  });

  it('keeps the day of the latest visit and each visit kind once', () => {
    const person = firstOf('individual');
    person.visits = [
      visit(1, '2026-03-01T10:00:00+08:00', 'phone'),
      visit(2, '2026-11-20T09:30:00+08:00', 'home'),
      visit(3, '2025-12-31T16:00:00+08:00', 'phone'),
      visit(4, '2026-11-19T15:00:00+08:00', 'video'),
    ];
    const facts = bookFacts(person);
    expect(facts.lastVisitOn).toBe('2026-11-20');
    expect(facts.visits).toEqual([{ kind: 'phone' }, { kind: 'home' }, { kind: 'video' }]);

    person.visits = [];
    const none = bookFacts(person);
    expect('lastVisitOn' in none).toBe(false);
    expect(none.visits).toEqual([]);
  });

  // The desk writes a visit's time in UTC (wallClockIso), HQ and the generator with +08:00: the
  // day is the bank's (China Standard Time) either way, so 07:30 in Beijing is that day.
  it('gives the same visit day for the same instant written with different offsets', () => {
    const person = firstOf('individual');
    person.visits = [visit(1, '2026-12-05T07:30:00+08:00', 'branch')];
    const written = bookFacts(person).lastVisitOn;
    person.visits = [visit(1, '2026-12-04T23:30:00.000Z', 'branch')];
    expect(bookFacts(person).lastVisitOn).toBe(written);
    expect(written).toBe('2026-12-05');
  });

  it('keeps only open tasks, with their id, title, due day and assignee', () => {
    const person = firstOf('individual');
    person.tasks = [
      task(1, '2026-12-01', 'done'),
      task(2, '2026-12-10', 'open'),
      task(3, '2026-12-03', 'cancelled'),
      task(4, '2026-11-30', 'open'),
    ];
    expect(bookFacts(person).tasks).toEqual([
      { id: uuid(102), title: '任务 2', dueOn: '2026-12-10', assignee: 'BR001-rm-02' },
      { id: uuid(104), title: '任务 4', dueOn: '2026-11-30', assignee: 'BR001-rm-02' },
    ]);
    person.tasks = [task(1, '2026-12-01', 'done')];
    expect(bookFacts(person).tasks).toEqual([]);
  });

  it('takes the RM from assignedRmId and leaves it out when there is none', () => {
    const person = firstOf('individual');
    person.assignedRmId = 'BR001-rm-02';
    expect(bookFacts(person).rm).toBe('BR001-rm-02');
    delete person.assignedRmId;
    expect('rm' in bookFacts(person)).toBe(false);
  });

  it('flags a restricted customer', () => {
    const person = firstOf('individual');
    expect('restricted' in bookFacts(person)).toBe(false);
    person.restriction = { since: '2026-11-01T10:00:00+08:00', reason: 'legal_hold' };
    expect(bookFacts(person).restricted).toBe(true);
  });

  it('keeps the occupation of a person only when there is one', () => {
    const person = firstOf('individual');
    person.occupation = '珠宝店店主';
    expect(bookFacts(person).occupation).toBe('珠宝店店主');
    delete person.occupation;
    expect('occupation' in bookFacts(person)).toBe(false);
  });

  it('gives a company no birth date, nationality or occupation', () => {
    const company: CorporateCustomer = firstOf('corporate');
    const facts = bookFacts(company);
    expect(facts.kind).toBe('corporate');
    expect('birthDate' in facts).toBe(false);
    expect('nationality' in facts).toBe(false);
    expect('occupation' in facts).toBe(false);
    expect(figuresOf(facts, today)).not.toContain('birthdays');
  });

  it('leaves lastReviewedOn out when there has been no review', () => {
    const person = firstOf('individual');
    delete person.kyc.lastReviewedOn;
    expect('lastReviewedOn' in bookFacts(person).kyc).toBe(false);
    person.kyc.lastReviewedOn = '2025-06-01';
    expect(bookFacts(person).kyc.lastReviewedOn).toBe('2025-06-01');
  });
});

/** A customer who counts in nothing but their segment and rating on `today`. */
function quiet(overrides: Partial<BookFacts> = {}): BookFacts {
  return {
    kind: 'individual',
    segment: 'mass',
    risk: 'low',
    kyc: { pep: false, sanctionsHit: false, nextReviewDue: '2099-12-31' },
    accounts: [{ status: 'active' }],
    visits: [{ kind: 'branch' }],
    preferredChannel: 'phone',
    lastVisitOn: iso(0),
    tasks: [],
    ...overrides,
  };
}

function openTask(id: string, dueOn: string): BookFacts['tasks'][number] {
  return { id, title: id, dueOn, assignee: 'BR001-rm-01' };
}

function reviewDue(nextReviewDue: string, on: CalendarDate = today): BookFigure[] {
  return figuresOf(quiet({ kyc: { pep: false, sanctionsHit: false, nextReviewDue } }), on).filter(
    (figure) => figure.startsWith('kyc.'),
  );
}

describe('figuresOf', () => {
  it('counts a quiet customer in its segment, stage and rating only', () => {
    // With no balance known, assets count in the lowest band and the mass segment.
    expect(figuresOf(quiet(), today)).toEqual([
      'segment.mass',
      'life.active',
      'risk.low',
      'aum.under_50k',
    ]);
    // The segment is the rules' from the assets, whatever HQ last recorded.
    expect(figuresOf(quiet({ segment: 'private_banking', risk: 'high' }), today)).toEqual([
      'segment.mass',
      'life.active',
      'risk.high',
      'aum.under_50k',
    ]);
    expect(figuresOf(quiet({ aum: 7_000_000 }), today)).toEqual([
      'segment.private_banking',
      'life.active',
      'risk.low',
      'aum.6m_plus',
    ]);
  });

  it.each([
    [-400, ['kyc.overdue']],
    [-1, ['kyc.overdue']],
    [0, ['kyc.due30']],
    [30, ['kyc.due30']],
    [31, ['kyc.due90']],
    [90, ['kyc.due90']],
    [91, []],
  ] as const)('KYC review due in %i days counts in %j', (days, figures) => {
    expect(reviewDue(iso(days))).toEqual(figures);
  });

  it('counts no KYC figure when the review date is missing or malformed', () => {
    expect(reviewDue('')).toEqual([]);
    expect(reviewDue('2026-02-30')).toEqual([]);
  });

  it.each([
    [-1, ['documents.expired']],
    [-1000, ['documents.expired']],
    [0, ['documents.expiring']],
    [DOCUMENT_EXPIRY_NOTICE_DAYS, ['documents.expiring']],
    [DOCUMENT_EXPIRY_NOTICE_DAYS + 1, []],
  ] as const)('a document expiring in %i days counts in %j', (days, figures) => {
    expect(
      figuresOf(quiet({ documentExpiresOn: iso(days) }), today).filter((figure) =>
        figure.startsWith('documents.'),
      ),
    ).toEqual(figures);
  });

  it('counts no document figure when no document expires', () => {
    expect(figuresOf(quiet(), today)).not.toContain('documents.expired');
    expect(figuresOf(quiet(), today)).not.toContain('documents.expiring');
  });

  it('counts as dormant with no visit, or the last one more than 180 days ago', () => {
    const dormant = (facts: BookFacts) => figuresOf(facts, today).includes('dormant');
    const { lastVisitOn: _, ...neverVisited } = quiet();
    expect(dormant(neverVisited)).toBe(true);
    expect(dormant(quiet({ lastVisitOn: iso(0) }))).toBe(false);
    expect(dormant(quiet({ lastVisitOn: iso(-DORMANT_DAYS) }))).toBe(false);
    expect(dormant(quiet({ lastVisitOn: iso(-DORMANT_DAYS - 1) }))).toBe(true);
    expect(dormant(quiet({ lastVisitOn: '2020-01-01' }))).toBe(true);
  });

  describe('birthdays', () => {
    const counts = (birthDate: string, on: CalendarDate = today) =>
      figuresOf(quiet({ birthDate }), on).includes('birthdays');

    it('counts birthdays from today to six days ahead', () => {
      expect(counts('1980-12-05')).toBe(true);
      expect(counts('1980-12-08')).toBe(true);
      expect(counts('1980-12-11')).toBe(true);
      expect(counts('1980-12-12')).toBe(false);
      expect(counts('1980-12-04')).toBe(false);
      expect(counts('1980-06-05')).toBe(false);
    });

    it('looks across the end of the year', () => {
      const on = day('2026-12-28');
      expect(counts('1990-12-31', on)).toBe(true);
      expect(counts('1990-01-01', on)).toBe(true);
      expect(counts('1990-01-03', on)).toBe(true);
      expect(counts('1990-01-04', on)).toBe(false);
      expect(counts('1990-12-27', on)).toBe(false);
    });

    it('keeps a 29 February birthday on 28 February in a common year', () => {
      expect(counts('1992-02-29', day('2027-02-28'))).toBe(true);
      expect(counts('1992-02-29', day('2027-02-22'))).toBe(true);
      expect(counts('1992-02-29', day('2027-02-21'))).toBe(false);
      expect(counts('1992-02-29', day('2027-03-01'))).toBe(false);
      // in a leap year it stays on the 29th
      expect(counts('1992-02-29', day('2028-02-29'))).toBe(true);
      expect(counts('1992-02-29', day('2028-02-23'))).toBe(true);
      expect(counts('1992-02-29', day('2028-02-22'))).toBe(false);
    });

    it('counts no birthday without a birth date', () => {
      expect(figuresOf(quiet(), today)).not.toContain('birthdays');
    });
  });

  it('counts open tasks, and overdue ones due before today', () => {
    const tasks = (...dues: string[]) =>
      figuresOf(quiet({ tasks: dues.map((due, n) => openTask(`t${n}`, due)) }), today).filter(
        (figure) => figure.startsWith('tasks.'),
      );
    expect(tasks()).toEqual([]);
    expect(tasks(iso(0))).toEqual(['tasks.open']);
    expect(tasks(iso(10), iso(0))).toEqual(['tasks.open']);
    expect(tasks(iso(-1))).toEqual(['tasks.open', 'tasks.overdue']);
    expect(tasks(iso(5), iso(-30), iso(-1))).toEqual(['tasks.open', 'tasks.overdue']);
  });

  it('never names a figure twice, and names only known figures', () => {
    const busy = quiet({
      kyc: { pep: true, sanctionsHit: false, nextReviewDue: iso(-3) },
      documentExpiresOn: iso(-2),
      birthDate: '1970-12-06',
      tasks: [openTask('a', iso(-5)), openTask('b', iso(-4)), openTask('c', iso(2))],
    });
    delete busy.lastVisitOn;
    const figures = figuresOf(busy, today);
    expect(figures).toEqual([
      'segment.mass',
      'life.dormant',
      'risk.low',
      'aum.under_50k',
      'kyc.overdue',
      'documents.expired',
      'dormant',
      'birthdays',
      'tasks.open',
      'tasks.overdue',
    ]);
    expect(new Set(figures).size).toBe(figures.length);
    for (const figure of figures) expect(bookFigures).toContain(figure);
  });
});

describe('daysToBirthday', () => {
  it.each([
    ['1980-12-05', '2026-12-05', 0],
    ['1980-12-06', '2026-12-05', 1],
    ['1980-12-04', '2026-12-05', 364],
    ['1980-01-03', '2026-12-28', 6],
    ['1992-02-29', '2027-02-28', 0],
    ['1992-02-29', '2027-02-27', 1],
    ['1992-02-29', '2027-03-01', 365],
    ['1992-02-29', '2028-02-28', 1],
    ['1992-02-29', '2028-02-29', 0],
    ['1990-03-01', '2028-02-29', 1],
    ['1990-02-28', '2028-02-29', 365],
    ['1990-12-31', '2027-01-01', 364],
    ['1990-12-31', '2028-01-01', 365],
  ] as const)('from a birth date of %s on %s: %i days', (born, on, days) => {
    expect(daysToBirthday(day(born), day(on))).toBe(days);
  });

  it('is always within a year', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: toDayNumber(day('1920-01-01')), max: toDayNumber(day('2010-12-31')) }),
        fc.integer({ min: toDayNumber(day('2020-01-01')), max: toDayNumber(day('2040-12-31')) }),
        (bornDay, onDay) => {
          const days = daysToBirthday(fromDayNumber(bornDay), fromDayNumber(onDay));
          expect(days).toBeGreaterThanOrEqual(0);
          expect(days).toBeLessThanOrEqual(365);
          const birthday = addDays(fromDayNumber(onDay), days);
          const born = fromDayNumber(bornDay);
          if (born.month === 2 && born.day === 29)
            expect(
              formatIsoDate(birthday).slice(5) === '02-29' ||
                formatIsoDate(birthday).slice(5) === '02-28',
            ).toBe(true);
          else expect(formatIsoDate(birthday).slice(5)).toBe(formatIsoDate(born).slice(5));
        },
      ),
    );
  });
});

describe('summariseBook', () => {
  const book: { key: number; facts: BookFacts }[] = [
    {
      key: 3,
      facts: quiet({
        aum: 800_000,
        risk: 'medium',
        kyc: { pep: false, sanctionsHit: false, nextReviewDue: iso(-1) },
        tasks: [openTask('c1', iso(-2)), openTask('c2', iso(-9)), openTask('c3', iso(4))],
      }),
    },
    {
      key: 1,
      facts: quiet({
        documentExpiresOn: iso(10),
        birthDate: '1985-12-07',
        tasks: [openTask('a1', iso(-2)), openTask('a2', iso(4))],
      }),
    },
    {
      key: 2,
      facts: quiet({
        risk: 'high',
        kyc: { pep: true, sanctionsHit: false, nextReviewDue: iso(45) },
        lastVisitOn: iso(-200),
        tasks: [openTask('b1', iso(-2)), openTask('b2', iso(-2))],
      }),
    },
    { key: 4, facts: quiet({ aum: 6_000_000, since: iso(-30) }) },
  ];

  it('counts each customer once per figure and the total', () => {
    const summary = summariseBook(book, today);
    expect(summary.total).toBe(4);
    const expected = Object.fromEntries(bookFigures.map((figure) => [figure, 0]));
    Object.assign(expected, {
      'segment.mass': 2,
      'segment.affluent': 1,
      'segment.private_banking': 1,
      'life.new': 1,
      'life.active': 2,
      'life.dormant': 1,
      'risk.low': 2,
      'risk.medium': 1,
      'risk.high': 1,
      'aum.under_50k': 2,
      'aum.500k_6m': 1,
      'aum.6m_plus': 1,
      'kyc.overdue': 1,
      'kyc.due90': 1,
      'documents.expiring': 1,
      dormant: 1,
      birthdays: 1,
      'tasks.open': 3,
      'tasks.overdue': 3,
    });
    expect(summary.counts).toEqual(expected);
  });

  it('lists the tasks by due day, then customer key, at most taskLimit', () => {
    const summary = summariseBook(book, today);
    expect(summary.tasks.map((entry) => [entry.dueOn, entry.customerKey, entry.id])).toEqual([
      [iso(-9), 3, 'c2'],
      [iso(-2), 1, 'a1'],
      [iso(-2), 2, 'b1'],
      [iso(-2), 2, 'b2'],
      [iso(-2), 3, 'c1'],
      [iso(4), 1, 'a2'],
      [iso(4), 3, 'c3'],
    ]);
    expect(summary.tasks[0]).toEqual({
      customerKey: 3,
      id: 'c2',
      title: 'c2',
      dueOn: iso(-9),
      assignee: 'BR001-rm-01',
    });
    expect(summariseBook(book, today, 3).tasks.map((entry) => entry.id)).toEqual([
      'c2',
      'a1',
      'b1',
    ]);
    expect(summariseBook(book, today, 0).tasks).toEqual([]);
    // the limit leaves the counts whole
    expect(summariseBook(book, today, 1).counts['tasks.open']).toBe(3);
  });

  it('caps the list at 20 tasks by default', () => {
    const many = Array.from({ length: 30 }, (_, key) => ({
      key,
      facts: quiet({ tasks: [openTask(`t${key}`, iso(30 - key))] }),
    }));
    const summary = summariseBook(many, today);
    expect(summary.tasks).toHaveLength(20);
    expect(summary.tasks[0]?.customerKey).toBe(29);
    expect(summary.tasks[19]?.customerKey).toBe(10);
    expect(summary.counts['tasks.open']).toBe(30);
  });

  it('summarises an empty book, and reads any iterable once', () => {
    const empty = summariseBook([], today);
    expect(empty.total).toBe(0);
    expect(Object.values(empty.counts).every((count) => count === 0)).toBe(true);
    expect(Object.keys(empty.counts).sort()).toEqual([...bookFigures].sort());
    expect(empty.tasks).toEqual([]);

    function* stream() {
      yield* book;
    }
    expect(summariseBook(stream(), today)).toEqual(summariseBook(book, today));
  });

  it('summarises the generated book as figuresOf counts it', () => {
    const on = day('2026-07-01');
    const entries = generated.map((customer, key) => ({ key, facts: bookFacts(customer) }));
    const summary = summariseBook(entries, on, 1000);
    expect(summary.total).toBe(generated.length);
    for (const figure of bookFigures)
      expect(summary.counts[figure]).toBe(
        entries.filter((entry) => figuresOf(entry.facts, on).includes(figure)).length,
      );
    expect(summary.tasks).toHaveLength(
      generated.reduce(
        (sum, customer) => sum + customer.tasks.filter((entry) => entry.status === 'open').length,
        0,
      ),
    );
  });
});

describe('figureDay', () => {
  const facts = quiet({
    kyc: { pep: false, sanctionsHit: false, nextReviewDue: '2027-01-15' },
    documentExpiresOn: '2027-02-01',
    lastVisitOn: '2026-05-01',
    birthDate: '1988-12-20',
    tasks: [openTask('x', '2026-12-09'), openTask('y', '2026-11-30'), openTask('z', '2027-01-01')],
  });

  it.each([
    ['kyc.overdue', '2027-01-15'],
    ['kyc.due30', '2027-01-15'],
    ['kyc.due90', '2027-01-15'],
    ['documents.expired', '2027-02-01'],
    ['documents.expiring', '2027-02-01'],
    ['dormant', '2026-05-01'],
    ['birthdays', '2026-12-20'],
    ['tasks.open', '2026-11-30'],
    ['tasks.overdue', '2026-11-30'],
    ['segment.mass', '2027-01-15'],
    ['risk.low', '2027-01-15'],
  ] as const)('sorts %s by %s', (figure, expected) => {
    expect(figureDay(figure, facts, today)).toBe(expected);
  });

  it('sorts what is missing as documented', () => {
    const bare = quiet({ kyc: { pep: false, sanctionsHit: false, nextReviewDue: '2027-01-15' } });
    delete bare.lastVisitOn;
    expect(figureDay('documents.expiring', bare, today)).toBeUndefined();
    expect(figureDay('birthdays', bare, today)).toBeUndefined();
    expect(figureDay('tasks.open', bare, today)).toBeUndefined();
    // never visited: first in the dormant list
    expect(figureDay('dormant', bare, today)).toBe('0000-00-00');
  });

  it('gives the next birthday, across the year end and on 28 February', () => {
    expect(figureDay('birthdays', quiet({ birthDate: '1990-01-03' }), day('2026-12-28'))).toBe(
      '2027-01-03',
    );
    expect(figureDay('birthdays', quiet({ birthDate: '1992-02-29' }), day('2027-02-25'))).toBe(
      '2027-02-28',
    );
    expect(figureDay('birthdays', quiet({ birthDate: '1992-02-29' }), day('2028-02-25'))).toBe(
      '2028-02-29',
    );
    expect(figureDay('birthdays', quiet({ birthDate: '1988-12-05' }), today)).toBe('2026-12-05');
  });
});

describe('bookColumns and figureWindow agree with figuresOf', () => {
  /** figuresOf's date figures, recomputed from the columns and the window as a query would. */
  function byColumns(
    facts: BookFacts,
    on: CalendarDate,
    rules: SegmentRuleTable = defaultSegmentRules,
  ): BookFigure[] {
    const columns = bookColumns(facts);
    const window = figureWindow(on, rules);
    // As electron/core/insight/book.ts asks: NULL compares as false.
    const isNew = columns.since !== null && columns.since >= window.newSince;
    const atRisk =
      (columns.lastClosedOn !== null && columns.lastClosedOn >= window.closedSince) ||
      (columns.maturesOn !== null &&
        columns.maturesOn < window.today &&
        columns.maturesOn >= window.maturedSince);
    const unmet = columns.lastVisitOn === null || columns.lastVisitOn < window.unmetBefore;
    const figures: BookFigure[] = [
      columns.aum >= window.privateBankingFrom
        ? 'segment.private_banking'
        : columns.aum >= window.affluentFrom
          ? 'segment.affluent'
          : 'segment.mass',
      isNew ? 'life.new' : atRisk ? 'life.at_risk' : unmet ? 'life.dormant' : 'life.active',
      `risk.${columns.risk}`,
      `aum.${columns.aumBand}`,
    ];
    if (
      columns.maturesOn !== null &&
      columns.maturesOn >= window.today &&
      columns.maturesOn <= window.maturityNotice
    )
      figures.push('deposits.maturing30');
    if (columns.kycDue < window.today) figures.push('kyc.overdue');
    else if (columns.kycDue <= window.kycDue30) figures.push('kyc.due30');
    else if (columns.kycDue <= window.kycDue90) figures.push('kyc.due90');
    if (columns.documentExpiresOn !== null) {
      if (columns.documentExpiresOn < window.today) figures.push('documents.expired');
      else if (columns.documentExpiresOn <= window.documentNotice)
        figures.push('documents.expiring');
    }
    if (columns.lastVisitOn === null || columns.lastVisitOn < window.dormantBefore)
      figures.push('dormant');
    if (columns.birthMonthDay !== null && window.birthdays.includes(columns.birthMonthDay))
      figures.push('birthdays');
    if (columns.taskDue !== null) figures.push('tasks.open');
    if (columns.taskDue !== null && columns.taskDue < window.today) figures.push('tasks.overdue');
    return figures;
  }

  it('for random customers and days', () => {
    const start = toDayNumber(day('2027-01-01'));
    const isoDay = (offset: number) => formatIsoDate(fromDayNumber(start + offset));
    fc.assert(
      fc.property(
        fc.integer({ min: -400, max: 1500 }),
        fc.integer({ min: -200, max: 200 }),
        fc.option(fc.integer({ min: -200, max: 200 }), { nil: undefined }),
        fc.option(fc.integer({ min: -400, max: 10 }), { nil: undefined }),
        fc.option(fc.integer({ min: -30000, max: -6000 }), { nil: undefined }),
        fc.array(fc.integer({ min: -20, max: 20 }), { maxLength: 3 }),
        fc.record({
          aum: fc.option(fc.integer({ min: 0, max: 9_000_000 }), { nil: undefined }),
          since: fc.option(fc.integer({ min: -400, max: 0 }), { nil: undefined }),
          closed: fc.option(fc.integer({ min: -200, max: 0 }), { nil: undefined }),
          matures: fc.option(fc.integer({ min: -60, max: 60 }), { nil: undefined }),
          rules: fc.option(
            fc.record({
              affluentFrom: fc.integer({ min: 1, max: 1_000_000 }),
              privateStep: fc.integer({ min: 1, max: 8_000_000 }),
              newWithinDays: fc.integer({ min: 1, max: 365 }),
              accountClosedWithinDays: fc.integer({ min: 1, max: 365 }),
              depositMaturedWithinDays: fc.integer({ min: 1, max: 90 }),
              dormantAfterDays: fc.integer({ min: 1, max: 400 }),
            }),
            { nil: undefined },
          ),
        }),
        (onOffset, kycOffset, documentOffset, visitOffset, bornOffset, taskOffsets, money) => {
          const on = fromDayNumber(start + onOffset);
          const rules: SegmentRuleTable = money.rules
            ? segmentRuleTableSchema.parse({
                version: 'random',
                wealth: {
                  affluentFrom: money.rules.affluentFrom,
                  privateBankingFrom: money.rules.affluentFrom + money.rules.privateStep,
                },
                lifeCycle: {
                  newWithinDays: money.rules.newWithinDays,
                  atRisk: {
                    accountClosedWithinDays: money.rules.accountClosedWithinDays,
                    depositMaturedWithinDays: money.rules.depositMaturedWithinDays,
                  },
                  dormantAfterDays: money.rules.dormantAfterDays,
                },
              })
            : defaultSegmentRules;
          const facts: BookFacts = {
            ...quiet({
              kyc: { pep: false, sanctionsHit: false, nextReviewDue: isoDay(onOffset + kycOffset) },
              tasks: taskOffsets.map((offset, n) => openTask(`t${n}`, isoDay(onOffset + offset))),
            }),
            ...(documentOffset === undefined
              ? {}
              : { documentExpiresOn: isoDay(onOffset + documentOffset) }),
            ...(bornOffset === undefined ? {} : { birthDate: isoDay(onOffset + bornOffset) }),
            ...(money.aum === undefined ? {} : { aum: money.aum }),
            ...(money.since === undefined ? {} : { since: isoDay(onOffset + money.since) }),
            ...(money.closed === undefined
              ? {}
              : { lastClosedOn: isoDay(onOffset + money.closed) }),
            ...(money.matures === undefined ? {} : { maturesOn: isoDay(onOffset + money.matures) }),
          };
          if (visitOffset === undefined) delete facts.lastVisitOn;
          else facts.lastVisitOn = isoDay(onOffset + visitOffset);
          expect(byColumns(facts, on, rules)).toEqual(figuresOf(facts, on, rules));
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('around 29 February', () => {
    for (const born of ['1992-02-29', '1990-02-28', '1990-03-01'])
      for (const on of ['2027-02-21', '2027-02-22', '2027-02-28', '2028-02-22', '2028-02-23'])
        expect(byColumns(quiet({ birthDate: born }), day(on))).toEqual(
          figuresOf(quiet({ birthDate: born }), day(on)),
        );
  });
});

describe('assets and maturing deposits', () => {
  it('bands assets at 50k, 500k and 6m yuan', () => {
    expect([0, 49_999, 50_000, 499_999, 500_000, 5_999_999, 6_000_000].map(aumBandOf)).toEqual([
      'under_50k',
      'under_50k',
      '50k_500k',
      '50k_500k',
      '500k_6m',
      '500k_6m',
      '6m_plus',
    ]);
  });

  it('sums the balances of accounts not closed, and takes the earliest maturity of those', () => {
    const person = firstOf('individual');
    person.accounts = [
      {
        product: '活期储蓄',
        maskedNumber: '6228 **** **** 0001',
        status: 'active',
        openedOn: '2020-01-01',
        balance: 30_000,
      },
      {
        product: '定期存款',
        maskedNumber: '6013 **** **** 0002',
        status: 'dormant',
        openedOn: '2020-01-01',
        balance: 40_000,
        maturesOn: '2026-12-20',
      },
      {
        product: '定期存款',
        maskedNumber: '6013 **** **** 0003',
        status: 'closed',
        openedOn: '2020-01-01',
        closedOn: '2024-01-01',
        balance: 9_000_000,
        maturesOn: '2026-12-06',
      },
      {
        product: '信用卡',
        maskedNumber: '6259 **** **** 0004',
        status: 'active',
        openedOn: '2020-01-01',
      },
    ];
    const facts = bookFacts(person);
    expect(facts.aum).toBe(70_000);
    expect(facts.maturesOn).toBe('2026-12-20');
    expect(figuresOf(facts, today)).toContain('aum.50k_500k');
  });

  it.each([
    [-1, false],
    [0, true],
    [30, true],
    [31, false],
  ])('counts a deposit maturing in %i days: %s', (days, counted) => {
    const facts = { ...quiet(), maturesOn: iso(days) };
    expect(figuresOf(facts, today).includes('deposits.maturing30')).toBe(counted);
  });
});
