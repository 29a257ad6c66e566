/**
 * Throughput over time of one scenario: every target's 1 s windows on one axis of seconds into
 * the scenario (each target ran it at its own moment; the axis lines them up from their starts).
 * A point's spread (repeats) is drawn as a band of the line's colour from its min to its max.
 */
import type { EChartsOption, LineSeriesOption } from 'echarts';
import type { ChartTarget, ScenarioCharts, ThroughputLine } from './chart-data.ts';
import { axisStyle, baseOption, withAlpha } from './chart-style.ts';

/** Axis titles (the test checks that the units are named). */
export const THROUGHPUT_AXES = { x: 'seconds into the scenario (s)', y: 'throughput (ops/s)' } as const;

/** Lines with at most this many points show a marker on each. */
const MARKERS_UP_TO = 30;

/** The throughput chart's options for one scenario. */
export function throughputOption(sc: ScenarioCharts, targets: readonly ChartTarget[]): EChartsOption {
  const colour = new Map(targets.map((t) => [t.name, t.colour]));
  const lines = sc.throughput.filter((l) => colour.has(l.target));
  return {
    ...baseOption(`${sc.name} — throughput over time`, 'operations completed per 1 s window'),
    xAxis: { type: 'value', min: 0, nameGap: 30, ...axisStyle(THROUGHPUT_AXES.x) },
    yAxis: { type: 'value', min: 0, nameGap: 54, ...axisStyle(THROUGHPUT_AXES.y) },
    series: lines.flatMap((l) => seriesOf(l, colour.get(l.target)!)),
  };
}

function seriesOf(l: ThroughputLine, hex: string): LineSeriesOption[] {
  const line: LineSeriesOption = {
    type: 'line',
    name: l.target,
    data: l.points.map((p) => [p.s, p.opsPerSec]),
    showSymbol: l.points.length <= MARKERS_UP_TO,
    symbolSize: 5,
    lineStyle: { width: 2, color: hex },
    itemStyle: { color: hex },
    z: 3,
  };
  if (!l.points.some((p) => p.spread !== undefined)) return [line];
  // A band is two stacked lines: an invisible one at the minimum, and the max − min above it
  // filled; both carry the target's name, so the legend toggles the band with its line (which
  // comes first: the legend's icon is the first series of a name).
  const stack = `spread:${l.target}`;
  const lo = l.points.map((p) => [p.s, p.spread?.min ?? p.opsPerSec]);
  const height = l.points.map((p) => [p.s, p.spread ? p.spread.max - p.spread.min : 0]);
  const band = (data: number[][], fill: boolean): LineSeriesOption => ({
    type: 'line',
    name: l.target,
    data,
    stack,
    showSymbol: false,
    lineStyle: { opacity: 0 },
    itemStyle: { color: hex },
    ...(fill ? { areaStyle: { color: withAlpha(hex, 0.2) } } : {}),
    tooltip: { show: false },
    silent: true,
    z: 2,
  });
  return [line, band(lo, false), band(height, true)];
}
