// One bar chart of the home, drawn by Apache ECharts (its own zh-CN or English locale), with the
// same figures as a text table beside it for screen readers and for anyone who reads numbers
// faster than bars. Colours are the Okabe–Ito set, told apart with any colour vision; every bar
// and every table row opens the list behind it.
import { Table } from 'antd';
import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useChart } from './useChart';

/** Okabe–Ito: distinguishable with every common colour-vision deficiency. */
export const accessibleColours = ['#0072B2', '#E69F00', '#009E73', '#D55E00', '#CC79A7', '#56B4E9'];

export interface Bar {
  key: string;
  label: string;
  value: number;
  colour?: string;
}

export function BarChart({
  title,
  bars,
  onPick,
  testId,
}: {
  title: string;
  bars: readonly Bar[];
  onPick: (key: string) => void;
  testId: string;
}) {
  const { t } = useTranslation();
  const element = useRef<HTMLDivElement>(null);
  useChart(
    element,
    () => ({
      aria: { enabled: true, label: { description: undefined } },
      grid: { left: 8, right: 16, top: 8, bottom: 8, containLabel: true },
      tooltip: { trigger: 'item' },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: {
        type: 'category',
        inverse: true,
        data: bars.map((bar) => bar.label),
        // A long label (in English, say) is cut to two fifths of the chart, so the bars keep the
        // rest: whole, the labels took all of it and no bar was drawn. The whole label is in the
        // tooltip and the table beside.
        axisLabel: {
          width: Math.max(80, Math.round((element.current?.clientWidth ?? 400) * 0.4)),
          overflow: 'truncate',
        },
      },
      series: [
        {
          type: 'bar',
          name: title,
          data: bars.map((bar, index) => ({
            value: bar.value,
            itemStyle: { color: bar.colour ?? accessibleColours[index % accessibleColours.length] },
          })),
          label: { show: true, position: 'right' },
          cursor: 'pointer',
        },
      ],
    }),
    [bars, title],
    (index) => {
      const bar = bars[index];
      if (bar) onPick(bar.key);
    },
  );

  return (
    <div className="home-chart" data-testid={testId}>
      <div
        ref={element}
        className="home-chart-canvas"
        role="img"
        aria-label={title}
        style={{ height: Math.max(120, bars.length * 40) }}
      />
      <Table<Bar>
        size="small"
        pagination={false}
        rowKey="key"
        caption={t('home.chartTable', { title })}
        dataSource={[...bars]}
        columns={[
          { title, dataIndex: 'label' },
          {
            title: t('home.count'),
            dataIndex: 'value',
            align: 'right',
            render: (value: number, bar) => (
              <a
                href="#"
                onClick={(event) => {
                  event.preventDefault();
                  onPick(bar.key);
                }}
                data-testid={`${testId}-${bar.key}`}
              >
                {value}
              </a>
            ),
          },
        ]}
      />
    </div>
  );
}
