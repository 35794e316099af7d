// The relationship manager's book (工作台): the figures of the portfolio home and the list behind
// each. They are computed on the device from a compact digest of each customer (`BookFacts`),
// which the vault keeps beside the record and rewrites with it, so the home reads a few hundred
// bytes a customer instead of unpacking whole records. The same functions serve a supervisor's
// whole branch and an RM's own customers.
import { z } from 'zod';
import { confirmedOn, recordOnlyFlags } from '../quality/rules';
import type { Customer, Segment } from '../customer/customer';
import { segments } from '../customer/customer';
import type { RiskRating } from '../customer/records';
import { riskRatings } from '../customer/records';
import {
  addDays,
  compareDates,
  daysBetween,
  formatIsoDate,
  parseIsoDate,
  type CalendarDate,
} from '../validation/dates';
import { bankDay } from './day';
import { effectiveKyc } from './review';
import type { RatedCustomer } from './risk';
import {
  defaultSegmentRules,
  lifeCycleStages,
  lifeCycleWindow,
  segmentOf,
  type LifeCycleWindow,
  type SegmentFacts,
  type SegmentRuleTable,
} from './segment';
import { earliestComplaintDue } from '../counter/complaints';

/** No visit recorded for this many days: dormant (休眠客户). */
export const DORMANT_DAYS = 180;
/** Documents expiring within this many days are asked for again. */
export const DOCUMENT_EXPIRY_NOTICE_DAYS = 90;
/** How far ahead the birthdays of "this week" look, today included. */
export const BIRTHDAY_DAYS = 7;

export { BANK_UTC_OFFSET_MINUTES, bankDay } from './day';

/** Assets under management (the balances of accounts not closed) by band, in yuan. */
export const aumBands = ['under_50k', '50k_500k', '500k_6m', '6m_plus'] as const;
export type AumBand = (typeof aumBands)[number];

export function aumBandOf(aum: number): AumBand {
  if (aum < 50_000) return 'under_50k';
  if (aum < 500_000) return '50k_500k';
  if (aum < 6_000_000) return '500k_6m';
  return '6m_plus';
}

/** Deposits maturing within this many days, today included. */
export const MATURITY_NOTICE_DAYS = 30;

/** What the home reads of one customer. Dates are ISO days; absent means there is none. */
export interface BookFacts extends RatedCustomer, SegmentFacts {
  /** The RM the customer is assigned to. */
  rm?: string;
  /** The segment HQ recorded (HQ applies the segment rules to it; the home computes its own). */
  segment: Segment;
  /** The rating HQ holds (kyc.riskRating). */
  risk: RiskRating;
  /** A person's birth date. */
  birthDate?: string;
  /** The earliest expiry among the identity documents. */
  documentExpiresOn?: string;
  /** The day of the latest visit. */
  lastVisitOn?: string;
  /** Open tasks and follow-ups. */
  tasks: { id: string; title: string; dueOn: string; assignee: string }[];
  restricted?: true;
  /** The sum of the balances of accounts not closed, in yuan (absent: none known). */
  aum?: number;
  /** The earliest maturity of a deposit not closed. */
  maturesOn?: string;
  /** The day the first account was opened (closed ones too): when the relationship began. */
  since?: string;
  /** The latest day an account was closed. */
  lastClosedOn?: string;
  /** The earliest due date of an open complaint or suggestion (9999-12-31: open, none due). */
  complaintDue?: string;
  /** The record-only data quality rules it fails, as bits (shared/quality/rules.ts). */
  qualityFlags?: number;
  /** The last day its contact details were confirmed (a change or a visit). */
  confirmedOn?: string;
}

