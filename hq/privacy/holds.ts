// What keeps a customer's data (PIPL Art. 47: erasure "unless laws or administrative regulations
// require retention"): an account still open, the AML retention period, a legal hold. One pure
// reading, so the request, the retention job and their tests agree on it.
//
// The retention period: the Anti-Money-Laundering Law (revised, in force from 2025-01-01, Art.
// 40) has customer identification data and transaction records kept for at least ten years after
// the business relationship ends. The relationship ends on the day its last account closed or
// the customer's last recorded visit, whichever is later; while an account is open it has not
// ended. A customer with no account and no visit had no relationship to keep records of.
import type { AccountSummary, Visit } from '../../shared/customer';
import type { ErasureHold } from '../../shared/protocol/privacy';

export interface HoldFacts {
  accounts?: readonly Pick<AccountSummary, 'status' | 'closedOn'>[] | undefined;
  visits?: readonly Pick<Visit, 'at'>[] | undefined;
  /** Legal holds not released. */
  legalHolds: readonly { id: string; reference: string; placedAt: string }[];
}

/** `day` plus whole years (29 February becomes 28 February in a common year). */
export function addYears(day: string, years: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const year = y + years;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const last = m === 2 && d === 29 && !leap ? 28 : d;
  return `${String(year).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(last).padStart(2, '0')}`;
}

/**
 * The day the relationship ended: the last closing day or visit, whichever is later. `open`
 * while an account is not closed; `unknown` when a closed account has no closing day; null when
 * there was never an account or a visit.
 */
export function relationshipEnd(facts: HoldFacts): string | 'open' | 'unknown' | null {
  const accounts = facts.accounts ?? [];
  if (accounts.some((account) => account.status !== 'closed')) return 'open';
  if (accounts.some((account) => account.closedOn === undefined)) return 'unknown';
  const days = [
    ...accounts.map((account) => account.closedOn as string),
    // A visit's instant, as the branch's calendar day (the time carries its offset).
    ...(facts.visits ?? []).map((visit) => visit.at.slice(0, 10)),
  ];
  if (days.length === 0) return null;
  return days.reduce((latest, day) => (day > latest ? day : latest));
}

/** Every hold on the customer's data on `today` (YYYY-MM-DD); none: it may be erased. */
export function holdsOn(facts: HoldFacts, today: string, years: number): ErasureHold[] {
  const holds: ErasureHold[] = [];
  const end = relationshipEnd(facts);
  if (end === 'open') {
    const open = (facts.accounts ?? []).filter((account) => account.status !== 'closed').length;
    holds.push({ kind: 'active_product', accounts: open });
  } else if (end === 'unknown') {
    holds.push({ kind: 'aml_retention', until: null });
  } else if (end !== null) {
    const until = addYears(end, years);
    if (until > today) holds.push({ kind: 'aml_retention', until });
  }
  for (const hold of facts.legalHolds)
    holds.push({
      kind: 'legal_hold',
      holdId: hold.id,
      reference: hold.reference,
      since: hold.placedAt,
    });
  return holds;
}
