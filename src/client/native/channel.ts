/**
 * What the native client's etcd layer (`client.ts`, protobuf in `codec/`) needs from the
 * transport below it (`h2/`, gRPC over HTTP/2 on one socket): unary calls and bidirectional
 * streams of already-encoded messages. Keeping this seam small lets the etcd layer be tested
 * over any transport and the transport be tested without etcd.
 */
import type { CallOptions, ConnectOptions } from '../types.ts';

/** Ends of a stream as the server or the connection decided them. */
export interface StreamHandlers {
  /** One gRPC message (length prefix removed). */
  onMessage(message: Buffer): void;
  /**
   * The stream is over: `undefined` for grpc-status 0, else a `StoreError` (status from the
   * trailers, or the client's own: connection lost, RST_STREAM, deadline, protocol error).
   * Called exactly once.
   */
  onEnd(err?: Error): void;
}

/** A bidirectional gRPC stream (Watch, LeaseKeepAlive). */
export interface GrpcStream {
  /** Queues one message (flow control applies: it is sent when the windows allow). */
  write(message: Uint8Array): void;
  /** Half-closes our side (END_STREAM). */
  end(): void;
  /** Resets the stream (RST_STREAM CANCEL); `onEnd` gets a `Cancelled` error. */
  cancel(): void;
}

/** One HTTP/2 connection to one server carrying gRPC calls. */
export interface GrpcChannel {
  /**
   * A unary call of `path` (e.g. `/etcdserverpb.KV/Put`): resolves with the response message,
   * rejects with a `StoreError`.
   */
  unary(path: string, message: Uint8Array, opts?: CallOptions): Promise<Buffer>;
  /** Opens a bidirectional stream of `path`. */
  stream(path: string, handlers: StreamHandlers, opts?: CallOptions): GrpcStream;
  /** Metadata sent with every later call (e.g. etcd's `token`); `undefined` removes it. */
  setMetadata(name: string, value: string | undefined): void;
  /** Sends GOAWAY and closes the socket; calls in flight fail with `Cancelled`. Idempotent. */
  close(): Promise<void>;
}

/** Opens a channel to `opts.hosts[0]`: resolves once the server's SETTINGS arrived. */
export type OpenChannel = (opts: ConnectOptions) => Promise<GrpcChannel>;
