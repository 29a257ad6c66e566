/**
 * The native client's `GrpcChannel`: gRPC over one HTTP/2 connection written straight on a
 * socket (see `connection.ts`), built for a load generator — request header blocks encoded
 * once per method, one `write()` per tick, no per-frame objects on the hot path.
 *
 * Connections: one at a time. When its stream ids run out, new calls go to a fresh connection
 * while the old one finishes its calls. After the connection broke (socket closed, protocol
 * error, or drained after GOAWAY), the next call dials again; while a GOAWAY drains, new calls
 * fail fast (`Unavailable`, retryable). A dial that fails fails the calls waiting on it.
 *
 * Example: `const ch = await openH2Channel({ hosts: ['127.0.0.1:2379'] }); const res = await ch.unary('/etcdserverpb.KV/Range', bytes, { timeoutMs: 5000 });`
 */
import type { GrpcChannel, GrpcStream, OpenChannel, StreamHandlers } from '../channel.ts';
import { GrpcCode, StoreError, type CallOptions, type ConnectOptions } from '../../types.ts';
import { Call, type CallOwner } from './call.ts';
import { grpcFrame } from '../grpc-message.ts';
import { Connection } from './connection.ts';
import { authorityOf, dialSocket, parseHostPort, type HostPort } from './dial.ts';
import { DEFAULT_DIAL_TIMEOUT_MS } from './limits.ts';
import { DEFAULT_MAX_MESSAGE_BYTES } from './message-reader.ts';
import { RequestHeaders } from './request-headers.ts';

/** Transport options beyond `ConnectOptions` (tests, tuning). */
export interface H2ChannelOptions {
  /** First stream id of the first connection (odd; later ones start at 1); default 1. Tests use ~2^31 to reach exhaustion. */
  readonly firstStreamId?: number;
  /** Largest response message (octets); default 256 MiB. */
  readonly maxMessageBytes?: number;
  /** Keepalive PING interval while calls are open (milliseconds); default off. */
  readonly keepaliveMs?: number;
  /** How long to wait for a keepalive PING's ACK (milliseconds); default `keepaliveMs`. */
  readonly keepaliveTimeoutMs?: number;
}

/** Holds a call's writes while it waits for a connection (only during a redial). */
const DETACHED: CallOwner = {
  writeMessage(call, message) {
    call.queue.push(grpcFrame(message));
  },
  endCall(call) {
    call.endAfterQueue = true;
  },
  cancelCall(call) {
    call.cancelRequested = true;
  },
};

/** Dials `hp` and waits for the server's SETTINGS, within `timeoutMs`. */
async function openConnection(hp: HostPort, opts: ConnectOptions, extra: H2ChannelOptions, firstStreamId: number): Promise<Connection> {
  const timeoutMs = opts.dialTimeoutMs ?? DEFAULT_DIAL_TIMEOUT_MS;
  const where = `${hp.host}:${hp.port}`;
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(new Error(`no HTTP/2 connection within ${timeoutMs} ms`)), timeoutMs);
  try {
    const socket = await dialSocket(hp, opts.tls, abort.signal);
    const conn = new Connection(socket, { authority: authorityOf(hp), scheme: opts.tls ? 'https' : 'http', firstStreamId, maxMessageBytes: extra.maxMessageBytes, keepaliveMs: extra.keepaliveMs, keepaliveTimeoutMs: extra.keepaliveTimeoutMs });
    const onAbort = () => conn.fail(abort.signal.reason as Error);
    abort.signal.addEventListener('abort', onAbort, { once: true });
    try {
      await conn.ready;
    } finally {
      abort.signal.removeEventListener('abort', onAbort);
    }
    return conn;
  } catch (err) {
    throw new StoreError(GrpcCode.Unavailable, `connect ${where}: ${(err as Error).message}`, { cause: err, retryable: true });
  } finally {
    clearTimeout(timer);
  }
}

/** See the module comment. */
export class H2Channel implements GrpcChannel {
  private conn: Connection | undefined;
  private dialing: Promise<Connection> | undefined;
  private closed = false;
  private readonly hp: HostPort;
  private readonly headers: RequestHeaders;
  private readonly maxMessageBytes: number;

