// Failures that must not report success (issue 15 item 6), through the runner's scenario
// execution with the real workloads on a fake client: a target whose every call fails, one over
// its error-rate SLO, one refusing values over its request limit, and one that stalls (its
// timed-out operations count in p99 at their deadline).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EventBody } from '../events/schema.ts';
import { resolveScenario } from '../../scenarios/loader.ts';
import type { StartedTarget } from '../targets/types.ts';
import { fakeClientFactory, type FakeBehaviour } from '../workload/fake-client.test-support.ts';
import { runScenario } from '../workload/index.ts';
import { runOneScenario, type ScenarioEnv } from './scenario-exec.ts';

const target: StartedTarget = { name: 'memory', kind: 'memory', clientOptions: { hosts: ['fake'] }, stop: async () => undefined };

async function runWith(doc: Record<string, unknown>, b: FakeBehaviour) {
  const events: EventBody[] = [];
  const env: ScenarioEnv = { target, seed: 1, signal: new AbortController().signal, emit: (e) => events.push(e), serverSample: () => undefined, client: 'native' };
  const scenario = resolveScenario({ name: 's', workload: 'put', ...doc }, 'standard', 'test.yaml');
  const end = await runOneScenario(scenario, env, (s, ctx) => runScenario(s, { ...ctx, connect: fakeClientFactory(b) }));
  assert.deepEqual(events.at(-1), end, 'the scenario-end returned is the one emitted');
  return end;
}

class BrokenCircuitError extends Error {}

describe('scenario status from the figures', () => {
  it('every operation failing is a failed scenario, not "passed, p99 0.00 ms"', async () => {
    const end = await runWith({ params: { clients: 2, opsPerClient: 5 } }, {
      onPut: () => {
        throw new BrokenCircuitError('breaker is open');
      },
    });
    assert.equal(end.status, 'failed');
    assert.equal(end.error, 'no successful operation: 10 of 10 failed: 10 BrokenCircuitError');
    assert.equal(end.grade?.grade, 'F');
    assert.match(end.grade!.reason, /no successful operation/);
  });

  it('an error rate over maxErrorRate fails the scenario, naming the figures', async () => {
    const end = await runWith({ params: { clients: 1, opsPerClient: 20 }, slo: { maxErrorRate: 0.1 } }, {
      onPut: (_k, n) => {
        if (n % 4 === 0) throw new BrokenCircuitError('breaker is open');
      },
    });
    assert.equal(end.status, 'failed');
    assert.equal(end.error, "error rate 25% (5 of 20 operations failed: 5 BrokenCircuitError) is over the SLO's maxErrorRate 10%");
    assert.equal(end.grade?.grade, 'F');
  });

  it("writes the scenario's headline operation type into scenario-end (issue 13 item 2)", async () => {
    const end = await runWith({ headline: 'put', params: { clients: 1, opsPerClient: 5 } }, {});
    assert.equal(end.headline, 'put');
    assert.equal(end.status, 'passed', end.error);
  });

  it('errors within maxErrorRate still pass', async () => {
    const end = await runWith({ params: { clients: 1, opsPerClient: 20 }, slo: { maxErrorRate: 0.1 } }, {
      onPut: (_k, n) => {
        if (n === 3) throw new BrokenCircuitError('breaker is open');
      },
    });
    assert.equal(end.status, 'passed', end.error);
    assert.equal(end.errors.total, 1);
  });

  it('a value over the server request limit ends failed', async () => {
    // The server refuses a request over 1.5 MiB as etcd does; every Put of 2,000,000 bytes fails.
    const end = await runWith({ params: { clients: 2, opsPerClient: 3, valueSize: 2_000_000 } }, {
      onPut: (_k, _n, value) => {
        if (value.length > 1.5 * 1024 * 1024) throw new Error('etcdserver: request is too large');
      },
    });
    assert.equal(end.status, 'failed');
    assert.equal(end.error, 'no successful operation: 6 of 6 failed: 6 Error: request is too large');
    assert.equal(end.grade?.grade, 'F');
  });

  it('a stalled endpoint shows in p99: timed-out operations count at their deadline', async () => {
    // 100 Puts, 2 of which never get an answer: 2% errors (within the SLO here). The two timeouts
    // are in the histogram at their deadline, with the samples their stalled workers did not
    // issue (coordinated-omission correction) spread just below it, so p99 is near the deadline.
    const opTimeoutMs = 100;
    const end = await runWith({ params: { clients: 2, opsPerClient: 50, opTimeoutMs }, slo: { maxErrorRate: 0.05, maxP99Ms: 50 } }, {
      onPut: (_k, n) => (n === 10 || n === 60 ? new Promise<void>(() => undefined) : undefined),
    });
    assert.equal(end.status, 'passed', end.error);
    assert.deepEqual(end.errors.byKind, { OpTimeoutError: 2 });
    const put = end.latency.put!;
    assert.equal(put.count, 100, 'the two timed-out Puts are in the histogram');
    assert.ok(put.p99Ms >= 0.9 * opTimeoutMs, `p99 ${put.p99Ms} ms is near the ${opTimeoutMs} ms deadline`);
    assert.ok(put.maxMs >= opTimeoutMs);
    assert.notEqual(end.grade?.grade.startsWith('A'), true, `grade ${end.grade?.reason}`);
    assert.match(end.grade!.reason, /p99 [\d.,]+ ms > 50 ms/);
  });
});

describe('coordinated-omission correction (closed loop)', () => {
  const pause = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

  it('one stalled Put among 240 shows in p99: the samples the stalled worker did not issue are added', async () => {
    // Put 100 never answers (a SIGSTOPped server) and times out. Uncorrected, 1 slow sample of
    // 240 is past p99 (rank 238 is a 1 ms answer).
    const opTimeoutMs = 300;
    const end = await runWith({ params: { clients: 4, opsPerClient: 60, opTimeoutMs }, slo: { maxErrorRate: 0.05, maxP99Ms: 50 } }, {
      onPut: (_k, n) => (n === 100 ? new Promise<void>(() => undefined) : pause(1)),
    });
    const put = end.latency.put!;
    assert.equal(put.count, 240, 'count stays the operations measured');
    assert.deepEqual(end.errors.byKind, { OpTimeoutError: 1 });
    assert.ok((end.extra?.correctedSamples ?? 0) > 0, 'samples were added');
    assert.ok(put.p99Ms > 100, `p99 ${put.p99Ms} ms reflects the ${opTimeoutMs} ms stall`);
    assert.notEqual(end.grade?.grade.startsWith('A'), true, `grade ${end.grade?.reason}`);
  });

  it('a steady target gets no correction', async () => {
    const end = await runWith({ params: { clients: 4, opsPerClient: 60 }, slo: { maxP99Ms: 50 } }, { onPut: () => pause(1) });
    assert.equal(end.extra?.correctedSamples, 0);
    assert.equal(end.latency.put!.count, 240);
    assert.equal(end.status, 'passed', end.error);
  });
});
