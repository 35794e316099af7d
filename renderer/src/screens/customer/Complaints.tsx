// 投诉与建议 on the customer 360: the customer's complaints and suggestions, each with its
// reference (read out to the customer), status, due dates (overdue in red) and steps; a form to
// record one; and the next steps for its owner or a supervisor (docs/COUNTER.md).
import { Alert, Button, Card, Form, Input, Radio, Select, Space, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CommandOutput } from '../../../../shared/commands/contract';
import type { Customer } from '../../../../shared/customer';
import {
  complaintChannels,
  complaintStates,
  customerResponses,
  nextStatuses,
  type ComplaintKind,
  type ComplaintState,
  type ComplaintStepStatus,
} from '../../../../shared/counter/complaints';
import { bankDay } from '../../../../shared/insight/day';
import { formatDateTime } from '../../format';
import { useCan } from '../../permissions';
import { useDesk } from '../../store';
import { EditorButtons, editorKeys } from '../Editors';
import { tagColour } from '../tags';
import type { EditingProps } from './Editable';
import { useEntrySave } from './save';

type Rules = CommandOutput<'complaint.rules'>;

export const statusColour: Record<ComplaintState['status'], string | undefined> = {
  received: tagColour.blue,
  acknowledged: tagColour.blue,
  in_progress: tagColour.orange,
  resolved: tagColour.green,
  escalated: tagColour.red,
};

/** The categories and service levels in force here, for names and the form. */
export function useComplaintRules(): Rules | undefined {
  const bridge = useDesk((state) => state.bridge)!;
  const [rules, setRules] = useState<Rules>();
  useEffect(() => {
    let current = true;
    bridge
      .call('complaint.rules', {})
      .then((found) => current && setRules(found))
      .catch(() => undefined);
    return () => {
      current = false;
    };
  }, [bridge]);
  return rules;
}

export function categoryName(rules: Rules | undefined, code: string, locale: 'zh-CN' | 'en') {
  return rules?.categories.find((category) => category.code === code)?.name[locale] ?? code;
}

export function ComplaintsTab({ customer, editing, setEditing }: EditingProps) {
  const { t } = useTranslation();
  const can = useCan();
  const rules = useComplaintRules();
  const user = useDesk((state) => state.session?.user);
  const mayHandle = can('handle_complaints');
  const states = complaintStates(
    customer.complaints ?? [],
    customer.complaintSteps ?? [],
    bankDay(Date.now()),
  ).sort((a, b) => b.complaint.receivedAt.localeCompare(a.complaint.receivedAt));
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="complaints">
      {mayHandle && editing !== 'complaint' && (
        <Button size="small" onClick={() => setEditing('complaint')} data-testid="add-complaint">
          {t('complaint.add')}
        </Button>
      )}
      {editing === 'complaint' && rules && (
        <ComplaintForm
          customerId={customer.id}
          rules={rules}
          onDone={() => setEditing(undefined)}
        />
      )}
      {states.length === 0 && editing !== 'complaint' && (
        <Typography.Text type="secondary">{t('complaint.none')}</Typography.Text>
      )}
      {states.map((state) => (
        <ComplaintCard
          key={state.complaint.id}
          customerId={customer.id}
          state={state}
          rules={rules}
          mayStep={
            mayHandle &&
            (can('approve') || state.complaint.owner === `user:${user?.username ?? ''}`)
          }
        />
      ))}
    </Space>
  );
}

