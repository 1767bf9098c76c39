import {
  BarChart,
  FunnelChart,
  LineChart,
  MapChart,
  ScatterChart,
  type BarSeriesOption,
  type FunnelSeriesOption,
  type LineSeriesOption,
  type MapSeriesOption,
  type ScatterSeriesOption,
} from 'echarts/charts';
import {
  GridComponent,
  LegendComponent,
  TooltipComponent,
  VisualMapComponent,
  type GridComponentOption,
  type LegendComponentOption,
  type TooltipComponentOption,
  type VisualMapComponentOption,
} from 'echarts/components';
import { use, type ComposeOption } from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';

// Only the parts of ECharts the panels use (tree-shaken build). SVG: crisp
// at any zoom and in screenshots.
use([
  BarChart,
  FunnelChart,
  LineChart,
  MapChart,
  ScatterChart,
  GridComponent,
  LegendComponent,
  TooltipComponent,
  VisualMapComponent,
  SVGRenderer,
]);

/** An option of the charts registered above. */
export type ChartOption = ComposeOption<
  | BarSeriesOption
  | FunnelSeriesOption
  | LineSeriesOption
  | MapSeriesOption
  | ScatterSeriesOption
  | GridComponentOption
  | LegendComponentOption
  | TooltipComponentOption
  | VisualMapComponentOption
>;

/** Colors with at least 3:1 contrast on white (WCAG non-text contrast). */
export const PALETTE = {
  demand: '#1f5fa8',
  trained: '#b45309',
  completed: '#7c3aed',
  certified: '#047857',
  placed: '#be123c',
  gap: '#b91c1c',
  surplus: '#1d4ed8',
  neutral: '#6b7280',
} as const;
