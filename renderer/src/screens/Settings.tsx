// 设置与关于: which HQ and branch this device belongs to, its id, the version, the language,
// and the keys. IT changes the HQ address by enrolling the device again (docs: README, branchctl).
import { startTour } from './help/Help';
import { Button, Descriptions, Select, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Locale } from '../i18n';
import { useDesk } from '../store';
import { ShortcutList } from './Shortcuts';

export function Settings({ onLocale }: { onLocale: (locale: Locale) => void }) {
  const { t } = useTranslation();
  const about = useDesk((state) => state.about);
  const locale = useDesk((state) => state.locale);
  const user = useDesk((state) => state.session?.user);
  return (
    <Space direction="vertical" size="large" data-testid="settings-view" style={{ width: '100%' }}>
      <Typography.Title level={4}>{t('settings.title')}</Typography.Title>
      <Descriptions bordered size="small" column={1} styles={{ label: { width: 180 } }}>
        <Descriptions.Item label={t('settings.branch')}>
          <span data-testid="settings-branch">
            {about?.enrolled
              ? `${about.branchId} ${about.branchName ?? ''}`
              : t('device.notEnrolled')}
          </span>
        </Descriptions.Item>
        <Descriptions.Item label={t('settings.hqUrl')}>{about?.hqUrl ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t('settings.deviceId')}>
          <Typography.Text copyable={Boolean(about?.deviceId)}>
            {about?.deviceId ?? '—'}
          </Typography.Text>
        </Descriptions.Item>
        <Descriptions.Item label={t('settings.version')}>
          <span data-testid="settings-version">{about?.version}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('settings.language')}>
          <Select<Locale>
            value={locale}
            onChange={onLocale}
            style={{ width: 160 }}
            options={[
              { value: 'zh-CN', label: '中文（简体）' },
              { value: 'en', label: 'English' },
            ]}
            aria-label={t('settings.language')}
            data-testid="settings-language"
          />
        </Descriptions.Item>
      </Descriptions>
      <Typography.Paragraph type="secondary">{t('settings.hqChange')}</Typography.Paragraph>
      <Typography.Title level={5}>{t('shortcuts.title')}</Typography.Title>
      <ShortcutList />
      {user && (
        <Button onClick={() => startTour(user.roles, t, () => undefined)} data-testid="tour-again">
          {t('tour.again')}
        </Button>
      )}
    </Space>
  );
}
