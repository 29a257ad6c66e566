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
import http2 from 'node:http2';
import { isIP } from 'node:net';
import { status as Status, type ServiceDefinition, type UntypedServiceImplementation } from '@grpc/grpc-js';
import { BidiCall, UnaryCall, type AnyMethod, type BidiImpl, type Route, type UnaryImpl } from './h2-call.ts';
import { statusHeaders, trailersOnly } from './grpc-framing.ts';

function noop(): void {}

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
