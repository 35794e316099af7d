// The fields HQ owns, as a branch's new customer holds them: the one check the device and HQ share.
import { describe, expect, it } from 'vitest';
import {
  fieldsOfClass,
  hqOwnedFields,
  hqOwnedFieldsSetAtCreate,
  newCustomerHqFields,
} from '../../../shared/customer';

const today = { year: 2026, month: 12, day: 4 };
const fresh = () => newCustomerHqFields('B001', today);

describe("a branch's new customer and the fields HQ owns", () => {
  it('is one list from the field-policy table, KYC included', () => {
    expect(hqOwnedFields).toEqual(fieldsOfClass('hq_authoritative'));
    expect([...hqOwnedFields].sort()).toEqual(
      ['accounts', 'assignedRmId', 'homeBranchId', 'kyc', 'restriction', 'segment'].sort(),
    );
  });

  it("accepts exactly a new customer's values", () => {
    expect(hqOwnedFieldsSetAtCreate(fresh(), 'B001', today)).toEqual([]);
    // Empty lists of what commands add are a new customer's too.
    expect(
      hqOwnedFieldsSetAtCreate({ ...fresh(), ratingProposals: [], kycReviews: [] }, 'B001', today),
    ).toEqual([]);
    expect(fresh().kyc).toMatchObject({ status: 'pending', nextReviewDue: '2027-12-04' });
  });

  it("allows the branch's calendar or clock a day or two, and an earlier review, no more", () => {
    const due = (nextReviewDue: string) => ({ ...fresh(), kyc: { ...fresh().kyc, nextReviewDue } });
    for (const date of ['2027-12-06', '2027-12-05', '2026-12-04'])
      expect(hqOwnedFieldsSetAtCreate(due(date), 'B001', today), date).toEqual([]);
    for (const date of ['2027-12-07', '2030-01-01', 'soon'])
      expect(hqOwnedFieldsSetAtCreate(due(date), 'B001', today), date).toEqual(['kyc']);
  });

  it('names each field set otherwise', () => {
    const kyc = fresh().kyc;
    const cases: [Record<string, unknown>, string][] = [
      [{ kyc: { ...kyc, status: 'verified' } }, 'kyc'],
      [{ kyc: { ...kyc, riskRating: 'high' } }, 'kyc'],
      [{ kyc: { ...kyc, pep: true } }, 'kyc'],
      [{ kyc: { ...kyc, lastReviewedOn: '2026-12-01' } }, 'kyc'],
      [{ kyc: { ...kyc, sourceOfFunds: '工资收入' } }, 'kyc'],
      [{ kyc: undefined }, 'kyc'],
      [{ accounts: [{ product: '借记卡' }] }, 'accounts'],
      [{ accounts: undefined }, 'accounts'],
      [{ assignedRmId: 'B001-rm-01' }, 'assignedRmId'],
      [{ homeBranchId: 'B002' }, 'homeBranchId'],
      [{ segment: 'private_banking' }, 'segment'],
      // What only its own command adds, after its checks: never at creation.
      [{ ratingProposals: [{ level: 'high' }] }, 'ratingProposals'],
      [{ actionResponses: [{ action: 'reconnect' }] }, 'actionResponses'],
      [{ kycReviews: [{ outcome: 'no_change' }] }, 'kycReviews'],
      [{ campaignContacts: [{ outcome: 'reached' }] }, 'campaignContacts'],
    ];
    for (const [set, field] of cases)
      expect(hqOwnedFieldsSetAtCreate({ ...fresh(), ...set }, 'B001', today), field).toEqual([
        field,
      ]);
  });
});
