import { describe, expect, it } from 'vitest';
import {
  customerListItemMaskedFields,
  customerListItemSchema,
  customerSchema,
  shownListItem,
  storedListItemSchema,
  toCustomerListItem,
} from '../../../shared/customer';
import { corporateInput, individualInput } from './examples';

describe('the customer list item', () => {
  it('carries only what a search result shows, identifiers in their own fields', () => {
    const item = toCustomerListItem(customerSchema.parse(individualInput()), {
      hasPendingChanges: true,
    });
    expect(item).toEqual({
      id: '4f1c2a9e-8b3d-4c6a-9e2f-1a2b3c4d5e6f',
      customerNumber: 'C0000000018',
      kind: 'individual',
      displayName: '张伟',
      identityDocumentType: 'resident_id',
      identityDocumentNumber: '110105198506150030',
      primaryPhone: '+8613800138000',
      segment: 'affluent',
      riskRating: 'low',
      hasPendingChanges: true,
      gender: 'male',
      birthDate: '1985-06-15',
    });
    expect(storedListItemSchema.parse(item)).toEqual(item);
  });

  it('shows the age on the day of the search and the gender, never the birth date', () => {
    const stored = toCustomerListItem(customerSchema.parse(individualInput()), {
      hasPendingChanges: false,
    });
    const dayBefore = shownListItem(stored, { year: 2025, month: 6, day: 14 });
    expect(dayBefore).toMatchObject({ age: 39, gender: 'male' });
    expect(dayBefore).not.toHaveProperty('birthDate');
    expect(shownListItem(stored, { year: 2025, month: 6, day: 15 }).age).toBe(40);
    expect(customerListItemSchema.parse(dayBefore)).toEqual(dayBefore);
  });

  it('shows a corporate by its USCC even when a business licence comes first', () => {
    const customer = customerSchema.parse(
      corporateInput({
        identityDocuments: [
          { type: 'business_licence', number: '110108000000008', expiresOn: null },
          { type: 'uscc', number: '91110000600037341L', expiresOn: null },
        ],
      }),
    );
    const item = toCustomerListItem(customer, { hasPendingChanges: false });
    expect(item.identityDocumentType).toBe('uscc');
    expect(item.primaryPhone).toBe('+861012345678');
  });

  it('names the fields to mask, and they exist on the schema', () => {
    expect(customerListItemMaskedFields).toEqual(['identityDocumentNumber', 'primaryPhone']);
    for (const field of customerListItemMaskedFields)
      expect(Object.keys(customerListItemSchema.shape)).toContain(field);
  });
});
