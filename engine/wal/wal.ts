/**
 * A generic write-ahead log of opaque records, with snapshots.
 *
 * On disk, under `dir`:
 *   wal/<first index>.wal   segments of CRC-framed records (framing.ts); a new one is started
 *                           when the current one would pass `segmentBytes`
 *   snap/<index>.snap       the caller's state after record <index> (snapshot-file.ts)
 *
 * `append` writes a whole batch of records with one write and, with sync `always`, waits for one
 * fdatasync shared by the batch and by any batch written while the previous fdatasync ran
 * (group commit). With sync `always` segments are preallocated: zero-filled a chunk ahead of
 * the records, so an fdatasync does not also commit a file size change; a segment's padding is
 * trimmed when the log moves to the next segment and when it is closed. `saveSnapshot` stores a snapshot and deletes the
 * segments it makes redundant. `open` recovers: the newest usable snapshot and every record
 * after it. Zero padding after the last record is the end of the log (left by a crash or kill:
 * no warning); a torn tail of the newest segment is cut off with a warning; any other damage
 * stops start-up with a `WalCorruptionError` naming the file and the byte offset.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { WalWriteError } from './errors.ts';
import { MAX_RECORD_BYTES, frameBytes, writeFrame } from './framing.ts';
import { closeFd, datasyncFd, openFdSync, syncDir, truncateFd, writeAllSync, writeZerosSync } from './fs-util.ts';
import { recover, type RecoveredSnapshot, type SegmentInfo, type SnapshotInfo, type WalLogger } from './recovery.ts';
import { segmentName, type WalRecord } from './segment.ts';
import { snapshotName, writeSnapshotFile } from './snapshot-file.ts';

export type { WalRecord } from './segment.ts';
export type { RecoveredSnapshot, WalLogger } from './recovery.ts';

/** Options of `Wal.open`. */
export interface WalOptions {
  /** Directory holding `wal/` and `snap/` (created if missing). */
  dir: string;
  /** `always`: fdatasync before `append` resolves (default). `none`: leave it to the OS. */
  sync?: 'always' | 'none';
  /** Start a new segment once the current one would exceed this many bytes (default 64 MiB). */
  segmentBytes?: number;
  /** Receives warnings such as a truncated torn tail; default: stderr. */
  log?: WalLogger;
}

/** What `Wal.open` recovered. */
export interface WalRecovery {
  wal: Wal;
  /** The newest usable snapshot, if any. */
  snapshot?: RecoveredSnapshot;
  /** Every record after the snapshot (or all of them), in index order. */
  records: WalRecord[];
}

/** Default segment size: 64 MiB, as etcd's WAL. */
export const DEFAULT_SEGMENT_BYTES = 64 * 1024 * 1024;

/** Largest frame buffer kept between appends (8 MiB); bigger batches get a one-off buffer. */
const MAX_KEPT_BUFFER_BYTES = 8 * 1024 * 1024;

/**
 * Preallocation (sync `always` only): the segment is zero-filled this far ahead of the records,
 * a chunk at a time, so that the fdatasync of an append rewrites blocks the file already has
 * instead of growing it (growing the file makes every fdatasync also commit a size change to
 * the filesystem journal: measured ~1.4x slower here, as etcd found for its WAL).
 */
const PREALLOC_CHUNK_BYTES = 1 << 20;
/** A new chunk is zero-filled once the records come within this many bytes of the file's end. */
const PREALLOC_LEAD_BYTES = 256 * 1024;

const defaultLog: WalLogger = (level, message) => process.stderr.write(`[${level}] ${message}\n`);

/** An append waiting for a sync round that covers its last record. */
interface SyncWaiter {
  index: number;
  resolve: (index: number) => void;
  reject: (err: unknown) => void;
}

/** A segment the log has moved past: trimmed to its records, synced and closed by the next round. */
interface RetiredSegment {
  fd: number;
  seg: SegmentInfo;
}

