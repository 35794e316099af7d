// 客户合并: a supervisor compares two records of one person side by side (masked as their role
// sees them), chooses field by field which value survives, and proposes the merge; another
// supervisor (or HQ) approves it and HQ merges. The list below holds the branch's requests:
// waiting ones to approve or reject (never one's own), merged ones to undo within their period,
// each later change given to one of the two records. Every call goes to HQ (docs/QUALITY.md).
import {
  Alert,
  Button,
  Card,
  Empty,
  Input,
  Modal,
  Radio,
  Space,
  Table,
  Tag,
  Typography,
  message,
} from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CommandOutput } from '../../../shared/commands/contract';
import { fieldInWords } from '../../../shared/i18n/fields';
import {
  mergeChoosableFields,
  unitedListFields,
  type MergeChoosableField,
  type MergeSide,
} from '../../../shared/quality/merge';
import { errorText } from '../errors';
import { useDesk } from '../store';
import { tagColour } from './tags';

type Merge = CommandOutput<'merge.list'>['merges'][number];
type Shown = Record<string, unknown>;
type Plan = CommandOutput<'merge.unmerge_plan'>;

const statusColour: Record<Merge['status'], string> = {
  proposed: tagColour.orange,
  merged: tagColour.green,
  rejected: tagColour.red,
  unmerged: tagColour.blue,
};

/** A field's value as the desk shows it (already masked by the core for this role), in words. */
function useShownValue() {
  const { t } = useTranslation();
  return (field: string, value: unknown): string => {
    if (value === undefined || value === null || value === '') return '—';
    if (field === 'gender') return t(`gender.${String(value)}`);
    if (field === 'segment') return t(`segment.${String(value)}`);
    if (field === 'preferredChannel') return t(`customer360.channelName.${String(value)}`);
    if (field === 'kyc' && typeof value === 'object' && 'riskRating' in value)
      return `${t('merge.risk')} ${t(`riskRating.${String((value as { riskRating: unknown }).riskRating)}`)}`;
    if (typeof value === 'string' || typeof value === 'number') return String(value);
    return JSON.stringify(value);
  };
}

/** A field's name, said mid-sentence in English ("date of birth"), as a row's heading. */
const asHeading = (words: string) => words.charAt(0).toUpperCase() + words.slice(1);

const listLength = (value: unknown) => (Array.isArray(value) ? value.length : 0);

/** The prefilled pair, when the desk opened the merge screen from a customer. */
export interface MergeStart {
  survivorNumber?: string;
  mergedNumber?: string;
}

