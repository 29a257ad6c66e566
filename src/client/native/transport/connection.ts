/**
 * One HTTP/2 client connection carrying gRPC calls: the preface and SETTINGS exchange, stream
 * ids, MAX_CONCURRENT_STREAMS (calls beyond it wait in order), flow control both ways, and the
 * end of the connection (GOAWAY, socket loss, protocol errors, `close()`), where every call
 * still open is failed with a `StoreError` — none is left pending.
 *
 * Frames from the server are handled in `inbound.ts`; this file owns the state and the
 * outbound side. All writes of a tick are coalesced by the `Outbox`.
 *
 * Failures: calls the server never saw (still waiting for a stream, or above a GOAWAY's last
 * stream id, or refused with REFUSED_STREAM) fail `Unavailable` with `retryable: true`; calls
 * in flight when the connection breaks fail `Unavailable`, not retryable.
 */
import type { Socket } from 'node:net';
import {
  CLIENT_PREFACE,
  DEFAULT_INITIAL_WINDOW_SIZE,
  defaultSettings,
  encodeGoaway,
  encodeRstStream,
  encodeSettingsFrame,
  encodeWindowUpdate,
  ErrorCode,
  errorCodeName,
  FrameParser,
  H2Error,
  HpackDecoder,
  MAX_STREAM_ID,
  type Settings,
} from '../../../h2/index.ts';
import { GrpcCode, StoreError } from '../../types.ts';
import type { Call, CallOwner } from './call.ts';
import { grpcFrame } from '../grpc-message.ts';
import { Inbound } from './inbound.ts';
import { Keepalive, type KeepaliveTarget } from './keepalive.ts';
import { CLOSE_GRACE_MS, CONNECTION_WINDOW, MAX_HEADER_LIST_BYTES, STREAM_WINDOW } from './limits.ts';
import { DEFAULT_MAX_MESSAGE_BYTES } from './message-reader.ts';
import { Outbound } from './outbound.ts';
import { Outbox } from './outbox.ts';
import type { ConnectionCore } from './connection-core.ts';


/** How a `Connection` is set up. */
export interface ConnectionOptions {
  /** `:authority` of every request (`host:port`). */
  readonly authority: string;
  /** `http` for h2c, `https` over TLS. */
  readonly scheme: 'http' | 'https';
  /** First stream id to use (odd); default 1. Tests start near 2^31 to reach id exhaustion. */
  readonly firstStreamId?: number;
  /** Largest response message (octets); default 256 MiB. */
  readonly maxMessageBytes?: number;
  /** Keepalive PING interval while calls are open (milliseconds); default off. */
  readonly keepaliveMs?: number;
  /** How long to wait for a keepalive PING's ACK (milliseconds); default `keepaliveMs`. */
  readonly keepaliveTimeoutMs?: number;
}

/** Lifecycle: `connecting` until the server's SETTINGS, `draining` after GOAWAY (no new calls). */
export type ConnectionState = 'connecting' | 'open' | 'draining' | 'closed';

/** See the module comment. */
export class Connection implements CallOwner, KeepaliveTarget, ConnectionCore {
  state: ConnectionState = 'connecting';
  /** The server's settings as received so far. */
  readonly peer: Settings = defaultSettings();
  readonly streams = new Map<number, Call>();
  readonly decoder = new HpackDecoder({ maxHeaderListBytes: MAX_HEADER_LIST_BYTES });
  readonly out: Outbox;
  /** Octets we may still send on the connection / the server may still send us. */
  sendWindow = DEFAULT_INITIAL_WINDOW_SIZE;
  recvWindow = CONNECTION_WINDOW;
  recvUnacked = 0;
  nextStreamId: number;
  /** Why the connection ended (for messages); set once. */
  endReason: Error | undefined;
  readonly maxMessageBytes: number;
  private readonly waiting: Call[] = [];
  /** Replaced by a newer connection: its waiting calls still start here (they have ids reserved). */
  private retired = false;
  private readonly parser: FrameParser;
  /** DATA and HEADERS going out, within the flow-control windows. */
  readonly outbound: Outbound;
  /** PINGs while calls are open, if asked for. */
  readonly keepalive: Keepalive | undefined;
  private readyResolve: (() => void) | undefined;
  private readyReject: ((err: Error) => void) | undefined;
  /** Resolves once the server's first SETTINGS arrived. */
  readonly ready: Promise<void>;
  private readonly closed: Promise<void>;
  private readonly onDeadline = (call: Call) => this.finish(call, new StoreError(GrpcCode.DeadlineExceeded, `${call.path}: deadline exceeded`), ErrorCode.CANCEL);

