// 待审批: changes to identity and sensitive fields waiting for a supervisor (maker-checker). Each
// row says whose record (name masked by the core, the customer number opening the 360), what
// changes from what to what (masked as the core sent it), who made it and why, and how long ago.
// A supervisor's own change offers no 批准 (the core refuses it too) and says why.
import { Button, Empty, Form, Input, Modal, Space, Tag, Typography, message } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { HeldChange } from '../../../shared/commands/approvals';
import { fieldsInWords } from '../../../shared/i18n/fields';
import { errorText } from '../errors';
import { useDesk } from '../store';
import { ChangeLines } from './approvals/ChangeLines';
import { useWaiting } from './approvals/count';
import { HeldTable } from './approvals/HeldTable';
import { useOpenCustomer } from './approvals/open';
import { tagColour } from './tags';

export function Approvals() {
  const { t } = useTranslation();
  const bridge = useDesk((state) => state.bridge)!;
  const locale = useDesk((state) => state.locale);
  const refreshCount = useWaiting((state) => state.refresh);
  const [changes, setChanges] = useState<HeldChange[]>();
  const [rejecting, setRejecting] = useState<HeldChange>();
  const [reason, setReason] = useState('');
  const [toast, holder] = message.useMessage();
  const failed = useCallback(
    (failure: unknown) => void toast.error(errorText(failure, locale)),
    [toast, locale],
  );
  const open = useOpenCustomer(failed);

  const load = useCallback(async () => {
    try {
      setChanges((await bridge.call('approvals.list', { all: false, limit: 100 })).changes);
    } catch (failure) {
      failed(failure);
    }
    void refreshCount(bridge);
  }, [bridge, failed, refreshCount]);

  useEffect(() => {
    void load();
  }, [load]);

  async function decide(action: () => Promise<unknown>, done: string) {
    try {
      await action();
      void toast.success(done);
      setRejecting(undefined);
      setReason('');
    } catch (failure) {
      failed(failure);
    }
    await load();
  }

  return (
    <div data-testid="approvals-view">
      {holder}
      <Typography.Title level={4}>{t('approvals.title')}</Typography.Title>
      {changes && changes.length === 0 ? (
        <Empty description={t('approvals.none')} />
      ) : (
        <HeldTable
          changes={changes}
          rowTestId={(change) => `held-row-${change.id}`}
          onOpen={(id) => void open(id)}
          change={(change) => (
            <Space direction="vertical" size={2}>
              <ChangeLines change={change} />
              {change.moved.length > 0 && (
                <Typography.Text
                  style={{ color: tagColour.orange }}
                  data-testid={`held-${change.id}-moved`}
                >
                  {t('held.movedWarning', { fields: fieldsInWords(change.moved)[locale] })}
                </Typography.Text>
              )}
            </Space>
          )}
          columns={[
            {
              title: t('held.maker'),
              width: 180,
              render: (_, change) => (
                <Space direction="vertical" size={0}>
                  <span data-testid={`held-${change.id}-maker`}>
                    {change.makerName ?? t('held.status.pending')}
                  </span>
                  {change.correction && (
                    <Tag color={tagColour.blue} data-testid={`held-${change.id}-correction`}>
                      {t('edit.correction')}
                    </Tag>
                  )}
                  {change.note && (
                    <Typography.Text type="secondary" data-testid={`held-${change.id}-note`}>
                      {t('held.noteLine', { note: change.note })}
                    </Typography.Text>
                  )}
                </Space>
              ),
            },
          ]}
          trailing={[
            {
              title: '',
              width: 200,
              render: (_, change) =>
                change.own ? (
                  <Space direction="vertical" size={4}>
                    <Typography.Text type="secondary" data-testid={`held-${change.id}-own`}>
                      {t('held.ownChange')}
                    </Typography.Text>
                  </Space>
                ) : (
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
                    <Button
                      danger
                      data-testid={`reject-${change.id}`}
                      onClick={() => setRejecting(change)}
                    >
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
        okButtonProps={{
          danger: true,
          disabled: reason.trim() === '',
          'data-testid': 'reject-confirm',
        }}
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
          <Form.Item label={t('approvals.reason')} required htmlFor="reject-reason">
            <Input.TextArea
              id="reject-reason"
              data-testid="reject-reason"
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
