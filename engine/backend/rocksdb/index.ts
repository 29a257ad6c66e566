/**
 * The RocksDB engine: revisions and the key index live in RocksDB (layout in `keys.ts`), so the
 * dataset need not fit in memory and opening reads a handful of metadata keys, never the data.
 *
 * Where a Put becomes durable: `commit()` turns one batch from the store's group-commit pipeline
 * into one RocksDB WriteBatch (k/, h/, r/, l/ and m/ together, atomically), then fdatasyncs
 * RocksDB's own WAL when `sync` is `always` (`wal-sync.ts`). No second log is kept.
 *
 * Files: `<dataDir>/metastore.json` and the lock (`../data-dir.ts`), `<dataDir>/rocksdb/` (the
 * RocksDB database).
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { KeyValue } from '../../mvcc/types.ts';
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
import { claimDataDir } from '../data-dir.ts';
import { RocksDB, collect, getMany, type NativeDb } from './binding.ts';
import { decodeLive, encodeChanges, encodePut, encodeTombstone, loggedChangeSize, recordLease, recordRevision, type LoggedChange } from './codec.ts';
import { sweep, type SweepHost } from './compaction.ts';
import { GetBatcher } from './get-batcher.ts';
import {
  CHANGES_PER_ENTRY,
  META_COMPACT,
  META_KEY_COUNT,
  META_REVISION,
  META_SWEPT,
  PREFIX_LEASE_KEYS,
  PREFIX_META_LEASE,
  changeKey,
  currentKey,
  historyKey,
  leaseKey,
  metaLeaseKey,
  prefixEnd,
  readU64,
  u64,
  writeU64,
} from './keys.ts';
import { rangeCurrent, rangeHistorical, readHistory, resolveCurrent } from './reads.ts';
import { KeyFilter } from './key-filter.ts';
import { RangeCache } from './range-cache.ts';
import { RowCache } from './row-cache.ts';
import { checkWalFiles } from './wal-check.ts';
import { WalSyncer } from './wal-sync.ts';

/** Options of the RocksDB engine beyond the common ones. */
export interface RocksdbBackendOptions extends BackendOptions {
  /** Bound of the in-process cache of current records, in bytes (default 32 MiB; 0 = none). */
  rowCacheBytes?: number;
  /** RocksDB memtable size in bytes (default 32 MiB; RocksDB keeps up to two). */
  writeBufferBytes?: number;
  /** Bound of the cache of whole range answers, in bytes (default 4 MiB; 0 = none). */
  rangeCacheBytes?: number;
  /** Size of the filter of written keys kept for a database new at open (default 4 MiB; 0 = none). */
  keyFilterBytes?: number;
}

/** The RocksDB database could not be opened (corrupt, locked by another process, unreadable). */
export class RocksdbOpenError extends Error {
  override readonly name = 'RocksdbOpenError';
}

/** A batch could not be written or made durable; the store stops accepting writes. */
export class RocksdbCommitError extends Error {
  override readonly name = 'RocksdbCommitError';
}

/** Subdirectory of the data directory that holds the RocksDB database. */
export const ROCKSDB_SUBDIR = 'rocksdb';

const DEFAULT_ROW_CACHE_BYTES = 32 * 2 ** 20;
const DEFAULT_WRITE_BUFFER_BYTES = 32 * 2 ** 20;
const DEFAULT_RANGE_CACHE_BYTES = 4 * 2 ** 20;
const DEFAULT_KEY_FILTER_BYTES = 4 * 2 ** 20;
const EMPTY = Buffer.alloc(0);
/** A WriteBatch record's tag and two length varints, at most. */
const WAL_OP_OVERHEAD = 11;

/** The WAL bytes of a WriteBatch of `bytes` (its 12-byte header, a 7-byte header and up to 6 bytes of padding per 32 KiB block). */
function walFrameBytes(bytes: number): number {
  return bytes + 12 + 13 * (Math.ceil(bytes / 32_761) + 1);
}

function firstLine(err: unknown): string {
  return String((err as Error)?.message ?? err).split('\n')[0];
}

