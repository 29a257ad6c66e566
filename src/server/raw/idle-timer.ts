/**
 * A connection's idle timeout without a timer per call: the connection says when it became idle
 * (`idle()`, its last stream closed) and busy again (`busy()`, a stream opened), which only sets
 * a field; one timer runs while the connection is idle-capable and, when it fires early (the
 * connection was busy in between), is re-armed for what remains of the timeout.
 *
 * Example, timeout 1000 ms: idle at t=0 arms the timer for t=1000; busy at t=200 and idle again
 * at t=700 just move `idleSince`; at t=1000 the timer sees 300 ms of idleness and re-arms for
 * t=1700, where it fires `onTimeout`.
 */

/** See the file comment. */
export class IdleTimer {
  private timer: NodeJS.Timeout | undefined;
  /** When the connection last became idle (Date.now() ms); undefined while busy. */
  private idleSince: number | undefined;
  private stopped = false;
  private readonly check = (): void => this.fire();

  /**
   * @param timeoutMs idle time after which `onTimeout` runs, ms.
   * @param onTimeout called once, when the connection has been idle for `timeoutMs`.
   */
  constructor(
    private readonly timeoutMs: number,
    private readonly onTimeout: () => void,
  ) {}

  /** The connection has no open stream from now on. */
  idle(): void {
    if (this.stopped || this.idleSince !== undefined) return;
    this.idleSince = Date.now();
    if (this.timer === undefined) this.timer = setTimeout(this.check, this.timeoutMs);
  }

  /** A stream opened: not idle. The timer keeps running and re-checks when it fires. */
  busy(): void {
    this.idleSince = undefined;
  }

  /** No more timeouts (the connection is gone). */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private fire(): void {
    this.timer = undefined;
    if (this.stopped || this.idleSince === undefined) return;
    const left = this.idleSince + this.timeoutMs - Date.now();
    if (left > 1) {
      this.timer = setTimeout(this.check, left);
      return;
    }
    this.stopped = true;
    this.onTimeout();
  }
}
