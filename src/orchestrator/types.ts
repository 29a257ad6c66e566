/**
 * What the orchestrator offers its callers (`metabench run`, the dashboard): start a run of one
 * runner child process per target, and a handle to watch or stop it. The events themselves are
 * read from the run's files (`results/<run>/<target>.ndjson`) by whoever shows them.
 */
import type { ClientKind } from '../client/types.ts';
import type { TargetKind } from '../events/schema.ts';
import type { RunManifest } from '../results/manifest.ts';

/** One target of a run, as chosen on the command line. */
export interface TargetSpec {
  /** Name shown to users and used for the result file (`<name>.ndjson`). */
  readonly name: string;
  readonly kind: TargetKind;
  /** `endpoint` only: `host:port` of each member. */
  readonly endpoints?: readonly string[];
  /** `endpoint` only: TLS files (paths) and credentials. */
  readonly tls?: { readonly cacert?: string; readonly cert?: string; readonly key?: string };
  readonly auth?: { readonly user: string; readonly password: string };
}

/** Options of `startRun`; `metabench run` validates them from its flags first. */
export interface RunOptions {
  readonly targets: readonly TargetSpec[];
  /** Scenarios with resolved parameters, in run order (as loaded by `scenarios/loader.ts`). */
  readonly scenarios: readonly unknown[];
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
}

/** A run in progress. */
export interface RunHandle {
  readonly runId: string;
  /** Absolute path of `results/<run-id>`. */
  readonly runDir: string;
  /** Target names in run order; each has `<runDir>/<name>.ndjson`. */
  readonly targets: readonly string[];
  readonly manifest: RunManifest;
  /** Interrupts the run (as Ctrl-C does) and resolves once every child has exited. */
  stop(): Promise<void>;
  /** Settles when every runner has exited and the reports are written. */
  readonly done: Promise<RunResult>;
}
