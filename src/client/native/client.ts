/**
 * `NativeClient`: metabench's own etcd v3 client, the etcd layer over a {@link GrpcChannel}.
 * Requests are encoded by the hand-written codec (`codec/`) into one shared slab, responses
 * decoded straight into the shapes of `client/types.ts`. Watches share one Watch stream
 * (`watch-hub.ts`), keep-alives one LeaseKeepAlive stream (`keep-alive.ts`).
 *
 * With `auth`, `authenticate()` gets a token once and the channel sends it with every call; a
 * call refused with etcd's "invalid auth token" (the token expired) authenticates again and is
 * retried once, as clientv3 does.
 */
import { GrpcCode, StoreError, type Bytes, type CallOptions, type ClientKind, type DeleteOptions, type DeleteResult, type LeaseGrantResult, type LeaseTtlResult, type PutOptions, type PutResult, type RangeOptions, type RangeResult, type StatusResult, type StoreClient, type TxnRequest, type TxnResult, type Watch, type WatchHandlers, type WatchOptions } from '../types.ts';
import type { GrpcChannel } from './channel.ts';
import {
  EMPTY_REQUEST,
  ProtoWriter,
  decodeAuthenticate,
  decodeDelete,
  decodeHeaderOnly,
  decodeLeaseResponse,
  decodeLeaseTimeToLive,
  decodePut,
  decodeRange,
  decodeStatus,
  decodeTxn,
  encodeAuthenticate,
  encodeCompaction,
  encodeDelete,
  encodeLeaseGrant,
  encodeLeaseId,
  encodeLeaseTimeToLive,
  encodePut,
  encodeRange,
  encodeTxn,
} from './codec/index.ts';
import { KeepAliveStream } from './keep-alive.ts';
import { WatchHub } from './watch-hub.ts';

/** gRPC method paths of the etcd v3 services the client calls. */
export const Method = {
  Range: '/etcdserverpb.KV/Range',
  Put: '/etcdserverpb.KV/Put',
  DeleteRange: '/etcdserverpb.KV/DeleteRange',
  Txn: '/etcdserverpb.KV/Txn',
  Compact: '/etcdserverpb.KV/Compact',
  LeaseGrant: '/etcdserverpb.Lease/LeaseGrant',
  LeaseRevoke: '/etcdserverpb.Lease/LeaseRevoke',
  LeaseTimeToLive: '/etcdserverpb.Lease/LeaseTimeToLive',
  Status: '/etcdserverpb.Maintenance/Status',
  Defragment: '/etcdserverpb.Maintenance/Defragment',
  Authenticate: '/etcdserverpb.Auth/Authenticate',
} as const;

/** etcd's refusal of an expired or unknown token (rpctypes.ErrGRPCInvalidAuthToken). */
const INVALID_TOKEN = 'etcdserver: invalid auth token';

/** etcd's refusal of a lease id in use (rpctypes.ErrGRPCLeaseExist). */
const LEASE_EXISTS = 'etcdserver: lease already exists';

/** Lease grants tried with fresh random ids before the collision is reported. */
const LEASE_ID_ATTEMPTS = 5;

/** A user and password to authenticate with. */
export interface Credentials {
  readonly user: string;
  readonly password: string;
}

/** A StoreClient over one gRPC channel. */
export class NativeClient implements StoreClient {
  /** Always `native`. */
  readonly kind: ClientKind = 'native';
  private readonly w = new ProtoWriter();
  private readonly watches: WatchHub;
  private readonly keepAlives: KeepAliveStream;
  private closing: Promise<void> | undefined;

  /** `auth`: credentials to re-authenticate with when the token expires. */
  constructor(
    private readonly channel: GrpcChannel,
    private readonly auth?: Credentials,
  ) {
    this.watches = new WatchHub(channel, this.w);
    this.keepAlives = new KeepAliveStream(channel, this.w);
  }

  /** Encodes with `encode`, calls `path`, decodes with `decode`; every failure is a StoreError. */
  private call<T>(path: string, encode: (w: ProtoWriter) => Buffer, decode: (b: Buffer) => T, opts: CallOptions | undefined, retried = false): Promise<T> {
    let req: Buffer;
    try {
      req = encode(this.w);
    } catch (err) {
      this.w.discard();
      return Promise.reject(new StoreError(GrpcCode.InvalidArgument, `${path}: ${(err as Error).message}`, { cause: err }));
    }
    return this.channel.unary(path, req, opts).then(
      (reply) => {
        try {
          return decode(reply);
        } catch (err) {
          throw new StoreError(GrpcCode.Internal, `${path}: malformed response: ${(err as Error).message}`, { cause: err });
        }
      },
      async (err: unknown) => {
        if (!retried && this.auth && err instanceof StoreError && err.message === INVALID_TOKEN) {
          await this.authenticate();
          return this.call(path, encode, decode, opts, true);
        }
        throw err instanceof StoreError ? err : new StoreError(GrpcCode.Unknown, `${path}: ${String(err)}`, { cause: err });
      },
    );
  }

