// Sync: where this device stands (counts), a "sync now" button, the events of this session and
// the last rounds the device remembers, each with its counts; errors in words.
import { Button, Card, Descriptions, List, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DeviceHealth } from '../../../../shared/commands/device';
import { errorText } from '../../errors';
import { formatDateTime } from '../../format';
import type { Locale } from '../../i18n';
import { useDesk } from '../../store';
import { tagColour } from '../tags';
import { addSyncLogEntry, useSyncLog } from './sync-log';
import { codeInWords } from './words';

export function SyncCard({
  health,
  locale,
  onSynced,
}: {
  health: DeviceHealth | undefined;
  locale: Locale;
  onSynced: () => void;
}) {
  const { t } = useTranslation();
  const bridge = useDesk((state) => state.bridge)!;
  const entries = useSyncLog((log) => log.entries);
  const [running, setRunning] = useState(false);
  const [failure, setFailure] = useState<string>();

  async function syncNow() {
    setRunning(true);
    setFailure(undefined);
    try {
      const round = await bridge.call('sync.run', {});
      addSyncLogEntry({
        at: new Date().toISOString(),
        kind: 'ok',
        counts: {
          pushed: round.push.pushed,
          applied: round.push.applied,
          rejected: round.push.rejected,
          pulled: round.pull.done,
          inserted: round.pull.inserted,
          updated: round.pull.updated,
          removed: round.pull.removed,
          auditUploaded: round.audit.uploaded,
        },
      });
    } catch (error) {
      setFailure(errorText(error, locale));
      addSyncLogEntry({ at: new Date().toISOString(), kind: 'failed' });
    } finally {
      setRunning(false);
      onSynced();
    }
  }

  const sync = health?.sync;
  const rounds = health?.rounds ?? [];
  return (
    <Card
      size="small"
      title={t('roles.it.sync')}
      extra={
        <Button loading={running} onClick={() => void syncNow()} data-testid="it-sync-now">
          {running ? t('roles.it.syncing') : t('roles.it.syncNow')}
        </Button>
      }
      data-testid="it-sync"
    >
      {failure && (
        <Typography.Paragraph type="danger" data-testid="it-sync-error">
          {failure}
        </Typography.Paragraph>
      )}
      <Descriptions size="small" column={2}>
        <Descriptions.Item label={t('roles.it.lastSync')}>
          <span data-testid="it-last-sync">
            {sync?.lastSyncAt ? formatDateTime(sync.lastSyncAt) : sync ? t('roles.it.never') : '—'}
          </span>
        </Descriptions.Item>
        <Descriptions.Item label={t('roles.it.customers')}>
          {sync?.customers ?? '—'}
        </Descriptions.Item>
        <Descriptions.Item label={t('roles.it.outbox')}>{sync?.outbox ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t('roles.it.rejected')}>
          {sync?.rejected ?? '—'}
        </Descriptions.Item>
        <Descriptions.Item label={t('roles.it.openConflicts')}>
          {sync?.openConflicts ?? '—'}
        </Descriptions.Item>
        <Descriptions.Item label={t('roles.it.auditPending')}>
          {sync?.auditPending ?? '—'}
        </Descriptions.Item>
      </Descriptions>

      <Typography.Title level={5}>{t('roles.it.sessionLog')}</Typography.Title>
      <List
        size="small"
        data-testid="it-session-log"
        locale={{
          emptyText: (
            <Typography.Text type="secondary">{t('roles.it.sessionNone')}</Typography.Text>
          ),
        }}
        dataSource={entries}
        renderItem={(entry) => (
          <List.Item data-testid="it-session-event">
            <Space wrap>
              <span>{formatDateTime(entry.at)}</span>
              <Tag
                color={
                  entry.kind === 'ok'
                    ? tagColour.green
                    : entry.kind === 'failed'
                      ? tagColour.red
                      : tagColour.blue
                }
              >
                {entry.kind === 'ok'
                  ? t('roles.it.eventOk')
                  : entry.kind === 'failed'
                    ? t('roles.it.eventFailed')
                    : t('roles.it.eventStarted')}
              </Tag>
              {entry.counts && <span>{t('roles.it.roundCounts', entry.counts)}</span>}
              {entry.code && <span>{codeInWords(entry.code, locale)}</span>}
            </Space>
          </List.Item>
        )}
      />

      <Typography.Title level={5}>{t('roles.it.rounds')}</Typography.Title>
      <List
        size="small"
        data-testid="it-rounds"
        locale={{
          emptyText: <Typography.Text type="secondary">{t('roles.it.roundsNone')}</Typography.Text>,
        }}
        dataSource={rounds.slice(0, 10)}
        renderItem={(round) => (
          <List.Item data-testid="it-round">
            <Space wrap>
              <span>{formatDateTime(round.at)}</span>
              <Tag color={round.ok ? tagColour.green : tagColour.red}>
                {round.ok ? t('roles.it.roundOk') : t('roles.it.roundFailed')}
              </Tag>
              {round.ok && <span>{t('roles.it.roundCounts', round)}</span>}
            </Space>
          </List.Item>
        )}
      />

      <Typography.Title level={5}>{t('roles.it.errors')}</Typography.Title>
      <ErrorList rounds={rounds} locale={locale} />
    </Card>
  );
}

/** The errors of the last rounds, newest first, each once, in words. */
function ErrorList({ rounds, locale }: { rounds: DeviceHealth['rounds']; locale: Locale }) {
  const { t } = useTranslation();
  const lastError = useDesk((state) => state.sync?.lastError);
  const seen = new Set<string>();
  const errors: { at: string; code: string }[] = [];
  for (const round of rounds)
    if (round.error && !seen.has(round.error)) {
      seen.add(round.error);
      errors.push({ at: round.at, code: round.error });
    }
  if (lastError && !seen.has(lastError)) errors.unshift({ at: '', code: lastError });
  return (
    <List
      size="small"
      data-testid="it-errors"
      locale={{
        emptyText: <Typography.Text type="secondary">{t('roles.it.errorsNone')}</Typography.Text>,
      }}
      dataSource={errors}
      renderItem={(error) => (
        <List.Item data-testid="it-error">
          <Space wrap>
            {error.at && <span>{formatDateTime(error.at)}</span>}
            <span>{codeInWords(error.code, locale)}</span>
          </Space>
        </List.Item>
      )}
    />
  );
}
