// The charts of a run with repeats: every plotted value carries its min–max over the repeats
// (the throughput of each second, each latency percentile, each ratio bar); runs of one repeat none.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fixtureLoadedRun } from '../test-fixtures.ts';
import { buildSummary } from '../../views/summary.ts';
import { chartRun } from './chart-data.ts';

function charts(repeats?: number[]) {
  const run = fixtureLoadedRun({ runId: 'c', targets: ['memory', 'etcd'], speed: { etcd: 2 }, ...(repeats ? { repeats, repeatSlowness: repeats } : {}) });
  return chartRun(buildSummary(run), run.state);
}

describe('chart spread over repeats', () => {
  it('sets the min–max of ratios and latency percentiles from the repeats', () => {
    const c = charts([0.9, 1, 1.2]);
    const bar = c.ratios.find((r) => r.scenario === 'large-scale-load' && r.target === 'memory');
    // memory 1,800–2,400 ops/s over etcd's median 4,000.
    assert.deepEqual(bar?.spread, { min: 0.45, max: 0.6 });
    const p99 = c.scenarios[0].latency.find((l) => l.target === 'memory')?.points.find((p) => p.label === 'p99');
    assert.equal(p99?.ms, 40);
    assert.deepEqual(p99?.spread, { min: 36, max: 48 });
  });

  it('sets none for a run of one repeat', () => {
    const c = charts();
    assert.ok(c.ratios.every((r) => r.spread === undefined));
    assert.ok(c.scenarios.every((s) => s.latency.every((l) => l.points.every((p) => p.spread === undefined))));
  });
});
