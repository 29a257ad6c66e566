/**
 * The run's state: a pure fold of runner events (`src/events/schema.ts`) from any number of
 * targets. The live dashboard, `metabench monitor`, the plain / `--json` summary and the reports
 * all read runs through this one reducer, so nothing else holds the truth.
 *
 * ```ts
 * let state = initialRunState(manifest);          // manifest optional (run.json)
 * for (const ev of events) state = reduceRunState(state, ev);
 * state.targets.memory.status.state;              // 'running'
 * state.progress.total;                           // 0..1
 * ```
 *
 * The reducer never mutates its input and never reads the clock: every time figure comes from
 * event timestamps `t` (ms since the epoch), so replaying a file gives the same state as watching
 * it live. A runner that died without writing `run-end` is recorded by folding a synthetic
 * `run-end` event with status `crashed` (see `crashedEvent`).
 */
import { SCHEMA_VERSION, TargetKind as TargetKindSchema } from '../events/schema.ts';
import type {
  Grade,
  LatencySummary,
  LogEvent,
  MicroResultEvent,
  RunEndEvent,
  RunnerEvent,
  ScenarioEndEvent,
  ServerSample,
  TargetKind,
} from '../events/schema.ts';
import { computeRunProgress, scenarioProgressOf } from './progress.ts';

/** Most throughput points kept per target (one per second: ten minutes). */
export const MAX_THROUGHPUT_POINTS = 600;
/** Most log lines kept per target. */
export const MAX_LOG_LINES = 50;

/** Where a target is in its life. `waiting`: no event yet; `starting`: server up, no scenario yet. */
export type TargetStatus =
  | { readonly state: 'waiting' }
  | { readonly state: 'starting'; readonly sinceT: number }
  | { readonly state: 'running'; readonly sinceT: number }
  | { readonly state: 'completed'; readonly durationMs: number }
  | { readonly state: 'interrupted'; readonly durationMs: number; readonly error?: string }
  | { readonly state: 'crashed'; readonly durationMs: number; readonly error?: string }
  | { readonly state: 'unavailable'; readonly reason: string; readonly hint?: string };

/** Every value of `TargetStatus['state']`, in lifecycle order. */
export const TARGET_STATES = ['waiting', 'starting', 'running', 'completed', 'interrupted', 'crashed', 'unavailable'] as const;

/** Live figures of the running scenario, from its latest progress event. */
export interface ScenarioProgress {
  /** Time since the scenario started, ms. */
  readonly elapsedMs: number;
  /** Operations completed so far (warm-up excluded). */
  readonly done: number;
  /** Planned operations, when the scenario is bounded by a count. */
  readonly totalOps?: number;
  /** Planned duration in ms, when the scenario is bounded by time. */
  readonly durationMs?: number;
  /** Share done, 0..1: done/totalOps, else elapsed/duration, else 0. */
  readonly fraction: number;
  /** Estimated time left in ms; absent until it can be estimated. */
  readonly etaMs?: number;
  /** Throughput of the last 1 s window, operations per second. */
  readonly opsPerSec: number;
  /** Latency of the last window, ms. */
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Errors so far (all kinds). */
  readonly errors: number;
  /** Timestamp of the progress event. */
  readonly t: number;
}

/** One scenario of a target, in planned order. */
export type ScenarioRun =
  | { readonly state: 'queued'; readonly name: string }
  | {
      readonly state: 'running';
      readonly name: string;
      readonly startT: number;
      /** Resolved parameters (clients, ops, duration, mix, …). */
      readonly params: Readonly<Record<string, unknown>>;
      readonly totalOps?: number;
      readonly durationMs?: number;
      /** Absent until the first progress event. */
      readonly progress?: ScenarioProgress;
    }
  | {
      readonly state: 'passed' | 'failed';
      readonly name: string;
      readonly startT?: number;
      readonly params?: Readonly<Record<string, unknown>>;
      /** The final result: totals, latency per op type, checks, mix, grade. */
      readonly end: ScenarioEndEvent;
    }
  | {
      readonly state: 'aborted';
      readonly name: string;
      readonly startT?: number;
      readonly params?: Readonly<Record<string, unknown>>;
      /** Absent when the run ended (interrupt, crash) before the scenario could report. */
      readonly end?: ScenarioEndEvent;
      readonly reason?: string;
    };

/** Every value of `ScenarioRun['state']`. */
export const SCENARIO_STATES = ['queued', 'running', 'passed', 'failed', 'aborted'] as const;

