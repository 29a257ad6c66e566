import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addSample, MAX_SERIES_PER_TARGET } from './series.ts';
import type { ScenarioSeries } from './series.ts';
import { ev, runningRun, T0 } from './fixtures.ts';
import { initialRunState, reduceRunEvents } from './run-state.ts';

const at = (sec: number) => ({ t: T0 + sec * 1000, elapsedMs: sec * 1000 });

test('addSample: one series per scenario run, start taken from the first window', () => {
  let list: readonly ScenarioSeries[] = [];
  list = addSample(list, { scenario: 'a', ...at(1), opsPerSec: 100, durationMs: 30_000 });
  list = addSample(list, { scenario: 'a', ...at(2), opsPerSec: 200 });
  list = addSample(list, { scenario: 'b', t: T0 + 10_000, elapsedMs: 1000, opsPerSec: 50 });
  assert.deepEqual(
    list.map((s) => [s.scenario, s.startT - T0, s.durationMs, s.points.map((p) => p.opsPerSec)]),
    [
      ['a', 0, 30_000, [100, 200]],
      ['b', 9000, undefined, [50]],
    ],
  );
  // The scenario runs again (time into it went back): a new series, the old one kept.
  list = addSample(list, { scenario: 'a', t: T0 + 20_000, elapsedMs: 1000, opsPerSec: 300 });
  assert.deepEqual(list.map((s) => `${s.scenario}:${s.points.length}`), ['a:2', 'b:1', 'a:1']);
});

test('addSample: a full series halves its resolution instead of dropping its start', () => {
  let list: readonly ScenarioSeries[] = [];
  for (let i = 1; i <= 9; i++) list = addSample(list, { scenario: 'a', ...at(i), opsPerSec: i * 10 }, 4);
  const [s] = list;
  // 1..4 kept; the 5th halves to [1+2, 3+4, 5] (stride 2); 6 joins 5; 7 starts a point; 8 joins it;
  // the 9th makes five points: halved again to [1..4, 5..8, 9] (stride 4).
  assert.equal(s.stride, 4);
  assert.deepEqual(
    s.points.map((p) => [p.elapsedMs / 1000, p.opsPerSec, p.windows]),
    [
      [4, 25, 4],
      [8, 65, 4],
      [9, 90, 1],
    ],
  );
  assert.equal(s.startT, T0);
});

test('addSample: a long run stays bounded (points per series, series per target)', () => {
  let list: readonly ScenarioSeries[] = [];
  for (let i = 1; i <= 5000; i++) list = addSample(list, { scenario: 'soak', ...at(i), opsPerSec: 1 });
  assert.ok(list[0].points.length <= 480, `${list[0].points.length} points`);
  assert.equal(list[0].points.at(-1)?.elapsedMs, 5_000_000);
  for (let i = 0; i < MAX_SERIES_PER_TARGET + 10; i++) list = addSample(list, { scenario: `s${i}`, ...at(1), opsPerSec: 1 });
  assert.equal(list.length, MAX_SERIES_PER_TARGET);
});

test('run state: progress events fill the target series; a late line of a finished scenario does not', () => {
  const events = [...runningRun(), ev.progress('memory', T0 + 99_000, 'large-scale-load', { elapsedMs: 9000 })];
  const s = reduceRunEvents(initialRunState(), events);
  assert.deepEqual(
    s.targets.memory.series?.map((x) => [x.scenario, x.points.length]),
    [
      ['large-scale-load', 4],
      ['sustained-load', 4],
      ['mixed-workload', 4],
    ],
  );
  assert.deepEqual(s.targets.rocksdb.series?.map((x) => [x.scenario, x.points.length]), [
    ['large-scale-load', 4],
    ['sustained-load', 2],
  ]);
});