/** The facts of `customer`, as the vault stores them (JSON) beside its record. */
export function bookFacts(customer: Customer): BookFacts {
  let documentExpiresOn: string | undefined;
  for (const document of customer.identityDocuments) {
    const expires = document.expiresOn;
    if (expires && (documentExpiresOn === undefined || expires < documentExpiresOn))
      documentExpiresOn = expires;
  }
  let lastVisitOn: string | undefined;
  for (const visit of customer.visits) {
    const day = bankDay(visit.at);
    if (lastVisitOn === undefined || day > lastVisitOn) lastVisitOn = day;
  }
  const visitKinds = [...new Set(customer.visits.map((visit) => visit.kind))];
  let aum: number | undefined;
  let maturesOn: string | undefined;
  let since: string | undefined;
  let lastClosedOn: string | undefined;
  for (const account of customer.accounts) {
    if (since === undefined || account.openedOn < since) since = account.openedOn;
    if (account.closedOn && (lastClosedOn === undefined || account.closedOn > lastClosedOn))
      lastClosedOn = account.closedOn;
    if (account.status === 'closed') continue;
    if (account.balance !== undefined) aum = (aum ?? 0) + account.balance;
    if (account.maturesOn && (maturesOn === undefined || account.maturesOn < maturesOn))
      maturesOn = account.maturesOn;
  }
  // A review recorded here counts at once, before HQ writes it into kyc (review.ts).
  const kyc = effectiveKyc(customer);
  const complaintDue = earliestComplaintDue(customer.complaints, customer.complaintSteps);
  const qualityFlags = recordOnlyFlags(customer);
  return {
    kind: customer.kind,
    ...(customer.assignedRmId ? { rm: customer.assignedRmId } : {}),
    segment: customer.segment,
    risk: kyc.riskRating,
    kyc: {
      pep: kyc.pep,
      sanctionsHit: kyc.sanctionsHit,
      nextReviewDue: kyc.nextReviewDue,
      ...(kyc.lastReviewedOn ? { lastReviewedOn: kyc.lastReviewedOn } : {}),
    },
    accounts: customer.accounts.map((account) => ({ status: account.status })),
    visits: visitKinds.map((kind) => ({ kind })),
    preferredChannel: customer.preferredChannel,
    ...(customer.kind === 'individual'
      ? {
          birthDate: customer.birthDate,
          nationality: customer.nationality,
          ...(customer.occupation ? { occupation: customer.occupation } : {}),
        }
      : {}),
    ...(documentExpiresOn ? { documentExpiresOn } : {}),
    ...(lastVisitOn ? { lastVisitOn } : {}),
    tasks: customer.tasks
      .filter((task) => task.status === 'open')
      .map(({ id, title, dueOn, assignee }) => ({ id, title, dueOn, assignee })),
    ...(customer.restriction ? { restricted: true as const } : {}),
    ...(aum !== undefined ? { aum } : {}),
    ...(maturesOn ? { maturesOn } : {}),
    ...(since ? { since } : {}),
    ...(lastClosedOn ? { lastClosedOn } : {}),
    ...(complaintDue ? { complaintDue } : {}),
    ...(qualityFlags ? { qualityFlags } : {}),
    confirmedOn: confirmedOn(customer),
  };
}

/**
 * The columns the vault keeps beside the facts, one per question the home asks, so that SQLite
 * counts a branch from a narrow covering index instead of JSON (vault migration 19). Each is the
 * value `figuresOf` reads, as text that sorts as it compares.
 */
export interface BookColumns {
  rm: string | null;
  segment: Segment;
  risk: RiskRating;
  kycDue: string;
  documentExpiresOn: string | null;
  lastVisitOn: string | null;
  /** `MM-DD` of a person's birth date. */
  birthMonthDay: string | null;
  /** The earliest due date of an open task. */
  taskDue: string | null;
  aumBand: AumBand;
  maturesOn: string | null;
  /** Whole yuan (0 when none is known): compared with the segment rules' thresholds. */
  aum: number;
  since: string | null;
  lastClosedOn: string | null;
  /** Open complaints: the earliest due date; null when none is open (the complaint list's index). */
  complaintDue: string | null;
  /** Data quality: the record-only rules failed, as bits; the last confirmation of contacts. */
  qualityFlags: number;
  confirmedOn: string | null;
}

export function bookColumns(facts: BookFacts): BookColumns {
  return {
    rm: facts.rm ?? null,
    segment: facts.segment,
    risk: facts.risk,
    kycDue: facts.kyc.nextReviewDue,
    documentExpiresOn: facts.documentExpiresOn ?? null,
    lastVisitOn: facts.lastVisitOn ?? null,
    birthMonthDay: facts.birthDate ? facts.birthDate.slice(5, 10) : null,
    taskDue: facts.tasks.reduce<string | null>(
      (soonest, task) => (soonest === null || task.dueOn < soonest ? task.dueOn : soonest),
      null,
    ),
    aumBand: aumBandOf(facts.aum ?? 0),
    maturesOn: facts.maturesOn ?? null,
    aum: facts.aum ?? 0,
    since: facts.since ?? null,
    lastClosedOn: facts.lastClosedOn ?? null,
    complaintDue: facts.complaintDue ?? null,
    qualityFlags: facts.qualityFlags ?? 0,
    confirmedOn: facts.confirmedOn ?? null,
  };
}

