// The orchestrator driven through the real spawn path with the fake runner: crashes, hangs,
// non-zero exits and truncated lines must each leave valid files ending in a run-end, the other
// targets must go on, and no process may be left behind.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { startRun } from './index.ts';
import type { RunnerEvent } from '../events/schema.ts';
import { fakeRunOptions, fakeRunnerPid, isRunning, readEvents, tempDir } from '../testing/run-fixtures.ts';
import { findEtcd } from '../targets/etcd.ts';
import { freePort } from '../targets/free-port.ts';
import { loadFinishedRun } from '../state/load-run.ts';
import { buildSummary } from '../views/summary.ts';

const kinds = (events: RunnerEvent[]) => events.map((e) => e.kind);
const lastEnd = (events: RunnerEvent[]) => {
  const e = events.at(-1);
  assert.equal(e?.kind, 'run-end');
  return e as Extract<RunnerEvent, { kind: 'run-end' }>;
};

describe('orchestrator with the fake runner', () => {
  let tmp: ReturnType<typeof tempDir>;
  before(() => (tmp = tempDir('orch')));
  after(() => tmp.remove());

  it('completes: manifest, latest link, event files, runner log, reports, exit 0', async () => {
    const run = await startRun(fakeRunOptions(tmp.dir, ['memory', 'rocksdb'], { FAKE_RUNNER_MODE: 'complete' }));
    const seen: string[] = [];
    run.store.onEvents((events) => seen.push(...events.map((e) => `${e.target}:${e.kind}`)));
    const { exitCode, summary } = await run.done;
    assert.equal(exitCode, 0);
    assert.equal(readlinkSync(join(tmp.dir, 'latest')), run.runId);
    // One fold: summary.json is the store's summary, the one --fail-under reads, and rebuilding
    // it from the files (what `metabench report` does) gives the same document.
    assert.deepEqual(JSON.parse(readFileSync(join(run.runDir, 'summary.json'), 'utf8')), JSON.parse(JSON.stringify(summary)));
    assert.deepEqual(JSON.parse(JSON.stringify(buildSummary(await loadFinishedRun(run.runDir)))), JSON.parse(JSON.stringify(summary)));
    const manifest = JSON.parse(readFileSync(join(run.runDir, 'run.json'), 'utf8'));
    assert.deepEqual([manifest.runId, manifest.mode, manifest.seed], [run.runId, 'sequential', 1]);
    for (const t of ['memory', 'rocksdb']) {
      assert.deepEqual(kinds(readEvents(run.runDir, t)), ['run-start', 'scenario-start', 'progress', 'scenario-end', 'run-end']);
      assert.match(readFileSync(join(run.runDir, `${t}.stderr.log`), 'utf8'), /fake runner/);
    }
    // Sequential: every memory event before any rocksdb event.
    assert.equal(seen.findIndex((s) => s.startsWith('rocksdb')), 5);
    assert.ok(existsSync(join(run.runDir, 'summary.json')), 'reports written');
  });

  it('a crashed runner gets a run-end crashed; the next target still runs; exit 1', async () => {
    const run = await startRun(fakeRunOptions(tmp.dir, ['memory', 'rocksdb'], { FAKE_RUNNER_MODE_MEMORY: 'crash', FAKE_RUNNER_MODE_ROCKSDB: 'complete' }));
    const { exitCode } = await run.done;
    assert.equal(exitCode, 1);
    const mem = readEvents(run.runDir, 'memory');
    assert.deepEqual(kinds(mem), ['run-start', 'scenario-start', 'log', 'run-end']);
    assert.equal(lastEnd(mem).status, 'crashed');
    assert.match(lastEnd(mem).error ?? '', /SIGKILL/);
    // The run-end the orchestrator wrote itself is folded once, not read back a second time.
    assert.equal(run.store.getSnapshot().feed.length, 1);
    assert.equal(run.store.getSnapshot().run.targets.memory.logs.filter((l) => /without a run-end/.test(l.message)).length, 1);
    assert.equal(lastEnd(readEvents(run.runDir, 'rocksdb')).status, 'completed');
    assert.equal(run.store.getSnapshot().run.targets.memory.status.state, 'crashed');
  });

  it('a non-zero exit without run-end is a crash', async () => {
    const run = await startRun(fakeRunOptions(tmp.dir, ['memory'], { FAKE_RUNNER_MODE: 'exit-nonzero' }));
    assert.equal((await run.done).exitCode, 1);
    const end = lastEnd(readEvents(run.runDir, 'memory'));
    assert.equal(end.status, 'crashed');
    assert.match(end.error ?? '', /exit code 3/);
  });

  it('a truncated last line is cut off and the file stays valid NDJSON', async () => {
    const run = await startRun(fakeRunOptions(tmp.dir, ['memory'], { FAKE_RUNNER_MODE: 'truncated' }));
    const diagnostics: string[] = [];
    run.onDiagnostic((m) => diagnostics.push(m));
    assert.equal((await run.done).exitCode, 1);
    const events = readEvents(run.runDir, 'memory'); // throws on any invalid line
    assert.deepEqual(kinds(events), ['run-start', 'log', 'run-end']);
    assert.equal(lastEnd(events).status, 'crashed');
    assert.ok(diagnostics.some((d) => /truncated last line/.test(d)), diagnostics.join('\n'));
    // The orchestrator's own reader went on at the cut: the lines appended after it read whole.
    assert.deepEqual(diagnostics.filter((d) => /invalid line/.test(d)).length, 1, diagnostics.join('\n'));
    assert.equal(run.store.getSnapshot().run.targets.memory.status.state, 'crashed');
  });

  it('a failed scenario makes exit 1 although the run completed', async () => {
    const run = await startRun(fakeRunOptions(tmp.dir, ['memory'], { FAKE_RUNNER_MODE: 'fail' }));
    assert.equal((await run.done).exitCode, 1);
    assert.equal(lastEnd(readEvents(run.runDir, 'memory')).status, 'completed');
  });

  it('stop() interrupts a hanging runner; the targets not yet started are closed; exit 130', async () => {
    const run = await startRun(fakeRunOptions(tmp.dir, ['memory', 'rocksdb'], { FAKE_RUNNER_MODE: 'hang' }));
    await untilEvent(run, (e) => e.kind === 'scenario-start');
    const pid = fakeRunnerPid(run.runDir, 'memory');
    await run.stop();
    assert.equal((await run.done).exitCode, 130);
    const mem = readEvents(run.runDir, 'memory');
    assert.deepEqual(kinds(mem), ['run-start', 'scenario-start', 'scenario-end', 'run-end']);
    assert.equal(lastEnd(mem).status, 'interrupted');
    assert.deepEqual(kinds(readEvents(run.runDir, 'rocksdb')), ['run-end']);
    assert.equal(lastEnd(readEvents(run.runDir, 'rocksdb')).status, 'interrupted');
    assert.equal(isRunning(pid), false);
  });

  it('a runner that ignores SIGTERM is killed after the grace period', async () => {
    const run = await startRun(fakeRunOptions(tmp.dir, ['memory', 'rocksdb'], { FAKE_RUNNER_MODE: 'hang-hard' }, { parallel: true, runnerKillGraceMs: 300 }));
    await untilEvent(run, () => run.store.getSnapshot().run.targets.memory.status.state === 'running' && run.store.getSnapshot().run.targets.rocksdb.status.state === 'running');
    const pids = ['memory', 'rocksdb'].map((t) => fakeRunnerPid(run.runDir, t));
    await run.stop();
    assert.equal((await run.done).exitCode, 130);
    for (const t of ['memory', 'rocksdb']) {
      const end = lastEnd(readEvents(run.runDir, t));
      assert.equal(end.status, 'interrupted');
      assert.match(end.error ?? '', /SIGKILL/);
    }
    for (const pid of pids) assert.equal(isRunning(pid), false, `runner ${pid} left running`);
  });

  it('a second signal kills the runners and every process under them at once', async () => {
    const run = await startRun(fakeRunOptions(tmp.dir, ['memory'], { FAKE_RUNNER_MODE: 'hang-hard-child' }, { runnerKillGraceMs: 600_000 }));
    let childPid: number | undefined;
    await untilEvent(run, (e) => {
      const m = e.kind === 'log' ? /^child pid (\d+)$/.exec(e.message) : null;
      if (m) childPid = Number(m[1]);
      return e.kind === 'scenario-start';
    });
    const runnerPid = fakeRunnerPid(run.runDir, 'memory');
    assert.ok(childPid !== undefined && isRunning(childPid));
    // As Ctrl-C twice: the first asks the runner to stop (it ignores that), the second forces.
    process.emit('SIGINT', 'SIGINT');
    process.emit('SIGINT', 'SIGINT');
    assert.equal((await run.done).exitCode, 130);
    assert.equal(isRunning(runnerPid), false, `runner ${runnerPid} left running`);
    assert.equal(isRunning(childPid), false, `its child ${childPid} left running`);
  });

  it('a runner SIGKILLed after the grace period takes every process under it along', async () => {
    const run = await startRun(fakeRunOptions(tmp.dir, ['memory'], { FAKE_RUNNER_MODE: 'hang-hard-child' }, { runnerKillGraceMs: 300 }));
    let childPid: number | undefined;
    await untilEvent(run, (e) => {
      const m = e.kind === 'log' ? /^child pid (\d+)$/.exec(e.message) : null;
      if (m) childPid = Number(m[1]);
      return e.kind === 'scenario-start';
    });
    const runnerPid = fakeRunnerPid(run.runDir, 'memory');
    assert.ok(childPid !== undefined && isRunning(childPid));
    // Stopped once: SIGTERM (ignored), then SIGKILL once the grace period is over.
    await run.stop();
    assert.equal((await run.done).exitCode, 130);
    assert.equal(isRunning(runnerPid), false, `runner ${runnerPid} left running`);
    const left = isRunning(childPid);
    if (left) process.kill(childPid, 'SIGKILL');
    assert.equal(left, false, `its child ${childPid} left running`);
  });

  it('kills a server its crashed runner left behind', { skip: findEtcd() === undefined && 'etcd not installed' }, async () => {
    const env = { FAKE_RUNNER_MODE: 'orphan', FAKE_RUNNER_ETCD: findEtcd()!, FAKE_RUNNER_ETCD_PORT: String(await freePort()), FAKE_RUNNER_ETCD_PEER_PORT: String(await freePort()) };
    const run = await startRun(fakeRunOptions(tmp.dir, ['etcd'], env));
    let serverPid: number | undefined;
    run.store.onEvents((events) => {
      for (const e of events) if (e.kind === 'run-start') serverPid = e.server?.pid;
    });
    assert.equal((await run.done).exitCode, 1);
    assert.ok(serverPid !== undefined);
    assert.equal(isRunning(serverPid), false, `etcd ${serverPid} left running`);
    assert.equal(lastEnd(readEvents(run.runDir, 'etcd')).status, 'crashed');
  });
});

/** Resolves once an event satisfies `pred` (checked on every event from the call on). */
function untilEvent(run: Awaited<ReturnType<typeof startRun>>, pred: (e: RunnerEvent) => boolean): Promise<void> {
  return new Promise((resolve) => {
    const off = run.store.onEvents((events) => {
      if (events.some(pred)) {
        off();
        resolve();
      }
    });
  });
}
