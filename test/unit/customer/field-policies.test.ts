import { describe, expect, it } from 'vitest';
import {
  corporateCustomerSchema,
  customerFieldClasses,
  customerFieldPolicies,
  customerSystemFields,
  fieldsOfClass,
  individualCustomerSchema,
} from '../../../shared/customer';

const schemaFields = new Set([
  ...Object.keys(individualCustomerSchema.shape),
  ...Object.keys(corporateCustomerSchema.shape),
]);
const policyFields = Object.keys(customerFieldPolicies);
const systemFields: readonly string[] = customerSystemFields;

describe('the customer field-policy catalogue', () => {
  it('classifies every editable field of either kind of customer exactly once', () => {
    const classified = [...policyFields, ...systemFields];
    expect(new Set(classified).size).toBe(classified.length);
    expect([...classified].sort()).toEqual([...schemaFields].sort());
  });

  it('names no field that neither schema has', () => {
    for (const field of [...policyFields, ...systemFields]) expect(schemaFields).toContain(field);
  });

  it('gives each class its fields, and together the classes cover the catalogue', () => {
    const byClass = customerFieldClasses.flatMap((fieldClass) => fieldsOfClass(fieldClass));
    expect([...byClass].sort()).toEqual([...policyFields].sort());
    expect(fieldsOfClass('hq_authoritative')).toEqual([
      'kyc',
      'accounts',
      'homeBranchId',
      'assignedRmId',
      'restriction',
      'segment',
    ]);
    expect(fieldsOfClass('contact')).toEqual(['phones', 'email', 'addresses', 'preferredChannel']);
    expect(fieldsOfClass('append_only')).toEqual([
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
    ]);
    expect(fieldsOfClass('identity')).toEqual([
      'legalName',
      'chineseName',
      'pinyinName',
      'englishName',
      'identityDocuments',
      'birthDate',
      'gender',
      'nationality',
    ]);
  });
});
