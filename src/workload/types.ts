/**
 * The contract between the runner (which owns a target and its result file) and the workloads
 * (which drive load and verify correctness). A workload gets a context, emits progress events
 * through it, and returns the scenario's outcome; the runner stamps and writes the events.
 */
import type { ClientKind, ConnectOptions, StoreClient } from '../client/types.ts';
import type { ScenarioEndEvent, TargetKind } from '../events/schema.ts';
import type { ScenarioIo } from './scenario-io.ts';
import type { ClientThreadPool } from './threads.ts';

/** What a workload is given: the target, its clients, the seed, the signal, and (`ScenarioIo`) where events go. */
export interface ScenarioContext extends ScenarioIo {
  /** Target name as shown to users (`memory`, `rocksdb`, `etcd`, `endpoint`, `noop`). */
  readonly target: string;
  readonly targetKind: TargetKind;
  /** Which client implementation the run uses (`--client`, default `native`). */
  readonly clientKind: ClientKind;
  /** How clients reach the target (hosts, TLS, auth); client threads connect with these. */
  readonly clientOptions: ConnectOptions;
  /** Opens a client (one connection) of `clientKind`; the workload closes what it opens. */
  connect(): Promise<StoreClient>;
  /** The run's seed; same seed, same operation stream. */
  readonly seed: number;
  /** Aborted on Ctrl-C / SIGTERM: stop issuing operations, return promptly. */
  readonly signal: AbortSignal;
  /**
   * CPU time (user + system) the server process has used so far, in µs, when the runner started
   * it and can read it (absent or undefined otherwise: `endpoint`, or no /proc and no sample yet).
   */
  serverCpuUs?(): number | undefined;
  /** `--cpu-prof DIR`: client threads write their CPU profiles there. */
  readonly cpuProfDir?: string;
  /**
   * The runner's client threads, kept warm across scenarios (the runner closes them). Absent: a
   * scenario with `clientThreads` > 1 starts its own and closes them at its end.
   */
  readonly clientThreads?: ClientThreadPool;
}

/** What a workload reports at the end (the runner adds v, t, target, grade). */
export type ScenarioOutcome = Omit<ScenarioEndEvent, 'v' | 't' | 'target' | 'kind' | 'grade'>;
