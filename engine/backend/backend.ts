/**
 * The storage engine under the MVCC store. Two implementations: `memory/` (state in memory,
 * durability from our own write-ahead log) and `rocksdb/` (revisions and key index in RocksDB).
 *
 * The MVCC store (`../mvcc/store.ts`) decides *what* a write does (revisions, versions, prev
 * values, lease attachment, watch events); a backend stores the outcome and answers reads
 * against what it has committed. Every read method answers "as of revision `rev`": the newest
 * version of each key with modRevision <= rev, skipping keys whose newest such version is a
 * deletion.
 *
 * Worked example. After put a@2, put a@3, delete a@4, put a@5 and compact(3):
 *   get(a, 2) -> fails upstream (below compaction, the store refuses before asking)
 *   get(a, 3) -> a@3 (version 2)     get(a, 4) -> undefined     get(a, 5) -> a@5 (version 1)
 */
import type { KeyValue } from '../mvcc/types.ts';

/** One change to one key inside a committed batch, in (main, sub) order. */
export type Change =
  | { type: 'put'; main: number; sub: number; kv: KeyValue }
  | { type: 'delete'; main: number; sub: number; key: Buffer };

/** A lease as persisted: ID and granted TTL. Expiry times are not persisted (as in etcd). */
export interface LeaseRecord {
  id: number;
  ttlSec: number;
}

/**
 * What one trip through the commit pipeline makes durable at once (group commit). A backend
 * must make the whole batch durable atomically (when sync is `always`) before `commit` resolves.
 */
export interface CommitBatch {
  /** The store's revision after this batch. */
  revision: number;
  /** Key changes in (main, sub) order. */
  changes: Change[];
  leaseGrants: LeaseRecord[];
  leaseRevokes: number[];
  /** When set, history below this revision is dropped (etcd's Compact). */
  compact?: number;
  /** Number of client requests in this batch (drives the memory engine's snapshot cadence). */
  requests: number;
}

/** What a backend recovered when it opened. */
export interface RecoveredState {
  /** Newest committed revision (1 for an empty store, as in etcd). */
  revision: number;
  /** Newest compacted revision, 0 if never compacted. */
  compactRevision: number;
  leases: LeaseRecord[];
}

export interface RangeQuery {
  key: Buffer;
  /** undefined or empty = single key; `\0` = from key; otherwise exclusive end. */
  rangeEnd?: Buffer;
  /** Read as of this revision. */
  revision: number;
  /** 0 = no limit. Results are in ascending key order; `count` is the total before the limit. */
  limit: number;
  /** Only `count` is needed. */
  countOnly?: boolean;
}

export interface EngineStats {
  engine: 'memory' | 'rocksdb';
  /** Bytes the engine occupies on disk (WAL + snapshots, or RocksDB's live SST + WAL). */
  diskBytes: number;
  /** Live keys at the newest revision. */
  keyCount: number;
  revision: number;
  compactRevision: number;
}

export interface Backend {
  readonly kind: 'memory' | 'rocksdb';
  /** Opens (or creates) the data directory and recovers committed state. */
  open(): Promise<RecoveredState>;
  /** The newest version of `key` visible at `revision`, or undefined. */
  get(key: Buffer, revision: number): Promise<KeyValue | undefined>;
  range(q: RangeQuery): Promise<{ kvs: KeyValue[]; count: number }>;
  /**
   * Changes with main revision >= `fromRevision` to keys in [key, rangeEnd) (or the single key),
   * in revision order, at most `limit` of them. Delete changes carry the deleted key. Used to
   * replay history to watchers.
   */
  history(fromRevision: number, key: Buffer, rangeEnd: Buffer | undefined, limit: number): Promise<Change[]>;
  /**
   * Optional hint from the commit pipeline: a batch is about to read these keys one by one at
   * `revision` (its puts' previous values, its txns' compares). An engine whose point reads are
   * a trip to another thread (RocksDB) fetches them all in one trip first. Engines without it
   * are read as before.
   */
  prefetch?(keys: Buffer[], revision: number): Promise<void>;
  /** Keys currently attached to a lease. */
  leaseKeys(id: number): Promise<Buffer[]>;
  /** Makes a batch durable and visible to reads. Batches arrive strictly in revision order. */
  commit(batch: CommitBatch): Promise<void>;
  /**
   * Optional: `commit` with the latin1 key of each change already at hand (`keys[i]` is the key
   * of `batch.changes[i]`; the MVCC store has them), which saves an engine that indexes keys as
   * strings (the memory engine) converting and hashing every key a second time. When present,
   * the commit pipeline calls it instead of `commit`, with the same contract.
   */
  commitKeyed?(batch: CommitBatch, keys: readonly string[]): Promise<void>;
  /**
   * Optional, opt-in: true when `commit` may be called again before the previous call has
   * resolved. Batches still arrive in revision order, their promises must resolve in that order,
   * and a batch may become visible to reads only once it is durable (by the time its promise
   * resolves). The commit pipeline then prepares and hands over the next batch while the
   * previous one is being synced. Engines without it get one commit at a time.
   */
  readonly concurrentCommits?: boolean;
  /**
   * Reclaims space after compaction (RocksDB: a physical compaction of the whole key space).
   * Returns on-disk bytes before and after.
   */
  defragment(): Promise<{ beforeBytes: number; afterBytes: number }>;
  stats(): Promise<EngineStats>;
  /** Flushes and releases the data directory (and its lock). */
  close(): Promise<void>;
}

/** How writes are made durable: `always` = fsync before acknowledging (the default). */
export type SyncPolicy = 'always' | 'none';

export interface BackendOptions {
  dataDir: string;
  sync: SyncPolicy;
  /** Memory engine: snapshot every this many requests (default 10,000, as in the seed). */
  snapshotCount?: number;
  /** Where warnings go (torn WAL tail, etc.); default stderr. */
  log?: (level: 'info' | 'warn' | 'error', message: string) => void;
}
