// Restriction of processing (限制处理, PIPL Art. 47): HQ marks a customer's record, and the mark
// travels to every device that holds them like any change HQ makes. While it stands the data is
// only kept: masked for every role with no reveal, no edit but a withdrawal of consent, out of
// marketing and out of analysts' extracts. Lifting it is a change like any other.
import type { Restriction } from '../../shared/customer';
import type { Database } from '../db/database';
import { editAtHq } from '../mutations';

/** Restricts the customer's data from now; a restriction already there is replaced. */
export function restrictCustomer(
  db: Database,
  customerId: string,
  restriction: Omit<Restriction, 'since'>,
  actor: string,
): Promise<{ version: number }> {
  const since = new Date().toISOString();
  return editAtHq(db, customerId, { restriction: { since, ...restriction } }, actor);
}

/** Lifts the restriction (the hold ended, or it was placed in error). */
export function liftRestriction(
  db: Database,
  customerId: string,
  actor: string,
): Promise<{ version: number }> {
  return editAtHq(db, customerId, { restriction: undefined }, actor);
}
