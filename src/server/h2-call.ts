/**
 * One gRPC call on an HTTP/2 stream, as the transport (`h2-transport.ts`) hands it to a handler:
 * a unary call (one request, then one response or a status) or a bidirectional stream. Both read
 * length-prefixed messages (gzip and deflate too), honour `grpc-timeout`, and end with grpc-js's
 * statuses for the transport's own errors. Messages a stream writes in one tick go out in one
 * write; `write` returns false once about 1 MiB waits to go out, and 'drain' follows.
 */
import { EventEmitter } from 'node:events';
import type http2 from 'node:http2';
import zlib from 'node:zlib';
import { status as Status, type MethodDefinition } from '@grpc/grpc-js';
import type { CallEvents, CallStream } from './h2-call-stream.ts';
import { grpcTimeoutMs, MessageReader, OK_TRAILERS, RESPONSE_HEADERS, statusHeaders, toStatus, trailersOnly, type StatusLike } from './grpc-framing.ts';

/** A method of a service definition, its messages untyped. */
export type AnyMethod = MethodDefinition<object, object>;
/** A grpc-js unary handler, as far as this transport calls it. */
export type UnaryImpl = (call: { request: object; cancelled: boolean }, callback: (err: StatusLike | null, value?: object) => void) => void;
/** A grpc-js bidirectional-stream handler. */
export type BidiImpl = (call: BidiCall) => void;

/** Where a request path leads: its method, limit and handler. */
export interface Route {
  readonly path: string;
  readonly name: string;
  readonly method: AnyMethod;
  /** Largest request message in bytes, -1 = no limit. */
  readonly maxReceive: number;
  readonly unary?: UnaryImpl;
  readonly bidi?: BidiImpl;
  /** Where a handler that throws is reported; default stderr. */
  readonly log?: (message: string) => void;
}

/** A request's headers as a call reads them (`grpc-encoding`, `grpc-timeout`). */
export type CallHeaders = Record<string, string | string[] | undefined>;

/** setTimeout's longest delay; a deadline further out never fires during a run. */
const MAX_TIMER_MS = 2 ** 31 - 1;
/** A stream's `write` returns false once this many bytes wait to go out (then 'drain'). */
const STREAM_HIGH_WATER_BYTES = 1024 * 1024;
const WAIT_FOR_TRAILERS = { waitForTrailers: true };
/** The status of a call that answered; `sendStatus` knows its trailers without looking. */
const OK_STATUS: StatusLike = { code: Status.OK, details: 'OK' };
const END_STREAM = { endStream: true };

/** Logs a handler that threw or failed without a gRPC status, naming the method. */
export function reportHandlerError(route: Route, err: unknown): void {
  const text = err instanceof Error ? (err.stack ?? err.message) : String(err);
  const line = `${route.path}: handler error: ${text}`;
  if (route.log) route.log(line);
  else process.stderr.write(`metabench serve: error: ${line}\n`);
}

/** The trailers that carry `status`. */
function trailersFor(status: StatusLike): http2.OutgoingHttpHeaders {
  const s = toStatus(status);
  return s.code === Status.OK && s.details === 'OK' && !s.metadata ? OK_TRAILERS : statusHeaders(s.code, s.details, s.metadata);
}

/** Ends `call` for its passed deadline (a plain function, so no closure is made per call). */
function expireCall(call: CallBase): void {
  call.expireDeadline();
}

/** What one call shares, unary or streaming: reading, deadline, status. */
abstract class CallBase extends EventEmitter implements CallEvents {
  /** The call ended: status sent, cancelled, or the stream closed. */
  protected done = false;
  /** Our status went out (a close after that is the normal end, not a cancel). */
  private statusSent = false;
  protected headersSent = false;
  private trailers: http2.OutgoingHttpHeaders = OK_TRAILERS;
  private readonly reader: MessageReader;
  private readonly encoding: string;
  private timer: NodeJS.Timeout | undefined;
  /** The deadline had passed on arrival: nothing of the call runs. */
  expired = false;
  cancelled = false;

  constructor(
    protected readonly stream: CallStream,
    headers: CallHeaders,
    protected readonly route: Route,
  ) {
    super();
    this.reader = new MessageReader(route.maxReceive);
    const enc = headers['grpc-encoding'];
    this.encoding = typeof enc === 'string' ? enc : 'identity';
    const timeout = headers['grpc-timeout'];
    if (typeof timeout === 'string') this.startDeadline(timeout);
    else if (timeout !== undefined) this.startDeadline(timeout.join(','));
    stream.attach(this);
  }

  protected abstract onMessage(msg: object): void;
  protected abstract onEnd(): void;
  /** The call ended without a status from us (client cancel, deadline, connection loss). */
  protected abstract onCancelled(): void;