/**
 * The write-ahead log. Obtain one with `Wal.open`.
 *
 * Appends write synchronously, in call order, and then wait for a *sync round*: at most one
 * fdatasync is in flight, and one started after a record was written makes it durable. Records
 * appended while a round is in flight are written at once and share the next round, so a
 * caller can prepare and write batch N+1 while batch N's fdatasync is still running, and
 * appends resolve in index order.
 */
export class Wal {
  private readonly walDir: string;
  private readonly snapDir: string;
  private readonly sync: 'always' | 'none';
  private readonly segmentBytes: number;
  private readonly preallocate: boolean;
  private readonly segments: SegmentInfo[];
  private snapshots: SnapshotInfo[];
  private fd: number;
  /** Last record index written (0 when the log is empty and has no snapshot). */
  private last: number;
  /** Reused frame buffer: the batch is assembled here so it goes out in one write. */
  private buf = Buffer.allocUnsafe(1 << 20);
  /** Appends waiting for durability, in index order. */
  private waiters: SyncWaiter[] = [];
  /** The sync round in flight, if any. */
  private syncing: Promise<void> | undefined;
  /** Segments rolled away from, not yet trimmed, synced and closed. */
  private retired: RetiredSegment[] = [];
  /** A segment was created since the last round: the directory must be synced. */
  private dirDirty = false;
  /**
   * Serialises snapshots. Separate from appends so that writing a large snapshot does not hold
   * them up: the snapshot file and the current segment never touch each other.
   */
  private snapQueue: Promise<unknown> = Promise.resolve();
  private failed: Error | undefined;
  private closed = false;
  private closing: Promise<void> | undefined;

  private constructor(init: {
    walDir: string;
    snapDir: string;
    sync: 'always' | 'none';
    segmentBytes: number;
    segments: SegmentInfo[];
    snapshots: SnapshotInfo[];
    fd: number;
    last: number;
  }) {
    this.walDir = init.walDir;
    this.snapDir = init.snapDir;
    this.sync = init.sync;
    this.segmentBytes = init.segmentBytes;
    this.preallocate = init.sync === 'always';
    this.segments = init.segments;
    this.snapshots = init.snapshots;
    this.fd = init.fd;
    this.last = init.last;
  }

  /** Opens (creating if needed) the log under `opts.dir` and recovers its content. */
  static async open(opts: WalOptions): Promise<WalRecovery> {
    const sync = opts.sync ?? 'always';
    if (sync !== 'always' && sync !== 'none') {
      throw new Error(`wal: sync policy ${JSON.stringify(sync)} is invalid; expected "always" or "none"`);
    }
    const segmentBytes = opts.segmentBytes ?? DEFAULT_SEGMENT_BYTES;
    if (!Number.isInteger(segmentBytes) || segmentBytes < 4096) {
      throw new Error(`wal: segmentBytes ${segmentBytes} is invalid; expected an integer >= 4096`);
    }
    const r = await recover(opts.dir, opts.log ?? defaultLog);
    const wal = new Wal({ ...r, sync, segmentBytes });
    return { wal, snapshot: r.snapshot, records: r.records };
  }

  /** Index of the last record appended (0 for an empty log). */
  get lastIndex(): number {
    return this.last;
  }

  /** Index covered by the newest snapshot on disk (0 when there is none). */
  get snapshotIndex(): number {
    return this.snapshots.at(-1)?.index ?? 0;
  }

  /**
   * Appends `records` (indexes lastIndex+1, +2, ...) with one write, made before this returns,
   * and resolves with the index of the last one once they are durable per the sync policy (with
   * `always`: an fdatasync started after the write has finished; one is shared by every append
   * written while the previous one ran). Appends resolve in index order. After a failed write
   * or sync every pending and later call rejects: what reached the disk is unknown, so the only
   * safe continuation is a restart and recovery.
   */
  append(records: readonly Uint8Array[]): Promise<number> {
    if (this.closed) return Promise.reject(new Error('wal: the log is closed'));
    if (this.failed) return Promise.reject(new WalWriteError(`wal: an earlier write failed; the log must be reopened`, { cause: this.failed }));
    if (records.length === 0) return Promise.resolve(this.last);
    let index: number;
    try {
      index = this.write(records);
    } catch (err) {
      return Promise.reject(err);
    }
    if (this.sync === 'none') {
      // A roll left a retired segment and a new directory entry to make durable.
      if (this.retired.length > 0 && this.syncing === undefined) this.startRound();
      return Promise.resolve(index);
    }
    return new Promise<number>((resolve, reject) => {
      this.waiters.push({ index, resolve, reject });
      if (this.syncing === undefined) this.startRound();
    });
  }