  constructor(
    readonly socket: Socket,
    readonly opts: ConnectionOptions,
  ) {
    this.nextStreamId = opts.firstStreamId ?? 1;
    this.maxMessageBytes = opts.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
    this.out = new Outbox(socket);
    this.outbound = new Outbound(this);
    this.parser = new FrameParser(new Inbound(this), { maxHeaderBlockBytes: MAX_HEADER_LIST_BYTES });
    this.ready = new Promise<void>((resolve, reject) => {
      this.readyResolve = resolve;
      this.readyReject = reject;
    });
    this.ready.catch(() => undefined); // observed by whoever awaits it; a failed dial is reported there
    this.closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.on('data', (chunk: Buffer) => this.onChunk(chunk));
    socket.on('error', (err) => {
      this.endReason ??= err;
    });
    socket.on('close', () => this.fail(this.endReason ?? new Error('the server closed the connection')));
    this.out.add(CLIENT_PREFACE);
    this.out.add(encodeSettingsFrame({ enablePush: false, initialWindowSize: STREAM_WINDOW, maxHeaderListSize: MAX_HEADER_LIST_BYTES }));
    this.out.add(encodeWindowUpdate(0, CONNECTION_WINDOW - DEFAULT_INITIAL_WINDOW_SIZE));
    if (opts.keepaliveMs !== undefined) {
      this.keepalive = new Keepalive(this, opts.keepaliveMs, opts.keepaliveTimeoutMs ?? opts.keepaliveMs);
    }
  }

  /** True while new calls may be started here (open, and stream ids left for them). */
  get accepting(): boolean {
    return this.state === 'open' && this.nextStreamId + 2 * this.waiting.length <= MAX_STREAM_ID;
  }

  /** KeepaliveTarget: queues a frame. */
  send(frame: Buffer): void {
    this.out.add(frame);
  }

  /** KeepaliveTarget: the peer went silent. */
  lost(reason: Error): void {
    this.fail(reason);
  }

  /** Calls started and not ended, plus calls waiting for a stream. */
  get pendingCalls(): number {
    return this.streams.size + this.waiting.length;
  }

  /**
   * Starts a call (or queues it beyond MAX_CONCURRENT_STREAMS). `message`, if given, is the
   * first message (a unary request: set `call.endAfterQueue` first).
   */
  submit(call: Call, message: Uint8Array | undefined, timeoutMs: number | undefined): void {
    if (this.state !== 'open') {
      this.settle(call, new StoreError(GrpcCode.Unavailable, `${call.path}: connection ${this.state === 'draining' ? 'is draining (GOAWAY received)' : 'is closed'}`, { retryable: true, cause: this.endReason }));
      return;
    }
    if (call.cancelRequested) {
      this.settle(call, new StoreError(GrpcCode.Cancelled, `${call.path}: cancelled by the client`));
      return;
    }
    if (timeoutMs !== undefined) {
      if (timeoutMs <= 0) {
        this.settle(call, new StoreError(GrpcCode.DeadlineExceeded, `${call.path}: deadline exceeded before the call started`));
        return;
      }
      call.timer = setTimeout(this.onDeadline, timeoutMs, call);
    }
    if (call.signal) {
      if (call.signal.aborted) {
        this.settle(call, new StoreError(GrpcCode.Cancelled, `${call.path}: cancelled`, { cause: call.signal.reason }));
        return;
      }
      call.abort = () => this.finish(call, new StoreError(GrpcCode.Cancelled, `${call.path}: cancelled`, { cause: call.signal?.reason }), ErrorCode.CANCEL);
      call.signal.addEventListener('abort', call.abort, { once: true });
    }
    call.firstMessage = message;
    if (this.streams.size >= this.peer.maxConcurrentStreams || this.waiting.length > 0) this.waiting.push(call);
    else this.start(call);
  }

