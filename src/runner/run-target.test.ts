// The runner's life for one target, in-process with stub workloads: an absent etcd binary is
// reported unavailable with the install hint; a workload that throws fails its scenario (graded
// F) and the next scenario still runs; micro is skipped on targets other than memory/rocksdb;
// an aborted signal ends with run-end interrupted; the server is stopped and its data removed.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { EventWriter } from '../results/event-writer.ts';
import { buildManifest } from '../results/manifest.ts';
import type { ResolvedScenario } from '../../scenarios/schema.ts';
import { loadScenarios } from '../../scenarios/loader.ts';
import { findEtcd } from '../targets/etcd.ts';
import { freePort } from '../targets/free-port.ts';
import { isRunning, readEvents, tempDir } from '../testing/run-fixtures.ts';
import type { ScenarioOutcome } from '../workload/types.ts';
import { runTarget, type RunnerWorkloads } from './run-target.ts';
import type { RunnerConfig } from './config.ts';

const passed = (scenario: string): ScenarioOutcome => ({
  scenario,
  status: 'passed',
  durationMs: 10,
  ops: 100,
  opsPerSec: 10_000,
  errors: { total: 0, byKind: {} },
  latency: { put: { count: 100, meanMs: 1, p50Ms: 1, p90Ms: 1, p99Ms: 2, p999Ms: 3, maxMs: 3 } },
  series: [100],
  checks: [{ name: 'ok', ok: true, detail: '' }],
});