  /**
   * Stores `data` as the snapshot covering records up to `index` (default: the last appended),
   * then deletes older snapshots and the segments wholly covered by it. Appends may run while
   * the snapshot is written; snapshots run one at a time.
   */
  saveSnapshot(data: Uint8Array, index?: number): Promise<void> {
    if (this.closed) return Promise.reject(new Error('wal: the log is closed'));
    const at = index ?? this.last;
    const run = this.snapQueue.then(() => this.saveSnapshotNow(data, at));
    this.snapQueue = run.catch(() => undefined);
    return run;
  }

  /** Bytes on disk: every segment (with its preallocated padding) plus every snapshot. */
  diskBytes(): number {
    let total = 0;
    for (const s of this.segments) total += Math.max(s.bytes, s.fileBytes);
    for (const s of this.snapshots) total += s.bytes;
    return total;
  }

  /**
   * Waits for pending work, trims the current segment's padding (a closed log's files are its
   * records back to back), syncs and closes it. Safe to call twice.
   */
  close(): Promise<void> {
    if (this.closing !== undefined) return this.closing.catch(() => undefined);
    this.closed = true;
    this.closing = (async () => {
      await this.snapQueue;
      while (this.syncing !== undefined) await this.syncing.catch(() => undefined);
      const seg = this.segments.at(-1)!;
      try {
        if (!this.failed) {
          if (this.retired.length > 0 || this.dirDirty) await this.round();
          if (seg.fileBytes > seg.bytes) {
            await truncateFd(this.fd, seg.bytes);
            seg.fileBytes = seg.bytes;
          }
          await datasyncFd(this.fd);
        }
      } finally {
        for (const r of this.retired.splice(0)) await closeFd(r.fd).catch(() => undefined);
        await closeFd(this.fd);
      }
    })();
    return this.closing;
  }

  /** Frames and writes one batch synchronously; returns the index of its last record. */
  private write(records: readonly Uint8Array[]): number {
    let total = 0;
    for (const r of records) {
      if (r.length > MAX_RECORD_BYTES) {
        // Checked before writing: recovery would take such a frame for damage.
        throw new Error(`wal: record of ${r.length} bytes is too large; expected at most ${MAX_RECORD_BYTES} bytes`);
      }
      total += frameBytes(r.length);
    }
    let seg = this.segments.at(-1)!;
    try {
      if (seg.bytes > 0 && seg.bytes + total > this.segmentBytes) seg = this.roll();
      let buf = this.buf;
      if (buf.length < total) {
        buf = Buffer.allocUnsafe(2 ** Math.ceil(Math.log2(total)));
        // Keep the grown buffer for the next batches, unless one odd batch was huge.
        if (total <= MAX_KEPT_BUFFER_BYTES) this.buf = buf;
      }
      let offset = 0;
      let index = this.last;
      for (const r of records) offset = writeFrame(buf, offset, ++index, r);
      const end = seg.bytes + total;
      if (this.preallocate && end + PREALLOC_LEAD_BYTES > seg.fileBytes && seg.fileBytes < this.segmentBytes) {
        // Zero-fill the next chunk now, ahead of the records: this append's sync round carries
        // it, and the appends after it rewrite blocks that exist. Never below seg.bytes, where
        // records are.
        const from = Math.max(seg.fileBytes, seg.bytes);
        const to = Math.min(this.segmentBytes, Math.max(from + PREALLOC_CHUNK_BYTES, end + PREALLOC_LEAD_BYTES));
        if (to > from) {
          writeZerosSync(this.fd, from, to);
          seg.fileBytes = to;
        }
      }
      // A synchronous write: microseconds into the page cache, cheaper than a thread-pool hop
      // (measured: about twice the appends/s with sync none); fdatasync stays asynchronous.
      writeAllSync(this.fd, buf, total, seg.bytes);
      seg.bytes = end;
      if (end > seg.fileBytes) seg.fileBytes = end;
      this.last = index;
      return index;
    } catch (err) {
      this.failed = err as Error;
      throw new WalWriteError(`wal: appending records ${this.last + 1}..${this.last + records.length} to ${seg.path} failed: ${(err as Error).message}`, { cause: err });
    }
  }

