// Masking: how PII looks until someone with the permission reveals it, with a reason. Every
// result that leaves the core for a signed-in member of staff passes through here
// (electron/core/commands/masking.ts picks the function per command), so there is one place
// that decides what a masked ID number, phone, e-mail, account, address or name looks like.
import type { Address } from '../customer/contacts';
import type { Customer, IndividualCustomer } from '../customer/customer';
import type { CustomerListItem } from '../customer/list-item';
import { planSearch, type MatchedField } from '../search/plan';
import { revealableFields, type RevealableField } from './permissions';

const stars = (count: number) => '*'.repeat(Math.max(0, count));

/** `110101199003070012` → `1101**********0012`; shorter numbers keep less of each end. */
export function maskIdNumber(value: string): string {
  const chars = [...value];
  const keep = chars.length >= 15 ? 4 : chars.length >= 8 ? 2 : chars.length >= 4 ? 1 : 0;
  if (keep === 0) return stars(chars.length);
  return (
    chars.slice(0, keep).join('') + stars(chars.length - 2 * keep) + chars.slice(-keep).join('')
  );
}

/** `+8613812345678` → `138****5678`; other countries keep their code, two digits and the last two. */
export function maskPhone(e164: string): string {
  if (/^\+861\d{10}$/.test(e164)) return `${e164.slice(3, 6)}****${e164.slice(-4)}`;
  const digits = e164.replace(/^\+/, '');
  if (digits.length <= 6) return `+${stars(digits.length)}`;
  return `+${digits.slice(0, 4)}${stars(digits.length - 6)}${digits.slice(-2)}`;
}

/** `zhang.wei@example.com` → `z***@example.com`. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at <= 0) return stars(email.length);
  return `${[...email.slice(0, at)][0]}***${email.slice(at)}`;
}

/** Any account or card number → `**** 1234` (its last four digits). */
export function maskAccountNumber(value: string): string {
  const digits = value.replace(/\D/g, '');
  return `**** ${digits.slice(-4).padStart(4, '*')}`;
}

/** `张三明` → `张*明`, `张三` → `张*`, `Zhang San` → `Z**** S**`. */
export function maskName(name: string): string {
  if (/\p{Script=Han}/u.test(name)) {
    const chars = [...name];
    if (chars.length <= 1) return name;
    if (chars.length === 2) return `${chars[0]}*`;
    return chars[0] + stars(chars.length - 2) + chars.at(-1);
  }
  return name
    .split(/(\s+)/)
    .map((word) =>
      /^\s+$/.test(word) || word.length === 0 ? word : word[0] + stars(word.length - 1),
    )
    .join('');
}

/** An address to district level: the region codes stay, the street, room and postcode go. */
export function maskAddress(address: Address): Address {
  const { postcode: _postcode, ...rest } = address;
  return { ...rest, line: '***' };
}

/** Anything without a rule: nothing of it shows (fail closed). */
export const MASKED = '***';

/** Staff see a name as their role's name rule says: whole, or masked like `maskName`. */
const nameFields = ['legalName', 'chineseName', 'pinyinName', 'englishName'] as const;

/**
 * The customer fields known to hold no identifier, shown as stored to every role that may view
 * the customer. Everything else is either one of the PII fields with a rule below or, being
 * unknown (a field added later, a value of the wrong shape), masked whole.
 */
const clearList = [
  'id',
  'kind',
  'customerNumber',
  'version',
  'updatedAt',
  'updatedBy',
  'updatedByDevice',
  'preferredChannel',
  'kyc',
  'segment',
  'homeBranchId',
  'assignedRmId',
  'consents',
  'kycReviews',
  'campaignContacts',
  'actionResponses',
  'ratingProposals',
  'satisfaction',
  'complaints',
  'complaintSteps',
  'notes',
  'visits',
  'tasks',
  // Why and since when the data is restricted: no identifier in it.
  'restriction',
  // The records merged into this one: their ids and customer numbers, shown like this one's.
  'mergedFrom',
  'gender',
  'birthDate',
  'nationality',
  'occupation',
  'employer',
] as const satisfies readonly (keyof IndividualCustomer | keyof Customer)[];
const clearFields: ReadonlySet<string> = new Set<string>(clearList);

