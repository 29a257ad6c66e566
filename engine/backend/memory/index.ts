/**
 * The memory engine: every retained version of every key lives in memory; durability comes
 * from the write-ahead log (`log.ts`) plus periodic snapshots. `commit` appends the batch to the
 * log (fsync per the sync policy), then applies it to the in-memory index; recovery applies the
 * latest snapshot and replays the batches logged after it.
 *
 * Snapshots: the log says when one is due (`MemoryLog.snapshotDue`: every `snapshotCount`
 * requests, held back while the log since the last snapshot is smaller than it, so snapshot
 * work stays linear in the writes); the engine then hands it every retained change.
 *
 * In memory:
 *   keys      Map latin1 key -> KeyHistory (point reads)
 *   ordered   the same KeyHistory objects in byte order (range reads)
 *   log       every retained change in revision order (watch catch-up, snapshots)
 *   leaseKeys lease id -> latin1 keys currently attached to it
 */
import { claimDataDir } from '../data-dir.ts';
import type {
  Backend,
  BackendOptions,
  Change,
  CommitBatch,
  EngineStats,
  LeaseRecord,
  RangeQuery,
  RecoveredState,
} from '../backend.ts';
import type { KeyValue } from '../../mvcc/types.ts';
import { keyBuffer, keyString, spanHas, toSpan } from '../../mvcc/key-range.ts';
import { KeyHistory } from './key-history.ts';
import { SortedIndex } from './sorted-index.ts';
import { MemoryLog, type MemorySnapshot } from './log.ts';

/** Default snapshot cadence in requests (the seed's 10,000). */
export const DEFAULT_SNAPSHOT_COUNT = 10_000;

function defaultLog(level: 'info' | 'warn' | 'error', message: string): void {
  process.stderr.write(`metastore ${level}: ${message}\n`);
}

/** The latin1 key of a change. */
function changeKey(c: Change): string {
  return keyString(c.type === 'put' ? c.kv.key : c.key);
}

/** Creates the memory engine on `opts.dataDir` (nothing is touched until `open()`). */
export function createMemoryBackend(opts: BackendOptions): Backend {
  return new MemoryBackend(opts);
}

/** The memory engine (see the file comment). */
export class MemoryBackend implements Backend {
  readonly kind = 'memory' as const;
  /** The pipeline may hand over the next batch while this one is made durable (see commitKeyed). */
  readonly concurrentCommits = true;
  private readonly keys = new Map<string, KeyHistory>();
  private readonly ordered = new SortedIndex<KeyHistory>();
  private log: Change[] = [];
  private readonly leases = new Map<number, LeaseRecord>();
  private readonly leaseKeyMap = new Map<number, Set<string>>();
  private revision = 1;
  private compactRevision = 0;
  private liveKeys = 0;
  private durability: MemoryLog | undefined;
  private release: (() => Promise<void>) | undefined;

  constructor(private readonly opts: BackendOptions) {}

  async open(): Promise<RecoveredState> {
    this.release = await claimDataDir(this.opts.dataDir, 'memory');
    try {
      const { log, snapshot, batches } = await MemoryLog.open({
        dataDir: this.opts.dataDir,
        sync: this.opts.sync,
        snapshotCount: this.opts.snapshotCount ?? DEFAULT_SNAPSHOT_COUNT,
        log: this.opts.log ?? defaultLog,
      });
      this.durability = log;
      if (snapshot !== undefined) this.restore(snapshot);
      for (const batch of batches) this.apply(batch);
    } catch (err) {
      await this.release();
      this.release = undefined;
      throw err;
    }
    return { revision: this.revision, compactRevision: this.compactRevision, leases: [...this.leases.values()] };
  }

  get(key: Buffer, revision: number): Promise<KeyValue | undefined> {
    const h = this.keys.get(keyString(key));
    return Promise.resolve(h === undefined ? undefined : h.valueAt(revision));
  }

  /** Synchronous point read (the MVCC store uses it when present to skip a promise per op). */
  getSync(key: string, revision: number): KeyValue | undefined {
    const h = this.keys.get(key);
    return h === undefined ? undefined : h.valueAt(revision);
  }

  range(q: RangeQuery): Promise<{ kvs: KeyValue[]; count: number }> {
    return Promise.resolve(this.rangeSync(q));
  }

  /** Synchronous form of `range`. */
  rangeSync(q: RangeQuery): { kvs: KeyValue[]; count: number } {
    const span = toSpan(q.key, q.rangeEnd);
    const kvs: KeyValue[] = [];
    if (span.end === undefined) {
      const kv = this.getSync(span.start, q.revision);
      if (kv === undefined) return { kvs, count: 0 };
      if (!q.countOnly && (q.limit === 0 || q.limit >= 1)) kvs.push(kv);
      return { kvs, count: 1 };
    }
    let count = 0;
    const rev = q.revision;
    const limit = q.countOnly ? 0 : q.limit === 0 ? Infinity : q.limit;
    const latest = rev >= this.revision;
    this.ordered.scan(span.start, span.end, (h) => {
      const kv = latest ? h.latest() : h.valueAt(rev);
      if (kv === undefined) return;
      count++;
      if (kvs.length < limit) kvs.push(kv);
    });
    return { kvs, count };
  }

  history(fromRevision: number, key: Buffer, rangeEnd: Buffer | undefined, limit: number): Promise<Change[]> {
    const span = toSpan(key, rangeEnd);
    const out: Change[] = [];
    const max = limit > 0 ? limit : Infinity;
    if (span.end === undefined) {
      const h = this.keys.get(span.start);
      if (h !== undefined) {
        for (const c of h.changes) {
          if (c.main >= fromRevision) out.push(c);
          if (out.length >= max) break;
        }
      }
      return Promise.resolve(out);
    }
    const log = this.log;
    for (let i = this.firstLogIndex(fromRevision); i < log.length && out.length < max; i++) {
      const c = log[i];
      if (spanHas(span, changeKey(c))) out.push(c);
    }
    return Promise.resolve(out);
  }

