// The ETA of scenarios still queued (seen at 160×45 with the quick profile: "ETA 5s" while etcd
// was a quarter in, with four scenarios to go). A short first scenario must not set the pace of
// the ones after it: they are estimated from their wall time on the targets that ran them, else
// from the profile's plan.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunnerEvent } from '../events/schema.ts';
import { buildManifest } from '../results/manifest.ts';
import { loadScenarios } from '../../scenarios/loader.ts';
import { ev, T0 } from './fixtures.ts';
import { initialRunState, planOf, reduceRunEvents } from './run-state.ts';

const sec = (n: number) => T0 + n * 1000;
const SCENARIOS = ['large-scale-load', 'sustained-load', 'mixed-workload'];

/**
 * One target from `startSec`: large-scale-load, 1,000 ops in 1 s; then sustained-load and
 * mixed-workload, 4 s each by time. `progressIn` cuts it off after that many progress events of
 * sustained-load (it is then running); without it the target completes.
 */
function shortThenLong(target: string, startSec: number, progressIn?: number): RunnerEvent[] {
  let at = startSec;
  const out: RunnerEvent[] = [ev.runStart(target, sec(at), { scenarios: SCENARIOS })];
  out.push(ev.scenarioStart(target, sec(at), 'large-scale-load'));
  out.push(ev.progress(target, sec(at + 1), 'large-scale-load', { elapsedMs: 1000, done: 1000 }));
  out.push(ev.scenarioEnd(target, sec(at + 1), 'large-scale-load', { durationMs: 1000, ops: 1000 }));
  at += 1;
  for (const sc of ['sustained-load', 'mixed-workload']) {
    out.push(ev.scenarioStart(target, sec(at), sc, { totalOps: undefined, durationMs: 4000 }));
    for (let i = 1; i <= 4; i++) {
      if (sc === 'sustained-load' && progressIn !== undefined && i > progressIn) return out;
      out.push(ev.progress(target, sec(at + i), sc, { elapsedMs: i * 1000, done: i * 1000, totalOps: undefined, durationMs: 4000 }));
    }
    at += 4;
    out.push(ev.scenarioEnd(target, sec(at), sc, { durationMs: 4000, ops: 4000 }));
  }
  out.push(ev.runEnd(target, sec(at), 'completed', { durationMs: (at - startSec) * 1000 }));
  return out;
}

test('the last target, half-way through its second scenario: the one queued counts at its wall time on the others', () => {
  const plan = { targets: ['memory', 'rocksdb', 'etcd'], scenarios: SCENARIOS };
  const s = reduceRunEvents(initialRunState(plan), [...shortThenLong('memory', 0), ...shortThenLong('rocksdb', 9), ...shortThenLong('etcd', 18, 2)]);
  assert.equal(s.targets.etcd.status.state, 'running');
  // 2 s left of sustained-load + mixed-workload's 4 s on memory and rocksdb (not the 1 s of
  // large-scale-load, the only one etcd finished).
  assert.equal(s.targets.etcd.etaMs, 2000 + 4000);
  assert.equal(s.progress.etaMs, 6000);
});

test('a sequential run counts the hand-over between targets (runner and server start-up) for each one not heard from yet', () => {
  const plan = { targets: ['memory', 'rocksdb', 'etcd'], scenarios: SCENARIOS };
  // memory 0–9 s; rocksdb's first event 3 s later, half-way through sustained-load at 15 s.
  const s = reduceRunEvents(initialRunState(plan), [...shortThenLong('memory', 0), ...shortThenLong('rocksdb', 12, 2)]);
  assert.equal(s.targets.rocksdb.etaMs, 6000);
  // rocksdb's 6 s + etcd at the 9 s mean of memory and rocksdb + the 3 s hand-over.
  assert.equal(s.progress.etaMs, 6000 + 9000 + 3000);
  // Once etcd has been heard from (its runner logs while its server starts), the hand-over is under way.
  const heard = reduceRunEvents(initialRunState(plan), [...shortThenLong('memory', 0), ...shortThenLong('rocksdb', 12), ev.log('etcd', sec(23), 'starting etcd')]);
  assert.equal(heard.targets.etcd.status.state, 'waiting');
  assert.equal(heard.progress.etaMs, 9000);
});

test('the first target: queued scenarios count at their plan, by time or by ops at its rate so far', () => {
  const plans = {
    'large-scale-load': { totalOps: 1000, warmupMs: 500 },
    'sustained-load': { durationMs: 4000, warmupMs: 500 },
    'mixed-workload': { totalOps: 2000, warmupMs: 500 },
  };
  const plan = { targets: ['memory'], scenarios: SCENARIOS.map((name) => ({ name, plan: plans[name as keyof typeof plans] })) };
  // large-scale-load done (1,000 ops in 1,000 measured ms), sustained-load just started.
  const s = reduceRunEvents(initialRunState(plan), shortThenLong('memory', 0, 0));
  assert.equal(s.targets.memory.scenarios[1].state, 'running');
  // sustained-load's 4 s + mixed-workload's 0.5 s warm-up and 2,000 ops at 1 op/ms.
  assert.equal(s.targets.memory.etaMs, 4000 + 500 + 2000);
  // Not started yet: sustained-load at warm-up + duration; large-scale-load and mixed-workload
  // have no rate to go by yet, so no ETA rather than a guess.
  const started = reduceRunEvents(initialRunState(plan), [ev.runStart('memory', sec(0), { scenarios: SCENARIOS })]);
  assert.equal(started.targets.memory.etaMs, undefined);
});

test("planOf carries each scenario's planned size and warm-up from the manifest", async () => {
  const scenarios = await loadScenarios({ names: ['sustained-load', 'large-scale-load'], profile: 'quick' });
  const manifest = buildManifest({ runId: 'eta', targets: [{ name: 'memory', kind: 'memory' }], profile: 'quick', scenarios, seed: 1, mode: 'sequential' });
  const s = initialRunState(planOf(manifest));
  assert.deepEqual(s.scenarioPlans, {
    'sustained-load': { durationMs: 4000, warmupMs: 500 },
    'large-scale-load': { totalOps: 10 * 100, warmupMs: 500 },
  });
});