/**
 * The days that bound each figure on `today`, as ISO text: what `figuresOf` computes for one
 * customer, turned into limits a query compares the columns with. `birthdays` holds the `MM-DD`
 * of each day of the week ahead, and 02-29 when 28 February of a common year is among them.
 */
export interface FigureWindow extends LifeCycleWindow {
  today: string;
  /** The segment rules' thresholds, yuan. */
  affluentFrom: number;
  privateBankingFrom: number;
  kycDue30: string;
  kycDue90: string;
  documentNotice: string;
  maturityNotice: string;
  dormantBefore: string;
  birthdays: string[];
}

export function figureWindow(
  today: CalendarDate,
  rules: SegmentRuleTable = defaultSegmentRules,
): FigureWindow {
  const iso = (days: number) => formatIsoDate(addDays(today, days));
  const birthdays: string[] = [];
  for (let day = 0; day < BIRTHDAY_DAYS; day++) {
    const date = addDays(today, day);
    const monthDay = formatIsoDate(date).slice(5);
    birthdays.push(monthDay);
    if (monthDay === '02-28' && !isLeap(date.year)) birthdays.push('02-29');
  }
  return {
    ...lifeCycleWindow(rules, today),
    affluentFrom: rules.wealth.affluentFrom,
    privateBankingFrom: rules.wealth.privateBankingFrom,
    today: iso(0),
    kycDue30: iso(30),
    kycDue90: iso(90),
    documentNotice: iso(DOCUMENT_EXPIRY_NOTICE_DAYS),
    maturityNotice: iso(MATURITY_NOTICE_DAYS),
    dormantBefore: iso(-DORMANT_DAYS),
    birthdays,
  };
}

/** Every figure of the home; each names the list behind it. */
export const bookFigures = [
  ...segments.map((segment) => `segment.${segment}` as const),
  ...lifeCycleStages.map((stage) => `life.${stage}` as const),
  ...riskRatings.map((risk) => `risk.${risk}` as const),
  ...aumBands.map((band) => `aum.${band}` as const),
  'deposits.maturing30',
  'kyc.overdue',
  'kyc.due30',
  'kyc.due90',
  'documents.expired',
  'documents.expiring',
  'dormant',
  'birthdays',
  'tasks.open',
  'tasks.overdue',
] as const;
export const BookFigure = z.enum(bookFigures);
export type BookFigure = z.infer<typeof BookFigure>;

/**
 * The figures one customer counts in on `today`; the segment and life-cycle stage by `rules`
 * (HQ's segment table in force).
 */
export function figuresOf(
  facts: BookFacts,
  today: CalendarDate,
  rules: SegmentRuleTable = defaultSegmentRules,
): BookFigure[] {
  const segmented = segmentOf(facts, rules, today);
  const figures: BookFigure[] = [
    `segment.${segmented.segment}`,
    `life.${segmented.lifeCycle}`,
    `risk.${facts.risk}`,
    `aum.${aumBandOf(facts.aum ?? 0)}`,
  ];
  const matures = facts.maturesOn ? parseIsoDate(facts.maturesOn) : undefined;
  if (matures) {
    const days = daysBetween(today, matures);
    if (days >= 0 && days <= MATURITY_NOTICE_DAYS) figures.push('deposits.maturing30');
  }
  const due = parseIsoDate(facts.kyc.nextReviewDue);
  if (due) {
    const days = daysBetween(today, due);
    if (days < 0) figures.push('kyc.overdue');
    else if (days <= 30) figures.push('kyc.due30');
    else if (days <= 90) figures.push('kyc.due90');
  }
  const expires = facts.documentExpiresOn ? parseIsoDate(facts.documentExpiresOn) : undefined;
  if (expires) {
    const days = daysBetween(today, expires);
    if (days < 0) figures.push('documents.expired');
    else if (days <= DOCUMENT_EXPIRY_NOTICE_DAYS) figures.push('documents.expiring');
  }
  const visited = facts.lastVisitOn ? parseIsoDate(facts.lastVisitOn) : undefined;
  if (!visited || daysBetween(visited, today) > DORMANT_DAYS) figures.push('dormant');
  const born = facts.birthDate ? parseIsoDate(facts.birthDate) : undefined;
  if (born && daysToBirthday(born, today) < BIRTHDAY_DAYS) figures.push('birthdays');
  if (facts.tasks.length > 0) figures.push('tasks.open');
  if (facts.tasks.some((task) => task.dueOn < formatIsoDate(today))) figures.push('tasks.overdue');
  return figures;
}

