/**
 * A simple, correct {@link OpenChannel} over Node's own `node:http2`: one session at a time per
 * channel (dialled again by the next call after it was lost), one `session.request()` per call. Slower than the raw-socket transport (Node's per-stream cost
 * is about 200 µs of CPU) but independent of its HTTP/2 layer, so the etcd layer can be tested
 * end to end with it, and it stays as the fallback transport. The two share only the gRPC
 * message framing: `grpcFrame` and the one reader (`transport/message-reader.ts`: gzip/deflate
 * when the response's grpc-encoding says so, the size limit, views without copies).
 *
 * gRPC over HTTP/2 as the spec has it: POST with `content-type: application/grpc`, `te:
 * trailers`, `grpc-timeout` from the call's deadline, every message with its 5-byte prefix
 * (flag 0, big-endian length); the status comes from `grpc-status`/`grpc-message` in the
 * trailers (or in the headers of a trailers-only response), else from the HTTP status or the
 * RST_STREAM code.
 */
import http2, { type ClientHttp2Session, type ClientHttp2Stream, type IncomingHttpHeaders } from 'node:http2';
import { GrpcCode, StoreError, type CallOptions, type ConnectOptions } from '../types.ts';
import type { GrpcChannel, GrpcStream, OpenChannel, StreamHandlers } from './channel.ts';
import { grpcFrame } from './grpc-message.ts';
import { MessageReader } from './transport/message-reader.ts';

const { NGHTTP2_CANCEL, NGHTTP2_REFUSED_STREAM } = http2.constants;

/** Default milliseconds to wait for the connection and the server's first SETTINGS. */
const DIAL_TIMEOUT_MS = 5000;

/** gRPC's mapping of an HTTP status without grpc-status to a code (grpc/doc/http-grpc-status-mapping.md). */
function httpStatusCode(status: number): number {
  switch (status) {
    case 400: return GrpcCode.Internal;
    case 401: return GrpcCode.Unauthenticated;
    case 403: return GrpcCode.PermissionDenied;
    case 404: return GrpcCode.Unimplemented;
    case 429: case 502: case 503: case 504: return GrpcCode.Unavailable;
    default: return GrpcCode.Unknown;
  }
}

/** `grpc-timeout` of `ms` milliseconds: at most 8 digits, so long deadlines go in seconds. */
export function grpcTimeout(ms: number): string {
  const m = Math.max(1, Math.ceil(ms));
  return m < 1e8 ? `${m}m` : `${Math.min(99_999_999, Math.ceil(m / 1000))}S`;
}

/** `grpc-message` is percent-encoded; a malformed escape is shown as sent. */
function grpcMessage(raw: unknown): string {
  if (typeof raw !== 'string') return '';
  try {
    return decodeURIComponent(raw);
  } catch (err) {
    if (err instanceof URIError) return raw;
    throw err;
  }
}

class NodeHttp2Channel implements GrpcChannel {
  private readonly metadata: Record<string, string> = {};
  private readonly live = new Set<ClientHttp2Stream>();
  private closed = false;
  /** Why the session failed, for the calls it takes down. */
  private sessionError: Error | undefined;

  constructor(
    private session: ClientHttp2Session,
    private readonly opts: ConnectOptions,
  ) {
    this.watch(session);
  }

  private watch(session: ClientHttp2Session): void {
    this.sessionError = undefined;
    session.on('error', (err) => {
      this.sessionError = err;
    });
    session.on('goaway', (code) => {
      this.sessionError ??= new Error(`server sent GOAWAY (code ${code})`);
    });
  }

  /**
   * The session for a new call: after the connection was lost (or the server sent GOAWAY), a
   * new one is dialled; Node queues the call's frames until it is up, and a failed dial fails
   * the call as Unavailable.
   */
  private current(): ClientHttp2Session {
    const s = this.session;
    if (!s.destroyed && !s.closed) return s;
    this.session = dial(this.opts);
    this.watch(this.session);
    return this.session;
  }

