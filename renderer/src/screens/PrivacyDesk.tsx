// 总行隐私工作台: an HQ privacy officer's work from a branch PC, signed in to HQ (online only):
// erasure requests and their holds, legal holds, the retention job, and a customer's own copy.
// Every action is a call of HQ's admin API made by the core with the officer's token (kept in
// the core's memory); HQ checks the role and records each call in its own audit chain.
import {
  Alert,
  Button,
  Card,
  Form,
  Input,
  Popconfirm,
  Segmented,
  Select,
  Space,
  Table,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { createPortal } from 'react-dom';
import { useTranslation } from 'react-i18next';
import type { CommandOutput } from '../../../shared/commands/contract';
import {
  erasureChannels,
  type ErasureHold,
  type ErasureRequest,
} from '../../../shared/protocol/privacy';
import { errorText } from '../errors';
import { formatDateTime } from '../format';
import { useDesk } from '../store';
import { ReportBody } from './customer/CounterCopy';
import { FormError } from './FormError';
import { tagColour } from './tags';
import './privacy/privacy.css';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** One call of the privacy desk, with its error in words for the form that made it. */
function useCall() {
  const bridge = useDesk((state) => state.bridge)!;
  const locale = useDesk((state) => state.locale);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const run = useCallback(
    async <T,>(work: (call: typeof bridge.call) => Promise<T>): Promise<T | undefined> => {
      setBusy(true);
      setError(undefined);
      try {
        return await work(bridge.call.bind(bridge));
      } catch (failure) {
        setError(errorText(failure, locale));
        return undefined;
      } finally {
        setBusy(false);
      }
    },
    [bridge, locale],
  );
  return { run, error, busy };
}

function useHoldsText() {
  const { t } = useTranslation();
  return (holds: ErasureHold[]) =>
    holds.length === 0
      ? t('privacyDesk.noHolds')
      : holds
          .map((hold) =>
            hold.kind === 'active_product'
              ? t('privacyDesk.activeProduct', { count: hold.accounts })
              : hold.kind === 'aml_retention'
                ? hold.until
                  ? t('privacyDesk.amlUntil', { date: hold.until })
                  : t('privacyDesk.amlUnknown')
                : t('privacyDesk.legalHold', { reference: hold.reference }),
          )
          .join('；');
}

/** The customer a form names, by HQ's id (a UUID, checked before HQ is asked). */
function CustomerIdItem({ testId }: { testId: string }) {
  const { t } = useTranslation();
  return (
    <Form.Item
      name="customerId"
      rules={[{ required: true, pattern: UUID, message: t('privacyDesk.uuid') }]}
    >
      <Input
        placeholder={t('privacyDesk.customerId')}
        style={{ width: 330 }}
        data-testid={testId}
      />
    </Form.Item>
  );
}

/** The officer's sign-in to HQ: HQ username, password and code. */
function SignIn() {
  const { t } = useTranslation();
  const { run, error, busy } = useCall();
  async function submit(fields: { username: string; password: string; totp: string }) {
    const answer = await run((call) => call('privacy.hq.sign_in', fields));
    if (answer?.user) useDesk.getState().set({ privacyDesk: answer.user });
  }
  return (
    <main className="centered">
      <Card title={t('privacyDesk.signInTitle')} style={{ width: 400 }}>
        <Typography.Paragraph type="secondary">{t('privacyDesk.signInNote')}</Typography.Paragraph>
        <Form layout="vertical" onFinish={(fields) => void submit(fields)} disabled={busy}>
          <Form.Item name="username" label={t('privacyDesk.username')} rules={[{ required: true }]}>
            <Input autoComplete="username" data-testid="privacy-desk-username" />
          </Form.Item>
          <Form.Item name="password" label={t('privacyDesk.password')} rules={[{ required: true }]}>
            <Input.Password autoComplete="current-password" data-testid="privacy-desk-password" />
          </Form.Item>
          <Form.Item
            name="totp"
            label={t('privacyDesk.totp')}
            rules={[{ required: true, pattern: /^\d{6}$/ }]}
          >
            <Input inputMode="numeric" maxLength={6} data-testid="privacy-desk-totp" />
          </Form.Item>
          <FormError error={error} testId="privacy-desk-error" />
          <Space>
            <Button
              type="primary"
              htmlType="submit"
              loading={busy}
              data-testid="privacy-desk-submit"
            >
              {t('privacyDesk.submit')}
            </Button>
            <Button onClick={() => useDesk.getState().set({ privacyDesk: null })}>
              {t('privacyDesk.back')}
            </Button>
          </Space>
        </Form>
      </Card>
    </main>
  );
}

function Erasures() {
  const { t } = useTranslation();
  const holdsText = useHoldsText();
  const list = useCall();
  const record = useCall();
  const [status, setStatus] = useState<'all' | 'held' | 'erased'>('all');
  const [requests, setRequests] = useState<ErasureRequest[]>([]);
  const [outcome, setOutcome] = useState<CommandOutput<'privacy.hq.erasure_request'>>();
  const listRun = list.run;
  const load = useCallback(async () => {
    const answer = await listRun((call) =>
      call('privacy.hq.erasures', status === 'all' ? {} : { status }),
    );
    if (answer) setRequests(answer.requests);
  }, [listRun, status]);
  useEffect(() => void load(), [load]);

  async function submit(fields: { customerId: string; channel: string; reference: string }) {
    const answer = await record.run((call) =>
      call('privacy.hq.erasure_request', {
        customerId: fields.customerId.trim(),
        channel: fields.channel as (typeof erasureChannels)[number],
        reference: fields.reference,
      }),
    );
    if (answer) {
      setOutcome(answer);
      void load();
    }
  }
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Card size="small" title={t('privacyDesk.record')}>
        <Form layout="inline" onFinish={(fields) => void submit(fields)} disabled={record.busy}>
          <CustomerIdItem testId="erasure-customer" />
          <Form.Item name="channel" initialValue="branch">
            <Select
              style={{ width: 130 }}
              aria-label={t('privacyDesk.channel')}
              options={erasureChannels.map((channel) => ({
                value: channel,
                label: t(`privacyDesk.channels.${channel}`),
              }))}
            />
          </Form.Item>
          <Form.Item name="reference" rules={[{ required: true, max: 64 }]}>
            <Input placeholder={t('privacyDesk.reference')} data-testid="erasure-reference" />
          </Form.Item>
          <Button
            type="primary"
            htmlType="submit"
            loading={record.busy}
            data-testid="erasure-submit"
          >
            {t('privacyDesk.recordSubmit')}
          </Button>
        </Form>
        <FormError error={record.error} testId="erasure-error" />
        {outcome && (
          <Alert
            style={{ marginTop: 8 }}
            type={outcome.outcome === 'erased' ? 'success' : 'warning'}
            showIcon
            data-testid="erasure-outcome"
            title={
              outcome.outcome === 'erased'
                ? t('privacyDesk.outcomeErased')
                : t('privacyDesk.outcomeHeld', { holds: holdsText(outcome.request.holds) })
            }
          />
        )}
      </Card>
      <Segmented
        value={status}
        onChange={setStatus}
        options={[
          { value: 'all', label: t('privacyDesk.all') },
          { value: 'held', label: t('privacyDesk.held') },
          { value: 'erased', label: t('privacyDesk.erased') },
        ]}
      />
      <FormError error={list.error} testId="erasures-error" />
      <Table<ErasureRequest>
        size="small"
        rowKey="id"
        loading={list.busy}
        dataSource={requests}
        pagination={{ pageSize: 10 }}
        data-testid="erasure-list"
        columns={[
          {
            title: t('privacyDesk.receivedAt'),
            dataIndex: 'receivedAt',
            render: (value: string) => formatDateTime(value),
          },
          { title: t('privacyDesk.customerId'), dataIndex: 'customerId' },
          {
            title: t('privacyDesk.channel'),
            dataIndex: 'channel',
            render: (value: string) => t(`privacyDesk.channels.${value}`),
          },
          { title: t('privacyDesk.reference'), dataIndex: 'reference' },
          {
            title: t('privacyDesk.status'),
            dataIndex: 'status',
            render: (value: ErasureRequest['status']) => (
              <Tag color={value === 'erased' ? tagColour.green : tagColour.orange}>
                {t(`privacyDesk.${value}`)}
              </Tag>
            ),
          },
          {
            title: t('privacyDesk.holds'),
            dataIndex: 'holds',
            render: (holds: ErasureHold[]) => holdsText(holds),
          },
        ]}
      />
    </Space>
  );
}

