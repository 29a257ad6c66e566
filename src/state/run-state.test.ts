import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunnerEvent } from '../events/schema.ts';
import { crashedRun, ev, finishedRun, FIXTURE_SCENARIOS, runningRun, T0, targetRun } from './fixtures.ts';
import { etaAt } from './progress.ts';
import {
  crashedEvent,
  initialRunState,
  MAX_LOG_LINES,
  reduceRunEvents,
  reduceRunState,
  runningScenario,
  scenarioResults,
} from './run-state.ts';
import type { RunState } from './run-state.ts';

const fold = (events: readonly RunnerEvent[], s: RunState = initialRunState()): RunState => reduceRunEvents(s, events);
const states = (s: RunState, target: string) => s.targets[target].scenarios.map((x) => x.state);
const sec = (n: number) => T0 + n * 1000;

interface Case {
  name: string;
  events: () => RunnerEvent[];
  check: (s: RunState) => void;
}

const cases: Case[] = [
  {
    name: 'no events: empty, not finished',
    events: () => [],
    check: (s) => {
      assert.deepEqual(s.targetOrder, []);
      assert.equal(s.finished, false);
      assert.equal(s.progress.total, 0);
    },
  },
  {
    name: 'run-start: target starting, scenarios queued, run metadata set',
    events: () => [ev.runStart('memory', sec(0))],
    check: (s) => {
      const t = s.targets.memory;
      assert.deepEqual(t.status, { state: 'starting', sinceT: sec(0) });
      assert.equal(t.server?.pid, 4242);
      assert.equal(t.server?.address, '127.0.0.1:23790');
      assert.deepEqual(states(s, 'memory'), ['queued', 'queued', 'queued']);
      assert.equal(s.runId, 'run-fixture');
      assert.equal(s.profile, 'quick');
      assert.equal(s.seed, 42);
    },
  },
  {
    name: 'scenario-start + progress: running with progress, ETA and live figures',
    events: () => [ev.runStart('memory', sec(0)), ev.scenarioStart('memory', sec(0), 'large-scale-load'), ev.progress('memory', sec(1), 'large-scale-load')],
    check: (s) => {
      const t = s.targets.memory;
      assert.equal(t.status.state, 'running');
      const r = runningScenario(t);
      assert.equal(r?.name, 'large-scale-load');
      assert.equal(r?.progress?.fraction, 0.25);
      assert.equal(r?.progress?.etaMs, 3000); // 750 ops left at 250 per second
      assert.equal(t.live?.opsPerSec, 250);
      assert.equal(t.live?.p99Ms, 12.5);
      assert.equal(t.sample?.cpuPercent, 55.5);
      // 1 scenario of 3 at 25%; the 2 queued ones estimated at the running one's 4 s total.
      assert.equal(t.progress, 0.25 / 3);
      assert.equal(t.etaMs, 3000 + 2 * 4000);
    },
  },
  {
    name: 'time-bounded scenario: fraction from elapsed/duration',
    events: () => [
      ev.runStart('memory', sec(0)),
      ev.scenarioStart('memory', sec(0), 'sustained-load', { totalOps: undefined, durationMs: 10_000 }),
      ev.progress('memory', sec(4), 'sustained-load', { totalOps: undefined, durationMs: 10_000, elapsedMs: 4000, done: 9999 }),
    ],
    check: (s) => {
      const r = runningScenario(s.targets.memory);
      assert.equal(r?.progress?.fraction, 0.4);
      assert.equal(r?.progress?.etaMs, 6000);
    },
  },
  {
    name: 'scenario-end: passed with grade, failed, aborted with reason',
    events: () => [
      ev.runStart('memory', sec(0)),
      ev.scenarioEnd('memory', sec(1), 'large-scale-load'),
      ev.scenarioEnd('memory', sec(2), 'sustained-load', { status: 'failed', grade: { grade: 'F', reason: 'check failed' } }),
      ev.scenarioEnd('memory', sec(3), 'mixed-workload', { status: 'aborted', error: 'timed out' }),
    ],
    check: (s) => {
      const t = s.targets.memory;
      assert.deepEqual(states(s, 'memory'), ['passed', 'failed', 'aborted']);
      const [a, b, c] = t.scenarios;
      assert.equal(a.state === 'passed' && a.end.grade?.grade, 'A');
      assert.equal(b.state === 'failed' && b.end.grade?.grade, 'F');
      assert.equal(c.state === 'aborted' && c.reason, 'timed out');
      assert.equal(scenarioResults(t).length, 3);
      assert.equal(t.progress, 1);
    },
  },
  {
    name: 'late progress after scenario-end does not reopen it',
    events: () => [ev.runStart('memory', sec(0)), ev.scenarioEnd('memory', sec(4), 'large-scale-load'), ev.progress('memory', sec(4), 'large-scale-load')],
    check: (s) => assert.equal(s.targets.memory.scenarios[0].state, 'passed'),
  },
  {
    name: 'run-end interrupted: running scenario aborted, queued stay queued',
    events: () => [
      ev.runStart('memory', sec(0)),
      ev.scenarioStart('memory', sec(0), 'large-scale-load'),
      ev.runEnd('memory', sec(2), 'interrupted', { durationMs: 2000 }),
    ],
    check: (s) => {
      assert.deepEqual(s.targets.memory.status, { state: 'interrupted', durationMs: 2000, error: undefined });
      assert.deepEqual(states(s, 'memory'), ['aborted', 'queued', 'queued']);
      assert.equal(s.finished, true);
    },
  },
  {
    name: 'target-unavailable: reason and hint, excluded from total, run finished with the others',
    events: () => [ev.unavailable('etcd', sec(0)), ...targetRun('memory', 0, { end: 'completed' })],
    check: (s) => {
      assert.deepEqual(s.targets.etcd.status, { state: 'unavailable', reason: 'etcd not found on PATH', hint: 'apt-get install etcd-server' });
      assert.equal(s.progress.total, 1);
      assert.equal(s.finished, true);
      assert.equal(s.progress.etaMs, 0);
    },
  },
  {
    name: 'run-start after unavailable keeps unavailable',
    events: () => [ev.unavailable('etcd', sec(0)), ev.runStart('etcd', sec(0)), ev.runEnd('etcd', sec(0), 'completed')],
    check: (s) => assert.equal(s.targets.etcd.status.state, 'unavailable'),
  },
  {
    name: 'finished run: all completed, results per target, total 100%',
    events: finishedRun,
    check: (s) => {
      assert.deepEqual(s.targetOrder, ['memory', 'rocksdb', 'etcd']);
      for (const n of s.targetOrder) assert.equal(s.targets[n].status.state, 'completed');
      assert.deepEqual(states(s, 'rocksdb'), ['passed', 'passed', 'failed']);
      assert.equal(s.progress.total, 1);
      assert.equal(s.finished, true);
      assert.equal(s.parallel, false);
      assert.equal(s.startT, T0);
      assert.equal(s.lastT, sec(36));
    },
  },
  {
    name: 'running sequential run: per-target progress and a run ETA that counts the remaining scenarios',
    events: runningRun,
    check: (s) => {
      assert.equal(s.targets.memory.progress, 1);
      assert.deepEqual(states(s, 'rocksdb'), ['passed', 'running', 'queued']);
      assert.equal(s.targets.rocksdb.progress, (1 + 0.5) / 3);
      assert.equal(s.progress.total, (1 + 0.5) / 2);
      // rocksdb: 2 s left of sustained-load + one queued scenario at the 4 s mean.
      assert.equal(s.targets.rocksdb.etaMs, 2000 + 4000);
      assert.equal(s.progress.etaMs, 6000);
      assert.equal(s.finished, false);
    },
  },
  {
    name: 'waiting target estimated at the mean of the others',
    events: runningRun,
    check: () => {
      const s = reduceRunEvents(initialRunState({ targets: ['memory', 'rocksdb', 'etcd'], scenarios: [...FIXTURE_SCENARIOS] }), runningRun());
      assert.equal(s.targets.etcd.status.state, 'waiting');
      assert.deepEqual(states(s, 'etcd'), ['queued', 'queued', 'queued']);
      // memory took 12 s; rocksdb 6 s so far + 6 s left = 12 s; etcd estimated at their mean.
      assert.equal(s.progress.etaMs, 6000 + 12_000);
      assert.equal(s.progress.total, 1.5 / 3);
    },
  },
  {
    name: 'crashed target: crashed with error, its running scenario aborted, the other goes on; parallel detected',
    events: crashedRun,
    check: (s) => {
      assert.deepEqual(s.targets.rocksdb.status, { state: 'crashed', durationMs: 3000, error: 'runner exited with code 1' });
      assert.deepEqual(states(s, 'rocksdb'), ['aborted', 'queued', 'queued']);
      assert.equal(s.targets.rocksdb.logs.at(-1)?.level, 'error');
      assert.equal(s.targets.memory.status.state, 'running');
      assert.deepEqual(states(s, 'memory'), ['passed', 'running', 'queued']);
      assert.equal(s.parallel, true);
      assert.equal(s.finished, false);
    },
  },
  {
    name: 'micro results: latest per engine and case',
    events: () => [ev.micro('micro', sec(0), 'memory', 'put', 100), ev.micro('micro', sec(1), 'memory', 'put', 200), ev.micro('micro', sec(1), 'rocksdb', 'put', 50)],
    check: (s) => assert.deepEqual(s.targets.micro.micro.map((m) => [m.engine, m.opsPerSec]), [['memory', 200], ['rocksdb', 50]]),
  },
  {
    name: 'bounded logs',
    events: () => {
      const out: RunnerEvent[] = [ev.runStart('memory', sec(0))];
      for (let i = 0; i < MAX_LOG_LINES + 3; i++) out.push(ev.log('memory', sec(i), `line ${i}`));
      return out;
    },
    check: (s) => {
      const t = s.targets.memory;
      assert.equal(t.logs.length, MAX_LOG_LINES);
      assert.equal(t.logs.at(-1)?.message, `line ${MAX_LOG_LINES + 2}`);
    },
  },
  {
    name: 'crashedEvent: synthetic run-end for a runner that died silently',
    events: () => [ev.runStart('memory', sec(0)), ev.scenarioStart('memory', sec(0), 'large-scale-load'), crashedEvent('memory', sec(5), 'runner killed by SIGKILL', sec(0))],
    check: (s) => {
      assert.deepEqual(s.targets.memory.status, { state: 'crashed', durationMs: 5000, error: 'runner killed by SIGKILL' });
      assert.equal(s.targets.memory.scenarios[0].state, 'aborted');
    },
  },
  {
    name: 'scenario not in the list is appended',
    events: () => [ev.runStart('memory', sec(0), { scenarios: ['a'] }), ev.scenarioStart('memory', sec(1), 'b')],
    check: (s) => assert.deepEqual(s.targets.memory.scenarios.map((x) => `${x.name}:${x.state}`), ['a:queued', 'b:running']),
  },
];

