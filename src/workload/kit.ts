/**
 * What every workload implementation gets and gives back, and small helpers they share (the
 * load-phase primitives, `phase.ts`, are re-exported here for them).
 */
import type { StoreClient } from '../client/types.ts';
import type { Check } from '../events/schema.ts';
import type { ResolvedParams, ResolvedScenario } from '../../scenarios/schema.ts';
import type { PhaseDef, PhaseOptions, Tally } from './phase.ts';
import type { Recorder } from './recorder.ts';
import type { ScenarioContext } from './types.ts';

export { loopOptions, mergeTally, type PhaseDef, type PhaseEnv, type PhaseOptions, type Tally } from './phase.ts';

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