class RocksdbBackend implements Backend {
  readonly kind = 'rocksdb' as const;
  private readonly dbDir: string;
  private db!: NativeDb;
  private wal!: WalSyncer;
  private gets!: GetBatcher;
  private release: (() => Promise<void>) | undefined;
  private readonly cache: RowCache;
  private readonly ranges: RangeCache;
  /** Every key written since open, when the database was new then (see `key-filter.ts`). */
  private filter: KeyFilter | undefined;
  /** Newest revision whose commit has completed (reads at or above it use k/). */
  private revision = 1;
  private compactRevision = 0;
  private keyCount = 0;
  /** Bumped when a commit starts and when it ends: a read that saw it move may be stale. */
  private epoch = 0;
  private committing = false;
  /** The write lane: commits and compaction chunks run one at a time, in order. */
  private lane: Promise<unknown> = Promise.resolve();
  private sweeping: Promise<void> = Promise.resolve();
  private sweepTarget = 0;
  private closingFlag = false;
  /** k/ records fetched for the batch being applied (see `prefetch`). */
  private prefetched: { revision: number; records: Map<string, Buffer | null> } | undefined;
  private opened = false;

  constructor(private readonly opts: RocksdbBackendOptions) {
    this.dbDir = join(opts.dataDir, ROCKSDB_SUBDIR);
    this.cache = new RowCache(opts.rowCacheBytes ?? DEFAULT_ROW_CACHE_BYTES);
    this.ranges = new RangeCache(opts.rangeCacheBytes ?? DEFAULT_RANGE_CACHE_BYTES);
  }

  private log(level: 'info' | 'warn' | 'error', message: string): void {
    if (this.opts.log) this.opts.log(level, message);
    else process.stderr.write(`[rocksdb] ${level}: ${message}\n`);
  }

  async open(): Promise<RecoveredState> {
    this.release = await claimDataDir(this.opts.dataDir, 'rocksdb');
    try {
      await this.checkDir();
      // Before RocksDB opens: its point-in-time recovery would drop damaged records for good.
      for (const wal of await checkWalFiles(this.dbDir)) {
        if (wal.torn) {
          this.log('warn', `torn tail in WAL ${wal.file} at byte offset ${wal.torn.offset} (${wal.torn.reason}); RocksDB drops that unfinished write`);
        }
      }
      const db = new RocksDB(this.dbDir, {
        createIfMissing: true,
        writeBufferSize: this.opts.writeBufferBytes ?? DEFAULT_WRITE_BUFFER_BYTES,
      });
      try {
        await db.ready();
      } catch (err) {
        throw new RocksdbOpenError(`cannot open RocksDB database ${this.dbDir}: ${firstLine(err)}`, { cause: err });
      }
      this.db = db;
      this.wal = new WalSyncer(db, this.dbDir);
      this.gets = new GetBatcher(db);
      const [rev, compact, swept, keys] = await getMany(db, [META_REVISION, META_COMPACT, META_SWEPT, META_KEY_COUNT]);
      this.revision = rev === null ? 1 : readU64(rev, 0);
      // m/rev carries the key count since format 2; format 1 kept it in m/keys (then stale).
      this.keyCount = rev !== null && rev.length >= 16 ? readU64(rev, 8) : keys === null ? 0 : readU64(keys, 0);
      // No revision yet: no batch with a key change was ever committed, so k/ is empty.
      const filterBytes = this.opts.keyFilterBytes ?? DEFAULT_KEY_FILTER_BYTES;
      this.filter = rev === null && filterBytes > 0 ? new KeyFilter(filterBytes) : undefined;
      this.compactRevision = compact === null ? 0 : readU64(compact, 0);
      const leases: LeaseRecord[] = (await collect(db, { gte: PREFIX_META_LEASE, lt: prefixEnd(PREFIX_META_LEASE) })).map((r) => ({
        id: readU64(r.key, PREFIX_META_LEASE.length),
        ttlSec: readU64(r.value, 0),
      }));
      this.opened = true;
      const sweptRev = swept === null ? 0 : readU64(swept, 0);
      if (sweptRev < this.compactRevision) this.startSweep(this.compactRevision);
      return { revision: this.revision, compactRevision: this.compactRevision, leases };
    } catch (err) {
      await this.release();
      this.release = undefined;
      throw err;
    }
  }

