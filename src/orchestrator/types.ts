/**
 * What the orchestrator offers its callers (`metabench run`, the dashboard): start a run of one
 * runner child process per target, and a handle to watch or stop it. The events are read from
 * the run's files (`results/<run>/<target>.ndjson`) into the run's one store.
 */
import type { TargetSpec } from '../events/target.ts';
import type { ResolvedScenario } from '../../scenarios/schema.ts';
import type { ClientKind } from '../client/types.ts';
import type { RunManifest } from '../results/manifest.ts';
import type { RunStore } from '../state/run-store.ts';
import type { RunSummary } from '../views/summary.ts';

export type { TargetSpec } from '../events/target.ts';

/** Options of `startRun`; `metabench run` validates them from its flags first. */
export interface RunOptions {
  readonly targets: readonly TargetSpec[];
  /** Scenarios with resolved parameters, in run order (as loaded by `scenarios/loader.ts`). */
  readonly scenarios: readonly ResolvedScenario[];
  /** Also run the in-process engine micro-benchmarks (scenario name `micro`) on memory/rocksdb. */
  readonly micro: boolean;
  /** `quick`, `standard` or `soak`. */
  readonly profile: string;
  /** Seed of every random choice; same seed, same operation stream. */
  readonly seed: number;
  /** Run all targets at once (default false: one after another, DESIGN section 7.2). */
  readonly parallel: boolean;
  /** Folder that holds one folder per run (default `results`). */
  readonly resultsDir: string;
  /** Keep the servers' temporary data directories (default false). */
  readonly keepData: boolean;
  /**
   * `--repeat N`: how many times the whole suite runs (default 1). Each repeat runs every target
   * once, in target order (repeat 1: A, B, C; repeat 2: A, B, C; …), so drift over time hits every
   * target alike; each runs in a fresh runner with a fresh server and data directory.
   */
  readonly repeats?: number;
  /** `--cpu-prof`: folder for the runners' and Node servers' CPU profiles (absolute). */
  readonly cpuProfDir?: string;
  /** The load generator's client (`--client`; default `native`). */
  readonly client?: ClientKind;
  /** Test hook: a different runner entry script (default `src/runner/entry.js`). */
  readonly runnerEntry?: string;
  /** Test hook: extra environment for the runner children. */
  readonly runnerEnv?: Readonly<Record<string, string>>;
  /** Milliseconds a runner gets after SIGTERM before SIGKILL (default 15000). */
  readonly runnerKillGraceMs?: number;
}

/** How a run ended: 0 completed, 1 a scenario failed or a target crashed, 130 interrupted. */
export interface RunResult {
  readonly exitCode: number;
  /** The run's summary, built from its one store (what `summary.json` holds). */
  readonly summary: RunSummary;
}

/** A run in progress. */
export interface RunHandle {
  readonly runId: string;
  /** Absolute path of `results/<run-id>`. */
  readonly runDir: string;
  /** Target names in run order; each has `<runDir>/<name>.ndjson`. */
  readonly targets: readonly string[];
  readonly manifest: RunManifest;
  /** The run's one store (state and event batches), filled from the runners' files. */
  readonly store: RunStore;
  /** Interrupts the run (as Ctrl-C does) and resolves once every child has exited. */
  stop(): Promise<void>;
  /** Settles when every runner has exited and the reports are written. */
  readonly done: Promise<RunResult>;
}