export function MergeDesk({ start }: { start?: MergeStart }) {
  const { t } = useTranslation();
  const bridge = useDesk((state) => state.bridge)!;
  const locale = useDesk((state) => state.locale);
  const me = useDesk((state) => state.session?.user?.username);
  const [toast, holder] = message.useMessage();
  const failed = useCallback(
    (failure: unknown) => void toast.error(errorText(failure, locale)),
    [toast, locale],
  );

  const [survivorNumber, setSurvivorNumber] = useState(start?.survivorNumber ?? '');
  const [mergedNumber, setMergedNumber] = useState(start?.mergedNumber ?? '');
  const [pair, setPair] = useState<{ survivor: Shown; merged: Shown }>();
  const [choices, setChoices] = useState<Partial<Record<MergeChoosableField, MergeSide>>>({});
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [merges, setMerges] = useState<Merge[]>();
  const [unmerging, setUnmerging] = useState<Plan>();
  const shownValue = useShownValue();

  const refresh = useCallback(() => {
    bridge
      .call('merge.list', {})
      .then((listed) => setMerges(listed.merges))
      .catch((failure: unknown) => {
        setMerges([]);
        failed(failure);
      });
  }, [bridge, failed]);
  useEffect(refresh, [refresh]);

  async function compare() {
    setPair(undefined);
    setChoices({});
    try {
      const [survivor, merged] = await Promise.all(
        [survivorNumber, mergedNumber].map((number) =>
          bridge.call('customer.show', { customerNumber: number.trim().toUpperCase() }),
        ),
      );
      setPair({ survivor: survivor!.customer, merged: merged!.customer });
    } catch (failure) {
      failed(failure);
    }
  }

  async function propose() {
    if (!pair) return;
    setBusy(true);
    try {
      await bridge.call('merge.propose', {
        survivorId: String(pair.survivor.id),
        mergedId: String(pair.merged.id),
        choices,
        reason,
      });
      toast.success(t('merge.proposed'));
      setPair(undefined);
      setReason('');
      refresh();
    } catch (failure) {
      failed(failure);
    } finally {
      setBusy(false);
    }
  }

  async function decide(merge: Merge, decision: 'approve' | 'reject') {
    try {
      await bridge.call('merge.decide', { mergeId: merge.id, decision });
      toast.success(t(decision === 'approve' ? 'merge.approved' : 'merge.rejected'));
      refresh();
    } catch (failure) {
      failed(failure);
    }
  }

  const fields = pair
    ? mergeChoosableFields.filter(
        (field) => pair.survivor[field] !== undefined || pair.merged[field] !== undefined,
      )
    : [];
  return (
    <div data-testid="merge-view">
      {holder}
      <Typography.Title level={4}>{t('merge.title')}</Typography.Title>
      <Card size="small" title={t('merge.new')} style={{ marginBottom: 16 }}>
        <Space wrap>
          <Input
            addonBefore={t('merge.survivor')}
            value={survivorNumber}
            onChange={(event) => setSurvivorNumber(event.target.value)}
            placeholder="C0000000000"
            data-testid="merge-survivor-number"
            style={{ width: 280 }}
          />
          <Input
            addonBefore={t('merge.merged')}
            value={mergedNumber}
            onChange={(event) => setMergedNumber(event.target.value)}
            placeholder="C0000000000"
            data-testid="merge-merged-number"
            style={{ width: 280 }}
          />
          <Button
            onClick={() => void compare()}
            disabled={!survivorNumber.trim() || !mergedNumber.trim()}
            data-testid="merge-compare"
          >
            {t('merge.compare')}
          </Button>
        </Space>
        {pair && (
          <div style={{ marginTop: 12 }} data-testid="merge-comparison">
            <Alert type="info" showIcon message={t('merge.explain')} style={{ marginBottom: 8 }} />
            <Table
              size="small"
              pagination={false}
              rowKey="field"
              dataSource={[
                ...fields.map((field) => ({ field, kind: 'choose' as const })),
                ...unitedListFields
                  .filter(
                    (field) =>
                      listLength(pair.survivor[field]) + listLength(pair.merged[field]) > 0,
                  )
                  .map((field) => ({ field, kind: 'united' as const })),
              ]}
              columns={[
                {
                  title: t('merge.field'),
                  render: (_, row) => asHeading(fieldInWords(row.field, locale)),
                },
                {
                  title: `${t('merge.survivor')} ${String(pair.survivor.customerNumber)}`,
                  render: (_, row) =>
                    row.kind === 'united'
                      ? t('merge.entries', { count: listLength(pair.survivor[row.field]) })
                      : shownValue(row.field, pair.survivor[row.field]),
                },
                {
                  title: `${t('merge.merged')} ${String(pair.merged.customerNumber)}`,
                  render: (_, row) =>
                    row.kind === 'united'
                      ? t('merge.entries', { count: listLength(pair.merged[row.field]) })
                      : shownValue(row.field, pair.merged[row.field]),
                },
                {
                  title: t('merge.keep'),
                  render: (_, row) =>
                    row.kind === 'united' ? (
                      <Tag>{t('merge.united')}</Tag>
                    ) : (
                      <Radio.Group
                        size="small"
                        value={choices[row.field as MergeChoosableField] ?? 'survivor'}
                        onChange={(event) =>
                          setChoices({
                            ...choices,
                            [row.field]: event.target.value as MergeSide,
                          })
                        }
                        data-testid={`merge-choice-${row.field}`}
                      >
                        <Radio value="survivor">{t('merge.survivorShort')}</Radio>
                        <Radio value="merged">{t('merge.mergedShort')}</Radio>
                      </Radio.Group>
                    ),
                },
              ]}
            />
            <Space direction="vertical" style={{ width: '100%', marginTop: 8 }}>
              <Input.TextArea
                value={reason}
                onChange={(event) => setReason(event.target.value)}
                placeholder={t('merge.reason')}
                maxLength={500}
                data-testid="merge-reason"
              />
              <Button
                type="primary"
                loading={busy}
                disabled={reason.trim().length < 2}
                onClick={() => void propose()}
                data-testid="merge-propose"
              >
                {t('merge.propose')}
              </Button>
            </Space>
          </div>
        )}
      </Card>
      <Typography.Title level={5}>{t('merge.requests')}</Typography.Title>
      {merges && merges.length === 0 ? (
        <Empty description={t('merge.none')} />
      ) : (
        <Table<Merge>
          size="small"
          loading={!merges}
          dataSource={merges}
          rowKey="id"
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          onRow={(merge) => ({ 'data-testid': `merge-row-${merge.mergedNumber}` }) as never}
          columns={[
            {
              title: t('merge.status'),
              render: (_, merge) => (
                <Tag color={statusColour[merge.status]}>{t(`merge.statuses.${merge.status}`)}</Tag>
              ),
            },
            {
              title: t('merge.pair'),
              render: (_, merge) => `${merge.mergedNumber} → ${merge.survivorNumber}`,
            },
            { title: t('merge.reasonTitle'), dataIndex: 'reason' },
            {
              title: t('merge.proposedBy'),
              render: (_, merge) =>
                `${merge.proposedBy.replace(/^(user|hq):/, '')} ${merge.proposedAt.slice(0, 16).replace('T', ' ')}`,
            },
            {
              title: t('merge.decidedBy'),
              render: (_, merge) => merge.decidedBy?.replace(/^(user|hq):/, '') ?? '—',
            },
            {
              title: '',
              render: (_, merge) =>
                merge.status === 'proposed' && merge.proposedBy !== `user:${me}` ? (
                  <Space>
                    <Button
                      size="small"
                      type="primary"
                      onClick={() => void decide(merge, 'approve')}
                      data-testid="merge-approve"
                    >
                      {t('merge.approve')}
                    </Button>
                    <Button
                      size="small"
                      danger
                      onClick={() => void decide(merge, 'reject')}
                      data-testid="merge-reject"
                    >
                      {t('merge.reject')}
                    </Button>
                  </Space>
                ) : merge.status === 'proposed' ? (
                  <Typography.Text type="secondary">{t('merge.ownProposal')}</Typography.Text>
                ) : merge.status === 'merged' &&
                  merge.unmergeUntil &&
                  merge.unmergeUntil > new Date().toISOString() ? (
                  <Button
                    size="small"
                    onClick={() =>
                      void bridge
                        .call('merge.unmerge_plan', { mergeId: merge.id })
                        .then(setUnmerging, failed)
                    }
                    data-testid="merge-unmerge"
                  >
                    {t('merge.unmerge')}
                  </Button>
                ) : null,
            },
          ]}
        />
      )}
      {unmerging && (
        <Unmerge
          plan={unmerging}
          onClose={() => setUnmerging(undefined)}
          onDone={() => {
            setUnmerging(undefined);
            toast.success(t('merge.unmerged'));
            refresh();
          }}
          onError={failed}
        />
      )}
    </div>
  );
}

