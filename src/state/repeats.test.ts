// Folding repeats (`metabench run --repeat N`): a scenario's result is the median over its
// repeats, graded on those medians, with per-repeat figures and spread in the cell; the target
// waits between repeats instead of finishing; progress and ETA count every repeat; a file read
// back line by line folds to the same state; a run without repeat info still loads as one repeat.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunnerEvent, ScenarioEndEvent } from '../events/schema.ts';
import { ev, latency, T0 } from './fixtures.ts';
import { initialRunState, isServerStopped, reduceRunEvents } from './run-state.ts';
import { combineRepeats, median, spreadOf } from './repeats.ts';
import { loadFinishedRun } from './load-run.ts';
import { resultRows } from '../views/results.ts';
import { fixtureRun } from '../report/test-fixtures.ts';
import { buildSummary } from '../views/summary.ts';

const s = (sec: number) => T0 + sec * 1000;
const SLO = { maxErrorRate: 0.01, maxP99Ms: 40, minOpsPerSec: 100 };

/** One repeat of one target: run-start, one scenario `s1`, run-end; every event stamped `repeat`. */
function repeat(target: string, r: number, startSec: number, opsPerSec: number, p99Ms: number, over: Partial<ScenarioEndEvent> = {}): RunnerEvent[] {
  const events: RunnerEvent[] = [
    ev.runStart(target, s(startSec), { scenarios: ['s1'] }),
    ev.scenarioStart(target, s(startSec + 1), 's1'),
    ev.progress(target, s(startSec + 2), 's1', { done: 500, elapsedMs: 1000 }),
    ev.scenarioEnd(target, s(startSec + 3), 's1', { opsPerSec, durationMs: 2000, latency: { put: latency(p99Ms / 4, p99Ms) }, slo: SLO, grade: { grade: 'A+', reason: 'per repeat' }, extra: { serverCpuUsPerOp: opsPerSec / 100 }, ...over }),
    ev.runEnd(target, s(startSec + 4), 'completed', { durationMs: 4000 }),
  ];
  return events.map((e) => ({ ...e, repeat: r }));
}

describe('median and spread', () => {
  it('takes the middle value, or the mean of the two middle ones', () => {
    assert.equal(median([3, 1, 2]), 2);
    assert.equal(median([4, 1, 3, 2]), 2.5);
    assert.deepEqual(spreadOf([3600, 4000, 4200]), { min: 3600, max: 4200, pct: 7.5 });
    assert.throws(() => median([]), /median of no values/);
  });
});

