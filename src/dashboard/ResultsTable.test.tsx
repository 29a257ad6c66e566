// The dashboard results table with a noop target: the ceiling column and the client-bound mark.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { finishedRun, targetRun } from '../state/fixtures.ts';
import { initialRunState, reduceRunEvents } from '../state/run-state.ts';
import { baselineTarget } from '../views/baseline.ts';
import { ceilingTarget, resultRows } from '../views/results.ts';
import { Dashboard } from './Dashboard.tsx';
import { ResultsTable } from './ResultsTable.tsx';
import { RunStore } from '../state/run-store.ts';
import { INITIAL_UI } from './ui-state.ts';
import { renderAt, stripAnsi } from './test-render.ts';

// Fixture figures: memory 250, rocksdb 125, etcd 500 ops/s (etcd fastest); noop 250 × scale.
function frame(scale: number, width = 200): string[] {
  const run = reduceRunEvents(initialRunState(), [...finishedRun(), ...targetRun('noop', 36, { scale, end: 'completed' })]);
  const targets = run.targetOrder;
  const r = renderAt(<ResultsTable rows={resultRows(run)} targets={targets} width={width} maxRows={10} baseline={baselineTarget(run)} ceilingTarget={ceilingTarget(run)} />, 200, 20);
  const lines = stripAnsi(r.lastFrame()).split('\n');
  r.unmount();
  return lines;
}

describe('ResultsTable with a noop target', () => {
  it('heads the ceiling column, shows the ceiling ratio there and cb on client-bound cells', () => {
    const [title, names, heads, large] = frame(5.9);
    assert.match(title, /^Results {2}cb = client-bound: no-op ceiling under 3× the fastest target/);
    assert.match(names, /noop \(ceiling\)/);
    assert.match(heads, /ops\/s {3}p99 {7}÷fastest/);
    assert.match(large, /^large-scale-load\s+250\s+10 ms\s+A\s+cb\s+0\.50×\s+125\s+10 ms\s+A\s+cb\s+0\.25×\s+500\s+10 ms\s+A\s+cb\s+1,475\s+10 ms\s+2\.95×\s*$/);
  });

  it('has no cb and no legend at exactly 3×', () => {
    const lines = frame(6);
    assert.doesNotMatch(lines.join('\n'), /cb/);
    assert.match(lines[3], /1,500\s+10 ms\s+3\.00×\s*$/);
  });

  it('compact (80 columns, four targets): cb after the grade, the ratio in the ceiling column', () => {
    const large = frame(5.9, 80)[3];
    assert.match(large, /^large-scale-load\s+250\s+A\s+cb\s+125\s+A\s+cb\s+500\s+A\s+cb\s+1,475\s+2\.95×\s*$/);
  });
});

describe('Dashboard with a noop target', () => {
  it('labels the noop panel as the ungraded ceiling and marks the results table', () => {
    const store = new RunStore(initialRunState());
    store.dispatch([...finishedRun(), ...targetRun('noop', 36, { scale: 5.9, end: 'completed' })]);
    const model = store.getSnapshot();
    const r = renderAt(<Dashboard model={model} ui={INITIAL_UI} size={{ columns: 200, rows: 60 }} nowMs={model.run.lastT!} interactive ownsRun={false} feed={false} />, 200, 60);
    const f = stripAnsi(r.lastFrame());
    r.unmount();
    assert.match(f, /noop completed 100% · ceiling, not graded/);
    assert.match(f, /noop \(ceiling\)/);
    assert.match(f, /cb = client-bound/);
  });
});