/** One point of a target's throughput time series. */
export interface ThroughputPoint {
  /** Event timestamp, ms since the epoch. */
  readonly t: number;
  readonly opsPerSec: number;
  readonly scenario: string;
}

/** One log line of a target. */
export interface LogLine {
  readonly t: number;
  readonly level: LogEvent['level'];
  readonly message: string;
}

/** Everything known about one target. */
export interface TargetState {
  readonly name: string;
  readonly targetKind?: TargetKind;
  readonly status: TargetStatus;
  /** Where the target listens and its server process (absent for `endpoint` and before start). */
  readonly server?: { readonly address: string; readonly pid?: number; readonly version?: string };
  /** Newest CPU/RSS sample of the server process. */
  readonly sample?: ServerSample;
  readonly scenarios: readonly ScenarioRun[];
  /** Latest window figures, kept between scenarios until the next progress event. */
  readonly live?: ScenarioProgress & { readonly scenario: string };
  /** Throughput per second, oldest first, at most `MAX_THROUGHPUT_POINTS`. */
  readonly throughput: readonly ThroughputPoint[];
  readonly micro: readonly MicroResultEvent[];
  /** Newest last, at most `MAX_LOG_LINES`. */
  readonly logs: readonly LogLine[];
  /** First and latest event timestamps of this target. */
  readonly firstT?: number;
  readonly lastT?: number;
  /** Overall progress of this target, 0..1 (finished scenarios + share of the running one). */
  readonly progress: number;
  /** Estimated time left for this target in ms; absent when unknown. */
  readonly etaMs?: number;
}

/** Run-level derived figures. */
export interface RunProgress {
  /** Progress per target, 0..1, in `targetOrder`. */
  readonly perTarget: readonly { readonly target: string; readonly fraction: number }[];
  /** Mean progress over targets that can run (unavailable ones excluded), 0..1. */
  readonly total: number;
  /** Estimated time left for the whole run in ms; absent when unknown. */
  readonly etaMs?: number;
}

/** The whole run. */
export interface RunState {
  readonly runId?: string;
  readonly profile?: string;
  readonly seed?: number;
  /** The load generator's client (`native`, `etcd3`), from the manifest or run-start. */
  readonly client?: string;
  /** Targets in display order (manifest order, then order of first event). */
  readonly targetOrder: readonly string[];
  readonly targets: Readonly<Record<string, TargetState>>;
  /** Scenarios planned for every target (from the manifest), used for targets not yet started. */
  readonly plannedScenarios: readonly string[];
  /** True when targets run at the same time (from the manifest, or seen two running at once). */
  readonly parallel: boolean;
  /** Earliest and latest event timestamps, ms since the epoch. */
  readonly startT?: number;
  readonly lastT?: number;
  /** True once every target has reached a final status. */
  readonly finished: boolean;
  readonly progress: RunProgress;
}

/**
 * What `initialRunState` takes from a run manifest (`run.json`). Structural and lenient: every
 * field optional, targets and scenarios as names or objects with a `name`.
 */
export interface RunManifestLike {
  readonly runId?: string;
  readonly profile?: string;
  readonly seed?: number;
  readonly client?: string;
  /** Names, or objects with the name and (as `run.json` writes it) the target's kind. */
  readonly targets?: readonly (string | { readonly name: string; readonly kind?: string })[];
  readonly scenarios?: readonly (string | { readonly name: string })[];
  readonly parallel?: boolean;
  /** As written in `run.json`; `parallel` wins when both are given. */
  readonly mode?: 'sequential' | 'parallel';
}

const FINAL_TARGET_STATES: ReadonlySet<TargetStatus['state']> = new Set(['completed', 'interrupted', 'crashed', 'unavailable']);

/** True when a target will emit nothing more. */
export function isTargetFinal(status: TargetStatus): boolean {
  return FINAL_TARGET_STATES.has(status.state);
}

/** True when the scenario has finished (passed, failed or aborted). */
export function isScenarioFinal(s: ScenarioRun): s is Extract<ScenarioRun, { state: 'passed' | 'failed' | 'aborted' }> {
  return s.state === 'passed' || s.state === 'failed' || s.state === 'aborted';
}

const nameOf = (x: string | { readonly name: string }): string => (typeof x === 'string' ? x : x.name);

/** A manifest target's kind when it is one this version knows (an unknown kind is left unset). */
function kindOf(x: string | { readonly name: string; readonly kind?: string }): TargetKind | undefined {
  if (typeof x === 'string') return undefined;
  const res = TargetKindSchema.safeParse(x.kind);
  return res.success ? res.data : undefined;
}

