/**
 * The no-op server answers what the workloads send (so `bench:harness` and the `noop` target
 * measure the generator, not a broken server): read-your-write, watch fan-out, txn compares,
 * ranges in key order with limits, and reads below a compaction refused as etcd refuses them;
 * with both clients the workloads use (the etcd3 package and the native one).
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

  it('sends a watch Put and Delete events in revision order, several Puts of a tick included', { timeout: 10_000 }, async () => {
    const c = new Etcd3({ hosts: `http://${server.address}` });
    try {
      const w = await c.watch().prefix('w/').create();
      const seen: string[] = [];
      const revisions: number[] = [];
      const all = new Promise<void>((resolve) => {
        const note = (kind: string) => (kv: { key: Buffer; mod_revision: string }) => {
          seen.push(`${kind} ${kv.key.toString()}`);
          revisions.push(Number(kv.mod_revision));
          if (seen.length === 4) resolve();
        };
        w.on('put', note('put'));
        w.on('delete', note('delete'));
      });
      // Sent together, so they arrive together and go out in one response.
      await Promise.all([c.put('w/a').value('1'), c.put('w/b').value('2'), c.put('other').value('3')]);
      await c.delete().prefix('w/').exec();
      await all;
      await w.cancel();
      assert.deepEqual([...seen].sort(), ['delete w/a', 'delete w/b', 'put w/a', 'put w/b']);
      assert.deepEqual(seen.slice(2).map((e) => e.split(' ')[0]), ['delete', 'delete']);
      assert.deepEqual(revisions, [...revisions].sort((a, b) => a - b));
    } finally {
      c.close();
    }
  });

  for (const client of ['etcd3', 'native'] as const) {
    for (const [workload, params] of cases) {
      it(`runs the ${workload} workload with its checks passing (${client} client)`, async () => {
        const s = resolveScenario({ name: workload, workload, params }, 'standard', 'test');
        const o = await runScenario(s, makeContext({ client, clientOptions: { hosts: [server.address] } }));
        assert.equal(o.status, 'passed', `${o.error ?? ''} ${JSON.stringify(o.checks)}`);
        assert.equal(o.errors.total, 0);
      });
    }
  }
});
