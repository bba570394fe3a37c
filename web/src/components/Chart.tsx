/**
 * An ECharts chart (canvas) for the statistics dashboard and the hall screen. Only the parts in
 * use are registered (bar, line and pie charts; grid, tooltip, legend, aria; the canvas
 * renderer), and the React binding is echarts-for-react's ESM core (its CommonJS `lib/core`
 * leaves a blank page under Vite).
 */
import { useMemo } from 'react';
import EChartsReactCore from 'echarts-for-react/esm/core';
import * as echarts from 'echarts/core';
import { BarChart, LineChart, PieChart, type BarSeriesOption, type LineSeriesOption, type PieSeriesOption } from 'echarts/charts';
import {
  AriaComponent,
  GridComponent,
  LegendComponent,
  TooltipComponent,
  type AriaComponentOption,
  type GridComponentOption,
  type LegendComponentOption,
  type TooltipComponentOption,
} from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([BarChart, LineChart, PieChart, GridComponent, LegendComponent, TooltipComponent, AriaComponent, CanvasRenderer]);

export type ChartOption = echarts.ComposeOption<
  BarSeriesOption | LineSeriesOption | PieSeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption | AriaComponentOption
>;

/** What a click on a bar or a slice reports: the item's `key` (set in its data) or its name. */
export interface ChartClick {
  key: string;
  name: string;
  seriesName?: string;
}

interface ClickParams {
  name?: string;
  seriesName?: string;
  data?: unknown;
}

/** Whether the reader asked for less motion (then the charts draw at once, without animation). */
function prefersReducedMotion(): boolean {
  return typeof window !== 'undefined' && typeof window.matchMedia === 'function' && window.matchMedia('(prefers-reduced-motion: reduce)').matches;
}

export function Chart({
  option,
  height = 320,
  onItemClick,
  testId,
  label,
}: {
  option: ChartOption;
  /** pixels, or a CSS length (e.g. `min(36vh, 420px)`): the chart follows its box's size */
  height?: number | string;
  /** a bar or slice clicked: the chart drills down */
  onItemClick?: (c: ChartClick) => void;
  testId?: string;
  /** what the chart shows, for screen readers */
  label: string;
}) {
  const onEvents = useMemo(
    () =>
      onItemClick
        ? {
            click: (p: ClickParams) => {
              const data = p.data as { key?: unknown } | null | undefined;
              const key = data && typeof data === 'object' && typeof data.key === 'string' ? data.key : (p.name ?? '');
              if (key) onItemClick({ key, name: p.name ?? key, seriesName: p.seriesName });
            },
          }
        : undefined,
    [onItemClick],
  );
  return (
    <div data-testid={testId} role="img" aria-label={label} className="ow-chart" data-clickable={onItemClick ? 'true' : 'false'}>
      <EChartsReactCore echarts={echarts} option={{ aria: { enabled: true }, animation: !prefersReducedMotion(), ...option }} notMerge style={{ height, width: '100%' }} onEvents={onEvents} opts={{ renderer: 'canvas' }} />
    </div>
  );
}
