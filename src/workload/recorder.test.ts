import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EventBody } from '../events/schema.ts';
import { sleep } from './driver.ts';
import { OpTimeoutError } from './errors.ts';
import { Recorder } from './recorder.ts';

function make(windowMs = 1000) {
  const events: EventBody[] = [];
  const server = { pid: 1, cpuPercent: 12.5, rssBytes: 1 << 20 };
  const rec = new Recorder({ scenario: 's', ctx: { emit: (e) => events.push(e), serverSample: () => server }, totalOps: 100, windowMs });
  return { rec, events, server };
}

describe('Recorder', () => {
  it('records nothing before start (warm-up) and after stop', () => {
    const { rec } = make();
    rec.started();
    rec.succeeded('put', 1000);
    rec.failed(new Error('x'));
    assert.equal(rec.attempted + rec.done + rec.errors, 0);
    assert.deepEqual(rec.latencies(), {});
  });

  it('summarises microseconds as milliseconds per op type', () => {
    const { rec } = make();
    rec.start();
    for (let i = 1; i <= 100; i++) {
      rec.started();
      rec.succeeded('get', i * 1000); // 1..100 ms
    }
    rec.latency('sub', 500);
    rec.stop();
    const get = rec.latencies().get!;
    assert.equal(get.count, 100);
    assert.ok(Math.abs(get.p50Ms - 50) < 0.1, String(get.p50Ms));
    assert.ok(Math.abs(get.p99Ms - 99) < 0.1, String(get.p99Ms));
    assert.ok(Math.abs(get.maxMs - 100) < 0.1, String(get.maxMs));
    assert.ok(Math.abs(get.meanMs - 50.5) < 0.1, String(get.meanMs));
    assert.equal(rec.latencies().sub?.count, 1);
    assert.equal(rec.done, 100, 'sub-latencies are not operations');
  });

  it('progress events carry totals, the plan and the server sample; windows reset', async () => {
    const { rec, events, server } = make(20);
    rec.start();
    rec.started();
    rec.succeeded('put', 2000);
    rec.started();
    rec.failed(new Error('etcdserver: request timed out'));
    await sleep(30); // the first window (20 ms) closes in here…
    await sleep(60); // …and at least one empty one in here
    rec.stop();
    const progress = events.filter((e) => e.kind === 'progress');
    assert.ok(progress.length >= 2);
    const [first, second] = progress;
    assert.deepEqual(
      { done: first!.done, errors: first!.errors, totalOps: first!.totalOps, server: first!.server, p50: first!.windowP50Ms > 0 },
      { done: 2, errors: 1, totalOps: 100, server, p50: true },
    );
    assert.equal(second!.windowOpsPerSec, 0, 'an empty window');
    assert.equal(second!.windowP99Ms, 0);
    assert.deepEqual(rec.errorsByKind(), { 'Error: request timed out': 1 });
  });

  it('a second start resumes: the pause between phases is not measured time', async () => {
    const { rec } = make();
    rec.start();
    await sleep(20);
    rec.stop();
    const first = rec.elapsedMs();
    await sleep(100);
    rec.start();
    rec.stop();
    assert.ok(rec.elapsedMs() - first < 50, `${rec.elapsedMs()} vs ${first}`);
  });

  it('an empty window is a zero in the series; a window with a timeout shows it in its p99', async () => {
    const { rec, events } = make(10);
    rec.start();
    rec.started();
    rec.succeeded('put', 2000);
    // Wait for windows by counting progress events (not by time): the stall has no operations.
    while (events.length < 3) await sleep(5);
    rec.started();
    rec.failed(new OpTimeoutError('operation', 250));
    while (events.length < 4) await sleep(5);
    rec.stop();
    const series = rec.series();
    assert.equal(series[0], 1);
    assert.deepEqual(series.slice(1, 3), [0, 0], `series ${JSON.stringify(series)}`);
    const progress = events.filter((e) => e.kind === 'progress');
    assert.equal(progress[1]?.kind === 'progress' && progress[1].windowOpsPerSec, 0);
    const timedOut = progress[3];
    assert.ok(timedOut?.kind === 'progress');
    assert.ok(timedOut.windowP99Ms >= 250, `window p99 ${timedOut.windowP99Ms} ms`);
  });
});
