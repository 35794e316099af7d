// 锁屏: only the user's name and the unlock field. Nothing of any customer is on screen.
import { Button, Card, Form, Input, Space } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../errors';
import { applySession, useDesk } from '../store';
import { FormError } from './FormError';

export function Lock() {
  const { t } = useTranslation();
  const bridge = useDesk((state) => state.bridge)!;
  const session = useDesk((state) => state.session)!;
  const locale = useDesk((state) => state.locale);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<{ password: string }>();

  async function unlock({ password }: { password: string }) {
    setBusy(true);
    setError(undefined);
    try {
      applySession(await bridge.call('session.unlock', { password }));
    } catch (failure) {
      setError(errorText(failure, locale));
      form.resetFields();
      // A lockout ends the session: the core says so on the next status.
      applySession(await bridge.call('session.status', {}));
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="centered">
      <Card title={t('lock.title')} style={{ width: 380 }}>
        <p data-testid="lock-user">{t('lock.locked', { name: session.user?.displayName ?? '' })}</p>
        <Form form={form} layout="vertical" onFinish={unlock} requiredMark={false}>
          <Form.Item name="password" label={t('lock.password')} rules={[{ required: true }]}>
            <Input.Password
              autoFocus
              autoComplete="current-password"
              data-testid="unlock-password"
            />
          </Form.Item>
          <FormError error={error} testId="unlock-error" />
          <Space>
            <Button type="primary" htmlType="submit" loading={busy} data-testid="unlock-submit">
              {t('lock.unlock')}
            </Button>
            <Button onClick={async () => applySession(await bridge.call('session.logout', {}))}>
              {t('lock.switchUser')}
            </Button>
          </Space>
        </Form>
      </Card>
    </main>
  );
}
