// 数据质量: a book's data quality by the shared rules (docs/QUALITY.md): the share of clean
// records, the problems with their counts (a bar chart with its table, like the home's), the
// clean share week by week, and the customers behind the problem picked, each opening the 360.
// An RM sees their book; a supervisor the branch, or their own.
import {
  Button,
  Card,
  Col,
  Empty,
  Input,
  Modal,
  Radio,
  Row,
  Segmented,
  Space,
  Statistic,
  Table,
  Typography,
  message,
} from 'antd';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CommandOutput } from '../../../shared/commands/contract';
import { qualityRules } from '../../../shared/quality/rules';
import { errorText } from '../errors';
import { useCan } from '../permissions';
import { useDesk } from '../store';
import { useOpenCustomer } from './approvals/open';
import { accessibleColours, BarChart } from './home/BarChart';
import { useChart } from './home/useChart';

type Score = CommandOutput<'quality.score'>;
type Listed = CommandOutput<'quality.list'>;

export function QualityDesk() {
  const { t } = useTranslation();
  const can = useCan();
  const bridge = useDesk((state) => state.bridge)!;
  const locale = useDesk((state) => state.locale);
  const synced = useDesk((state) => state.sync?.lastSuccessAt);
  const [scope, setScope] = useState<'mine' | 'branch'>(
    can('view_branch_book') ? 'branch' : 'mine',
  );
  const [score, setScore] = useState<Score>();
  const [problem, setProblem] = useState<string>();
  const [listed, setListed] = useState<Listed>();
  const [toast, holder] = message.useMessage();
  const failed = useCallback(
    (failure: unknown) => void toast.error(errorText(failure, locale)),
    [toast, locale],
  );
  const open = useOpenCustomer(failed);
  const [making, setMaking] = useState(false);

  useEffect(() => {
    let current = true;
    bridge
      .call('quality.score', { scope })
      .then((read) => current && setScore(read))
      .catch(failed);
    return () => {
      current = false;
    };
  }, [bridge, scope, failed, synced]);

  useEffect(() => {
    if (!problem) return;
    let current = true;
    bridge
      .call('quality.list', { scope, problem, limit: 200 })
      .then((read) => current && setListed(read))
      .catch(failed);
    return () => {
      current = false;
    };
  }, [bridge, scope, problem, failed, synced]);

  const bars = useMemo(
    () =>
      score
        ? qualityRules
            .map((rule) => ({
              key: rule.id,
              label: rule.words[locale],
              value: score.problems[rule.id] ?? 0,
            }))
            .filter((bar) => bar.value > 0)
            .sort((a, b) => b.value - a.value)
        : [],
    [score, locale],
  );

  return (
    <div data-testid="quality-view">
      {holder}
      <Typography.Title level={4}>{t('quality.title')}</Typography.Title>
      {can('view_branch_book') && (
        <Segmented
          style={{ marginBottom: 12 }}
          value={scope}
          onChange={(value) => {
            setScope(value as 'mine' | 'branch');
            setProblem(undefined);
            setListed(undefined);
          }}
          options={[
            { value: 'branch', label: t('quality.branch') },
            { value: 'mine', label: t('quality.mine') },
          ]}
          data-testid="quality-scope"
        />
      )}
      {score && (
        <Row gutter={16}>
          <Col span={8}>
            <Card size="small">
              <Statistic
                title={t('quality.cleanShare')}
                value={(score.cleanShare * 100).toFixed(1)}
                suffix="%"
                data-testid="quality-clean-share"
              />
              <Typography.Text type="secondary" data-testid="quality-counts">
                {t('quality.counts', { clean: score.clean, records: score.records })}
              </Typography.Text>
            </Card>
            <Card size="small" title={t('quality.trend')} style={{ marginTop: 12 }}>
              <Trend weeks={score.trend} />
            </Card>
          </Col>
          <Col span={16}>
            <Card size="small" title={t('quality.problems')}>
              {bars.length === 0 ? (
                <Empty description={t('quality.allClean')} />
              ) : (
                <BarChart
                  title={t('quality.problems')}
                  bars={bars}
                  onPick={setProblem}
                  testId="quality-problems"
                />
              )}
            </Card>
          </Col>
        </Row>
      )}
      {problem && (
        <Card
          size="small"
          style={{ marginTop: 12 }}
          title={`${qualityRules.find((rule) => rule.id === problem)?.words[locale] ?? problem}${
            listed ? ` · ${t('quality.total', { count: listed.total })}` : ''
          }`}
          data-testid="quality-list"
          extra={
            listed && listed.total > 0 ? (
              <Button size="small" onClick={() => setMaking(true)} data-testid="quality-make-tasks">
                {t('quality.makeTasks')}
              </Button>
            ) : null
          }
        >
          <Table
            size="small"
            loading={!listed || listed.problem !== problem}
            dataSource={listed?.items}
            rowKey="id"
            pagination={{ pageSize: 20, hideOnSinglePage: true }}
            onRow={(item) =>
              ({
                onClick: () => void open(item.id),
                style: { cursor: 'pointer' },
                'data-testid': `quality-row-${item.customerNumber}`,
              }) as never
            }
            columns={[
              { title: t('quality.number'), dataIndex: 'customerNumber' },
              { title: t('quality.name'), dataIndex: 'displayName' },
            ]}
          />
        </Card>
      )}
      {making && problem && (
        <MakeTasks
          scope={scope}
          problem={problem}
          onClose={() => setMaking(false)}
          onMade={(made) => {
            setMaking(false);
            toast.success(t('quality.tasksMade', made));
          }}
          onError={failed}
        />
      )}
    </div>
  );
}

