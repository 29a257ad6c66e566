// Plain table and --json summary line of a run with a noop target (the load generator's ceiling).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { finishedRun, targetRun } from '../state/fixtures.ts';
import { initialRunState, reduceRunEvents } from '../state/run-state.ts';
import { SummaryLine, summaryLine } from './summary-line.ts';
import { renderResultsTable } from './table.ts';

// Fixture figures: memory 250, rocksdb 125, etcd 500 ops/s; noop 250 × scale. At scale 2.4 (noop
// 600) etcd is within 1.25× of the ceiling, memory and rocksdb are not (the old 3× rule marked all).
const withNoop = (scale: number, runnerCpu?: number) =>
  reduceRunEvents(initialRunState(), [
    ...finishedRun().map((e) => (runnerCpu !== undefined && e.kind === 'scenario-end' && e.target === 'memory' && e.scenario === 'large-scale-load' ? { ...e, extra: { ...(e.extra ?? {}), runnerCpuPercent: runnerCpu } } : e)),
    ...targetRun('noop', 36, { scale, end: 'completed' }),
  ]);

describe('plain table with a noop target', () => {
  it('heads the noop column as the ceiling, leaves it ungraded and marks only the target at the ceiling', () => {
    const lines = renderResultsTable(withNoop(2.4)).split('\n');
    assert.match(lines[0], /^scenario\s+memory\s+rocksdb\s+etcd\s+noop \(ceiling\)$/);
    assert.match(lines[2], /^large-scale-load\s+250 ops\/s · p99 10 ms · A\s+125 ops\/s · p99 10 ms · A\s+500 ops\/s · p99 10 ms · A · client-bound \(at ceiling 1\.20×\)\s+600 ops\/s · p99 10 ms$/);
    assert.match(lines.at(-2) ?? '', /^client-bound \(at ceiling N×\): this target came within 1\.25× of what the load generator/);
  });

  it('marks a cell whose runner used ≥ 90% of a core, below the ceiling, and explains that reason', () => {
    const text = renderResultsTable(withNoop(6, 95));
    assert.match(text, /^large-scale-load\s+250 ops\/s · p99 10 ms · A · client-bound \(runner CPU 95%\)\s+125 ops\/s · p99 10 ms · A\s+500 ops\/s · p99 10 ms · A\s+1,500/m);
    assert.match(text, /^client-bound \(runner CPU N%\): the load generator/m);
    assert.doesNotMatch(text, /at ceiling/);
  });

  it('shows no mark and no note when every target is ≥ 1.25× below the ceiling and the runner had headroom', () => {
    const text = renderResultsTable(withNoop(2.5, 89));
    assert.doesNotMatch(text, /client-bound/);
    assert.match(text, /625 ops\/s · p99 10 ms\n/);
  });
});

describe('--json summary line with a noop target', () => {
  it('flags the ceiling target, drops its grades and carries the mark on the other results', () => {
    const line = SummaryLine.parse(JSON.parse(JSON.stringify(summaryLine(withNoop(2.4), 'run-x', '/r', 0))));
    const noop = line.targets.find((t) => t.target === 'noop');
    assert.equal(noop?.ceiling, true);
    assert.equal(noop?.scenarios.some((s) => s.grade !== undefined || s.ceiling !== undefined), false);
    const etcd = line.targets.find((t) => t.target === 'etcd');
    assert.equal(etcd?.ceiling, undefined);
    assert.deepEqual(etcd?.scenarios[0], { scenario: 'large-scale-load', status: 'passed', opsPerSec: 500, p99Ms: 10, errors: 0, grade: 'A', ceiling: { opsPerSec: 600, ratio: 1.2, clientBound: true }, clientBound: ['ceiling'] });
    const memory = line.targets.find((t) => t.target === 'memory');
    assert.deepEqual(memory?.scenarios[0].ceiling, { opsPerSec: 600, ratio: 1.2, clientBound: false });
    assert.equal(memory?.scenarios[0].clientBound, undefined);
  });
});
