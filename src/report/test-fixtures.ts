/**
 * Run folders for tests: a manifest and one NDJSON file per target, written into a temp folder
 * (results are never committed). Built on the event builders of `src/state/fixtures.ts`.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunnerEvent, ScenarioEndEvent } from '../events/schema.ts';
import { ev, latency, T0 } from '../state/fixtures.ts';
import { RunManifest } from '../results/manifest.ts';
import { initialRunState, planOf, reduceRunEvents } from '../state/run-state.ts';
import type { LoadedRun } from '../state/load-run.ts';

/** Options of {@link fixtureRun}. */
export interface FixtureRunOptions {
  runId: string;
  targets?: string[];
  /** Throughput factor per target (applied to every scenario's opsPerSec). */
  speed?: Record<string, number>;
  /** p99 factor per target. */
  slowness?: Record<string, number>;
  /** Resolved parameters of each scenario (default: clients 10, opsPerClient 100). */
  params?: Record<string, Record<string, unknown>>;
  mode?: 'sequential' | 'parallel';
  /** Targets that stop without a run-end after their first scenario. */
  unfinished?: string[];
  /** Targets interrupted during their second scenario (run-end `interrupted`). */
  interrupted?: string[];
  /** With `repeats`: the repeat in which `interrupted` targets are interrupted (default 1). */
  interruptedRepeat?: number;
  /** Extra scenario-end fields per `target/scenario`. */
  endOver?: Record<string, Partial<ScenarioEndEvent>>;
  micro?: boolean;
  /** Throughput factor of the micro results (default 1). */
  microSpeed?: number;
  /**
   * A run with repeats (`--repeat N`): one throughput factor per repeat, applied on top of
   * `speed` (e.g. `[0.97, 1, 1.03]`: three repeats, ±3%). Each repeat's events carry `repeat`.
   */
  repeats?: number[];
  /** With `repeats`: one p99 factor per repeat, on top of `slowness` (default 1 each). */
  repeatSlowness?: number[];
}

/** Scenarios of fixture runs, with their base throughput (ops/s) and p99 (ms). */
export const FIXTURE_BASE: Record<string, { opsPerSec: number; p99Ms: number }> = {
  'large-scale-load': { opsPerSec: 2000, p99Ms: 40 },
  'txn-throughput': { opsPerSec: 1000, p99Ms: 20 },
};

/** Events of one fixture run, per target. */
export function fixtureEvents(o: FixtureRunOptions): Record<string, RunnerEvent[]> {
  const targets = o.targets ?? ['memory', 'etcd'];
  const out: Record<string, RunnerEvent[]> = {};
  const factors = o.repeats ?? [1];
  targets.forEach((target, ti) => {
    const list: RunnerEvent[] = [];
    for (const [ri, factor] of factors.entries()) {
      const one = repeatEvents(o, target, { t0: T0 + ti * 100_000 + ri * 1_000_000, factor, slow: o.repeatSlowness?.[ri] ?? 1, repeat: ri + 1, last: ri === factors.length - 1, first: ti === 0 });
      list.push(...(o.repeats ? one.map((e) => ({ ...e, repeat: ri + 1 })) : one));
      const end = one.at(-1);
      // Interrupted or cut short: no later repeat.
      if (end?.kind !== 'run-end' || end.status !== 'completed') break;
    }
    out[target] = list;
  });
  return out;
}