  /**
   * Refuses a database directory RocksDB would re-create over existing files: with
   * create_if_missing, a directory that lost CURRENT would get a fresh, empty database.
   */
  private async checkDir(): Promise<void> {
    let names: string[];
    try {
      names = await readdir(this.dbDir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw new RocksdbOpenError(`cannot read RocksDB database directory ${this.dbDir}: ${firstLine(err)}`, { cause: err });
    }
    if (names.length > 0 && !names.includes('CURRENT')) {
      throw new RocksdbOpenError(
        `RocksDB database directory ${this.dbDir} has files but no CURRENT file; refusing to create a new database over them`,
      );
    }
  }

  /** A k/ record: from the cache, or RocksDB (filling the cache if no commit ran meanwhile). */
  private async currentRecord(key: Buffer): Promise<Buffer | null> {
    const cached = this.cache.get(key);
    if (cached !== undefined) return cached;
    const epoch = this.epoch;
    const busy = this.committing;
    const rec = await this.gets.get(currentKey(key));
    if (rec !== null && !busy && epoch === this.epoch) this.cache.set(key, rec);
    return rec;
  }

  async get(key: Buffer, revision: number): Promise<KeyValue | undefined> {
    const id = key.toString('latin1');
    if (this.filter !== undefined && !this.filter.mayHave(id)) return undefined;
    const p = this.prefetched;
    if (p !== undefined && p.revision === revision) {
      const cached = this.cache.getById(id);
      const rec = cached !== undefined ? cached : p.records.get(id);
      if (rec !== undefined) return resolveCurrent(this.db, key, rec, revision);
    }
    // Also for past revisions: k/ answers whenever the key has not changed since `revision`.
    return resolveCurrent(this.db, key, await this.currentRecord(key), revision);
  }

  /**
   * Reads the k/ records of `keys` the cache lacks in one trip, for the batch about to read
   * them at `revision`. A record read now is right for `revision` whatever commits later: it is
   * either <= revision (the answer) or newer (resolveCurrent then asks h/); an absent key stays
   * absent at `revision`.
   */
  async prefetch(keys: Buffer[], revision: number): Promise<void> {
    const missing: Buffer[] = [];
    const ids: string[] = [];
    const seen = new Set<string>();
    for (const k of keys) {
      const id = k.toString('latin1');
      if (seen.has(id) || this.cache.getById(id) !== undefined) continue;
      if (this.filter !== undefined && !this.filter.mayHave(id)) continue;
      seen.add(id);
      missing.push(k);
      ids.push(id);
    }
    if (missing.length === 0) {
      this.prefetched = undefined;
      return;
    }
    const epoch = this.epoch;
    const busy = this.committing;
    const recs = await getMany(this.db, missing.map(currentKey));
    const records = new Map<string, Buffer | null>();
    const fill = !busy && epoch === this.epoch;
    for (let i = 0; i < missing.length; i++) {
      records.set(ids[i], recs[i]);
      if (fill && recs[i] !== null) this.cache.setById(ids[i], recs[i]!);
    }
    this.prefetched = { revision, records };
  }

  async range(q: RangeQuery): Promise<{ kvs: KeyValue[]; count: number }> {
    if (q.rangeEnd === undefined || q.rangeEnd.length === 0) {
      const kv = await this.get(q.key, q.revision);
      if (kv === undefined) return { kvs: [], count: 0 };
      return { kvs: q.countOnly ? [] : [kv], count: 1 };
    }
    if (q.revision >= this.revision) {
      const cached = this.ranges.get(q.key, q.rangeEnd, q.revision);
      if (cached !== undefined) {
        const kvs = q.countOnly ? [] : q.limit > 0 ? cached.slice(0, q.limit) : cached.slice();
        return { kvs, count: cached.length };
      }
      // Same rule as the row cache: keep the answer only if no commit started or ended meanwhile.
      const epoch = this.epoch;
      const busy = this.committing;
      const rev = this.revision;
      const r = await rangeCurrent(this.db, q);
      if (r !== undefined) {
        if (!busy && epoch === this.epoch && q.limit === 0 && !q.countOnly) this.ranges.set(q.key, q.rangeEnd, rev, r.kvs.slice());
        return r;
      }
    }
    return rangeHistorical(this.db, q);
  }

  history(fromRevision: number, key: Buffer, rangeEnd: Buffer | undefined, limit: number): Promise<Change[]> {
    // Below the compacted revision history is gone (an r/ entry that straddles it may remain).
    return readHistory(this.db, Math.max(fromRevision, this.compactRevision), this.revision, key, rangeEnd, limit);
  }

  async leaseKeys(id: number): Promise<Buffer[]> {
    // l/ entries are added on attach and removed only on revoke: check each against k/.
    const prefix = leaseKey(id);
    const keys = (await collect(this.db, { gte: prefix, lt: prefixEnd(prefix), values: false, capacity: 256 })).map((r) =>
      r.key.subarray(PREFIX_LEASE_KEYS.length + 8),
    );
    const recs = await Promise.all(keys.map((k) => this.currentRecord(k)));
    const out: Buffer[] = [];
    for (let i = 0; i < keys.length; i++) {
      const rec = recs[i];
      if (rec === null) continue;
      const kv = decodeLive(keys[i], rec);
      if (kv !== undefined && kv.lease === id) out.push(keys[i]);
    }
    return out;
  }

  /** Runs `fn` on the write lane after everything queued before it. */
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.lane.then(fn);
    this.lane = run.catch(() => undefined);
    return run;
  }

