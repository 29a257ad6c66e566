/**
 * MvccStore: etcd v3 semantics for one member over any `Backend`. It owns the committed
 * revision (what reads see), the commit pipeline (how writes become durable, in batches), the
 * watch hub and the lease table; the backend stores the outcome and answers versioned reads.
 *
 * Visibility: the store's revision moves only after `Backend.commit` resolved, and requests are
 * answered only after that, so a read (which asks the engine "as of" the store's revision)
 * never sees an unacknowledged write and always sees every acknowledged one.
 */
import type { Backend, CommitBatch, RecoveredState } from '../backend/backend.ts';
import { BatchView as ReadView, syncReader, type BatchView, type SyncPointReader } from './batch-view.ts';
import { applyTxn } from './apply.ts';
import {
  EtcdError,
  ErrorMessages,
  errCompacted,
  errEmptyKey,
  errFutureRev,
  errLeaseNotFound,
  errLeaseTtlTooLarge,
  errStopped,
} from './errors.ts';
import { isMultiKey, keyString } from './key-range.ts';
import type { MetaStore, WatchHandle, WatchListener } from './kv.ts';
import { DEFAULT_MIN_LEASE_TTL_SEC, LeaseTable, MAX_LEASE_TTL_SEC } from './lessor.ts';
import { CommitPipeline, type CommitOverlap, type WriteRequest } from './pipeline.ts';
import { engineLimit, shapeRange } from './range.ts';
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
} from './types.ts';
import { checkDelete, checkPut, checkRange, checkTxn } from './validate.ts';
import { WatchHub } from './watch-hub.ts';

/** Cluster ID reported in every header ("meta" in ASCII; any fixed non-zero value works). */
export const CLUSTER_ID = 0x6d657461;
/** Member ID of the single member ("stor" in ASCII). */
export const MEMBER_ID = 0x73746f72;
/** Raft term reported in headers: one member, never re-elected. */
export const RAFT_TERM = 1;
/** The etcd API version this store speaks, as reported by Status. */
export const API_VERSION = '3.4.0';

/** Tuning of the MVCC layer (all optional). */
export interface MvccOptions {
  /** Shortest lease TTL in seconds; shorter grants are raised to it. Default 2 (etcd's). */
  minLeaseTtlSec?: number;
  /** How often expired leases are looked for, in ms. Default 500. */
  leaseCheckIntervalMs?: number;
  /** Interval of progress notifications to watchers that asked for them, in ms. Default 600,000 (etcd's 10 min). */
  progressNotifyIntervalMs?: number;
  /** Where the store reports problems (expiry revokes that failed, throwing listeners). Default stderr. */
  log?: (level: 'info' | 'warn' | 'error', message: string) => void;
  /**
   * Whether the next batch of writes is prepared while the previous one syncs, on engines that
   * allow it (memory): `never` (default) or `always` (see `CommitOverlap` in pipeline.ts).
   */
  commitOverlap?: CommitOverlap;
}

function invalid(what: string, value: unknown, expected: string): EtcdError {
  return new EtcdError('INVALID_ARGUMENT', `etcdserver: invalid ${what} ${String(value)}; expected ${expected}`);
}

/** Rejects tuning values that would make the store misbehave, naming the option and value. */
function checkOptions(opts: MvccOptions): void {
  const positive: [keyof MvccOptions, unknown][] = [
    ['minLeaseTtlSec', opts.minLeaseTtlSec],
    ['leaseCheckIntervalMs', opts.leaseCheckIntervalMs],
    ['progressNotifyIntervalMs', opts.progressNotifyIntervalMs],
  ];
  if (opts.commitOverlap !== undefined && opts.commitOverlap !== 'always' && opts.commitOverlap !== 'never') {
    throw new RangeError(`store option commitOverlap is ${String(opts.commitOverlap)}; expected always or never`);
  }
  for (const [name, value] of positive) {
    if (value !== undefined && (typeof value !== 'number' || !Number.isInteger(value) || value < 1)) {
      throw new RangeError(`store option ${name} is ${String(value)}; expected a positive integer`);
    }
  }
}

function defaultLog(level: 'info' | 'warn' | 'error', message: string): void {
  process.stderr.write(`metastore ${level}: ${message}\n`);
}

/** etcd v3 semantics for one member over a `Backend` (see the file comment); open with `MvccStore.open`. */
export class MvccStore implements MetaStore {
  private rev: number;
  private compactRev: number;
  private closing: Promise<void> | undefined;
  private readonly leases = new LeaseTable();
  private readonly hub: WatchHub;
  private readonly pipeline: CommitPipeline;
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly log: (level: 'info' | 'warn' | 'error', message: string) => void;
  /** The engine's synchronous point read, when it has one (saves a promise per Get). */
  private readonly sync: SyncPointReader | undefined;

