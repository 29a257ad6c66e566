/**
 * The fixture run the chart, findings and report.html tests draw: memory, rocksdb and etcd on
 * large-scale-load and txn-throughput, plus the noop ceiling target (memory at the ceiling on
 * large-scale-load; rocksdb's runner at 95% CPU on txn-throughput), with distinct 1 s series, a tail-latency outlier (etcd's txn p99.9 is
 * 5× its p99) and server CPU per op. Built on the report's run fixtures.
 */
import type { ScenarioEndEvent } from '../../events/schema.ts';
import { latency } from '../../state/fixtures.ts';
import { buildSummary, type RunSummary } from '../../views/summary.ts';
import { fixtureLoadedRun, fixtureRun, type FixtureRunOptions } from '../test-fixtures.ts';
import { chartRun, type ChartRun, type RunEnds } from './chart-data.ts';

/** Targets of the fixture, in run order. */
export const CHART_FIXTURE_TARGETS = ['memory', 'rocksdb', 'etcd', 'noop'] as const;

const series = (base: number, wobble: readonly number[]) => wobble.map((w) => Math.round(base * w));

/** Fixture options: scenario-end overrides per `target/scenario`. */
export function chartFixtureOptions(runId = 'charts-fixture'): FixtureRunOptions {
  const endOver: Record<string, Partial<ScenarioEndEvent>> = {
    // 4.3 s: four whole windows and a 300 ms partial one, which the chart leaves off.
    'memory/large-scale-load': { opsPerSec: 4000, durationMs: 4300, series: [...series(4000, [0.96, 1.03, 1.0, 1.01]), 1200], extra: { serverCpuUsPerOp: 110 } },
    'rocksdb/large-scale-load': { opsPerSec: 3000, durationMs: 5000, series: series(3000, [0.9, 1.1, 1.0, 0.95, 1.05]), extra: { serverCpuUsPerOp: 150 } },
    'etcd/large-scale-load': { opsPerSec: 2000, durationMs: 6000, series: series(2000, [1.0, 0.98, 1.02, 1.0, 0.97, 1.03]), extra: { serverCpuUsPerOp: 380 } },
    // 1.2× memory: memory reached the ceiling (client-bound), rocksdb at 1.6× did not.
    'noop/large-scale-load': { opsPerSec: 4800, durationMs: 3000, series: series(4800, [1, 1, 1]) },
    'memory/txn-throughput': { opsPerSec: 2400, durationMs: 3000, series: series(2400, [0.9, 1.05, 1.05]) },
    // Far below the ceiling, but its runner had no CPU left: client-bound too.
    'rocksdb/txn-throughput': { opsPerSec: 1100, durationMs: 4000, series: series(1100, [1, 1, 1, 1]), extra: { runnerCpuPercent: 95 } },
    'etcd/txn-throughput': { opsPerSec: 1200, durationMs: 4000, series: series(1200, [1, 1.1, 0.9, 1]), latency: { put: { ...latency(5, 20), p999Ms: 100, maxMs: 140 } } },
    'noop/txn-throughput': { opsPerSec: 30000, durationMs: 1000, series: [30000] },
  };
  return { runId, targets: [...CHART_FIXTURE_TARGETS], endOver };
}

/** The fixture's summary, run state and chart input, folded in memory. */
export function chartFixture(o: FixtureRunOptions = chartFixtureOptions()): { summary: RunSummary; run: RunEnds; charts: ChartRun } {
  const loaded = fixtureLoadedRun(o);
  const summary = buildSummary(loaded);
  return { summary, run: loaded.state, charts: chartRun(summary, loaded.state) };
}

/** Writes the fixture run's files under `root` and returns its folder. */
export function writeChartFixture(root: string, runId = 'charts-fixture'): Promise<string> {
  return fixtureRun(root, chartFixtureOptions(runId));
}

/**
 * The figures a key finding states: its numbers, less derived ratios in parentheses (`(1.3×)`)
 * and percentile names (`p99.9`).
 */
export function figures(text: string): string[] {
  return [...text.replace(/\(\d[\d.,]*×\)/g, '').matchAll(/(?<![\w.])\d[\d,]*(?:\.\d+)?/g)].map((m) => m[0]);
}

/** True when `text` has `num` as a whole number (not inside a longer one). */
export function hasNumber(text: string, num: string): boolean {
  return new RegExp(`(?<![\\d.,])${num.replace(/[.]/g, '\\.')}(?![\\d,]|\\.\\d)`).test(text);
}
