// 外呼名单: a campaign's call list in the book. The core lists only customers in the target whose
// consent for the channel stands today, under the month's contact cap and not opted out; each
// contact's outcome is recorded on the customer (offline too) and the list follows at once.
import { Alert, Button, Card, Empty, Space, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { BookScope, InsightCallListOutput } from '../../../../shared/commands/insight';
import { campaignOutcomes } from '../../../../shared/customer';
import { errorText } from '../../errors';
import { formatPhone } from '../../format';
import { useDesk } from '../../store';

type Row = InsightCallListOutput['items'][number];
type Outcome = (typeof campaignOutcomes)[number];

export function CallList({
  campaignId,
  scope,
  onBack,
  onOpen,
}: {
  campaignId: string;
  scope: BookScope;
  onBack: () => void;
  onOpen: (id: string) => void;
}) {
  const { t } = useTranslation();
  const bridge = useDesk((state) => state.bridge)!;
  const locale = useDesk((state) => state.locale);
  const [list, setList] = useState<InsightCallListOutput>();
  const [failure, setFailure] = useState<string>();
  const [busy, setBusy] = useState<string>();

  const load = useCallback(async () => {
    try {
      setList(await bridge.call('insight.call_list', { campaignId, scope }));
    } catch (error) {
      setFailure(errorText(error, locale));
    }
  }, [bridge, campaignId, scope, locale]);
  useEffect(() => {
    void load();
  }, [load]);

  const record = async (row: Row, outcome: Outcome) => {
    setBusy(row.customer.id);
    setFailure(undefined);
    try {
      await bridge.call('customer.record_contact', {
        id: row.customer.id,
        contactId: crypto.randomUUID(),
        campaignId,
        outcome,
      });
      await load();
    } catch (error) {
      setFailure(errorText(error, locale));
    } finally {
      setBusy(undefined);
    }
  };

  const campaign = list?.campaign;
  const text = (words: { zh: string; en: string }) => (locale === 'en' ? words.en : words.zh);
  return (
    <div data-testid="call-list" className="call-list">
      <Space align="baseline">
        <Button onClick={onBack} data-testid="call-list-back">
          {t('home.back')}
        </Button>
        {campaign && (
          <Typography.Title level={4} data-testid="call-list-title">
            {t('campaign.listTitle', { title: text(campaign.title), total: list.items.length })}
          </Typography.Title>
        )}
      </Space>
      {campaign && (
        <Card size="small" title={t('campaign.script')} style={{ marginBottom: 12 }}>
          <Typography.Paragraph>{text(campaign.script)}</Typography.Paragraph>
          <Typography.Text type="secondary">
            {t('campaign.terms', {
              channel: t(`campaign.channel.${campaign.channel}`),
              from: campaign.from,
              until: campaign.until,
              cap: campaign.contactCapPerMonth,
            })}
          </Typography.Text>
        </Card>
      )}
      {failure && <Alert type="error" showIcon title={failure} data-testid="call-list-error" />}
      {list && list.items.length === 0 ? (
        <Empty description={t('campaign.nobody')} />
      ) : (
        <Table<Row>
          size="small"
          pagination={false}
          rowKey={(row) => row.customer.id}
          dataSource={list?.items ?? []}
          onRow={() => ({ 'data-testid': 'call-list-row' }) as React.HTMLAttributes<HTMLElement>}
          columns={[
            {
              title: t('home.number'),
              width: 140,
              render: (_, row) => (
                <a
                  href="#"
                  onClick={(event) => {
                    event.preventDefault();
                    onOpen(row.customer.id);
                  }}
                >
                  {row.customer.customerNumber}
                </a>
              ),
            },
            { title: t('home.name'), render: (_, row) => row.customer.displayName },
            {
              title: t('customer.phone'),
              width: 150,
              render: (_, row) =>
                row.customer.primaryPhone ? formatPhone(row.customer.primaryPhone) : '',
            },
            {
              title: t('campaign.thisMonth'),
              width: 100,
              align: 'right',
              render: (_, row) => <Tag>{row.contactsThisMonth}</Tag>,
            },
            {
              title: t('campaign.outcome'),
              render: (_, row) => (
                <Space wrap>
                  {campaignOutcomes.map((outcome) => (
                    <Button
                      key={outcome}
                      size="small"
                      danger={outcome === 'do_not_contact'}
                      loading={busy === row.customer.id}
                      onClick={() => void record(row, outcome)}
                      data-testid={`contact-${outcome}`}
                    >
                      {t(`campaign.outcomes.${outcome}`)}
                    </Button>
                  ))}
                </Space>
              ),
            },
          ]}
        />
      )}
    </div>
  );
}
