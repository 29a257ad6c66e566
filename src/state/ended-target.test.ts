// What the fold says about a target that has ended: which scenarios will never run, whether its
// server is gone, and the peak CPU/RSS its panel keeps (issue 13 item 8).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { crashedRun, ev, FIXTURE_SCENARIOS, T0, targetRun } from './fixtures.ts';
import { initialRunState, isScenarioNotRun, isServerStopped, reduceRunEvents } from './run-state.ts';

const sec = (n: number): number => T0 + n * 1000;
const notRun = (events: Parameters<typeof reduceRunEvents>[1], target: string, plan?: string[]): string[] => {
  const s = reduceRunEvents(initialRunState(plan ? { targets: plan, scenarios: [...FIXTURE_SCENARIOS] } : undefined), events);
  const t = s.targets[target];
  return t.scenarios.filter((x) => isScenarioNotRun(t, x)).map((x) => x.name);
};

test('a running target: queued scenarios are just queued, not "not run"; its server is live', () => {
  const events = targetRun('memory', 0, { stopAfter: 5 });
  assert.deepEqual(notRun(events, 'memory'), []);
  const t = reduceRunEvents(initialRunState(), events).targets.memory;
  assert.equal(isServerStopped(t), false);
});

test('interrupted mid-run: the running scenario is aborted, the ones after it are not run', () => {
  const events = [...targetRun('memory', 0, { stopAfter: 5 }), ev.runEnd('memory', sec(6), 'interrupted', { durationMs: 6000 })];
  const s = reduceRunEvents(initialRunState(), events);
  assert.deepEqual(s.targets.memory.scenarios.map((x) => x.state), ['passed', 'aborted', 'queued']);
  assert.deepEqual(notRun(events, 'memory'), ['mixed-workload']);
  assert.equal(isServerStopped(s.targets.memory), true);
});

test('a target stopped before it started (sequential run interrupted): every scenario not run', () => {
  const events = [...targetRun('memory', 0, { stopAfter: 2 }), ev.runEnd('memory', sec(3), 'interrupted'), ev.runEnd('rocksdb', sec(3), 'interrupted', { durationMs: 0, error: 'run stopped before this target started' })];
  assert.deepEqual(notRun(events, 'rocksdb', ['memory', 'rocksdb']), ['large-scale-load', 'sustained-load', 'mixed-workload']);
});

test('a crashed runner: its queued scenarios are not run, its server no longer live', () => {
  const s = reduceRunEvents(initialRunState(), crashedRun());
  assert.deepEqual(notRun(crashedRun(), 'rocksdb'), ['sustained-load', 'mixed-workload']);
  assert.equal(isServerStopped(s.targets.rocksdb), true);
  // The other target goes on: nothing of it is "not run".
  assert.deepEqual(notRun(crashedRun(), 'memory'), []);
});

test('peak CPU and RSS are the highest of all samples; the newest sample stays the newest', () => {
  const mb = 1024 * 1024;
  const server = (cpuPercent: number, rssMb: number) => ({ pid: 4242, cpuPercent, rssBytes: rssMb * mb });
  const events = [
    ev.runStart('memory', sec(0)),
    ev.scenarioStart('memory', sec(0), 'large-scale-load'),
    ev.progress('memory', sec(1), 'large-scale-load', { server: server(40, 100) }),
    ev.progress('memory', sec(2), 'large-scale-load', { server: server(93, 90) }),
    ev.progress('memory', sec(3), 'large-scale-load', { server: undefined }),
    ev.progress('memory', sec(4), 'large-scale-load', { server: server(20, 81) }),
    ev.runEnd('memory', sec(5)),
  ];
  const t = reduceRunEvents(initialRunState(), events).targets.memory;
  assert.deepEqual(t.peakSample, { cpuPercent: 93, rssBytes: 100 * mb });
  assert.deepEqual(t.sample, server(20, 81));
  assert.equal(isServerStopped(t), true);
});