describe('runTarget', () => {
  let tmp: ReturnType<typeof tempDir>;
  let scenarios: ResolvedScenario[];
  before(async () => {
    tmp = tempDir('runner');
    scenarios = await loadScenarios({ names: ['large-scale-load', 'sustained-load'], profile: 'quick' });
  });
  after(() => tmp.remove());

  function setup(name: string, kind: RunnerConfig['target']['kind'], micro = false) {
    const runDir = join(tmp.dir, name);
    const tmpRoot = join(tmp.dir, `${name}-tmp`);
    for (const d of [runDir, tmpRoot]) mkdirSync(d, { recursive: true });
    const manifest = buildManifest({ runId: name, targets: [{ name: kind, kind }], profile: 'quick', scenarios, seed: 3, mode: 'sequential', micro });
    const cfg: RunnerConfig = { runDir, target: { name: kind, kind }, keepData: false, tmpRoot, stopGraceMs: 2000 };
    const writer = new EventWriter(join(runDir, `${kind}.ndjson`), kind);
    return { runDir, tmpRoot, manifest, cfg, writer };
  }

  it('reports a missing etcd binary as unavailable with the install hint', async () => {
    const { runDir, manifest, cfg, writer } = setup('no-etcd', 'etcd');
    const path = process.env.PATH;
    process.env.PATH = tmp.dir; // no etcd here
    let status;
    try {
      status = await runTarget(cfg, manifest, writer, new AbortController().signal, { runScenario: () => assert.fail('no scenario may run'), runMicro: async () => undefined });
    } finally {
      process.env.PATH = path;
      writer.close();
    }
    assert.equal(status, 'completed');
    const events = readEvents(runDir, 'etcd');
    assert.deepEqual(events.map((e) => e.kind), ['log', 'run-start', 'target-unavailable', 'run-end']);
    const un = events[2] as Extract<(typeof events)[number], { kind: 'target-unavailable' }>;
    assert.equal(un.hint, 'apt-get install etcd-server');
  });

  it('an endpoint that does not answer is unavailable with one clean line, not crashed', async () => {
    const { runDir, manifest, cfg, writer } = setup('endpoint-down', 'endpoint');
    const port = await freePort();
    const status = await runTarget({ ...cfg, target: { ...cfg.target, endpoints: [`127.0.0.1:${port}`] } }, manifest, writer, new AbortController().signal, {
      runScenario: () => assert.fail('no scenario may run'),
      runMicro: async () => undefined,
    });
    writer.close();
    assert.equal(status, 'completed');
    const events = readEvents(runDir, 'endpoint');
    const un = events.find((e) => e.kind === 'target-unavailable');
    assert.equal(un?.kind === 'target-unavailable' && un.reason, `endpoint 127.0.0.1:${port} unavailable: connection refused at 127.0.0.1:${port} (nothing listens there)`);
  });

  it('a throwing workload fails its scenario with grade F; the next runs; micro skipped on etcd; server gone', { skip: !findEtcd() && 'etcd not installed' }, async () => {
    const { runDir, tmpRoot, manifest, cfg, writer } = setup('throws', 'etcd', true);
    const workloads: RunnerWorkloads = {
      runScenario: async (s, ctx) => {
        if (s.name === 'large-scale-load') throw new Error('boom');
        // A real request through the context's client: the target is up and reachable.
        const client = await ctx.connect();
        try {
          await client.put('k', 'v');
        } finally {
          await client.close();
        }
        return passed(s.name);
      },
      runMicro: async () => assert.fail('micro must not run on etcd'),
    };
    const status = await runTarget(cfg, manifest, writer, new AbortController().signal, workloads);
    writer.close();
    assert.equal(status, 'completed');
    const events = readEvents(runDir, 'etcd');
    const ends = events.filter((e) => e.kind === 'scenario-end');
    assert.deepEqual(ends.map((e) => [e.scenario, e.status, e.grade?.grade]), [['large-scale-load', 'failed', 'F'], ['sustained-load', 'passed', 'A+']]);
    assert.match(ends[0].error ?? '', /workload error: boom/);
    assert.equal(typeof ends[1].slo?.maxP99Ms, 'number', 'the SLOs judged are on the event');
    assert.ok(events.some((e) => e.kind === 'log' && /micro: skipped on etcd/.test(e.message)));
    const start = events.find((e) => e.kind === 'run-start');
    assert.equal(start?.kind === 'run-start' && start.server?.version !== undefined, true);
    const pid = start?.kind === 'run-start' ? start.server?.pid : undefined;
    assert.ok(pid);
    assert.equal(isRunning(pid), false, 'etcd stopped');
    assert.deepEqual(readdirSync(tmpRoot), [], 'data directory removed');
  });

  it('a server that dies mid-run ends the run crashed instead of timing out every later scenario', { skip: !findEtcd() && 'etcd not installed' }, async () => {
    const { runDir, manifest, cfg, writer } = setup('dies', 'etcd');
    const ran: string[] = [];
    const status = await runTarget(cfg, manifest, writer, new AbortController().signal, {
      runScenario: async (s) => {
        ran.push(s.name);
        const start = readEvents(runDir, 'etcd').find((e) => e.kind === 'run-start');
        const pid = start?.kind === 'run-start' ? start.server?.pid : undefined;
        assert.ok(pid);
        process.kill(pid, 'SIGKILL');
        // Gone from /proc means reaped: this process has seen the child's exit (the runner's
        // server-process handle settles on the next turns of the loop).
        while (existsSync(`/proc/${pid}`)) await new Promise((r) => setTimeout(r, 20));
        await new Promise((r) => setTimeout(r, 50));
        return { ...passed(s.name), status: 'failed', error: 'connection refused' };
      },
      runMicro: async () => undefined,
    });
    writer.close();
    assert.equal(status, 'crashed');
    assert.deepEqual(ran, ['large-scale-load']);
    const end = readEvents(runDir, 'etcd').at(-1);
    assert.equal(end?.kind, 'run-end');
    assert.match(end?.kind === 'run-end' ? (end.error ?? '') : '', /etcd server \(pid \d+\) exited during the run \(signal SIGKILL\)/);
  });

  it('an aborted signal ends the run interrupted and stops issuing scenarios', { skip: !findEtcd() && 'etcd not installed' }, async () => {
    const { runDir, manifest, cfg, writer } = setup('abort', 'etcd');
    const abort = new AbortController();
    const ran: string[] = [];
    const status = await runTarget(cfg, manifest, writer, abort.signal, {
      runScenario: async (s, ctx) => {
        ran.push(s.name);
        abort.abort();
        assert.equal(ctx.signal.aborted, true);
        return { ...passed(s.name), status: 'aborted', error: 'interrupted' };
      },
      runMicro: async () => undefined,
    });
    writer.close();
    assert.equal(status, 'interrupted');
    assert.deepEqual(ran, ['large-scale-load']);
    const events = readEvents(runDir, 'etcd');
    assert.deepEqual(events.filter((e) => e.kind === 'run-end').map((e) => e.kind === 'run-end' && e.status), ['interrupted']);
  });
});
