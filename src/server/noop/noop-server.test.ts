/**
 * The no-op server answers what the workloads send (so `bench:harness` and the `noop` target
 * measure the generator, not a broken server): read-your-write, watch fan-out, txn compares,
 * ranges in key order with limits, and reads below a compaction refused as etcd refuses them.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Etcd3 } from 'etcd3';
import { resolveScenario } from '../../../scenarios/loader.ts';
import { runScenario } from '../../workload/index.ts';
import { makeContext } from '../../workload/test-support.ts';
import { startNoopServer } from './noop-server.ts';

describe('noop server', () => {
  let server: Awaited<ReturnType<typeof startNoopServer>>;
  before(async () => {
    server = await startNoopServer();
  });
  after(async () => {
    await server.stop();
  });

  const cases: [string, Record<string, unknown>][] = [
    ['put-get', { clients: 4, opsPerClient: 25 }],
    ['mixed', { clients: 4, opsPerClient: 50 }],
    ['watch', { watchers: 5, events: 40, inFlight: 8 }],
    ['txn', { clients: 3, opsPerClient: 30, keySpace: 10, counters: 2, contendedClients: 3, contendedOpsPerClient: 10 }],
    ['compaction', { clients: 3, keys: 50, readKeys: 20 }],
  ];
  it('answers ranges in key order with count, limit and more; deletes ranges; refuses compacted reads', async () => {
    const c = new Etcd3({ hosts: `http://${server.address}` });
    try {
      for (const k of ['r/c', 'r/a', 'r/b', 'r/d', 's/x']) await c.put(k).value(k);
      const res = await c.getAll().prefix('r/').limit(2).exec();
      assert.deepEqual(res.kvs.map((kv) => kv.key.toString()), ['r/a', 'r/b']);
      assert.equal(Number(res.count), 4);
      assert.equal(res.more, true);
      assert.deepEqual(await c.getAll().inRange({ start: 'r/b', end: 'r/d' }).keys(), ['r/b', 'r/c']);
      assert.equal(Number((await c.delete().inRange({ start: 'r/a', end: 'r/c' }).exec()).deleted), 2);
      assert.deepEqual(await c.getAll().prefix('r/').keys(), ['r/c', 'r/d']);
      const old = Number((await c.get('r/c').exec()).header.revision);
      await c.put('r/c').value('new');
      const now = Number((await c.get('r/c').exec()).header.revision);
      await c.kv.compact({ revision: now });
      await assert.rejects(c.get('r/c').revision(old).string(), /required revision has been compacted/);
      assert.equal(await c.get('r/c').string(), 'new');
    } finally {
      c.close();
    }
  });

  for (const [workload, params] of cases) {
    it(`runs the ${workload} workload with its checks passing`, async () => {
      const s = resolveScenario({ name: workload, workload, params }, 'standard', 'test');
      const o = await runScenario(s, makeContext({ clientOptions: { hosts: [server.address] } }));
      assert.equal(o.status, 'passed', `${o.error ?? ''} ${JSON.stringify(o.checks)}`);
      assert.equal(o.errors.total, 0);
    });
  }
});
