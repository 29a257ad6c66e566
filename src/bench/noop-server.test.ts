/**
 * The no-op server answers what the workloads send (so `bench:harness` measures the generator,
 * not a broken server): read-your-write, watch fan-out, txn compares, compaction calls.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { resolveScenario } from '../../scenarios/loader.ts';
import { runScenario } from '../workload/index.ts';
import { makeContext } from '../workload/test-support.ts';
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
  ];
  for (const [workload, params] of cases) {
    it(`runs the ${workload} workload with its checks passing`, async () => {
      const s = resolveScenario({ name: workload, workload, params }, 'standard', 'test');
      const o = await runScenario(s, makeContext({ clientOptions: { hosts: `http://${server.address}` } }));
      assert.equal(o.status, 'passed', `${o.error ?? ''} ${JSON.stringify(o.checks)}`);
      assert.equal(o.errors.total, 0);
    });
  }
});
