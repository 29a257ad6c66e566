import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GrpcCode, StoreError, type StoreClient } from '../client/types.ts';
import type { EventBody } from '../events/schema.ts';
import { bounded, drive, sleep, TIMEOUT_TYPE } from './driver.ts';
import { Recorder } from './recorder.ts';

// The driver never touches the client itself; ops do. A placeholder stands in for a connection.
const pool = [{} as StoreClient];

function recorder(windowMs = 1000): { rec: Recorder; events: EventBody[] } {
  const events: EventBody[] = [];
  const rec = new Recorder({ scenario: 't', ctx: { emit: (e) => events.push(e), serverSample: () => undefined }, windowMs });
  return { rec, events };
}

const never = new AbortController().signal;

describe('drive: closed loop', () => {
  it('runs clients × opsPerClient operations, each worker with its own seq', async () => {
    const { rec } = recorder();
    const seen: string[] = [];
    await drive(rec, pool, { clients: 3, opsPerClient: 4, signal: never, seed: 1 }, async (w, seq) => {
      seen.push(`${w.index}:${seq}`);
      return 'op';
    });
    rec.stop();
    assert.equal(rec.attempted, 12);
    assert.equal(rec.done, 12);
    assert.equal(rec.latencies().op?.count, 12);
    assert.deepEqual(seen.sort(), ['0:0', '0:1', '0:2', '0:3', '1:0', '1:1', '1:2', '1:3', '2:0', '2:1', '2:2', '2:3']);
  });

  it('shares totalOps among workers, each index once', async () => {
    const { rec } = recorder();
    const seen = new Set<number>();
    await drive(rec, pool, { clients: 4, totalOps: 10, signal: never, seed: 1 }, async (_w, seq) => {
      assert.ok(!seen.has(seq));
      seen.add(seq);
      await sleep(1);
      return 'op';
    });
    assert.deepEqual([...seen].sort((a, b) => a - b), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert.equal(rec.attempted, 10);
  });

  it('counts errors by kind against attempted operations; latency only for successes', async () => {
    const { rec } = recorder();
    await drive(rec, pool, { clients: 1, opsPerClient: 10, signal: never, seed: 1 }, async (_w, seq) => {
      if (seq % 5 === 0) throw new StoreError(GrpcCode.Unavailable, 'down');
      if (seq === 3) throw new StoreError(GrpcCode.InvalidArgument, 'etcdserver: too many operations in txn request');
      return 'put';
    });
    assert.equal(rec.attempted, 10);
    assert.equal(rec.errors, 3);
    assert.deepEqual(rec.errorsByKind(), { Unavailable: 2, 'InvalidArgument: too many operations in txn request': 1 });
    assert.equal(rec.latencies().put?.count, 7);
  });

  it('warm-up is not recorded, and does not shift the measured random stream', async () => {
    const draws = async (warmupMs: number): Promise<number[]> => {
      const { rec } = recorder();
      const out: number[] = [];
      await drive(rec, pool, { clients: 1, opsPerClient: 5, warmupMs, signal: never, seed: 3 }, async (w, _seq, warmup) => {
        const x = w.rng.int(1_000_000);
        if (!warmup) out.push(x);
        await sleep(1);
        return 'op';
      });
      assert.equal(rec.attempted, 5);
      return out;
    };
    assert.deepEqual(await draws(30), await draws(0));
  });

  it('a stuck operation fails with a timeout instead of hanging the run', async () => {
    const { rec } = recorder();
    await drive(rec, pool, { clients: 1, opsPerClient: 2, opTimeoutMs: 50, signal: never, seed: 1 }, async (_w, seq) => {
      if (seq === 0) await new Promise(() => undefined);
      return 'op';
    });
    assert.deepEqual(rec.errorsByKind(), { OpTimeoutError: 1 });
    assert.equal(rec.done, 2);
    // No operation had answered yet, so the timeout has no type of its own.
    assert.equal(rec.latencies()[TIMEOUT_TYPE]?.count, 1);
    assert.ok(rec.latencies()[TIMEOUT_TYPE]!.maxMs >= 50, 'counted at (at least) its deadline');
  });

  it('a timed-out operation counts in the latency of the type its worker last answered', async () => {
    const { rec } = recorder();
    await drive(rec, pool, { clients: 1, opsPerClient: 4, opTimeoutMs: 40, signal: never, seed: 1 }, async (_w, seq) => {
      if (seq === 2) await new Promise(() => undefined);
      return 'put';
    });
    rec.stop();
    const put = rec.latencies().put!;
    assert.equal(put.count, 4, 'three answers and one timeout');
    assert.ok(put.maxMs >= 40, `max ${put.maxMs} ms`);
    assert.equal(rec.errors, 1);
    assert.equal(rec.latencies()[TIMEOUT_TYPE], undefined);
  });

  it('stops promptly on abort, abandoning in-flight operations', async () => {
    const { rec } = recorder();
    const ac = new AbortController();
    let inFlight = 0;
    // The server never answers; the deadline is far away, so only the abort can end the phase.
    const done = drive(rec, pool, { clients: 2, durationMs: 600_000, opTimeoutMs: 600_000, signal: ac.signal, seed: 1 }, async () => {
      if (++inFlight === 2) setImmediate(() => ac.abort());
      await new Promise(() => undefined);
      return 'op';
    });
    await done;
    assert.equal(inFlight, 2, 'both operations were still in flight, abandoned');
    assert.equal(rec.attempted, 2);
    assert.equal(rec.errors, 0, 'abandoned operations are not errors');
  });

  it('emits a progress event per window with window throughput and totals', async () => {
    const { rec, events } = recorder(20);
    await drive(rec, pool, { clients: 2, durationMs: 120, signal: never, seed: 1 }, async () => {
      await sleep(2);
      return 'op';
    });
    rec.stop();
    assert.ok(events.length >= 2, `${events.length} progress events`);
    const last = events.at(-1)!;
    assert.equal(last.kind, 'progress');
    if (last.kind !== 'progress') return;
    assert.equal(last.scenario, 't');
    assert.ok(last.done > 0 && last.done <= rec.done);
    assert.ok(last.windowOpsPerSec > 0 && last.windowP99Ms >= last.windowP50Ms);
    assert.equal(rec.series().reduce((a, b) => a + b, 0), rec.done, 'the series accounts for every operation');
  });
});

describe('drive: open loop', () => {
  it('counts late starts and measures latency from the intended start', async () => {
    const { rec } = recorder();
    // 1000 ops/s on one client = one op per ms, but each op takes ≥ 10 ms: from the second op on,
    // every start is late by a growing amount, and the latency includes that wait.
    await drive(rec, pool, { clients: 1, opsPerClient: 10, rate: 1000, lateThresholdMs: 1, signal: never, seed: 1 }, async () => {
      await sleep(10);
      return 'op';
    });
    assert.equal(rec.attempted, 10);
    assert.ok(rec.lateOps >= 9, `lateOps ${rec.lateOps}`);
    // The tenth op was intended at 9 ms but could start only after nine 10 ms ops.
    // (≥ 91 ms; the margin allows for timers that fire up to a millisecond early.)
    assert.ok(rec.latencies().op!.maxMs >= 80, `max latency ${rec.latencies().op!.maxMs} ms`);
  });

  it('paces a fast operation at the rate: a time-bounded phase runs exactly its slots', async () => {
    const { rec } = recorder();
    let ops = 0;
    // 200 ops/s over 50 ms: slots intended at 0, 5, …, 45 ms, i.e. exactly 10 operations however
    // fast the operation is (unpaced, a closed loop would run thousands) and however slow the machine.
    await drive(rec, pool, { clients: 2, durationMs: 50, rate: 200, signal: never, seed: 1 }, async () => {
      ops++;
      return 'op';
    });
    assert.equal(ops, 10);
    assert.equal(rec.attempted, 10);
  });
});

describe('bounded', () => {
  it('passes a result through, times out, and gives up on abort', async () => {
    assert.equal(await bounded('x', Promise.resolve(7), 1000, never), 7);
    await assert.rejects(bounded('watch: create watcher 3', new Promise(() => undefined), 20, never), { name: 'OpTimeoutError', message: 'watch: create watcher 3: no answer within 20 ms' });
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 10);
    await assert.rejects(bounded('compaction: compact', new Promise(() => undefined), 60_000, ac.signal), /^Error: compaction: compact: aborted$/);
  });
});