/** A problem turned into cleansing tasks: for each customer's RM, or for the counter. */
function MakeTasks({
  scope,
  problem,
  onClose,
  onMade,
  onError,
}: {
  scope: 'mine' | 'branch';
  problem: string;
  onClose: () => void;
  onMade: (made: { created: number; skipped: number }) => void;
  onError: (failure: unknown) => void;
}) {
  const { t } = useTranslation();
  const bridge = useDesk((state) => state.bridge)!;
  const locale = useDesk((state) => state.locale);
  const words = qualityRules.find((rule) => rule.id === problem)?.words[locale] ?? problem;
  const [assignee, setAssignee] = useState<'rm' | 'counter'>('counter');
  const [dueOn, setDueOn] = useState(() => {
    const day = new Date(Date.now() + 30 * 86_400_000);
    return day.toISOString().slice(0, 10);
  });
  const [title, setTitle] = useState(() => t('quality.defaultTitle', { problem: words }));
  const [busy, setBusy] = useState(false);
  return (
    <Modal
      open
      title={t('quality.makeTasksTitle', { problem: words })}
      onCancel={onClose}
      okButtonProps={{ loading: busy, 'data-testid': 'quality-make-submit' } as never}
      onOk={() => {
        setBusy(true);
        bridge
          .call('quality.create_tasks', { scope, problem, assignee, dueOn, title })
          .then(onMade, onError)
          .finally(() => setBusy(false));
      }}
    >
      <Space direction="vertical" style={{ width: '100%' }}>
        <Typography.Text>{t('quality.assignee')}</Typography.Text>
        <Radio.Group
          value={assignee}
          onChange={(event) => setAssignee(event.target.value as 'rm' | 'counter')}
          data-testid="quality-make-assignee"
        >
          <Radio value="counter">{t('quality.toCounter')}</Radio>
          <Radio value="rm">{t('quality.toRm')}</Radio>
        </Radio.Group>
        <Typography.Text>{t('quality.dueOn')}</Typography.Text>
        <Input type="date" value={dueOn} onChange={(event) => setDueOn(event.target.value)} />
        <Typography.Text>{t('quality.taskTitle')}</Typography.Text>
        <Input value={title} maxLength={200} onChange={(event) => setTitle(event.target.value)} />
      </Space>
    </Modal>
  );
}

/** The clean share week by week, an ECharts line with its figures as a table for screen readers. */
function Trend({ weeks }: { weeks: Score['trend'] }) {
  const { t } = useTranslation();
  const element = useRef<HTMLDivElement>(null);
  const points = useMemo(
    () =>
      weeks.map((week) => ({
        week: week.week,
        share: week.records === 0 ? 100 : Math.round((week.clean / week.records) * 1000) / 10,
      })),
    [weeks],
  );
  useChart(
    element,
    () => ({
      grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
      tooltip: { trigger: 'axis' },
      xAxis: { type: 'category', data: points.map((point) => point.week.slice(5)) },
      yAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
      series: [
        {
          type: 'line',
          name: t('quality.cleanShare'),
          data: points.map((point) => point.share),
          itemStyle: { color: accessibleColours[2] },
          label: { show: true, formatter: '{c}%' },
        },
      ],
    }),
    [points, t],
  );
  return (
    <div data-testid="quality-trend">
      <div ref={element} role="img" aria-label={t('quality.trend')} style={{ height: 180 }} />
      <Table
        size="small"
        pagination={false}
        rowKey="week"
        caption={t('quality.trendTable')}
        dataSource={points}
        columns={[
          { title: t('quality.week'), dataIndex: 'week' },
          {
            title: t('quality.cleanShare'),
            dataIndex: 'share',
            align: 'right',
            render: (share: number) => `${share}%`,
          },
        ]}
      />
    </div>
  );
}
