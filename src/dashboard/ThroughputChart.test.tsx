import { test } from 'node:test';
import assert from 'node:assert/strict';
import { render } from 'ink-testing-library';
import { finishedRun, runningRun } from '../state/fixtures.ts';
import { initialRunState, reduceRunEvents } from '../state/run-state.ts';
import type { RunnerEvent } from '../events/schema.ts';
import { ThroughputChart } from './ThroughputChart.tsx';
import { renderAt, stripAnsi } from './test-render.ts';

/** The chart's lines; ink-testing-library's stream is 100 columns, wider charts get a stream their size. */
function frameOf(events: readonly RunnerEvent[], target: string, width: number, rows: number): string[] {
  const run = reduceRunEvents(initialRunState(), events);
  const tree = <ThroughputChart target={run.targets[target]} run={run} width={width} rows={rows} />;
  const r = width <= 100 ? render(tree) : renderAt(tree, width, rows + 4);
  const lines = stripAnsi(r.lastFrame() ?? '').split('\n');
  r.unmount();
  return lines;
}

test('ThroughputChart, live target: legend with the targets compared, unit, y labels, seconds into the scenario', () => {
  const lines = frameOf(runningRun(), 'rocksdb', 76, 5);
  assert.equal(lines.length, 7);
  assert.match(lines[0], /^ops\/s {2}sustained-load · seconds into it\s+━ rocksdb {2}━ memory$/);
  assert.deepEqual(
    lines.slice(1, 6).map((l) => l.slice(0, 7).trim()),
    ['300 ┤', '200 ┤', '│', '100 ┤', '0 ┤'],
  );
  assert.match(lines[6], /^\s+0s\s+2s\s+4s$/);
  // Both curves are drawn: memory's (260–290 ops/s) near the top, rocksdb's (135–145) lower.
  assert.match(lines[1], /[⠁-⣿]/);
  assert.match(lines.slice(2, 5).join('\n'), /[⠁-⣿]/);
  for (const l of lines) assert.ok([...l].length <= 76, l);
});

test('ThroughputChart, finished target: its own span with scenario names and marks, ending at its last second', () => {
  const lines = frameOf(finishedRun(), 'etcd', 60, 4);
  assert.match(lines[0], /^ops\/s {2}large-scale-load\s+sustained-load\s+mixed-workload$/);
  assert.ok(lines.slice(1, 5).every((l) => (l.match(/┊/g) ?? []).length >= 1), 'scenario marks on every plot row');
  assert.match(lines[5], /^\s+0s\s+6s\s+12s$/);
  assert.ok(!lines.join('\n').includes('now'));
});

test('ThroughputChart at the panel widths of 80, 100, 160 and 200 columns: rows fit, legend and axis stay', () => {
  // Stacked at 80 and 100 (inner width − 4); side by side at 160 (2 or 3 targets) and 200 (2 targets); one target at 200.
  for (const width of [76, 96, 75, 48, 95, 196]) {
    const lines = frameOf(runningRun(), 'rocksdb', width, 8);
    assert.equal(lines.length, 10);
    for (const l of lines) assert.ok([...l].length <= width, `${width}: ${l}`);
    assert.match(lines[0], /━ rocksdb {2}━ memory$/);
    assert.match(lines[9], /0s.*4s$/);
  }
});
