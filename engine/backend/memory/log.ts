/**
 * Durability of the memory engine: every `CommitBatch` becomes one WAL record, and every
 * `snapshotCount` requests the engine hands over its whole state as a `MemorySnapshot`, after
 * which the log segments it covers are deleted. On open, the newest snapshot and the batches
 * logged after it are handed back for the in-memory index to rebuild from.
 *
 * Snapshot cadence. A snapshot holds every retained change, so without compaction it grows with
 * the store; taken every 10,000 requests regardless, the work would grow with the square of the
 * writes (a store of a million changes would re-encode ~100 MB for every 10,000 new puts). So
 * a snapshot is also held back until the log written since the last one is at least as large as
 * that snapshot (`SNAPSHOT_MIN_LOG_RATIO`), the rule Redis uses to rewrite its append-only file
 * (`auto-aof-rewrite-percentage 100`). Snapshot work then stays proportional to the bytes logged,
 * and recovery never replays more log than one snapshot's worth. With compaction keeping the
 * state small, the rule is inert and snapshots come every `snapshotCount` requests.
 *
 * Layout under the data directory: `wal/*.wal` and `snap/*.snap` (see `../../wal/wal.ts`).
 */
import type { CommitBatch, SyncPolicy } from '../backend.ts';
import { Wal } from '../../wal/wal.ts';
import {
  createBatchEncoder,
  decodeBatch,
  decodeSnapshot,
  encodeSnapshotInSlices,
  type MemorySnapshot,
} from './codec.ts';

export type { MemorySnapshot } from './codec.ts';

/**
 * A snapshot is due only once the log written since the last snapshot is at least this many
 * times that snapshot's size (see the file comment).
 */
export const SNAPSHOT_MIN_LOG_RATIO = 1;

/** Bytes a WAL record adds in front of its payload (see `../../wal/framing.ts`). */
const FRAME_OVERHEAD_BYTES = 16;

/** Options of `MemoryLog.open`. */
export interface MemoryLogOptions {
  /** The engine's data directory (`wal/` and `snap/` are created inside). */
  dataDir: string;
  /** `always`: fdatasync before `append` resolves; `none`: the OS flushes when it likes. */
  sync: SyncPolicy;
  /** Take a snapshot after this many requests (`CommitBatch.requests`); the engine uses 10,000. */
  snapshotCount: number;
  /** Receives warnings (a torn tail cut off) and notices. */
  log: (level: 'info' | 'warn' | 'error', msg: string) => void;
  /** Segment size in bytes before rolling over (default 64 MiB). Tests use small ones. */
  segmentBytes?: number;
}

/** What `MemoryLog.open` recovered. */
export interface MemoryLogRecovery {
  log: MemoryLog;
  /** The newest snapshot, if one was ever taken. */
  snapshot?: MemorySnapshot;
  /** Batches logged after the snapshot (or since the start), in revision order. */
  batches: CommitBatch[];
}

/** The memory engine's write-ahead log and snapshots. */
export class MemoryLog {
  private readonly wal: Wal;
  private readonly snapshotCount: number;
  /** Requests logged since the last snapshot. */
  private pendingRequests: number;
  /** Log bytes written since the last snapshot. */
  private pendingBytes: number;
  /** Size of the last snapshot's payload in bytes (0 when there is none). */
  private snapshotBytes: number;
  /** Revision of the last batch logged (or of the snapshot). */
  private revision: number;
  /** WAL index of that batch; set together with `revision` so a snapshot lines up with it. */
  private index: number;
  /** Encodes into one reused buffer; safe because the WAL copies it before `append` returns. */
  private readonly encode = createBatchEncoder();
  /** The snapshot being written in the background, if any. */
  private writing: Promise<void> | undefined;
  private readonly logger: MemoryLogOptions['log'];

  private constructor(
    wal: Wal,
    opts: MemoryLogOptions,
    recovered: { pendingRequests: number; pendingBytes: number; snapshotBytes: number; revision: number },
  ) {
    this.wal = wal;
    this.logger = opts.log;
    this.snapshotCount = opts.snapshotCount;
    this.pendingRequests = recovered.pendingRequests;
    this.pendingBytes = recovered.pendingBytes;
    this.snapshotBytes = recovered.snapshotBytes;
    this.revision = recovered.revision;
    this.index = wal.lastIndex;
  }

