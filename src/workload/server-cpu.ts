/**
 * Server CPU over a scenario's measured phase: a Recorder that also reads the server's CPU time
 * (`ScenarioContext.serverCpuUs`) whenever measuring starts and stops, so the server's figure
 * covers exactly the spans the operations, the histograms and the runner's own CPU cover (warm-up
 * and verification reads excluded). `extra.serverCpuUsPerOp` is that time ÷ operations: what the
 * target spends per operation, a figure that still compares targets when the client or the
 * machine, not the server, limits throughput.
 */
import { Recorder, type RecorderOptions } from './recorder.ts';

/** A Recorder that meters the server's CPU time (µs) over its measured spans. */
export class ServerCpuRecorder extends Recorder {
  private spanStartUs: number | undefined;
  private totalUs = 0;
  private spans = 0;
  private broken = false;

  /** `read`: the server's CPU time so far in µs, undefined when it cannot be read. */
  constructor(
    opts: RecorderOptions,
    private readonly read: () => number | undefined,
  ) {
    super(opts);
  }

  override start(): void {
    if (!this.measuring) {
      this.spanStartUs = this.read();
      if (this.spanStartUs === undefined) this.broken = true;
    }
    super.start();
  }

  override stop(): void {
    if (this.measuring && this.spanStartUs !== undefined) {
      const end = this.read();
      if (end === undefined) this.broken = true;
      else {
        this.totalUs += end - this.spanStartUs;
        this.spans++;
      }
      this.spanStartUs = undefined;
    }
    super.stop();
  }

  /** The server's CPU µs over every measured span, or undefined when a span could not be read. */
  serverCpuTimeUs(): number | undefined {
    return this.broken || this.spans === 0 ? undefined : this.totalUs;
  }
}
