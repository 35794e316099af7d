import { describe, expect, it } from 'vitest';
import {
  type Customer,
  customerAlerts,
  customerSchema,
  describeCustomerAlert,
} from '../../../shared/customer';
import { individualInput } from './examples';

const today = '2026-08-15';

function customerWith(expiries: (string | null)[], nextReviewDue: string): Customer {
  const base = individualInput();
  return customerSchema.parse({
    ...base,
    identityDocuments: expiries.map((expiresOn) => ({
      type: 'passport',
      number: 'EA1234567',
      issuingCountry: 'CHN',
      expiresOn,
    })),
    kyc: { ...base.kyc, nextReviewDue },
  });
}

describe('customerAlerts', () => {
  it('has nothing to say about valid and long-term documents and a review far ahead', () => {
    expect(customerAlerts(customerWith([null, '2030-01-01'], '2027-01-01'), today)).toEqual([]);
  });

  it('reports a document that expired before today', () => {
    expect(customerAlerts(customerWith(['2026-08-14'], '2027-01-01'), today)).toEqual([
      {
        kind: 'identity_document_expired',
        documentIndex: 0,
        documentType: 'passport',
        expiresOn: '2026-08-14',
      },
    ]);
  });

  it('counts a document as valid through its expiry day, and expiring within 30 days', () => {
    const alerts = customerAlerts(
      customerWith(['2026-08-15', '2026-09-14', '2026-09-15'], '2027-01-01'),
      today,
    );
    expect(
      alerts.map((alert) => [alert.kind, 'documentIndex' in alert && alert.documentIndex]),
    ).toEqual([
      ['identity_document_expiring_soon', 0],
      ['identity_document_expiring_soon', 1],
    ]);
  });

  it('reports a KYC review overdue after its due day, and due soon within 30 days', () => {
    expect(customerAlerts(customerWith([null], '2026-08-14'), today)).toEqual([
      { kind: 'kyc_review_overdue', nextReviewDue: '2026-08-14' },
    ]);
    expect(customerAlerts(customerWith([null], '2026-08-15'), today)).toEqual([
      { kind: 'kyc_review_due_soon', nextReviewDue: '2026-08-15' },
    ]);
    expect(customerAlerts(customerWith([null], '2026-09-15'), today)).toEqual([]);
  });

  it('lists documents first, then the review, and accepts today as a calendar date', () => {
    const alerts = customerAlerts(customerWith(['2020-01-01'], '2020-01-01'), {
      year: 2026,
      month: 8,
      day: 15,
    });
    expect(alerts.map((alert) => alert.kind)).toEqual([
      'identity_document_expired',
      'kyc_review_overdue',
    ]);
  });

  it('describes each alert in zh-CN and en with its date', () => {
    const [expired, overdue] = customerAlerts(customerWith(['2020-01-01'], '2020-02-01'), today);
    if (!expired || !overdue) throw new Error('two alerts expected');
    expect(describeCustomerAlert(expired, 'zh-CN')).toBe(
      '证件已于2020-01-01过期，请客户更新证件。',
    );
    expect(describeCustomerAlert(overdue, 'en')).toBe(
      'The periodic KYC review is overdue (it was due on 2020-02-01).',
    );
  });
});