  constructor(
    private readonly opts: ConnectOptions,
    private readonly extra: H2ChannelOptions = {},
  ) {
    const first = opts.hosts[0];
    if (first === undefined) throw new StoreError(GrpcCode.InvalidArgument, 'no host to connect to (hosts is empty)');
    this.hp = parseHostPort(first);
    this.headers = new RequestHeaders(opts.tls ? 'https' : 'http', authorityOf(this.hp));
    this.maxMessageBytes = extra.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  }

  /** Opens the first connection; rejects with `StoreError(Unavailable, retryable)` when it cannot. */
  async connect(): Promise<void> {
    await this.redial();
  }

  /** The connection in use (tests look at its state). */
  get connection(): Connection | undefined {
    return this.conn;
  }

  unary(path: string, message: Uint8Array, opts?: CallOptions): Promise<Buffer> {
    return new Promise<Buffer>((resolve, reject) => {
      const call = new Call(DETACHED, path, this.headers.block(path, opts?.timeoutMs), undefined, resolve, reject, opts?.signal, this.maxMessageBytes);
      call.endAfterQueue = true;
      this.submit(call, message, opts?.timeoutMs);
    });
  }

  stream(path: string, handlers: StreamHandlers, opts?: CallOptions): GrpcStream {
    const call = new Call(DETACHED, path, this.headers.block(path, opts?.timeoutMs), handlers, undefined, undefined, opts?.signal, this.maxMessageBytes);
    this.submit(call, undefined, opts?.timeoutMs);
    return call;
  }

  setMetadata(name: string, value: string | undefined): void {
    this.headers.setMetadata(name, value);
  }

  async close(): Promise<void> {
    this.closed = true;
    const pending = this.dialing;
    await this.conn?.close();
    if (pending) await pending.then((c) => c.close(), () => undefined);
  }

  private submit(call: Call, message: Uint8Array | undefined, timeoutMs: number | undefined): void {
    const conn = this.conn;
    if (this.closed) {
      this.settleDetached(call, new StoreError(GrpcCode.Cancelled, `${call.path}: the channel is closed`));
    } else if (conn && (conn.accepting || conn.state === 'draining')) {
      call.owner = conn;
      conn.submit(call, message, timeoutMs); // a draining connection fails it fast, retryable
    } else {
      const started = performance.now();
      this.redial().then(
        (c) => {
          call.owner = c;
          c.submit(call, message, timeoutMs === undefined ? undefined : timeoutMs - (performance.now() - started));
        },
        (err: StoreError) => this.settleDetached(call, new StoreError(err.code, `${call.path}: ${err.message}`, { cause: err, retryable: true })),
      );
    }
  }

  /** One dial at a time; the connection it replaces finishes its calls and closes. */
  private redial(): Promise<Connection> {
    this.dialing ??= openConnection(this.hp, this.opts, this.extra, this.conn ? 1 : (this.extra.firstStreamId ?? 1)).then(
      (c) => {
        this.dialing = undefined;
        const old = this.conn;
        this.conn = c;
        old?.retire();
        if (this.closed) void c.close();
        return c;
      },
      (err: unknown) => {
        this.dialing = undefined;
        throw err;
      },
    );
    return this.dialing;
  }

  private settleDetached(call: Call, err: StoreError): void {
    if (call.done) return;
    call.done = true;
    const handlers = call.handlers;
    if (handlers) queueMicrotask(() => handlers.onEnd(err));
    else call.reject!(err);
  }
}

/** `OpenChannel` of the native transport: resolves once the server's SETTINGS arrived. */
export const openH2Channel: OpenChannel = async (opts: ConnectOptions) => {
  const ch = new H2Channel(opts);
  await ch.connect();
  return ch;
};

/** Like {@link openH2Channel} with transport options (tests, tuning). */
export async function openH2ChannelWith(opts: ConnectOptions, extra: H2ChannelOptions): Promise<H2Channel> {
  const ch = new H2Channel(opts, extra);
  await ch.connect();
  return ch;
}