/** Undoing a merge: each change made since goes to the record a person picks. */
function Unmerge({
  plan,
  onClose,
  onDone,
  onError,
}: {
  plan: Plan;
  onClose: () => void;
  onDone: () => void;
  onError: (failure: unknown) => void;
}) {
  const { t } = useTranslation();
  const bridge = useDesk((state) => state.bridge)!;
  const locale = useDesk((state) => state.locale);
  const [sides, setSides] = useState<Record<string, MergeSide>>(
    Object.fromEntries(plan.changes.map((change) => [change.key, change.suggested])),
  );
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const { merge } = plan;
  async function submit() {
    setBusy(true);
    try {
      await bridge.call('merge.unmerge', { mergeId: merge.id, reason, assignments: sides });
      onDone();
    } catch (failure) {
      onError(failure);
    } finally {
      setBusy(false);
    }
  }
  return (
    <Modal
      open
      title={t('merge.unmergeTitle', {
        merged: merge.mergedNumber,
        survivor: merge.survivorNumber,
      })}
      onCancel={onClose}
      okText={t('merge.unmerge')}
      okButtonProps={
        {
          disabled: reason.trim().length < 2,
          loading: busy,
          'data-testid': 'unmerge-submit',
        } as never
      }
      onOk={() => void submit()}
      width={720}
    >
      <Typography.Paragraph>{t('merge.unmergeExplain')}</Typography.Paragraph>
      {plan.changes.length === 0 ? (
        <Alert type="info" message={t('merge.noChanges')} />
      ) : (
        <Table
          size="small"
          pagination={false}
          rowKey="key"
          dataSource={plan.changes}
          data-testid="unmerge-changes"
          columns={[
            {
              title: t('merge.field'),
              render: (_, change) =>
                `${asHeading(fieldInWords(change.field, locale))}${change.entry ? ` · ${t(`merge.change.${change.change}`)}` : ''}`,
            },
            {
              title: t('merge.goesTo'),
              render: (_, change) =>
                change.change === 'removed' ? (
                  <Typography.Text type="secondary">{t('merge.removedBoth')}</Typography.Text>
                ) : (
                  <Radio.Group
                    size="small"
                    value={sides[change.key]}
                    onChange={(event) =>
                      setSides({ ...sides, [change.key]: event.target.value as MergeSide })
                    }
                    data-testid={`unmerge-side-${change.key}`}
                  >
                    <Radio value="survivor">{merge.survivorNumber}</Radio>
                    <Radio value="merged">{merge.mergedNumber}</Radio>
                  </Radio.Group>
                ),
            },
          ]}
        />
      )}
      <Input.TextArea
        style={{ marginTop: 12 }}
        value={reason}
        onChange={(event) => setReason(event.target.value)}
        placeholder={t('merge.unmergeReason')}
        maxLength={500}
        data-testid="unmerge-reason"
      />
    </Modal>
  );
}
