// 员工登录: username, password, then the six-digit code from the authenticator app.
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../errors';
import { applySession, useDesk } from '../store';
import { FormError } from './FormError';

interface Fields {
  username: string;
  password: string;
  totp: string;
}

/** `sessionLost`: the page reloaded with someone signed in, and the core had ended the session. */
export function Login({ sessionLost = false }: { sessionLost?: boolean }) {
  const { t } = useTranslation();
  const bridge = useDesk((state) => state.bridge)!;
  const locale = useDesk((state) => state.locale);
  const about = useDesk((state) => state.about);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<Fields>();

  async function submit(fields: Fields) {
    setBusy(true);
    setError(undefined);
    try {
      applySession(await bridge.call('session.login', fields));
    } catch (failure) {
      setError(errorText(failure, locale));
      form.setFieldsValue({ password: '', totp: '' });
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="centered">
      <Card title={t('login.title')} style={{ width: 380 }}>
        {sessionLost && (
          <Alert
            type="info"
            showIcon
            style={{ marginBottom: 16 }}
            message={t('login.sessionLost')}
            data-testid="session-lost"
          />
        )}
        {about && !about.enrolled && (
          <Alert
            type="warning"
            showIcon
            style={{ marginBottom: 16 }}
            message={t('device.notEnrolled')}
            description={t('device.enrollHint')}
            data-testid="device-not-enrolled"
          />
        )}
        <Form form={form} layout="vertical" onFinish={submit} requiredMark={false}>
          <Form.Item
            name="username"
            label={t('login.username')}
            rules={[
              { required: true, message: t('login.required', { field: t('login.username') }) },
            ]}
          >
            <Input autoFocus autoComplete="username" data-testid="login-username" />
          </Form.Item>
          <Form.Item
            name="password"
            label={t('login.password')}
            rules={[
              { required: true, message: t('login.required', { field: t('login.password') }) },
            ]}
          >
            <Input.Password autoComplete="current-password" data-testid="login-password" />
          </Form.Item>
          <Form.Item
            name="totp"
            label={t('login.totp')}
            extra={t('login.totpHint')}
            rules={[{ required: true, pattern: /^\d{6}$/, message: t('login.totpHint') }]}
          >
            <Input
              inputMode="numeric"
              maxLength={6}
              autoComplete="one-time-code"
              data-testid="login-totp"
            />
          </Form.Item>
          <FormError error={error} testId="login-error" />
          <Button
            type="primary"
            htmlType="submit"
            block
            loading={busy}
            disabled={about?.enrolled === false}
            data-testid="login-submit"
          >
            {t('login.submit')}
          </Button>
        </Form>
        <Typography.Paragraph type="secondary" style={{ marginTop: 16, marginBottom: 0 }}>
          {t('login.offlineNote')}
        </Typography.Paragraph>
        {about?.enrolled && (
          <Button
            style={{ marginTop: 12 }}
            onClick={() => useDesk.getState().set({ privacyDesk: 'signing' })}
            data-testid="privacy-desk-open"
          >
            {t('privacyDesk.open')}
          </Button>
        )}
        {about?.enrolled && (
          <Typography.Paragraph
            type="secondary"
            style={{ marginTop: 8, marginBottom: 0 }}
            data-testid="device-enrolled"
          >
            {t('device.enrolled', {
              branch: `${about.branchId} ${about.branchName ?? ''}`.trim(),
              device: about.deviceId?.slice(0, 8),
            })}
          </Typography.Paragraph>
        )}
      </Card>
    </main>
  );
}
