import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '../errors.ts';
import type { RunHandle, RunResult } from '../orchestrator/types.ts';
import { openRunDir } from '../results/locate-run.ts';
import { readManifest } from '../results/manifest.ts';
import { followRun } from '../state/follow-run.ts';
import { buildSummary } from '../views/summary.ts';
import { crashedRun, ev, runningRun, T0, targetRun } from '../state/fixtures.ts';
import { appendEvents, writeFixtureRun } from './fixture-run.ts';
import { runDashboard } from './index.ts';
import { FakeStdin, FakeStdout, stripAnsi, waitForFrame } from './test-render.ts';

function tmp(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'metabench-dash-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function io(t: { after(fn: () => void): void }) {
  const stdout = new FakeStdout(160, 45);
  const stdin = new FakeStdin();
  // A failed wait must not leave the dashboard (and its timers) running: quit on the way out.
  t.after(() => stdin.press('q'));
  const frame = () => stripAnsi(stdout.lastFrame());
  return { stdout, stdin, frame, streams: { stdout: stdout as unknown as NodeJS.WriteStream, stdin: stdin as unknown as NodeJS.ReadStream } };
}

const passedRun = () => [...targetRun('memory', 0, { end: 'completed' }), ...targetRun('etcd', 12, { end: 'completed' })];

test('runDashboard: not a run folder → UsageError', async (t) => {
  await assert.rejects(runDashboard({ runDir: join(tmp(t), 'missing') }), UsageError);
});

test('monitor of a finished run: final state, q exits with the run\'s code (0: all passed)', async (t) => {
  const dir = writeFixtureRun(tmp(t), { targets: ['memory', 'etcd'], events: passedRun() });
  const { stdin, frame, streams } = io(t);
  const code = runDashboard({ runDir: dir, ...streams, pollMs: 20 });
  await waitForFrame(frame, /ETA done[\s\S]*✅ memory completed.*✅ etcd completed/);
  stdin.press('q');
  assert.equal(await code, 0);
});

test('monitor of a finished run with a failed scenario exits 1', async (t) => {
  const events = [...targetRun('memory', 0, { end: 'completed' }), ...targetRun('rocksdb', 12, { end: 'completed' })];
  const dir = writeFixtureRun(tmp(t), { targets: ['memory', 'rocksdb'], events });
  const { stdin, frame, streams } = io(t);
  const code = runDashboard({ runDir: dir, ...streams, pollMs: 20 });
  await waitForFrame(frame, /ETA done/);
  stdin.press('q');
  assert.equal(await code, 1);
});

test('monitor follows a live run: appended events show up; q leaves it with 130', async (t) => {
  const dir = writeFixtureRun(tmp(t), { targets: ['memory', 'rocksdb'], events: targetRun('memory', 0, { stopAfter: 2 }) });
  const { stdin, frame, streams } = io(t);
  const code = runDashboard({ runDir: dir, ...streams, pollMs: 20 });
  await waitForFrame(frame, /🔄 memory running/);
  appendEvents(dir, runningRun().filter((e) => e.target === 'memory').slice(3));
  appendEvents(dir, [ev.runStart('rocksdb', T0 + 12_000)]);
  await waitForFrame(frame, /✅ memory completed[\s\S]*rocksdb starting/);
  stdin.press('q');
  assert.equal(await code, 130);
});

test('follow: false draws once and returns without keys', async (t) => {
  const dir = writeFixtureRun(tmp(t), { targets: ['memory', 'etcd'], events: passedRun() });
  const { stdout, streams } = io(t);
  assert.equal(await runDashboard({ runDir: dir, ...streams, follow: false }), 0);
  assert.match(stripAnsi(stdout.all()), /etcd completed/);
});

function fakeHandle(dir: string, finishOn: 'stop' | 'own') {
  let resolve!: (r: RunResult) => void;
  const done = new Promise<RunResult>((r) => (resolve = r));
  let stops = 0;
  // As the orchestrator does: the run's files followed into one store, handed over with the run.
  const followed = followRun(openRunDir(dir), { pollMs: 20, watchOrchestrator: false });
  const summary = (): RunResult['summary'] => buildSummary({ runId: 'run-fixture', state: followed.store.getSnapshot().run });
  const handle: RunHandle = {
    runId: 'run-fixture',
    runDir: dir,
    targets: ['memory', 'etcd'],
    manifest: readManifest(dir),
    store: followed.store,
    stop: async () => {
      stops++;
      // As the orchestrator does: the runner records the interruption, then exits.
      appendEvents(dir, [ev.runEnd('memory', T0 + 3000, 'interrupted')]);
      followed.poll();
      followed.close();
      resolve({ exitCode: 130, summary: summary() });
      await done;
    },
    done,
  };
  const finish = (code: number): void => {
    followed.poll();
    followed.close();
    resolve({ exitCode: code, summary: summary() });
  };
  return { handle, stops: () => stops, finish: (code: number) => (finishOn === 'own' ? finish(code) : undefined), close: () => followed.close() };
}

test('with a run handle: q stops the run, waits for it, returns its exit code (130)', async (t) => {
  const dir = writeFixtureRun(tmp(t), { targets: ['memory', 'etcd'], events: targetRun('memory', 0, { stopAfter: 2 }) });
  const { stdin, frame, streams } = io(t);
  const h = fakeHandle(dir, 'stop');
  t.after(() => h.close());
  const code = runDashboard({ runDir: dir, handle: h.handle, ...streams, pollMs: 20 });
  await waitForFrame(frame, /🔄 memory running/);
  stdin.press('q');
  assert.equal(await code, 130);
  assert.equal(h.stops(), 1);
});

test('with a run handle: a run that completes stays on screen until q, then exits 0', async (t) => {
  const dir = writeFixtureRun(tmp(t), { targets: ['memory', 'etcd'], events: targetRun('memory', 0, { stopAfter: 2 }) });
  const { stdin, frame, streams } = io(t);
  const h = fakeHandle(dir, 'own');
  t.after(() => h.close());
  const code = runDashboard({ runDir: dir, handle: h.handle, ...streams, pollMs: 20 });
  await waitForFrame(frame, /🔄 memory running/);
  appendEvents(dir, passedRun().slice(3));
  h.finish(0);
  await waitForFrame(frame, /ETA done/);
  let settled = false;
  void code.then(() => (settled = true));
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(settled, false);
  stdin.press('q');
  assert.equal(await code, 0);
  assert.equal(h.stops(), 0);
});

test('monitor: a crashed target shows ❌ and the last lines of <target>.stderr.log; the other goes on', async (t) => {
  const stderr = 'rocksdb: opening the store\n\x1b[31mError: IO error: No space left on device\x1b[0m\n    at Backend.put (engine/backend/rocksdb/index.ts:120)\n';
  const dir = writeFixtureRun(tmp(t), { targets: ['memory', 'rocksdb'], events: crashedRun(), mode: 'parallel', stderr: { rocksdb: stderr } });
  const { stdin, frame, streams } = io(t);
  const code = runDashboard({ runDir: dir, ...streams, pollMs: 20 });
  const f = await waitForFrame(frame, /No space left on device/);
  assert.match(f, /❌ rocksdb crashed/);
  assert.match(f, /at Backend\.put/);
  assert.match(f, /🔄 memory running/);
  stdin.press('q');
  assert.equal(await code, 130);
});