function ComplaintCard({
  customerId,
  state,
  rules,
  mayStep,
}: {
  customerId: string;
  state: ComplaintState;
  rules: Rules | undefined;
  mayStep: boolean;
}) {
  const { t } = useTranslation();
  const locale = useDesk((store) => store.locale);
  const [stepping, setStepping] = useState<ComplaintStepStatus>();
  const { complaint, status, overdue, steps } = state;
  return (
    <Card
      size="small"
      data-testid="complaint"
      data-reference={complaint.reference}
      className={overdue ? 'complaint-overdue' : undefined}
      title={
        <Space wrap>
          <Typography.Text strong copyable data-testid="complaint-reference">
            {complaint.reference}
          </Typography.Text>
          <Tag>{t(`complaint.kind.${complaint.kind}`)}</Tag>
          <span>{categoryName(rules, complaint.category, locale)}</span>
          <Tag color={statusColour[status]} data-testid="complaint-status">
            {t(`complaint.status.${status}`)}
          </Tag>
          {overdue && (
            <Tag color={tagColour.red} data-testid="complaint-overdue">
              {t(`complaint.overdue.${overdue}`)}
            </Tag>
          )}
        </Space>
      }
    >
      <Typography.Paragraph>{complaint.description}</Typography.Paragraph>
      {complaint.request && (
        <Typography.Paragraph type="secondary">
          {t('complaint.requestLine', { request: complaint.request })}
        </Typography.Paragraph>
      )}
      <Typography.Text type="secondary">
        {t('complaint.received', {
          at: formatDateTime(complaint.receivedAt),
          channel: t(`complaint.channel.${complaint.channel}`),
          owner: complaint.owner,
        })}
        {complaint.acknowledgeBy &&
          ` · ${t('complaint.dues', { acknowledge: complaint.acknowledgeBy, resolve: complaint.resolveBy })}`}
      </Typography.Text>
      {steps.length > 0 && (
        <ol className="timeline" data-testid="complaint-steps">
          {steps.map((step) => (
            <li key={step.id}>
              <Typography.Text type="secondary">
                {formatDateTime(step.at)} · {step.by}
              </Typography.Text>{' '}
              <Tag color={statusColour[step.status]}>{t(`complaint.status.${step.status}`)}</Tag>
              {step.note}
              {step.resolution && ` ${t('complaint.resolutionLine', { text: step.resolution })}`}
              {step.customerResponse && ` (${t(`complaint.response.${step.customerResponse}`)})`}
            </li>
          ))}
        </ol>
      )}
      {mayStep && !stepping && nextStatuses(status).length > 0 && (
        <Space style={{ marginTop: 8 }}>
          {nextStatuses(status).map((next) => (
            <Button
              key={next}
              size="small"
              onClick={() => setStepping(next)}
              data-testid={`complaint-to-${next}`}
            >
              {t(`complaint.action.${next}`)}
            </Button>
          ))}
        </Space>
      )}
      {stepping && (
        <StepForm
          customerId={customerId}
          complaintId={complaint.id}
          status={stepping}
          onDone={() => setStepping(undefined)}
        />
      )}
    </Card>
  );
}

