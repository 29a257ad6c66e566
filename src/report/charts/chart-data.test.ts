import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chartRun, slugOf, throughputPoints } from './chart-data.ts';
import { kindColour, targetColours } from './target-colours.ts';
import { chartFixture } from './test-fixture.ts';

describe('chart input', () => {
  it('turns the 1 s series into points at the end of each window, leaving a partial last window off', () => {
    assert.deepEqual(throughputPoints({ series: [100, 120, 30], durationMs: 2300 }), [
      { s: 1, opsPerSec: 100 },
      { s: 2, opsPerSec: 120 },
    ]);
    assert.deepEqual(throughputPoints({ series: [100, 120], durationMs: 2000 }).length, 2);
    // A scenario shorter than a second: its only window, as a rate.
    assert.deepEqual(throughputPoints({ series: [400], durationMs: 500 }), [{ s: 0.5, opsPerSec: 800 }]);
    assert.deepEqual(throughputPoints({ series: [10], durationMs: 100 }), []);
  });

  it('draws every target but the noop ceiling, etcd as the baseline, the headline op for all curves', () => {
    const { charts } = chartFixture();
    assert.deepEqual(charts.targets.map((t) => t.name), ['memory', 'rocksdb', 'etcd']);
    assert.deepEqual(charts.baseline, { name: 'etcd', isEtcd: true });
    const large = charts.scenarios[0];
    assert.equal(large.latencyOp, 'put');
    assert.deepEqual(large.latency.map((c) => [c.target, c.op, c.points.map((p) => p.label)]), [
      ['memory', 'put', ['p50', 'p90', 'p99', 'p99.9', 'max']],
      ['rocksdb', 'put', ['p50', 'p90', 'p99', 'p99.9', 'max']],
      ['etcd', 'put', ['p50', 'p90', 'p99', 'p99.9', 'max']],
    ]);
    assert.deepEqual(large.serverCpuUsPerOp, { memory: 110, rocksdb: 150, etcd: 380 });
  });

  it('without etcd, ratios are to the first target', () => {
    const { summary, run } = chartFixture();
    const noEtcd = { ...summary, baseline: undefined, targets: summary.targets.filter((t) => t.name !== 'etcd') };
    const charts = chartRun(noEtcd, run);
    assert.deepEqual(charts.baseline, { name: 'memory', isEtcd: false });
    assert.deepEqual(charts.ratios.map((r) => [r.scenario, r.target, r.ratio]), [
      ['large-scale-load', 'rocksdb', 0.75],
      ['txn-throughput', 'rocksdb', 1100 / 2400],
    ]);
  });

  it('gives each target kind its colour, and a second target of a kind a spare one', () => {
    const c = targetColours([{ name: 'etcd', kind: 'etcd' }, { name: 'memory', kind: 'memory' }, { name: 'cluster', kind: 'etcd' }, { name: 'x' }]);
    assert.equal(c.get('etcd')?.hex, kindColour('etcd').hex);
    assert.equal(c.get('memory')?.ink, 'cyan');
    assert.notEqual(c.get('cluster')?.hex, c.get('etcd')?.hex);
    assert.notEqual(c.get('x')?.hex, c.get('cluster')?.hex);
  });

  it('makes file names of scenario names', () => {
    assert.equal(slugOf('large-scale-load'), 'large-scale-load');
    assert.equal(slugOf('My Scenario/../x'), 'my-scenario-.-x');
    assert.equal(slugOf('///'), 'scenario');
  });
});
