// Plain table and --json summary line of a run with a noop target (the load generator's ceiling).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { finishedRun, targetRun } from '../state/fixtures.ts';
import { initialRunState, reduceRunEvents } from '../state/run-state.ts';
import { SummaryLine, summaryLine } from './summary-line.ts';
import { renderResultsTable } from './table.ts';

// Fixture figures: memory 250, rocksdb 125, etcd 500 ops/s; noop 250 × scale.
const withNoop = (scale: number) => reduceRunEvents(initialRunState(), [...finishedRun(), ...targetRun('noop', 36, { scale, end: 'completed' })]);

describe('plain table with a noop target', () => {
  it('heads the noop column as the ceiling, leaves it ungraded and marks client-bound cells with the ratio', () => {
    const lines = renderResultsTable(withNoop(5.9)).split('\n');
    assert.match(lines[0], /^scenario\s+memory\s+rocksdb\s+etcd\s+noop \(ceiling\)$/);
    assert.match(lines[2], /^large-scale-load\s+250 ops\/s · p99 10 ms · A · client-bound \(ceiling 2\.95×\)\s+125 ops\/s .* · client-bound \(ceiling 2\.95×\)\s+500 ops\/s · p99 10 ms · A · client-bound \(ceiling 2\.95×\)\s+1,475 ops\/s · p99 10 ms$/);
    assert.match(lines.at(-2) ?? '', /^client-bound: against a no-op server the load generator reached less than 3× this scenario's fastest target/);
  });

  it('shows no mark and no note at exactly 3×', () => {
    const text = renderResultsTable(withNoop(6));
    assert.doesNotMatch(text, /client-bound/);
    assert.match(text, /1,500 ops\/s · p99 10 ms\n/);
  });
});

describe('--json summary line with a noop target', () => {
  it('flags the ceiling target, drops its grades and carries the mark on the other results', () => {
    const line = SummaryLine.parse(JSON.parse(JSON.stringify(summaryLine(withNoop(5.9), 'run-x', '/r', 0))));
    const noop = line.targets.find((t) => t.target === 'noop');
    assert.equal(noop?.ceiling, true);
    assert.equal(noop?.scenarios.some((s) => s.grade !== undefined || s.ceiling !== undefined), false);
    const etcd = line.targets.find((t) => t.target === 'etcd');
    assert.equal(etcd?.ceiling, undefined);
    assert.deepEqual(etcd?.scenarios[0], { scenario: 'large-scale-load', status: 'passed', opsPerSec: 500, p99Ms: 10, errors: 0, grade: 'A', ceiling: { opsPerSec: 1475, ratio: 2.95, clientBound: true }, clientBound: ['ceiling'] });
  });
});
