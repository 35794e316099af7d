// Masking: how PII looks until someone with the permission reveals it, with a reason. Every
// result that leaves the core for a signed-in member of staff passes through here
// (electron/core/commands/masking.ts picks the function per command), so there is one place
// that decides what a masked ID number, phone, e-mail, account, address or name looks like.
import type { Address } from '../customer/contacts';
import type { Customer } from '../customer/customer';
import type { CustomerListItem } from '../customer/list-item';
import type { RevealableField } from './permissions';

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

/** The customer fields that hold PII, each masked by `maskFieldValue`. */
const maskedFields = [
  'identityDocuments',
  'phones',
  'addresses',
  'accounts',
  'email',
  'legalName',
  'chineseName',
] as const satisfies readonly (keyof Customer)[];

/**
 * One field's value as staff see it before revealing anything: the rule for each PII field of a
 * customer, wherever its value shows up (a record, a conflict, a change waiting for approval).
 * Other fields pass unchanged.
 */
export function maskFieldValue(
  field: string,
  value: unknown,
  options: { names: boolean },
): unknown {
  if (value === null || value === undefined) return value;
  switch (field) {
    case 'identityDocuments':
      return (value as { number: string }[]).map((document) => ({
        ...document,
        number: maskIdNumber(document.number),
      }));
    case 'phones':
      return (value as { e164: string }[]).map((phone) => ({
        ...phone,
        e164: maskPhone(phone.e164),
      }));
    case 'addresses':
      return (value as Address[]).map(maskAddress);
    case 'accounts':
      return (value as { maskedNumber: string }[]).map((account) => ({
        ...account,
        maskedNumber: maskAccountNumber(account.maskedNumber),
      }));
    case 'email':
      return maskEmail(String(value));
    case 'legalName':
    case 'chineseName':
      return options.names ? maskName(String(value)) : value;
    default:
      return value;
  }
}

/** A whole customer as staff see it before revealing anything. */
export function maskCustomer(customer: Customer, options: { names: boolean }): Customer {
  const masked: Record<string, unknown> = { ...customer };
  for (const field of maskedFields)
    if (customer[field] !== undefined)
      masked[field] = maskFieldValue(field, customer[field], options);
  return masked as Customer;
}

/** A search result as staff see it. */
export function maskListItem(
  item: CustomerListItem,
  options: { names: boolean },
): CustomerListItem {
  return {
    ...item,
    ...(options.names ? { displayName: maskName(item.displayName) } : {}),
    ...(item.identityDocumentNumber !== undefined
      ? { identityDocumentNumber: maskIdNumber(item.identityDocumentNumber) }
      : {}),
    ...(item.primaryPhone !== undefined ? { primaryPhone: maskPhone(item.primaryPhone) } : {}),
  };
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
