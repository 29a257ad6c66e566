/**
 * The look shared by every chart: a transparent background with mid-grey text and grid lines,
 * so one SVG reads in a light and a dark Markdown viewer alike; sizes; no animation (a file is
 * a still picture, and the HTML report redraws on legend clicks without it).
 */
import type { EChartsOption } from 'echarts';

/** Pixel size of every chart (the SVG's width and height; report.html scales it to the page). */
export const CHART_SIZE = { width: 760, height: 380 } as const;

/** Text on the charts: readable on white (#fff) and on a dark page (#0d1117). */
export const TEXT_COLOUR = '#8b8b8b';
const AXIS_LINE = 'rgba(139,139,139,0.7)';
const GRID_LINE = 'rgba(139,139,139,0.25)';

/** The options every chart starts from: title, legend, grid, tooltip, fonts. */
export function baseOption(title: string, subtitle: string): EChartsOption {
  return {
    animation: false,
    backgroundColor: 'transparent',
    textStyle: { color: TEXT_COLOUR, fontFamily: 'Helvetica, Arial, sans-serif', fontSize: 12 },
    title: { text: title, subtext: subtitle, left: 12, top: 8, textStyle: { color: TEXT_COLOUR, fontSize: 15, fontWeight: 'bold' }, subtextStyle: { color: TEXT_COLOUR, fontSize: 11 } },
    legend: { top: 10, right: 12, textStyle: { color: TEXT_COLOUR }, inactiveColor: 'rgba(139,139,139,0.35)' },
    grid: { left: 72, right: 28, top: 78, bottom: 58 },
    tooltip: { trigger: 'axis' },
  };
}

/** An axis's look (lines, ticks, labels, title) in the shared colours. */
export function axisStyle(name: string): Record<string, unknown> {
  return {
    name,
    nameLocation: 'middle',
    nameTextStyle: { color: TEXT_COLOUR, fontSize: 12 },
    axisLine: { show: true, lineStyle: { color: AXIS_LINE } },
    axisTick: { lineStyle: { color: AXIS_LINE } },
    axisLabel: { color: TEXT_COLOUR },
    splitLine: { show: true, lineStyle: { color: GRID_LINE } },
  };
}

/** A colour with opacity: `#06b6d4`, 0.2 → `rgba(6,182,212,0.2)`. */
export function withAlpha(hex: string, alpha: number): string {
  const n = Number.parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255},${(n >> 8) & 255},${n & 255},${alpha})`;
}
