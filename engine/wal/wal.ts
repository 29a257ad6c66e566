/**
 * A generic write-ahead log of opaque records, with snapshots.
 *
 * On disk, under `dir`:
 *   wal/<first index>.wal   segments of CRC-framed records (framing.ts); a new one is started
 *                           when the current one would pass `segmentBytes`
 *   snap/<index>.snap       the caller's state after record <index> (snapshot-file.ts)
 *
 * `append` writes a whole batch of records with one write and, with sync `always`, one
 * fdatasync shared by the batch (group commit). `saveSnapshot` stores a snapshot and deletes the
 * segments it makes redundant. `open` recovers: the newest usable snapshot and every record
 * after it. A torn tail of the newest segment is cut off with a warning; any other damage stops
 * start-up with a `WalCorruptionError` naming the file and the byte offset.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { WalWriteError } from './errors.ts';
import { MAX_RECORD_BYTES, frameBytes, writeFrame } from './framing.ts';
import { closeFd, datasyncFd, openFd, syncDir, writeAllSync } from './fs-util.ts';
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

const defaultLog: WalLogger = (level, message) => process.stderr.write(`[${level}] ${message}\n`);

/** The write-ahead log. Obtain one with `Wal.open`. */
export class Wal {
  private readonly walDir: string;
  private readonly snapDir: string;
  private readonly sync: 'always' | 'none';
  private readonly segmentBytes: number;
  private readonly segments: SegmentInfo[];
  private snapshots: SnapshotInfo[];
  private fd: number;
  /** Last record index written (0 when the log is empty and has no snapshot). */
  private last: number;
  /** Reused frame buffer: the batch is assembled here so it goes out in one write. */
  private buf = Buffer.allocUnsafe(1 << 20);
  /** Serialises appends and close. */
  private queue: Promise<unknown> = Promise.resolve();
  /**
   * Serialises snapshots. Separate from `queue` so that writing a large snapshot does not hold
   * up appends: the snapshot file and the current segment never touch each other.
   */
  private snapQueue: Promise<unknown> = Promise.resolve();
  private failed: Error | undefined;
  private closed = false;

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
   * Appends `records` (indexes lastIndex+1, +2, ...) with one write and, with sync `always`,
   * one fdatasync. Resolves with the index of the last one once they are durable per the sync
   * policy. After a failed write or sync every later call rejects: what reached the disk is
   * unknown, so the only safe continuation is a restart and recovery.
   */
  append(records: readonly Uint8Array[]): Promise<number> {
    return this.enqueue(() => this.appendNow(records));
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

  /** Bytes on disk: every segment plus every snapshot. */
  diskBytes(): number {
    let total = 0;
    for (const s of this.segments) total += s.bytes;
    for (const s of this.snapshots) total += s.bytes;
    return total;
  }

  /** Waits for pending work, syncs and closes the current segment. Safe to call twice. */
  close(): Promise<void> {
    if (this.closed) return this.queue.then(() => undefined);
    this.closed = true;
    const done = Promise.all([this.queue, this.snapQueue]).then(async () => {
      if (!this.failed) await datasyncFd(this.fd);
      await closeFd(this.fd);
    });
    this.queue = done.catch(() => undefined);
    return done;
  }

  private enqueue<T>(fn: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new Error('wal: the log is closed'));
    const run = this.queue.then(() => {
      if (this.failed) throw new WalWriteError(`wal: an earlier write failed; the log must be reopened`, { cause: this.failed });
      return fn();
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async appendNow(records: readonly Uint8Array[]): Promise<number> {
    if (records.length === 0) return this.last;
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
      if (seg.bytes > 0 && seg.bytes + total > this.segmentBytes) seg = await this.roll();
      let buf = this.buf;
      if (buf.length < total) {
        buf = Buffer.allocUnsafe(2 ** Math.ceil(Math.log2(total)));
        // Keep the grown buffer for the next batches, unless one odd batch was huge.
        if (total <= MAX_KEPT_BUFFER_BYTES) this.buf = buf;
      }
      let offset = 0;
      let index = this.last;
      for (const r of records) offset = writeFrame(buf, offset, ++index, r);
      // A synchronous write: microseconds into the page cache, cheaper than a thread-pool hop
      // (measured: about twice the appends/s with sync none); fdatasync stays asynchronous.
      writeAllSync(this.fd, buf, total, seg.bytes);
      if (this.sync === 'always') await datasyncFd(this.fd);
      seg.bytes += total;
      this.last = index;
      return index;
    } catch (err) {
      this.failed = err as Error;
      throw new WalWriteError(`wal: appending records ${this.last + 1}..${this.last + records.length} to ${seg.path} failed: ${(err as Error).message}`, { cause: err });
    }
  }

  /** Closes the current segment and starts the next one at lastIndex+1. */
  private async roll(): Promise<SegmentInfo> {
    const path = join(this.walDir, segmentName(this.last + 1));
    // Open the new segment before letting go of the old one, so that `this.fd` is always a
    // descriptor this log owns, even when a step fails half-way.
    const fd = await openFd(path, 'wx');
    try {
      // The new file's directory entry must be durable before records in it are acknowledged.
      await syncDir(this.walDir);
      // With sync `none` the old segment's tail may still be in the page cache; recovery only
      // tolerates damage at the end of the newest segment, so the old one is completed now.
      await datasyncFd(this.fd);
    } catch (err) {
      await closeFd(fd);
      throw err;
    }
    const old = this.fd;
    this.fd = fd;
    await closeFd(old);
    const seg = { firstIndex: this.last + 1, path, bytes: 0 };
    this.segments.push(seg);
    return seg;
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
