// Masking rules, one function per kind of PII, and the whole-record and list-item masks.
import { describe, expect, it } from 'vitest';
import {
  maskAccountNumber,
  maskCustomer,
  maskEmail,
  maskIdNumber,
  maskListItem,
  maskName,
  maskPhone,
  revealValue,
} from '../../../shared/access/masking';
import { shownListItem, toCustomerListItem, type Customer } from '../../../shared/customer';
import { generateCustomers } from '../../../shared/synthetic';

describe('masking', () => {
  it('keeps the ends of an ID number that a teller reads back to the customer', () => {
    expect(maskIdNumber('11010519491231002X')).toBe('1101**********002X');
    expect(maskIdNumber('E12345678')).toBe('E1*****78');
    expect(maskIdNumber('123')).toBe('***');
  });

  it('shows a mainland mobile as 138****5678 and keeps only the ends of others', () => {
    expect(maskPhone('+8613812345678')).toBe('138****5678');
    expect(maskPhone('+85291234567')).toBe('+8529*****67');
  });

  it('masks e-mail, accounts and names the way the branch prints them', () => {
    expect(maskEmail('zhang.wei@example.com')).toBe('z***@example.com');
    expect(maskAccountNumber('6222 **** **** 1234')).toBe('**** 1234');
    expect(maskAccountNumber('6222021234561234')).toBe('**** 1234');
    expect(maskName('张三明')).toBe('张*明');
    expect(maskName('欧阳娜娜')).toBe('欧**娜');
    expect(maskName('张三')).toBe('张*');
    expect(maskName('Zhang San')).toBe('Z**** S**');
  });

  const people: Customer[] = [
    ...generateCustomers({ seed: 9, count: 200, branches: ['B001'], rmsPerBranch: 2 }),
  ];

  it('leaves no identifying value of a record in clear', () => {
    for (const customer of people) {
      const masked = JSON.stringify(maskCustomer(customer, { names: true }));
      for (const document of customer.identityDocuments)
        expect(masked).not.toContain(document.number);
      for (const phone of customer.phones) expect(masked).not.toContain(phone.e164.slice(3));
      if (customer.email) expect(masked).not.toContain(customer.email);
      for (const address of customer.addresses) {
        expect(masked).not.toContain(address.line);
        expect(masked).toContain(address.districtCode); // district level stays
      }
      expect(masked).not.toContain(`"${customer.legalName}"`);
    }
  });

  it('keeps names when the role may see them, and masks list items too', () => {
    const customer = people.find((c) => c.kind === 'individual' && c.phones.length > 0)!;
    expect(maskCustomer(customer, { names: false }).legalName).toBe(customer.legalName);
    const item = maskListItem(toCustomerListItem(customer, { hasPendingChanges: false }), {
      names: true,
    });
    expect(item.displayName).toBe(maskName(customer.legalName));
    expect(item.identityDocumentNumber).toBe(maskIdNumber(customer.identityDocuments[0]!.number));
    expect(JSON.stringify(item)).not.toContain(customer.identityDocuments[0]!.number);
  });

  it('shows age and gender in a list item and drops a field it has no rule for', () => {
    const customer = people.find((c) => c.kind === 'individual')!;
    const stored = toCustomerListItem(customer, { hasPendingChanges: false });
    const item = maskListItem(shownListItem(stored, { year: 2026, month: 1, day: 1 }), {
      names: true,
    });
    expect(item.gender).toBe(customer.kind === 'individual' ? customer.gender : undefined);
    expect(item.age).toBeGreaterThanOrEqual(0);
    // The stored birth date (no rule: it never leaves the core) is dropped, not passed on.
    expect(maskListItem(stored, { names: true })).not.toHaveProperty('birthDate');
  });

  it('reveals exactly the value asked for, or nothing when there is none', () => {
    const customer = people.find((c) => c.phones.length > 0 && c.email)!;
    expect(revealValue(customer, 'phone', 0)).toBe(customer.phones[0]!.e164);
    expect(revealValue(customer, 'email', 0)).toBe(customer.email);
    expect(revealValue(customer, 'identity_number', 0)).toBe(customer.identityDocuments[0]!.number);
    expect(revealValue(customer, 'phone', 19)).toBeUndefined();
  });
});
