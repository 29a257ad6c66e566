/**
 * One HTTP/2 stream of the raw transport, as a gRPC call (`../h2-call.ts`) sees it: a
 * `CallStream` (`respond`, `write`, `end`, `sendTrailers`, `destroy`) that tells its call what
 * happens by calling the call's `CallEvents` directly (no EventEmitter, no listener per call),
 * on top of the connection's frame writer (`connection.ts`), which owns flow control and the
 * socket.
 *
 * Response bytes wait here while the stream's or the connection's send window is shut; `write`
 * returns false once more than `highWaterBytes` wait (here or in the socket) and 'drain'
 * follows when they went out, so a client that does not read slows its producer down.
 */
import type http2 from 'node:http2';
import type { CallEvents, CallStream } from '../h2-call-stream.ts';

/** What a stream needs from its connection. */
export interface StreamOwner {
  /** Queues HEADERS (+ CONTINUATION) for `headers` on stream `id`. */
  sendHeaders(id: number, headers: http2.OutgoingHttpHeaders, endStream: boolean): void;
  /** Sends as much of `stream`'s pending data as the windows allow. */
  pump(stream: RawStream): void;
  /** Resets stream `id` with `code` and forgets it. */
  reset(id: number, code: number): void;
  /** Bytes in the socket not yet handed to the kernel. */
  readonly socketBacklog: number;
  /** The stream is done both ways: forget it. */
  closed(stream: RawStream): void;
}

/** See the file comment. */
export class RawStream implements CallStream {
  /** Response bytes not yet framed (waiting for window). */
  pending: Buffer[] = [];
  pendingBytes = 0;
  /** END_STREAM (or trailers) after the pending bytes. */
  endAfterPending = false;
  /** Trailers to send once the pending bytes are out. */
  trailersAfterPending: http2.OutgoingHttpHeaders | undefined;
  /** What we may still send on this stream (the peer's window for it). */
  sendWindow: number;
  /** What the peer may still send us before we update its window. */
  recvWindow: number;
  /** Received bytes not yet given back with WINDOW_UPDATE. */
  recvUnacked = 0;
  /** The peer ended its side (END_STREAM seen). */
  remoteEnded = false;
  /** Our side ended (END_STREAM sent or queued). */
  localEnded = false;
  destroyed = false;
  closed = false;
  private waitForTrailers = false;
  private wantDrain = false;
  private events: CallEvents | undefined;

  constructor(
    readonly id: number,
    private readonly owner: StreamOwner,
    sendWindow: number,
    recvWindow: number,
    private readonly highWaterBytes: number,
  ) {
    this.sendWindow = sendWindow;
    this.recvWindow = recvWindow;
  }

  attach(events: CallEvents): void {
    this.events = events;
  }

  get writableLength(): number {
    return this.pendingBytes + this.owner.socketBacklog;
  }

  respond(headers: http2.OutgoingHttpHeaders, opts: { endStream?: boolean; waitForTrailers?: boolean }): void {
    if (this.localEnded || this.destroyed) return;
    this.waitForTrailers = opts.waitForTrailers === true;
    if (opts.endStream) this.localEnded = true;
    this.owner.sendHeaders(this.id, headers, opts.endStream === true);
    if (opts.endStream) this.finishLocal();
  }

  write(chunk: Buffer): boolean {
    if (this.localEnded || this.destroyed) return true;
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    this.owner.pump(this);
    if (this.writableLength < this.highWaterBytes) return true;
    this.wantDrain = true;
    return false;
  }

  end(chunk?: Buffer): this {
    if (this.localEnded || this.destroyed) return this;
    if (chunk !== undefined && chunk.length > 0) {
      this.pending.push(chunk);
      this.pendingBytes += chunk.length;
    }
    this.localEnded = true;
    if (this.waitForTrailers) {
      // node:http2 asks for trailers once the data is written; the call answers at once.
      this.events?.onWantTrailers();
    } else {
      this.endAfterPending = true;
    }
    this.owner.pump(this);
    return this;
  }

  sendTrailers(headers: http2.OutgoingHttpHeaders): void {
    if (this.destroyed) return;
    this.trailersAfterPending = headers;
  }

  /**
   * Called once our END_STREAM is framed. A peer that has not ended its side by then gets
   * RST_STREAM NO_ERROR (as grpc-go does), so a finished call never holds a stream slot.
   */
  finishLocal(): void {
    if (!this.remoteEnded) this.owner.reset(this.id, 0x0);
    this.close();
  }

  /** The connection framed some pending bytes: tell a waiting writer when the backlog is low. */
  maybeDrain(): void {
    if (this.wantDrain && this.writableLength < this.highWaterBytes) {
      this.wantDrain = false;
      this.events?.onStreamDrain();
    }
  }

  /** Data from the peer. */
  receive(data: Buffer, endStream: boolean): void {
    if (data.length > 0) this.events?.onStreamData(data);
    if (endStream) this.remoteEnd();
  }

  remoteEnd(): void {
    if (this.remoteEnded) return;
    this.remoteEnded = true;
    this.events?.onStreamEnd();
  }

  /** Resets the stream (CANCEL) and closes it; the call sees 'close' without a status sent. */
  destroy(): this {
    if (this.destroyed) return this;
    this.destroyed = true;
    this.owner.reset(this.id, 0x8);
    this.close();
    return this;
  }

  /** Closed from the connection's side (peer reset, connection gone). */
  abort(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.close();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.pending = [];
    this.pendingBytes = 0;
    this.owner.closed(this);
    this.events?.onStreamClose();
  }
}
