// 我的申请: the changes this member of staff submitted for approval, and what became of each:
// waiting, approved, rejected with the supervisor's reason, or to redo because a field it changes
// moved since. Read from this device's vault: held changes live where they were made.
import { Empty, Space, Tag, Typography, message } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { HeldChange } from '../../../shared/commands/approvals';
import { fieldsInWords } from '../../../shared/i18n/fields';
import { errorText } from '../errors';
import { useDesk } from '../store';
import { tagColour } from './tags';
import { HeldTable } from './approvals/HeldTable';
import { useOpenCustomer } from './approvals/open';

// Deep shades with white text (tags.tsx): antd's preset tags fall below AA contrast.
const statusColour: Record<HeldChange['status'], string> = {
  pending: tagColour.blue,
  approved: tagColour.green,
  rejected: tagColour.red,
  redo: tagColour.orange,
};

export function MyRequests() {
  const { t } = useTranslation();
  const bridge = useDesk((state) => state.bridge)!;
  const locale = useDesk((state) => state.locale);
  const synced = useDesk((state) => state.sync?.lastSuccessAt);
  const [changes, setChanges] = useState<HeldChange[]>();
  const [toast, holder] = message.useMessage();
  const failed = useCallback(
    (failure: unknown) => void toast.error(errorText(failure, locale)),
    [toast, locale],
  );
  const open = useOpenCustomer(failed);

  useEffect(() => {
    void (async () => {
      try {
        setChanges((await bridge.call('approvals.mine', { limit: 100 })).changes);
      } catch (failure) {
        failed(failure);
      }
    })();
  }, [bridge, failed, synced]);

  return (
    <div data-testid="mine-view">
      {holder}
      <Typography.Title level={4}>{t('held.mine.title')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('held.mine.local')}</Typography.Paragraph>
      {changes && changes.length === 0 ? (
        <Empty description={t('held.mine.none')} />
      ) : (
        <HeldTable
          changes={changes}
          rowTestId={(change) => `mine-row-${change.id}`}
          onOpen={(id) => void open(id)}
          columns={[]}
          trailing={[
            {
              title: t('held.statusTitle'),
              width: 280,
              render: (_, change) => (
                <Space direction="vertical" size={2} data-testid={`mine-${change.id}-status`}>
                  <Tag color={statusColour[change.status]}>{t(`held.status.${change.status}`)}</Tag>
                  {change.status === 'rejected' && change.reason && (
                    <Typography.Text data-testid={`mine-${change.id}-reason`}>
                      {t('held.mine.reasonLine', { reason: change.reason })}
                    </Typography.Text>
                  )}
                  {change.status === 'redo' && (
                    <Typography.Text style={{ color: tagColour.orange }}>
                      {t('held.mine.redoBecause', {
                        fields: fieldsInWords(change.moved)[locale],
                      })}
                    </Typography.Text>
                  )}
                  {change.decidedBy && (
                    <Typography.Text type="secondary">
                      {t('held.mine.decidedByLine', { name: change.deciderName ?? '—' })}
                    </Typography.Text>
                  )}
                </Space>
              ),
            },
          ]}
        />
      )}
    </div>
  );
}
