/**
 * Each target's throughput relative to the baseline (etcd when it ran, else the first target),
 * scenario by scenario: one bar per target and scenario, a line at 1× for the baseline itself.
 * A client-bound result (`isClientBound`: within 1.25× of the no-op ceiling, or the runner at
 * ≥ 90% of a core) is drawn hollow with a dashed outline and its label marked `cb` (the
 * dashboard's mark): its ratio may compare the client with itself. Labels stay on one line, so
 * neighbouring bars' labels do not run into each other. A spread (repeats) is written into the
 * bar's label as its min–max.
 */
import type { BarSeriesOption, EChartsOption } from 'echarts';
import type { ChartRun } from './chart-data.ts';
import { axisStyle, baseOption, withAlpha } from './chart-style.ts';
import { CLIENT_BOUND_RULE, fmtFactor } from './run-inputs.ts';

/** Axis titles for a baseline (the test checks that the units are named). */
export function ratioAxes(baseline: string): { x: string; y: string } {
  return { x: 'scenario', y: `throughput ÷ ${baseline}'s (×)` };
}

/** The ratio chart's options; undefined when no ratio can be taken (one target, or no baseline result). */
export function ratioOption(run: ChartRun): EChartsOption | undefined {
  const base = run.baseline;
  if (base === undefined || run.ratios.length === 0) return undefined;
  const scenarios = [...new Set(run.ratios.map((r) => r.scenario))];
  const axes = ratioAxes(base.name);
  const anyBound = run.ratios.some((r) => r.clientBound);
  const subtitle = `1× = ${base.name}${base.isEtcd ? '' : ' (first target; etcd did not run)'}${anyBound ? ` · hollow bars marked cb: client-bound (${CLIENT_BOUND_RULE})` : ''}`;
  const bars: BarSeriesOption[] = run.targets
    .filter((t) => t.name !== base.name)
    .map((t, i) => ({
      type: 'bar',
      name: t.name,
      itemStyle: { color: t.colour },
      barMaxWidth: 48,
      data: scenarios.map((sc) => {
        const r = run.ratios.find((x) => x.scenario === sc && x.target === t.name);
        if (r === undefined) return null;
        return {
          value: r.ratio,
          itemStyle: r.clientBound ? { color: withAlpha(t.colour, 0.15), borderColor: t.colour, borderWidth: 2, borderType: 'dashed' } : { color: t.colour },
          label: { show: true, position: 'top', color: t.colour, lineHeight: 14, formatter: `${fmtFactor(r.ratio)}${r.spread ? ` (${fmtFactor(r.spread.min)}–${fmtFactor(r.spread.max)})` : ''}${r.clientBound ? ' cb' : ''}` },
        };
      }),
      ...(i === 0 ? { markLine: { silent: true, symbol: 'none', lineStyle: { color: '#8b8b8b', type: 'dashed', width: 1.5 }, label: { formatter: `${base.name} = 1×`, position: 'insideEndTop', color: '#8b8b8b' }, data: [{ yAxis: 1 }] } } : {}),
    }));
  return {
    ...baseOption('Throughput relative to ' + base.name, subtitle),
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    xAxis: { type: 'category', data: scenarios, nameGap: 30, ...axisStyle(axes.x), splitLine: { show: false } },
    // The axis always reaches past 1×, so the baseline's line shows even when every bar is below it.
    yAxis: { type: 'value', min: 0, ...axisRange(Math.max(1, ...run.ratios.map((r) => r.spread?.max ?? r.ratio))), nameGap: 46, ...axisStyle(axes.y) },
    series: bars,
  };
}

/**
 * The axis's top and tick interval: room above the tallest bar for its two-line label, rounded
 * up to a whole number of a 1-2-5 step, at most six ticks.
 */
function axisRange(tallest: number): { max: number; interval: number } {
  const room = tallest * 1.25;
  const magnitude = 10 ** Math.floor(Math.log10(room / 6));
  const interval = [1, 2, 2.5, 5, 10].map((k) => k * magnitude).find((step) => room / step <= 6) ?? 10 * magnitude;
  return { max: Math.ceil(room / interval - 1e-9) * interval, interval };
}
