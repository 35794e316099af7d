// 被拒变更: changes HQ refused, whole or one field, with the reason; they left the outbox so
// they never hold up the others, and they stay here for the teller to see and redo if needed.
import { Empty, Table, Typography, message } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CommandOutput } from '../../../shared/commands/contract';
import { errorText } from '../errors';
import { fieldLabel, fieldValueText, formatDateTime } from '../format';
import { useDesk } from '../store';

type Rejected = CommandOutput<'sync.rejected.list'>['rejected'][number];

export function RejectedLedger() {
  const { t } = useTranslation();
  const bridge = useDesk((state) => state.bridge)!;
  const locale = useDesk((state) => state.locale);
  const [rejected, setRejected] = useState<Rejected[]>();
  const [toast, holder] = message.useMessage();

  useEffect(() => {
    bridge
      .call('sync.rejected.list', { limit: 200 })
      .then((output) => setRejected(output.rejected))
      .catch((failure: unknown) => void toast.error(errorText(failure, locale)));
  }, [bridge, locale, toast]);

  return (
    <div data-testid="rejected-view">
      {holder}
      <Typography.Title level={4}>{t('rejected.title')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('rejected.explain')}</Typography.Paragraph>
      {rejected && rejected.length === 0 ? (
        <Empty description={t('rejected.none')} />
      ) : (
        <Table<Rejected>
          size="small"
          rowKey="id"
          loading={!rejected}
          dataSource={rejected ?? []}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          columns={[
            { title: t('rejected.at'), render: (_, entry) => formatDateTime(entry.decidedAt) },
            {
              title: t('conflicts.field'),
              render: (_, entry) =>
                entry.field ? fieldLabel(t, entry.field) : t('rejected.whole'),
            },
            {
              title: t('rejected.value'),
              render: (_, entry) => <span>{fieldValueText(entry.localValue)}</span>,
            },
            {
              title: t('rejected.reason'),
              render: (_, entry) => t(`rejection.${entry.reason}`, { defaultValue: entry.reason }),
            },
          ]}
        />
      )}
    </div>
  );
}
