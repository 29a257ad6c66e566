/**
 * Optional keepalive: while calls are open, a PING every `intervalMs`; no ACK within
 * `timeoutMs` ends the connection, so a peer that went silent at the TCP level (no RST, no
 * FIN) fails long-lived streams that have no deadline instead of leaving them hanging.
 */
import { encodePing } from '../../../h2/index.ts';

/** What the keepalive needs from its connection. */
export interface KeepaliveTarget {
  /** Calls open now (PINGs are sent only while there are some). */
  readonly pendingCalls: number;
  /** Queues a frame. */
  send(frame: Buffer): void;
  /** Ends the connection. */
  lost(reason: Error): void;
}

/** See the module comment. */
export class Keepalive {
  private readonly interval: NodeJS.Timeout;
  private waiting: NodeJS.Timeout | undefined;
  private readonly payload = Buffer.alloc(8);
  private seq = 0;

  constructor(
    private readonly target: KeepaliveTarget,
    /** Milliseconds between PINGs. */
    intervalMs: number,
    /** Milliseconds to wait for the ACK. */
    private readonly timeoutMs: number,
  ) {
    this.interval = setInterval(() => this.tick(), intervalMs).unref();
  }

  private tick(): void {
    if (this.waiting !== undefined || this.target.pendingCalls === 0) return;
    this.payload.writeUInt32BE(++this.seq, 4);
    this.target.send(encodePing(this.payload));
    this.waiting = setTimeout(() => this.target.lost(new Error(`keepalive PING not answered within ${this.timeoutMs} ms`)), this.timeoutMs).unref();
  }

  /** A PING ACK arrived; ours if its octets match. */
  onAck(data: Buffer): void {
    if (this.waiting !== undefined && data.equals(this.payload)) {
      clearTimeout(this.waiting);
      this.waiting = undefined;
    }
  }

  /** Stops both timers. */
  stop(): void {
    clearInterval(this.interval);
    if (this.waiting !== undefined) clearTimeout(this.waiting);
    this.waiting = undefined;
  }
}
