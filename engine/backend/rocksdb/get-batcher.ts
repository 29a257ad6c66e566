/**
 * Coalesces point reads: every get asked for during one turn of the event loop goes to RocksDB
 * as one read batch (one trip to the binding's thread instead of one per key). With 64 clients
 * reading at once this is the difference between ~13,000 and ~110,000 gets/s on this machine
 * (`engine/bench/rocksdb-binding-bench.ts`).
 */
import type { NativeDb } from './binding.ts';
import { getMany } from './binding.ts';

interface Waiter {
  resolve: (v: Buffer | null) => void;
  reject: (e: unknown) => void;
}

export class GetBatcher {
  private keys: Buffer[] = [];
  private waiters: Waiter[] = [];
  private scheduled = false;

  constructor(private readonly db: NativeDb) {}

  get(key: Buffer): Promise<Buffer | null> {
    return new Promise((resolve, reject) => {
      this.keys.push(key);
      this.waiters.push({ resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    const keys = this.keys;
    const waiters = this.waiters;
    this.keys = [];
    this.waiters = [];
    this.scheduled = false;
    getMany(this.db, keys).then(
      (values) => {
        for (let i = 0; i < waiters.length; i++) waiters[i].resolve(values[i]);
      },
      (err: unknown) => {
        for (const w of waiters) w.reject(err);
      },
    );
  }
}
