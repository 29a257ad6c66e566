/**
 * Latency percentiles of one scenario: one curve per target from p50 through p90, p99 and p99.9
 * to the maximum, on a log scale, so a tail that is ten times the median shows as clearly as one
 * that is a hundred times it. All curves are of the same operation type (the results table's
 * headline type). A spread (repeats) is drawn as dashed min and max curves around each curve.
 */
import type { EChartsOption, LineSeriesOption } from 'echarts';
import { PERCENTILES, type ChartTarget, type LatencyCurve, type ScenarioCharts } from './chart-data.ts';
import { axisStyle, baseOption, withAlpha } from './chart-style.ts';

/** Axis titles (the test checks that the units are named). */
export const LATENCY_AXES = { x: 'percentile', y: 'latency (ms, log scale)' } as const;

/** The latency percentile chart's options for one scenario. */
export function latencyOption(sc: ScenarioCharts, targets: readonly ChartTarget[]): EChartsOption {
  const colour = new Map(targets.map((t) => [t.name, t.colour]));
  const curves = sc.latency.filter((c) => colour.has(c.target));
  const ops = [...new Set(curves.map((c) => c.op))];
  const values = curves.flatMap((c) => c.points.map((p) => p.spread?.min ?? p.ms)).filter((v) => v > 0);
  return {
    ...baseOption(`${sc.name} — latency percentiles`, ops.length > 0 ? `operation type: ${ops.join(', ')}` : 'no latency recorded'),
    xAxis: { type: 'category', data: PERCENTILES.map((p) => p.label), boundaryGap: false, nameGap: 30, ...axisStyle(LATENCY_AXES.x) },
    // The log axis starts at the power of ten below the smallest value (strictly: a p50 of
    // exactly 10 ms starts it at 1 ms), so no curve runs along the frame.
    yAxis: { type: 'log', logBase: 10, nameGap: 54, ...(values.length > 0 ? { min: 10 ** Math.floor(Math.log10(Math.min(...values)) - 1e-9) } : {}), ...axisStyle(LATENCY_AXES.y) },
    series: curves.flatMap((c) => seriesOf(c, colour.get(c.target)!, ops.length > 1)),
  };
}

function seriesOf(c: LatencyCurve, hex: string, nameOp: boolean): LineSeriesOption[] {
  const name = nameOp ? `${c.target} (${c.op})` : c.target;
  const line: LineSeriesOption = {
    type: 'line',
    name,
    data: c.points.map((p) => positive(p.ms)),
    symbolSize: 6,
    lineStyle: { width: 2, color: hex },
    itemStyle: { color: hex },
    z: 3,
  };
  if (!c.points.some((p) => p.spread !== undefined)) return [line];
  // On a log axis a stacked band would add logarithms wrongly: two outline lines instead.
  const edge = (pick: (p: LatencyCurve['points'][number]) => number): LineSeriesOption => ({
    type: 'line',
    name,
    data: c.points.map((p) => positive(pick(p))),
    showSymbol: false,
    lineStyle: { width: 1, type: 'dashed', color: withAlpha(hex, 0.6) },
    tooltip: { show: false },
    silent: true,
    z: 2,
  });
  return [edge((p) => p.spread?.min ?? p.ms), edge((p) => p.spread?.max ?? p.ms), line];
}

/** A log axis cannot show 0: such a value (a sub-microsecond op rounded down) is left out. */
function positive(ms: number): number | null {
  return ms > 0 ? ms : null;
}