function Holds() {
  const { t } = useTranslation();
  const place = useCall();
  const release = useCall();
  const [done, setDone] = useState<string>();
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Card size="small" title={t('privacyDesk.placeHold')}>
        <Form
          layout="inline"
          disabled={place.busy}
          onFinish={(fields: { customerId: string; reference: string }) =>
            void place
              .run((call) =>
                call('privacy.hq.hold', {
                  customerId: fields.customerId.trim(),
                  reference: fields.reference,
                }),
              )
              .then(
                (answer) => answer && setDone(t('privacyDesk.placed', { holdId: answer.holdId })),
              )
          }
        >
          <CustomerIdItem testId="hold-customer" />
          <Form.Item name="reference" rules={[{ required: true, max: 64 }]}>
            <Input placeholder={t('privacyDesk.reference')} data-testid="hold-reference" />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={place.busy} data-testid="hold-submit">
            {t('privacyDesk.placeSubmit')}
          </Button>
        </Form>
        <FormError error={place.error} testId="hold-error" />
      </Card>
      <Card size="small" title={t('privacyDesk.releaseHold')}>
        <Form
          layout="inline"
          disabled={release.busy}
          onFinish={(fields: { holdId: string }) =>
            void release
              .run((call) => call('privacy.hq.release_hold', { holdId: fields.holdId.trim() }))
              .then((answer) => answer && setDone(t('privacyDesk.released')))
          }
        >
          <Form.Item name="holdId" rules={[{ required: true, pattern: UUID }]}>
            <Input
              placeholder={t('privacyDesk.holdId')}
              style={{ width: 330 }}
              data-testid="release-hold"
            />
          </Form.Item>
          <Button htmlType="submit" loading={release.busy} data-testid="release-submit">
            {t('privacyDesk.releaseSubmit')}
          </Button>
        </Form>
        <FormError error={release.error} testId="release-error" />
      </Card>
      {done && <Alert type="success" showIcon title={done} data-testid="hold-done" />}
    </Space>
  );
}

