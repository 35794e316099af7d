// 设备已停用: HQ revoked this device and the core wiped it. Nobody can sign in here again, so
// the desk says so instead of showing the sign-in form.
import { Result } from 'antd';
import { useTranslation } from 'react-i18next';

export function Revoked() {
  const { t } = useTranslation();
  return (
    <main className="centered" data-testid="device-revoked">
      <Result status="error" title={t('device.revoked')} subTitle={t('device.revokedHint')} />
    </main>
  );
}
