// `--repeat N` in the orchestrator, through the real spawn path with the fake runner: targets
// interleaved in each repeat, one file per target holding every repeat, a target that crashed
// not run again, an interrupt between repeats closing every target's file as interrupted.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startRun } from './index.ts';
import { fakeRunOptions, readEvents, tempDir } from '../testing/run-fixtures.ts';
import { loadFinishedRun } from '../state/load-run.ts';
import { buildSummary } from '../views/summary.ts';

describe('orchestrator with repeats', () => {
  let tmp: ReturnType<typeof tempDir>;
  before(() => (tmp = tempDir('orch-repeat')));
  after(() => tmp.remove());

  it('runs the targets in order once per repeat, each repeat stamped, one file per target', async () => {
    const run = await startRun(fakeRunOptions(tmp.dir, ['memory', 'rocksdb'], { FAKE_RUNNER_MODE: 'complete' }, { repeats: 2 }));
    const starts: string[] = [];
    run.store.onEvents((events) => starts.push(...events.filter((e) => e.kind === 'run-start').map((e) => `${e.target}:${e.repeat}`)));
    const { exitCode, summary } = await run.done;
    assert.equal(exitCode, 0);
    assert.deepEqual(starts, ['memory:1', 'rocksdb:1', 'memory:2', 'rocksdb:2']);
    assert.equal(JSON.parse(readFileSync(join(run.runDir, 'run.json'), 'utf8')).repeats, 2);
    for (const t of ['memory', 'rocksdb']) {
      assert.deepEqual(readEvents(run.runDir, t).filter((e) => e.kind === 'run-end').map((e) => [e.repeat, e.status]), [[1, 'completed'], [2, 'completed']]);
      assert.deepEqual(summary.scenarios[0].results[t].repeats?.map((r) => r.repeat), [1, 2]);
    }
    assert.deepEqual(summary.targets.map((t) => [t.status, t.repeatsCompleted]), [['completed', 2], ['completed', 2]]);
    assert.deepEqual(JSON.parse(JSON.stringify(buildSummary(await loadFinishedRun(run.runDir)))), JSON.parse(JSON.stringify(summary)));
  });

  it('a target whose runner crashed runs no later repeat; the others go on', async () => {
    const run = await startRun(fakeRunOptions(tmp.dir, ['memory', 'rocksdb'], { FAKE_RUNNER_MODE_MEMORY: 'crash', FAKE_RUNNER_MODE_ROCKSDB: 'complete' }, { repeats: 3 }));
    const { exitCode, summary } = await run.done;
    assert.equal(exitCode, 1);
    const mem = readEvents(run.runDir, 'memory');
    assert.equal(mem.filter((e) => e.kind === 'run-start').length, 1);
    assert.deepEqual(mem.filter((e) => e.kind === 'run-end').map((e) => [e.repeat, e.status]), [[1, 'crashed']]);
    assert.equal(readEvents(run.runDir, 'rocksdb').filter((e) => e.kind === 'run-end').length, 3);
    assert.deepEqual(summary.targets.map((t) => [t.name, t.status, t.repeatsCompleted]), [['memory', 'crashed', 0], ['rocksdb', 'completed', 3]]);
  });

  it('stopped during a repeat: every target ends interrupted, later repeats never start', async () => {
    const run = await startRun(fakeRunOptions(tmp.dir, ['memory', 'rocksdb'], { FAKE_RUNNER_MODE: 'complete', FAKE_RUNNER_MODE_ROCKSDB: 'hang' }, { repeats: 3 }));
    await new Promise<void>((resolve) => {
      run.store.onEvents((events) => {
        if (events.some((e) => e.target === 'rocksdb' && e.kind === 'scenario-start')) resolve();
      });
    });
    await run.stop();
    const { exitCode, summary } = await run.done;
    assert.equal(exitCode, 130);
    assert.equal(summary.status, 'interrupted');
    assert.deepEqual(readEvents(run.runDir, 'memory').filter((e) => e.kind === 'run-end').map((e) => [e.repeat, e.status]), [[1, 'completed'], [2, 'interrupted']]);
    assert.deepEqual(readEvents(run.runDir, 'rocksdb').filter((e) => e.kind === 'run-end').map((e) => [e.repeat, e.status]), [[1, 'interrupted']]);
    assert.deepEqual(summary.targets.map((t) => [t.status, t.repeatsCompleted]), [['interrupted', 1], ['interrupted', 0]]);
  });
});
