// What a customer created at a branch holds in the fields HQ owns (hqOwnedFields): its own branch
// as home, no relationship manager, no accounts, the mass segment, and a KYC that HQ has yet to do. The device fills
// them in and HQ checks them, with the same two functions, so a branch can never open a customer
// already verified, rated, assigned or holding accounts.
import { addDays, addYears, compareDates, formatIsoDate, parseIsoDate } from '../validation';
import type { CalendarDate } from '../validation';
import { commandOnlyFields, hqOwnedFields, type CustomerEditableField } from './field-policies';
import type { Kyc } from './records';

/**
 * The KYC of a new customer: pending until HQ's KYC team reviews it, due within the year. The
 * risk rating is the schema's placeholder until that review; `pending` says it is not HQ's word.
 */
export function initialKyc(today: CalendarDate): Kyc {
  return {
    status: 'pending',
    nextReviewDue: formatIsoDate(addYears(today, 1)),
    riskRating: 'low',
    pep: false,
    sanctionsHit: false,
  };
}

/**
 * The HQ-owned fields of a customer created today at `branchId`: without accounts, in the mass
 * segment until HQ applies its segment rules to what the customer comes to hold.
 */
export function newCustomerHqFields(branchId: string, today: CalendarDate) {
  return { homeBranchId: branchId, accounts: [], kyc: initialKyc(today), segment: 'mass' as const };
}

/**
 * The HQ-owned fields a new customer from `branchId` holds other than as newCustomerHqFields
 * would set them (empty when none). HQ judges by its own day: a review date up to two days later
 * than its own year from today is the branch's calendar or clock, not a choice (a PC clock may be
 * 36 hours off); anything later, or any other difference, is the branch setting what HQ owns.
 * Also any entry of a list only its own command adds (commandOnlyFields), which a creation would
 * slip past that command's checks.
 */
export function hqOwnedFieldsSetAtCreate(
  customer: Record<string, unknown>,
  branchId: string,
  today: CalendarDate,
): CustomerEditableField[] {
  const expected: Record<string, unknown> = newCustomerHqFields(branchId, today);
  const owned = hqOwnedFields.filter((field) => {
    const value = customer[field];
    if (field === 'kyc') return !isInitialKyc(value, today);
    if (field === 'accounts') return !(Array.isArray(value) && value.length === 0);
    return value !== expected[field];
  });
  // Nor what only its own command adds, after its checks (a review, a proposal…): none yet.
  const entries = commandOnlyFields.filter(
    (field) =>
      customer[field] !== undefined &&
      !(Array.isArray(customer[field]) && customer[field].length === 0),
  );
  return [...owned, ...entries];
}

function isInitialKyc(value: unknown, today: CalendarDate): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const { nextReviewDue, ...rest } = value as Record<string, unknown>;
  const { nextReviewDue: _due, ...expected } = initialKyc(today);
  const due = typeof nextReviewDue === 'string' ? parseIsoDate(nextReviewDue) : undefined;
  const latest = addDays(addYears(today, 1), 2);
  const keys = Object.keys(rest);
  return (
    due !== undefined &&
    compareDates(due, latest) <= 0 &&
    keys.length === Object.keys(expected).length &&
    keys.every((key) => rest[key] === expected[key as keyof typeof expected])
  );
}
