/**
 * A lean gRPC server transport straight on `node:http2`, for the call shapes etcd's API uses
 * (unary and bidirectional streaming). `metabench serve` shares a 2-core machine with the load
 * generator, so every microsecond the server spends per call is taken from the client: grpc-js's
 * server costs about 90 us of CPU per call above a bare http2 server (interceptor chain, a
 * Metadata object and a deadline parse per call, an object-mode stream per message), and this
 * transport skips that machinery while keeping what a client can observe:
 *
 * - the same response headers, `grpc-status`/`grpc-message` trailers (trailers-only responses
 *   for calls that fail before answering), status codes and messages as grpc-js 1.14 for the
 *   transport's own errors (unknown method, oversized or undecodable message, deadline);
 * - `grpc-timeout` deadlines (DEADLINE_EXCEEDED), gzip/deflate request messages;
 * - graceful shutdown: GOAWAY on every connection, in-flight calls finish, `tryShutdown`'s
 *   callback when the last connection closed; `forceShutdown` cancels everything.
 *
 * Handlers are the grpc-js ones (`handleUnaryCall`, `handleBidiStreamingCall`) and see the parts
 * of grpc-js's call objects this server uses: `call.request` for unary calls; for streams the
 * 'data', 'end', 'cancelled' and 'drain' events, `write` (false = buffer full, wait for 'drain'),
 * `end()` and `emit('error', status)`. Messages a stream writes in one tick go out in one write.
 */
import { lookup } from 'node:dns/promises';
import { EventEmitter } from 'node:events';
import http2 from 'node:http2';
import { isIP } from 'node:net';
import zlib from 'node:zlib';
import { status as Status, type Metadata, type MethodDefinition, type ServiceDefinition, type UntypedServiceImplementation } from '@grpc/grpc-js';

/** A gRPC status as handlers pass it (grpc-js's ServiceError shape). */
interface StatusLike {
  code?: number;
  details?: string;
  message?: string;
  metadata?: Metadata | null;
}

type AnyMethod = MethodDefinition<object, object>;
type UnaryImpl = (call: { request: object; cancelled: boolean }, callback: (err: StatusLike | null, value?: object) => void) => void;
type BidiImpl = (call: BidiCall) => void;

interface Route {
  readonly path: string;
  readonly name: string;
  readonly method: AnyMethod;
  /** Largest request message in bytes, -1 = no limit. */
  readonly maxReceive: number;
  readonly unary?: UnaryImpl;
  readonly bidi?: BidiImpl;
}

const RESPONSE_HEADERS: http2.OutgoingHttpHeaders = {
  ':status': 200,
  'content-type': 'application/grpc+proto',
  'grpc-accept-encoding': 'identity,deflate,gzip',
  'grpc-encoding': 'identity',
};
/** A trailers-only response's HTTP headers (the status is added), as grpc-js sends them. */
const TRAILERS_ONLY: http2.OutgoingHttpHeaders = { ':status': 200, 'content-type': 'application/grpc+proto' };
const OK_TRAILERS: http2.OutgoingHttpHeaders = { 'grpc-status': '0', 'grpc-message': 'OK' };
const DEADLINE = /(\d{1,8})\s*([HMSmun])/;
const DEADLINE_UNIT_MS: Record<string, number> = { H: 3_600_000, M: 60_000, S: 1000, m: 1, u: 0.001, n: 0.000001 };
/** A stream's `write` returns false once this many bytes wait to go out (then 'drain'). */
const STREAM_HIGH_WATER_BYTES = 1024 * 1024;

function noop(): void {}

/** grpc-js's `serverErrorToStatus`: a number `code` and string `details` are taken as given. */
function toStatus(err: StatusLike): { code: number; details: string; metadata?: Metadata | null } {
  if (typeof err.code === 'number' && Number.isInteger(err.code)) {
    return { code: err.code, details: typeof err.details === 'string' ? err.details : (err.message ?? 'Unknown Error'), metadata: err.metadata };
  }
  return { code: Status.UNKNOWN, details: err.message ?? 'Unknown Error', metadata: err.metadata };
}

/** A trailers-only response's headers in grpc-js's order: status, message, HTTP, metadata. */
function trailersOnly(status: http2.OutgoingHttpHeaders): http2.OutgoingHttpHeaders {
  const { 'grpc-status': code, 'grpc-message': message, ...metadata } = status;
  return { 'grpc-status': code, 'grpc-message': message, ...TRAILERS_ONLY, ...metadata };
}

function statusHeaders(code: number, details: string, metadata: Metadata | null | undefined): http2.OutgoingHttpHeaders {
  const h: http2.OutgoingHttpHeaders = { 'grpc-status': String(code), 'grpc-message': encodeURI(details) };
  return metadata ? Object.assign(h, metadata.toHttp2Headers()) : h;
}

/** Length-prefixed messages out of a request body, chunk by chunk. */
class MessageReader {
  private chunks: Buffer[] = [];
  private buffered = 0;

  constructor(private readonly maxBytes: number) {}