  private startDeadline(value: string): void {
    const ms = grpcTimeoutMs(value);
    if (ms === undefined) {
      process.nextTick(() => this.sendStatus({ code: Status.INTERNAL, details: `Invalid grpc-timeout value "${value}"` }));
      return;
    }
    // A deadline that has passed already (0n, or under a millisecond): the call never runs.
    if (ms < 1) {
      this.expired = true;
      process.nextTick(expireCall, this);
      return;
    }
    if (ms <= MAX_TIMER_MS) this.timer = setTimeout(expireCall, ms, this);
  }

  /** The deadline passed: DEADLINE_EXCEEDED, and the handler sees the call cancelled. */
  expireDeadline(): void {
    this.sendStatus({ code: Status.DEADLINE_EXCEEDED, details: 'Deadline exceeded' });
    this.cancel();
  }

  onStreamData(chunk: Buffer): void {
    if (this.done) return;
    const messages: Buffer[] = [];
    const tooLarge = this.reader.push(chunk, messages);
    for (const framed of messages) {
      if (this.done) return;
      const msg = this.decode(framed);
      if (msg !== undefined) this.onMessage(msg);
    }
    if (tooLarge !== undefined) this.sendStatus({ code: Status.RESOURCE_EXHAUSTED, details: tooLarge });
  }

  private decode(framed: Buffer): object | undefined {
    let body = framed.subarray(5);
    if (framed[0] === 1 && this.encoding === 'identity') {
      // A compressed message with no encoding to decompress it with (grpc-go's answer).
      this.sendStatus({ code: Status.INTERNAL, details: 'grpc: compressed flag set with identity or empty encoding' });
      return undefined;
    }
    if (framed[0] === 1) {
      if (this.encoding !== 'gzip' && this.encoding !== 'deflate') {
        this.sendStatus({ code: Status.UNIMPLEMENTED, details: `Received message compressed with unsupported encoding "${this.encoding}"` });
        return undefined;
      }
      const max = this.route.maxReceive;
      try {
        const opts = max >= 0 ? { maxOutputLength: Math.max(1, max) } : {};
        body = this.encoding === 'gzip' ? zlib.gunzipSync(body, opts) : zlib.inflateSync(body, opts);
      } catch (err) {
        const tooBig = (err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE';
        this.sendStatus(
          tooBig
            ? { code: Status.RESOURCE_EXHAUSTED, details: `Received message that decompresses to a size larger than ${max}` }
            : { code: Status.INTERNAL, details: 'Failed to decompress message' },
        );
        return undefined;
      }
    }
    try {
      return this.route.method.requestDeserialize(body);
    } catch {
      this.sendStatus({ code: Status.INTERNAL, details: 'Error deserializing request' });
      return undefined;
    }
  }

  onStreamEnd(): void {
    this.onEnd();
  }

  onStreamClose(): void {
    clearTimeout(this.timer);
    if (!this.statusSent) this.cancel();
  }

  onWantTrailers(): void {
    this.stream.sendTrailers(this.trailers);
  }

  onStreamDrain(): void {}

  protected cancel(): void {
    this.done = true;
    if (this.cancelled) return;
    this.cancelled = true;
    clearTimeout(this.timer);
    this.onCancelled();
  }

  protected get writable(): boolean {
    return !this.done && !this.stream.destroyed && !this.stream.closed;
  }

  /** Frames a response message; undefined (and the call failed) when it cannot be encoded. */
  protected frame(value: object): Buffer | undefined {
    let body: Buffer;
    try {
      body = this.route.method.responseSerialize(value);
    } catch {
      this.sendStatus({ code: Status.INTERNAL, details: 'Error serializing response' });
      return undefined;
    }
    const out = Buffer.allocUnsafe(body.length + 5);
    out[0] = 0;
    out.writeUInt32BE(body.length, 1);
    body.copy(out, 5);
    return out;
  }

  protected sendHeaders(): void {
    if (this.headersSent) return;
    this.headersSent = true;
    this.stream.respond(RESPONSE_HEADERS, WAIT_FOR_TRAILERS);
  }

  /** Ends the call with `status`, after `last` (already framed) when given. */
  protected sendStatus(status: StatusLike, last?: Buffer): void {
    if (!this.writable) {
      this.done = true;
      return;
    }
    this.done = true;
    this.statusSent = true;
    clearTimeout(this.timer);
    const trailers = status === OK_STATUS ? OK_TRAILERS : trailersFor(status);
    try {
      if (!this.headersSent && last === undefined) {
        // Trailers-only response, as grpc-js sends for a call that fails before answering.
        this.headersSent = true;
        this.stream.respond(trailersOnly(trailers), END_STREAM);
        return;
      }
      this.trailers = trailers;
      this.sendHeaders();
      if (last !== undefined) this.stream.end(last);
      else this.stream.end();
    } catch {
      // The stream went away in between (session destroyed): nobody is left to answer.
      this.stream.destroy();
    }
  }
}

/** One unary call: one request message, then the handler, then one response or a status. */
export class UnaryCall extends CallBase {
  request: object | undefined;

