/**
 * Draws an ECharts option as an SVG document in Node, without a browser: ECharts' server-side
 * rendering (`ssr: true` with the SVG renderer). Only the chart types and components the charts
 * use are registered, which keeps the import small.
 */
import * as echarts from 'echarts/core';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, MarkLineComponent, TitleComponent, TooltipComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';
import type { EChartsOption } from 'echarts';
import { CHART_SIZE } from './chart-style.ts';

echarts.use([LineChart, BarChart, GridComponent, LegendComponent, MarkLineComponent, TitleComponent, TooltipComponent, SVGRenderer]);

/** Renders `option` as one standalone `<svg>` document (no XML declaration), `size` in pixels. */
export function renderSvg(option: EChartsOption, size: { width: number; height: number } = CHART_SIZE): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: size.width, height: size.height });
  try {
    chart.setOption(option);
    return chart.renderToSVGString() + '\n';
  } finally {
    chart.dispose();
  }
}
