/**
 * Measurement for one scenario: HDR histograms per operation type (microsecond resolution,
 * reported in ms), one-second windows (a `progress` event each), errors by kind, and the
 * per-second series. Memory is fixed by the number of op types and seconds, never by the number
 * of operations.
 */
import * as hdr from 'hdr-histogram-js';
import type { Histogram } from 'hdr-histogram-js';
import type { LatencySummary } from '../events/schema.ts';
import { recordMissed } from './coordinated-omission.ts';
import { errorKind, OpTimeoutError } from './errors.ts';
import type { ScenarioIo } from './scenario-io.ts';

/** Options of a {@link Recorder}. */
export interface RecorderOptions {
  scenario: string;
  ctx: ScenarioIo;
  /** Planned operations (ops-bounded scenarios), for progress. */
  totalOps?: number;
  /** Planned duration in ms (time-bounded scenarios), for progress. */
  durationMs?: number;
  /** Progress window in ms. Default 1000. */
  windowMs?: number;
}

/** Monotonic clock in microseconds (fractional). */
export function nowUs(): number {
  return performance.now() * 1000;
}

function newHistogram(): Histogram {
  // 1 µs .. 1 h at 3 significant digits; auto-resize guards against a pathological stall.
  return hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: 3 });
}

/**
 * What the load loop records into: the {@link Recorder} itself, or a client thread's forwarding
 * sink (`thread-main.ts`) that ships the same calls to the recorder in the runner's main thread.
 */
export interface OpSink {
  /** False during warm-up: nothing is recorded. */
  readonly measuring: boolean;
  /** Open loop: operations that started later than intended. */
  lateOps: number;
  start(): void;
  started(): void;
  /**
   * A finished operation of `latencyUs`. With `stallIntervalUs` (closed loop, the operation
   * stalled its worker; see `coordinated-omission.ts`), the samples L−E, L−2E, … ≥ E the loop
   * failed to issue are recorded too.
   */
  succeeded(type: string, latencyUs: number, stallIntervalUs?: number): void;
  failed(err: unknown): void;
  /** A latency without an operation (a sub-step, or a timed-out op); `stallIntervalUs` as above. */
  latency(type: string, latencyUs: number, stallIntervalUs?: number): void;
}

/** Records operations of one scenario; see the module comment. */
export class Recorder implements OpSink {
  private readonly hist = new Map<string, Histogram>();
  /** Measured samples per type (the histogram's count less the corrected ones). */
  private readonly measured = new Map<string, number>();
  private readonly window = newHistogram();
  private readonly byKind: Record<string, number> = {};
  private readonly seriesOps: number[] = [];
  private ticker: NodeJS.Timeout | undefined;
  private startUs = 0;
  private endUs = 0;
  private windowStartUs = 0;
  private windowOps = 0;
  private cpuAtStart: NodeJS.CpuUsage | undefined;
  private cpuUs = 0;
  /** Operations started while measuring (the denominator of error rates). */
  attempted = 0;
  /** Operations finished (succeeded or failed) while measuring. */
  done = 0;
  /** Failed operations while measuring. */
  errors = 0;
  /** Open loop: operations that started later than intended. */
  lateOps = 0;
  /** False during warm-up: nothing is recorded. */
  measuring = false;
  /** Samples added by coordinated-omission correction (`coordinated-omission.ts`). */
  correctedSamples = 0;

  constructor(private readonly opts: RecorderOptions) {}

  /**
   * Starts measuring and the one-second progress ticker. A second `start` (a scenario's next
   * phase) resumes: elapsed time, totals and the series go on from where `stop` left them.
   */
  start(): void {
    if (this.measuring) return;
    const now = nowUs();
    if (this.startUs === 0) this.startUs = now;
    else this.startUs += now - this.endUs; // the pause between phases is not measured time
    this.windowStartUs = now;
    this.measuring = true;
    this.cpuAtStart = process.cpuUsage();
    this.ticker = setInterval(() => this.flushWindow(), this.opts.windowMs ?? 1000);
    this.ticker.unref?.();
  }

  /** Stops measuring; the partial last window joins the series if it saw any operation. */
  stop(): void {
    if (!this.measuring) return;
    this.endUs = nowUs();
    this.measuring = false;
    const cpu = process.cpuUsage(this.cpuAtStart);
    this.cpuUs += cpu.user + cpu.system;
    if (this.ticker) clearInterval(this.ticker);
    this.ticker = undefined;
    if (this.windowOps > 0) this.seriesOps.push(this.windowOps);
    this.windowOps = 0;
    this.window.reset();
  }

  /** Counts an operation as started. */
  started(): void {
    if (this.measuring) this.attempted++;
  }

  /** A finished operation: counts it and records its latency (µs) under `type`. */
  succeeded(type: string, latencyUs: number, stallIntervalUs?: number): void {
    if (!this.measuring) return;
    this.done++;
    this.windowOps++;
    const v = Math.max(1, Math.round(latencyUs));
    const h = this.histogramOf(type);
    h.recordValue(v);
    this.window.recordValue(v);
    this.countMeasured(type);
    if (stallIntervalUs !== undefined) this.correctedSamples += recordMissed([h, this.window], latencyUs, stallIntervalUs);
  }

