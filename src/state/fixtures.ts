/**
 * Fixture event streams for tests, the dashboard bench and demos: small builders for each event
 * kind and three canned runs (live, one target crashed, finished). Deterministic: timestamps start
 * at `T0` and advance by whole seconds.
 */
import { SCHEMA_VERSION } from '../events/schema.ts';
import type {
  LatencySummary,
  LogEvent,
  MicroResultEvent,
  ProgressEvent,
  RunEndEvent,
  RunStartEvent,
  RunnerEvent,
  ScenarioEndEvent,
  ScenarioStartEvent,
  TargetKind,
  TargetUnavailableEvent,
} from '../events/schema.ts';

/** Timestamp of the first fixture event (2026-01-01T00:00:00Z), ms since the epoch. */
export const T0 = Date.UTC(2026, 0, 1);
/** Scenarios of the fixture runs, in order. */
export const FIXTURE_SCENARIOS = ['large-scale-load', 'sustained-load', 'mixed-workload'] as const;

/**
 * The kind of a fixture target named `noop` (the no-op ceiling server). Typed through `string`
 * so the fixtures compile whether or not the event schema's `TargetKind` lists it yet.
 */
const NOOP_TARGET_KIND = 'noop' as string as TargetKind;

const base = (target: string, t: number) => ({ v: SCHEMA_VERSION as typeof SCHEMA_VERSION, t, target });

/** Builders, one per event kind; `t` in ms since the epoch. */
export const ev = {
  runStart(target: string, t: number, over: Partial<RunStartEvent> = {}): RunStartEvent {
    const kind: TargetKind = target === 'memory' || target === 'rocksdb' || target === 'etcd' ? target : target === 'noop' ? NOOP_TARGET_KIND : 'endpoint';
    return {
      ...base(target, t),
      kind: 'run-start',
      runId: 'run-fixture',
      targetKind: kind,
      profile: 'quick',
      seed: 42,
      scenarios: [...FIXTURE_SCENARIOS],
      server: { address: '127.0.0.1:23790', pid: 4242 },
      ...over,
    };
  },
  unavailable(target: string, t: number, reason = 'etcd not found on PATH', hint = 'apt-get install etcd-server'): TargetUnavailableEvent {
    return { ...base(target, t), kind: 'target-unavailable', reason, hint };
  },
  scenarioStart(target: string, t: number, scenario: string, over: Partial<ScenarioStartEvent> = {}): ScenarioStartEvent {
    return { ...base(target, t), kind: 'scenario-start', scenario, params: { clients: 10 }, totalOps: 1000, ...over };
  },
  progress(target: string, t: number, scenario: string, over: Partial<ProgressEvent> = {}): ProgressEvent {
    return {
      ...base(target, t),
      kind: 'progress',
      scenario,
      elapsedMs: 1000,
      done: 250,
      totalOps: 1000,
      windowOpsPerSec: 250,
      windowP50Ms: 2.5,
      windowP99Ms: 12.5,
      errors: 0,
      server: { pid: 4242, cpuPercent: 55.5, rssBytes: 120 * 1024 * 1024 },
      ...over,
    };
  },
  scenarioEnd(target: string, t: number, scenario: string, over: Partial<ScenarioEndEvent> = {}): ScenarioEndEvent {
    return {
      ...base(target, t),
      kind: 'scenario-end',
      scenario,
      status: 'passed',
      durationMs: 4000,
      ops: 1000,
      opsPerSec: 250,
      errors: { total: 0, byKind: {} },
      latency: { put: latency(2, 10), get: latency(1, 5) },
      series: [240, 250, 260, 250],
      checks: [{ name: 'read-your-write', ok: true, detail: '1000/1000 gets returned the value put' }],
      mix: { put: 0.5, get: 0.5 },
      grade: { grade: 'A', reason: 'p99 10 ms ≤ SLO 20 ms, 0 errors' },
      ...over,
    };
  },
  micro(target: string, t: number, engine: string, kase: string, opsPerSec: number): MicroResultEvent {
    return { ...base(target, t), kind: 'micro', engine, case: kase, opsPerSec, meanNs: 1e9 / opsPerSec, p99Ns: 3e9 / opsPerSec, samples: 1000 };
  },
  log(target: string, t: number, message: string, level: LogEvent['level'] = 'info'): LogEvent {
    return { ...base(target, t), kind: 'log', level, message };
  },
  runEnd(target: string, t: number, status: RunEndEvent['status'] = 'completed', over: Partial<RunEndEvent> = {}): RunEndEvent {
    return { ...base(target, t), kind: 'run-end', status, durationMs: 12_000, ...over };
  },
};

