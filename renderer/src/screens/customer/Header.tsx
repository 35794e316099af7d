// The header card of the customer 360: who (name, customer number, segment, risk and KYC), the
// first ID masked with its reveal, and what is waiting (pending sync, approval, requests of this
// customer: held, rejected).
import { effectiveKyc } from '../../../../shared/insight/review';
import { Alert, Card, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Customer } from '../../../../shared/customer';
import { daysUntil, fieldLabel, formatDateTime } from '../../format';
import type { ShowOutput } from '../../store';
import { CustomerRequests } from '../approvals/CustomerRequests';
import { RiskTag, SegmentTag, tagColour } from '../tags';
import { CounterCopyButton } from './CounterCopy';
import { Revealable } from './Revealable';

export function Header({
  shown,
  customer,
  notice,
  onNoticeClose,
}: {
  shown: ShowOutput;
  customer: Customer;
  notice: string | undefined;
  onNoticeClose: () => void;
}) {
  const { t } = useTranslation();
  const reviewDays = daysUntil(effectiveKyc(customer).nextReviewDue);
  const listSeparator = t('customer360.listSeparator');
  return (
    <Card size="small">
      <Space direction="vertical" size={4} style={{ width: '100%' }}>
        <Space wrap>
          <Typography.Title level={3} style={{ margin: 0 }} data-testid="customer-name">
            {customer.legalName}
          </Typography.Title>
          <Typography.Text type="secondary">
            {t('customer.customerNumber')} {customer.customerNumber}
          </Typography.Text>
          <SegmentTag segment={customer.segment} />
          <RiskTag rating={customer.kyc.riskRating} />
          <Tag>{t(`kycStatus.${effectiveKyc(customer).status}`)}</Tag>
          {reviewDays < 0 && <Tag color={tagColour.red}>{t('customer.reviewOverdue')}</Tag>}
          {reviewDays >= 0 && reviewDays <= 30 && (
            <Tag color={tagColour.orange}>{t('customer.reviewDueSoon')}</Tag>
          )}
          {shown.hasPendingChanges && (
            <Tag color={tagColour.blue}>{t('customer.pendingChanges')}</Tag>
          )}
          {shown.openConflicts > 0 && (
            <Tag color={tagColour.orange} data-testid="customer-conflicts">
              {'⚠ '}
              {t('customer360.conflicts', { count: shown.openConflicts })}
            </Tag>
          )}
          {shown.rejectedChanges > 0 && (
            <Tag color={tagColour.red} data-testid="customer-rejected">
              {t('customer360.rejected', { count: shown.rejectedChanges })}
            </Tag>
          )}
        </Space>
        {customer.identityDocuments[0] && (
          <Space>
            <Typography.Text type="secondary">
              {t(`documentType.${customer.identityDocuments[0].type}`)}
            </Typography.Text>
            <Revealable
              customerId={customer.id}
              field="identity_number"
              index={0}
              masked={customer.identityDocuments[0].number}
            />
          </Space>
        )}
        <CounterCopyButton customerId={customer.id} />
        {customer.restriction && (
          <Alert
            type="warning"
            showIcon
            title={t('customer360.restricted', {
              reason: t(`customer360.restrictionReason.${customer.restriction.reason}`),
              since: formatDateTime(customer.restriction.since),
            })}
            description={t('customer360.restrictedRule')}
            data-testid="customer-restricted"
          />
        )}
        {shown.awaitingApproval.length > 0 && (
          <Alert
            type="info"
            showIcon
            title={t('customer.awaitingApproval', {
              fields: shown.awaitingApproval
                .flatMap((change) => change.fields)
                .map((field) => fieldLabel(t, field))
                .join(listSeparator),
            })}
            data-testid="awaiting-approval"
          />
        )}
        <CustomerRequests customerId={customer.id} />
        {notice && (
          <Alert
            type="success"
            showIcon
            title={notice}
            closable
            onClose={onNoticeClose}
            data-testid="edit-notice"
          />
        )}
      </Space>
    </Card>
  );
}
