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
 */
import { open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { NativeDb } from './binding.ts';

export class WalSyncer {
  private path = '';
  private fh: FileHandle | undefined;

  constructor(
    private readonly db: NativeDb,
    private readonly dir: string,
  ) {}

  /** fdatasync of the live WAL; call after every write batch that must be durable. */
  async sync(): Promise<void> {
    // Ask for the live file while the known one is being synced: both are a trip to a thread.
    const [current] = await Promise.all([this.db.currentWalFile(), this.fh?.datasync()]);
    const path = join(this.dir, current.path);
    if (path === this.path) return;
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
  }
}
