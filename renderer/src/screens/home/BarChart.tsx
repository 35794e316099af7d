// One bar chart of the home, drawn by Apache ECharts (its own zh-CN or English locale), with the
// same figures as a text table beside it for screen readers and for anyone who reads numbers
// faster than bars. Colours are the Okabe–Ito set, told apart with any colour vision; every bar
// and every table row opens the list behind it.
import { Table } from 'antd';
import { BarChart as Bars } from 'echarts/charts';
import { AriaComponent, GridComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useDesk } from '../../store';

echarts.use([Bars, GridComponent, TooltipComponent, AriaComponent, CanvasRenderer]);

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
  const locale = useDesk((state) => state.locale);
  const element = useRef<HTMLDivElement>(null);
  const pick = useRef(onPick);
  pick.current = onPick;

  useEffect(() => {
    if (!element.current) return;
    const chart = echarts.init(element.current, null, {
      locale: locale === 'en' ? 'EN' : 'ZH',
      renderer: 'canvas',
    });
    chart.setOption({
      aria: { enabled: true, label: { description: undefined } },
      animation: false,
      grid: { left: 8, right: 16, top: 8, bottom: 8, containLabel: true },
      tooltip: { trigger: 'item' },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: { type: 'category', inverse: true, data: bars.map((bar) => bar.label) },
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
    });
    chart.on('click', (event) => {
      const bar = bars[event.dataIndex];
      if (bar) pick.current(bar.key);
    });
    const resize = new ResizeObserver(() => chart.resize());
    resize.observe(element.current);
    return () => {
      resize.disconnect();
      chart.dispose();
    };
  }, [bars, title, locale]);

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
