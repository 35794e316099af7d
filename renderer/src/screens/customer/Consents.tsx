// 授权与同意: the customer's consent ledger. Per purpose, what stands today (granted, withdrawn,
// expired, never asked), since when, by which channel and notice; grant and withdraw side by
// side, equally easy (PIPL Art. 15), for a role that captures consent. Below, every event, newest
// first: the ledger only grows.
import { Alert, Button, DatePicker, Form, Input, Radio, Space, Table, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  type Consent,
  type ConsentEvidence,
  type ConsentPurpose,
  type ConsentStanding,
  consentChannels,
  consentPurposes,
  currentConsents,
  localDay,
} from '../../../../shared/customer';
import { formatDateTime } from '../../format';
import { permissionsOf, useCan } from '../../permissions';
import { useDesk } from '../../store';
import { EditorButtons, editorKeys } from '../Editors';
import { tagColour } from '../tags';
import type { EditingProps } from './Editable';
import { useEntrySave } from './save';
import { useCounter } from '../counter/useCounter';

type Standing = ConsentStanding | 'never';
type Action = 'grant' | 'withdraw';

const standingColour: Record<Standing, string | undefined> = {
  granted: tagColour.green,
  withdrawn: undefined,
  expired: tagColour.orange,
  never: undefined,
};

const catalogue: ReadonlySet<string> = new Set(consentPurposes);

/** The editor key of one purpose's form: `consent:grant:marketing_sms`. */
const editorOf = (action: Action, purpose: string) => `consent:${action}:${purpose}`;

function usePurposeName() {
  const { t } = useTranslation();
  // The catalogue's words; codes from HQ's older catalogues by the words the desk had for them.
  return (purpose: string) =>
    t(`consentLedger.purpose.${purpose}`, {
      defaultValue: t(`customer360.purpose.${purpose}`, { defaultValue: purpose }),
    });
}

interface Row {
  purpose: string;
  standing: Standing;
  event?: Consent;
}

export function ConsentsTab({ customer, editing, setEditing }: EditingProps) {
  const { t } = useTranslation();
  const can = useCan();
  const purposeName = usePurposeName();
  // A restricted customer's consent can still be withdrawn (their will not to be processed), never
  // granted: useCan withholds capture_consent there, so the withdrawal asks the roles directly.
  const session = useDesk((state) => state.session);
  const mayGrant = can('capture_consent');
  const mayWithdraw = permissionsOf(session).has('capture_consent');
  const mayCapture = mayGrant || mayWithdraw;
  const current = currentConsents(customer.consents, localDay(Date.now()));
  // Every purpose of the catalogue, asked or not, then any older code the ledger holds.
  const purposes = [
    ...consentPurposes,
    ...[...current.keys()].filter((purpose) => !catalogue.has(purpose)).sort(),
  ];
  const rows: Row[] = purposes.map((purpose) => {
    const known = current.get(purpose);
    return known
      ? { purpose, standing: known.standing, event: known.event }
      : { purpose, standing: 'never' };
  });
  const open = /^consent:(grant|withdraw):(.+)$/u.exec(editing ?? '');
  const close = () => setEditing(undefined);
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="consents">
      <Typography.Text type="secondary">{t('consentLedger.rule')}</Typography.Text>
      {open && (
        <ConsentEditor
          key={editing}
          customerId={customer.id}
          action={open[1] as Action}
          purpose={open[2] as ConsentPurpose}
          onDone={close}
        />
      )}
      <Table
        size="small"
        pagination={false}
        rowKey="purpose"
        dataSource={rows}
        data-testid="consent-table"
        onRow={(row) => ({ 'data-purpose': row.purpose }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          { title: t('consentLedger.purposeColumn'), render: (_, row) => purposeName(row.purpose) },
          {
            title: t('consentLedger.standingColumn'),
            render: (_, row) => (
              <Tag color={standingColour[row.standing]} data-testid="consent-standing">
                {t(`consentLedger.standing.${row.standing}`)}
              </Tag>
            ),
          },
          {
            title: t('consentLedger.since'),
            render: (_, row) => (row.event ? formatDateTime(row.event.at) : ''),
          },
          {
            title: t('consentLedger.channel'),
            render: (_, row) =>
              row.event ? t(`customer360.consentChannel.${row.event.channel}`) : '',
          },
          {
            title: t('consentLedger.noticeVersion'),
            render: (_, row) => row.event?.noticeVersion ?? '',
          },
          {
            title: t('consentLedger.expiry'),
            render: (_, row) =>
              row.standing === 'granted' || row.standing === 'expired'
                ? (row.event?.expiresOn ?? '')
                : '',
          },
          ...(mayCapture
            ? [
                {
                  title: t('consentLedger.actions'),
                  render: (_: unknown, row: Row) =>
                    catalogue.has(row.purpose) ? (
                      <Space>
                        {mayGrant && (
                          <Button
                            size="small"
                            disabled={open !== null}
                            onClick={() => setEditing(editorOf('grant', row.purpose))}
                            data-testid={`consent-grant-${row.purpose}`}
                          >
                            {t('consentLedger.grant')}
                          </Button>
                        )}
                        <Button
                          size="small"
                          disabled={open !== null}
                          onClick={() => setEditing(editorOf('withdraw', row.purpose))}
                          data-testid={`consent-withdraw-${row.purpose}`}
                        >
                          {t('consentLedger.withdraw')}
                        </Button>
                      </Space>
                    ) : null,
                },
              ]
            : []),
        ]}
      />
      <History consents={customer.consents} />
    </Space>
  );
}

