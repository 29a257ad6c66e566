/**
 * Coordinated-omission correction for the closed loop, in the style of HdrHistogram's
 * `recordValueWithExpectedInterval` and wrk2. A closed-loop worker issues its next operation only
 * when the last one answered, so a server that stalls for 3 s costs each worker one slow sample,
 * not the thousands of operations it would otherwise have issued: with 20 workers the stall is
 * 20 samples among many thousands and shows in max, never in p99.
 *
 * Worked example: a worker answering in E = 1 ms on average meets an operation that takes
 * L = 2000 ms. Besides the 2000 ms sample, the recorder adds the samples the loop failed to issue
 * during the stall — 1999, 1998, …, 1 ms (`floor(L/E) − 1` of them) — as a worker started every
 * E would have seen them.
 *
 * When it applies (the rule): only in the closed loop (the open loop already measures from the
 * intended start), only once the worker has a baseline ({@link CO_MIN_SAMPLES} answered
 * operations in the phase), and only for an operation longer than {@link CO_FACTOR} × E that
 * either hit its deadline (`opTimeoutMs`: the scenario itself calls that a stall) or took over
 * {@link CO_FLOOR_US} (1 s). The floor is what keeps a healthy run's figures as they were: a
 * closed loop's own tail (fsync batches, GC, a loaded host) is queueing the recorded samples
 * already show, and correcting it overcounts — 20 clients Putting for 6 s on a loaded host with
 * `--sync always` had p90 86 ms and max 249 ms, and a 100 ms floor added 1,854 samples to 9,523
 * there; with the 1 s floor it adds none. A SIGSTOPped server is corrected at its deadline.
 *
 * E is the worker's recent mean service time: an exponentially weighted mean (weight
 * {@link CO_EWMA_WEIGHT}) of its answered operations, each clamped to CO_FACTOR × E so that one
 * stall does not become the baseline that hides the next, while a lasting change of speed is
 * still followed within a few operations. Timed-out operations do not move it.
 */
import type { Histogram } from 'hdr-histogram-js';

/** An operation is a stall when it takes more than this many times the worker's mean. */
export const CO_FACTOR = 10;
/** …and either hits its deadline or takes more than this many µs (1 s). */
export const CO_FLOOR_US = 1_000_000;
/** Answered operations a worker needs in a phase before its mean is trusted. */
export const CO_MIN_SAMPLES = 8;
/** Weight of the newest operation in the worker's mean. */
export const CO_EWMA_WEIGHT = 1 / 8;
/**
 * Most distinct synthetic values recorded for one stall; beyond it the values are spread evenly
 * over the same range with counts that add up to the full number, so a long stall with a fast
 * baseline costs bounded time but keeps its weight.
 */
export const CO_MAX_VALUES = 2000;

/** One worker's expected interval between operations (its recent mean service time). */
export class ExpectedInterval {
  private meanUs = 0;
  private samples = 0;

  /** Feeds an answered operation's latency (µs). */
  observe(latencyUs: number): void {
    if (this.samples === 0) this.meanUs = latencyUs;
    else this.meanUs += CO_EWMA_WEIGHT * (Math.min(latencyUs, CO_FACTOR * this.meanUs) - this.meanUs);
    this.samples++;
  }

  /**
   * The interval (µs) to correct an operation of `latencyUs` with (`timedOut`: it hit its
   * deadline), or undefined when the rule (module comment) says it is not a stall.
   */
  stallInterval(latencyUs: number, timedOut: boolean): number | undefined {
    if (this.samples < CO_MIN_SAMPLES || !(this.meanUs > 0)) return undefined;
    return latencyUs > CO_FACTOR * this.meanUs && (timedOut || latencyUs > CO_FLOOR_US) ? this.meanUs : undefined;
  }
}

/** How many samples a stall of `latencyUs` adds at interval `expectedUs`: L−E, L−2E, … ≥ E. */
export function missedSamples(latencyUs: number, expectedUs: number): number {
  return expectedUs > 0 ? Math.max(0, Math.floor(latencyUs / expectedUs) - 1) : 0;
}

/**
 * Records into each of `into` the samples a stall of `latencyUs` kept the closed loop from
 * issuing at interval `expectedUs` (not the stalled operation itself). Returns how many.
 */
export function recordMissed(into: readonly Histogram[], latencyUs: number, expectedUs: number): number {
  const n = missedSamples(latencyUs, expectedUs);
  if (n === 0) return 0;
  const values = Math.min(n, CO_MAX_VALUES);
  // values ≤ n: value i (1-based) stands for the samples k in (n·(i−1)/values, n·i/values].
  for (let i = 1; i <= values; i++) {
    const k = Math.round((i * n) / values);
    const count = k - Math.round(((i - 1) * n) / values);
    if (count === 0) continue;
    const v = Math.max(1, Math.round(latencyUs - k * expectedUs));
    for (const h of into) h.recordValueWithCount(v, count);
  }
  return n;
}
