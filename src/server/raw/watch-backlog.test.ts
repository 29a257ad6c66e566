/**
 * A watch fan-out through the raw transport never parks for good. 100 watchers on one Watch
 * stream and 1,000 Puts answer 100,000 events through one stream. The answers queue faster
 * than the socket takes them. The stream parks on the backlog, which counts the frames queued
 * but not yet flushed. The socket emits 'drain' only after a write that returned false, so a
 * flush it took whole must wake the parked stream itself. Without that, delivery stopped after
 * a few hundred events and the scenario lost the rest.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { join } from 'node:path';
import { openStore, type MetaStore } from '../../../engine/index.ts';
import { resolveScenario } from '../../../scenarios/loader.ts';
import { runScenario } from '../../workload/index.ts';
import { makeContext } from '../../workload/test-support.ts';
import { startEtcdServer, type RunningEtcdServer } from '../server.ts';
import { tempDir } from '../test-support.ts';

describe('raw transport: a watch stream parked on the socket backlog', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let store: MetaStore;
  let server: RunningEtcdServer;
  before(async () => {
    dir = await tempDir('watch-backlog');
    store = await openStore({ engine: 'memory', dataDir: join(dir.path, 'data'), sync: 'none' });
    server = await startEtcdServer({ store, listen: { host: '127.0.0.1', port: 0 }, transport: 'raw', log: () => undefined });
  });
  after(async () => {
    await server?.stop(1000);
    await store?.close();
    await dir?.remove();
  });

  // Before the fix the scenario never ended (it hung cancelling watchers that had stopped hearing).
  it('delivers every event of the standard watch-scalability scenario to every watcher', { timeout: 120_000 }, async () => {
    const params = { watchers: 100, events: 1000, inFlight: 50, connections: 1, warmupMs: 0, eventTimeoutMs: 20_000 };
    const s = resolveScenario({ name: 'watch', workload: 'watch', params }, 'standard', 'test');
    const o = await runScenario(s, makeContext({ client: 'native', clientOptions: { hosts: [server.address] } }));
    assert.equal(o.status, 'passed', `${o.error ?? ''} ${JSON.stringify(o.checks)}`);
    assert.equal(o.errors.total, 0);
  });
});
