// 客户视图: the header card and the sections of one customer, masked as the core sent them.
// An eye button reveals one value for a reason, for a short time; the core audits it.
import {
  Alert,
  Button,
  Card,
  Descriptions,
  Modal,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { revealReasons, type RevealReason } from '../../../shared/access/masking';
import type { RevealableField } from '../../../shared/access/permissions';
import type { Customer } from '../../../shared/customer';
import { revealableFieldNames, revealReasonNames } from '../../../shared/i18n/access';
import { errorText } from '../errors';
import { daysUntil, formatPhone } from '../format';
import { revealKey, useDesk } from '../store';
import { nameSchema } from '../../../shared/customer/fields';
import { customerIssuesFromZod, describeCustomerIssue } from '../../../shared/customer/issues';
import { describeIssue } from '../../../shared/i18n/validation';
import { validateEmail } from '../../../shared/validation';
import { fieldLabel, formatDateTime } from '../format';
import type { Locale } from '../i18n';
import { AddressEditor, TextFieldEditor, VisitRecorder, type Checked } from './Editors';
import { PhoneEditor } from './PhoneEditor';
import { CustomerRequests } from './approvals/CustomerRequests';
import { RiskTag, SegmentTag, tagColour } from './tags';

export const REVEAL_SECONDS = 30;

/** An email as typed, checked by the shared validator. */
function checkEmail(text: string, locale: Locale): Checked<string> {
  const result = validateEmail(text);
  const messages = result.issues
    .filter((issue) => issue.severity === 'error')
    .map((issue) => describeIssue(issue, locale));
  return result.ok ? { value: result.value, messages } : { messages };
}

/** A name as typed, checked by the shared name schema. */
function checkName(text: string, locale: Locale): Checked<string> {
  const parsed = nameSchema.safeParse(text);
  return parsed.success
    ? { value: parsed.data, messages: [] }
    : {
        messages: customerIssuesFromZod(parsed.error).map((issue) =>
          describeCustomerIssue(issue, locale),
        ),
      };
}

function Revealable({
  customerId,
  field,
  index,
  masked,
  format = (value) => value,
}: {
  customerId: string;
  field: RevealableField;
  index: number;
  masked: string;
  format?: (value: string) => string;
}) {
  const { t } = useTranslation();
  const locale = useDesk((state) => state.locale);
  const bridge = useDesk((state) => state.bridge)!;
  const revealed = useDesk((state) => state.revealed[revealKey(customerId, field, index)]);
  const set = useDesk((state) => state.set);
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState<RevealReason>();
  const [error, setError] = useState<string>();
  const [, tick] = useState(0);

  useEffect(() => {
    if (!revealed) return;
    const timer = window.setInterval(() => {
      if (Date.now() >= revealed.expiresAt) {
        const { [revealKey(customerId, field, index)]: _gone, ...rest } =
          useDesk.getState().revealed;
        set({ revealed: rest });
      } else tick((n) => n + 1);
    }, 1000);
    return () => window.clearInterval(timer);
  }, [revealed, customerId, field, index, set]);

  async function confirm() {
    if (!reason) return setError(t('reveal.reasonRequired'));
    try {
      const { value } = await bridge.call(`customer.reveal.${field}`, {
        id: customerId,
        reason,
        index,
      });
      set({
        revealed: {
          ...useDesk.getState().revealed,
          [revealKey(customerId, field, index)]: {
            value,
            expiresAt: Date.now() + REVEAL_SECONDS * 1000,
          },
        },
      });
      setOpen(false);
      setReason(undefined);
      setError(undefined);
    } catch (failure) {
      setError(errorText(failure, locale));
    }
  }

  const fieldName = revealableFieldNames[locale][field];
  return (
    <Space>
      <span data-testid={`value-${field}-${index}`} className={revealed ? 'revealed' : undefined}>
        {revealed ? format(revealed.value) : format(masked)}
      </span>
      {revealed ? (
        <Typography.Text type="secondary">
          {Math.max(0, Math.ceil((revealed.expiresAt - Date.now()) / 1000))}s
        </Typography.Text>
      ) : (
        <Button
          size="small"
          onClick={() => setOpen(true)}
          data-testid={`reveal-${field}-${index}`}
          aria-label={`${t('reveal.button')} ${fieldName}`}
        >
          {t('reveal.button')}
        </Button>
      )}
      <Modal
        open={open}
        title={t('reveal.title', { field: fieldName })}
        okText={t('reveal.confirm')}
        cancelText={t('reveal.cancel')}
        onOk={confirm}
        onCancel={() => setOpen(false)}
        okButtonProps={{ 'data-testid': 'reveal-confirm' } as never}
      >
        <p>{t('reveal.audited', { seconds: REVEAL_SECONDS })}</p>
        <Select<RevealReason>
          style={{ width: '100%' }}
          placeholder={t('reveal.reason')}
          value={reason}
          onChange={setReason}
          data-testid="reveal-reason"
          options={revealReasons.map((value) => ({
            value,
            label: revealReasonNames[locale][value],
          }))}
        />
        {error && <Alert type="error" showIcon title={error} style={{ marginTop: 12 }} />}
      </Modal>
    </Space>
  );
}

export function Customer({ onBack }: { onBack: () => void }) {
  const { t } = useTranslation();
  const bridge = useDesk((state) => state.bridge)!;
  const shown = useDesk((state) => state.customer);
  /** Which editor is open: `phone-N`, `email`, `address-N`, `name-FIELD`, `visit`. */
  const [editing, setEditing] = useState<string>();
  const [notice, setNotice] = useState<string>();
  if (!shown) return null;
  // The core sends the record masked for this user; its shape is the shared one.
  const customer = shown.customer as unknown as Customer;
  const done = (note?: string) => {
    setEditing(undefined);
    setNotice(note);
  };
  /** A change of identity fields waits for a supervisor: the core says so with its id. */
  const updateField = async (field: string, value: string) => {
    const output = await bridge.call('customer.update', {
      id: customer.id,
      baseVersion: customer.version,
      changes: { [field]: value },
    });
    return output.pendingChangeId ? t('edit.heldForApproval') : undefined;
  };
  const reviewDays = daysUntil(customer.kyc.nextReviewDue);
  return (
    <div data-testid="customer-view">
      <Button onClick={onBack} style={{ marginBottom: 12 }}>
        {t('customer.back')}
      </Button>
      <Card>
        <Space direction="vertical" size={4} style={{ width: '100%' }}>
          <Space wrap>
            <Typography.Title level={3} style={{ margin: 0 }} data-testid="customer-name">
              {customer.legalName}
            </Typography.Title>
            <Typography.Text type="secondary">
              {t('customer.customerNumber')} {customer.customerNumber}
            </Typography.Text>
            <SegmentTag segment={customer.segment} />
            <RiskTag rating={customer.kyc.riskRating} />
            <Tag>{t(`kycStatus.${customer.kyc.status}`)}</Tag>
            {reviewDays < 0 && <Tag color={tagColour.red}>{t('customer.reviewOverdue')}</Tag>}
            {reviewDays >= 0 && reviewDays <= 30 && (
              <Tag color={tagColour.orange}>{t('customer.reviewDueSoon')}</Tag>
            )}
          </Space>
          {customer.identityDocuments[0] && (
            <Revealable
              customerId={customer.id}
              field="identity_number"
              index={0}
              masked={customer.identityDocuments[0].number}
            />
          )}
          {shown.hasPendingChanges && (
            <Tag color={tagColour.blue}>{t('customer.pendingChanges')}</Tag>
          )}
          {shown.awaitingApproval.length > 0 && (
            <Alert
              type="info"
              showIcon
              title={t('customer.awaitingApproval', {
                fields: shown.awaitingApproval
                  .flatMap((change) => change.fields)
                  .map((field) => fieldLabel(t, field))
                  .join('、'),
              })}
              data-testid="awaiting-approval"
            />
          )}
          <CustomerRequests customerId={customer.id} />
          {notice && (
            <Alert
              type="success"
              showIcon
              title={notice}
              closable
              onClose={() => setNotice(undefined)}
              data-testid="edit-notice"
            />
          )}
        </Space>
      </Card>

      <Card title={t('customer.identity')} size="small" style={{ marginTop: 12 }}>
        <Descriptions size="small" column={1}>
          {(['legalName', 'englishName'] as const).map((field) => (
            <Descriptions.Item key={field} label={fieldLabel(t, field)}>
              {editing === `name-${field}` ? (
                <TextFieldEditor
                  customerId={customer.id}
                  label={fieldLabel(t, field)}
                  testId={`name-${field}`}
                  check={checkName}
                  save={(value) => updateField(field, value)}
                  onDone={done}
                />
              ) : (
                <Space>
                  <span>{customer[field] ?? t('customer.none')}</span>
                  <Button
                    size="small"
                    onClick={() => setEditing(`name-${field}`)}
                    data-testid={`edit-name-${field}`}
                  >
                    {t('edit.button')}
                  </Button>
                </Space>
              )}
            </Descriptions.Item>
          ))}
        </Descriptions>
        <Typography.Text type="secondary">{t('edit.identityNote')}</Typography.Text>
      </Card>

      <Card title={t('customer.documents')} size="small" style={{ marginTop: 12 }}>
        <Table
          size="small"
          pagination={false}
          rowKey={(_, index) => String(index)}
          dataSource={customer.identityDocuments}
          columns={[
            {
              title: t('customer.documentType'),
              render: (_, doc) => t(`documentType.${doc.type}`),
            },
            {
              title: t('customer.documentNumber'),
              render: (_, doc, index) => (
                <Revealable
                  customerId={customer.id}
                  field="identity_number"
                  index={index}
                  masked={doc.number}
                />
              ),
            },
            {
              title: t('customer.expiresOn'),
              render: (_, doc) => {
                if (!doc.expiresOn) return t('customer.longTerm');
                const days = daysUntil(doc.expiresOn);
                return (
                  <Space>
                    {doc.expiresOn}
                    {days < 0 && <Tag color={tagColour.red}>{t('customer.expired')}</Tag>}
                    {days >= 0 && days <= 30 && (
                      <Tag color={tagColour.orange}>{t('customer.expiringSoon')}</Tag>
                    )}
                  </Space>
                );
              },
            },
          ]}
        />
      </Card>

      <Card title={t('customer.contacts')} size="small" style={{ marginTop: 12 }}>
        <Descriptions size="small" column={1}>
          {customer.phones.map((phone, index) => (
            <Descriptions.Item key={index} label={t('customer.phone')}>
              {editing === `phone-${index}` ? (
                <PhoneEditor
                  customerId={customer.id}
                  version={customer.version}
                  index={index}
                  kind={phone.kind === 'landline' ? 'landline' : 'mobile'}
                  onDone={() => setEditing(undefined)}
                />
              ) : (
                <Space>
                  <Revealable
                    customerId={customer.id}
                    field="phone"
                    index={index}
                    masked={phone.e164}
                    format={formatPhone}
                  />
                  <Button
                    size="small"
                    onClick={() => setEditing(`phone-${index}`)}
                    data-testid={`edit-phone-${index}`}
                  >
                    {t('edit.button')}
                  </Button>
                </Space>
              )}
            </Descriptions.Item>
          ))}
          <Descriptions.Item label={t('customer.email')}>
            {editing === 'email' ? (
              <TextFieldEditor
                customerId={customer.id}
                label={t('customer.email')}
                testId="email"
                check={checkEmail}
                save={(value) => updateField('email', value)}
                onDone={done}
              />
            ) : (
              <Space>
                {customer.email ? (
                  <Revealable
                    customerId={customer.id}
                    field="email"
                    index={0}
                    masked={customer.email}
                  />
                ) : (
                  t('customer.none')
                )}
                <Button size="small" onClick={() => setEditing('email')} data-testid="edit-email">
                  {t('edit.button')}
                </Button>
              </Space>
            )}
          </Descriptions.Item>
          {customer.addresses.map((address, index) => (
            <Descriptions.Item
              key={`a${index}`}
              label={`${t('customer.addresses')}（${t(`addressKind.${address.kind}`)}）`}
            >
              {editing === `address-${index}` ? (
                <AddressEditor
                  customerId={customer.id}
                  version={customer.version}
                  index={index}
                  onDone={() => setEditing(undefined)}
                />
              ) : (
                <Space>
                  <Revealable
                    customerId={customer.id}
                    field="address"
                    index={index}
                    masked={`${address.districtCode} ${address.line}`}
                  />
                  <Button
                    size="small"
                    onClick={() => setEditing(`address-${index}`)}
                    data-testid={`edit-address-${index}`}
                  >
                    {t('edit.button')}
                  </Button>
                </Space>
              )}
            </Descriptions.Item>
          ))}
          <Descriptions.Item label={t('address.add')}>
            {editing === 'address-new' ? (
              <AddressEditor
                customerId={customer.id}
                version={customer.version}
                index={customer.addresses.length}
                onDone={() => setEditing(undefined)}
              />
            ) : (
              <Button
                size="small"
                onClick={() => setEditing('address-new')}
                data-testid="add-address"
              >
                {t('address.add')}
              </Button>
            )}
          </Descriptions.Item>
        </Descriptions>
      </Card>

      <Card title={t('customer.kyc')} size="small" style={{ marginTop: 12 }}>
        <Descriptions size="small" column={2}>
          <Descriptions.Item label={t('customer.kycStatus')}>
            {t(`kycStatus.${customer.kyc.status}`)}
          </Descriptions.Item>
          <Descriptions.Item label={t('customer.nextReview')}>
            {customer.kyc.nextReviewDue}
          </Descriptions.Item>
          <Descriptions.Item label={t('customer.pep')}>
            {customer.kyc.pep ? t('customer.yes') : t('customer.no')}
          </Descriptions.Item>
          <Descriptions.Item label={t('customer.sanctions')}>
            {customer.kyc.sanctionsHit ? (
              <Tag color={tagColour.red}>{t('customer.yes')}</Tag>
            ) : (
              t('customer.no')
            )}
          </Descriptions.Item>
        </Descriptions>
      </Card>

      <Card title={t('customer.accounts')} size="small" style={{ marginTop: 12 }}>
        <Table
          size="small"
          pagination={false}
          rowKey={(_, index) => String(index)}
          dataSource={customer.accounts}
          columns={[
            { title: t('customer.product'), dataIndex: 'product' },
            { title: t('customer.accountNumber'), dataIndex: 'maskedNumber' },
            {
              title: t('customer.accountStatus'),
              render: (_, account) => t(`accountStatus.${account.status}`),
            },
            { title: t('customer.openedOn'), dataIndex: 'openedOn' },
          ]}
        />
      </Card>

      <Card
        title={t('customer.notes')}
        size="small"
        style={{ marginTop: 12 }}
        extra={
          editing !== 'visit' && (
            <Button size="small" onClick={() => setEditing('visit')} data-testid="record-visit">
              {t('visit.record')}
            </Button>
          )
        }
      >
        {editing === 'visit' && (
          <VisitRecorder customerId={customer.id} onDone={() => setEditing(undefined)} />
        )}
        <Timeline customer={customer} />
      </Card>

      <Card title={t('customer.consents')} size="small" style={{ marginTop: 12 }}>
        <Table
          size="small"
          pagination={false}
          rowKey={(_, index) => String(index)}
          dataSource={customer.consents}
          columns={[
            { title: t('consent.purpose'), dataIndex: 'purpose' },
            {
              title: t('consent.state'),
              render: (_, consent) => t(`consentState.${consent.state}`),
            },
            { title: t('consent.at'), render: (_, consent) => formatDateTime(consent.at) },
          ]}
        />
      </Card>

      <Card title={t('customer.tasks')} size="small" style={{ marginTop: 12 }}>
        <Table
          size="small"
          pagination={false}
          rowKey="id"
          dataSource={customer.tasks}
          columns={[
            { title: t('task.title'), dataIndex: 'title' },
            { title: t('task.dueOn'), dataIndex: 'dueOn' },
            { title: t('task.status'), render: (_, task) => t(`taskStatus.${task.status}`) },
          ]}
        />
      </Card>
    </div>
  );
}

/** Visits and notes, newest first. */
function Timeline({ customer }: { customer: Customer }) {
  const { t } = useTranslation();
  const entries = [
    ...customer.visits.map((visit) => ({
      id: visit.id,
      at: visit.at,
      author: visit.author,
      label: t(`visitKind.${visit.kind}`),
      text: visit.text ?? '',
    })),
    ...customer.notes.map((note) => ({
      id: note.id,
      at: note.at,
      author: note.author,
      label: t('visit.note'),
      text: note.text,
    })),
  ].sort((a, b) => b.at.localeCompare(a.at));
  if (entries.length === 0)
    return <Typography.Text type="secondary">{t('customer.none')}</Typography.Text>;
  return (
    <ol className="timeline" data-testid="timeline">
      {entries.map((entry) => (
        <li key={entry.id}>
          <Typography.Text type="secondary">
            {formatDateTime(entry.at)} · {entry.author}
          </Typography.Text>{' '}
          <Tag>{entry.label}</Tag> {entry.text}
        </li>
      ))}
    </ol>
  );
}
