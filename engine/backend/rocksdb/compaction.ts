/**
 * The physical side of etcd's Compact(rev): drops history the store can no longer be asked for.
 *
 * The commit that carries `compact` records m/compact durably; reads below it are refused from
 * then on. This sweep then runs in the background, in chunks that take turns with commits:
 *   h/  for each key, of its records with revision <= rev keep only the newest, and drop that
 *       one too if it is a tombstone (then the key's k/ tombstone goes as well, unless a newer
 *       record has replaced it);
 *   r/  every change-log entry whose changes are all below rev (one range deletion; an entry
 *       that straddles rev stays, and history reads skip its older changes);
 * and finally records m/swept = rev. A sweep cut short (close, crash) is simply run again on
 * the next open: every step is idempotent.
 *
 * Worked example: h/a holds put@2, put@3, del@4, put@6; compact(5) keeps only put@6 (del@4 is
 * the newest <= 5 and a tombstone, so it goes with everything older).
 */
import type { NativeDb, NativeWriteBatch } from './binding.ts';
import { getMany } from './binding.ts';
import { isTombstone, recordRevision } from './codec.ts';
import {
  META_SWEPT,
  PREFIX_HISTORY,
  changeKey,
  currentKey,
  historyKeyGroup,
  parseHistoryKey,
  prefixEnd,
  readU64,
  u64,
} from './keys.ts';

/** Deletions per write batch: bounds how long one chunk holds the write lane. */
const CHUNK = 2000;

export interface SweepHost {
  readonly db: NativeDb;
  /** Runs `fn` between commits (the write lane), so a chunk never interleaves with a commit. */
  exclusive<T>(fn: () => Promise<T>): Promise<T>;
  /** Drops a key from the row cache after its k/ tombstone was removed. */
  forget(key: Buffer): void;
  /** True once close() has begun: the sweep stops at the next chunk. */
  closing(): boolean;
}

/** Removes history below `rev` from h/ and r/; resolves with true when it ran to the end. */
export async function sweep(host: SweepHost, rev: number): Promise<boolean> {
  let deletes: Buffer[] = [];
  // k/ tombstones that may go: key -> the tombstone's revision, checked again under the lock.
  let tombstones = new Map<string, { key: Buffer; rev: number }>();

  const flush = async (): Promise<void> => {
    const dels = deletes;
    const tombs = [...tombstones.values()];
    deletes = [];
    tombstones = new Map();
    if (dels.length === 0 && tombs.length === 0) return;
    await host.exclusive(async () => {
      // Never a capacity of 0: the binding grows a batch by doubling its capacity (and pools
      // small batches for reuse), so a 0 would spin forever on the first operation.
      const w = host.db.write({ autoDestroy: true, capacity: Math.max(8, dels.length + tombs.length) });
      for (const d of dels) w.tryDelete(d);
      if (tombs.length > 0) await dropTombstones(host, w, tombs);
      await w.flush();
    });
  };

  let group: Buffer | undefined;
  let keep: { hk: Buffer; rec: Buffer } | undefined; // newest record <= rev of the current key
  let newerSeen = false; // the current key has a record > rev
  const endGroup = (): void => {
    if (keep !== undefined && isTombstone(keep.rec)) {
      deletes.push(keep.hk);
      if (!newerSeen) {
        const key = parseHistoryKey(keep.hk).key;
        tombstones.set(key.toString('latin1'), { key, rev: recordRevision(keep.rec) });
      }
    }
    keep = undefined;
    newerSeen = false;
  };

  const iter = host.db.iterator({ gte: PREFIX_HISTORY, lt: prefixEnd(PREFIX_HISTORY), capacity: 512 });
  for await (const row of iter) {
    const g = historyKeyGroup(row.key);
    if (group === undefined || !g.equals(group)) {
      endGroup();
      group = Buffer.from(g);
    }
    if (readU64(row.key, row.key.length - 16) <= rev) {
      if (keep !== undefined) deletes.push(keep.hk);
      keep = { hk: row.key, rec: row.value! };
    } else {
      newerSeen = true;
    }
    if (deletes.length >= CHUNK) {
      if (host.closing()) return false;
      await flush();
    }
  }
  endGroup();
  if (host.closing()) return false;
  await flush();
  await host.exclusive(async () => {
    const w = host.db.write({ autoDestroy: true });
    w.tryDeleteRange(changeKey(0, 0), changeKey(rev, 0));
    w.tryPut(META_SWEPT, u64(rev));
    await w.flush();
  });
  return true;
}

/** Deletes each k/ tombstone that is still the key's newest record (no put landed since). */
async function dropTombstones(host: SweepHost, w: NativeWriteBatch, tombs: { key: Buffer; rev: number }[]): Promise<void> {
  const recs = await getMany(host.db, tombs.map((t) => currentKey(t.key)));
  for (let i = 0; i < tombs.length; i++) {
    const rec = recs[i];
    if (rec !== null && isTombstone(rec) && recordRevision(rec) === tombs[i].rev) {
      w.tryDelete(currentKey(tombs[i].key));
      host.forget(tombs[i].key);
    }
  }
}
