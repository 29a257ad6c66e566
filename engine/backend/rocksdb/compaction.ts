/**
 * The physical side of etcd's Compact(rev): drops history the store can no longer be asked for.
 *
 * The commit that carries `compact` records m/compact durably; reads below it are refused from
 * then on. This sweep then runs in the background, in chunks that take turns with commits:
 *   h/  for each key, of its records with revision <= rev keep only the newest, and drop that
 *       one too when no read at rev or later can reach it: it is a tombstone, or the key's k/
 *       record is itself <= rev (then k/ answers; h/ holds every record but the newest), or
 *       the key is gone from k/. A k/ tombstone <= rev goes as well;
 *   r/  every change-log entry whose changes are all below rev (one range deletion; an entry
 *       that straddles rev stays, and history reads skip its older changes);
 * and finally records m/swept = rev. A sweep cut short (close, crash) is simply run again on
 * the next open: every step is idempotent.
 *
 * Worked example: h/a holds put@2, put@3, del@4 and k/a holds put@6; compact(5) drops all three
 * (del@4 is the newest <= 5 and a tombstone). With k/a = put@4 instead, compact(5) drops h/a's
 * put@2 and put@3 (k/ answers every read at 5 or later).
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
  // Each key's newest h/ record <= rev: whether it goes depends on k/, read under the lock.
  let newest: Newest[] = [];

  const flush = async (): Promise<void> => {
    const dels = deletes;
    const tops = newest;
    deletes = [];
    newest = [];
    if (dels.length === 0 && tops.length === 0) return;
    await host.exclusive(async () => {
      // Never a capacity of 0: the binding grows a batch by doubling its capacity (and pools
      // small batches for reuse), so a 0 would spin forever on the first operation.
      const w = host.db.write({ autoDestroy: true, capacity: Math.max(8, dels.length + 2 * tops.length) });
      for (const d of dels) w.tryDelete(d);
      if (tops.length > 0) await dropNewest(host, w, tops, rev);
      await w.flush();
    });
  };

  let group: Buffer | undefined;
  let keep: Newest | undefined; // newest record <= rev of the current key
  const endGroup = (): void => {
    if (keep !== undefined) newest.push(keep);
    keep = undefined;
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
      keep = { hk: row.key, tombstone: isTombstone(row.value!) };
    }
    if (deletes.length + newest.length >= CHUNK) {
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

/** A key's newest h/ record <= the compact revision. */
interface Newest {
  hk: Buffer;
  tombstone: boolean;
}

/**
 * Deletes each key's newest h/ record <= rev that no read can reach any more, and k/ tombstones
 * <= rev, against k/ as it is now (under the write lane: no commit in between). A commit since
 * the scan only moved k/ up and added newer h/ records, which this leaves for the next sweep.
 */
async function dropNewest(host: SweepHost, w: NativeWriteBatch, tops: Newest[], rev: number): Promise<void> {
  const keys = tops.map((t) => parseHistoryKey(t.hk).key);
  const recs = await getMany(host.db, keys.map(currentKey));
  for (let i = 0; i < tops.length; i++) {
    const cur = recs[i];
    const currentAtOrBelow = cur !== null && recordRevision(cur) <= rev;
    if (tops[i].tombstone || cur === null || currentAtOrBelow) w.tryDelete(tops[i].hk);
    if (currentAtOrBelow && isTombstone(cur)) {
      w.tryDelete(currentKey(keys[i]));
      host.forget(keys[i]);
    }
  }
}
