/**
 * A load phase's primitives: its definition by name, its tally, how it is driven. Apart from the
 * workload contract (`kit.ts`, which names the scenario context) because client threads
 * (`threads.ts`, `thread-protocol.ts`) use them too, and the context names the thread pool.
 */
import type { ResolvedParams } from '../../scenarios/schema.ts';
import type { DriveOptions, Op } from './driver.ts';
import type { OpSink } from './recorder.ts';

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
