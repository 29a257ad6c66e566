/**
 * The one client interface every workload, the readiness check and the benches drive a target
 * through. Two implementations: `native/` (metabench's own gRPC-over-HTTP/2 client, the default)
 * and `etcd3/` (the etcd3 npm package, kept as a cross-check, `--client etcd3`). `factory.ts`
 * is the one place clients are built.
 *
 * Shapes follow etcd's rpc.proto with camelCase names and int64 fields as JS numbers (exact up
 * to 2^53, as the server's own `engine/mvcc/types.ts`). Keys and values are bytes; a string is
 * taken as UTF-8. Results carry only what the scenarios and checks read, so that a lean decoder
 * can skip the rest.
 */

/** Bytes on the wire; a string is encoded as UTF-8. */
export type Bytes = string | Uint8Array;

/** Which implementation: `native` (default) or `etcd3` (the npm package). */
export type ClientKind = 'native' | 'etcd3';

/** How to reach a target: one connection per client, to `hosts[0]` (the others are fall-backs). */
export interface ConnectOptions {
  /** `host:port` of each member (no scheme). */
  readonly hosts: readonly string[];
  /** TLS (ALPN h2); absent: plaintext HTTP/2 (h2c with prior knowledge, as etcd's clients). */
  readonly tls?: {
    /** PEM of the CA to trust; absent: the system's roots. */
    readonly ca?: Buffer;
    readonly cert?: Buffer;
    readonly key?: Buffer;
  };
  /** User and password: the client authenticates once and sends the token with every call. */
  readonly auth?: { readonly user: string; readonly password: string };
  /** Milliseconds to wait for the connection (TCP + TLS + SETTINGS), default 5000. */
  readonly dialTimeoutMs?: number;
}

/** Per call. */
export interface CallOptions {
  /** Milliseconds until the call fails with `DeadlineExceeded` (sent as `grpc-timeout`). */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

export interface ResponseHeader {
  readonly revision: number;
  readonly clusterId?: string;
  readonly memberId?: string;
  readonly raftTerm?: number;
}

export interface KeyValue {
  readonly key: Buffer;
  readonly value: Buffer;
  readonly createRevision: number;
  readonly modRevision: number;
  readonly version: number;
  readonly lease: number;
}

export type SortOrder = 'none' | 'ascend' | 'descend';
export type SortTarget = 'key' | 'version' | 'create' | 'mod' | 'value';

export interface RangeOptions {
  /** etcd's range_end: absent = the one key; `\0` = every key from `key` on. See {@link prefixEnd}. */
  readonly end?: Bytes;
  readonly limit?: number;
  /** Read at this revision (0 or absent: the newest). */
  readonly revision?: number;
  readonly keysOnly?: boolean;
  readonly countOnly?: boolean;
  readonly serializable?: boolean;
  readonly sortOrder?: SortOrder;
  readonly sortTarget?: SortTarget;
}

export interface RangeResult {
  readonly header: ResponseHeader;
  readonly kvs: readonly KeyValue[];
  readonly more: boolean;
  readonly count: number;
}

export interface PutOptions {
  readonly lease?: number;
  readonly prevKv?: boolean;
}

export interface PutResult {
  readonly header: ResponseHeader;
  readonly prevKv?: KeyValue;
}

export interface DeleteOptions {
  readonly end?: Bytes;
  readonly prevKv?: boolean;
}

export interface DeleteResult {
  readonly header: ResponseHeader;
  readonly deleted: number;
  readonly prevKvs: readonly KeyValue[];
}

/** One comparison of a Txn: `target(key) result value`. */
export interface Compare {
  readonly key: Bytes;
  readonly target: 'version' | 'create' | 'mod' | 'value' | 'lease';
  readonly result: '==' | '!=' | '<' | '>';
  /** A number for version/create/mod/lease, bytes for value. */
  readonly value: number | Bytes;
  /** Compare every key in [key, end) (etcd 3.3+). */
  readonly end?: Bytes;
}

/** One operation of a Txn branch. */
export type TxnOp =
  | { readonly put: { readonly key: Bytes; readonly value: Bytes } & PutOptions }
  | { readonly range: { readonly key: Bytes } & RangeOptions }
  | { readonly deleteRange: { readonly key: Bytes } & DeleteOptions };

export interface TxnRequest {
  readonly compare: readonly Compare[];
  readonly success: readonly TxnOp[];
  readonly failure?: readonly TxnOp[];
}

/** One response of the branch taken, in the order of its operations. */
export type TxnOpResult = { readonly range: RangeResult } | { readonly put: PutResult } | { readonly deleteRange: DeleteResult };

export interface TxnResult {
  readonly header: ResponseHeader;
  readonly succeeded: boolean;
  readonly responses: readonly TxnOpResult[];
}

export interface StatusResult {
  readonly header: ResponseHeader;
  readonly version: string;
  readonly dbSize: number;
  readonly leader: string;
  readonly raftIndex: number;
}

export interface WatchEvent {
  readonly type: 'put' | 'delete';
  readonly kv: KeyValue;
  readonly prevKv?: KeyValue;
}

export interface WatchOptions {
  readonly end?: Bytes;
  /** Replay history from this revision (absent: from now). */
  readonly startRevision?: number;
  readonly prevKv?: boolean;
  readonly progressNotify?: boolean;
  readonly filters?: readonly ('noput' | 'nodelete')[];
}

/** What a watcher is told. Callbacks run on the client's event loop; keep them cheap. */
export interface WatchHandlers {
  /** A response with events, in revision order. */
  onEvents(events: readonly WatchEvent[], header: ResponseHeader): void;
  /** The watch ended on the server's word (cancelled, compacted) or the stream broke. */
  onError?(err: Error): void;
  /** A progress notification (no events). */
  onProgress?(header: ResponseHeader): void;
}

/** A created watch (the server has confirmed it). */
export interface Watch {
  readonly id: number;
  /** Cancels it on the server; resolves once confirmed or the stream is gone. */
  cancel(): Promise<void>;
}

export interface LeaseGrantResult {
  readonly id: number;
  readonly ttlSec: number;
}

export interface LeaseTtlResult {
  readonly id: number;
  /** Seconds left; -1 when the lease has expired or does not exist. */
  readonly ttlSec: number;
  readonly grantedTtlSec: number;
  readonly keys: readonly Buffer[];
}

/**
 * A client of one target: one connection (HTTP/2 session) on which all its calls are
 * multiplexed. Every method rejects with a {@link StoreError}.
 */
export interface StoreClient {
  /** `native` or `etcd3`. */
  readonly kind: ClientKind;

