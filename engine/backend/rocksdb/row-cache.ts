/**
 * A least-recently-used cache of k/ records (each key's newest record), bounded in bytes.
 *
 * Why: a RocksDB read is a trip to the binding's thread pool (~50 µs here), while the hot keys
 * of a metadata store are few. The cache holds exactly what k/ holds for the keys it has, so it
 * is updated by every commit (in the commit's callback, in revision order) and filled by reads
 * only when no commit ran while they were in flight (the caller checks; see `index.ts`).
 * Its bound keeps memory flat however large the dataset grows.
 */

/** Bytes charged per entry on top of key and record (Map slot, strings, Buffer object). */
const ENTRY_OVERHEAD_BYTES = 96;

export class RowCache {
  private readonly map = new Map<string, Buffer>();
  private bytes = 0;

  /** @param maxBytes upper bound of the cached keys and records plus overhead, in bytes. */
  constructor(private readonly maxBytes: number) {}

  private static id(key: Buffer): string {
    return key.toString('latin1');
  }

  get(key: Buffer): Buffer | undefined {
    const id = RowCache.id(key);
    const rec = this.map.get(id);
    if (rec !== undefined) {
      // Refresh recency: Map iterates in insertion order, the oldest first.
      this.map.delete(id);
      this.map.set(id, rec);
    }
    return rec;
  }

  set(key: Buffer, rec: Buffer): void {
    if (this.maxBytes <= 0) return;
    const id = RowCache.id(key);
    const old = this.map.get(id);
    if (old !== undefined) {
      this.bytes -= id.length + old.length + ENTRY_OVERHEAD_BYTES;
      this.map.delete(id);
    }
    this.map.set(id, rec);
    this.bytes += id.length + rec.length + ENTRY_OVERHEAD_BYTES;
    while (this.bytes > this.maxBytes) {
      const oldest = this.map.entries().next().value;
      if (oldest === undefined) break;
      this.map.delete(oldest[0]);
      this.bytes -= oldest[0].length + oldest[1].length + ENTRY_OVERHEAD_BYTES;
    }
  }

  delete(key: Buffer): void {
    const id = RowCache.id(key);
    const old = this.map.get(id);
    if (old === undefined) return;
    this.map.delete(id);
    this.bytes -= id.length + old.length + ENTRY_OVERHEAD_BYTES;
  }

  clear(): void {
    this.map.clear();
    this.bytes = 0;
  }

  get size(): number {
    return this.map.size;
  }
}