  /**
   * A failed operation: counts it as done and as an error of its kind. One that timed out also
   * counts in the window's latency at its deadline, so a stall shows in the progress p99 (the
   * driver records it in the scenario's histogram, where it knows the operation's type).
   */
  failed(err: unknown): void {
    this.failedAs(errorKind(err), 1);
    if (this.measuring && err instanceof OpTimeoutError) this.window.recordValue(Math.max(1, Math.round(err.timeoutMs * 1000)));
  }

  /** Counts `n` operations as started (a client thread's batch). */
  startedMany(n: number): void {
    if (this.measuring) this.attempted += n;
  }

  /** `n` failed operations of an already classified kind (a client thread's batch). */
  failedAs(kind: string, n: number): void {
    if (!this.measuring) return;
    this.done += n;
    this.windowOps += n;
    this.errors += n;
    this.byKind[kind] = (this.byKind[kind] ?? 0) + n;
  }

  /** Records a latency (µs) without counting an operation (sub-steps such as the Get of a pair). */
  latency(type: string, latencyUs: number, stallIntervalUs?: number): void {
    if (!this.measuring) return;
    const h = this.histogramOf(type);
    h.recordValue(Math.max(1, Math.round(latencyUs)));
    this.countMeasured(type);
    if (stallIntervalUs !== undefined) this.correctedSamples += recordMissed([h, this.window], latencyUs, stallIntervalUs);
  }

  /** Elapsed measuring time in ms. */
  elapsedMs(): number {
    return ((this.measuring ? nowUs() : this.endUs) - this.startUs) / 1000;
  }

  /**
   * CPU time of the whole runner process (every thread: the load loop, client threads, gRPC,
   * recording) while measuring, in µs. Per operation it is what the load generator costs; near
   * one core per thread, the generator is the bottleneck.
   */
  cpuTimeUs(): number {
    if (!this.measuring || !this.cpuAtStart) return this.cpuUs;
    const cpu = process.cpuUsage(this.cpuAtStart);
    return this.cpuUs + cpu.user + cpu.system;
  }

  /** Operations completed in each one-second window so far. */
  series(): number[] {
    return [...this.seriesOps];
  }

  /**
   * Per-type latency summaries in ms. Mean and percentiles include the corrected samples; `count`
   * is the samples measured (operations, timed-out ones included), not the synthetic ones.
   */
  latencies(): Record<string, LatencySummary> {
    const out: Record<string, LatencySummary> = {};
    for (const [type, h] of this.hist) out[type] = { ...summarize(h), count: this.measured.get(type) ?? 0 };
    return out;
  }

  /** Errors by kind so far. */
  errorsByKind(): Record<string, number> {
    return { ...this.byKind };
  }

  /** Frees the histograms (the WebAssembly variant needs it; harmless for the JS one). */
  destroy(): void {
    this.stop();
    for (const h of this.hist.values()) h.destroy();
    this.window.destroy();
  }

  private countMeasured(type: string): void {
    this.measured.set(type, (this.measured.get(type) ?? 0) + 1);
  }

  private histogramOf(type: string): Histogram {
    let h = this.hist.get(type);
    if (!h) {
      h = newHistogram();
      this.hist.set(type, h);
    }
    return h;
  }

  private flushWindow(): void {
    const now = nowUs();
    const seconds = (now - this.windowStartUs) / 1e6;
    const windowEmpty = this.window.totalCount === 0;
    this.seriesOps.push(this.windowOps);
    this.opts.ctx.emit({
      kind: 'progress',
      scenario: this.opts.scenario,
      elapsedMs: Math.round((now - this.startUs) / 1000),
      done: this.done,
      ...(this.opts.totalOps !== undefined ? { totalOps: this.opts.totalOps } : {}),
      ...(this.opts.durationMs !== undefined ? { durationMs: this.opts.durationMs } : {}),
      windowOpsPerSec: seconds > 0 ? round(this.windowOps / seconds, 1) : 0,
      windowP50Ms: windowEmpty ? 0 : round(this.window.getValueAtPercentile(50) / 1000, 3),
      windowP99Ms: windowEmpty ? 0 : round(this.window.getValueAtPercentile(99) / 1000, 3),
      errors: this.errors,
      ...withServer(this.opts.ctx.serverSample()),
    });
    this.windowOps = 0;
    this.window.reset();
    this.windowStartUs = now;
  }
}

function withServer(s: ReturnType<ScenarioIo['serverSample']>): { server?: NonNullable<typeof s> } {
  return s ? { server: s } : {};
}

/** Summary of a histogram of µs values, in ms. */
export function summarize(h: Histogram): LatencySummary {
  const ms = (us: number): number => round(us / 1000, 3);
  return {
    count: h.totalCount,
    meanMs: ms(h.mean),
    p50Ms: ms(h.getValueAtPercentile(50)),
    p90Ms: ms(h.getValueAtPercentile(90)),
    p99Ms: ms(h.getValueAtPercentile(99)),
    p999Ms: ms(h.getValueAtPercentile(99.9)),
    maxMs: ms(h.maxValue),
  };
}

/** Rounds to `digits` decimals. */
export function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
