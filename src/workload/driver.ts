/**
 * The load loop: `clients` workers over a pool of connections, each issuing operations one after
 * another (closed loop, the seed's model) or at intended start times derived from a fixed total
 * `rate` (open loop: latency counts from the intended start, so a slow server cannot hide its
 * queueing — coordinated omission — and late starts are counted).
 *
 * Worked example of the open-loop schedule: rate 1000 ops/s over 4 clients gives a global slot
 * every 1 ms; client 1 owns slots 1, 5, 9, … so its op `seq` is intended at start + (1 + 4·seq) ms.
 * If client 1's previous op is still running at that time, the next one starts late and its
 * latency includes the wait.
 *
 * With client threads (`shard`), each thread drives only its share of the clients — client `i`
 * belongs to thread `i % count` — keeping the global client index, random stream and schedule,
 * so the operation stream is the same whatever the number of threads.
 */
import { setMaxListeners } from 'node:events';
import type { StoreClient } from '../client/types.ts';
import { ExpectedInterval } from './coordinated-omission.ts';
import { OpTimeoutError } from './errors.ts';
import { createRng, type Rng } from './prng.ts';
import { nowUs, type OpSink } from './recorder.ts';

/** One load-generating worker. */
export interface Worker {
  /** 0-based client index. */
  readonly index: number;
  /** The connection this worker uses (shared when connections < clients). */
  readonly client: StoreClient;
  /** The worker's own random stream (independent of scheduling). */
  readonly rng: Rng;
}

/**
 * One operation. `seq` counts this worker's operations of the phase from 0; `warmup` is true
 * during warm-up (use other keys if that matters). Returns the latency type to record the whole
 * operation under (e.g. `put`, `put-get`); throws to count an error.
 */
export type Op = (w: Worker, seq: number, warmup: boolean) => Promise<string>;

/** How to drive a phase. */
export interface DriveOptions {
  clients: number;
  /** Operations per client (ops-bounded); exclusive with `durationMs`. */
  opsPerClient?: number;
  /**
   * Operations in total, shared by the workers (each takes the next index); `seq` is then that
   * global index. Exclusive with `opsPerClient`.
   */
  totalOps?: number;
  /** Measured duration in ms (time-bounded). */
  durationMs?: number;
  /** Warm-up duration in ms, not recorded. Default 0. */
  warmupMs?: number;
  /** Total ops/s across clients: open loop. Absent = closed loop. */
  rate?: number;
  /** An open-loop op starting more than this many ms after its intended time is late. Default 1. */
  lateThresholdMs?: number;
  /** Per-operation deadline in ms. Default 30000. */
  opTimeoutMs?: number;
  /** Stops the phase promptly: in-flight operations are abandoned. */
  signal: AbortSignal;
  /** Seed of the workers' random streams. */
  seed: number;
  /**
   * This thread's share of the clients (client threads): clients `i` with `i % count === index`;
   * with `totalOps`, the indices `index, index + count, …`. Absent: all of them.
   */
  shard?: { index: number; count: number };
}

/**
 * Latency type of a timed-out operation when no operation of the phase has answered yet (the
 * type is what an operation returns, so a phase that never got an answer has none).
 */
export const TIMEOUT_TYPE = 'timed-out';

/**
 * True for an operation that ran out of time: the driver's own deadline ({@link OpTimeoutError}),
 * or the client's (gRPC DEADLINE_EXCEEDED, code 4, from either client).
 */
export function isTimeout(err: unknown): boolean {
  if (err instanceof OpTimeoutError) return true;
  if (!(err instanceof Error)) return false;
  const e = err as Error & { code?: unknown };
  return (e.name === 'StoreError' && e.code === 4) || e.constructor.name === 'GRPCDeadlineExceededError';
}

/** Thrown into abandoned operations when the signal aborts. */
class Abandoned extends Error {}

/** A worker's in-flight operation, which the watchdog can fail (timeout) or abandon (abort). */
interface Slot {
  startMs: number;
  reject: ((e: Error) => void) | undefined;
}

/**
 * Runs warm-up (unrecorded) then the measured phase, recording into `rec`, which it starts (or
 * keeps running, for a scenario's second phase); the caller stops it when its load is over, so
 * that verification reads are not measured. Resolves when every worker finished or the signal
 * aborted.
 */
export async function drive(rec: OpSink, pool: readonly StoreClient[], opts: DriveOptions, op: Op): Promise<void> {
  if (pool.length === 0) throw new Error('drive: no connections');
  const slots: Slot[] = Array.from({ length: opts.clients }, () => ({ startMs: 0, reject: undefined }));
  const timeoutMs = opts.opTimeoutMs ?? 30_000;
  // One listener on the caller's signal; the many sleeping open-loop workers listen to ours.
  const inner = new AbortController();
  setMaxListeners(0, inner.signal);
  const onAbort = (): void => {
    inner.abort();
    for (const s of slots) s.reject?.(new Abandoned('aborted'));
  };
  if (opts.signal.aborted) inner.abort();
  opts.signal.addEventListener('abort', onAbort, { once: true });
  // One watchdog for all workers instead of a timer per operation.
  const watchdog = setInterval(() => {
    const now = performance.now();
    for (const s of slots) {
      if (s.reject && now - s.startMs > timeoutMs) s.reject(new OpTimeoutError('operation', timeoutMs));
    }
  }, Math.min(250, timeoutMs));
  // Kept referenced on purpose: a hung operation may be the only thing left on the event loop.
  try {
    const own = { ...opts, signal: inner.signal };
    if ((opts.warmupMs ?? 0) > 0 && !inner.signal.aborted) {
      await phase(rec, pool, slots, own, op, true);
    }
    rec.start();
    await phase(rec, pool, slots, own, op, false);
  } finally {
    clearInterval(watchdog);
    opts.signal.removeEventListener('abort', onAbort);
  }
}

