// Which branch and HQ this device belongs to, its id, the version, and what the desk knows of
// updates (nothing: the desktop app's main process checks the feed; said so plainly).
import { Card, Descriptions, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { DeviceHealth } from '../../../../shared/commands/device';

export function EnrollmentCard({ about }: { about: DeviceHealth['about'] | undefined }) {
  const { t } = useTranslation();
  return (
    <Card size="small" title={t('roles.it.enrollment')} data-testid="it-enrollment">
      <Descriptions size="small" column={1} styles={{ label: { width: 140 } }}>
        <Descriptions.Item label={t('roles.it.branch')}>
          <span data-testid="it-branch">
            {about?.enrolled
              ? `${about.branchId ?? ''} ${about.branchName ?? ''}`
              : t('roles.it.notEnrolled')}
          </span>
        </Descriptions.Item>
        <Descriptions.Item label={t('roles.it.deviceId')}>
          <Typography.Text copyable={Boolean(about?.deviceId)} data-testid="it-device-id">
            {about?.deviceId ?? '—'}
          </Typography.Text>
        </Descriptions.Item>
        <Descriptions.Item label={t('roles.it.hqUrl')}>
          <span data-testid="it-hq-url">{about?.hqUrl ?? '—'}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('roles.it.version')}>{about?.version ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t('roles.it.updates')}>
          <span data-testid="it-updates">{t('roles.it.updatesUnknown')}</span>
        </Descriptions.Item>
      </Descriptions>
    </Card>
  );
}