/** A target before any event: `waiting`, its scenarios queued; `kind` from the manifest when known. */
export function emptyTarget(name: string, planned: readonly string[] = [], kind?: TargetKind): TargetState {
  return {
    name,
    ...(kind !== undefined ? { targetKind: kind } : {}),
    status: { state: 'waiting' },
    scenarios: planned.map((s) => ({ state: 'queued', name: s })),
    throughput: [],
    micro: [],
    logs: [],
    progress: 0,
  };
}

/** The state before any event; with a manifest, its targets are listed as `waiting`. */
export function initialRunState(manifest?: RunManifestLike): RunState {
  const planned = (manifest?.scenarios ?? []).map(nameOf);
  const order = (manifest?.targets ?? []).map(nameOf);
  const targets: Record<string, TargetState> = {};
  for (const t of manifest?.targets ?? []) targets[nameOf(t)] = emptyTarget(nameOf(t), planned, kindOf(t));
  const base: RunState = {
    runId: manifest?.runId,
    profile: manifest?.profile,
    seed: manifest?.seed,
    client: manifest?.client,
    targetOrder: order,
    targets,
    plannedScenarios: planned,
    parallel: manifest?.parallel ?? manifest?.mode === 'parallel',
    finished: false,
    progress: { perTarget: [], total: 0 },
  };
  return withDerived(base);
}

/** Folds one event into the state; returns a new state and leaves the old one untouched. */
export function reduceRunState(state: RunState, event: RunnerEvent): RunState {
  const known = state.targets[event.target];
  const before = known ?? emptyTarget(event.target, state.plannedScenarios);
  const target = reduceTarget(touch(before, event.t), event);
  let next: RunState = {
    ...state,
    targetOrder: known ? state.targetOrder : [...state.targetOrder, event.target],
    targets: { ...state.targets, [event.target]: target },
    startT: state.startT === undefined ? event.t : Math.min(state.startT, event.t),
    lastT: state.lastT === undefined ? event.t : Math.max(state.lastT, event.t),
  };
  if (event.kind === 'run-start') {
    next = { ...next, runId: next.runId ?? event.runId, profile: next.profile ?? event.profile, seed: next.seed ?? event.seed, client: next.client ?? event.client };
  }
  if (!next.parallel && target.status.state === 'running') {
    const others = Object.values(next.targets).some((o) => o.name !== target.name && (o.status.state === 'running' || o.status.state === 'starting'));
    if (others) next = { ...next, parallel: true };
  }
  return withDerived(next);
}

/** Folds a sequence of events (a replay). */
export function reduceRunEvents(state: RunState, events: Iterable<RunnerEvent>): RunState {
  let s = state;
  for (const e of events) s = reduceRunState(s, e);
  return s;
}

/**
 * A `run-end` event with status `crashed` for a target whose runner died without writing one
 * (the orchestrator or monitor saw the process exit). `t` in ms since the epoch.
 */
export function crashedEvent(target: string, t: number, error: string, startT = t): RunEndEvent {
  return { v: SCHEMA_VERSION, t, target, kind: 'run-end', status: 'crashed', durationMs: Math.max(0, t - startT), error };
}

function touch(t: TargetState, at: number): TargetState {
  return {
    ...t,
    firstT: t.firstT === undefined ? at : Math.min(t.firstT, at),
    lastT: t.lastT === undefined ? at : Math.max(t.lastT, at),
  };
}