function guarded<T>(slot: Slot, p: Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    slot.startMs = performance.now();
    slot.reject = reject;
    p.then(resolve, reject);
  }).finally(() => {
    slot.reject = undefined;
  });
}

async function phase(rec: OpSink, pool: readonly StoreClient[], slots: Slot[], opts: DriveOptions, op: Op, warmup: boolean): Promise<void> {
  const startUs = nowUs();
  const limitUs = warmup ? (opts.warmupMs ?? 0) * 1000 : opts.durationMs !== undefined ? opts.durationMs * 1000 : Infinity;
  const maxOps = warmup ? Infinity : (opts.opsPerClient ?? Infinity);
  const shared = !warmup && opts.totalOps !== undefined;
  const shard = opts.shard ?? { index: 0, count: 1 };
  let nextIndex = 0;
  const intervalUs = opts.rate ? 1e6 / opts.rate : 0;
  const lateUs = (opts.lateThresholdMs ?? 1) * 1000;
  const { signal, clients } = opts;
  const types: { last?: string } = {};

  const worker = async (index: number): Promise<void> => {
    // Warm-up draws from its own streams so the measured stream is the same whatever warm-up did.
    const local = Math.floor(index / shard.count);
    const w: Worker = { index, client: pool[local % pool.length] as StoreClient, rng: createRng(opts.seed, warmup ? clients + index : index) };
    const slot = slots[index] as Slot;
    // The type a timed-out operation is recorded under: this worker's last answered one.
    let lastType: string | undefined;
    // Closed loop: this worker's mean service time, to correct a stall (coordinated-omission.ts).
    const expected = intervalUs > 0 ? undefined : new ExpectedInterval();
    for (let own = 0; own < maxOps; own++) {
      if (signal.aborted) return;
      const seq = shared ? shard.index + shard.count * nextIndex++ : own;
      if (shared && seq >= (opts.totalOps as number)) return;
      let fromUs: number;
      if (intervalUs > 0) {
        const slotNo = shared ? seq : index + seq * clients;
        const intendedUs = startUs + slotNo * intervalUs;
        if (intendedUs - startUs >= limitUs) return;
        const waitMs = (intendedUs - nowUs()) / 1000;
        if (waitMs > 0.5) await sleep(waitMs, signal);
        if (signal.aborted) return;
        if (nowUs() - intendedUs > lateUs && !warmup) rec.lateOps++;
        fromUs = intendedUs;
      } else {
        if (nowUs() - startUs >= limitUs) return;
        fromUs = nowUs();
      }
      rec.started();
      try {
        const type = await guarded(slot, op(w, seq, warmup));
        const latencyUs = nowUs() - fromUs;
        rec.succeeded(type, latencyUs, expected?.stallInterval(latencyUs, false));
        expected?.observe(latencyUs);
        lastType = type;
        types.last = type;
      } catch (err) {
        if (err instanceof Abandoned || signal.aborted) return;
        rec.failed(err);
        // A timed-out operation is a latency too (as YCSB and k6 count it): left out, a stalled
        // server would show only in the error count while p99 kept the fast answers before it.
        if (isTimeout(err)) {
          const latencyUs = nowUs() - fromUs;
          rec.latency(lastType ?? types.last ?? TIMEOUT_TYPE, latencyUs, expected?.stallInterval(latencyUs, true));
        }
      }
    }
  };
  const mine: number[] = [];
  for (let i = shard.index; i < clients; i += shard.count) mine.push(i);
  await Promise.all(mine.map((i) => worker(i)));
}

/** Resolves after `ms` or when the signal aborts, whichever is first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = (): void => {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const t = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/**
 * A single call outside the load loop (watch creation, Compact, Status) with the same deadline
 * and abort behaviour as loop operations: rejects with OpTimeoutError after `timeoutMs`, or with
 * an Error `<what>: aborted` when the signal aborts.
 */
export function bounded<T>(what: string, p: Promise<T>, timeoutMs: number, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => finish(() => reject(new Error(`${what}: aborted`)));
    const timer = setTimeout(() => finish(() => reject(new OpTimeoutError(what, timeoutMs))), timeoutMs);
    const finish = (settle: () => void): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      settle();
    };
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => finish(() => resolve(v)),
      (e: unknown) => finish(() => reject(e)),
    );
  });
}
