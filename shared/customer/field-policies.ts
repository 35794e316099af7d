// Which side owns each editable field of a customer, for sync and merge. This table is the one
// place that says so: the type below fails to compile when a schema field is missing from it or
// a field it names does not exist, and a unit test checks the same against the schemas.
import type { CorporateCustomer, IndividualCustomer } from './customer';

/**
 * - `hq_authoritative`: HQ owns it (KYC and risk, accounts, assignment). A branch never sets it:
 *   the device refuses an edit or a creation that does, and HQ answers any change a branch
 *   pushes with `hq_authoritative` (the branch's value goes to its rejected ledger).
 * - `contact`: how to reach the customer; edited at the branch (permission `edit_contacts`).
 * - `identity`: who the customer is; edited at the branch under four-eyes (`edit_identity`).
 * - `append_only`: histories; entries are added, never changed or removed, so merging is a union.
 * - `profile`: everything else the branch keeps up to date.
 */
export const customerFieldClasses = [
  'hq_authoritative',
  'contact',
  'identity',
  'append_only',
  'profile',
] as const;
export type CustomerFieldClass = (typeof customerFieldClasses)[number];

/** Fields no person edits: identity of the record itself, and its version and provenance. */
export const customerSystemFields = [
  'id',
  'kind',
  'customerNumber',
  'version',
  'updatedAt',
  'updatedBy',
  'updatedByDevice',
  'mergedFrom',
] as const;
export type CustomerSystemField = (typeof customerSystemFields)[number];

/** Every top-level field of either kind of customer that a person can change. */
export type CustomerEditableField = Exclude<
  keyof IndividualCustomer | keyof CorporateCustomer,
  CustomerSystemField
>;

export const customerFieldPolicies = {
  legalName: 'identity',
  chineseName: 'identity',
  pinyinName: 'identity',
  englishName: 'identity',
  identityDocuments: 'identity',
  birthDate: 'identity',
  gender: 'identity',
  nationality: 'identity',

  phones: 'contact',
  email: 'contact',
  addresses: 'contact',
  preferredChannel: 'contact',

  kyc: 'hq_authoritative',
  accounts: 'hq_authoritative',
  homeBranchId: 'hq_authoritative',
  assignedRmId: 'hq_authoritative',
  restriction: 'hq_authoritative',
  // Computed by the segment rules HQ publishes (shared/insight/segment.ts), never typed by hand.
  segment: 'hq_authoritative',

  consents: 'append_only',
  kycReviews: 'append_only',
  campaignContacts: 'append_only',
  actionResponses: 'append_only',
  ratingProposals: 'append_only',
  satisfaction: 'append_only',
  complaints: 'append_only',
  complaintSteps: 'append_only',
  notes: 'append_only',
  visits: 'append_only',

  occupation: 'profile',
  employer: 'profile',
  tasks: 'profile',
} as const satisfies Record<CustomerEditableField, CustomerFieldClass>;

export function fieldClassOf(field: CustomerEditableField): CustomerFieldClass {
  return customerFieldPolicies[field];
}

/** The fields of one class, in the table's order. */
export function fieldsOfClass(fieldClass: CustomerFieldClass): CustomerEditableField[] {
  return (Object.keys(customerFieldPolicies) as CustomerEditableField[]).filter(
    (field) => customerFieldPolicies[field] === fieldClass,
  );
}

/**
 * The fields HQ owns, from the table above: the one list the device (which refuses to set them)
 * and HQ (which never takes a branch's value for them) both read.
 */
export const hqOwnedFields: readonly CustomerEditableField[] = fieldsOfClass('hq_authoritative');

export function isHqOwnedField(field: string): boolean {
  return (hqOwnedFields as readonly string[]).includes(field);
}

/** The fields whose change needs four eyes (names, documents, birth date, gender, nationality). */
export const identityFields: readonly CustomerEditableField[] = fieldsOfClass('identity');

export function isIdentityField(field: string): boolean {
  return (identityFields as readonly string[]).includes(field);
}

/**
 * Append-only lists that only their own commands add to, each checking what it adds (a review's
 * cycle, a contact's consent and cap, a suggestion the customer has, a proposal's maker and time):
 * never set at creation, never by a plain edit.
 */
export const commandOnlyFields = [
  'kycReviews',
  'campaignContacts',
  'actionResponses',
  'ratingProposals',
  'satisfaction',
  'complaints',
  'complaintSteps',
] as const satisfies readonly CustomerEditableField[];

export function isCommandOnlyField(field: string): boolean {
  return (commandOnlyFields as readonly string[]).includes(field);
}

/**
 * Fields a branch changes only with four eyes, recorded at HQ (hq/approvals.ts): identity, and a
 * proposed change of the AML risk rating (append-only, but never on one person's word).
 */
export function needsFourEyes(field: string): boolean {
  return isIdentityField(field) || field === 'ratingProposals';
}
