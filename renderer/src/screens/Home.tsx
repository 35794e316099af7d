// 工作台: the relationship manager's book (a supervisor's: the branch), computed by the core from
// the vault, offline too. Every figure is a link to the customers behind it: a sortable list read
// in pages, each row opening the customer (Enter or a click). The charts have their figures in a
// text table beside them.
import { Button, Card, Empty, Segmented, Space, Table, Typography, message } from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type {
  BookScope,
  InsightCampaignsOutput,
  InsightHomeOutput,
  InsightListOutput,
} from '../../../shared/commands/insight';
import { aumBands, type BookFigure } from '../../../shared/insight/book';
import { lifeCycleStages } from '../../../shared/insight/segment';
import { segments } from '../../../shared/customer/customer';
import { riskRatings } from '../../../shared/customer/records';
import { errorText } from '../errors';
import { formatPhone } from '../format';
import { useCan } from '../permissions';
import { useDesk } from '../store';
import { BarChart, type Bar } from './home/BarChart';
import { CallList } from './home/CallList';
import { ListOutput } from './home/ListOutput';
import { useOpenCustomer } from './approvals/open';
import { tagColour } from './tags';

/** The figures shown as cards, in the order an RM works them. */
const dueFigures: readonly BookFigure[] = [
  'deposits.maturing30',
  'kyc.overdue',
  'kyc.due30',
  'kyc.due90',
  'documents.expired',
  'documents.expiring',
  'dormant',
  'birthdays',
  'tasks.overdue',
  'tasks.open',
];
const urgent = new Set<BookFigure>(['kyc.overdue', 'documents.expired', 'tasks.overdue']);
const riskColours = { low: tagColour.green, medium: tagColour.orange, high: tagColour.red };

const PAGE = 200;

