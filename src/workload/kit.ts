/**
 * What every workload implementation gets and gives back, and small helpers they share.
 */
import type { StoreClient } from '../client/types.ts';
import type { Check } from '../events/schema.ts';
import type { ResolvedParams, ResolvedScenario } from '../../scenarios/schema.ts';
import type { DriveOptions, Op } from './driver.ts';
import type { OpSink, Recorder } from './recorder.ts';
import type { ScenarioContext } from './types.ts';

/**
 * What a load phase counts for its checks, besides the recorder's figures: plain numbers, strings
 * and Float64Arrays, so that client threads can send theirs back and the runner add them up
 * (numbers and arrays add; a string keeps the first non-empty one, e.g. the first mismatch).
 */
export type Tally = Record<string, number | string | Float64Array>;

/** What a phase's operation may use: no closures over the main thread, so a client thread can build it. */
export interface PhaseEnv {
  readonly params: ResolvedParams;
  /** The run's seed (values, keys); the drive options carry the random streams' seed. */
  readonly seed: number;
  readonly runTag: string;
  readonly rec: OpSink;
}

/**
 * One load phase of a workload, defined by name so a client thread can look it up
 * (`phases.ts`): a fresh tally and the operation, which counts into the tally it is given.
 * `args` must be structured-cloneable.
 */
export interface PhaseDef<A, T extends Tally> {
  readonly name: string;
  tally(params: ResolvedParams): T;
  op(env: PhaseEnv, args: A, tally: T): Op;
}

/** How to drive a phase: the driver's options without the signal (the scenario's) and shard. */
export type PhaseOptions = Omit<DriveOptions, 'signal' | 'shard'>;

/** The driver options of a closed- or open-loop phase, from the scenario's parameters. */
export function loopOptions(p: ResolvedParams, seed: number): PhaseOptions {
  return { clients: p.clients, opsPerClient: p.opsPerClient, durationMs: p.durationMs, warmupMs: p.warmupMs, rate: p.rate, lateThresholdMs: p.lateThresholdMs, opTimeoutMs: p.opTimeoutMs, seed };
}

/** Adds tally `from` into `into` (see {@link Tally}). */
export function mergeTally<T extends Tally>(into: T, from: T): T {
  const out = into as Tally;
  for (const [k, v] of Object.entries(from)) {
    const cur = out[k];
    if (typeof v === 'number') out[k] = (typeof cur === 'number' ? cur : 0) + v;
    else if (typeof v === 'string') out[k] = typeof cur === 'string' && cur !== '' ? cur : v;
    else if (cur instanceof Float64Array) for (let i = 0; i < v.length; i++) cur[i] = (cur[i] ?? 0) + (v[i] ?? 0);
    else out[k] = Float64Array.from(v);
  }
  return into;
}

/** The environment of one workload run. */
export interface WorkloadRun {
  readonly scenario: ResolvedScenario;
  readonly params: ResolvedParams;
  readonly ctx: ScenarioContext;
  readonly rec: Recorder;
  /** `params.connections` clients from `ctx.connect()`; closed by `runScenario`. */
  readonly pool: readonly StoreClient[];
  /** Unique per run, for keys that must not meet an earlier run's (watch, txn). */
  readonly runTag: string;
  /** The SLOs for this target kind (thresholds some checks use). */
  readonly slo: Record<string, number>;
  /**
   * Drives one load phase into `rec` and returns its tally: on `pool` in this thread, or spread
   * over the scenario's client threads (`clientThreads` > 1), each with its own connections,
   * their tallies added up and their operations recorded here.
   */
  phase<A, T extends Tally>(def: PhaseDef<A, T>, args: A, opts: PhaseOptions): Promise<T>;
}

/** What a workload reports besides the recorder's figures. */
export interface WorkloadResult {
  checks: Check[];
  /** Realised share of each operation type, 0..1. */
  mix?: Record<string, number>;
  /** Scenario-specific figures. */
  extra?: Record<string, number>;
}

/** A workload implementation. */
export type Workload = (run: WorkloadRun) => Promise<WorkloadResult>;

/** A value of exactly `size` bytes (ASCII) that starts with `tag`, so each written value is distinguishable. */
export function makeValue(tag: string, size: number): string {
  if (tag.length >= size) return tag;
  return tag + '.'.repeat(size - tag.length);
}

/** A check with its detail line. */
export function check(name: string, ok: boolean, detail: string): Check {
  return { name, ok, detail };
}

/** Formats an integer with thousands separators for check details. */
export function n(x: number): string {
  return Math.round(x).toLocaleString('en-US');
}
