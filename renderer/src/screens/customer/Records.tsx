// The read-only tabs of the customer 360: the profile, documents (with expiry), KYC and risk,
// and the accounts summary (account numbers revealed one at a time, for a role that may). The
// consents have their own tab (Consents.tsx).
import { Descriptions, Space, Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { effectiveKyc } from '../../../../shared/insight/review';
import { KycReviews } from './KycReview';
import { RatingProposals } from './RatingProposal';
import { RiskRating } from './RiskRating';
import type { Customer } from '../../../../shared/customer';
import { daysUntil, fieldLabel } from '../../format';
import { countryName } from '../forms/countries';
import { tagColour } from '../tags';
import { Revealable } from './Revealable';

export function DocumentsTab({ customer }: { customer: Customer }) {
  const { t } = useTranslation();
  return (
    <Table
      size="small"
      pagination={false}
      rowKey={(_, index) => String(index)}
      dataSource={customer.identityDocuments}
      columns={[
        { title: t('customer.documentType'), render: (_, doc) => t(`documentType.${doc.type}`) },
        {
          title: t('customer.documentNumber'),
          render: (_, doc, index) => (
            <Revealable
              customerId={customer.id}
              field="identity_number"
              index={index}
              masked={doc.number}
            />
          ),
        },
        {
          title: t('customer.expiresOn'),
          render: (_, doc) => {
            if (!doc.expiresOn) return t('customer.longTerm');
            const days = daysUntil(doc.expiresOn);
            return (
              <Space>
                {doc.expiresOn}
                {days < 0 && <Tag color={tagColour.red}>{t('customer.expired')}</Tag>}
                {days >= 0 && days <= 30 && (
                  <Tag color={tagColour.orange}>{t('customer.expiringSoon')}</Tag>
                )}
              </Space>
            );
          },
        },
      ]}
    />
  );
}

export function KycTab({ customer }: { customer: Customer }) {
  const { t } = useTranslation();
  // A review recorded here shows at once, before HQ writes it into the record's KYC.
  const kyc = effectiveKyc(customer);
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Descriptions size="small" column={2} bordered>
        <Descriptions.Item label={t('customer.kycStatus')}>
          {t(`kycStatus.${kyc.status}`)}
        </Descriptions.Item>
        <Descriptions.Item label={t('customer.risk')}>
          {t(`riskRating.${kyc.riskRating}`)}
        </Descriptions.Item>
        <Descriptions.Item label={t('customer360.lastReviewed')}>
          {kyc.lastReviewedOn ?? t('customer.none')}
        </Descriptions.Item>
        <Descriptions.Item label={t('customer.nextReview')}>{kyc.nextReviewDue}</Descriptions.Item>
        <Descriptions.Item label={t('customer.pep')}>
          {kyc.pep ? t('customer.yes') : t('customer.no')}
        </Descriptions.Item>
        <Descriptions.Item label={t('customer.sanctions')}>
          {kyc.sanctionsHit ? (
            <Tag color={tagColour.red}>{t('customer.yes')}</Tag>
          ) : (
            t('customer.no')
          )}
        </Descriptions.Item>
      </Descriptions>
      <RiskRating key={customer.version} customerId={customer.id} />
      <RatingProposals
        customerId={customer.id}
        proposals={customer.ratingProposals ?? []}
        restricted={customer.restriction !== undefined}
      />
      <KycReviews
        customerId={customer.id}
        reviews={customer.kycReviews ?? []}
        restricted={customer.restriction !== undefined}
      />
    </Space>
  );
}

export function AccountsTab({ customer }: { customer: Customer }) {
  const { t } = useTranslation();
  return (
    <Table
      size="small"
      pagination={false}
      rowKey={(_, index) => String(index)}
      dataSource={customer.accounts}
      data-testid="accounts-table"
      columns={[
        {
          title: t('customer.product'),
          // HQ's product names, in the desk's language where the catalogue has them.
          render: (_, account) =>
            t(`customer360.product.${account.product}`, { defaultValue: account.product }),
        },
        {
          title: t('customer.accountNumber'),
          render: (_, account, index) => (
            <Revealable
              customerId={customer.id}
              field="account_number"
              index={index}
              masked={account.maskedNumber}
            />
          ),
        },
        {
          title: t('customer.accountStatus'),
          render: (_, account) => t(`accountStatus.${account.status}`),
        },
        { title: t('customer.openedOn'), dataIndex: 'openedOn' },
      ]}
    />
  );
}

/** Profile facts besides the names (which have their own editors in the profile tab). */
export function ProfileFacts({ customer }: { customer: Customer }) {
  const { t, i18n } = useTranslation();
  const facts: [string, string][] = [];
  if (customer.kind === 'individual') {
    facts.push([fieldLabel(t, 'gender'), t(`gender.${customer.gender}`)]);
    facts.push([fieldLabel(t, 'birthDate'), customer.birthDate]);
    // The country's name in the reader's language, not its ISO code (CHN → 中国 / China).
    facts.push([
      fieldLabel(t, 'nationality'),
      countryName(customer.nationality, i18n.language === 'en' ? 'en' : 'zh-CN'),
    ]);
    facts.push([fieldLabel(t, 'occupation'), customer.occupation ?? t('customer.none')]);
    facts.push([fieldLabel(t, 'employer'), customer.employer ?? t('customer.none')]);
  }
  facts.push([
    fieldLabel(t, 'preferredChannel'),
    t(`customer360.channelName.${customer.preferredChannel}`),
  ]);
  facts.push([fieldLabel(t, 'homeBranchId'), customer.homeBranchId]);
  facts.push([fieldLabel(t, 'assignedRmId'), customer.assignedRmId ?? t('customer.none')]);
  return (
    <Descriptions size="small" column={2} bordered>
      {facts.map(([label, value]) => (
        <Descriptions.Item key={label} label={label}>
          {value}
        </Descriptions.Item>
      ))}
    </Descriptions>
  );
}