  /** Opens the stream of `call`: HEADERS now (ids must go out in order), DATA as windows allow. */
  private start(call: Call): void {
    if (this.nextStreamId > MAX_STREAM_ID) {
      this.settle(call, new StoreError(GrpcCode.Unavailable, `${call.path}: stream ids of this connection are exhausted`, { retryable: true }));
      return;
    }
    const id = this.nextStreamId;
    this.nextStreamId += 2;
    call.id = id;
    call.sendWindow = this.peer.initialWindowSize;
    call.recvWindow = STREAM_WINDOW;
    this.streams.set(id, call);
    this.outbound.start(call);
  }

  /** CallOwner: a stream's message. */
  writeMessage(call: Call, message: Uint8Array): void {
    call.queue.push(grpcFrame(message));
    if (call.id !== 0) this.outbound.pump(call);
  }

  /** CallOwner: a stream's half-close. */
  endCall(call: Call): void {
    call.endAfterQueue = true;
    if (call.id !== 0) this.outbound.pump(call);
  }

  /** CallOwner: a stream's cancel. */
  cancelCall(call: Call): void {
    this.finish(call, new StoreError(GrpcCode.Cancelled, `${call.path}: cancelled by the client`), ErrorCode.CANCEL);
  }

  /**
   * Ends `call` (no error: success) and frees its stream; `rstCode` resets the stream first
   * when the server may still be sending on it.
   */
  finish(call: Call, err: StoreError | undefined, rstCode?: number): void {
    if (call.done) return;
    if (call.id !== 0 && this.streams.get(call.id) === call) {
      if (rstCode !== undefined && !call.remoteEnded && this.state !== 'closed') this.out.add(encodeRstStream(call.id, rstCode));
      else if (!call.localEnded && this.state !== 'closed') this.out.add(encodeRstStream(call.id, ErrorCode.CANCEL));
      this.closeStream(call);
    } else {
      const i = this.waiting.indexOf(call);
      if (i >= 0) this.waiting.splice(i, 1);
    }
    this.settle(call, err);
  }

  /** Tells the call's owner (promise or handlers) and drops its timer and listener. */
  private settle(call: Call, err: StoreError | undefined): void {
    if (call.done) return;
    call.done = true;
    call.queue.length = 0;
    if (call.timer !== undefined) clearTimeout(call.timer);
    if (call.abort) call.signal?.removeEventListener('abort', call.abort);
    if (call.handlers) {
      // never inside the caller's own stream()/cancel()/write(): the etcd layer may not hold the stream yet
      const handlers = call.handlers;
      queueMicrotask(() => handlers.onEnd(err));
    } else if (err) {
      call.reject!(err);
    } else if (call.responses === 1) {
      call.resolve!(call.response!);
    } else {
      call.reject!(new StoreError(GrpcCode.Internal, `${call.path}: unary call got ${call.responses} response messages, expected 1`));
    }
  }

  /** Frees a stream slot and starts waiting calls; a draining connection closes once idle (transport-internal). */
  closeStream(call: Call): void {
    if (!this.streams.delete(call.id)) return;
    this.startWaiting();
    if (this.state === 'draining' && this.pendingCalls === 0) this.shutdown(ErrorCode.NO_ERROR, 'drained');
  }

  /** Starts waiting calls while stream slots are free (after a stream closed, or MAX_CONCURRENT_STREAMS rose). */
  startWaiting(): void {
    const ok = this.state === 'open' || (this.retired && this.state === 'draining');
    while (ok && this.waiting.length > 0 && this.streams.size < this.peer.maxConcurrentStreams) this.start(this.waiting.shift()!);
  }