/** One target's events of one repeat (the whole run without repeats). */
function repeatEvents(o: FixtureRunOptions, target: string, r: { t0: number; factor: number; slow: number; repeat: number; last: boolean; first: boolean }): RunnerEvent[] {
  const scenarios = Object.keys(FIXTURE_BASE);
  let t = r.t0;
  const interrupted = o.interrupted?.includes(target) === true && r.repeat === (o.interruptedRepeat ?? 1);
  const list: RunnerEvent[] = [ev.runStart(target, t, { runId: o.runId, scenarios, server: { address: '127.0.0.1:2379', pid: 1, ...(target === 'etcd' ? { version: '3.4.23' } : {}) } })];
  for (const [i, sc] of scenarios.entries()) {
    if (interrupted && i === 1) {
      list.push(ev.scenarioStart(target, (t += 1000), sc, { params: o.params?.[sc] ?? { clients: 10, opsPerClient: 100 } }));
      list.push(ev.runEnd(target, (t += 1000), 'interrupted', { error: 'interrupted by SIGINT' }));
      return list;
    }
    const base = FIXTURE_BASE[sc];
    const ops = base.opsPerSec * (o.speed?.[target] ?? 1) * r.factor;
    const p99 = base.p99Ms * (o.slowness?.[target] ?? 1) * r.slow;
    list.push(ev.scenarioStart(target, (t += 1000), sc, { params: o.params?.[sc] ?? { clients: 10, opsPerClient: 100 } }));
    list.push(
      ev.scenarioEnd(target, (t += 4000), sc, {
        ops: 1000,
        opsPerSec: ops,
        latency: { put: latency(p99 / 4, p99), get: latency(p99 / 8, p99 / 2) },
        slo: { maxErrorRate: 0.01, maxP99Ms: 200, minOpsPerSec: 500 },
        grade: undefined,
        ...o.endOver?.[`${target}/${sc}`],
      }),
    );
    if (o.unfinished?.includes(target)) return list;
  }
  // Micro cases run once per run, in its last repeat (as the runner does).
  if (o.micro && r.first && r.last) {
    const k = o.microSpeed ?? 1;
    list.push(ev.micro(target, (t += 10), 'memory', 'put', 200_000 * k), ev.micro(target, (t += 10), 'rocksdb', 'put', 50_000 * k), ev.micro(target, (t += 10), 'memory', 'get-hit', 1_000_000 * k));
  }
  list.push(ev.runEnd(target, (t += 10), 'completed'));
  return list;
}

/** Writes a fixture run into `<root>/<runId>` and returns that folder. */
export async function fixtureRun(root: string, o: FixtureRunOptions): Promise<string> {
  const dir = join(root, o.runId);
  await mkdir(dir, { recursive: true });
  const events = fixtureEvents(o);
  const targets = Object.keys(events);
  await writeFile(join(dir, 'run.json'), JSON.stringify(fixtureManifest(o, targets), null, 2));
  for (const t of targets) await writeFile(join(dir, `${t}.ndjson`), events[t].map((e) => JSON.stringify(e) + '\n').join(''));
  return dir;
}

/**
 * A fixture run as `loadRun` would return it, folded in memory (no files, no line parsing):
 * for summaries of runs whose events the tests build directly.
 */
export function fixtureLoadedRun(o: FixtureRunOptions): LoadedRun {
  const events = fixtureEvents(o);
  const targets = Object.keys(events);
  const manifest = fixtureManifest(o, targets);
  let state = initialRunState(planOf(manifest));
  for (const t of targets) state = reduceRunEvents(state, events[t]);
  return { dir: join('/fixture', o.runId), runId: o.runId, manifest, state, files: targets, warnings: [] };
}

function fixtureManifest(o: FixtureRunOptions, targets: readonly string[]): RunManifest {
  // Parsed, so the fixture is checked against the one manifest schema.
  return RunManifest.parse({
    v: 1,
    runId: o.runId,
    startedAt: new Date(T0).toISOString(),
    host: { cpus: 2, cpuModel: 'Fixture CPU', memoryBytes: 8 * 2 ** 30, freeMemoryBytes: 2 ** 30, os: 'linux 6.1.0', arch: 'x64' },
    nodeVersion: 'v20.0.0',
    metabenchVersion: '0.1.0',
    gitCommit: '0123456789abcdef0123456789abcdef01234567',
    targets: targets.map((name) => ({ name, kind: name })),
    profile: 'quick',
    scenarios: Object.keys(FIXTURE_BASE).map((name) => ({ name, workload: name === 'txn-throughput' ? 'txn' : 'put-get', source: `/somewhere/${o.runId}/${name}.yaml`, params: o.params?.[name] ?? { clients: 10, opsPerClient: 100 } })),
    seed: 42,
    mode: o.mode ?? 'sequential',
    ...(o.repeats ? { repeats: o.repeats.length } : {}),
    orchestratorPid: 1,
  });
}