  protected onMessage(msg: object): void {
    if (this.request !== undefined) {
      this.sendStatus({ code: Status.UNIMPLEMENTED, details: `Received a second request message for unary method ${this.route.path}` });
      return;
    }
    this.request = msg;
  }

  protected onEnd(): void {
    if (this.done || this.expired) return;
    if (this.request === undefined) {
      this.sendStatus({ code: Status.UNIMPLEMENTED, details: `Received no request message for unary method ${this.route.path}` });
      return;
    }
    try {
      this.route.unary!(this as unknown as { request: object; cancelled: boolean }, (err, value) => this.respond(err, value));
    } catch (err) {
      reportHandlerError(this.route, err);
      this.sendStatus({ code: Status.UNKNOWN, details: `handler failed: ${(err as Error)?.message ?? String(err)}` });
    }
  }

  protected onCancelled(): void {
    this.emit('cancelled', 'cancelled');
  }

  private respond(err: StatusLike | null, value?: object): void {
    if (this.done) return;
    if (err) {
      // A plain Error (no gRPC code) is a handler bug, not an etcd answer: say so in the log.
      if (typeof err.code !== 'number') reportHandlerError(this.route, err);
      this.sendStatus(err);
      return;
    }
    const framed = this.frame(value ?? {});
    if (framed !== undefined) this.sendStatus(OK_STATUS, framed);
  }
}

/** A bidirectional stream as the Watch and LeaseKeepAlive handlers use it. */
export class BidiCall extends CallBase {
  private out: Buffer[] = [];
  private outBytes = 0;
  private flushScheduled = false;
  private wantDrain = false;
  private waitingDrain = false;
  private ending: StatusLike | undefined;
  private readonly flushNow = (): void => this.flush();

  constructor(stream: CallStream, headers: CallHeaders, route: Route) {
    super(stream, headers, route);
    // grpc-js's duplex stream: an 'error' emitted by the handler ends the call with that status.
    this.on('error', (err: StatusLike) => this.finish(err));
  }

  protected onMessage(msg: object): void {
    this.emit('data', msg);
  }

  protected onEnd(): void {
    if (!this.done) this.emit('end');
  }

  protected onCancelled(): void {
    this.out = [];
    this.outBytes = 0;
    this.emit('cancelled', 'cancelled');
  }

  /** Queues a response; false once the stream's buffer is full (wait for 'drain'). */
  write(value: object): boolean {
    if (this.done || this.ending !== undefined) return true;
    const framed = this.frame(value);
    if (framed === undefined) return true;
    this.out.push(framed);
    this.outBytes += framed.length;
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      process.nextTick(this.flushNow);
    }
    if (this.stream.writableLength + this.outBytes < STREAM_HIGH_WATER_BYTES) return true;
    this.wantDrain = true;
    return false;
  }

  /** Ends the stream with status OK once the queued responses are out. */
  end(): this {
    this.finish(OK_STATUS);
    return this;
  }

  private finish(status: StatusLike): void {
    if (this.done || this.ending !== undefined) return;
    this.ending = status;
    if (!this.flushScheduled) this.flush();
  }

  private flush(): void {
    this.flushScheduled = false;
    if (!this.writable) return;
    const pending = this.out;
    const bytes = this.outBytes;
    this.out = [];
    this.outBytes = 0;
    const buf = pending.length === 0 ? undefined : pending.length === 1 ? pending[0] : Buffer.concat(pending, bytes);
    if (this.ending !== undefined) {
      this.sendStatus(this.ending, buf);
      return;
    }
    if (buf === undefined) return;
    let ok: boolean;
    try {
      this.sendHeaders();
      ok = this.stream.write(buf);
    } catch {
      this.stream.destroy();
      return;
    }
    if (!this.wantDrain || this.waitingDrain) return;
    if (ok) {
      this.wantDrain = false;
      process.nextTick(() => this.emit('drain'));
      return;
    }
    this.waitingDrain = true;
  }

  override onStreamDrain(): void {
    if (!this.waitingDrain) return;
    this.waitingDrain = false;
    this.wantDrain = false;
    if (!this.done) this.emit('drain');
  }
}

/** Starts the call `route` names on `stream`: the handler runs once its request is in (unary) or at once (bidi). */
export function startCall(stream: CallStream, headers: CallHeaders, route: Route): void {
  if (route.bidi !== undefined) {
    const call = new BidiCall(stream, headers, route);
    if (call.expired) return;
    try {
      route.bidi(call);
    } catch (err) {
      reportHandlerError(route, err);
      call.emit('error', { code: Status.UNKNOWN, details: `handler failed: ${(err as Error)?.message ?? String(err)}` });
    }
  } else {
    new UnaryCall(stream, headers, route);
  }
}
