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
 * - the session defences of `session-guard.ts` (handshake and idle timeouts, a budget for
 *   requests that never become calls), as the raw transport has.
 *
 * Handlers are the grpc-js ones (`handleUnaryCall`, `handleBidiStreamingCall`) and see the parts
 * of grpc-js's call objects this server uses: `call.request` for unary calls; for streams the
 * 'data', 'end', 'cancelled' and 'drain' events, `write` (false = buffer full, wait for 'drain'),
 * `end()` and `emit('error', status)`. Messages a stream writes in one tick go out in one write.
 */
import http2 from 'node:http2';
import { status as Status, type ServiceDefinition, type UntypedServiceImplementation } from '@grpc/grpc-js';
import { startCall } from './h2-call.ts';
import { H2CallStream } from './h2-call-stream.ts';
import { GrpcRouter } from './grpc-router.ts';
import type { TlsFiles } from './tls.ts';
import { statusHeaders, trailersOnly } from './grpc-framing.ts';
import { bindEveryAddress } from './bind-every-address.ts';
import { guardSession } from './session-guard.ts';

function noop(): void {}

/** Options of `H2GrpcServer`. */
export interface H2GrpcServerOptions {
  /** Largest request message in bytes (grpc-js's `grpc.max_receive_message_length`). */
  maxReceiveMessageLength: number;
  /** Where handler errors are reported; default stderr. */
  log?: (message: string) => void;
  /** Serve TLS (ALPN h2) instead of plaintext. */
  tls?: TlsFiles;
  /** A session without open streams for this long is closed, ms; default 5 minutes. */
  idleTimeoutMs?: number;
  /** The client's SETTINGS must arrive within this, ms; default 10 s. */
  handshakeTimeoutMs?: number;
}

/** Streams one session may have open at once: advertised and enforced (node's default is unlimited). */
export const H2_MAX_CONCURRENT_STREAMS = 1000;

/** The subset of grpc-js's `Server` that `server.ts` uses, on the lean transport. */
export class H2GrpcServer {
  private readonly router: GrpcRouter;
  private readonly sessions = new Set<http2.ServerHttp2Session>();
  private readonly servers: (http2.Http2Server | http2.Http2SecureServer)[] = [];

  constructor(private readonly opts: H2GrpcServerOptions) {
    this.router = new GrpcRouter(opts.maxReceiveMessageLength, opts.log);
  }

  addService(service: ServiceDefinition, impl: UntypedServiceImplementation): void {
    this.router.addService(service, impl);
  }

  /**
   * Binds `host:port` (port 0: a free one) and resolves with the bound port. A host name is
   * bound on every address it resolves to (`localhost`: 127.0.0.1 and ::1), as grpc-js does;
   * it fails only when no address could be bound, with the first address's error.
   */
  bind(host: string, port: number): Promise<number> {
    return bindEveryAddress(host, port, (address, p) => this.listenOn(address, p));
  }

  private listenOn(address: string, port: number): Promise<number> {
    // As grpc-js: no cap on a connection's buffered memory (node's default 10 MB answers a
    // busy connection with ENHANCE_YOUR_CALM) and no limit on a header block we send.
    const base: http2.ServerOptions = {
      maxSessionMemory: Number.MAX_SAFE_INTEGER,
      maxSendHeaderBlockLength: Number.MAX_SAFE_INTEGER,
      settings: { maxConcurrentStreams: H2_MAX_CONCURRENT_STREAMS, maxHeaderListSize: 64 * 1024 },
    };
    const t = this.opts.tls;
    const server = t
      ? http2.createSecureServer({ ...base, cert: t.cert, key: t.key, ca: t.ca, requestCert: t.ca !== undefined, rejectUnauthorized: t.ca !== undefined, allowHTTP1: false })
      : http2.createServer(base);
    server.on('stream', (stream, headers) => this.onStream(stream, headers));
    server.on('session', (session) => this.onSession(session));
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

  /** Tracks a session for shutdown, and guards it (`session-guard.ts`). */
  private onSession(session: http2.ServerHttp2Session): void {
    this.sessions.add(session);
    guardSession(session, {
      idleTimeoutMs: this.opts.idleTimeoutMs ?? 5 * 60_000,
      handshakeTimeoutMs: this.opts.handshakeTimeoutMs ?? 10_000,
      isCall: (headers) => this.router.dispatch(headers['content-type'], headers[':path']).kind === 'route',
    });
    session.once('close', () => this.sessions.delete(session));
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
    const d = this.router.dispatch(headers['content-type'], headers[':path']);
    if (d.kind === 'not-grpc') {
      stream.respond({ ':status': http2.constants.HTTP_STATUS_UNSUPPORTED_MEDIA_TYPE }, { endStream: true });
      return;
    }
    if (d.kind === 'unimplemented') {
      stream.respond(trailersOnly(statusHeaders(Status.UNIMPLEMENTED, `The server does not implement the method ${d.name}`, null)), { endStream: true });
      return;
    }
    startCall(new H2CallStream(stream), headers, d.route);
  }
}
