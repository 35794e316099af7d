// 设备运维: IT's screen. The device's health (what `branchctl doctor` checks), its enrollment and
// HQ, sync now with the log of this session and the last rounds, the last errors in words, the
// version and what is known of updates. Nothing about any customer: IT sees none.
import { Col, Row, Space, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DeviceHealth } from '../../../shared/commands/device';
import { errorText } from '../errors';
import { useDesk } from '../store';
import { EnrollmentCard } from './it/EnrollmentCard';
import { HealthCard } from './it/HealthCard';
import { SyncCard } from './it/SyncCard';

export function ItDesk() {
  const { t } = useTranslation();
  const bridge = useDesk((state) => state.bridge)!;
  const locale = useDesk((state) => state.locale);
  const lastSuccessAt = useDesk((state) => state.sync?.lastSuccessAt);
  const [health, setHealth] = useState<DeviceHealth>();
  const [failure, setFailure] = useState<string>();

  const load = useCallback(async () => {
    try {
      const next = await bridge.call('device.health', {});
      setHealth(next);
      // A round this desk ran is news to the status bar too (the scheduler did not run it).
      useDesk.getState().set({ about: next.about });
      setFailure(undefined);
    } catch (error) {
      setFailure(errorText(error, useDesk.getState().locale));
    }
  }, [bridge]);

  // Again after each background round, so the counts and rounds follow the device.
  useEffect(() => {
    void load();
  }, [load, lastSuccessAt]);

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }} data-testid="it-desk">
      <Typography.Title level={4}>{t('roles.it.title')}</Typography.Title>
      {failure && (
        <Typography.Paragraph type="danger" data-testid="it-failure">
          {failure}
        </Typography.Paragraph>
      )}
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={12}>
          <Space direction="vertical" size="middle" style={{ width: '100%' }}>
            <EnrollmentCard about={health?.about} />
            <HealthCard doctor={health?.doctor} locale={locale} onRecheck={() => void load()} />
          </Space>
        </Col>
        <Col xs={24} xl={12}>
          <SyncCard health={health} locale={locale} onSynced={() => void load()} />
        </Col>
      </Row>
    </Space>
  );
}
