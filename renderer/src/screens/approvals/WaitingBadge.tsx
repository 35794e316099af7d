// The count beside 待审批 in the side menu.
import { Badge } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useDesk } from '../../store';
import { useWaiting } from './count';

const EVERY_MS = 30_000;

export function WaitingBadge() {
  const { t } = useTranslation();
  const bridge = useDesk((state) => state.bridge)!;
  const synced = useDesk((state) => state.sync?.lastSuccessAt);
  const { count, refresh } = useWaiting();

  useEffect(() => {
    void refresh(bridge);
    const timer = window.setInterval(() => void refresh(bridge), EVERY_MS);
    return () => window.clearInterval(timer);
  }, [bridge, refresh, synced]);

  if (!count) return null;
  return (
    <Badge
      count={count}
      size="small"
      data-testid="approvals-badge"
      title={t('held.waiting', { count })}
      style={{ marginInlineStart: 6 }}
    />
  );
}
