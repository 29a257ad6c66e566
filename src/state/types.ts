/**
 * The shapes of a run's folded state (`RunState` and its parts), declared apart from the reducer
 * (`run-state.ts`) and the progress arithmetic (`progress.ts`) so both read them without
 * importing each other.
 */
import type { LogEvent, MicroResultEvent, ScenarioEndEvent, ServerSample, TargetKind } from '../events/schema.ts';
import type { ScenarioSeries } from './series.ts';

/** Most log lines kept per target. */
export const MAX_LOG_LINES = 50;

/**
 * Where a target is in its life. `waiting`: no event yet, or (runs with repeats) a repeat done
 * and the next not started; `starting`: server up, no scenario yet.
 */
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
      /** Runs with repeats: the scenario-ends of the earlier repeats (see `repeats` below). */
      readonly repeats?: readonly ScenarioEndEvent[];
    }
  | {
      readonly state: 'passed' | 'failed';
      readonly name: string;
      readonly startT?: number;
      readonly params?: Readonly<Record<string, unknown>>;
      /**
       * The final result: totals, latency per op type, checks, mix, grade. With repeats, the
       * median over them (`combineRepeats` in `repeats.ts`), graded on those medians.
       */
      readonly end: ScenarioEndEvent;
      /**
       * Runs with repeats (`--repeat N`): the scenario-end of every repeat so far, in repeat
       * order, each with its `repeat` index. Absent in runs of one repeat.
       */
      readonly repeats?: readonly ScenarioEndEvent[];
    }
  | {
      readonly state: 'aborted';
      readonly name: string;
      readonly startT?: number;
      readonly params?: Readonly<Record<string, unknown>>;
      /**
       * Absent when the run ended (interrupt, crash) before the scenario could report. With
       * repeats, when a later repeat was cut off: the median of the repeats that reported,
       * status `aborted`.
       */
      readonly end?: ScenarioEndEvent;
      readonly reason?: string;
      /** As for a finished scenario: the scenario-ends of the repeats that reported. */
      readonly repeats?: readonly ScenarioEndEvent[];
    };

/** Every value of `ScenarioRun['state']`. */
export const SCENARIO_STATES = ['queued', 'running', 'passed', 'failed', 'aborted'] as const;

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
  /** Highest CPU % and RSS bytes of any sample so far (what a stopped server's panel still shows). */
  readonly peakSample?: { readonly cpuPercent: number; readonly rssBytes: number };
  readonly scenarios: readonly ScenarioRun[];
  /** Latest window figures, kept between scenarios until the next progress event. */
  readonly live?: ScenarioProgress & { readonly scenario: string };
  /**
   * Throughput per scenario run, in the order they started, each bounded (`series.ts`): what the
   * dashboard chart draws. Absent until the first progress event.
   */
  readonly series?: readonly ScenarioSeries[];
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
  /** Runs with repeats: the repeat the target is in, or last finished (1-based; absent = 1). */
  readonly repeat?: number;
  /** Runs with repeats: timestamp of the first event of the current repeat. */
  readonly repeatFirstT?: number;
  /** Runs with repeats: duration (ms, from each run-end) of every repeat that completed. */
  readonly finishedRepeatsMs?: readonly number[];
}

/**
 * A scenario's planned size, from the manifest (`plannedSize` of `workload/planned-size.ts`, and
 * its warm-up): what the ETA of a scenario that has not started yet is estimated from.
 */
export interface ScenarioPlan {
  /** Planned operations, when bounded by a count. */
  readonly totalOps?: number;
  /** Planned measured duration in ms, when bounded by time. */
  readonly durationMs?: number;
  /** Warm-up before the measured part, ms. */
  readonly warmupMs?: number;
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
  /**
   * Target kinds with their own SLO per scenario (a `sloByTarget` entry in the scenario file, from
   * the manifest): the views mark those cells, since their grade is not judged by the common SLO.
   */
  readonly ownSloKinds?: Readonly<Record<string, readonly string[]>>;
  /** The planned size of each scenario (from the manifest), by name: the ETA of queued scenarios. */
  readonly scenarioPlans?: Readonly<Record<string, ScenarioPlan>>;
  /** True when targets run at the same time (from the manifest, or seen two running at once). */
  readonly parallel: boolean;
  /** How many times each target runs the suite (`--repeat`, from the manifest; default 1). */
  readonly repeats?: number;
  /** Earliest and latest event timestamps, ms since the epoch. */
  readonly startT?: number;
  readonly lastT?: number;
  /** True once every target has reached a final status. */
  readonly finished: boolean;
  readonly progress: RunProgress;
}

/**
 * What the reducer knows before any event: the targets (names, with their kinds when known) and
 * scenarios planned, profile, seed and mode. `planOf` takes it from a run's manifest (`run.json`);
 * tests and replays may give names only. Every field optional.
 */
export interface RunPlan {
  readonly runId?: string;
  readonly profile?: string;
  readonly seed?: number;
  readonly client?: string;
  /** Names, or objects with the name and (as `run.json` writes it) the target's kind. */
  readonly targets?: readonly (string | { readonly name: string; readonly kind?: string })[];
  readonly scenarios?: readonly (string | { readonly name: string; readonly sloByTarget?: Readonly<Record<string, object | undefined>>; readonly plan?: ScenarioPlan })[];
  readonly parallel?: boolean;
  /** Repeats of the suite (`--repeat`); default 1. */
  readonly repeats?: number;
  /** As written in `run.json`; `parallel` wins when both are given. */
  readonly mode?: 'sequential' | 'parallel';
}

const FINAL_TARGET_STATES: ReadonlySet<TargetStatus['state']> = new Set(['completed', 'interrupted', 'crashed', 'unavailable']);

/** True when a target will emit nothing more. */
export function isTargetFinal(status: TargetStatus): boolean {
  return FINAL_TARGET_STATES.has(status.state);
}

/**
 * True when the scenario never started and never will: still `queued` while its target has
 * ended (interrupted, crashed, unavailable, or completed without reaching it). Views show it as
 * "not run" instead of queued.
 */
export function isScenarioNotRun(target: Pick<TargetState, 'status'>, s: ScenarioRun): boolean {
  return s.state === 'queued' && isTargetFinal(target.status);
}

/**
 * True when the target's server process is known to be gone: the target ended (the runner stops
 * its server at the end and on interrupt; a crashed runner's server is reaped). Its last CPU/RSS
 * sample is history, not a live figure.
 */
export function isServerStopped(target: Pick<TargetState, 'status' | 'server'>): boolean {
  const st = target.status.state;
  // Waiting with a server known: its earlier repeat's server, stopped at that repeat's end.
  return st === 'completed' || st === 'interrupted' || st === 'crashed' || (st === 'waiting' && target.server !== undefined);
}

/** True when the scenario has finished (passed, failed or aborted). */
export function isScenarioFinal(s: ScenarioRun): s is Extract<ScenarioRun, { state: 'passed' | 'failed' | 'aborted' }> {
  return s.state === 'passed' || s.state === 'failed' || s.state === 'aborted';
}

