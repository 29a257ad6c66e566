import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { UsageError } from '../errors.ts';
import { appendEvents, writeFixtureRun } from '../dashboard/fixture-run.ts';
import { isAlive, openRunDir } from '../results/locate-run.ts';
import { ev, runningRun, T0, targetRun } from './fixtures.ts';
import { followRun } from './follow-run.ts';

function tmp(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'metabench-dash-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('openRunDir: a missing folder, a file, a folder that is not a run: one-line UsageErrors', (t) => {
  const dir = tmp(t);
  assert.throws(() => openRunDir(join(dir, 'nope')), (e: Error) => e instanceof UsageError && /does not exist/.test(e.message) && !e.message.includes('\n'));
  writeFileSync(join(dir, 'file'), 'x');
  assert.throws(() => openRunDir(join(dir, 'file')), /is not a directory/);
  mkdirSync(join(dir, 'empty'));
  assert.throws(() => openRunDir(join(dir, 'empty')), /not a run folder: no run\.json and no <target>\.ndjson/);
  mkdirSync(join(dir, 'bad'));
  writeFileSync(join(dir, 'bad', 'run.json'), '{"v": 1}');
  assert.throws(() => openRunDir(join(dir, 'bad')), (e: Error) => e instanceof UsageError && /invalid manifest/.test(e.message));
});

test('openRunDir: without run.json the targets are the .ndjson files', (t) => {
  const dir = tmp(t);
  writeFileSync(join(dir, 'rocksdb.ndjson'), '');
  writeFileSync(join(dir, 'memory.ndjson'), '');
  assert.deepEqual(openRunDir(dir).targets, ['memory', 'rocksdb']);
});

test('followRun: folds what is there, then picks up appended lines on poll; invalid lines become a warning', (t) => {
  const dir = writeFixtureRun(tmp(t), { targets: ['memory', 'rocksdb'], events: targetRun('memory', 0, { stopAfter: 2 }) });
  const f = followRun(openRunDir(dir), { follow: false });
  t.after(() => f.close());
  let s = f.store.getSnapshot().run;
  assert.deepEqual(s.targetOrder, ['memory', 'rocksdb']);
  assert.equal(s.runId, 'run-fixture');
  assert.equal(s.targets.memory.status.state, 'running');
  assert.equal(s.targets.rocksdb.status.state, 'waiting');
  appendEvents(dir, [ev.runStart('rocksdb', T0 + 5000)]);
  writeFileSync(join(dir, 'memory.ndjson'), '{"not": "an event"}\n', { flag: 'a' });
  f.poll();
  s = f.store.getSnapshot().run;
  assert.equal(s.targets.rocksdb.status.state, 'starting');
  assert.match(f.store.getSnapshot().warning ?? '', /memory.*invalid event/);
});

test('followRun: a run whose orchestrator is gone gets its open targets marked crashed/interrupted', async (t) => {
  const dead = spawnSync(process.execPath, ['-e', '0']).pid;
  assert.equal(isAlive(dead), false);
  const dir = writeFixtureRun(tmp(t), { targets: ['memory', 'rocksdb'], events: runningRun().filter((e) => e.target === 'memory' && e.kind !== 'run-end'), orchestratorPid: dead });
  const f = followRun(openRunDir(dir), { pollMs: 20 });
  t.after(() => f.close());
  const s = f.store.getSnapshot().run;
  assert.equal(s.targets.memory.status.state, 'crashed');
  assert.match(s.targets.memory.status.state === 'crashed' ? (s.targets.memory.status.error ?? '') : '', /orchestrator \(pid \d+\) is gone/);
  assert.equal(s.targets.rocksdb.status.state, 'interrupted');
  assert.equal(s.finished, true);
});

test('followRun: a live orchestrator (this process) leaves targets alone', (t) => {
  const dir = writeFixtureRun(tmp(t), { targets: ['memory'], events: targetRun('memory', 0, { stopAfter: 1 }) });
  const f = followRun(openRunDir(dir), { pollMs: 20 });
  t.after(() => f.close());
  assert.equal(f.store.getSnapshot().run.targets.memory.status.state, 'running');
});
