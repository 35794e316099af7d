// 待审批: changes to identity and sensitive fields waiting for a supervisor (maker-checker).
// The values are masked as the core sent them; the maker cannot approve their own change (the
// core refuses it, and says so here).
import { Button, Empty, Form, Input, Modal, Space, Table, Typography, message } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CommandOutput } from '../../../shared/commands/contract';
import { errorText } from '../errors';
import { formatDateTime } from '../format';
import { useDesk } from '../store';

type PendingChange = CommandOutput<'approvals.list'>['changes'][number];

const shown = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));

export function Approvals() {
  const { t } = useTranslation();
  const bridge = useDesk((state) => state.bridge)!;
  const locale = useDesk((state) => state.locale);
  const [changes, setChanges] = useState<PendingChange[]>();
  const [rejecting, setRejecting] = useState<PendingChange>();
  const [reason, setReason] = useState('');
  const [toast, holder] = message.useMessage();

  const load = useCallback(async () => {
    try {
      setChanges((await bridge.call('approvals.list', { all: false, limit: 100 })).changes);
    } catch (failure) {
      void toast.error(errorText(failure, locale));
    }
  }, [bridge, locale, toast]);

  useEffect(() => {
    void load();
  }, [load]);

  async function decide(action: () => Promise<unknown>, done: string) {
    try {
      await action();
      void toast.success(done);
      setRejecting(undefined);
      setReason('');
      await load();
    } catch (failure) {
      void toast.error(errorText(failure, locale));
    }
  }

  return (
    <div data-testid="approvals-view">
      {holder}
      <Typography.Title level={4}>{t('approvals.title')}</Typography.Title>
      {changes && changes.length === 0 ? (
        <Empty description={t('approvals.none')} />
      ) : (
        <Table<PendingChange>
          size="small"
          rowKey="id"
          loading={!changes}
          dataSource={changes ?? []}
          pagination={false}
          columns={[
            {
              title: t('approvals.changes'),
              render: (_, change) => (
                <Space direction="vertical" size={0}>
                  {Object.entries(change.changes).map(([field, value]) => (
                    <span key={field}>
                      {field} → {shown(value)}
                    </span>
                  ))}
                </Space>
              ),
            },
            { title: t('approvals.maker'), dataIndex: 'requestedBy' },
            {
              title: t('approvals.requestedAt'),
              render: (_, change) => formatDateTime(change.requestedAt),
            },
            {
              title: '',
              render: (_, change) => (
                <Space>
                  <Button
                    type="primary"
                    data-testid={`approve-${change.id}`}
                    onClick={() =>
                      void decide(
                        () => bridge.call('approvals.approve', { id: change.id }),
                        t('approvals.approved'),
                      )
                    }
                  >
                    {t('approvals.approve')}
                  </Button>
                  <Button danger onClick={() => setRejecting(change)}>
                    {t('approvals.reject')}
                  </Button>
                </Space>
              ),
            },
          ]}
        />
      )}
      <Modal
        open={rejecting !== undefined}
        title={t('approvals.reject')}
        okText={t('approvals.reject')}
        cancelText={t('reveal.cancel')}
        okButtonProps={{ danger: true, disabled: reason.trim() === '' }}
        onOk={() =>
          rejecting &&
          void decide(
            () => bridge.call('approvals.reject', { id: rejecting.id, reason }),
            t('approvals.rejected'),
          )
        }
        onCancel={() => setRejecting(undefined)}
      >
        <Form layout="vertical">
          <Form.Item label={t('approvals.reason')} required>
            <Input.TextArea
              value={reason}
              maxLength={500}
              onChange={(e) => setReason(e.target.value)}
            />
          </Form.Item>
        </Form>
      </Modal>
    </div>
  );
}