export function Home() {
  const { t } = useTranslation();
  const bridge = useDesk((state) => state.bridge)!;
  const locale = useDesk((state) => state.locale);
  const synced = useDesk((state) => state.sync?.lastSuccessAt);
  const can = useCan();
  const [scope, setScope] = useState<BookScope | undefined>();
  const [home, setHome] = useState<InsightHomeOutput>();
  const [figure, setFigure] = useState<BookFigure>();
  const [campaignId, setCampaignId] = useState<string>();
  const [campaigns, setCampaigns] = useState<InsightCampaignsOutput['campaigns']>();
  const [toast, holder] = message.useMessage();
  const failed = useCallback(
    (failure: unknown) => void toast.error(errorText(failure, locale)),
    [toast, locale],
  );
  const open = useOpenCustomer(failed);

  useEffect(() => {
    void (async () => {
      try {
        setHome(await bridge.call('insight.home', scope ? { scope } : {}));
      } catch (failure) {
        failed(failure);
      }
    })();
  }, [bridge, failed, scope, synced]);

  const mayContact = can('contact_customers');
  useEffect(() => {
    if (!mayContact) return;
    bridge
      .call('insight.campaigns', {})
      .then((held) => setCampaigns(held.campaigns.filter((entry) => entry.running)))
      .catch(failed);
  }, [bridge, failed, mayContact, synced]);

  const segmentBars = useMemo<Bar[]>(
    () =>
      segments.map((segment) => ({
        key: `segment.${segment}`,
        label: t(`segment.${segment}`),
        value: home?.counts[`segment.${segment}`] ?? 0,
      })),
    [home, t],
  );
  const lifeBars = useMemo<Bar[]>(
    () =>
      lifeCycleStages.map((stage) => ({
        key: `life.${stage}`,
        label: t(`lifeCycle.${stage}`),
        value: home?.counts[`life.${stage}`] ?? 0,
      })),
    [home, t],
  );
  const aumBars = useMemo<Bar[]>(
    () =>
      aumBands.map((band) => ({
        key: `aum.${band}`,
        label: t(`aumBand.${band}`),
        value: home?.counts[`aum.${band}`] ?? 0,
      })),
    [home, t],
  );
  const riskBars = useMemo<Bar[]>(
    () =>
      riskRatings.map((risk) => ({
        key: `risk.${risk}`,
        label: t(`riskRating.${risk}`),
        value: home?.counts[`risk.${risk}`] ?? 0,
        colour: riskColours[risk],
      })),
    [home, t],
  );

  if (!home) return <div data-testid="home-view">{holder}</div>;
  if (campaignId)
    return (
      <CallList
        campaignId={campaignId}
        scope={home.scope}
        onBack={() => setCampaignId(undefined)}
        onOpen={(id) => void open(id)}
      />
    );
  if (figure)
    return (
      <FigureList
        scope={home.scope}
        figure={figure}
        onBack={() => setFigure(undefined)}
        onOpen={(id) => void open(id)}
        onError={failed}
      />
    );

  const mayBranch = can('view_branch_book');
  return (
    <div data-testid="home-view" className="home">
      {holder}
      <Space align="baseline" wrap>
        <Typography.Title level={4} data-testid="home-title">
          {home.scope === 'mine' ? t('home.titleMine') : t('home.titleBranch')}
        </Typography.Title>
        {mayBranch && (
          <Segmented<BookScope>
            value={home.scope}
            onChange={setScope}
            options={[
              { value: 'mine', label: t('home.scopeMine') },
              { value: 'branch', label: t('home.scopeBranch') },
            ]}
            data-testid="home-scope"
          />
        )}
      </Space>
      <Typography.Paragraph type="secondary" data-testid="home-summary">
        {t('home.summary', { total: home.total, today: home.today })}
      </Typography.Paragraph>
      {home.scope === 'mine' && home.rmId === null && (
        <Typography.Paragraph data-testid="home-no-book">{t('home.noBook')}</Typography.Paragraph>
      )}
      <section aria-label={t('home.due')} className="home-figures">
        {dueFigures.map((key) => (
          <Button
            key={key}
            className="home-figure"
            onClick={() => setFigure(key)}
            data-testid={`figure-${key}`}
            danger={urgent.has(key) && home.counts[key] > 0}
          >
            <span className="home-figure-count">{home.counts[key]}</span>
            <span className="home-figure-label">{t(`home.figure.${key}`)}</span>
          </Button>
        ))}
      </section>
      <div className="home-charts">
        {(
          [
            ['segment', t('home.bySegment'), segmentBars],
            ['life', t('home.byLifeCycle'), lifeBars],
            ['risk', t('home.byRisk'), riskBars],
            ['aum', t('home.byAum'), aumBars],
          ] as const
        ).map(([key, title, bars]) => (
          <Card key={key} size="small" title={title}>
            <BarChart
              title={title}
              bars={bars}
              onPick={(figureKey) => setFigure(figureKey as BookFigure)}
              testId={`chart-${key}`}
            />
          </Card>
        ))}
      </div>
      {mayContact && (
        <Card
          size="small"
          title={t('campaign.title')}
          style={{ marginBottom: 16 }}
          data-testid="home-campaigns"
        >
          {campaigns && campaigns.length === 0 ? (
            <Typography.Text type="secondary">{t('campaign.none')}</Typography.Text>
          ) : (
            <Space direction="vertical" style={{ width: '100%' }}>
              {(campaigns ?? []).map(({ campaign }) => (
                <Space key={campaign.id} wrap>
                  <Typography.Text strong>
                    {locale === 'en' ? campaign.title.en : campaign.title.zh}
                  </Typography.Text>
                  <Typography.Text type="secondary">
                    {t(`campaign.channel.${campaign.channel}`)} ·{' '}
                    {t('campaign.period', { from: campaign.from, until: campaign.until })}
                  </Typography.Text>
                  <Button
                    size="small"
                    onClick={() => setCampaignId(campaign.id)}
                    data-testid={`campaign-open-${campaign.id}`}
                  >
                    {t('campaign.open')}
                  </Button>
                </Space>
              ))}
            </Space>
          )}
        </Card>
      )}
      <Card size="small" title={t('home.tasks')}>
        {home.tasks.length === 0 ? (
          <Empty description={t('home.noTasks')} />
        ) : (
          <Table
            size="small"
            pagination={false}
            rowKey={(entry) => entry.task.id}
            dataSource={home.tasks}
            data-testid="home-tasks"
            onRow={(entry) => ({
              onClick: () => void open(entry.customer.id),
              onKeyDown: (event) => {
                if (event.key === 'Enter') void open(entry.customer.id);
              },
              tabIndex: 0,
              className: entry.task.dueOn < home.today ? 'home-overdue' : '',
            })}
            columns={[
              { title: t('home.taskDue'), render: (_, entry) => entry.task.dueOn, width: 120 },
              { title: t('home.taskTitle'), render: (_, entry) => entry.task.title },
              {
                title: t('home.customer'),
                render: (_, entry) =>
                  `${entry.customer.displayName} · ${entry.customer.customerNumber}`,
              },
            ]}
          />
        )}
      </Card>
    </div>
  );
}

