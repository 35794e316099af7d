// Facts derived from a customer for the UI to show: documents expired or about to, and the
// periodic KYC review overdue or due soon. Derived on demand, never stored.
import type { Locale } from '../i18n/errors';
import { type DateInput, documentExpiryStatus, kycReviewStatus } from '../validation';
import type { Customer } from './customer';
import type { CustomerDocumentType } from './identity-documents';
import { customerAlertMessages, fillTemplate } from './messages';

export type CustomerAlert =
  | {
      kind: 'identity_document_expired' | 'identity_document_expiring_soon';
      /** Position in `customer.identityDocuments`. */
      documentIndex: number;
      documentType: CustomerDocumentType;
      expiresOn: string;
    }
  | {
      kind: 'kyc_review_overdue' | 'kyc_review_due_soon';
      nextReviewDue: string;
    };

/** The alerts for `customer` on `today` (documents first, in their order, then KYC). */
export function customerAlerts(
  customer: Pick<Customer, 'identityDocuments' | 'kyc'>,
  today: DateInput,
): CustomerAlert[] {
  const alerts: CustomerAlert[] = [];
  customer.identityDocuments.forEach((document, documentIndex) => {
    if (document.expiresOn === null) return;
    const status = documentExpiryStatus(document.expiresOn, today);
    if (status !== 'expired' && status !== 'expiring_soon') return;
    alerts.push({
      kind: status === 'expired' ? 'identity_document_expired' : 'identity_document_expiring_soon',
      documentIndex,
      documentType: document.type,
      expiresOn: document.expiresOn,
    });
  });
  const review = kycReviewStatus(customer.kyc.nextReviewDue, today);
  if (review !== 'ok') {
    alerts.push({
      kind: review === 'overdue' ? 'kyc_review_overdue' : 'kyc_review_due_soon',
      nextReviewDue: customer.kyc.nextReviewDue,
    });
  }
  return alerts;
}

export function describeCustomerAlert(alert: CustomerAlert, locale: Locale): string {
  const date = 'expiresOn' in alert ? alert.expiresOn : alert.nextReviewDue;
  return fillTemplate(customerAlertMessages[locale][alert.kind], { date });
}