/** A latency summary with the given p50 and p99 (ms). */
export function latency(p50Ms: number, p99Ms: number, count = 1000): LatencySummary {
  return { count, meanMs: p50Ms * 1.2, p50Ms, p90Ms: (p50Ms + p99Ms) / 2, p99Ms, p999Ms: p99Ms * 1.5, maxMs: p99Ms * 2 };
}

const s = (n: number): number => T0 + n * 1000;

/** One target through all fixture scenarios (4 s each, 1 s progress), optionally stopping early. */
export function targetRun(target: string, startSec: number, opts: { scale?: number; stopAfter?: number; end?: RunEndEvent['status'] } = {}): RunnerEvent[] {
  const scale = opts.scale ?? 1;
  const out: RunnerEvent[] = [ev.runStart(target, s(startSec))];
  let sec = startSec;
  const stopAfter = opts.stopAfter ?? Infinity;
  let n = 0;
  for (const sc of FIXTURE_SCENARIOS) {
    out.push(ev.scenarioStart(target, s(sec), sc));
    for (let i = 1; i <= 4; i++) {
      if (n >= stopAfter) return out;
      out.push(ev.progress(target, s(sec + i), sc, { elapsedMs: i * 1000, done: i * 250, windowOpsPerSec: 250 * scale + i * 10 }));
      n++;
    }
    sec += 4;
    const failed = sc === 'mixed-workload' && target === 'rocksdb';
    out.push(
      ev.scenarioEnd(target, s(sec), sc, {
        opsPerSec: 250 * scale,
        status: failed ? 'failed' : 'passed',
        grade: failed ? { grade: 'F', reason: 'check failed: realised mix' } : { grade: 'A', reason: 'within SLO' },
        ...(failed ? { checks: [{ name: 'realised mix', ok: false, detail: 'GET 47% vs 40% ±2' }] } : {}),
      }),
    );
  }
  if (opts.end) out.push(ev.runEnd(target, s(sec), opts.end, { durationMs: (sec - startSec) * 1000 }));
  return out;
}

/** A finished sequential run: memory, then rocksdb (one failed scenario), then etcd. */
export function finishedRun(): RunnerEvent[] {
  return [...targetRun('memory', 0, { end: 'completed' }), ...targetRun('rocksdb', 12, { scale: 0.5, end: 'completed' }), ...targetRun('etcd', 24, { scale: 2, end: 'completed' })];
}

/** A live sequential run: memory finished, rocksdb in its second scenario. */
export function runningRun(): RunnerEvent[] {
  return [...targetRun('memory', 0, { end: 'completed' }), ...targetRun('rocksdb', 12, { scale: 0.5, stopAfter: 6 })];
}

/** A parallel run where rocksdb crashed mid-scenario while memory goes on. */
export function crashedRun(): RunnerEvent[] {
  const mem = targetRun('memory', 0, { stopAfter: 7 });
  const rock = targetRun('rocksdb', 0, { stopAfter: 2 });
  rock.push(ev.log('rocksdb', s(3), 'rocksdb: IO error: No space left on device', 'error'));
  rock.push(ev.runEnd('rocksdb', s(3), 'crashed', { durationMs: 3000, error: 'runner exited with code 1' }));
  return [...mem, ...rock].sort((a, b) => a.t - b.t);
}