function ComplaintForm({
  customerId,
  rules,
  onDone,
}: {
  customerId: string;
  rules: Rules;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const bridge = useDesk((state) => state.bridge)!;
  const locale = useDesk((state) => state.locale);
  const [complaintId] = useState(() => crypto.randomUUID());
  const [kind, setKind] = useState<ComplaintKind>('complaint');
  const [channel, setChannel] = useState<(typeof complaintChannels)[number]>('counter');
  const [category, setCategory] = useState<string>();
  const [description, setDescription] = useState('');
  const [request, setRequest] = useState('');
  const [reference, setReference] = useState<string>();
  const saver = useEntrySave(customerId);
  const ready = category !== undefined && description.trim() !== '';
  const submit = () => {
    if (!ready) return;
    void saver
      .run(async () => {
        const written = await bridge.call('complaint.record', {
          id: customerId,
          complaintId,
          kind,
          channel,
          category,
          description: description.trim(),
          ...(request.trim() ? { request: request.trim() } : {}),
        });
        const saved = written.customer as Customer;
        setReference(saved.complaints?.find((one) => one.id === complaintId)?.reference);
      })
      .then((saved) => saved || undefined);
  };
  if (reference)
    return (
      <Alert
        type="success"
        showIcon
        data-testid="complaint-recorded"
        title={t('complaint.recorded', { reference })}
        action={
          <Button size="small" onClick={onDone} data-testid="complaint-recorded-close">
            {t('complaint.close')}
          </Button>
        }
      />
    );
  return (
    <Form
      layout="vertical"
      onFinish={submit}
      onKeyDown={editorKeys(submit, onDone)}
      data-testid="complaint-form"
      style={{ maxWidth: 640 }}
    >
      <Form.Item label={t('complaint.kindLabel')}>
        <Radio.Group
          value={kind}
          onChange={(event) => setKind(event.target.value as ComplaintKind)}
          data-testid="complaint-kind"
        >
          <Radio value="complaint">{t('complaint.kind.complaint')}</Radio>
          <Radio value="suggestion">{t('complaint.kind.suggestion')}</Radio>
        </Radio.Group>
      </Form.Item>
      <Space wrap>
        <Form.Item label={t('complaint.channelLabel')} htmlFor="complaint-channel">
          <Select
            id="complaint-channel"
            value={channel}
            onChange={setChannel}
            style={{ width: 160 }}
            options={complaintChannels.map((value) => ({
              value,
              label: t(`complaint.channel.${value}`),
            }))}
          />
        </Form.Item>
        <Form.Item label={t('complaint.categoryLabel')} htmlFor="complaint-category" required>
          <Select
            id="complaint-category"
            value={category}
            onChange={setCategory}
            style={{ width: 220 }}
            data-testid="complaint-category"
            options={rules.categories.map((entry) => ({
              value: entry.code,
              label: entry.name[locale],
            }))}
          />
        </Form.Item>
      </Space>
      <Form.Item label={t('complaint.description')} htmlFor="complaint-description" required>
        <Input.TextArea
          id="complaint-description"
          autoFocus
          rows={3}
          maxLength={2000}
          value={description}
          onChange={(event) => setDescription(event.target.value)}
          data-testid="complaint-description"
        />
      </Form.Item>
      <Form.Item label={t('complaint.request')} htmlFor="complaint-request">
        <Input
          id="complaint-request"
          maxLength={500}
          value={request}
          onChange={(event) => setRequest(event.target.value)}
          data-testid="complaint-request"
        />
      </Form.Item>
      {kind === 'complaint' && (
        <Typography.Paragraph type="secondary">
          {t('complaint.levels', {
            acknowledge: rules.acknowledgeWorkingDays,
            resolve: rules.resolveDays,
          })}
        </Typography.Paragraph>
      )}
      {saver.failure && <Alert type="error" showIcon title={saver.failure} />}
      <EditorButtons
        saveTestId="complaint-save"
        saving={saver.saving}
        disabled={!ready}
        onCancel={onDone}
      />
    </Form>
  );
}

function StepForm({
  customerId,
  complaintId,
  status,
  onDone,
}: {
  customerId: string;
  complaintId: string;
  status: ComplaintStepStatus;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const bridge = useDesk((state) => state.bridge)!;
  const [stepId] = useState(() => crypto.randomUUID());
  const [note, setNote] = useState('');
  const [resolution, setResolution] = useState('');
  const [response, setResponse] = useState<(typeof customerResponses)[number]>();
  const saver = useEntrySave(customerId);
  const resolving = status === 'resolved';
  const ready = !resolving || (resolution.trim() !== '' && response !== undefined);
  const submit = () => {
    if (!ready) return;
    void saver
      .run(() =>
        bridge.call('complaint.step', {
          id: customerId,
          complaintId,
          stepId,
          status,
          ...(note.trim() ? { note: note.trim() } : {}),
          ...(resolving ? { resolution: resolution.trim(), customerResponse: response } : {}),
        }),
      )
      .then((saved) => saved && onDone());
  };
  return (
    <Form
      layout="vertical"
      onFinish={submit}
      onKeyDown={editorKeys(submit, onDone)}
      data-testid="complaint-step-form"
      style={{ marginTop: 8, maxWidth: 640 }}
    >
      <Typography.Text strong>{t(`complaint.action.${status}`)}</Typography.Text>
      {resolving && (
        <>
          <Form.Item label={t('complaint.resolution')} htmlFor="complaint-resolution" required>
            <Input.TextArea
              id="complaint-resolution"
              rows={2}
              maxLength={2000}
              value={resolution}
              onChange={(event) => setResolution(event.target.value)}
              data-testid="complaint-resolution"
            />
          </Form.Item>
          <Form.Item label={t('complaint.customerResponse')} required>
            <Radio.Group
              value={response}
              onChange={(event) => setResponse(event.target.value as typeof response)}
              data-testid="complaint-response"
            >
              {customerResponses.map((value) => (
                <Radio key={value} value={value}>
                  {t(`complaint.response.${value}`)}
                </Radio>
              ))}
            </Radio.Group>
          </Form.Item>
        </>
      )}
      <Form.Item label={t('complaint.note')} htmlFor="complaint-note">
        <Input
          id="complaint-note"
          autoFocus={!resolving}
          maxLength={1000}
          value={note}
          onChange={(event) => setNote(event.target.value)}
          data-testid="complaint-note"
        />
      </Form.Item>
      {saver.failure && <Alert type="error" showIcon title={saver.failure} />}
      <EditorButtons
        saveTestId="complaint-step-save"
        saving={saver.saving}
        disabled={!ready}
        onCancel={onDone}
      />
    </Form>
  );
}