/** The fields `maskFieldValue` has a rule for (the `case`s below). */
type RuledField = 'identityDocuments' | 'phones' | 'addresses' | 'accounts' | 'email';

/**
 * A field added to the customer without a decision (a rule, or listed as clear) fails to
 * compile here; at run time it would be masked whole.
 */
type Undecided = Exclude<
  keyof IndividualCustomer | keyof Customer,
  (typeof clearList)[number] | (typeof nameFields)[number] | RuledField
>;
const everyFieldDecided: [Undecided] extends [never] ? true : Undecided = true;
void everyFieldDecided;

const arrayOf = <T>(value: unknown, each: (item: T) => unknown): unknown =>
  Array.isArray(value) ? (value as T[]).map(each) : MASKED;

const text = (value: unknown, mask: (value: string) => string): string =>
  typeof value === 'string' ? mask(value) : MASKED;

/**
 * One field's value as staff see it before revealing anything: the rule for each PII field of a
 * customer, wherever its value shows up (a record, a conflict, a change waiting for approval, a
 * rejected change). A field listed as clear passes unchanged; any other field is masked whole.
 */
export function maskFieldValue(
  field: string,
  value: unknown,
  options: { names: boolean },
): unknown {
  if (value === null || value === undefined) return value;
  switch (field) {
    case 'identityDocuments':
      return arrayOf<{ number: unknown }>(value, (document) => ({
        ...document,
        number: text(document.number, maskIdNumber),
      }));
    case 'phones':
      return arrayOf<{ e164: unknown }>(value, (phone) => ({
        ...phone,
        e164: text(phone.e164, maskPhone),
      }));
    case 'addresses':
      return arrayOf<Address>(value, (address) =>
        typeof address === 'object' && address !== null ? maskAddress(address) : MASKED,
      );
    case 'accounts':
      return arrayOf<{ maskedNumber: unknown }>(value, (account) => ({
        ...account,
        maskedNumber: text(account.maskedNumber, maskAccountNumber),
      }));
    case 'email':
      return text(value, maskEmail);
    default:
      if ((nameFields as readonly string[]).includes(field))
        return options.names ? text(value, maskName) : value;
      return clearFields.has(field) ? value : MASKED;
  }
}

/** A whole customer as staff see it before revealing anything: every field by its rule. */
export function maskCustomer(customer: Customer, options: { names: boolean }): Customer {
  // A restricted customer (PIPL Art. 47) is masked for every role, names included.
  const names = options.names || customer.restriction !== undefined;
  return maskRecord(customer, { names }) as Customer;
}

/**
 * A value that stands for a whole record rather than one field (a create or an update HQ
 * refused whole): each field by its own rule, and an update's `{ from, to }` on both sides.
 * Anything that is not a record at all is masked whole.
 */
export function maskRecord(value: unknown, options: { names: boolean }): unknown {
  if (value === null || value === undefined) return value;
  if (typeof value !== 'object' || Array.isArray(value)) return MASKED;
  return Object.fromEntries(
    Object.entries(value).map(([field, fieldValue]) => [
      field,
      isChange(fieldValue)
        ? Object.fromEntries(
            Object.entries(fieldValue).map(([side, sideValue]) => [
              side,
              maskFieldValue(field, sideValue, options),
            ]),
          )
        : maskFieldValue(field, fieldValue, options),
    ]),
  );
}

/** An update's field change: `{ from?, to? }` and nothing else. */
function isChange(value: unknown): value is { from?: unknown; to?: unknown } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length > 0 && keys.every((key) => key === 'from' || key === 'to');
}

