/**
 * The charts of a run, in report order — per scenario its throughput and latency charts, then
 * the one ratio chart — each with its file name and options. report.md links these files,
 * report.html draws the same options, so the two show the same pictures.
 */
import type { EChartsOption } from 'echarts';
import type { ChartRun } from './chart-data.ts';
import { latencyOption } from './latency-chart.ts';
import { ratioOption } from './ratio-chart.ts';
import { throughputOption } from './throughput-chart.ts';

/** Folder of the SVG files inside the run folder. */
export const CHARTS_DIR = 'charts';

/** What a chart shows. */
export type ChartKind = 'throughput' | 'latency' | 'ratio';

/** One chart of a run. */
export interface ChartSpec {
  kind: ChartKind;
  /** The scenario it belongs to (none for the ratio chart). */
  scenario?: string;
  /** Path relative to the run folder: `charts/<scenario>.throughput.svg`, `charts/ratio.svg`. */
  file: string;
  /** Alt text / heading. */
  title: string;
  option: EChartsOption;
}

/** Every chart of a run; a scenario without throughput or latency data has no such chart. */
export function chartList(run: ChartRun): ChartSpec[] {
  const out: ChartSpec[] = [];
  for (const sc of run.scenarios) {
    if (sc.throughput.length > 0) {
      out.push({ kind: 'throughput', scenario: sc.name, file: `${CHARTS_DIR}/${sc.slug}.throughput.svg`, title: `${sc.name}: throughput over time`, option: throughputOption(sc, run.targets) });
    }
    if (sc.latency.length > 0) {
      out.push({ kind: 'latency', scenario: sc.name, file: `${CHARTS_DIR}/${sc.slug}.latency.svg`, title: `${sc.name}: latency percentiles`, option: latencyOption(sc, run.targets) });
    }
  }
  const ratio = ratioOption(run);
  if (ratio !== undefined && run.baseline !== undefined) out.push({ kind: 'ratio', file: `${CHARTS_DIR}/ratio.svg`, title: `throughput relative to ${run.baseline.name}`, option: ratio });
  return out;
}