  /**
   * Opens the log in `opts.dataDir` and recovers. Rejects with `WalCorruptionError` (file and
   * byte offset in the message) when durable data is damaged; a torn tail is cut off and
   * reported through `opts.log` at level `warn`.
   */
  static async open(opts: MemoryLogOptions): Promise<MemoryLogRecovery> {
    if (!Number.isInteger(opts.snapshotCount) || opts.snapshotCount < 1) {
      throw new Error(`memory log: snapshotCount ${opts.snapshotCount} is invalid; expected an integer >= 1`);
    }
    const { wal, snapshot: snap, records } = await Wal.open({
      dir: opts.dataDir,
      sync: opts.sync,
      log: opts.log,
      segmentBytes: opts.segmentBytes,
    });
    try {
      const snapshot = snap ? decodeSnapshot(snap.data, `snapshot ${snap.file}`) : undefined;
      const batches: CommitBatch[] = new Array(records.length);
      let pendingRequests = 0;
      let pendingBytes = 0;
      let revision = snapshot?.revision ?? 0;
      for (let i = 0; i < records.length; i++) {
        const r = records[i];
        const what = `wal record ${r.index} (${r.file} at byte offset ${r.offset})`;
        const b = decodeBatch(r.data, what);
        if (b.revision < revision) {
          throw new Error(`memory log: ${what} has revision ${b.revision}, below the previous ${revision}; the log is out of order`);
        }
        revision = b.revision;
        pendingRequests += b.requests;
        pendingBytes += FRAME_OVERHEAD_BYTES + r.data.length;
        batches[i] = b;
      }
      const snapshotBytes = snap?.data.length ?? 0;
      const log = new MemoryLog(wal, opts, { pendingRequests, pendingBytes, snapshotBytes, revision });
      return { log, snapshot, batches };
    } catch (err) {
      await wal.close();
      throw err;
    }
  }

  /**
   * Logs `batch`: it is written before this returns, and the promise resolves once it is durable
   * per the sync policy (with `always`: one write and one fdatasync for the whole batch, the
   * fdatasync shared with batches written while the previous one ran). Call in revision order;
   * a call need not wait for the previous one to resolve, and they resolve in order.
   *
   * `durable`, when given, runs as soon as the batch is durable and this log's bookkeeping has
   * moved to it, before any later batch's bookkeeping: the place to apply the batch to memory
   * and to take a snapshot (`snapshotDue`, `saveSnapshot`) that lines up with the log.
   */
  append(batch: CommitBatch, durable?: () => unknown): Promise<void> {
    // The WAL copies the payload out of the encoder's reused buffer before `append` returns.
    const payload = this.encode(batch);
    const bytes = FRAME_OVERHEAD_BYTES + payload.length;
    return this.wal.append([payload]).then((index) => {
      this.pendingRequests += batch.requests;
      this.pendingBytes += bytes;
      this.revision = batch.revision;
      this.index = index;
      if (durable !== undefined) durable();
    });
  }

  /**
   * True once at least `snapshotCount` requests were logged since the last snapshot, the log
   * written since then is at least `SNAPSHOT_MIN_LOG_RATIO` times that snapshot's size, and no
   * snapshot is being written.
   */
  get snapshotDue(): boolean {
    return (
      this.writing === undefined &&
      this.pendingRequests >= this.snapshotCount &&
      this.pendingBytes >= this.snapshotBytes * SNAPSHOT_MIN_LOG_RATIO
    );
  }

  /**
   * Takes `s` as the snapshot covering every batch appended so far. `s.revision` must be the
   * revision of the last appended batch: a snapshot of any other state would not line up with
   * the log.
   *
   * `s` is encoded in slices between other work (`encodeSnapshotInSlices`): the caller may go
   * on appending to `s.changes` (only the entries present now are encoded) and may replace the
   * array, but must not alter the entries it held.
   *
   * Resolves at once; the snapshot is encoded, written, synced and the covered log segments are
   * deleted in the background while appends go on, so a large snapshot does not stall the
   * commit pipeline. Nothing depends on it for durability (the log still holds every batch);
   * if it fails, the error is logged and `snapshotDue` turns true again to retry.
   * `snapshotWritten()` waits for it.
   */
  async saveSnapshot(s: MemorySnapshot): Promise<void> {
    if (this.index === this.wal.snapshotIndex || this.writing !== undefined) {
      // Nothing logged since the last snapshot (it already holds this state), or one is
      // being written: skip rather than queue a second copy of nearly the same state.
      if (this.index === this.wal.snapshotIndex) {
        this.pendingRequests = 0;
        this.pendingBytes = 0;
      }
      return;
    }
    if (s.revision !== this.revision) {
      throw new Error(
        `memory log: snapshot revision ${s.revision} is invalid; expected ${this.revision}, the revision of the last appended batch`,
      );
    }
    const index = this.index;
    const coveredRequests = this.pendingRequests;
    const coveredBytes = this.pendingBytes;
    const previousBytes = this.snapshotBytes;
    // What is appended while the snapshot is made counts towards the next one.
    this.pendingRequests -= coveredRequests;
    this.pendingBytes -= coveredBytes;
    this.writing = encodeSnapshotInSlices(s)
      .then((data) => {
        this.snapshotBytes = data.length;
        return this.wal.saveSnapshot(data, index);
      })
      .then(
        () => {
          this.writing = undefined;
        },
        (err: unknown) => {
          this.writing = undefined;
          this.pendingRequests += coveredRequests;
          this.pendingBytes += coveredBytes;
          this.snapshotBytes = previousBytes;
          this.logger('error', `memory log: writing the snapshot at revision ${s.revision} failed (the log still holds every batch): ${(err as Error).message}`);
        },
      );
  }

  /** Resolves when no snapshot is being written (for tests and orderly shutdown). */
  async snapshotWritten(): Promise<void> {
    await this.writing;
  }

  /** Bytes on disk: WAL segments plus snapshots. */
  diskBytes(): number {
    return this.wal.diskBytes();
  }

  /** Waits for a snapshot being written, then syncs and closes the log. */
  async close(): Promise<void> {
    await this.writing;
    await this.wal.close();
  }
}
