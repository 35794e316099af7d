// 投诉管理: the open complaints and suggestions, overdue first and in red; one's own, or (a
// supervisor) the whole branch's on this device. A row opens the customer on 投诉与建议.
import { Empty, Segmented, Space, Switch, Table, Tag, Typography, message } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CommandOutput } from '../../../shared/commands/contract';
import { errorText } from '../errors';
import { useCan } from '../permissions';
import { useDesk } from '../store';
import { useOpenCustomer } from './approvals/open';
import { categoryName, statusColour, useComplaintRules } from './customer/Complaints';
import { useCustomerTab } from './customer/state';
import { tagColour } from './tags';

type Item = CommandOutput<'complaint.list'>['items'][number];

export function ComplaintsDesk() {
  const { t } = useTranslation();
  const can = useCan();
  const bridge = useDesk((state) => state.bridge)!;
  const locale = useDesk((state) => state.locale);
  const synced = useDesk((state) => state.sync?.lastSuccessAt);
  const rules = useComplaintRules();
  const [scope, setScope] = useState<'mine' | 'branch'>(can('approve') ? 'branch' : 'mine');
  const [overdueOnly, setOverdueOnly] = useState(false);
  const [items, setItems] = useState<Item[]>();
  const [toast, holder] = message.useMessage();
  const failed = useCallback(
    (failure: unknown) => void toast.error(errorText(failure, locale)),
    [toast, locale],
  );
  const open = useOpenCustomer(failed);
  const showTab = useCustomerTab((state) => state.show);

  useEffect(() => {
    let current = true;
    bridge
      .call('complaint.list', { scope, overdueOnly })
      .then((listed) => current && setItems(listed.items))
      .catch(failed);
    return () => {
      current = false;
    };
  }, [bridge, scope, overdueOnly, failed, synced]);

  const overdue = items?.filter((item) => item.overdue !== null).length ?? 0;
  return (
    <div data-testid="complaints-view">
      {holder}
      <Typography.Title level={4}>{t('complaint.desk.title')}</Typography.Title>
      <Space style={{ marginBottom: 12 }} wrap>
        {can('approve') && (
          <Segmented
            value={scope}
            onChange={(value) => setScope(value as 'mine' | 'branch')}
            options={[
              { value: 'branch', label: t('complaint.desk.branch') },
              { value: 'mine', label: t('complaint.desk.mine') },
            ]}
            data-testid="complaints-scope"
          />
        )}
        <Space>
          <Switch
            checked={overdueOnly}
            onChange={setOverdueOnly}
            data-testid="complaints-overdue-only"
            aria-label={t('complaint.desk.overdueOnly')}
          />
          {t('complaint.desk.overdueOnly')}
        </Space>
        {overdue > 0 && (
          <Tag color={tagColour.red} data-testid="complaints-overdue-count">
            {t('complaint.desk.overdueCount', { count: overdue })}
          </Tag>
        )}
      </Space>
      {items && items.length === 0 ? (
        <Empty description={t('complaint.desk.none')} />
      ) : (
        <Table<Item>
          size="small"
          loading={!items}
          dataSource={items}
          rowKey={(item) => item.complaint.id}
          pagination={{ pageSize: 50, hideOnSinglePage: true }}
          rowClassName={(item) => (item.overdue ? 'complaint-overdue-row' : '')}
          onRow={(item) => ({
            onClick: () => {
              showTab(item.customer.id, 'complaints');
              void open(item.customer.id);
            },
            'data-testid': `complaint-row-${item.complaint.reference}`,
            style: { cursor: 'pointer' },
          })}
          columns={[
            {
              title: t('complaint.desk.reference'),
              render: (_, item) => (
                <Typography.Text strong>{item.complaint.reference}</Typography.Text>
              ),
            },
            {
              title: t('complaint.desk.customer'),
              render: (_, item) => `${item.customer.displayName} ${item.customer.customerNumber}`,
            },
            {
              title: t('complaint.categoryLabel'),
              render: (_, item) => (
                <Space size={4}>
                  <Tag>{t(`complaint.kind.${item.complaint.kind}`)}</Tag>
                  {categoryName(rules, item.complaint.category, locale)}
                </Space>
              ),
            },
            {
              title: t('complaint.desk.status'),
              render: (_, item) => (
                <Tag color={statusColour[item.status]}>{t(`complaint.status.${item.status}`)}</Tag>
              ),
            },
            {
              title: t('complaint.desk.due'),
              render: (_, item) => (
                <Space size={4}>
                  {item.due ?? '—'}
                  {item.overdue && (
                    <Tag color={tagColour.red} data-testid="complaint-row-overdue">
                      {t(`complaint.overdue.${item.overdue}`)}
                    </Tag>
                  )}
                </Space>
              ),
            },
            { title: t('complaint.desk.owner'), render: (_, item) => item.complaint.owner },
          ]}
        />
      )}
    </div>
  );
}
