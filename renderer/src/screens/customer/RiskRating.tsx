// 洗钱风险评级 on the customer's KYC tab: the level the rule table gives, with each factor that
// applied and its points (the reasons), the rule version, the day rated and the review cycle it
// sets, beside the level HQ recorded. When they differ, the desk says so: the recorded level
// stands until HQ re-rates (it is HQ's field), and the RM proposes a review. Below it, the
// customer's segment and life-cycle stage by HQ's segment rules, with why (the same reading).
import { Alert, Descriptions, Table, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { InsightRatingOutput } from '../../../../shared/commands/insight';
import { errorText } from '../../errors';
import { useDesk } from '../../store';
import { tagColour } from '../tags';

const levelColour = {
  low: tagColour.green,
  medium: tagColour.orange,
  high: tagColour.red,
  prohibited: '#000000',
} as const;

export function RiskRating({ customerId }: { customerId: string }) {
  const { t } = useTranslation();
  const bridge = useDesk((state) => state.bridge)!;
  const locale = useDesk((state) => state.locale);
  const [rating, setRating] = useState<InsightRatingOutput>();
  const [failure, setFailure] = useState<string>();

  useEffect(() => {
    let current = true;
    bridge
      .call('insight.rating', { id: customerId })
      .then((rated) => current && setRating(rated))
      .catch((error: unknown) => current && setFailure(errorText(error, locale)));
    return () => {
      current = false;
    };
  }, [bridge, customerId, locale]);

  if (failure) return <Alert type="error" showIcon message={failure} />;
  if (!rating) return null;
  const level = (value: keyof typeof levelColour) => (
    <Tag color={levelColour[value]}>{t(`riskLevel.${value}`)}</Tag>
  );
  return (
    <section data-testid="risk-rating" aria-label={t('rating.title')}>
      <Typography.Title level={5}>{t('rating.title')}</Typography.Title>
      <Descriptions size="small" column={2} bordered>
        <Descriptions.Item label={t('rating.computed')}>
          <span data-testid="risk-rating-level">{level(rating.level)}</span>
          {t('rating.score', { score: rating.score })}
        </Descriptions.Item>
        <Descriptions.Item label={t('rating.recorded')}>{level(rating.recorded)}</Descriptions.Item>
        {rating.proposed && (
          <Descriptions.Item label={t('rating.proposedLabel')}>
            <span data-testid="risk-rating-proposed">{level(rating.proposed)}</span>
          </Descriptions.Item>
        )}
        <Descriptions.Item label={t('rating.ruleLabel')}>
          {t('rating.rule', { version: rating.ruleVersion, day: rating.ratedOn })}
        </Descriptions.Item>
        <Descriptions.Item label={t('rating.cycleLabel')}>
          {rating.reviewCycleMonths > 0
            ? t('rating.cycle', { months: rating.reviewCycleMonths, due: rating.nextReviewDue })
            : t('rating.cycleNow', { due: rating.nextReviewDue })}
        </Descriptions.Item>
      </Descriptions>
      {rating.expected !== rating.recorded && (
        <Alert
          type="warning"
          showIcon
          message={t('rating.differs')}
          data-testid="risk-rating-differs"
        />
      )}
      {rating.reasons.length === 0 ? (
        <Typography.Paragraph type="secondary">{t('rating.none')}</Typography.Paragraph>
      ) : (
        <Table
          size="small"
          pagination={false}
          rowKey="code"
          dataSource={rating.reasons}
          data-testid="risk-reasons"
          columns={[
            {
              title: t('rating.factor'),
              render: (_, reason) => (locale === 'en' ? reason.label.en : reason.label.zh),
            },
            { title: t('rating.points'), dataIndex: 'points', align: 'right', width: 90 },
            {
              title: t('rating.floor'),
              width: 110,
              render: (_, reason) => (reason.floor ? level(reason.floor) : ''),
            },
          ]}
        />
      )}
      <Segmentation segmentation={rating.segmentation} />
    </section>
  );
}

function Segmentation({ segmentation }: { segmentation: InsightRatingOutput['segmentation'] }) {
  const { t } = useTranslation();
  const locale = useDesk((state) => state.locale);
  const shown = (value: string | number | undefined) =>
    typeof value === 'number' ? value.toLocaleString(locale === 'en' ? 'en' : 'zh-CN') : value;
  return (
    <section data-testid="segmentation" aria-label={t('segmentation.title')}>
      <Typography.Title level={5}>{t('segmentation.title')}</Typography.Title>
      <Typography.Paragraph>
        <Tag data-testid="segmentation-segment">{t(`segment.${segmentation.segment}`)}</Tag>
        <Tag data-testid="segmentation-life">{t(`lifeCycle.${segmentation.lifeCycle}`)}</Tag>
        <Typography.Text type="secondary">
          {t('segmentation.rule', { version: segmentation.ruleVersion })}
        </Typography.Text>
      </Typography.Paragraph>
      {segmentation.segment !== segmentation.recorded && (
        <Typography.Paragraph type="secondary" data-testid="segmentation-differs">
          {t('segmentation.differs', { recorded: t(`segment.${segmentation.recorded}`) })}
        </Typography.Paragraph>
      )}
      <ul data-testid="segmentation-reasons">
        {segmentation.reasons.map((reason) => (
          <li key={reason.code}>
            {t(`segmentation.reason.${reason.code}`, {
              value: shown(reason.value),
              limit: shown(reason.limit),
            })}
          </li>
        ))}
      </ul>
    </section>
  );
}