  /** Index of the first log entry with main >= revision. */
  private firstLogIndex(revision: number): number {
    const log = this.log;
    let lo = 0;
    let hi = log.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (log[mid].main < revision) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  leaseKeys(id: number): Promise<Buffer[]> {
    const set = this.leaseKeyMap.get(id);
    return Promise.resolve(set === undefined ? [] : [...set].map(keyBuffer));
  }

  commit(batch: CommitBatch): Promise<void> {
    return this.commitKeyed(batch, undefined);
  }

  /**
   * `commit` with the latin1 key of each change already at hand (the MVCC store has them), which
   * saves converting and hashing every key a second time.
   */
  commitKeyed(batch: CommitBatch, keys: readonly string[] | undefined): Promise<void> {
    const log = this.durability;
    if (log === undefined) return Promise.reject(new Error('memory engine: commit on a closed or unopened engine'));
    // Applied to memory only once durable, so reads never see an unacknowledged write. Batches
    // may be handed over before the previous one is durable (`concurrentCommits`): the log
    // writes them in order and runs these callbacks in order.
    return log.append(batch, () => {
      this.apply(batch, keys);
      // The snapshot is this state: its change log is only appended to while it is encoded.
      if (log.snapshotDue) {
        log.saveSnapshot(this.snapshot()).catch((err: unknown) => (this.opts.log ?? defaultLog)('error', `memory engine: snapshot not taken: ${(err as Error).message}`));
      }
    });
  }

  /** The state a snapshot records. */
  private snapshot(): MemorySnapshot {
    return {
      revision: this.revision,
      compactRevision: this.compactRevision,
      leases: [...this.leases.values()],
      changes: this.log,
    };
  }

  private restore(s: MemorySnapshot): void {
    for (const l of s.leases) this.leases.set(l.id, l);
    for (const c of s.changes) this.applyChange(c, changeKey(c));
    this.revision = s.revision;
    this.compactRevision = s.compactRevision;
  }

  /** Applies a committed batch to memory. */
  private apply(batch: CommitBatch, keys?: readonly string[]): void {
    for (const l of batch.leaseGrants) this.leases.set(l.id, l);
    const changes = batch.changes;
    for (let i = 0; i < changes.length; i++) this.applyChange(changes[i], keys === undefined ? changeKey(changes[i]) : keys[i]);
    for (const id of batch.leaseRevokes) {
      this.leases.delete(id);
      this.leaseKeyMap.delete(id);
    }
    if (batch.revision > this.revision) this.revision = batch.revision;
    if (batch.compact !== undefined && batch.compact > this.compactRevision) this.compact(batch.compact);
  }

  private applyChange(c: Change, key: string): void {
    const h = this.keys.get(key);
    if (h === undefined) {
      const fresh = new KeyHistory(key, c);
      this.keys.set(key, fresh);
      this.ordered.insert(fresh);
    } else {
      const before = h.latest();
      if (before !== undefined) {
        this.liveKeys--;
        if (before.lease !== 0) this.leaseKeyMap.get(before.lease)?.delete(key);
      }
      h.push(c);
    }
    if (c.type === 'put') {
      this.liveKeys++;
      const lease = c.kv.lease;
      if (lease !== 0) {
        let set = this.leaseKeyMap.get(lease);
        if (set === undefined) {
          set = new Set();
          this.leaseKeyMap.set(lease, set);
        }
        set.add(key);
      }
    }
    this.log.push(c);
    if (c.main > this.revision) this.revision = c.main;
  }

  /** Drops history below `revision` (etcd's Compact); keys left with nothing leave the index. */
  private compact(revision: number): void {
    const log = this.log;
    const split = this.firstLogIndex(revision + 1);
    const touched = new Map<string, KeyHistory>();
    for (let i = 0; i < split; i++) {
      const key = changeKey(log[i]);
      if (!touched.has(key)) touched.set(key, this.keys.get(key)!);
    }
    for (const [key, h] of touched) {
      h.compact(revision);
      if (h.empty) {
        this.keys.delete(key);
        this.ordered.remove(key);
      }
    }
    // A change below the compaction point survives only as the oldest retained version of its key.
    const kept: Change[] = [];
    for (let i = 0; i < split; i++) {
      const c = log[i];
      const h = touched.get(changeKey(c))!;
      if (h.oldest === c) kept.push(c);
    }
    for (let i = split; i < log.length; i++) kept.push(log[i]);
    this.log = kept;
    this.compactRevision = revision;
  }

  async defragment(): Promise<{ beforeBytes: number; afterBytes: number }> {
    // Compaction already freed memory; the log shrinks at the next snapshot.
    const bytes = this.durability?.diskBytes() ?? 0;
    return { beforeBytes: bytes, afterBytes: bytes };
  }

  async stats(): Promise<EngineStats> {
    return {
      engine: 'memory',
      diskBytes: this.durability?.diskBytes() ?? 0,
      keyCount: this.liveKeys,
      revision: this.revision,
      compactRevision: this.compactRevision,
    };
  }

  async close(): Promise<void> {
    const durability = this.durability;
    this.durability = undefined;
    try {
      if (durability !== undefined) await durability.close();
    } finally {
      const release = this.release;
      this.release = undefined;
      if (release !== undefined) await release();
    }
  }
}
