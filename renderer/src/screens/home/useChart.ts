// One Apache ECharts chart on an element, in the desk's language (ECharts' own zh-CN or English
// locale), resized with its element and disposed with it: what every chart of the desk needs.
// `option` is rebuilt when `deps` change; a click on an item reports its index.
import { BarChart, LineChart } from 'echarts/charts';
import { AriaComponent, GridComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef, type RefObject } from 'react';
import { useDesk } from '../../store';

echarts.use([BarChart, LineChart, GridComponent, TooltipComponent, AriaComponent, CanvasRenderer]);

export function useChart(
  element: RefObject<HTMLDivElement | null>,
  option: () => Record<string, unknown>,
  deps: readonly unknown[],
  onClick?: (index: number) => void,
): void {
  const locale = useDesk((state) => state.locale);
  const click = useRef(onClick);
  click.current = onClick;
  useEffect(() => {
    if (!element.current) return;
    const chart = echarts.init(element.current, null, {
      locale: locale === 'en' ? 'EN' : 'ZH',
      renderer: 'canvas',
    });
    chart.setOption({ aria: { enabled: true }, animation: false, ...option() });
    chart.on('click', (event) => click.current?.(event.dataIndex));
    const resize = new ResizeObserver(() => chart.resize());
    resize.observe(element.current);
    return () => {
      resize.disconnect();
      chart.dispose();
    };
    // The option is rebuilt from `deps` (and the language), not from the function's identity.
  }, [element, locale, ...deps]);
}