  /** Opens the backend (recovering its state) and starts a store over it. */
  static async open(backend: Backend, opts: MvccOptions = {}): Promise<MvccStore> {
    checkOptions(opts);
    const recovered = await backend.open();
    return new MvccStore(backend, recovered, opts);
  }

  private constructor(
    private readonly backend: Backend,
    recovered: RecoveredState,
    opts: MvccOptions,
  ) {
    this.rev = recovered.revision;
    this.compactRev = recovered.compactRevision;
    this.log = opts.log ?? defaultLog;
    this.sync = syncReader(backend);
    // etcd gives every lease a fresh full TTL after a restart.
    for (const l of recovered.leases) this.leases.add(l);
    this.hub = new WatchHub({
      revision: () => this.rev,
      compactRevision: () => this.compactRev,
      header: () => this.header(),
      history: (from, key, end, limit) => this.backend.history(from, key, end, limit),
      get: (key, revision) => this.backend.get(key, revision),
      log: this.log,
    });
    this.pipeline = new CommitPipeline({
      backend,
      leases: this.leases,
      minLeaseTtlSec: opts.minLeaseTtlSec ?? DEFAULT_MIN_LEASE_TTL_SEC,
      headerAt: (revision) => ({ clusterId: CLUSTER_ID, memberId: MEMBER_ID, revision, raftTerm: RAFT_TERM }),
      revision: () => this.rev,
      compactRevision: () => this.compactRev,
      committed: (v, batch) => this.publish(v, batch),
      overlap: opts.commitOverlap,
    });
    const expiry = setInterval(() => this.expireLeases(), opts.leaseCheckIntervalMs ?? 500);
    expiry.unref();
    const progress = setInterval(() => this.hub.progress(), opts.progressNotifyIntervalMs ?? 600_000);
    progress.unref();
    this.timers.push(expiry, progress);
  }

  /** A committed batch becomes the store's state (before its requests are answered). */
  private publish(v: BatchView, batch: CommitBatch): void {
    this.rev = batch.revision;
    if (batch.compact !== undefined) this.compactRev = batch.compact;
    for (const g of batch.leaseGrants) this.leases.add(g);
    for (const id of batch.leaseRevokes) this.leases.remove(id);
    this.hub.notify(batch.revision, v.changes, v.keys, v.prevs);
  }

  header(): ResponseHeader {
    return { clusterId: CLUSTER_ID, memberId: MEMBER_ID, revision: this.rev, raftTerm: RAFT_TERM };
  }

  private submit<T>(w: WriteRequest, barrier: boolean): Promise<T> {
    if (this.closing !== undefined) return Promise.reject(errStopped());
    return this.pipeline.submit<T>(w, barrier);
  }

  async range(req: RangeRequest): Promise<RangeResponse> {
    if (this.closing !== undefined) throw errStopped();
    checkRange(req);
    const header = this.header();
    let at = header.revision;
    const asked = req.revision ?? 0;
    if (asked > 0) {
      if (asked > at) throw errFutureRev();
      if (asked < this.compactRev) throw errCompacted();
      at = asked;
    }
    if (!isMultiKey(req.rangeEnd)) {
      const kv = this.sync !== undefined ? this.sync.getSync(keyString(req.key), at) : await this.backend.get(req.key, at);
      return shapeRange(req, kv === undefined ? [] : [kv], kv === undefined ? 0 : 1, header);
    }
    const r = await this.backend.range({
      key: req.key,
      rangeEnd: req.rangeEnd,
      revision: at,
      limit: engineLimit(req),
      countOnly: req.countOnly,
    });
    return shapeRange(req, r.kvs, r.count, header);
  }

  put(req: PutRequest): Promise<PutResponse> {
    try {
      checkPut(req);
    } catch (err) {
      return Promise.reject(err);
    }
    return this.submit({ kind: 'put', req }, false);
  }

  deleteRange(req: DeleteRangeRequest): Promise<DeleteRangeResponse> {
    try {
      checkDelete(req);
    } catch (err) {
      return Promise.reject(err);
    }
    return this.submit({ kind: 'delete', req }, isMultiKey(req.rangeEnd));
  }

