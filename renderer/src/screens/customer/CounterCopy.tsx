// 出具个人信息副本: the customer's own copy of their data at the counter (PIPL Art. 45), for a
// supervisor. The customer is present and identified; a second supervisor of the branch co-signs
// here with their own username, password and code (checked at HQ, for this copy only). The copy
// comes from HQ, is shown and printed from memory, and is gone when the window closes: nothing is
// written to this PC. The report is HQ's own zh-CN page (shared/privacy/copy-report.ts), every
// value escaped there; its nodes are adopted here without its style or any script.
import { Alert, Button, Checkbox, Form, Input, Modal, Space, Typography } from 'antd';
import { useLayoutEffect, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import { useTranslation } from 'react-i18next';
import type { CommandOutput } from '../../../../shared/commands/contract';
import { errorText } from '../../errors';
import { useCan } from '../../permissions';
import { useDesk } from '../../store';
import { FormError } from '../FormError';
import '../privacy/privacy.css';

type Produced = CommandOutput<'privacy.copy.counter'>;

interface Fields {
  identityChecked: boolean;
  username: string;
  password: string;
  totp: string;
}

/** The report's body, adopted into `into` (its head, style and title stay behind). */
export function ReportBody({ html, testId }: { html: string; testId: string }) {
  const into = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    const body = new DOMParser().parseFromString(html, 'text/html').body;
    into.current?.replaceChildren(
      ...Array.from(body.childNodes).map((node) => document.importNode(node, true)),
    );
    return () => into.current?.replaceChildren();
  }, [html]);
  return <div ref={into} className="counter-copy-report" data-testid={testId} />;
}

export function CounterCopyButton({ customerId }: { customerId: string }) {
  const { t } = useTranslation();
  const can = useCan();
  const bridge = useDesk((state) => state.bridge)!;
  const locale = useDesk((state) => state.locale);
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [produced, setProduced] = useState<Produced>();
  const [form] = Form.useForm<Fields>();
  if (!can('produce_copy')) return null;

  function close() {
    // The copy and the co-signer's password leave memory with the window.
    setProduced(undefined);
    setError(undefined);
    form.resetFields();
    setOpen(false);
  }

  async function produce(fields: Fields) {
    setBusy(true);
    setError(undefined);
    try {
      setProduced(
        await bridge.call('privacy.copy.counter', {
          id: customerId,
          identityChecked: true,
          cosigner: { username: fields.username, password: fields.password, totp: fields.totp },
        }),
      );
    } catch (failure) {
      setError(errorText(failure, locale));
    } finally {
      form.setFieldValue('password', '');
      form.setFieldValue('totp', '');
      setBusy(false);
    }
  }

  const required = (field: string) => ({
    required: true,
    message: t('counterCopy.required', { field }),
  });
  return (
    <>
      <Button onClick={() => setOpen(true)} data-testid="counter-copy-open">
        {t('counterCopy.open')}
      </Button>
      <Modal
        open={open}
        title={t('counterCopy.title')}
        onCancel={close}
        width={produced ? 960 : 520}
        destroyOnHidden
        footer={
          produced ? (
            <Space>
              <Button onClick={() => window.print()} data-testid="counter-copy-print">
                {t('counterCopy.print')}
              </Button>
              <Button type="primary" onClick={close} data-testid="counter-copy-close">
                {t('counterCopy.close')}
              </Button>
            </Space>
          ) : null
        }
      >
        {produced ? (
          <>
            <Alert
              type="success"
              showIcon
              title={t('counterCopy.produced', {
                changes: produced.copy.changes.length,
                access: produced.copy.access.length,
              })}
            />
            <div className="counter-copy-screen">
              <ReportBody html={produced.html} testId="counter-copy-report" />
            </div>
            {createPortal(
              <section className="counter-copy-print">
                <ReportBody html={produced.html} testId="counter-copy-print-view" />
              </section>,
              document.body,
            )}
          </>
        ) : (
          <Form<Fields>
            form={form}
            layout="vertical"
            onFinish={(fields) => void produce(fields)}
            disabled={busy}
            data-testid="counter-copy-form"
          >
            <Typography.Paragraph type="secondary">{t('counterCopy.rule')}</Typography.Paragraph>
            <Form.Item
              name="identityChecked"
              valuePropName="checked"
              rules={[
                {
                  validator: (_rule, checked) =>
                    checked
                      ? Promise.resolve()
                      : Promise.reject(new Error(t('counterCopy.identityRequired'))),
                },
              ]}
            >
              <Checkbox data-testid="counter-copy-identity">
                {t('counterCopy.identityChecked')}
              </Checkbox>
            </Form.Item>
            <Typography.Text strong>{t('counterCopy.cosigner')}</Typography.Text>
            <Form.Item
              name="username"
              label={t('counterCopy.username')}
              rules={[required(t('counterCopy.username'))]}
            >
              <Input autoComplete="off" data-testid="counter-copy-username" />
            </Form.Item>
            <Form.Item
              name="password"
              label={t('counterCopy.password')}
              rules={[required(t('counterCopy.password'))]}
            >
              <Input.Password autoComplete="off" data-testid="counter-copy-password" />
            </Form.Item>
            <Form.Item
              name="totp"
              label={t('counterCopy.totp')}
              rules={[{ required: true, pattern: /^\d{6}$/, message: t('counterCopy.totpHint') }]}
            >
              <Input inputMode="numeric" maxLength={6} data-testid="counter-copy-totp" />
            </Form.Item>
            <FormError error={error} testId="counter-copy-error" />
            <Button
              type="primary"
              htmlType="submit"
              loading={busy}
              data-testid="counter-copy-submit"
            >
              {busy ? t('counterCopy.producing') : t('counterCopy.produce')}
            </Button>
          </Form>
        )}
      </Modal>
    </>
  );
}
