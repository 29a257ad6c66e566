/**
 * What MetaStore-TS offers to its callers (the gRPC server, the micro-benchmarks, the tests):
 * etcd v3's KV, Watch, Lease and Maintenance semantics for one member. The implementation is
 * `MvccStore` in `store.ts`; the engine underneath is a `Backend` (`../backend/backend.ts`).
 *
 * Every write goes through the commit pipeline: queued, taken in batches, made durable by the
 * backend, applied in order, then acknowledged. A read sees every acknowledged write.
 */
import type {
  CompactionRequest,
  CompactionResponse,
  DeleteRangeRequest,
  DeleteRangeResponse,
  LeaseGrantResponse,
  LeaseStatus,
  LeaseTimeToLiveResponse,
  PutRequest,
  PutResponse,
  RangeRequest,
  RangeResponse,
  ResponseHeader,
  StoreStatus,
  TxnRequest,
  TxnResponse,
  WatchCreateRequest,
  WatchNotification,
} from './types.ts';

/** A live watch. `cancel()` stops delivery; no notification is delivered after it returns. */
export interface Watch {
  readonly id: number;
  cancel(): void;
}

/**
 * Receives a watch's notifications in revision order, each event exactly once. Returning
 * `false` says the consumer is backed up: the store stops pushing and catches the watcher up
 * from history once `resume()` is called on the handle (etcd's unsynced-watcher scheme), so a
 * slow watcher neither blocks writers nor loses events.
 */
export type WatchListener = (n: WatchNotification) => boolean | void;

export interface WatchHandle extends Watch {
  /** Resume delivery after the listener returned false. */
  resume(): void;
}

export interface KV {
  range(req: RangeRequest): Promise<RangeResponse>;
  put(req: PutRequest): Promise<PutResponse>;
  deleteRange(req: DeleteRangeRequest): Promise<DeleteRangeResponse>;
  txn(req: TxnRequest): Promise<TxnResponse>;
  compact(req: CompactionRequest): Promise<CompactionResponse>;
}

export interface WatchableKV extends KV {
  /**
   * Starts a watch. Fails with etcd's compacted error (via a notification carrying
   * `compactRevision` and `canceled`) when `startRevision` is below the compacted revision.
   */
  watch(req: WatchCreateRequest, listener: WatchListener): WatchHandle;
}

export interface Lessor {
  /** Grants a lease; `id` 0 lets the store choose. `ttlSec` is clamped up to the minimum TTL. */
  leaseGrant(ttlSec: number, id?: number): Promise<LeaseGrantResponse>;
  /** Revokes a lease and deletes every key attached to it (one revision). */
  leaseRevoke(id: number): Promise<{ header: ResponseHeader }>;
  /** Renews a lease; returns the TTL in seconds. Fails with leaseNotFound. */
  leaseKeepAlive(id: number): Promise<{ header: ResponseHeader; id: number; ttl: number }>;
  leaseTimeToLive(id: number, keys?: boolean): Promise<LeaseTimeToLiveResponse>;
  leaseLeases(): Promise<{ header: ResponseHeader; leases: LeaseStatus[] }>;
}

export interface MetaStore extends WatchableKV, Lessor {
  status(): Promise<StoreStatus>;
  /** A header at the current revision. */
  header(): ResponseHeader;
  /**
   * Reclaims space after compaction (the backend's `defragment`: RocksDB compacts its key
   * space physically). Optional so that a store without it still fits; `Maintenance.Defragment`
   * answers success without work then. Returns on-disk bytes before and after.
   */
  defragment?(): Promise<{ beforeBytes: number; afterBytes: number }>;
  /** Stops accepting requests, finishes the queued ones, flushes and closes the backend. */
  close(): Promise<void>;
}