type Row = InsightListOutput['items'][number];
type Sort = 'day' | 'name' | 'number';

/** The customers behind one figure: sortable, read in pages, keyboard-driven. */
function FigureList({
  scope,
  figure,
  onBack,
  onOpen,
  onError,
}: {
  scope: BookScope;
  figure: BookFigure;
  onBack: () => void;
  onOpen: (id: string) => void;
  onError: (failure: unknown) => void;
}) {
  const { t } = useTranslation();
  const bridge = useDesk((state) => state.bridge)!;
  const [sort, setSort] = useState<{ by: Sort; descending: boolean }>({
    by: 'day',
    descending: false,
  });
  const [rows, setRows] = useState<Row[]>([]);
  const [total, setTotal] = useState<number>();

  const load = useCallback(
    async (offset: number) => {
      try {
        const page = await bridge.call('insight.list', {
          scope,
          figure,
          offset,
          limit: PAGE,
          sort: sort.by,
          descending: sort.descending,
        });
        setTotal(page.total);
        setRows((before) => (offset === 0 ? page.items : [...before, ...page.items]));
      } catch (failure) {
        onError(failure);
      }
    },
    [bridge, scope, figure, sort, onError],
  );
  useEffect(() => {
    void load(0);
  }, [load]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') onBack();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onBack]);

  const label = figure.startsWith('segment.')
    ? t(figure)
    : figure.startsWith('life.')
      ? `${t('home.byLifeCycle')} ${t(`lifeCycle.${figure.slice(5)}`)}`
      : figure.startsWith('risk.')
        ? `${t('home.byRisk')} ${t(`riskRating.${figure.slice(5)}`)}`
        : figure.startsWith('aum.')
          ? `${t('home.byAum')} ${t(`aumBand.${figure.slice(4)}`)}`
          : t(`home.figure.${figure}`);
  const sortOrder = (by: Sort) =>
    sort.by === by ? (sort.descending ? ('descend' as const) : ('ascend' as const)) : null;

  return (
    <div data-testid="home-list">
      <Space align="baseline">
        <Button onClick={onBack} data-testid="home-back">
          {t('home.back')}
        </Button>
        <Typography.Title level={4} data-testid="home-list-title">
          {t('home.listTitle', { figure: label, total: total ?? '…' })}
        </Typography.Title>
        <ListOutput scope={scope} figure={figure} sort={sort} label={label} />
      </Space>
      <Table<Row>
        size="small"
        virtual
        scroll={{ y: 520 }}
        pagination={false}
        rowKey={(row) => row.customer.id}
        dataSource={rows}
        onChange={(_pagination, _filters, sorter) => {
          const one = Array.isArray(sorter) ? sorter[0] : sorter;
          const by = (one?.columnKey as Sort | undefined) ?? 'day';
          setSort({ by: one?.order ? by : 'day', descending: one?.order === 'descend' });
        }}
        onRow={(row) =>
          ({
            onClick: () => onOpen(row.customer.id),
            onKeyDown: (event) => {
              if (event.key === 'Enter') onOpen(row.customer.id);
            },
            tabIndex: 0,
            'data-testid': 'home-list-row',
          }) as React.HTMLAttributes<HTMLElement>
        }
        columns={[
          {
            key: 'day',
            title: t('home.day'),
            width: 130,
            sorter: true,
            sortOrder: sortOrder('day'),
            render: (_, row) => row.day ?? (figure === 'dormant' ? t('home.never') : '—'),
          },
          {
            key: 'number',
            title: t('home.number'),
            width: 170,
            sorter: true,
            sortOrder: sortOrder('number'),
            render: (_, row) => row.customer.customerNumber,
          },
          {
            key: 'name',
            title: t('home.name'),
            sorter: true,
            sortOrder: sortOrder('name'),
            render: (_, row) => row.customer.displayName,
          },
          {
            key: 'phone',
            title: t('customer.phone'),
            width: 170,
            render: (_, row) =>
              row.customer.primaryPhone ? formatPhone(row.customer.primaryPhone) : '',
          },
        ]}
      />
      {total !== undefined && rows.length < total && (
        <Button onClick={() => void load(rows.length)} data-testid="home-list-more">
          {t('home.loadMore')}
        </Button>
      )}
    </div>
  );
}
