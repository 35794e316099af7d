// 冲突处理: identity fields changed differently here and at HQ, parked for a person (a
// supervisor) to decide. The chosen conflict shows its three values side by side: what both
// sides started from, this branch's edit, and HQ's. Keeping HQ's value pushes nothing; taking the
// branch's becomes a new change, pushed at once.
import { Button, Card, Col, Empty, Row, Space, Table, Tag, Typography, message } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CommandOutput } from '../../../shared/commands/contract';
import { errorText } from '../errors';
import { fieldLabel, fieldValueText, formatDateTime } from '../format';
import { useDesk } from '../store';

type Conflict = CommandOutput<'sync.conflicts.list'>['conflicts'][number];

export function Conflicts() {
  const { t } = useTranslation();
  const bridge = useDesk((state) => state.bridge)!;
  const locale = useDesk((state) => state.locale);
  const [conflicts, setConflicts] = useState<Conflict[]>();
  const [chosen, setChosen] = useState<number>();
  const [busy, setBusy] = useState(false);
  const [toast, holder] = message.useMessage();

  const load = useCallback(async () => {
    try {
      const open = (await bridge.call('sync.conflicts.list', { all: false, limit: 100 })).conflicts;
      setConflicts(open);
      setChosen((current) => (open.some((entry) => entry.id === current) ? current : open[0]?.id));
    } catch (failure) {
      void toast.error(errorText(failure, locale));
    }
  }, [bridge, locale, toast]);

  useEffect(() => {
    void load();
  }, [load]);

  async function resolve(conflict: Conflict, take: 'local' | 'hq') {
    setBusy(true);
    try {
      await bridge.call('sync.conflicts.resolve', { id: conflict.id, take });
      void toast.success(take === 'hq' ? t('conflicts.tookHq') : t('conflicts.tookLocal'));
      await load();
    } catch (failure) {
      void toast.error(errorText(failure, locale));
    } finally {
      setBusy(false);
    }
  }

  const current = conflicts?.find((entry) => entry.id === chosen);
  return (
    <div data-testid="conflicts-view">
      {holder}
      <Typography.Title level={4}>{t('conflicts.title')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('conflicts.explain')}</Typography.Paragraph>
      {conflicts && conflicts.length === 0 ? (
        <Empty description={t('conflicts.none')} data-testid="conflicts-none" />
      ) : (
        <Space direction="vertical" size="middle" style={{ width: '100%' }}>
          <Table<Conflict>
            size="small"
            rowKey="id"
            loading={!conflicts}
            dataSource={conflicts ?? []}
            pagination={false}
            rowClassName={(entry) => (entry.id === chosen ? 'selected clickable' : 'clickable')}
            onRow={(entry) => ({ onClick: () => setChosen(entry.id) })}
            columns={[
              { title: t('customer.customerNumber'), dataIndex: 'customerNumber' },
              {
                title: t('conflicts.field'),
                render: (_, entry) => fieldLabel(t, entry.field),
              },
              {
                title: t('conflicts.parkedAt'),
                render: (_, entry) => formatDateTime(entry.createdAt),
              },
            ]}
          />
          {current && (
            <ConflictSides
              conflict={current}
              busy={busy}
              onResolve={(take) => void resolve(current, take)}
            />
          )}
        </Space>
      )}
    </div>
  );
}

function ConflictSides({
  conflict,
  busy,
  onResolve,
}: {
  conflict: Conflict;
  busy: boolean;
  onResolve: (take: 'local' | 'hq') => void;
}) {
  const { t } = useTranslation();
  const sides = [
    { key: 'base', title: t('conflicts.base'), value: conflict.base },
    { key: 'local', title: t('conflicts.local'), value: conflict.local },
    { key: 'hq', title: t('conflicts.hq'), value: conflict.hq },
  ] as const;
  return (
    <div data-testid="conflict-sides">
      <Typography.Title level={5}>
        {conflict.customerNumber} · {fieldLabel(t, conflict.field)}{' '}
        {conflict.hqVersion !== null && (
          <Tag>{t('conflicts.hqVersion', { version: conflict.hqVersion })}</Tag>
        )}
      </Typography.Title>
      <Row gutter={12}>
        {sides.map((side) => (
          <Col span={8} key={side.key}>
            <Card size="small" title={side.title}>
              <pre className="field-value" data-testid={`conflict-${side.key}`}>
                {fieldValueText(side.value)}
              </pre>
            </Card>
          </Col>
        ))}
      </Row>
      <Space style={{ marginTop: 12 }}>
        <Button
          type="primary"
          disabled={busy}
          onClick={() => onResolve('local')}
          data-testid="conflict-take-local"
        >
          {t('conflicts.takeLocal')}
        </Button>
        <Button disabled={busy} onClick={() => onResolve('hq')} data-testid="conflict-take-hq">
          {t('conflicts.takeHq')}
        </Button>
      </Space>
    </div>
  );
}