  /** Authenticates with the client's credentials and sends the token with every later call. */
  async authenticate(call?: CallOptions): Promise<void> {
    if (!this.auth) throw new StoreError(GrpcCode.InvalidArgument, 'authenticate: the client has no credentials');
    const { user, password } = this.auth;
    this.channel.setMetadata('token', undefined);
    const token = await this.call(Method.Authenticate, (w) => encodeAuthenticate(w, user, password), decodeAuthenticate, call, true);
    this.channel.setMetadata('token', token);
  }

  range(key: Bytes, opts?: RangeOptions, call?: CallOptions): Promise<RangeResult> {
    return this.call(Method.Range, (w) => encodeRange(w, key, opts), decodeRange, call);
  }

  put(key: Bytes, value: Bytes, opts?: PutOptions, call?: CallOptions): Promise<PutResult> {
    return this.call(Method.Put, (w) => encodePut(w, key, value, opts), decodePut, call);
  }

  delete(key: Bytes, opts?: DeleteOptions, call?: CallOptions): Promise<DeleteResult> {
    return this.call(Method.DeleteRange, (w) => encodeDelete(w, key, opts), decodeDelete, call);
  }

  txn(req: TxnRequest, call?: CallOptions): Promise<TxnResult> {
    return this.call(Method.Txn, (w) => encodeTxn(w, req), decodeTxn, call);
  }

  async compact(revision: number, physical = false, call?: CallOptions): Promise<void> {
    await this.call(Method.Compact, (w) => encodeCompaction(w, revision, physical), decodeHeaderOnly, call);
  }

  watch(key: Bytes, opts: WatchOptions, handlers: WatchHandlers, call?: CallOptions): Promise<Watch> {
    return this.watches.watch(key, opts, handlers, call);
  }

  /** Asks for a progress notification of every watch of this client (WatchProgressRequest). */
  requestWatchProgress(): void {
    this.watches.requestProgress();
  }

  /**
   * Grants a lease with an id the client picks at random below 2^53: etcd's own ids use all 63
   * bits, which a JS number cannot hold exactly, and the lease id is a number in `StoreClient`.
   * An id already in use ("etcdserver: lease already exists") is replaced and the grant retried.
   */
  async leaseGrant(ttlSec: number, call?: CallOptions): Promise<LeaseGrantResult> {
    for (let attempt = 1; ; attempt++) {
      const id = 1 + Math.floor(Math.random() * (Number.MAX_SAFE_INTEGER - 1));
      try {
        const r = await this.call(Method.LeaseGrant, (w) => encodeLeaseGrant(w, ttlSec, id), decodeLeaseResponse, call);
        if (r.error) throw new StoreError(GrpcCode.Unknown, r.error);
        return { id: r.id, ttlSec: r.ttlSec };
      } catch (err) {
        if (attempt >= LEASE_ID_ATTEMPTS || !(err instanceof StoreError) || err.message !== LEASE_EXISTS) throw err;
      }
    }
  }

  async leaseRevoke(id: number, call?: CallOptions): Promise<void> {
    await this.call(Method.LeaseRevoke, (w) => encodeLeaseId(w, id), decodeHeaderOnly, call);
  }

  leaseKeepAliveOnce(id: number, call?: CallOptions): Promise<number> {
    return this.keepAlives.once(id, call);
  }

  async leaseTimeToLive(id: number, keys = false, call?: CallOptions): Promise<LeaseTtlResult> {
    const r = await this.call(Method.LeaseTimeToLive, (w) => encodeLeaseTimeToLive(w, id, keys), decodeLeaseTimeToLive, call);
    return { id: r.id, ttlSec: r.ttlSec, grantedTtlSec: r.grantedTtlSec, keys: r.keys };
  }

  status(call?: CallOptions): Promise<StatusResult> {
    return this.call(Method.Status, () => EMPTY_REQUEST, decodeStatus, call);
  }

  async defragment(call?: CallOptions): Promise<void> {
    await this.call(Method.Defragment, () => EMPTY_REQUEST, decodeHeaderOnly, call);
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      this.watches.close();
      this.keepAlives.close();
      await this.channel.close();
    })();
    return this.closing;
  }
}