function reduceTarget(t: TargetState, e: RunnerEvent): TargetState {
  switch (e.kind) {
    case 'run-start': {
      // run-start carries the authoritative scenario list; keep whatever already happened.
      const byName = new Map(t.scenarios.map((s) => [s.name, s]));
      const listed = e.scenarios.map((n) => byName.get(n) ?? ({ state: 'queued', name: n } as const));
      const extra = t.scenarios.filter((s) => !e.scenarios.includes(s.name));
      return {
        ...t,
        targetKind: e.targetKind,
        server: e.server,
        status: isTargetFinal(t.status) ? t.status : { state: 'starting', sinceT: e.t },
        scenarios: [...listed, ...extra],
      };
    }
    case 'target-unavailable':
      return { ...t, status: { state: 'unavailable', reason: e.reason, hint: e.hint } };
    case 'scenario-start': {
      const run: ScenarioRun = { state: 'running', name: e.scenario, startT: e.t, params: e.params, totalOps: e.totalOps, durationMs: e.durationMs };
      return {
        ...t,
        status: isTargetFinal(t.status) ? t.status : { state: 'running', sinceT: t.status.state === 'running' ? t.status.sinceT : e.t },
        scenarios: upsertScenario(t.scenarios, run),
      };
    }
    case 'progress': {
      const prev = t.scenarios.find((s) => s.name === e.scenario);
      const progress = scenarioProgressOf(e);
      const running: ScenarioRun =
        prev?.state === 'running'
          ? { ...prev, progress, totalOps: e.totalOps ?? prev.totalOps, durationMs: e.durationMs ?? prev.durationMs }
          : { state: 'running', name: e.scenario, startT: e.t - e.elapsedMs, params: {}, totalOps: e.totalOps, durationMs: e.durationMs, progress };
      // A late progress line after the scenario ended must not reopen it.
      const scenarios = prev && isScenarioFinal(prev) ? t.scenarios : upsertScenario(t.scenarios, running);
      const point: ThroughputPoint = { t: e.t, opsPerSec: e.windowOpsPerSec, scenario: e.scenario };
      return {
        ...t,
        status: t.status.state === 'waiting' || t.status.state === 'starting' ? { state: 'running', sinceT: e.t } : t.status,
        sample: e.server ?? t.sample,
        scenarios,
        live: { ...progress, scenario: e.scenario },
        throughput: bounded(t.throughput, point, MAX_THROUGHPUT_POINTS),
      };
    }
    case 'scenario-end': {
      const prev = t.scenarios.find((s) => s.name === e.scenario);
      const startT = prev?.state === 'running' ? prev.startT : e.t - e.durationMs;
      const params = prev && prev.state !== 'queued' ? prev.params : undefined;
      const done: ScenarioRun =
        e.status === 'aborted'
          ? { state: 'aborted', name: e.scenario, startT, params, end: e, reason: e.error }
          : { state: e.status, name: e.scenario, startT, params, end: e };
      return { ...t, scenarios: upsertScenario(t.scenarios, done) };
    }
    case 'micro':
      return { ...t, micro: [...t.micro.filter((m) => m.engine !== e.engine || m.case !== e.case), e] };
    case 'log':
      return { ...t, logs: bounded(t.logs, { t: e.t, level: e.level, message: e.message }, MAX_LOG_LINES) };
    case 'run-end': {
      const reason = e.status === 'completed' ? undefined : `run ${e.status}`;
      const scenarios = t.scenarios.map((s): ScenarioRun =>
        s.state === 'running' ? { state: 'aborted', name: s.name, startT: s.startT, params: s.params, reason: e.error ?? reason } : s,
      );
      if (t.status.state === 'unavailable') return { ...t, scenarios };
      const status: TargetStatus =
        e.status === 'completed' ? { state: 'completed', durationMs: e.durationMs } : { state: e.status, durationMs: e.durationMs, error: e.error };
      return { ...t, status, scenarios };
    }
  }
}

function upsertScenario(list: readonly ScenarioRun[], s: ScenarioRun): readonly ScenarioRun[] {
  const i = list.findIndex((x) => x.name === s.name);
  if (i < 0) return [...list, s];
  const copy = list.slice();
  copy[i] = s;
  return copy;
}

function bounded<T>(list: readonly T[], item: T, max: number): readonly T[] {
  const next = list.length >= max ? list.slice(list.length - max + 1) : list.slice();
  next.push(item);
  return next;
}

function withDerived(s: RunState): RunState {
  const { targets, progress } = computeRunProgress(s);
  const finished = s.targetOrder.length > 0 && s.targetOrder.every((n) => isTargetFinal(s.targets[n].status));
  return { ...s, targets, progress, finished };
}

/** The scenario currently running on a target, if any. */
export function runningScenario(t: TargetState): Extract<ScenarioRun, { state: 'running' }> | undefined {
  for (const s of t.scenarios) if (s.state === 'running') return s;
  return undefined;
}

/** Final results of a target's finished scenarios, in planned order. */
export function scenarioResults(t: TargetState): readonly ScenarioEndEvent[] {
  const out: ScenarioEndEvent[] = [];
  for (const s of t.scenarios) if (isScenarioFinal(s) && s.end) out.push(s.end);
  return out;
}

export type { Grade, LatencySummary, ScenarioEndEvent, MicroResultEvent, RunnerEvent };