  /** The server's first SETTINGS arrived: the connection is usable. */
  opened(): void {
    if (this.state !== 'connecting') return;
    this.state = 'open';
    this.readyResolve?.();
  }

  /**
   * GOAWAY from the server: calls above `lastStreamId` and calls still waiting were never
   * processed (retryable); the rest may finish. No new calls.
   */
  goaway(lastStreamId: number, code: number, debug: string): void {
    const why = `GOAWAY ${errorCodeName(code)}${debug ? ` (${debug})` : ''}`;
    this.endReason ??= new Error(`the server sent ${why}`);
    if (this.state === 'open' || this.state === 'connecting') this.state = 'draining';
    this.readyReject?.(this.endReason);
    for (const call of [...this.waiting, ...[...this.streams.values()].filter((c) => c.id > lastStreamId)]) {
      this.finish(call, new StoreError(GrpcCode.Unavailable, `${call.path}: not processed, the server sent ${why}`, { retryable: true }));
    }
    if (this.streams.size === 0) this.shutdown(ErrorCode.NO_ERROR, 'GOAWAY received');
  }

  /** Replaced by a newer connection: no new calls; closes once its calls are done. */
  retire(): void {
    if (this.state !== 'open') return;
    this.state = 'draining';
    this.retired = true;
    if (this.pendingCalls === 0) this.shutdown(ErrorCode.NO_ERROR, 'replaced by a new connection');
  }

  /** A connection error found by us: GOAWAY with its code, then fail everything and close. */
  protocolError(err: H2Error): void {
    if (this.state === 'closed') return;
    this.endReason ??= err;
    this.shutdown(err.code, err.message);
  }

  /** Sends GOAWAY, fails what is left and closes the socket (destroyed after a grace period). */
  shutdown(code: number, debug: string): void {
    if (this.state === 'closed') return;
    this.out.add(encodeGoaway(0, code, debug));
    this.out.flush();
    this.fail(this.endReason ?? new Error(debug), GrpcCode.Unavailable, false);
    this.endSocket();
  }

  /** FIN after what was written (the GOAWAY); destroyed if the peer does not close within the grace period. */
  private endSocket(): void {
    this.socket.end();
    setTimeout(() => this.socket.destroy(), CLOSE_GRACE_MS).unref();
  }

  /**
   * The connection is gone: every call still open gets an error, none is left pending. The
   * socket is destroyed unless `destroy` is false (the caller ends it gracefully).
   */
  fail(reason: Error, code: number = GrpcCode.Unavailable, destroy = true): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.endReason ??= reason;
    this.keepalive?.stop();
    this.out.close();
    this.readyReject?.(reason);
    const host = this.opts.authority;
    for (const call of this.waiting.splice(0)) {
      this.settle(call, new StoreError(code, `${call.path}: not sent, connection to ${host} ended: ${reason.message}`, { cause: reason, retryable: code === GrpcCode.Unavailable }));
    }
    for (const call of [...this.streams.values()]) {
      this.streams.delete(call.id);
      this.settle(call, new StoreError(code, `${call.path}: connection to ${host} ended: ${reason.message}`, { cause: reason }));
    }
    if (destroy && !this.socket.destroyed) this.socket.destroy();
  }

  /** Closes on our side: GOAWAY NO_ERROR, calls in flight fail `Cancelled`. Resolves once the socket closed. */
  close(): Promise<void> {
    if (this.state !== 'closed') {
      this.out.add(encodeGoaway(0, ErrorCode.NO_ERROR, 'client closing'));
      this.out.flush();
      this.fail(new Error('the channel was closed'), GrpcCode.Cancelled, false);
      this.endSocket();
    }
    return this.closed;
  }

  private onChunk(chunk: Buffer): void {
    try {
      this.parser.push(chunk);
    } catch (err) {
      this.protocolError(err instanceof H2Error ? err : new H2Error(ErrorCode.INTERNAL_ERROR, `client failed handling a frame: ${(err as Error).message}`, 0, { cause: err }));
    }
  }
}