  /** Returns the complete messages (flag byte kept), or an error text for an oversized one. */
  push(chunk: Buffer, out: Buffer[]): string | undefined {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    for (;;) {
      if (this.buffered < 5) return undefined;
      let head = this.chunks[0];
      if (head.length < 5) head = this.join();
      const len = head.readUInt32BE(1);
      if (this.maxBytes >= 0 && len > this.maxBytes) return `Received message larger than max (${len} vs ${this.maxBytes})`;
      if (this.buffered < 5 + len) return undefined;
      if (head.length < 5 + len) head = this.join();
      out.push(head.subarray(0, 5 + len));
      if (head.length === 5 + len) this.chunks.shift();
      else this.chunks[0] = head.subarray(5 + len);
      this.buffered -= 5 + len;
    }
  }

  private join(): Buffer {
    const all = Buffer.concat(this.chunks, this.buffered);
    this.chunks = [all];
    return all;
  }
}

/** What one call shares, unary or streaming: reading, deadline, status. */
abstract class CallBase extends EventEmitter {
  /** The call ended: status sent, cancelled, or the stream closed. */
  protected done = false;
  /** Our status went out (a close after that is the normal end, not a cancel). */
  private statusSent = false;
  protected headersSent = false;
  private trailers: http2.OutgoingHttpHeaders = OK_TRAILERS;
  private readonly reader: MessageReader;
  private readonly encoding: string;
  private timer: NodeJS.Timeout | undefined;
  cancelled = false;

  constructor(
    protected readonly stream: http2.ServerHttp2Stream,
    headers: http2.IncomingHttpHeaders,
    protected readonly route: Route,
  ) {
    super();
    this.reader = new MessageReader(route.maxReceive);
    const enc = headers['grpc-encoding'];
    this.encoding = typeof enc === 'string' ? enc : 'identity';
    const timeout = headers['grpc-timeout'];
    if (typeof timeout === 'string') this.startDeadline(timeout);
    stream.on('data', (chunk: Buffer) => this.onChunk(chunk));
    stream.on('end', () => this.onEnd());
    stream.once('close', () => this.onClose());
  }

  protected abstract onMessage(msg: object): void;
  protected abstract onEnd(): void;
  /** The call ended without a status from us (client cancel, deadline, connection loss). */
  protected abstract onCancelled(): void;

  private startDeadline(value: string): void {
    const m = DEADLINE.exec(value);
    if (m === null) {
      process.nextTick(() => this.sendStatus({ code: Status.INTERNAL, details: `Invalid grpc-timeout value "${value}"` }));
      return;
    }
    const ms = (Number(m[1]) * DEADLINE_UNIT_MS[m[2]]) | 0;
    this.timer = setTimeout(() => {
      this.sendStatus({ code: Status.DEADLINE_EXCEEDED, details: 'Deadline exceeded' });
      this.cancel();
    }, ms);
  }

