import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ev, finishedRun, runningRun, T0, targetRun } from '../state/fixtures.ts';
import { initialRunState, reduceRunEvents } from '../state/run-state.ts';
import type { RunnerEvent } from '../events/schema.ts';
import { chartViewOf, MIN_SCENARIO_AXIS_SEC } from './chart-model.ts';
import type { ChartLine, ChartView } from './chart-model.ts';

const stateOf = (events: readonly RunnerEvent[]) => reduceRunEvents(initialRunState(), events);
const xs = (l: ChartLine) => l.pieces.map((p) => p.points.map((q) => q.xSec));

function asSpan(v: ChartView | undefined) {
  assert.equal(v?.kind, 'span');
  return v as Extract<ChartView, { kind: 'span' }>;
}
function asScenario(v: ChartView | undefined) {
  assert.equal(v?.kind, 'scenario');
  return v as Extract<ChartView, { kind: 'scenario' }>;
}

test('finished target: its own data span, one piece per scenario, a mark at each scenario start', () => {
  const s = stateOf(finishedRun());
  // etcd ran from 24 s to 36 s of the run: its chart starts at its own first scenario.
  const v = asSpan(chartViewOf(s.targets.etcd, s));
  assert.equal(v.xMaxSec, 12);
  assert.deepEqual(v.marks, [
    { xSec: 0, scenario: 'large-scale-load' },
    { xSec: 4, scenario: 'sustained-load' },
    { xSec: 8, scenario: 'mixed-workload' },
  ]);
  // Not joined across scenarios: three pieces, each at its own seconds since the target's start.
  assert.deepEqual(xs(v.front), [
    [1, 2, 3, 4],
    [5, 6, 7, 8],
    [9, 10, 11, 12],
  ]);
  assert.equal(v.front.colour, 'blue');
});

test('finished target: a scenario too short for a progress window still gets its mark; the span runs to its end', () => {
  const events = targetRun('memory', 0);
  events.push(ev.scenarioStart('memory', T0 + 12_000, 'txn-throughput'), ev.scenarioEnd('memory', T0 + 12_600, 'txn-throughput', { durationMs: 550 }));
  events.push(ev.runEnd('memory', T0 + 13_000));
  const v = asSpan(chartViewOf(stateOf(events).targets.memory));
  assert.deepEqual(v.marks.map((m) => `${m.scenario}@${m.xSec}`), ['large-scale-load@0', 'sustained-load@4', 'mixed-workload@8', 'txn-throughput@12']);
  assert.equal(v.xMaxSec, 12.6);
  assert.equal(v.front.pieces.length, 3);
});

test('finished target is never extended to "now": the span ends at its last window while others run on', () => {
  const s = stateOf([...runningRun(), ev.log('rocksdb', T0 + 300_000, 'still going')]);
  assert.equal(s.targets.memory.status.state, 'completed');
  assert.equal(asSpan(chartViewOf(s.targets.memory, s)).xMaxSec, 12);
});

test('running target: seconds into the running scenario, earlier targets of the same scenario behind it', () => {
  const s = stateOf(runningRun());
  const v = asScenario(chartViewOf(s.targets.rocksdb, s));
  assert.equal(v.scenario, 'sustained-load');
  assert.equal(v.front.target, 'rocksdb');
  // rocksdb is 2 s into sustained-load; memory ran it 12 s earlier in the run, drawn on the same x.
  assert.deepEqual(xs(v.front), [[1, 2]]);
  assert.deepEqual(
    v.behind.map((l) => [l.target, l.colour, xs(l)]),
    [['memory', 'cyan', [[1, 2, 3, 4]]]],
  );
  assert.deepEqual(
    v.behind[0].pieces[0].points.map((p) => p.opsPerSec),
    [260, 270, 280, 290],
  );
  // 2 s done of 1,000 ops at 500 so far: 2 s to go, so a 4 s axis.
  assert.equal(v.xMaxSec, 4);
});

test('scenario axis: a short default only while nothing tells the length', () => {
  const events: RunnerEvent[] = [ev.runStart('memory', T0), ev.scenarioStart('memory', T0, 'watch-scalability', { totalOps: undefined })];
  events.push(ev.progress('memory', T0 + 1000, 'watch-scalability', { totalOps: undefined, done: 0 }));
  assert.equal(asScenario(chartViewOf(stateOf(events).targets.memory)).xMaxSec, MIN_SCENARIO_AXIS_SEC);
});

test('scenario axis: the planned duration or the longest run seen, whichever is longer', () => {
  const planned = [...runningRun(), ev.progress('rocksdb', T0 + 19_000, 'sustained-load', { elapsedMs: 3000, durationMs: 30_000, totalOps: undefined })];
  assert.equal(asScenario(chartViewOf(stateOf(planned).targets.rocksdb, stateOf(planned))).xMaxSec, 30);
  // memory ran mixed-workload for 25 s; rocksdb starting it gets an axis that long.
  const long: RunnerEvent[] = [ev.runStart('memory', T0), ev.scenarioStart('memory', T0, 'mixed-workload')];
  for (let i = 1; i <= 25; i++) long.push(ev.progress('memory', T0 + i * 1000, 'mixed-workload', { elapsedMs: i * 1000 }));
  long.push(ev.runEnd('memory', T0 + 26_000), ev.runStart('rocksdb', T0 + 27_000), ev.scenarioStart('rocksdb', T0 + 27_000, 'mixed-workload'));
  const s = stateOf(long);
  const v = asScenario(chartViewOf(s.targets.rocksdb, s));
  assert.equal(v.xMaxSec, 25);
  assert.deepEqual(v.front.pieces, [], 'no window of its own yet');
  assert.equal(v.behind[0].pieces[0].points.length, 25);
});

test('waiting target: the scenario it runs first, with the targets that already ran it; no scenario, no chart', () => {
  const s = reduceRunEvents(initialRunState({ targets: ['memory', 'etcd'], scenarios: ['large-scale-load'] }), targetRun('memory', 0, { stopAfter: 2 }));
  const v = asScenario(chartViewOf(s.targets.etcd, s));
  assert.equal(v.scenario, 'large-scale-load');
  assert.deepEqual(v.behind.map((l) => l.target), ['memory']);
  assert.equal(chartViewOf(initialRunState({ targets: ['x'] }).targets.x), undefined);
});

test('a compacted series joins its points over its wider stride', () => {
  const events: RunnerEvent[] = [ev.runStart('memory', T0), ev.scenarioStart('memory', T0, 'sustained-load')];
  for (let i = 1; i <= 1000; i++) events.push(ev.progress('memory', T0 + i * 1000, 'sustained-load', { elapsedMs: i * 1000, totalOps: undefined }));
  const v = asScenario(chartViewOf(stateOf(events).targets.memory));
  assert.equal(v.front.pieces[0].joinSec, 2.5 * 4);
  assert.equal(v.xMaxSec, 1000);
});
