// Client threads (`clientThreads` > 1) against the no-op server in this process: the one result
// per scenario adds up exactly as a single thread's does (histogram counts, attempted ops, the
// per-second series, the realised mix, the contended counters), and a check still catches a
// planted failure that only some threads' clients see.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { resolveScenario } from '../../scenarios/loader.ts';
import { startNoopServer } from '../server/noop/noop-server.ts';
import { runScenario } from './index.ts';
import { ClientThreadPool } from './threads.ts';
import { makeContext } from './test-support.ts';
import type { ScenarioOutcome } from './types.ts';

const counts = (o: ScenarioOutcome): Record<string, number> => Object.fromEntries(Object.entries(o.latency).map(([k, v]) => [k, v.count]));
const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);

describe('client threads', () => {
  let server: Awaited<ReturnType<typeof startNoopServer>>;
  let faulty: Awaited<ReturnType<typeof startNoopServer>>;
  before(async () => {
    server = await startNoopServer();
    // Clients 1, 4 and 7 read a value other than the one they put: only thread 2 of 3 sees it.
    faulty = await startNoopServer('127.0.0.1:0', { staleGet: /\/client-[147]\/key-3$/ });
  });
  after(async () => {
    await server.stop();
    await faulty.stop();
  });
  const run = (address: string, workload: string, params: Record<string, unknown>) =>
    runScenario(resolveScenario({ name: workload, workload, params }, 'standard', 'test'), makeContext({ clientOptions: { hosts: [address] }, seed: 7 }));

  it('put-get over 3 threads: every pair counted once, in the histograms, the series and the check', async () => {
    const o = await run(server.address, 'put-get', { clients: 9, opsPerClient: 40, clientThreads: 3 });
    assert.equal(o.status, 'passed', o.error);
    assert.equal(o.ops, 360);
    assert.deepEqual(counts(o), { 'put-get': 360, put: 360, get: 360 });
    assert.equal(sum(o.series), 360);
    assert.equal(o.errors.total, 0);
    assert.match(o.checks[0]?.detail ?? '', /^360 Gets returned the value just put$/);
  });

  it('gives the same counts and realised mix as one thread for the same seed (mixed)', async () => {
    const one = await run(server.address, 'mixed', { clients: 6, opsPerClient: 100 });
    const two = await run(server.address, 'mixed', { clients: 6, opsPerClient: 100, clientThreads: 2 });
    assert.equal(two.status, 'passed', two.error);
    assert.equal(two.ops, 600);
    assert.deepEqual(counts(two), counts(one), 'each client draws the same operations in whichever thread');
    assert.deepEqual(two.mix, one.mix);
  });

  it('shares a fixed total of operations (compaction) and adds the contended counters (txn)', async () => {
    const c = await run(server.address, 'compaction', { clients: 4, keys: 101, readKeys: 33, clientThreads: 2 });
    assert.equal(c.status, 'passed', `${c.error} ${JSON.stringify(c.checks)}`);
    assert.deepEqual(counts(c), { put: 101, overwrite: 101, compact: 1, get: 33 });
    assert.equal(c.extra?.intactReads, 33);
    const t = await run(server.address, 'txn', { clients: 4, opsPerClient: 30, keySpace: 10, counters: 3, contendedClients: 4, contendedOpsPerClient: 15, clientThreads: 2 });
    assert.equal(t.status, 'passed', `${t.error} ${JSON.stringify(t.checks)}`);
    assert.equal(t.extra?.casSucceeded, 60, 'each of 4 clients made 15 successful increments');
    assert.equal((t.extra?.txnThen ?? 0) + (t.extra?.txnElse ?? 0), 120);
    assert.match(t.checks[1]?.detail ?? '', /^3 counters sum to 60 = successful CAS txns/);
  });

  it('still fails read-your-write when one thread\'s clients read stale values', async () => {
    const o = await run(faulty.address, 'put-get', { clients: 9, opsPerClient: 10, clientThreads: 3 });
    assert.equal(o.status, 'failed');
    assert.equal(o.ops, 90);
    assert.equal(counts(o)['put-get'], 90);
    assert.equal(o.checks[0]?.ok, false);
    assert.match(o.checks[0]?.detail ?? '', /^3 of 90 Gets returned another value; first \/load-test\/client-[147]\/key-3: got "stale:/);
  });

  it('a pool keeps its threads across scenarios with different thread counts', async () => {
    const pool = new ClientThreadPool();
    try {
      const ctx = { ...makeContext({ clientOptions: { hosts: [server.address] }, seed: 7 }), clientThreads: pool };
      const three = await runScenario(resolveScenario({ name: 'a', workload: 'put-get', params: { clients: 6, opsPerClient: 20, clientThreads: 3 } }, 'standard', 'test'), ctx);
      assert.equal(pool.size, 3);
      const two = await runScenario(resolveScenario({ name: 'b', workload: 'put-get', params: { clients: 5, opsPerClient: 20, clientThreads: 2 } }, 'standard', 'test'), ctx);
      assert.equal(pool.size, 3, 'no new thread for a scenario that needs fewer');
      assert.equal(three.status, 'passed', three.error);
      assert.equal(two.status, 'passed', two.error);
      assert.equal(counts(three)['put-get'], 120);
      assert.equal(counts(two)['put-get'], 100, 'two of the three threads share all five clients');
    } finally {
      await pool.close();
    }
    assert.equal(pool.size, 0);
  });

  it('counts failures by kind from every thread', async () => {
    // Nothing listens on port 1: every operation of every thread fails fast.
    const o = await run('127.0.0.1:1', 'put', { clients: 4, opsPerClient: 3, clientThreads: 2, opTimeoutMs: 2000 });
    assert.equal(o.status, 'passed', 'the put workload has no correctness check; errors show in the totals');
    assert.equal(o.ops, 12);
    assert.equal(o.errors.total, 12);
    assert.equal(sum(Object.values(o.errors.byKind)), 12);
  });
});
