/**
 * A cache of k/ records (each key's newest record), bounded in bytes.
 *
 * Why: a RocksDB read is a trip to the binding's thread pool (~50 µs here), while the hot keys
 * of a metadata store are few. The cache holds exactly what k/ holds for the keys it has, so it
 * is updated by every commit (in the commit's callback, in revision order) and filled by reads
 * only when no commit ran while they were in flight (the caller checks; see `index.ts`).
 * Its bound keeps memory flat however large the dataset grows.
 *
 * Eviction is generational rather than strict LRU: entries go into `young`; when `young` holds
 * half the budget it becomes `old` and the previous `old` is dropped whole. A hit in `old` moves
 * the entry back to `young`. Every operation is O(1). (A Map used as an LRU list — delete the
 * oldest with `entries().next()` — degrades badly: V8 leaves deleted slots in place until the
 * next rehash and every eviction walks over them. Loading 1,000,000 keys took 765 s that way.)
 */

/** Bytes charged per entry on top of key and record (Map slot, strings, Buffer object). */
const ENTRY_OVERHEAD_BYTES = 96;

export class RowCache {
  private young = new Map<string, Buffer>();
  private old = new Map<string, Buffer>();
  private youngBytes = 0;

  /** @param maxBytes upper bound of the cached keys and records plus overhead, in bytes. */
  constructor(private readonly maxBytes: number) {}

  private static id(key: Buffer): string {
    return key.toString('latin1');
  }

  private static cost(id: string, rec: Buffer): number {
    return id.length + rec.length + ENTRY_OVERHEAD_BYTES;
  }

  get(key: Buffer): Buffer | undefined {
    return this.getById(RowCache.id(key));
  }

  /** Like `get`, by the key's latin1 string (callers that already have it save a conversion). */
  getById(id: string): Buffer | undefined {
    const rec = this.young.get(id);
    if (rec !== undefined) return rec;
    const aged = this.old.get(id);
    if (aged !== undefined) {
      this.old.delete(id);
      this.put(id, aged);
    }
    return aged;
  }

  set(key: Buffer, rec: Buffer): void {
    this.setById(RowCache.id(key), rec);
  }

  /** Like `set`, by the key's latin1 string. */
  setById(id: string, rec: Buffer): void {
    if (this.maxBytes <= 0) return;
    this.old.delete(id);
    this.put(id, rec);
  }

  private put(id: string, rec: Buffer): void {
    const prev = this.young.get(id);
    if (prev !== undefined) this.youngBytes -= RowCache.cost(id, prev);
    this.young.set(id, rec);
    this.youngBytes += RowCache.cost(id, rec);
    if (this.youngBytes > this.maxBytes / 2) {
      this.old = this.young;
      this.young = new Map();
      this.youngBytes = 0;
    }
  }

  delete(key: Buffer): void {
    const id = RowCache.id(key);
    const prev = this.young.get(id);
    if (prev !== undefined) {
      this.young.delete(id);
      this.youngBytes -= RowCache.cost(id, prev);
    }
    this.old.delete(id);
  }

  clear(): void {
    this.young = new Map();
    this.old = new Map();
    this.youngBytes = 0;
  }

  /** Number of cached keys. */
  get size(): number {
    return this.young.size + this.old.size;
  }
}