function ConsentEditor({
  customerId,
  action,
  purpose,
  onDone,
}: {
  customerId: string;
  action: Action;
  purpose: ConsentPurpose;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const purposeName = usePurposeName();
  const bridge = useDesk((state) => state.bridge)!;
  // One id for this event however often the save is retried: the core records it once.
  const [consentId] = useState(() => crypto.randomUUID());
  const [channel, setChannel] = useState<Consent['channel']>('branch');
  const [noticeVersion, setNoticeVersion] = useState('');
  // The notice in force on this desk is the one the customer is shown: the form starts with its
  // version (typed by hand only before any notice has reached the desk).
  useEffect(() => {
    if (action !== 'grant') return;
    let current = true;
    void bridge
      .call('privacy.notice.current', {})
      .then(({ notice }) => {
        if (current && notice) setNoticeVersion((typed) => typed || notice.version);
      })
      // No notice, or none reachable: the teller types the version the customer was shown.
      .catch(() => {});
    return () => {
      current = false;
    };
  }, [action, bridge]);
  const counter = useCounter();
  // Confirmed on the customer screen when there is one; else a signed paper form.
  const [chosenEvidence, setEvidenceKind] = useState<ConsentEvidence['kind']>('customer_screen');
  const evidenceKind = counter.display ? chosenEvidence : 'paper_form';
  const [reference, setReference] = useState('');
  const [expires, setExpires] = useState<Dayjs | null>(null);
  const saver = useEntrySave(customerId);
  const evidence: ConsentEvidence =
    evidenceKind === 'paper_form'
      ? { kind: 'paper_form', reference: reference.trim() }
      : { kind: 'customer_screen' };
  const ready =
    (action === 'withdraw' || noticeVersion.trim() !== '') &&
    (evidenceKind === 'customer_screen' || reference.trim() !== '');
  const submit = () => {
    if (!ready) return;
    void saver
      .run(() =>
        // The customer confirms on their screen; the core saves it then, with that evidence.
        evidenceKind === 'customer_screen'
          ? counter.confirm(customerId, undefined, {
              kind: 'consent',
              state: action === 'grant' ? 'granted' : 'withdrawn',
              consentId,
              purpose,
              channel,
              ...(action === 'grant' ? { noticeVersion: noticeVersion.trim() } : {}),
              ...(action === 'grant' && expires ? { expiresOn: expires.format('YYYY-MM-DD') } : {}),
            })
          : action === 'grant'
            ? bridge.call('customer.grant_consent', {
                id: customerId,
                consentId,
                purpose,
                channel,
                noticeVersion: noticeVersion.trim(),
                evidence,
                ...(expires ? { expiresOn: expires.format('YYYY-MM-DD') } : {}),
              })
            : bridge.call('customer.withdraw_consent', {
                id: customerId,
                consentId,
                purpose,
                channel,
                evidence,
              }),
      )
      .then((saved) => saved && onDone());
  };
  return (
    <Form
      layout="vertical"
      onFinish={submit}
      onKeyDown={editorKeys(submit, onDone)}
      data-testid="consent-editor"
      style={{ maxWidth: 560 }}
    >
      <Typography.Title level={5}>
        {t(action === 'grant' ? 'consentLedger.grantTitle' : 'consentLedger.withdrawTitle', {
          purpose: purposeName(purpose),
        })}
      </Typography.Title>
      <Form.Item label={t('consentLedger.channel')}>
        <Radio.Group
          value={channel}
          onChange={(event) => setChannel(event.target.value as Consent['channel'])}
          data-testid="consent-channel"
        >
          {consentChannels.map((code) => (
            <Radio key={code} value={code} autoFocus={code === 'branch'}>
              {t(`customer360.consentChannel.${code}`)}
            </Radio>
          ))}
        </Radio.Group>
      </Form.Item>
      {action === 'grant' && (
        <Form.Item label={t('consentLedger.noticeVersion')} htmlFor="consent-notice" required>
          <Input
            id="consent-notice"
            value={noticeVersion}
            maxLength={64}
            onChange={(event) => setNoticeVersion(event.target.value)}
            data-testid="consent-notice"
            style={{ width: 200 }}
          />
        </Form.Item>
      )}
      <Form.Item label={t('consentLedger.evidence')}>
        <Radio.Group
          value={evidenceKind}
          onChange={(event) => setEvidenceKind(event.target.value as ConsentEvidence['kind'])}
          data-testid="consent-evidence"
        >
          <Radio value="customer_screen" disabled={!counter.display}>
            {t('consentLedger.evidenceKind.customer_screen')}
            {!counter.display && ` (${t('counter.noDisplay')})`}
          </Radio>
          <Radio value="paper_form">{t('consentLedger.evidenceKind.paper_form')}</Radio>
        </Radio.Group>
      </Form.Item>
      {evidenceKind === 'paper_form' && (
        <Form.Item label={t('consentLedger.reference')} htmlFor="consent-reference" required>
          <Input
            id="consent-reference"
            value={reference}
            maxLength={64}
            onChange={(event) => setReference(event.target.value)}
            data-testid="consent-reference"
            style={{ width: 240 }}
          />
        </Form.Item>
      )}
      {action === 'grant' && (
        <Form.Item label={t('consentLedger.expiresOn')} htmlFor="consent-expires">
          <DatePicker
            id="consent-expires"
            value={expires}
            onChange={setExpires}
            format="YYYY-MM-DD"
            data-testid="consent-expires"
          />
        </Form.Item>
      )}
      {saver.failure && (
        <Alert type="error" showIcon title={saver.failure} style={{ marginBottom: 12 }} />
      )}
      <EditorButtons
        saveTestId="consent-save"
        saving={saver.saving}
        disabled={!ready}
        saveLabel={t(action === 'grant' ? 'consentLedger.grant' : 'consentLedger.withdraw')}
        onCancel={onDone}
      />
    </Form>
  );
}

/** Every event of the ledger, newest first. */
function History({ consents }: { consents: readonly Consent[] }) {
  const { t } = useTranslation();
  const purposeName = usePurposeName();
  const events = [...consents].sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
  return (
    <>
      <Typography.Title level={5}>{t('consentLedger.history')}</Typography.Title>
      <Table
        size="small"
        pagination={false}
        rowKey={(event) => event.id ?? `${event.purpose}@${event.at}:${event.state}`}
        dataSource={events}
        data-testid="consent-history"
        locale={{ emptyText: t('consentLedger.noHistory') }}
        columns={[
          { title: t('consentLedger.since'), render: (_, event) => formatDateTime(event.at) },
          {
            title: t('consentLedger.purposeColumn'),
            render: (_, event) => purposeName(event.purpose),
          },
          {
            title: t('consentLedger.standingColumn'),
            render: (_, event) => t(`consentLedger.standing.${event.state}`),
          },
          {
            title: t('consentLedger.channel'),
            render: (_, event) => t(`customer360.consentChannel.${event.channel}`),
          },
          {
            title: t('consentLedger.noticeVersion'),
            render: (_, event) => event.noticeVersion ?? '',
          },
          {
            title: t('consentLedger.evidence'),
            render: (_, event) =>
              event.evidence
                ? event.evidence.kind === 'paper_form'
                  ? `${t('consentLedger.evidenceKind.paper_form')} ${event.evidence.reference}`
                  : t('consentLedger.evidenceKind.customer_screen')
                : '',
          },
          {
            title: t('consentLedger.capturedBy'),
            render: (_, event) => event.capturedBy ?? t('consentLedger.legacy'),
          },
        ]}
      />
    </>
  );
}