describe('folding repeats', () => {
  const plan = { targets: ['memory'], scenarios: ['s1'], repeats: 3 };

  it('shows the median of each figure, graded on the medians, with every repeat beside it', () => {
    // Repeat 2's p99 of 50 ms misses the 40 ms SLO on its own; the median (25 ms) does not.
    const events = [...repeat('memory', 1, 0, 4000, 20), ...repeat('memory', 2, 10, 3600, 50), ...repeat('memory', 3, 20, 4200, 25)];
    const state = reduceRunEvents(initialRunState(plan), events);
    const t = state.targets.memory;
    assert.deepEqual(t.status, { state: 'completed', durationMs: 12_000 });
    const sc = t.scenarios[0];
    assert.equal(sc.state, 'passed');
    assert.equal(sc.state === 'passed' && sc.repeats?.length, 3);
    const cell = resultRows(state)[0].results.memory;
    assert.equal(cell.opsPerSec, 4000);
    assert.equal(cell.p99Ms, 25);
    assert.equal(cell.serverCpuUsPerOp, 40);
    assert.deepEqual(cell.repeats?.map((r) => [r.repeat, r.opsPerSec, r.p99Ms]), [[1, 4000, 20], [2, 3600, 50], [3, 4200, 25]]);
    assert.deepEqual(cell.median, { opsPerSec: 4000, p99Ms: 25, serverCpuUsPerOp: 40 });
    assert.deepEqual(cell.spread?.opsPerSec, { min: 3600, max: 4200, pct: 7.5 });
    assert.deepEqual(cell.spread?.p99Ms, { min: 20, max: 50, pct: 60 });
    // Re-graded on the medians (p99 25 ms against 40 → 1.6×: C), not any repeat's own grade.
    assert.equal(cell.grade?.grade, 'C');
    assert.match(cell.grade?.reason ?? '', /p99 25 ms ≤ 40 ms, 4,000 ops\/s/);
  });

  it('fails the result when a check failed in any repeat, naming the repeat', () => {
    const bad = { status: 'failed' as const, checks: [{ name: 'read-your-write', ok: false, detail: '3 stale reads' }], error: 'checks failed' };
    const end = combineRepeats([...repeat('m', 1, 0, 4000, 20), ...repeat('m', 2, 10, 4100, 20, bad)].filter((e): e is ScenarioEndEvent => e.kind === 'scenario-end'));
    assert.equal(end.status, 'failed');
    assert.deepEqual(end.checks, [{ name: 'read-your-write', ok: false, detail: 'repeat 2: 3 stale reads' }]);
    assert.equal(end.error, 'repeat 2: checks failed');
    assert.equal(end.grade?.grade, 'F');
  });

  it('waits between repeats, and counts every repeat in progress and ETA', () => {
    let state = initialRunState({ targets: ['memory', 'etcd'], scenarios: ['s1'], repeats: 2 });
    state = reduceRunEvents(state, repeat('memory', 1, 0, 4000, 20));
    // Repeat 1 of memory done: half of its work; it waits its turn while etcd runs.
    assert.deepEqual(state.targets.memory.status, { state: 'waiting' });
    // Its repeat-1 server stopped with that repeat: the panel must not show its last sample as live.
    assert.equal(state.targets.memory.server !== undefined && isServerStopped(state.targets.memory), true);
    assert.equal(state.finished, false);
    assert.equal(state.targets.memory.progress, 0.5);
    assert.equal(state.targets.memory.etaMs, 4000, 'one more repeat at the 4 s of the first');
    // etcd has not started: estimated at 2 repeats × the mean repeat (4 s) after memory's 4 s left.
    assert.equal(state.progress.etaMs, 4000 + 2 * 4000);
    state = reduceRunEvents(state, repeat('etcd', 1, 5, 3000, 20).slice(0, 3));
    // etcd half-way through its first scenario of its first repeat: 25% of its work.
    assert.equal(state.targets.etcd.progress, 0.25);
    state = reduceRunEvents(state, repeat('etcd', 1, 5, 3000, 20).slice(3));
    state = reduceRunEvents(state, repeat('memory', 2, 10, 3800, 20).slice(0, 3));
    assert.equal(state.targets.memory.status.state, 'running');
    assert.equal(state.targets.memory.progress, 0.75, 'repeat 1 done, half of repeat 2');
    assert.equal(isServerStopped(state.targets.memory), false, 'repeat 2 has a live server');
    // etcd, before its first repeat and now between repeats.
    assert.equal(isServerStopped(initialRunState({ targets: ['etcd'], scenarios: ['s1'], repeats: 2 }).targets.etcd), false, 'no server yet');
    state = reduceRunEvents(state, [...repeat('memory', 2, 10, 3800, 20).slice(3), ...repeat('etcd', 2, 15, 3200, 20)]);
    assert.equal(state.finished, true);
    assert.equal(state.progress.etaMs, 0);
    assert.equal(resultRows(state)[0].results.memory.opsPerSec, 3900);
  });

  it('keeps what finished when a later repeat is cut off, marked aborted', () => {
    const cut = repeat('memory', 2, 10, 0, 0).slice(0, 3);
    const state = reduceRunEvents(initialRunState(plan), [...repeat('memory', 1, 0, 4000, 20), ...cut, { ...ev.runEnd('memory', s(14), 'interrupted', { durationMs: 3000, error: 'interrupted by SIGINT' }), repeat: 2 }]);
    assert.deepEqual(state.targets.memory.status, { state: 'interrupted', durationMs: 7000, error: 'interrupted by SIGINT' });
    const cell = resultRows(state)[0].results.memory;
    assert.equal(cell.status, 'aborted');
    assert.equal(cell.opsPerSec, 4000, 'repeat 1 still shown');
    assert.equal(cell.repeats?.length, 1);
    assert.equal(cell.grade?.grade, 'F');
    assert.match(cell.error ?? '', /^repeat 2 cut off: interrupted by SIGINT/);
  });

  it('folds the same from NDJSON files, and loads a run without repeat info as one repeat', async () => {
    const root = mkdtempSync(join(tmpdir(), 'metabench-repeats-'));
    try {
      const dir = await fixtureRun(root, { runId: 'rep', targets: ['memory'], repeats: [0.9, 1, 1.2] });
      const loaded = await loadFinishedRun(dir);
      const cell = buildSummary(loaded).scenarios[0].results.memory;
      assert.equal(cell.opsPerSec, 2000);
      assert.deepEqual(cell.repeats?.map((r) => r.opsPerSec), [1800, 2000, 2400]);
      assert.deepEqual(cell.spread?.opsPerSec, { min: 1800, max: 2400, pct: 15 });
      // An old run folder: no `repeats` in run.json, no `repeat` on any event.
      const old = await fixtureRun(root, { runId: 'old', targets: ['memory'] });
      const single = buildSummary(await loadFinishedRun(old));
      assert.equal(single.manifest.repeats, undefined);
      const c = single.scenarios[0].results.memory;
      assert.equal(c.opsPerSec, 2000);
      assert.deepEqual([c.repeats, c.median, c.spread], [undefined, undefined, undefined]);
      assert.equal(single.targets[0].status, 'completed');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