  /**
   * Starts the next segment at lastIndex+1. The old one is retired: the next sync round trims
   * its padding, syncs and closes it, and syncs the directory, all before the round's records
   * (the first ones in the new segment) are acknowledged.
   */
  private roll(): SegmentInfo {
    const path = join(this.walDir, segmentName(this.last + 1));
    const fd = openFdSync(path, 'wx');
    this.retired.push({ fd: this.fd, seg: this.segments.at(-1)! });
    this.fd = fd;
    this.dirDirty = true;
    const seg = { firstIndex: this.last + 1, path, bytes: 0, fileBytes: 0 };
    this.segments.push(seg);
    return seg;
  }

  /** Runs one sync round and then settles the appends it covered; starts another if needed. */
  private startRound(): void {
    const target = this.last;
    this.syncing = this.round().then(
      () => {
        this.syncing = undefined;
        let n = 0;
        while (n < this.waiters.length && this.waiters[n].index <= target) n++;
        const done = this.waiters.splice(0, n);
        for (const w of done) w.resolve(w.index);
        if (this.waiters.length > 0 || (this.retired.length > 0 && !this.closed)) this.startRound();
      },
      (err: unknown) => {
        this.syncing = undefined;
        this.failed ??= err as Error;
        const waiters = this.waiters.splice(0);
        for (const w of waiters) {
          w.reject(new WalWriteError(`wal: syncing records up to ${w.index} failed: ${(err as Error).message}`, { cause: err }));
        }
      },
    );
  }

  /**
   * Makes everything written so far durable: retired segments (trimmed to their records,
   * synced, closed), the directory if a segment was created, then the current segment.
   */
  private async round(): Promise<void> {
    const fd = this.fd;
    const retired = this.retired.splice(0);
    const dir = this.dirDirty;
    this.dirDirty = false;
    for (let i = 0; i < retired.length; i++) {
      const r = retired[i];
      try {
        if (r.seg.fileBytes > r.seg.bytes) {
          await truncateFd(r.fd, r.seg.bytes);
          r.seg.fileBytes = r.seg.bytes;
        }
        await datasyncFd(r.fd);
      } catch (err) {
        // Not closed yet: put back what is left, for close() to release.
        this.retired.unshift(...retired.slice(i));
        throw err;
      }
      await closeFd(r.fd);
    }
    if (dir) await syncDir(this.walDir);
    if (this.sync === 'always') await datasyncFd(fd);
  }

  private async saveSnapshotNow(data: Uint8Array, index: number): Promise<void> {
    if (!Number.isInteger(index) || index < 1 || index > this.last) {
      throw new Error(`wal: snapshot index ${index} is invalid; expected an integer in 1..${this.last} (records appended)`);
    }
    if (index <= this.snapshotIndex) {
      throw new Error(`wal: snapshot index ${index} is invalid; expected more than the current snapshot's ${this.snapshotIndex}`);
    }
    const bytes = await writeSnapshotFile(this.snapDir, index, data);
    const older = this.snapshots;
    this.snapshots = [{ index, path: join(this.snapDir, snapshotName(index)), bytes }];
    for (const s of older) await rm(s.path, { force: true });
    // Delete segments whose every record is <= index: never the current one, and each only if
    // the next segment starts at or before index+1. Taken off the list synchronously, so an
    // append rolling over meanwhile only ever pushes behind them.
    const covered: SegmentInfo[] = [];
    while (this.segments.length > 1 && this.segments[1].firstIndex <= index + 1) covered.push(this.segments.shift()!);
    for (const seg of covered) await rm(seg.path, { force: true });
  }
}
