/**
 * The figures under each chart as tables (header + rows of formatted cells): the percentiles and
 * server CPU per op that a scenario's latency chart draws, and the bars of the ratio chart.
 * report.md and report.html print the same cells, so a figure a key finding quotes reads the
 * same in both.
 */
import type { ChartRun, ScenarioCharts } from './chart-data.ts';
import { PERCENTILES } from './chart-data.ts';
import { fmtCpuPerOp, fmtFactor, fmtMs, fmtOps } from './run-inputs.ts';

/** A table: column titles and rows of cell texts. */
export interface Table {
  head: string[];
  rows: string[][];
  /** Columns whose figures align right. */
  numeric: boolean[];
}

/** Latency percentiles (ms) of the curves a scenario's latency chart draws, and server CPU per op where known. */
export function percentileTable(sc: ScenarioCharts): Table | undefined {
  if (sc.latency.length === 0) return undefined;
  const cpu = Object.keys(sc.serverCpuUsPerOp).length > 0;
  const head = ['target', 'op', 'ops measured', ...PERCENTILES.map((p) => `${p.label} ms`), ...(cpu ? ['server CPU/op'] : [])];
  const rows = sc.latency.map((c) => {
    const us = sc.serverCpuUsPerOp[c.target];
    return [c.target, c.op, fmtOps(c.count), ...c.points.map((p) => fmtMs(p.ms, false)), ...(cpu ? [us !== undefined ? fmtCpuPerOp(us) : '—'] : [])];
  });
  return { head, rows, numeric: head.map((_, i) => i >= 2) };
}

/** The ratio chart's bars: each target's ops/s, the baseline's, their ratio and the client-bound mark. */
export function ratioTable(run: ChartRun): Table | undefined {
  const b = run.baseline?.name;
  if (b === undefined || run.ratios.length === 0) return undefined;
  const head = ['scenario', 'target', 'ops/s', `${b} ops/s`, `÷ ${b}`, 'client-bound'];
  const rows = run.ratios.map((r) => [r.scenario, r.target, fmtOps(r.opsPerSec), fmtOps(r.baselineOpsPerSec), fmtFactor(r.ratio), r.clientBound ? 'yes' : 'no']);
  return { head, rows, numeric: head.map((_, i) => i >= 2 && i <= 4) };
}
