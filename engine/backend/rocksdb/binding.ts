/**
 * The slice of `rocksdb-native` (Holepunch's binding, prebuilt for Node on Linux, macOS and
 * Windows) this engine uses, typed. The package ships no TypeScript types.
 *
 * Two things about the binding that callers must know:
 *   - batches (`read()`, `write()`) hold a reference on the database until destroyed, and
 *     `close()` waits for every reference: always pass `autoDestroy: true`;
 *   - writes use RocksDB's default WriteOptions (sync = false): durability is `wal-sync.ts`'s job.
 */
import { createRequire } from 'node:module';

export interface NativeWriteBatch {
  tryPut(key: Buffer, value: Buffer): void;
  tryDelete(key: Buffer): void;
  tryDeleteRange(start: Buffer, end: Buffer): void;
  flush(): Promise<void>;
}

export interface NativeReadBatch {
  get(key: Buffer): Promise<Buffer | null>;
  tryFlush(): void;
}

export interface IteratorRange {
  gte?: Buffer;
  gt?: Buffer;
  lt?: Buffer;
  lte?: Buffer;
  reverse?: boolean;
  /** Maximum rows; default unlimited. */
  limit?: number;
  /** Rows fetched per trip to RocksDB's thread; default 8. */
  capacity?: number;
  values?: boolean;
}

export interface NativeDb {
  ready(): Promise<void>;
  close(): Promise<void>;
  write(opts?: { autoDestroy?: boolean; capacity?: number }): NativeWriteBatch;
  read(opts?: { autoDestroy?: boolean; capacity?: number }): NativeReadBatch;
  iterator(range: IteratorRange): AsyncIterable<{ key: Buffer; value: Buffer | null }>;
  flush(): Promise<void>;
  /** A manual compaction of the whole key space. */
  compact(opts: { bottommostLevelCompaction?: number }): Promise<void>;
  getProperty(name: string): Promise<string>;
  currentWalFile(): Promise<{ path: string; number: number; size: number }>;
}

export interface NativeOptions {
  createIfMissing?: boolean;
  /** Memtable size in bytes (default 64 MiB). */
  writeBufferSize?: number;
  maxWriteBufferNumber?: number;
  maxBackgroundJobs?: number;
}

interface RocksDBModule {
  new (path: string, opts?: NativeOptions): NativeDb;
  constants: { bottommostLevelCompaction: { NONE: number; SKIP: number; FORCE: number } };
}

const require = createRequire(import.meta.url);

/** The binding's constructor, loaded once. */
export const RocksDB = require('rocksdb-native') as RocksDBModule;

interface RowStream {
  on(event: 'data', fn: (row: { key: Buffer; value: Buffer | null }) => void): RowStream;
  on(event: 'end', fn: () => void): RowStream;
  on(event: 'error', fn: (err: unknown) => void): RowStream;
  destroy(): void;
}

const EMPTY = Buffer.alloc(0);

/**
 * Calls `onRow` for each row of a range, in order, until it returns false. Resolves when the
 * rows are delivered, without waiting for the iterator's close (a third trip to RocksDB's thread
 * that `for await` would wait for: waiting for it halves the rate of 100-key scans here). The
 * iterator still closes in the background and `close()` of the database waits for it.
 */
export function scan(db: NativeDb, range: IteratorRange, onRow: (key: Buffer, value: Buffer) => boolean | void): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const it = db.iterator(range) as unknown as RowStream;
    let done = false;
    it.on('data', (row) => {
      if (done) return;
      if (onRow(row.key, row.value ?? EMPTY) === false) {
        done = true;
        it.destroy();
        resolve();
      }
    });
    it.on('end', () => {
      done = true;
      resolve();
    });
    it.on('error', (err) => {
      if (done) return;
      done = true;
      reject(err);
    });
  });
}

/** Every row of a range, collected. */
export async function collect(db: NativeDb, range: IteratorRange): Promise<{ key: Buffer; value: Buffer }[]> {
  const rows: { key: Buffer; value: Buffer }[] = [];
  await scan(db, range, (key, value) => {
    rows.push({ key, value });
  });
  return rows;
}

/** Point reads of several keys in one trip; null where a key is absent. */
export async function getMany(db: NativeDb, keys: Buffer[]): Promise<(Buffer | null)[]> {
  const batch = db.read({ autoDestroy: true, capacity: Math.max(1, keys.length) });
  const pending = keys.map((k) => batch.get(k));
  batch.tryFlush();
  return Promise.all(pending);
}