  commit(batch: CommitBatch): Promise<void> {
    return this.exclusive(() => this.write(batch));
  }

  /**
   * The k/ record each change replaces as k/ held it before the batch (null: none), for the
   * first change of each key in `batch.changes` (later ones replace a record of the batch): from
   * the row cache, the batch's prefetch or the key filter, and for the rest one read of k/
   * (exact: commits run one at a time on the write lane). Fills `ids` with the latin1 keys.
   */
  private async replaced(batch: CommitBatch, ids: string[]): Promise<(Buffer | null)[]> {
    const n = batch.changes.length;
    const prevs: (Buffer | null)[] = new Array(n).fill(null);
    const seen = new Set<string>();
    const p = this.prefetched !== undefined && this.prefetched.revision === this.revision ? this.prefetched.records : undefined;
    const unknown: number[] = [];
    for (let i = 0; i < n; i++) {
      const c = batch.changes[i];
      const id = (ids[i] = (c.type === 'put' ? c.kv.key : c.key).toString('latin1'));
      if (seen.has(id)) continue;
      seen.add(id);
      let prev: Buffer | null | undefined = this.cache.getById(id) ?? p?.get(id);
      if (prev === undefined && this.filter !== undefined && !this.filter.mayHave(id)) prev = null;
      if (prev === undefined) unknown.push(i);
      else prevs[i] = prev;
    }
    if (unknown.length > 0) {
      const recs = await getMany(this.db, unknown.map((i) => { const c = batch.changes[i]; return currentKey(c.type === 'put' ? c.kv.key : c.key); }));
      for (let j = 0; j < unknown.length; j++) prevs[unknown[j]] = recs[j];
    }
    return prevs;
  }

  private async write(batch: CommitBatch): Promise<void> {
    const n = batch.changes.length;
    const ids: string[] = new Array(n);
    const prevs = await this.replaced(batch, ids);
    // One entry per new key (two for a replaced one) plus the log and m/rev; the binding grows
    // a batch by doubling, and reuses only batches of capacity 16 or less.
    const w = this.db.write({ autoDestroy: true, capacity: n + Math.ceil(n / CHANGES_PER_ENTRY) + 4 });
    const logged: LoggedChange[] = new Array(n);
    const latest = new Map<string, Buffer>();
    let keyCount = this.keyCount;
    let entryStart = 0;
    let entryBytes = 0;
    // At least what this batch adds to RocksDB's WAL (see wal-sync.ts); metadata and framing below.
    let walBytes = 0;
    for (let i = 0; i < n; i++) {
      const c = batch.changes[i];
      const key = c.type === 'put' ? c.kv.key : c.key;
      const rec = c.type === 'put' ? encodePut(c.kv) : encodeTombstone(c.main);
      const id = ids[i];
      // Before RocksDB has it: a read that misses the filter is answered "absent" without asking.
      this.filter?.add(id);
      // The record this change replaces: from this batch, else as k/ held it before the batch.
      const prev = latest.get(id) ?? prevs[i];
      if (prev !== null) {
        // Detach from the previous lease; leaseKeys() checks k/ anyway, this keeps l/ from growing.
        const prevLease = recordLease(prev);
        if (prevLease !== 0 && prevLease !== recordLease(rec)) {
          w.tryDelete(leaseKey(prevLease, key));
          walBytes += 2 + 8 + key.length + WAL_OP_OVERHEAD;
        }
        // The replaced record becomes history: h/ holds every record but each key's newest,
        // keyed by its revision with sub 0 (reads and compaction order by revision only; of a
        // key written twice in one txn the later record overwrites the earlier, which no read
        // as of a revision can see and which the change log keeps for watchers).
        const hk = historyKey(key, recordRevision(prev), 0);
        w.tryPut(hk, prev);
        walBytes += hk.length + prev.length + WAL_OP_OVERHEAD;
      }
      latest.set(id, rec);
      const ck = currentKey(key);
      w.tryPut(ck, rec);
      walBytes += ck.length + rec.length + WAL_OP_OVERHEAD;
      if (c.type === 'put') {
        if (c.kv.version === 1) keyCount++;
        if (c.kv.lease !== 0) {
          w.tryPut(leaseKey(c.kv.lease, key), EMPTY);
          walBytes += 2 + 8 + key.length + WAL_OP_OVERHEAD;
        }
      } else {
        keyCount--;
      }
      const l: LoggedChange = { main: c.main, sub: c.sub, key, record: rec };
      logged[i] = l;
      entryBytes += loggedChangeSize(l);
      if (i + 1 - entryStart === CHANGES_PER_ENTRY || i + 1 === n) {
        w.tryPut(changeKey(c.main, c.sub), encodeChanges(logged, entryStart, i + 1, entryBytes));
        walBytes += 18 + 5 + entryBytes + WAL_OP_OVERHEAD;
        entryStart = i + 1;
        entryBytes = 0;
      }
    }
    for (const l of batch.leaseGrants) w.tryPut(metaLeaseKey(l.id), u64(l.ttlSec));
    for (const id of batch.leaseRevokes) {
      w.tryDelete(metaLeaseKey(id));
      w.tryDeleteRange(leaseKey(id), prefixEnd(leaseKey(id)));
    }
    const compact = batch.compact !== undefined && batch.compact > this.compactRevision ? batch.compact : undefined;
    if (compact !== undefined) w.tryPut(META_COMPACT, u64(compact));
    // One metadata write per batch: the revision and the key count together.
    const meta = Buffer.allocUnsafe(16);
    writeU64(meta, batch.revision, 0);
    writeU64(meta, keyCount, 8);
    w.tryPut(META_REVISION, meta);

    this.epoch++;
    this.committing = true;
    // Before RocksDB applies the batch: a cached range it changes must not outlive it.
    this.ranges.invalidate(ids);
    let applied = false;
    try {
      await w.flush();
      applied = true;
      if (this.opts.sync === 'always') await this.wal.sync(walFrameBytes(walBytes + (batch.leaseGrants.length + 2 * batch.leaseRevokes.length + 2) * 64));
    } catch (err) {
      const step = applied ? 'syncing the WAL' : 'writing the batch';
      throw new RocksdbCommitError(`RocksDB commit of revision ${batch.revision} in ${this.dbDir} failed while ${step}: ${firstLine(err)}`, { cause: err });
    } finally {
      // Once RocksDB applied the batch, k/ holds it even if the sync failed: the cache follows.
      if (applied) for (let i = 0; i < n; i++) this.cache.setById(ids[i], logged[i].record);
      this.committing = false;
      this.epoch++;
    }
    this.revision = batch.revision;
    this.keyCount = keyCount;
    if (compact !== undefined) {
      this.compactRevision = compact;
      this.startSweep(compact);
    }
  }

