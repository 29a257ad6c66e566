/**
 * Messages between the runner's main thread and its client threads (`threads.ts` ↔
 * `thread-main.ts`). A thread records nothing itself: it ships what the load loop reports
 * (operations started, latencies, failures by kind) in batches, and the scenario's one Recorder
 * in the main thread replays them, so histograms, one-second windows and errors are the same
 * figures a single thread would have produced.
 */
import type { ClientKind, ConnectOptions } from '../client/types.ts';
import type { ResolvedParams } from '../../scenarios/schema.ts';
import type { PhaseOptions, Tally } from './phase.ts';

/** What a client thread is started with (`workerData`). */
export interface ThreadData {
  /** Write this thread's CPU profile here when it closes (`--cpu-prof`). */
  readonly cpuProfile?: string;
}

/** A scenario's use of a thread: its share of the clients and what the phases need. */
export interface ThreadScenario {
  /** 0-based thread number within the scenario and how many it uses. */
  readonly index: number;
  readonly count: number;
  /** The run's client (`--client`) and how it reaches the target. */
  readonly clientKind: ClientKind;
  readonly clientOptions: ConnectOptions;
  /** Connections this thread opens for the scenario (its clients share them). */
  readonly connections: number;
  readonly params: ResolvedParams;
  readonly seed: number;
  readonly runTag: string;
}

/** Main → thread. */
export type ToThread =
  | { readonly t: 'open'; readonly scenario: ThreadScenario }
  | { readonly t: 'phase'; readonly id: number; readonly name: string; readonly args: unknown; readonly opts: PhaseOptions }
  | { readonly t: 'abort' }
  /** The scenario is over: close its connections. */
  | { readonly t: 'release' }
  /** The runner is done: write the profile and end. */
  | { readonly t: 'close' };

/**
 * Entry codes in a batch's `entries`: quadruples (code, type id, latency µs, stall interval µs —
 * the worker's expected interval when the operation stalled it, 0 otherwise; see
 * `coordinated-omission.ts`).
 */
export const ENTRY_OP = 0;
export const ENTRY_LATENCY = 1;
/** Numbers per entry. */
export const ENTRY_FIELDS = 4;

/** Thread → main. */
export type FromThread =
  | { readonly t: 'ready' }
  /** The scenario's connections are up, or `error` says why they are not. */
  | { readonly t: 'opened'; readonly error?: string }
  | { readonly t: 'released' }
  /** The thread's load loop started measuring (after its warm-up). */
  | { readonly t: 'start'; readonly id: number }
  | {
      readonly t: 'batch';
      readonly id: number;
      /** Type names first used in this batch; ids continue from the previous batches. */
      readonly newTypes: string[];
      /** Quadruples (ENTRY_OP | ENTRY_LATENCY, type id, latency µs, stall interval µs or 0). */
      readonly entries: Float64Array;
      readonly started: number;
      readonly late: number;
      /** Failed operations by error kind. */
      readonly failed: Record<string, number>;
    }
  | { readonly t: 'done'; readonly id: number; readonly tally?: Tally; readonly error?: string }
  | { readonly t: 'closed' };