/**
 * A search query as typed, for a reader who may not reveal what it looks up: the identifier
 * class `planSearch` gives the query decides the mask. A query that plans no lookup could hold
 * anything, so only a reader who may reveal every class reads it as typed.
 */
export function maskSearchQuery(
  query: string,
  mayReveal: (field: RevealableField) => boolean,
): string {
  const { steps } = planSearch(query);
  if (steps.length === 0) return revealableFields.every(mayReveal) ? query : MASKED;
  const hidden = steps
    .map((step) => searchFieldClass[step.field])
    .filter((field): field is RevealableField => field !== null && !mayReveal(field));
  if (hidden.length === 0) return query;
  if (hidden.includes('name')) return maskName(query);
  return maskIdNumber(query.trim());
}

/** Which permission reveals what a search step looks up; null: nothing personal. */
const searchFieldClass: Record<MatchedField, RevealableField | null> = {
  customer_number: null,
  id_number: 'identity_number',
  phone: 'phone',
  card: 'account_number',
  // Four to six digits are what a masked value shows anyway.
  id_tail: null,
  phone_tail: null,
  account_tail: null,
  phone_prefix: 'phone',
  name: 'name',
  pinyin: 'name',
};

/**
 * Each field of a search result and how staff see it: shown as it is (`'clear'`: nothing that
 * identifies anyone; age and gender only tell namesakes apart), or by its mask. A field added to
 * the list item without a decision here fails to compile; at run time one is dropped.
 */
const listItemRules: {
  [K in keyof CustomerListItem]-?: 'clear' | ((value: string, names: boolean) => string);
} = {
  id: 'clear',
  customerNumber: 'clear',
  kind: 'clear',
  displayName: (value, names) => (names ? maskName(value) : value),
  identityDocumentType: 'clear',
  identityDocumentNumber: maskIdNumber,
  primaryPhone: maskPhone,
  segment: 'clear',
  riskRating: 'clear',
  hasPendingChanges: 'clear',
  gender: 'clear',
  age: 'clear',
  restricted: 'clear',
};

/** A search result as staff see it: every field by its rule in `listItemRules`. */
export function maskListItem(
  item: CustomerListItem,
  options: { names: boolean },
): CustomerListItem {
  const shown: Record<string, unknown> = {};
  // A restricted customer (PIPL Art. 47) is masked for every role, names included.
  const names = options.names || item.restricted === true;
  for (const [field, value] of Object.entries(item)) {
    const rule = (listItemRules as Record<string, (typeof listItemRules)[keyof CustomerListItem]>)[
      field
    ];
    if (rule === undefined || value === undefined) continue;
    shown[field] =
      rule === 'clear' ? value : typeof value === 'string' ? rule(value, names) : MASKED;
  }
  return shown as CustomerListItem;
}

/** The clear value of one revealable field of a customer (`index` picks among several). */
export function revealValue(
  customer: Customer,
  field: RevealableField,
  index: number,
): string | undefined {
  switch (field) {
    case 'identity_number':
      return customer.identityDocuments[index]?.number;
    case 'phone':
      return customer.phones[index]?.e164;
    case 'email':
      return index === 0 ? customer.email : undefined;
    case 'address': {
      const address = customer.addresses[index];
      return address ? [address.line, address.postcode].filter(Boolean).join(' ') : undefined;
    }
    case 'account_number':
      return customer.accounts[index]?.maskedNumber;
    case 'name':
      return index === 0 ? customer.legalName : index === 1 ? customer.chineseName : undefined;
  }
}

/** The reasons staff choose from to reveal a field (shared/i18n/access.ts names them). */
export const revealReasons = [
  'customer_present_verified',
  'customer_called_verified',
  'complaint_handling',
  'data_correction',
  'regulatory_request',
  'fraud_investigation',
] as const;
export type RevealReason = (typeof revealReasons)[number];