for (const c of cases) {
  test(`reduceRunState: ${c.name}`, () => c.check(fold(c.events())));
}

test('reduceRunState is pure: the input state is never mutated', () => {
  const events = runningRun();
  const snapshots: string[] = [];
  let s = initialRunState({ targets: ['memory', 'rocksdb'] });
  for (const e of events) {
    const before = JSON.stringify(s);
    const next = reduceRunState(s, e);
    assert.equal(JSON.stringify(s), before);
    snapshots.push(JSON.stringify(next));
    s = next;
  }
  // Same events, same states (no clock).
  let again = initialRunState({ targets: ['memory', 'rocksdb'] });
  events.forEach((e, i) => {
    again = reduceRunState(again, e);
    assert.equal(JSON.stringify(again), snapshots[i]);
  });
});

test('unchanged targets keep their identity', () => {
  const s1 = fold(crashedRun());
  const s2 = reduceRunState(s1, ev.progress('memory', sec(9), 'sustained-load', { elapsedMs: 3000, done: 750 }));
  assert.equal(s2.targets.rocksdb, s1.targets.rocksdb);
  assert.notEqual(s2.targets.memory, s1.targets.memory);
});

test('initialRunState: manifest targets and scenarios (names or objects)', () => {
  const s = initialRunState({ runId: 'r1', profile: 'standard', seed: 7, targets: [{ name: 'memory' }, 'etcd'], scenarios: ['a', { name: 'b' }], parallel: true });
  assert.deepEqual(s.targetOrder, ['memory', 'etcd']);
  assert.deepEqual(states(s, 'etcd'), ['queued', 'queued']);
  assert.equal(s.parallel, true);
  assert.equal(s.runId, 'r1');
  assert.equal(s.finished, false);
});

test('etaAt counts down between events and stops at zero', () => {
  assert.equal(etaAt(5000, sec(0), sec(2)), 3000);
  assert.equal(etaAt(5000, sec(0), sec(9)), 0);
  assert.equal(etaAt(undefined, sec(0), sec(1)), undefined);
  assert.equal(etaAt(5000, undefined, sec(1)), 5000);
});
