/**
 * Reads "as of revision rev" against the layout in `keys.ts`.
 *
 * The current view (k/) may run ahead of `rev`: a commit's write becomes visible in RocksDB
 * before its callback tells the backend (and before the store answers at the new revision).
 * So every k/ record is checked: modRevision <= rev is the answer; a newer record sends that key
 * to h/ (`historicalRecord`). A key absent from k/ has no version at any revision the store may
 * still read (tombstones stay in k/ until compaction drops them).
 */
import type { KeyValue } from '../../mvcc/types.ts';
import type { Change, RangeQuery } from '../backend.ts';
import { scan, type NativeDb } from './binding.ts';
import { decodeChange, decodeLive, isTombstone, recordRevision, visitChanges } from './codec.ts';
import {
  PREFIX_CURRENT,
  changeKey,
  currentBounds,
  historyBounds,
  historyKey,
  historyKeyGroup,
  historyKeyPrefix,
  inRange,
  readU64,
  PREFIX_CHANGES,
} from './keys.ts';

/** Rows fetched per trip to RocksDB's thread when scanning. */
const SCAN_CAPACITY = 256;

/** The newest h/ record of `key` with main revision <= `rev`, or null. */
export async function historicalRecord(db: NativeDb, key: Buffer, rev: number): Promise<Buffer | null> {
  let found: Buffer | null = null;
  await scan(db, { gte: historyKeyPrefix(key), lt: historyKey(key, rev + 1, 0), reverse: true, limit: 1, capacity: 1 }, (_k, value) => {
    found = value;
    return false;
  });
  return found;
}

/** The live KeyValue of `key` at `rev` given its k/ record (null = absent). */
export async function resolveCurrent(db: NativeDb, key: Buffer, rec: Buffer | null, rev: number): Promise<KeyValue | undefined> {
  if (rec === null) return undefined;
  if (recordRevision(rec) <= rev) return decodeLive(key, rec);
  const old = await historicalRecord(db, key, rev);
  return old === null ? undefined : decodeLive(key, old);
}

/**
 * Range over k/ at `rev`, for `rev` at (or, by a commit in flight, just behind) the newest
 * revision. Returns undefined when a key had to be looked up in h/, turned out absent, and the
 * limit was reached: the caller then answers from h/ alone.
 */
export async function rangeCurrent(db: NativeDb, q: RangeQuery): Promise<{ kvs: KeyValue[]; count: number } | undefined> {
  const { gte, lt } = currentBounds(q.key, q.rangeEnd);
  const wanted = q.countOnly ? 0 : q.limit === 0 ? Infinity : q.limit;
  const out: (KeyValue | Promise<KeyValue | undefined>)[] = [];
  const beyond: Promise<KeyValue | undefined>[] = [];
  let count = 0;
  await scan(db, { gte, lt, capacity: SCAN_CAPACITY }, (rowKey, rec) => {
    if (recordRevision(rec) <= q.revision) {
      if (isTombstone(rec)) return;
      count++;
      if (out.length < wanted) out.push(decodeLive(rowKey.subarray(PREFIX_CURRENT.length), rec)!);
    } else {
      const p = resolveCurrent(db, rowKey.subarray(PREFIX_CURRENT.length), rec, q.revision);
      if (out.length < wanted) out.push(p);
      else beyond.push(p);
    }
  });
  const resolved = await Promise.all(out);
  const kvs: KeyValue[] = [];
  let lostInside = false;
  for (let i = 0; i < resolved.length; i++) {
    const r = resolved[i];
    if (out[i] instanceof Promise) {
      if (r === undefined) lostInside = true;
      else count++;
    }
    if (r !== undefined) kvs.push(r);
  }
  for (const r of await Promise.all(beyond)) if (r !== undefined) count++;
  if (lostInside && out.length >= wanted && wanted !== Infinity) return undefined;
  return { kvs, count };
}

/**
 * Range at any revision >= the compacted one. h/ holds every record but each key's newest (in
 * k/): a key's k/ record answers when it is <= rev, else its newest h/ record <= rev does. h/ is
 * scanned after k/, so it has the record replaced by any commit that k/ showed (a commit writes
 * both at once). Only keys present in k/ count: a key absent there was deleted and compacted
 * away (its h/ records may outlive it until the sweep reaches them).
 */
export async function rangeHistorical(db: NativeDb, q: RangeQuery): Promise<{ kvs: KeyValue[]; count: number }> {
  const wanted = q.countOnly ? 0 : q.limit === 0 ? Infinity : q.limit;
  const c = currentBounds(q.key, q.rangeEnd);
  const current: { key: Buffer; rec: Buffer }[] = [];
  let newer = false;
  await scan(db, { gte: c.gte, lt: c.lt, capacity: SCAN_CAPACITY }, (ck, rec) => {
    current.push({ key: ck.subarray(PREFIX_CURRENT.length), rec });
    if (recordRevision(rec) > q.revision) newer = true;
  });
  // Newest h/ record <= rev of each key, by its escaped-key group (one group per key).
  const past = new Map<string, Buffer>();
  if (newer) {
    const h = historyBounds(q.key, q.rangeEnd);
    await scan(db, { gte: h.gte, lt: h.lt, capacity: SCAN_CAPACITY }, (hk, rec) => {
      if (readU64(hk, hk.length - 16) <= q.revision) past.set(historyKeyGroup(hk).toString('latin1'), rec);
    });
  }
  const kvs: KeyValue[] = [];
  let count = 0;
  for (const { key, rec } of current) {
    const found = recordRevision(rec) <= q.revision ? rec : past.get(historyKeyPrefix(key).toString('latin1'));
    if (found === undefined || isTombstone(found)) continue;
    count++;
    if (kvs.length < wanted) kvs.push(decodeLive(key, found)!);
  }
  return { kvs, count };
}

/**
 * Changes with main revision in [fromRevision, upTo] to keys in the range, in revision order,
 * at most `limit` (0 = all). An r/ entry is keyed by its last change, so the entries whose key
 * is at or above (fromRevision, 0) start with the first one that holds a wanted change; its
 * earlier changes are skipped. Entries of a batch still being committed are all above `upTo`.
 */
export async function readHistory(
  db: NativeDb,
  fromRevision: number,
  upTo: number,
  key: Buffer,
  rangeEnd: Buffer | undefined,
  limit: number,
): Promise<Change[]> {
  const out: Change[] = [];
  if (fromRevision > upTo) return out;
  const at = PREFIX_CHANGES.length;
  let more = true;
  const visit = (main: number, sub: number, k: Buffer, record: Buffer): boolean => {
    if (main < fromRevision || !inRange(k, key, rangeEnd)) return true;
    out.push(decodeChange(main, sub, k, record));
    more = !(limit > 0 && out.length >= limit);
    return more;
  };
  await scan(db, { gte: changeKey(fromRevision, 0), lt: changeKey(upTo + 1, 0), capacity: SCAN_CAPACITY }, (ck, value) => {
    visitChanges(readU64(ck, at), readU64(ck, at + 8), value, visit);
    return more;
  });
  return out;
}
