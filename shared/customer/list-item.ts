// A customer as a search result: only what the list shows. Identifiers that must be masked per
// role are separate fields, named in `customerListItemMaskedFields`, so masking happens in one
// place and cannot miss one. A person's age and gender tell namesakes apart (seven 王慧); the
// stored item keeps the birth date so the age is counted on the day of the search, and only the
// age leaves the core.
import { z } from 'zod';
import { ageOn, parseIsoDate, type CalendarDate } from '../validation/dates';
import { type Customer, Segment, customerKinds, genders } from './customer';
import { customerNumberSchema } from './customer-number';
import { CustomerDocumentType } from './identity-documents';
import { RiskRating } from './records';

export const customerListItemSchema = z.object({
  id: z.uuid(),
  customerNumber: customerNumberSchema,
  kind: z.enum(customerKinds),
  /** The legal name. */
  displayName: z.string().min(1),
  identityDocumentType: CustomerDocumentType.optional(),
  /** Unmasked here; to be masked by role before it leaves the core. */
  identityDocumentNumber: z.string().optional(),
  /** E.164; unmasked here; to be masked by role before it leaves the core. */
  primaryPhone: z.string().optional(),
  segment: Segment,
  riskRating: RiskRating,
  /** A change made at this branch has not yet been accepted by HQ (待同步). */
  hasPendingChanges: z.boolean(),
  /** A person's (not a company's). */
  gender: z.enum(genders).optional(),
  /** A person's completed years on the day of the search. */
  age: z.number().int().min(0).optional(),
  /** HQ restricted the customer's data (PIPL Art. 47): masked for every role. */
  restricted: z.literal(true).optional(),
});

export type CustomerListItem = z.infer<typeof customerListItemSchema>;

/** The list item as the vault keeps it: the birth date instead of an age that would go stale. */
export const storedListItemSchema = customerListItemSchema
  .omit({ age: true })
  .extend({ birthDate: z.string().optional() });
export type StoredListItem = z.infer<typeof storedListItemSchema>;

/** The stored item as a search shows it on `today`: the age, never the birth date. */
export function shownListItem(stored: StoredListItem, today: CalendarDate): CustomerListItem {
  const { birthDate, ...item } = stored;
  const born = birthDate === undefined ? undefined : parseIsoDate(birthDate);
  const age = born ? ageOn(born, today) : undefined;
  return { ...item, ...(age !== undefined && age >= 0 ? { age } : {}) };
}

/** The fields of a list item that hold identifiers to mask. */
export const customerListItemMaskedFields = [
  'identityDocumentNumber',
  'primaryPhone',
] as const satisfies readonly (keyof CustomerListItem)[];

/**
 * The list item of a customer. The document shown is the first registration document of a
 * corporate (USCC before business licence) or the first document of a person; the phone is the
 * primary one, else the first mobile, else the first.
 */
export function toCustomerListItem(
  customer: Customer,
  options: { hasPendingChanges: boolean },
): StoredListItem {
  const documents = customer.identityDocuments;
  const document =
    customer.kind === 'corporate'
      ? (documents.find((d) => d.type === 'uscc') ??
        documents.find((d) => d.type === 'business_licence'))
      : documents[0];
  const phones = customer.phones;
  const phone =
    phones.find((p) => p.primary === true) ?? phones.find((p) => p.kind === 'mobile') ?? phones[0];
  return {
    id: customer.id,
    customerNumber: customer.customerNumber,
    kind: customer.kind,
    displayName: customer.legalName,
    ...(document
      ? { identityDocumentType: document.type, identityDocumentNumber: document.number }
      : {}),
    ...(phone ? { primaryPhone: phone.e164 } : {}),
    segment: customer.segment,
    riskRating: customer.kyc.riskRating,
    hasPendingChanges: options.hasPendingChanges,
    ...(customer.kind === 'individual'
      ? { gender: customer.gender, birthDate: customer.birthDate }
      : {}),
    ...(customer.restriction ? { restricted: true as const } : {}),
  };
}