  private onChunk(chunk: Buffer): void {
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
    if (framed[0] === 1 && this.encoding !== 'identity') {
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

  private onClose(): void {
    clearTimeout(this.timer);
    if (!this.statusSent) this.cancel();
  }

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
    this.stream.respond(RESPONSE_HEADERS, { waitForTrailers: true });
    this.stream.once('wantTrailers', () => this.stream.sendTrailers(this.trailers));
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
    const s = toStatus(status);
    const trailers = s.code === Status.OK && s.details === 'OK' && !s.metadata ? OK_TRAILERS : statusHeaders(s.code, s.details, s.metadata);
    try {
      if (!this.headersSent && last === undefined) {
        // Trailers-only response, as grpc-js sends for a call that fails before answering.
        this.headersSent = true;
        this.stream.respond(trailersOnly(trailers), { endStream: true });
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
class UnaryCall extends CallBase {
  request: object | undefined;

  protected onMessage(msg: object): void {
    if (this.request !== undefined) {
      this.sendStatus({ code: Status.UNIMPLEMENTED, details: `Received a second request message for server streaming method ${this.route.path}` });
      return;
    }
    this.request = msg;
  }

  protected onEnd(): void {
    if (this.done) return;
    if (this.request === undefined) {
      this.sendStatus({ code: Status.UNIMPLEMENTED, details: `Received no request message for server streaming method ${this.route.path}` });
      return;
    }
    try {
      this.route.unary!(this as unknown as { request: object; cancelled: boolean }, (err, value) => this.respond(err, value));
    } catch {
      this.sendStatus({ code: Status.UNKNOWN, details: 'Unknown error' });
    }
  }

  protected onCancelled(): void {
    this.emit('cancelled', 'cancelled');
  }

  private respond(err: StatusLike | null, value?: object): void {
    if (this.done) return;
    if (err) {
      this.sendStatus(err);
      return;
    }
    const framed = this.frame(value ?? {});
    if (framed !== undefined) this.sendStatus({ code: Status.OK, details: 'OK' }, framed);
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

  constructor(stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders, route: Route) {
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
    this.finish({ code: Status.OK, details: 'OK' });
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
    this.stream.once('drain', () => {
      this.waitingDrain = false;
      this.wantDrain = false;
      if (!this.done) this.emit('drain');
    });
  }
}

/** Options of `H2GrpcServer`. */
export interface H2GrpcServerOptions {
  /** Largest request message in bytes (grpc-js's `grpc.max_receive_message_length`). */
  maxReceiveMessageLength: number;
}

/** The subset of grpc-js's `Server` that `server.ts` uses, on the lean transport. */
export class H2GrpcServer {
  private readonly routes = new Map<string, Route>();
  private readonly unimplemented = new Map<string, string>();
  private readonly sessions = new Set<http2.ServerHttp2Session>();
  private readonly servers: http2.Http2Server[] = [];

  constructor(private readonly opts: H2GrpcServerOptions) {}

  addService(service: ServiceDefinition, impl: UntypedServiceImplementation): void {
    for (const [name, method] of Object.entries(service) as [string, AnyMethod & { originalName?: string }][]) {
      const fn = (impl[name] ?? (method.originalName ? impl[method.originalName] : undefined)) as ((...args: never[]) => void) | undefined;
      if (fn === undefined) {
        this.unimplemented.set(method.path, name);
        continue;
      }
      if (method.requestStream !== method.responseStream) throw new Error(`${method.path}: only unary and bidirectional methods are supported`);
      const route = { path: method.path, name, method, maxReceive: this.opts.maxReceiveMessageLength };
      this.routes.set(method.path, method.requestStream ? { ...route, bidi: fn as unknown as BidiImpl } : { ...route, unary: fn as unknown as UnaryImpl });
    }
  }

  /**
   * Binds `host:port` (port 0: a free one) and resolves with the bound port. A host name is
   * bound on every address it resolves to (`localhost`: 127.0.0.1 and ::1), as grpc-js does;
   * it fails only when no address could be bound, with the first address's error.
   */
  async bind(host: string, port: number): Promise<number> {
    const addresses = isIP(host) !== 0 ? [host] : [...new Set((await lookup(host, { all: true })).map((a) => a.address))];
    let bound = port;
    let firstError: Error | undefined;
    for (const address of addresses) {
      try {
        bound = await this.listenOn(address, bound);
      } catch (err) {
        firstError ??= err as Error;
      }
    }
    if (this.servers.length === 0) throw firstError ?? new Error(`no address for ${host}`);
    return bound;
  }

  private listenOn(address: string, port: number): Promise<number> {
    // As grpc-js: no cap on a connection's buffered memory (node's default 10 MB answers a
    // busy connection with ENHANCE_YOUR_CALM) and no limit on a header block we send.
    const server = http2.createServer({ maxSessionMemory: Number.MAX_SAFE_INTEGER, maxSendHeaderBlockLength: Number.MAX_SAFE_INTEGER });
    server.on('stream', (stream, headers) => this.onStream(stream, headers));
    server.on('session', (session) => {
      this.sessions.add(session);
      session.on('error', noop);
      session.once('close', () => this.sessions.delete(session));
    });
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, address, () => {
        server.removeListener('error', reject);
        this.servers.push(server);
        const a = server.address();
        resolve(typeof a === 'object' && a !== null ? a.port : port);
      });
    });
  }

  /** Stops accepting, sends GOAWAY everywhere; `done` once every connection has closed. */
  tryShutdown(done: () => void): void {
    let open = this.servers.length;
    if (open === 0) process.nextTick(done);
    for (const server of this.servers) server.close(() => --open === 0 && done());
    for (const s of this.sessions) s.close();
  }

  /** Closes every connection at once, cancelling calls still running. */
  forceShutdown(): void {
    for (const s of this.sessions) s.destroy(undefined, http2.constants.NGHTTP2_CANCEL);
    for (const server of this.servers) server.close();
  }

  private onStream(stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders): void {
    stream.on('error', noop);
    try {
      this.dispatch(stream, headers);
    } catch {
      stream.destroy();
    }
  }

  private dispatch(stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders): void {
    const ct = headers['content-type'];
    if (typeof ct !== 'string' || !ct.startsWith('application/grpc')) {
      stream.respond({ ':status': http2.constants.HTTP_STATUS_UNSUPPORTED_MEDIA_TYPE }, { endStream: true });
      return;
    }
    const path = headers[':path'] ?? '';
    const route = this.routes.get(path);
    if (route === undefined) {
      const name = this.unimplemented.get(path) ?? path;
      stream.respond(
        trailersOnly(statusHeaders(Status.UNIMPLEMENTED, `The server does not implement the method ${name}`, null)),
        { endStream: true },
      );
      return;
    }
    if (route.bidi !== undefined) {
      const call = new BidiCall(stream, headers, route);
      try {
        route.bidi(call);
      } catch {
        call.emit('error', { code: Status.UNKNOWN, details: 'Unknown error' });
      }
    } else {
      new UnaryCall(stream, headers, route);
    }
  }
}