  async txn(req: TxnRequest): Promise<TxnResponse> {
    if (this.closing !== undefined) throw errStopped();
    const shape = checkTxn(req);
    if (shape.readOnly) {
      // No writes anywhere in it: answer from the committed state, as etcd serves read-only txns.
      const view = new ReadView(this.backend, this.rev, this.compactRev, this.leases);
      return applyTxn(view, req, (revision) => ({ clusterId: CLUSTER_ID, memberId: MEMBER_ID, revision, raftTerm: RAFT_TERM }));
    }
    return this.submit({ kind: 'txn', req }, shape.rangeRead);
  }

  async compact(req: CompactionRequest): Promise<CompactionResponse> {
    if (!Number.isSafeInteger(req.revision) || req.revision < 0) {
      throw invalid('compaction revision', req.revision, 'a non-negative integer');
    }
    return this.submit({ kind: 'compact', revision: req.revision }, true);
  }

  watch(req: WatchCreateRequest, listener: WatchListener): WatchHandle {
    if (this.closing !== undefined) throw errStopped();
    if (req.key === undefined || req.key.length === 0) throw errEmptyKey();
    return this.hub.watch(req, listener);
  }

  async leaseGrant(ttlSec: number, id = 0): Promise<LeaseGrantResponse> {
    // First, as etcd's lessor does: int64 max arrives as a double beyond 2^53, too large all the same.
    if (ttlSec > MAX_LEASE_TTL_SEC) throw errLeaseTtlTooLarge();
    if (!Number.isSafeInteger(ttlSec)) throw invalid('lease TTL', ttlSec, 'an integer number of seconds');
    if (!Number.isSafeInteger(id) || id < 0) throw invalid('lease ID', id, 'a non-negative integer below 2^53');
    return this.submit({ kind: 'leaseGrant', ttlSec, id }, false);
  }

  async leaseRevoke(id: number): Promise<{ header: ResponseHeader }> {
    return this.submit({ kind: 'leaseRevoke', id }, true);
  }

  async leaseKeepAlive(id: number): Promise<{ header: ResponseHeader; id: number; ttl: number }> {
    if (this.closing !== undefined) throw errStopped();
    const ttl = this.leases.renew(id);
    if (ttl === undefined) throw errLeaseNotFound();
    return { header: this.header(), id, ttl };
  }

  async leaseTimeToLive(id: number, keys = false): Promise<LeaseTimeToLiveResponse> {
    if (this.closing !== undefined) throw errStopped();
    const header = this.header();
    const lease = this.leases.get(id);
    if (lease === undefined) return { header, id, ttl: -1, grantedTtl: 0, keys: [] };
    return {
      header,
      id,
      ttl: this.leases.remainingSec(id),
      grantedTtl: lease.ttlSec,
      keys: keys ? await this.backend.leaseKeys(id) : [],
    };
  }

  async leaseLeases(): Promise<{ header: ResponseHeader; leases: { id: number }[] }> {
    if (this.closing !== undefined) throw errStopped();
    const leases: LeaseStatus[] = this.leases.ids().map((id) => ({ id }));
    return { header: this.header(), leases };
  }

  /** Revokes, through the pipeline, every lease whose TTL ran out. */
  private expireLeases(): void {
    if (this.closing !== undefined) return;
    for (const id of this.leases.takeExpired()) {
      this.pipeline.submit({ kind: 'leaseRevoke', id }, true).then(
        () => undefined,
        (err: unknown) => {
          // Revoked by a client in the meantime: nothing left to do.
          if (err instanceof EtcdError && err.message === ErrorMessages.leaseNotFound) return;
          this.leases.unmarkRevoking(id);
          this.log('error', `revoking expired lease ${id} failed: ${(err as Error).message}`);
        },
      );
    }
  }

  async status(): Promise<StoreStatus> {
    if (this.closing !== undefined) throw errStopped();
    const stats = await this.backend.stats();
    return {
      header: this.header(),
      version: API_VERSION,
      dbSize: stats.diskBytes,
      dbSizeInUse: stats.diskBytes,
      compactRevision: this.compactRev,
      keyCount: stats.keyCount,
      engine: this.backend.kind,
    };
  }

  /**
   * Reclaims disk space after compaction (the engine's `defragment`: RocksDB runs a full
   * compaction; the memory engine has nothing to do). Returns on-disk bytes before and after.
   */
  async defragment(): Promise<{ beforeBytes: number; afterBytes: number }> {
    if (this.closing !== undefined) throw errStopped();
    return this.backend.defragment();
  }

  /** Number of live watchers (for tests and the status view). */
  get watcherCount(): number {
    return this.hub.size;
  }

  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    await this.pipeline.drain();
    this.hub.closeAll();
    await this.backend.close();
  }
}