/** Days from `today` to the next birthday (0 on the day; 29 February kept on 28 February). */
export function daysToBirthday(born: CalendarDate, today: CalendarDate): number {
  for (const year of [today.year, today.year + 1]) {
    const leapless = born.month === 2 && born.day === 29 && !isLeap(year);
    const birthday = { year, month: born.month, day: leapless ? 28 : born.day };
    if (compareDates(birthday, today) >= 0) return daysBetween(today, birthday);
  }
  return 366;
}

/**
 * The day of the next birthday on or after `today` of someone born on `monthDay` (`MM-DD`, as the
 * book's column keeps it); 29 February on the 28th in a common year.
 */
export function nextBirthday(monthDay: string, today: CalendarDate): string | undefined {
  // 2000 was a leap year: any real month and day is a date in it.
  const born = parseIsoDate(`2000-${monthDay}`);
  return born ? formatIsoDate(addDays(today, daysToBirthday(born, today))) : undefined;
}

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** An open task, with whose customer it is, for the home's list of what is due. */
export interface BookTask {
  customerKey: number;
  id: string;
  title: string;
  dueOn: string;
  assignee: string;
}

/** The home's figures. */
export interface BookSummary {
  /** Customers in the book. */
  total: number;
  counts: Record<BookFigure, number>;
  /** The open tasks due soonest (overdue first), at most `taskLimit`. */
  tasks: BookTask[];
}

/** Counts every figure over `book` on `today`. */
export function summariseBook(
  book: Iterable<{ key: number; facts: BookFacts }>,
  today: CalendarDate,
  taskLimit = 20,
  rules: SegmentRuleTable = defaultSegmentRules,
): BookSummary {
  const counts = Object.fromEntries(bookFigures.map((figure) => [figure, 0])) as Record<
    BookFigure,
    number
  >;
  let total = 0;
  const tasks: BookTask[] = [];
  for (const { key, facts } of book) {
    total++;
    for (const figure of figuresOf(facts, today, rules)) counts[figure]++;
    for (const task of facts.tasks) tasks.push({ customerKey: key, ...task });
  }
  tasks.sort((a, b) =>
    a.dueOn < b.dueOn ? -1 : a.dueOn > b.dueOn ? 1 : a.customerKey - b.customerKey,
  );
  return { total, counts, tasks: tasks.slice(0, taskLimit) };
}

/** The day `figure`'s list is sorted by first, for each customer (undefined sorts last). */
export function figureDay(
  figure: BookFigure,
  facts: BookFacts,
  today: CalendarDate,
): string | undefined {
  switch (figure) {
    case 'kyc.overdue':
    case 'kyc.due30':
    case 'kyc.due90':
      return facts.kyc.nextReviewDue;
    case 'documents.expired':
    case 'documents.expiring':
      return facts.documentExpiresOn;
    case 'dormant':
      return facts.lastVisitOn ?? '0000-00-00';
    case 'birthdays':
      return facts.birthDate ? nextBirthday(facts.birthDate.slice(5, 10), today) : undefined;
    case 'deposits.maturing30':
      return facts.maturesOn;
    case 'life.new':
      return facts.since;
    case 'life.dormant':
      return facts.lastVisitOn ?? '0000-00-00';
    case 'tasks.open':
    case 'tasks.overdue':
      return facts.tasks.reduce<string | undefined>(
        (soonest, task) => (soonest === undefined || task.dueOn < soonest ? task.dueOn : soonest),
        undefined,
      );
    default:
      return facts.kyc.nextReviewDue;
  }
}
