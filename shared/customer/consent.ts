// The consent ledger read as it stands today: per purpose, the latest event decides, and a grant
// that has lapsed no longer counts. One reading for every place that obeys consent (the desk's
// panel, selections for marketing), so they cannot disagree.
import type { Consent, ConsentPurpose, Restriction } from './records';

/** A purpose's state today. `expired`: granted, but the grant has lapsed. */
export type ConsentStanding = 'granted' | 'withdrawn' | 'expired';

export interface PurposeConsent {
  purpose: string;
  standing: ConsentStanding;
  /** The event that decides: the latest for the purpose. */
  event: Consent;
}

function instantOf(event: Consent): number {
  return Date.parse(event.at);
}

/**
 * True when `a` comes after `b` in the ledger: the later time; at the same instant a withdrawal
 * (the customer's will not to be processed must not lose to a tie); then the event id, so every
 * device reads the same history the same way whatever order its events arrived in.
 */
function isLater(a: Consent, b: Consent): boolean {
  const difference = instantOf(a) - instantOf(b);
  if (difference !== 0) return difference > 0;
  if (a.state !== b.state) return a.state === 'withdrawn';
  return (a.id ?? '') > (b.id ?? '');
}

/** The standing of the deciding event on `today` (an ISO date, the branch's calendar day). */
function standingOf(event: Consent, today: string): ConsentStanding {
  if (event.state === 'withdrawn') return 'withdrawn';
  return event.expiresOn !== undefined && event.expiresOn <= today ? 'expired' : 'granted';
}

/** Every purpose the ledger has an event for, with its standing on `today`. */
export function currentConsents(
  consents: readonly Consent[],
  today: string,
): Map<string, PurposeConsent> {
  const latest = new Map<string, Consent>();
  for (const event of consents) {
    const known = latest.get(event.purpose);
    if (known === undefined || isLater(event, known)) latest.set(event.purpose, event);
  }
  const current = new Map<string, PurposeConsent>();
  for (const [purpose, event] of latest)
    current.set(purpose, { purpose, standing: standingOf(event, today), event });
  return current;
}

/** True when the customer's consent for `purpose` stands on `today`: granted and not lapsed. */
export function hasConsent(
  customer: { consents: readonly Consent[] },
  purpose: ConsentPurpose,
  today: string,
): boolean {
  return currentConsents(customer.consents, today).get(purpose)?.standing === 'granted';
}

/** The channels marketing reaches customers by, each with the consent it needs. */
export const marketingConsentOf = {
  sms: 'marketing_sms',
  phone: 'marketing_phone',
  email: 'marketing_email',
} as const satisfies Record<string, ConsentPurpose>;
export type MarketingChannel = keyof typeof marketingConsentOf;

/**
 * The customers marketing may contact by `channel` on `today`: only those whose consent for it
 * stands (PIPL Art. 13–15) and whose data is not restricted (Art. 47). Everything that selects
 * customers for a campaign goes through here.
 */
export function marketingAudience<
  T extends { consents: readonly Consent[]; restriction?: Restriction | undefined },
>(customers: Iterable<T>, channel: MarketingChannel, today: string): T[] {
  const purpose = marketingConsentOf[channel];
  const audience: T[] = [];
  for (const customer of customers)
    if (customer.restriction === undefined && hasConsent(customer, purpose, today))
      audience.push(customer);
  return audience;
}

/** The calendar day (`YYYY-MM-DD`) of an instant on this machine's clock: the branch's today. */
export function localDay(at: number): string {
  const date = new Date(at);
  const month = String(date.getMonth() + 1).padStart(2, '0');
  const day = String(date.getDate()).padStart(2, '0');
  return `${date.getFullYear()}-${month}-${day}`;
}
