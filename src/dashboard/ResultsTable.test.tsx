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

// Fixture figures: memory 250, rocksdb 125, etcd 500 ops/s (etcd fastest); noop 250 × scale. At
// 2.4 (noop 600) only etcd is within 1.25× of the ceiling. `runnerCpu`: memory's on large-scale-load.
function frame(scale: number, width = 200, runnerCpu?: number): string[] {
  const ends = finishedRun().map((e) => (runnerCpu !== undefined && e.kind === 'scenario-end' && e.target === 'memory' && e.scenario === 'large-scale-load' ? { ...e, extra: { ...(e.extra ?? {}), runnerCpuPercent: runnerCpu } } : e));
  const run = reduceRunEvents(initialRunState(), [...ends, ...targetRun('noop', 36, { scale, end: 'completed' })]);
  const targets = run.targetOrder;
  const r = renderAt(<ResultsTable rows={resultRows(run)} targets={targets} width={width} maxRows={10} baseline={baselineTarget(run)} ceilingTarget={ceilingTarget(run)} />, 200, 20);
  const lines = stripAnsi(r.lastFrame()).split('\n');
  r.unmount();
  return lines;
}

describe('ResultsTable with a noop target', () => {
  it('heads the ceiling column, shows the ceiling ratio there and cb on the target at the ceiling only', () => {
    const [title, names, heads, large] = frame(2.4);
    assert.match(title, /^Results {2}cb = client-bound: within 1\.25× of the no-op ceiling, so the figure may measure the client$/);
    assert.match(names, /noop \(ceiling\)/);
    assert.match(heads, /ops\/s {3}p99 {7}÷fastest/);
    assert.match(large, /^large-scale-load\s+250\s+10 ms\s+A\s+0\.50×\s+125\s+10 ms\s+A\s+0\.25×\s+500\s+10 ms\s+A\s+cb\s+600\s+10 ms\s+1\.20×\s*$/);
  });

  it('marks a cell whose runner used ≥ 90% of a core, below the ceiling, and says why in the title', () => {
    const [title, , , large] = frame(6, 200, 95);
    assert.match(title, /cb = client-bound: runner CPU ≥ 90% of a core, so/);
    assert.match(large, /^large-scale-load\s+250\s+10 ms\s+A\s+cb\s+0\.50×\s+125\s+10 ms\s+A\s+0\.25×\s+500\s+10 ms\s+A\s+1,500/);
  });

  it('has no cb and no legend when every target is ≥ 1.25× below the ceiling and the runner had headroom', () => {
    const lines = frame(2.5, 200, 89);
    assert.doesNotMatch(lines.join('\n'), /cb/);
    assert.match(lines[3], /625\s+10 ms\s+1\.25×\s*$/);
  });

  it('compact (80 columns, four targets): cb after the grade, the ratio in the ceiling column', () => {
    const large = frame(2.4, 80)[3];
    assert.match(large, /^large-scale-load\s+250\s+A\s+125\s+A\s+500\s+A\s+cb\s+600\s+1\.20×\s*$/);
  });
});

describe('Dashboard with a noop target', () => {
  it('labels the noop panel as the ungraded ceiling and marks the results table', () => {
    const store = new RunStore(initialRunState());
    store.dispatch([...finishedRun(), ...targetRun('noop', 36, { scale: 2.4, end: 'completed' })]);
    const model = store.getSnapshot();
    const r = renderAt(<Dashboard model={model} ui={INITIAL_UI} size={{ columns: 200, rows: 60 }} nowMs={model.run.lastT!} interactive ownsRun={false} feed={false} />, 200, 60);
    const f = stripAnsi(r.lastFrame());
    r.unmount();
    assert.match(f, /noop completed 100% · ceiling, not graded/);
    assert.match(f, /noop \(ceiling\)/);
    assert.match(f, /cb = client-bound/);
  });
});

describe('ResultsTable with an interrupted scenario', () => {
  it('shows an aborted scenario that measured nothing as aborted, not as 0 ops/s', () => {
    const ends = finishedRun().map((e) => (e.kind === 'scenario-end' && e.target === 'memory' && e.scenario === 'large-scale-load' ? { ...e, status: 'aborted' as const, ops: 0, opsPerSec: 0, error: 'interrupted' } : e));
    const run = reduceRunEvents(initialRunState(), ends);
    const r = renderAt(<ResultsTable rows={resultRows(run)} targets={run.targetOrder} width={200} maxRows={10} baseline={baselineTarget(run)} ceilingTarget={ceilingTarget(run)} />, 200, 20);
    const large = stripAnsi(r.lastFrame()).split('\n').find((l) => l.startsWith('large-scale-load'))!;
    r.unmount();
    assert.match(large, /^large-scale-load\s+⛔\s+125\s/);
  });
});
