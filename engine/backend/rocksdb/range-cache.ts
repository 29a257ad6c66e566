/**
 * A small cache of whole current-revision range answers, bounded in bytes and entries.
 *
 * Why: every RocksDB range is an iterator, and `rocksdb-native` spends ~0.5-1 ms of CPU on one
 * iterator over 100 rows (open, read and close are each a call into the binding plus a trip to
 * its thread pool, and every row comes back as two separately allocated buffers). A metadata
 * store is asked for the same prefix again and again (a controller listing its objects) while
 * writes to that prefix are comparatively rare, so the answer is kept until a commit touches it.
 *
 * Exactness: an entry holds the live keys of [start, end) as of revision `rev`, and it is dropped
 * by every commit that changes a key inside it (`invalidate`, called before RocksDB applies the
 * commit). So it is the answer at every revision from `rev` up to the newest one. The caller
 * stores an answer only when no commit started or ended while it was read (see `index.ts`), and
 * asks only for revisions at or above the committed one.
 *
 *   fill ["a", "c") at 7 -> [a, b]; commit 8 puts "x": kept; commit 9 puts "b": dropped
 */
import type { KeyValue } from '../../mvcc/types.ts';

/** Bytes charged per cached KeyValue on top of its key and value. */
const KV_OVERHEAD_BYTES = 96;
/** Most entries: every commit checks its changed keys against each of them. */
const MAX_ENTRIES = 32;

interface Entry {
  /** latin1 bounds: keys k with start <= k < end (end undefined = no upper bound). */
  start: string;
  end: string | undefined;
  rev: number;
  kvs: KeyValue[];
  bytes: number;
}

export class RangeCache {
  /** Insertion order = least recently used first. */
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;

  /** @param maxBytes bound of all cached keys and values plus overhead (0 = no cache). */
  constructor(private readonly maxBytes: number) {}

  private static id(key: Buffer, rangeEnd: Buffer): string {
    const start = key.toString('latin1');
    return `${start.length}:${start}${rangeEnd.toString('latin1')}`;
  }

  /**
   * The live keys of [key, rangeEnd) at `revision` (`rangeEnd` = `\0`: no upper bound), or
   * undefined when not cached for that revision.
   */
  get(key: Buffer, rangeEnd: Buffer, revision: number): KeyValue[] | undefined {
    if (this.entries.size === 0) return undefined;
    const id = RangeCache.id(key, rangeEnd);
    const e = this.entries.get(id);
    if (e === undefined || revision < e.rev) return undefined;
    this.entries.delete(id);
    this.entries.set(id, e);
    return e.kvs;
  }

  /** Stores the complete answer of [key, rangeEnd) at `rev`, if it fits. */
  set(key: Buffer, rangeEnd: Buffer, rev: number, kvs: KeyValue[]): void {
    if (this.maxBytes <= 0) return;
    let bytes = 0;
    for (const kv of kvs) bytes += kv.key.length + kv.value.length + KV_OVERHEAD_BYTES;
    if (bytes > this.maxBytes / 4) return;
    const id = RangeCache.id(key, rangeEnd);
    this.drop(id);
    const unbounded = rangeEnd.length === 1 && rangeEnd[0] === 0;
    this.entries.set(id, { start: key.toString('latin1'), end: unbounded ? undefined : rangeEnd.toString('latin1'), rev, kvs, bytes });
    this.bytes += bytes;
    for (const [oldest] of this.entries) {
      if (this.bytes <= this.maxBytes && this.entries.size <= MAX_ENTRIES) break;
      this.drop(oldest);
    }
  }

  /** Drops every entry whose range holds one of `keys` (latin1). */
  invalidate(keys: readonly string[]): void {
    if (this.entries.size === 0) return;
    for (const [id, e] of this.entries) {
      for (const k of keys) {
        if (k >= e.start && (e.end === undefined || k < e.end)) {
          this.drop(id);
          break;
        }
      }
    }
  }

  private drop(id: string): void {
    const e = this.entries.get(id);
    if (e === undefined) return;
    this.entries.delete(id);
    this.bytes -= e.bytes;
  }

  clear(): void {
    this.entries.clear();
    this.bytes = 0;
  }

  /** Number of cached ranges. */
  get size(): number {
    return this.entries.size;
  }
}