  unary(path: string, message: Uint8Array, opts?: CallOptions): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      let reply: Buffer | undefined;
      const call = this.stream(
        path,
        {
          onMessage: (m) => {
            reply ??= m;
          },
          onEnd: (err) => {
            if (err) reject(err);
            else if (reply) resolve(reply);
            else reject(new StoreError(GrpcCode.Internal, `${path}: the server ended the call without a response message`));
          },
        },
        opts,
      );
      call.write(message);
      call.end();
    });
  }

  stream(path: string, handlers: StreamHandlers, opts: CallOptions = {}): GrpcStream {
    let ended = false;
    let localError: StoreError | undefined;
    let timer: NodeJS.Timeout | undefined;
    const finish = (err?: Error): void => {
      if (ended) return;
      ended = true;
      if (timer) clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      handlers.onEnd(err);
    };
    const headers: Record<string, string> = { ':method': 'POST', ':path': path, 'content-type': 'application/grpc', te: 'trailers', ...this.metadata };
    if (opts.timeoutMs !== undefined) headers['grpc-timeout'] = grpcTimeout(opts.timeoutMs);
    let req: ClientHttp2Stream;
    try {
      if (this.closed) throw new Error('channel closed');
      if (opts.signal?.aborted) throw new StoreError(GrpcCode.Cancelled, `${path}: cancelled before it started`);
      req = this.current().request(headers);
    } catch (err) {
      const e = err instanceof StoreError ? err : new StoreError(GrpcCode.Unavailable, `${path}: cannot start the call: ${(err as Error).message}`, { cause: err, retryable: true });
      // Not started: no timer or abort listener to clear.
      ended = true;
      queueMicrotask(() => handlers.onEnd(e));
      return { write: () => undefined, end: () => undefined, cancel: () => undefined };
    }
    this.live.add(req);
    const abortWith = (e: StoreError): void => {
      localError ??= e;
      if (!req.closed) req.close(NGHTTP2_CANCEL);
    };
    const onAbort = (): void => abortWith(new StoreError(GrpcCode.Cancelled, `${path}: cancelled`));
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    if (opts.timeoutMs !== undefined) timer = setTimeout(() => abortWith(new StoreError(GrpcCode.DeadlineExceeded, `${path}: deadline of ${opts.timeoutMs} ms exceeded`)), opts.timeoutMs);

    let httpStatus = 0;
    let status: number | undefined;
    let statusMessage = '';
    const takeStatus = (h: IncomingHttpHeaders): void => {
      if (h['grpc-status'] === undefined) return;
      status = Number(h['grpc-status']);
      statusMessage = grpcMessage(h['grpc-message']);
    };
    const reader = new MessageReader({ onGrpcMessage: (m) => handlers.onMessage(m) }, path);
    let streamError: Error | undefined;
    req.on('response', (h) => {
      httpStatus = Number(h[':status']);
      const encoding = h['grpc-encoding'];
      if (typeof encoding === 'string' && encoding !== 'identity') reader.encoding = encoding;
      takeStatus(h);
    });
    req.on('trailers', takeStatus);
    req.on('data', (chunk: Buffer) => {
      try {
        reader.push(chunk);
      } catch (err) {
        abortWith(err instanceof StoreError ? err : new StoreError(GrpcCode.Internal, `${path}: ${(err as Error).message}`, { cause: err }));
      }
    });
    req.on('error', (err) => {
      streamError = err;
    });
    req.on('close', () => {
      this.live.delete(req);
      if (localError) return finish(localError);
      if (status === GrpcCode.OK && httpStatus === 200) return finish(reader.partial ? new StoreError(GrpcCode.Internal, `${path}: the stream ended inside a message`) : undefined);
      if (status !== undefined) return finish(new StoreError(status, statusMessage || `${path}: grpc-status ${status}`));
      if (httpStatus !== 0 && httpStatus !== 200) return finish(new StoreError(httpStatusCode(httpStatus), `${path}: HTTP status ${httpStatus} without grpc-status`));
      const cause = streamError ?? this.sessionError;
      if (this.closed) return finish(new StoreError(GrpcCode.Cancelled, `${path}: channel closed`, { cause }));
      const refused = req.rstCode === NGHTTP2_REFUSED_STREAM;
      const why = req.rstCode ? `stream reset (code ${req.rstCode})` : cause ? cause.message : 'stream closed without a status';
      finish(new StoreError(GrpcCode.Unavailable, `${path}: ${why}`, { cause, retryable: refused }));
    });
    return {
      write: (m) => {
        if (!req.closed && !req.writableEnded) req.write(grpcFrame(m));
      },
      end: () => {
        if (!req.closed && !req.writableEnded) req.end();
      },
      cancel: () => abortWith(new StoreError(GrpcCode.Cancelled, `${path}: cancelled`)),
    };
  }

  setMetadata(name: string, value: string | undefined): void {
    if (value === undefined) delete this.metadata[name];
    else this.metadata[name] = value;
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.closed = true;
    for (const s of this.live) s.close(NGHTTP2_CANCEL);
    return new Promise((resolve) => {
      if (this.session.destroyed) return resolve();
      this.session.close(() => resolve());
    });
  }
}

/** A new session to `opts.hosts[0]` (connecting in the background). */
function dial(opts: ConnectOptions): ClientHttp2Session {
  const tls = opts.tls;
  const authority = `${tls ? 'https' : 'http'}://${opts.hosts[0]}`;
  return http2.connect(authority, tls ? { ca: tls.ca, cert: tls.cert, key: tls.key, ALPNProtocols: ['h2'] } : {});
}

/**
 * Opens a `node:http2` session to `opts.hosts[0]` (h2c, or TLS with ALPN h2 when `opts.tls` is
 * set) and resolves once the server's first SETTINGS arrived; rejects with a retryable
 * `Unavailable` StoreError when it cannot connect within `dialTimeoutMs` (default 5000 ms).
 */
export const openNodeHttp2Channel: OpenChannel = (opts: ConnectOptions) => {
  const host = opts.hosts[0];
  if (!host) return Promise.reject(new StoreError(GrpcCode.InvalidArgument, 'no host to connect to'));
  const timeoutMs = opts.dialTimeoutMs ?? DIAL_TIMEOUT_MS;
  return new Promise((resolve, reject) => {
    const session = dial(opts);
    const fail = (why: string, cause?: unknown): void => {
      clearTimeout(timer);
      session.destroy();
      reject(new StoreError(GrpcCode.Unavailable, `cannot connect to ${host}: ${why}`, { cause, retryable: true }));
    };
    const timer = setTimeout(() => fail(`no HTTP/2 SETTINGS within ${timeoutMs} ms`), timeoutMs);
    const onError = (err: Error): void => fail(err.message, err);
    session.once('error', onError);
    session.once('close', () => fail('connection closed'));
    session.once('remoteSettings', () => {
      clearTimeout(timer);
      session.off('error', onError);
      session.removeAllListeners('close');
      resolve(new NodeHttp2Channel(session, opts));
    });
  });
};
