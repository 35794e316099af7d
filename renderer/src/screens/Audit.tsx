// 审计日志: the vault's audit log for auditors and supervisors, with the chain's verification
// at the top. Filters by customer and action; newest entries first.
import { Alert, Button, Form, Input, Select, Space, Table, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { auditActions } from '../../../shared/audit/entry';
import type { CommandOutput } from '../../../shared/commands/contract';
import { errorText } from '../errors';
import { formatDateTime } from '../format';
import { useDesk } from '../store';

type Entry = CommandOutput<'audit.export'>['entries'][number];
type Verification = CommandOutput<'audit.verify'>;

const SHOWN = 200;

/** A username as the log names its actor (`teller1` → `user:teller1`); an actor as typed stays. */
const actorOf = (text: string) => (text.includes(':') ? text : `user:${text}`);

export function Audit() {
  const { t } = useTranslation();
  const bridge = useDesk((state) => state.bridge)!;
  const locale = useDesk((state) => state.locale);
  const [verification, setVerification] = useState<Verification>();
  const [entries, setEntries] = useState<Entry[]>();
  const [customerId, setCustomerId] = useState('');
  const [user, setUser] = useState('');
  const [action, setAction] = useState<(typeof auditActions)[number]>();
  const [failure, setFailure] = useState<string>();

  const load = useCallback(async () => {
    setFailure(undefined);
    try {
      const [verified, exported] = await Promise.all([
        bridge.call('audit.verify', {}),
        bridge.call('audit.export', {
          ...(customerId.trim() ? { customerId: customerId.trim() } : {}),
          ...(action ? { action } : {}),
          ...(user.trim() ? { actor: actorOf(user.trim()) } : {}),
          limit: 100_000,
        }),
      ]);
      setVerification(verified);
      setEntries(exported.entries.slice(-SHOWN).reverse());
    } catch (error) {
      setFailure(errorText(error, locale));
    }
  }, [bridge, locale, customerId, action, user]);

  // Loaded once on opening; the filters apply on 查询 (not on every keystroke).
  const [opened] = useState(() => load);
  useEffect(() => {
    void opened();
  }, [opened]);

  return (
    <div data-testid="audit-view">
      <Typography.Title level={4}>{t('audit.title')}</Typography.Title>
      {verification && (
        <Alert
          type={verification.ok ? 'success' : 'error'}
          showIcon
          data-testid="audit-chain"
          title={
            verification.ok
              ? t('audit.intact', { count: verification.checked })
              : t('audit.broken', {
                  seq: verification.firstBad?.seq ?? 0,
                  problem: verification.firstBad?.problem ?? '',
                })
          }
          style={{ marginBottom: 12 }}
        />
      )}
      {failure && <Alert type="error" showIcon title={failure} style={{ marginBottom: 12 }} />}
      <Form layout="inline" onFinish={() => void load()} style={{ marginBottom: 12 }}>
        <Form.Item label={t('audit.customerId')}>
          <Input
            aria-label={t('audit.customerId')}
            value={customerId}
            onChange={(e) => setCustomerId(e.target.value)}
            allowClear
            style={{ width: 320 }}
          />
        </Form.Item>
        <Form.Item label={t('audit.user')}>
          <Input
            aria-label={t('audit.user')}
            value={user}
            onChange={(e) => setUser(e.target.value)}
            allowClear
            style={{ width: 160 }}
            data-testid="audit-user"
          />
        </Form.Item>
        <Form.Item label={t('audit.action')}>
          <Select
            allowClear
            value={action}
            onChange={setAction}
            style={{ width: 160 }}
            options={auditActions.map((value) => ({ value, label: value }))}
            aria-label={t('audit.action')}
          />
        </Form.Item>
        <Space>
          <Button type="primary" htmlType="submit">
            {t('audit.query')}
          </Button>
        </Space>
      </Form>
      <Table<Entry>
        size="small"
        rowKey="seq"
        loading={!entries}
        dataSource={entries ?? []}
        pagination={{ pageSize: 50, showSizeChanger: false }}
        columns={[
          { title: '#', dataIndex: 'seq', width: 70 },
          {
            title: t('audit.at'),
            render: (_, entry) => formatDateTime(entry.at),
            width: 150,
          },
          {
            title: t('audit.actor'),
            render: (_, entry) => <span data-testid="audit-actor">{entry.actor}</span>,
          },
          { title: t('audit.action'), dataIndex: 'action' },
          { title: t('audit.target'), dataIndex: 'target' },
          { title: t('audit.details'), dataIndex: 'details', ellipsis: true },
        ]}
      />
    </div>
  );
}