function Retention() {
  const { t } = useTranslation();
  const job = useCall();
  const [result, setResult] = useState<CommandOutput<'privacy.hq.retention'>>();
  const go = (dryRun: boolean) =>
    void job
      .run((call) => call('privacy.hq.retention', { dryRun }))
      .then((answer) => answer && setResult(answer));
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Typography.Paragraph type="secondary">{t('privacyDesk.retentionNote')}</Typography.Paragraph>
      <Space>
        <Button onClick={() => go(true)} loading={job.busy} data-testid="retention-dry-run">
          {t('privacyDesk.dryRun')}
        </Button>
        <Popconfirm title={t('privacyDesk.runConfirm')} onConfirm={() => go(false)}>
          <Button danger loading={job.busy} data-testid="retention-run">
            {t('privacyDesk.run')}
          </Button>
        </Popconfirm>
      </Space>
      <FormError error={job.error} testId="retention-error" />
      {result && (
        <Alert
          type="info"
          showIcon
          data-testid="retention-result"
          title={t('privacyDesk.retentionResult', {
            what: result.dryRun ? t('privacyDesk.wouldErase') : t('privacyDesk.didErase'),
            onRequest: result.erasedOnRequest,
            ended: result.erasedRetentionEnded,
            held: result.stillHeld,
            years: result.years,
            today: result.today,
          })}
        />
      )}
    </Space>
  );
}

function Copy() {
  const { t } = useTranslation();
  const fetchCopy = useCall();
  const [html, setHtml] = useState<string>();
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Form
        layout="inline"
        disabled={fetchCopy.busy}
        onFinish={(fields: { customerId: string }) =>
          void fetchCopy
            .run((call) => call('privacy.hq.copy', { customerId: fields.customerId.trim() }))
            .then((answer) => setHtml(answer?.html))
        }
      >
        <CustomerIdItem testId="copy-customer" />
        <Button type="primary" htmlType="submit" loading={fetchCopy.busy} data-testid="copy-submit">
          {t('privacyDesk.copyFetch')}
        </Button>
        <Button disabled={!html} onClick={() => window.print()}>
          {t('privacyDesk.print')}
        </Button>
      </Form>
      <FormError error={fetchCopy.error} testId="copy-error" />
      {html && (
        <>
          <div className="counter-copy-screen">
            <ReportBody html={html} testId="privacy-desk-copy" />
          </div>
          {createPortal(
            <section className="counter-copy-print">
              <ReportBody html={html} testId="privacy-desk-copy-print" />
            </section>,
            document.body,
          )}
        </>
      )}
    </Space>
  );
}

export function PrivacyDesk() {
  const { t } = useTranslation();
  const officer = useDesk((state) => state.privacyDesk);
  const bridge = useDesk((state) => state.bridge)!;
  if (officer === 'signing' || officer === null) return <SignIn />;
  async function signOut() {
    await bridge.call('privacy.hq.sign_out', {}).catch(() => undefined);
    useDesk.getState().set({ privacyDesk: null });
  }
  return (
    <main style={{ padding: 16 }} data-testid="privacy-desk">
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 8 }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('privacyDesk.title')}
        </Typography.Title>
        <Space>
          <Typography.Text data-testid="privacy-desk-user">
            {t('privacyDesk.signedIn', { name: officer.displayName, username: officer.username })}
          </Typography.Text>
          <Button onClick={() => void signOut()} data-testid="privacy-desk-sign-out">
            {t('privacyDesk.signOut')}
          </Button>
        </Space>
      </Space>
      <Tabs
        items={[
          { key: 'erasures', label: t('privacyDesk.tabErasures'), children: <Erasures /> },
          { key: 'holds', label: t('privacyDesk.tabHolds'), children: <Holds /> },
          { key: 'retention', label: t('privacyDesk.tabRetention'), children: <Retention /> },
          { key: 'copy', label: t('privacyDesk.tabCopy'), children: <Copy /> },
        ]}
      />
    </main>
  );
}
