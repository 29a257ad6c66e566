/**
 * The checks fail when the store misbehaves: lost, duplicated and reordered watch events (without
 * hanging), stale reads, and errors counted by kind against attempted operations.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveScenario } from '../../scenarios/loader.ts';
import { GrpcCode, StoreError } from '../client/types.ts';
import { fakeClientFactory, type FakeBehaviour } from './fake-client.test-support.ts';
import { runScenario } from './index.ts';
import { makeContext } from './test-support.ts';

function ctxWith(b: FakeBehaviour, signal?: AbortSignal) {
  return { ...makeContext({ clientOptions: { hosts: ['fake:1'] }, signal }), connect: fakeClientFactory(b) };
}

const watchDoc = { name: 'w', workload: 'watch', params: { watchers: 3, events: 20, inFlight: 4, eventTimeoutMs: 200 } };

describe('watch accounting', () => {
  it('passes when every watcher gets every event once, in order', async () => {
    const o = await runScenario(resolveScenario(watchDoc, 'standard', 'test'), ctxWith({}));
    assert.equal(o.status, 'passed', o.error);
    assert.equal(o.extra?.deliveries, 60);
    assert.equal(o.latency['watch-delivery']?.count, 60);
  });

  it('reports lost events after the timeout instead of waiting forever', async () => {
    const o = await runScenario(resolveScenario(watchDoc, 'standard', 'test'), ctxWith({ deliver: (w, e, rev) => (w === 1 && e % 5 === 0 ? [] : [rev]) }));
    assert.equal(o.status, 'failed');
    assert.equal(o.extra?.lostDeliveries, 4);
    const c = o.checks.find((x) => x.name === 'exactly-once delivery')!;
    assert.equal(c.ok, false);
    assert.match(c.detail, /^4 lost \(slowest watcher got 16 of 20 within 200 ms\), 0 duplicated/);
  });

  it('catches duplicated and out-of-order events', async () => {
    const o = await runScenario(
      resolveScenario(watchDoc, 'standard', 'test'),
      ctxWith({ deliver: (w, e, rev) => (w === 0 && e === 3 ? [rev, rev] : w === 2 && e === 7 ? [1] : [rev]) }),
    );
    assert.equal(o.status, 'failed');
    assert.equal(o.extra?.duplicateDeliveries, 1);
    assert.equal(o.extra?.outOfOrderDeliveries, 1);
    assert.deepEqual(
      o.checks.map((c) => c.ok),
      [false, false],
    );
  });
});

describe('read-your-write and errors', () => {
  const pairs = { name: 'p', workload: 'put-get', params: { clients: 2, opsPerClient: 10 } };

  it('a stale Get fails the scenario, naming the key', async () => {
    const o = await runScenario(resolveScenario(pairs, 'standard', 'test'), ctxWith({ staleGet: (k, v) => (k.endsWith('client-1/key-4') ? 'old' : v) }));
    assert.equal(o.status, 'failed');
    assert.match(o.checks[0]!.detail, /^1 of 20 Gets returned another value; first \/load-test\/client-1\/key-4: got "old"$/);
    assert.match(o.error ?? '', /^read-your-write: 1 of 20/);
  });

  it('failed calls count as errors by kind against attempted ops, and are not verified', async () => {
    const o = await runScenario(
      resolveScenario(pairs, 'standard', 'test'),
      ctxWith({
        onPut: (_k, i) => {
          if (i % 4 === 0) throw new StoreError(GrpcCode.Unavailable, 'connection refused');
        },
      }),
    );
    assert.equal(o.ops, 20);
    assert.deepEqual(o.errors, { total: 5, byKind: { Unavailable: 5 } });
    assert.equal(o.latency['put-get']?.count, 15);
    assert.equal(o.status, 'passed', 'errors are judged by the SLO, not as a correctness failure');
    assert.match(o.checks[0]!.detail, /15 Gets returned the value just put \(5 pairs not verified: errors\)/);
  });

  it('an aborted run reports aborted, not failed', async () => {
    const ac = new AbortController();
    ac.abort();
    const o = await runScenario(resolveScenario(pairs, 'standard', 'test'), ctxWith({}, ac.signal));
    assert.equal(o.status, 'aborted');
    assert.equal(o.error, 'interrupted');
  });
});
