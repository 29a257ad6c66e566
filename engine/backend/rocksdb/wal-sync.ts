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
 */
import { open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { NativeDb } from './binding.ts';

/** RocksDB's counter of installed super versions (bumped by every memtable switch). */
const SUPER_VERSION = 'rocksdb.current-super-version-number';

export class WalSyncer {
  private path = '';
  private fh: FileHandle | undefined;
  /** Super version number read just before `path` was learned; '' = unknown. */
  private version = '';

  constructor(
    private readonly db: NativeDb,
    private readonly dir: string,
  ) {}

  /** fdatasync of the live WAL; call after every write batch that must be durable. */
  async sync(): Promise<void> {
    const version = await this.db.getProperty(SUPER_VERSION);
    if (this.fh !== undefined && version === this.version) {
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
      next = await open(path, 'r');
    } catch (err) {
      // The file was already flushed to a table and purged (RocksDB syncs tables itself).
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    const old = this.fh;
    this.fh = next;
    this.path = path;
    await next.datasync();
    await this.syncDir();
    // Only now: a failed sync above leaves `version` stale, so the next batch asks again.
    this.version = version;
    await old?.close();
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
  }
}
