/**
 * Every built-in scenario, quick profile, against a real etcd on free loopback ports (and the
 * memory engine through `metabench serve`), plus replay, open loop, connections and abort,
 * through the default client (`METABENCH_CLIENT=etcd3` for the other; `cross-client.test.ts`
 * compares the two).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ProgressEvent, ScenarioEndEvent, type TargetKind } from '../events/schema.ts';
import { DEFAULT_CLIENT, isClientKind } from '../client/factory.ts';
import type { ClientKind } from '../client/types.ts';
import { startEtcd, findEtcd } from '../targets/etcd.ts';
import { startMetaStore } from '../targets/metastore.ts';
import type { StartedTarget, StartOptions } from '../targets/types.ts';
import { BUILTIN_SCENARIOS, loadScenarios, resolveScenario } from '../../scenarios/loader.ts';
import { runScenario } from './index.ts';
import { MIN_WINDOWS } from './scenarios/put.ts';
import { makeContext } from './test-support.ts';

const envClient = process.env.METABENCH_CLIENT ?? DEFAULT_CLIENT;
if (!isClientKind(envClient)) throw new Error(`METABENCH_CLIENT: '${envClient}' is not native or etcd3`);
const client: ClientKind = envClient;
const startOpts = (): StartOptions => ({ keepData: false, signal: new AbortController().signal, log: () => undefined, client });

const targets: { kind: TargetKind; start: () => Promise<StartedTarget>; skip?: string }[] = [
  { kind: 'etcd', start: () => startEtcd('etcd', startOpts()), skip: findEtcd() ? undefined : 'etcd is not installed' },
  { kind: 'memory', start: () => startMetaStore('memory', 'memory', startOpts()), skip: process.env.METABENCH_SKIP_MEMORY ? 'METABENCH_SKIP_MEMORY is set' : undefined },
];

// The targets' suites run side by side to keep the file short; nothing here asserts speed.
describe('workloads against real targets', { concurrency: true }, () => {
for (const t of targets) {
  describe(`quick profile against ${t.kind}`, { skip: t.skip, concurrency: false }, () => {
    let target: StartedTarget;
    before(async () => {
      target = await t.start();
    });
    after(async () => {
      await target?.stop();
    });

    for (const name of BUILTIN_SCENARIOS) {
      it(`${name} passes its checks with no errors`, async () => {
        const [scenario] = await loadScenarios({ profile: 'quick', names: [name] });
        const ctx = makeContext({ clientOptions: target.clientOptions, client, targetKind: t.kind, seed: 11 });
        const outcome = await runScenario(scenario!, ctx);
        assert.ok(outcome.checks.length > 0);
        const correctness = outcome.checks.filter((c) => c.name !== 'throughput stable');
        assert.ok(correctness.every((c) => c.ok), JSON.stringify(outcome.checks));
        assert.equal(outcome.status, outcome.checks.every((c) => c.ok) ? 'passed' : 'failed', outcome.error);
        assert.deepEqual(outcome.errors, { total: 0, byKind: {} });
        assert.ok(outcome.ops > 0 && outcome.opsPerSec > 0);
        assert.equal(outcome.series.reduce((a, b) => a + b, 0), outcome.ops, 'the series accounts for every operation');
        ScenarioEndEvent.parse({ ...outcome, v: 1, t: 0, target: t.kind, kind: 'scenario-end' });
        for (const e of ctx.events) if (e.kind === 'progress') ProgressEvent.parse({ ...e, v: 1, t: 0, target: t.kind });
        const types = Object.keys(outcome.latency).sort();
        switch (scenario!.workload) {
          case 'put-get':
            assert.deepEqual(types, ['get', 'put', 'put-get']);
            assert.equal(outcome.ops, scenario!.params.clients * scenario!.params.opsPerClient!);
            break;
          case 'put': {
            // Whether throughput was stable depends on the machine; that the verdict follows the
            // figures does not.
            const stable = outcome.checks.find((c) => c.name === 'throughput stable');
            const judged = outcome.extra!.stableWindows! >= MIN_WINDOWS;
            assert.equal(stable?.ok, !judged || outcome.extra!.throughputCv! <= outcome.slo!.maxThroughputCv!);
            break;
          }
          case 'mixed':
            assert.deepEqual(types, ['delete', 'get', 'put', 'range']);
            assert.deepEqual(Object.keys(outcome.mix ?? {}).sort(), ['delete', 'get', 'put', 'range']);
            break;
          case 'watch':
            assert.equal(outcome.latency['watch-delivery']?.count, scenario!.params.watchers * scenario!.params.events);
            break;
          case 'txn':
            assert.equal(outcome.extra?.casSucceeded, scenario!.params.contendedClients * scenario!.params.contendedOpsPerClient);
            break;
          case 'compaction':
            for (const k of ['loadMs', 'overwriteMs', 'compactMs', 'readMs']) assert.ok(typeof outcome.extra?.[k] === 'number', k);
            assert.ok(outcome.extra!.compactRevision! > outcome.extra!.loadedRevision!);
            break;
        }
      });
    }

    it('same seed, same operation stream (realised mix); another seed, another', async () => {
      const s = resolveScenario({ name: 'mix-replay', workload: 'mixed', params: { clients: 2, opsPerClient: 100 } }, 'standard', 'test');
      const mixOf = async (seed: number) => (await runScenario(s, makeContext({ clientOptions: target.clientOptions, client, targetKind: t.kind, seed }))).mix;
      const a = await mixOf(5);
      assert.deepEqual(await mixOf(5), a);
      assert.notDeepEqual(await mixOf(6), a);
    });

    it('open loop at a fixed rate reports late operations; connections spread the clients', async () => {
      const s = resolveScenario({ name: 'open', workload: 'put-get', params: { clients: 4, opsPerClient: 50, rate: 400, connections: 2 } }, 'standard', 'test');
      const ctx = makeContext({ clientOptions: target.clientOptions, client, targetKind: t.kind });
      let connections = 0;
      const outcome = await runScenario(s, { ...ctx, connect: () => (connections++, ctx.connect()) });
      assert.equal(outcome.status, 'passed', outcome.error);
      assert.equal(typeof outcome.lateOps, 'number');
      assert.equal(outcome.ops, 200);
      assert.equal(connections, 2);
    });

    it('stops promptly on abort with status aborted', async () => {
      const [scenario] = await loadScenarios({ profile: 'standard', names: ['sustained-load'] });
      const ac = new AbortController();
      const ctx = makeContext({ clientOptions: target.clientOptions, client, targetKind: t.kind, signal: ac.signal });
      setTimeout(() => ac.abort(), 1500); // usually after the 1 s warm-up; either way it must stop
      const outcome = await runScenario(scenario!, ctx);
      assert.equal(outcome.status, 'aborted');
      assert.ok(outcome.durationMs < scenario!.params.durationMs!, 'stopped before its configured duration');
      assert.ok(outcome.checks.every((c) => c.ok));
    });
  });
}
});
