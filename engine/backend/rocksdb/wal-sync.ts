/**
 * Makes RocksDB's own write-ahead log durable after a write batch, from outside the binding.
 *
 * Why: `rocksdb-native` writes with RocksDB's default WriteOptions (sync = false). RocksDB still
 * hands every batch to the OS (one write() to the WAL per batch; `manual_wal_flush` is off), so
 * an acknowledged batch survives `kill -9` either way; what sync adds is surviving power loss.
 * RocksDB's `DB::SyncWAL()` is an fsync of the live WAL file, and that is what this does: an
 * fdatasync of the WAL file RocksDB is appending to. No second log of our own is written.
 *
 * The live WAL changes when RocksDB switches memtables. A batch lands in the WAL that was live
 * when it was written: the file we synced last time, or the one `currentWalFile()` names now.
 * Both are synced when they differ, and so is the directory (the new file's entry must survive
 * too).
 *
 * Asking RocksDB for the live WAL is a trip to the binding's thread pool, so it is asked only
 * when the WAL may have changed. RocksDB (one column family) creates a new WAL only when it
 * switches memtables, and a switch installs a new "super version" under the same mutex before
 * any write goes to the new WAL. The super version number is a property read synchronously, so:
 * unchanged number since we learned the live WAL = same WAL (the common case: one fdatasync and
 * nothing else); changed number (switch, flush or compaction finished) = ask again.
 *
 *   learn: sv = 7, then currentWalFile() = 000012.log      (sv read first: a switch in between
 *   batch: write; sv still 7 -> fdatasync 000012.log        leaves sv stale, so we ask again)
 *   batch: write; sv 8 -> sync 000012.log and ask; 000014.log -> sync it and the directory
 *
 * Zeros ahead: fdatasync of a file that grew must also commit the new size (and the written
 * extents) to the filesystem journal, which made each sync ~1.5-3x slower here than a sync of
 * overwritten blocks. RocksDB writes its WAL with write() at its own file offset (no O_APPEND),
 * preallocates with FALLOC_FL_KEEP_SIZE (the size still grows) and trims the file to its data
 * when it closes it. So this keeps up to 1 MiB of zeros written past RocksDB's position: RocksDB's
 * appends then overwrite blocks that already exist, and a sync writes data only. Zeros are only
 * ever written at the file's current end, between write batches (the caller runs on the write
 * lane), so they never cover anything RocksDB wrote. RocksDB's WAL reader skips zero-filled
 * space (it is what its own preallocation leaves), so a crash leaves a log that replays to the
 * last batch, as before. When RocksDB runs past the zeros (our estimate of its position was
 * low), the file just grows as before until the next extension.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { NativeDb } from './binding.ts';

/** RocksDB's counter of installed super versions (bumped by every memtable switch). */
const SUPER_VERSION = 'rocksdb.current-super-version-number';

/**
 * Zeros written past RocksDB's WAL position at a time, and how close it may come first. The
 * next fdatasync writes the zeros out too, so a chunk is small enough for that one sync to stay
 * short (1 MiB is ~30 batches of 64 puts).
 */
const ZEROS_AHEAD = 2 ** 20;
const ZEROS_MARGIN = 256 * 1024;
let zeros: Buffer | undefined;

export class WalSyncer {
  private path = '';
  private fh: FileHandle | undefined;
  /** Super version number read just before `path` was learned; '' = unknown. */
  private version = '';
  /** Where the zeros written ahead of RocksDB end in the live WAL (0 = none written). */
  private zeroEnd = 0;
  /** At or past RocksDB's write position in the live WAL (an estimate that errs high). */
  private position = 0;

  constructor(
    private readonly db: NativeDb,
    private readonly dir: string,
  ) {}

  /**
   * fdatasync of the live WAL; call after every write batch that must be durable, on the write
   * lane (no other RocksDB write in flight). `written` is at least the bytes the batch added to
   * the WAL (keys, values and framing).
   */
  async sync(written = 0): Promise<void> {
    const version = await this.db.getProperty(SUPER_VERSION);
    this.position += written;
    if (this.fh !== undefined && version === this.version) {
      if (this.position + ZEROS_MARGIN > this.zeroEnd) await this.zeroAhead(this.fh);
      await this.fh.datasync();
      return;
    }
    // Ask for the live file while the known one is being synced: both are a trip to a thread.
    const [current] = await Promise.all([this.db.currentWalFile(), this.fh?.datasync()]);
    const path = join(this.dir, current.path);
    if (path === this.path) {
      this.version = version;
      return;
    }
    let next: FileHandle;
    try {
      next = await open(path, 'r+');
    } catch (err) {
      // The file was already flushed to a table and purged (RocksDB syncs tables itself).
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    const old = this.fh;
    this.fh = next;
    this.path = path;
    // Nothing of ours is in the new file yet: its end is RocksDB's position.
    this.zeroEnd = 0;
    this.position = 0;
    await this.zeroAhead(next);
    await next.datasync();
    await this.syncDir();
    // Only now: a failed sync above leaves `version` stale, so the next batch asks again.
    this.version = version;
    await old?.close();
  }

  /** Writes zeros at the end of `fh` so that RocksDB's next appends overwrite existing blocks. */
  private async zeroAhead(fh: FileHandle): Promise<void> {
    const end = (await fh.stat()).size;
    // Past our zeros (or a new file): RocksDB's position is the end.
    if (end > this.zeroEnd) this.position = end;
    zeros ??= Buffer.alloc(ZEROS_AHEAD);
    await fh.write(zeros, 0, zeros.length, end);
    this.zeroEnd = end + zeros.length;
  }

  /** About how many zero bytes lie past RocksDB's data in the live WAL (for the disk stats). */
  get zeroBytesAhead(): number {
    return Math.max(0, this.zeroEnd - this.position);
  }

  private async syncDir(): Promise<void> {
    const dh = await open(this.dir, 'r');
    try {
      await dh.sync();
    } finally {
      await dh.close();
    }
  }

  async close(): Promise<void> {
    await this.fh?.close();
    this.fh = undefined;
    this.path = '';
    this.version = '';
    this.zeroEnd = 0;
    this.position = 0;
  }
}
