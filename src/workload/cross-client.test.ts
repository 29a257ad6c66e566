/**
 * The two clients are interchangeable: every built-in scenario (quick profile, small and
 * operation-bounded parameters) runs through the native client and through the etcd3 package
 * against the memory engine with the same seed, each call recorded by a recording client; both
 * runs must send the same operation stream (keys, values, op types and options, as a multiset:
 * concurrent workers interleave differently) and reach the same checks with the same outcomes.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CLIENT_KINDS } from '../client/factory.ts';
import { recordingClient } from '../client/recording.ts';
import type { ClientKind } from '../client/types.ts';
import { startMetaStore } from '../targets/metastore.ts';
import type { StartedTarget } from '../targets/types.ts';
import { BUILTIN_SCENARIOS, loadScenarios } from '../../scenarios/loader.ts';
import type { ResolvedScenario } from '../../scenarios/schema.ts';
import { runScenario } from './index.ts';
import { makeContext } from './test-support.ts';

const SEED = 11;

/** Quick profile, made replayable: bounded by operations, no warm-up (it is bounded by time). */
function replayable(s: ResolvedScenario): ResolvedScenario {
  const p = { ...s.params, warmupMs: 0 };
  if (s.workload === 'put') {
    delete (p as { durationMs?: number }).durationMs;
    Object.assign(p, { clients: 4, opsPerClient: 50 });
  }
  // One CAS client: with more, which attempts conflict (and are retried) depends on timing.
  if (s.workload === 'txn') Object.assign(p, { contendedClients: 1 });
  return { ...s, params: p };
}

/** A recorded line without what legitimately differs between two runs on one server. */
function normalise(line: string): string {
  return line
    .replace(new RegExp(`${SEED}-[0-9a-z]{6,}`, 'g'), '<run>') // the run tag: seed + start time
    .replace(/"revision":\d+/g, '"revision":"R"') // revisions go on from the previous run
    .replace(/^compact \[\d+/, 'compact ["R"')
    .replace(/("target":"mod","result":"==","value":)\d+/g, '$1"R"');
}

describe('native and etcd3 clients: same operation stream, same checks', () => {
  let target: StartedTarget;
  before(async () => {
    target = await startMetaStore('memory', 'memory', { keepData: false, signal: new AbortController().signal, log: () => undefined, client: 'etcd3' });
  });
  after(async () => {
    await target?.stop();
  });

  for (const name of BUILTIN_SCENARIOS) {
    it(name, async () => {
      const [loaded] = await loadScenarios({ profile: 'quick', names: [name] });
      const scenario = replayable(loaded!);
      const runs = [];
      for (const client of CLIENT_KINDS) {
        const log: string[] = [];
        const ctx = makeContext({ clientOptions: target.clientOptions, client, targetKind: 'memory', seed: SEED });
        const outcome = await runScenario(scenario, { ...ctx, connect: async () => recordingClient(await ctx.connect(), log) });
        runs.push({ client, outcome, ops: log.map(normalise).sort() });
      }
      const [a, b] = runs as [{ client: ClientKind; outcome: Awaited<ReturnType<typeof runScenario>>; ops: string[] }, typeof runs[0]];
      assert.ok(a.ops.length > 0);
      assert.equal(a.ops.length, b.ops.length, `${a.client} made ${a.ops.length} calls, ${b.client} ${b.ops.length}`);
      const firstDiff = a.ops.findIndex((op, i) => op !== b.ops[i]);
      assert.equal(firstDiff, -1, `first difference: ${a.client} ${a.ops[firstDiff]} / ${b.client} ${b.ops[firstDiff]}`);
      const checks = (o: typeof a.outcome) => o.checks.map((c) => ({ name: c.name, ok: c.ok }));
      assert.deepEqual(checks(a.outcome), checks(b.outcome));
      assert.ok(a.outcome.checks.length > 0 && a.outcome.checks.every((c) => c.ok), JSON.stringify(a.outcome.checks));
      assert.deepEqual(a.outcome.errors, b.outcome.errors);
      assert.equal(a.outcome.ops, b.outcome.ops);
      assert.deepEqual(Object.keys(a.outcome.latency).sort(), Object.keys(b.outcome.latency).sort());
      assert.deepEqual(a.outcome.mix, b.outcome.mix);
    });
  }
});
