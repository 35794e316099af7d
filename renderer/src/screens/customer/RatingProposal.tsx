// 风险评级调整 on the KYC tab: an RM with new information about the customer proposes another
// level, with why (customer.propose_rating). The proposal is held for a supervisor who is not its
// maker (待审批, four eyes) and then recorded at HQ, which re-rates with it as a floor; the level
// HQ records stays the one in force. Below, the proposals approved so far, newest first.
import { Alert, Button, Form, Input, Radio, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RatingProposal as Proposal } from '../../../../shared/customer/records';
import { riskRatings } from '../../../../shared/customer/records';
import { formatDateTime } from '../../format';
import { useCan } from '../../permissions';
import { useDesk } from '../../store';
import { useEntrySave } from './save';

type Level = (typeof riskRatings)[number];

export function RatingProposals({
  customerId,
  proposals,
  restricted,
}: {
  customerId: string;
  proposals: readonly Proposal[];
  restricted: boolean;
}) {
  const { t } = useTranslation();
  const can = useCan();
  const [open, setOpen] = useState(false);
  const [held, setHeld] = useState(false);
  const latestFirst = [...proposals].sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
  return (
    <section data-testid="rating-proposals" aria-label={t('proposal.title')}>
      <Space align="baseline">
        <Typography.Title level={5}>{t('proposal.title')}</Typography.Title>
        {can('review_kyc') && !restricted && !open && (
          <Button size="small" onClick={() => setOpen(true)} data-testid="proposal-start">
            {t('proposal.start')}
          </Button>
        )}
      </Space>
      {held && (
        <Alert
          type="info"
          showIcon
          closable
          onClose={() => setHeld(false)}
          message={t('proposal.held')}
          data-testid="proposal-held"
        />
      )}
      {open && (
        <ProposalForm
          customerId={customerId}
          onCancel={() => setOpen(false)}
          onHeld={() => {
            setOpen(false);
            setHeld(true);
          }}
        />
      )}
      {latestFirst.length > 0 && (
        <Table
          size="small"
          pagination={false}
          rowKey="id"
          dataSource={latestFirst}
          data-testid="proposal-history"
          columns={[
            { title: t('proposal.at'), render: (_, entry) => formatDateTime(entry.at), width: 150 },
            { title: t('proposal.level'), render: (_, entry) => t(`riskLevel.${entry.level}`) },
            { title: t('proposal.reason'), dataIndex: 'reason' },
          ]}
        />
      )}
    </section>
  );
}

function ProposalForm({
  customerId,
  onCancel,
  onHeld,
}: {
  customerId: string;
  onCancel: () => void;
  onHeld: () => void;
}) {
  const { t } = useTranslation();
  const bridge = useDesk((state) => state.bridge)!;
  const [level, setLevel] = useState<Level>();
  const [reason, setReason] = useState('');
  // One id however often the save is retried: the core holds the proposal once.
  const [proposalId] = useState(() => crypto.randomUUID());
  const saver = useEntrySave(customerId);
  const ready = level !== undefined && reason.trim() !== '';
  const submit = () => {
    if (!ready) return;
    void saver
      .run(() =>
        bridge.call('customer.propose_rating', {
          id: customerId,
          proposalId,
          level,
          reason: reason.trim(),
        }),
      )
      .then((saved) => saved && onHeld());
  };
  return (
    <Form layout="vertical" onFinish={submit} data-testid="proposal-form" style={{ maxWidth: 640 }}>
      <Form.Item label={t('proposal.level')} required>
        <Radio.Group
          value={level}
          onChange={(event) => setLevel(event.target.value as Level)}
          options={riskRatings.map((value) => ({
            value,
            label: <span data-testid={`proposal-level-${value}`}>{t(`riskLevel.${value}`)}</span>,
          }))}
        />
      </Form.Item>
      <Form.Item
        label={t('proposal.reason')}
        htmlFor="proposal-reason"
        required
        extra={t('proposal.reasonHelp')}
      >
        <Input.TextArea
          id="proposal-reason"
          value={reason}
          onChange={(event) => setReason(event.target.value)}
          rows={2}
          maxLength={2000}
          data-testid="proposal-reason"
          onKeyDown={(event) => {
            if (event.key !== 'Escape') return;
            // The form's own Esc: the desk's (leave the customer) must not see it too.
            event.stopPropagation();
            onCancel();
          }}
        />
      </Form.Item>
      {saver.failure && <Alert type="error" showIcon message={saver.failure} />}
      <Space>
        <Button
          type="primary"
          htmlType="submit"
          disabled={!ready}
          loading={saver.saving}
          data-testid="proposal-save"
        >
          {t('proposal.save')}
        </Button>
        <Button onClick={onCancel}>{t('proposal.cancel')}</Button>
      </Space>
    </Form>
  );
}