  private startSweep(rev: number): void {
    if (rev <= this.sweepTarget) return;
    this.sweepTarget = rev;
    const host: SweepHost = {
      db: this.db,
      exclusive: (fn) => this.exclusive(fn),
      forget: (key) => this.cache.delete(key),
      closing: () => this.closingFlag,
    };
    // Sweeps run one after another; a later target covers an earlier one.
    this.sweeping = this.sweeping.then(async () => {
      if (this.closingFlag || rev < this.sweepTarget) return;
      try {
        await sweep(host, rev);
      } catch (err) {
        this.log('error', `compaction sweep to revision ${rev} failed: ${firstLine(err)} (it runs again on the next open)`);
      }
    });
  }

  /** RocksDB's live table files plus the live WAL, in bytes. */
  private async diskBytes(): Promise<number> {
    const sst = Number(await this.db.getProperty('rocksdb.live-sst-files-size'));
    const wal = await this.db.currentWalFile();
    // Without the zeros wal-sync.ts keeps ahead of RocksDB in the live WAL.
    return (Number.isFinite(sst) ? sst : 0) + Math.max(0, wal.size - this.wal.zeroBytesAhead);
  }

  async defragment(): Promise<{ beforeBytes: number; afterBytes: number }> {
    await this.sweeping;
    const beforeBytes = await this.diskBytes();
    await this.db.flush();
    await this.db.compact({ bottommostLevelCompaction: RocksDB.constants.bottommostLevelCompaction.FORCE });
    const afterBytes = await this.diskBytes();
    return { beforeBytes, afterBytes };
  }

  async stats(): Promise<EngineStats> {
    return {
      engine: 'rocksdb',
      diskBytes: await this.diskBytes(),
      keyCount: this.keyCount,
      revision: this.revision,
      compactRevision: this.compactRevision,
    };
  }

  async close(): Promise<void> {
    if (!this.opened) return;
    this.opened = false;
    this.closingFlag = true;
    await this.lane;
    await this.sweeping;
    await this.wal.close();
    await this.db.close();
    this.cache.clear();
    this.ranges.clear();
    await this.release?.();
    this.release = undefined;
  }
}

/** Creates the RocksDB engine on `opts.dataDir` (opened by `open()`). */
export function createRocksdbBackend(opts: RocksdbBackendOptions): Backend {
  return new RocksdbBackend(opts);
}