  range(key: Bytes, opts?: RangeOptions, call?: CallOptions): Promise<RangeResult>;
  put(key: Bytes, value: Bytes, opts?: PutOptions, call?: CallOptions): Promise<PutResult>;
  delete(key: Bytes, opts?: DeleteOptions, call?: CallOptions): Promise<DeleteResult>;
  txn(req: TxnRequest, call?: CallOptions): Promise<TxnResult>;
  compact(revision: number, physical?: boolean, call?: CallOptions): Promise<void>;

  watch(key: Bytes, opts: WatchOptions, handlers: WatchHandlers, call?: CallOptions): Promise<Watch>;

  leaseGrant(ttlSec: number, call?: CallOptions): Promise<LeaseGrantResult>;
  leaseRevoke(id: number, call?: CallOptions): Promise<void>;
  /** One keep-alive round trip; returns the new TTL in seconds. */
  leaseKeepAliveOnce(id: number, call?: CallOptions): Promise<number>;
  leaseTimeToLive(id: number, keys?: boolean, call?: CallOptions): Promise<LeaseTtlResult>;

  status(call?: CallOptions): Promise<StatusResult>;
  defragment(call?: CallOptions): Promise<void>;

  /** Closes the connection; calls in flight fail with `Cancelled`. Idempotent. */
  close(): Promise<void>;
}

/**
 * gRPC status codes by name (grpc/status.h), the vocabulary errors are counted in. etcd's own
 * refusals arrive as one of these codes with etcd's message (`etcdserver: …`, `mvcc: …`).
 */
export const GrpcCode = {
  OK: 0,
  Cancelled: 1,
  Unknown: 2,
  InvalidArgument: 3,
  DeadlineExceeded: 4,
  NotFound: 5,
  AlreadyExists: 6,
  PermissionDenied: 7,
  ResourceExhausted: 8,
  FailedPrecondition: 9,
  Aborted: 10,
  OutOfRange: 11,
  Unimplemented: 12,
  Internal: 13,
  Unavailable: 14,
  DataLoss: 15,
  Unauthenticated: 16,
} as const;
export type GrpcCodeName = keyof typeof GrpcCode;

/** The name of a gRPC status code (`Unknown` for codes outside the table). */
export function codeName(code: number): GrpcCodeName {
  for (const [name, c] of Object.entries(GrpcCode)) if (c === code) return name as GrpcCodeName;
  return 'Unknown';
}

/**
 * Every client failure: a gRPC status (from the server's trailers, or the client's own for a
 * deadline, a broken connection or a protocol error) and its message. `retryable` marks calls
 * the server never processed (refused by GOAWAY or REFUSED_STREAM, connection not up).
 */
export class StoreError extends Error {
  override readonly name = 'StoreError';
  constructor(
    readonly code: number,
    message: string,
    options?: ErrorOptions & { readonly retryable?: boolean },
  ) {
    super(message, options);
    this.retryable = options?.retryable ?? false;
  }
  readonly retryable: boolean;
  /** `DeadlineExceeded`, `Unavailable`, … */
  get codeName(): GrpcCodeName {
    return codeName(this.code);
  }
}

/** The range_end that selects every key starting with `prefix` (etcd's `clientv3.GetPrefixRangeEnd`). */
export function prefixEnd(prefix: Bytes): Buffer {
  const b = Buffer.from(typeof prefix === 'string' ? Buffer.from(prefix) : prefix);
  for (let i = b.length - 1; i >= 0; i--) {
    if (b[i]! < 0xff) {
      b[i]!++;
      return b.subarray(0, i + 1);
    }
  }
  return Buffer.from([0]); // every byte 0xff: no upper bound, i.e. from the key on
}
