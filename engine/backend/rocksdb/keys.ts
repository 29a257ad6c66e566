/**
 * How MetaStore-TS lays its data out in RocksDB's single sorted key space. Every RocksDB key
 * starts with a one-letter family and `/`:
 *
 *   k/<key>                       -> newest record of <key> (a KeyValue, or a tombstone until
 *                                    compaction drops it): current gets and ranges read only this
 *   h/<esc(key)><main><sub>       -> every record of <key> but the newest, by revision, written
 *                                    when a newer record replaces it in k/ (sub 0): historical
 *                                    reads seek backwards from <main = rev + 1> for the newest
 *                                    <= rev when k/ is newer than rev. A key written once has no
 *                                    h/ row, so its put is one write-batch entry, not two
 *   r/<main><sub>                 -> the change log (watch replay, compaction): a run of up to
 *                                    CHANGES_PER_ENTRY consecutive changes of one batch, keyed by
 *                                    its last change, so one write-batch entry per 256 changes
 *   l/<lease id><key>             -> <key> was attached to the lease (checked against k/ on read)
 *   m/rev (revision, key count), m/compact, m/swept, m/lease/<id>
 *                                 -> metadata, written in the same batch as the data
 *
 * <main>, <sub> and <lease id> are 8-byte big-endian, so byte order is numeric order.
 *
 * This is format 2 (`../data-dir.ts`). Format 1 also kept each key's newest record in h/ (with
 * its real sub) and the key count in m/keys next to an 8-byte m/rev; both read the same under
 * the rules above (an h/ copy of the newest record is never needed, and is swept like any
 * other), so a format-1 database is opened as it is and written on in format 2.
 *
 * Worked example of esc(): keys "a", "a\0" and "ab" become "a\0\1", "a\0\xff\0\1" and "ab\0\1".
 * A 0x00 byte is written as 0x00 0xff and the key ends with 0x00 0x01, so no escaped key is a
 * prefix of another and byte order of escaped keys equals byte order of the keys. That keeps all
 * versions of one key together in h/ and the keys of a range contiguous.
 */

export const PREFIX_CURRENT = Buffer.from('k/');
export const PREFIX_HISTORY = Buffer.from('h/');
export const PREFIX_CHANGES = Buffer.from('r/');
export const PREFIX_LEASE_KEYS = Buffer.from('l/');
export const META_REVISION = Buffer.from('m/rev');
export const META_COMPACT = Buffer.from('m/compact');
/** Compact revision whose physical sweep of h/ and r/ has finished. */
export const META_SWEPT = Buffer.from('m/swept');
/** Format 1's key count (format 2 keeps it in m/rev); read only when m/rev is 8 bytes. */
export const META_KEY_COUNT = Buffer.from('m/keys');
export const PREFIX_META_LEASE = Buffer.from('m/lease/');

/** Most changes in one r/ entry (a batch of more takes several entries). */
export const CHANGES_PER_ENTRY = 256;

/** The first key after every key that starts with `prefix` (prefix with its last byte + 1). */
export function prefixEnd(prefix: Buffer): Buffer {
  const end = Buffer.from(prefix);
  for (let i = end.length - 1; i >= 0; i--) {
    if (end[i] < 0xff) {
      end[i]++;
      return end.subarray(0, i + 1);
    }
  }
  throw new Error(`prefix ${prefix.toString('hex')} has no upper bound`);
}

/** Writes `n` (0 <= n < 2^53) as 8 bytes big-endian at `offset`. */
export function writeU64(buf: Buffer, n: number, offset: number): void {
  buf.writeUInt32BE(Math.floor(n / 0x1_0000_0000), offset);
  buf.writeUInt32BE(n >>> 0, offset + 4);
}

/** Reads 8 bytes big-endian written by `writeU64`. */
export function readU64(buf: Buffer, offset: number): number {
  return buf.readUInt32BE(offset) * 0x1_0000_0000 + buf.readUInt32BE(offset + 4);
}

export function currentKey(key: Buffer): Buffer {
  const out = Buffer.allocUnsafe(PREFIX_CURRENT.length + key.length);
  PREFIX_CURRENT.copy(out, 0);
  key.copy(out, PREFIX_CURRENT.length);
  return out;
}

/** Length of esc(key) including its terminator. */
function escapedLength(key: Buffer): number {
  let n = key.length + 2;
  for (let i = 0; i < key.length; i++) if (key[i] === 0) n++;
  return n;
}

function writeEscaped(key: Buffer, out: Buffer, offset: number): number {
  for (let i = 0; i < key.length; i++) {
    const b = key[i];
    out[offset++] = b;
    if (b === 0) out[offset++] = 0xff;
  }
  out[offset++] = 0;
  out[offset++] = 1;
  return offset;
}

/** `h/<esc(key)>`: the start of every history record of `key`. */
export function historyKeyPrefix(key: Buffer): Buffer {
  const out = Buffer.allocUnsafe(PREFIX_HISTORY.length + escapedLength(key));
  PREFIX_HISTORY.copy(out, 0);
  writeEscaped(key, out, PREFIX_HISTORY.length);
  return out;
}

/** `h/<esc(key)><main><sub>`. */
export function historyKey(key: Buffer, main: number, sub: number): Buffer {
  const out = Buffer.allocUnsafe(PREFIX_HISTORY.length + escapedLength(key) + 16);
  PREFIX_HISTORY.copy(out, 0);
  const at = writeEscaped(key, out, PREFIX_HISTORY.length);
  writeU64(out, main, at);
  writeU64(out, sub, at + 8);
  return out;
}

/** The user key, main and sub revision of an h/ record key. */
export function parseHistoryKey(hk: Buffer): { key: Buffer; main: number; sub: number } {
  const revAt = hk.length - 16;
  const escEnd = revAt - 2; // drop the 0x00 0x01 terminator
  const bytes: number[] = [];
  let zeros = 0;
  for (let i = PREFIX_HISTORY.length; i < escEnd; i++) if (hk[i] === 0) zeros++;
  if (zeros === 0) {
    return { key: Buffer.from(hk.subarray(PREFIX_HISTORY.length, escEnd)), main: readU64(hk, revAt), sub: readU64(hk, revAt + 8) };
  }
  for (let i = PREFIX_HISTORY.length; i < escEnd; i++) {
    bytes.push(hk[i]);
    if (hk[i] === 0) i++; // skip the 0xff that follows an escaped 0x00
  }
  return { key: Buffer.from(bytes), main: readU64(hk, revAt), sub: readU64(hk, revAt + 8) };
}

/** The escaped-key part of an h/ record key (everything before the 16 revision bytes). */
export function historyKeyGroup(hk: Buffer): Buffer {
  return hk.subarray(0, hk.length - 16);
}

/** `r/<main><sub>`. */
export function changeKey(main: number, sub: number): Buffer {
  const out = Buffer.allocUnsafe(PREFIX_CHANGES.length + 16);
  PREFIX_CHANGES.copy(out, 0);
  writeU64(out, main, PREFIX_CHANGES.length);
  writeU64(out, sub, PREFIX_CHANGES.length + 8);
  return out;
}

/** `l/<id>` (with `key`: `l/<id><key>`). */
export function leaseKey(id: number, key?: Buffer): Buffer {
  const out = Buffer.allocUnsafe(PREFIX_LEASE_KEYS.length + 8 + (key?.length ?? 0));
  PREFIX_LEASE_KEYS.copy(out, 0);
  writeU64(out, id, PREFIX_LEASE_KEYS.length);
  key?.copy(out, PREFIX_LEASE_KEYS.length + 8);
  return out;
}

export function metaLeaseKey(id: number): Buffer {
  const out = Buffer.allocUnsafe(PREFIX_META_LEASE.length + 8);
  PREFIX_META_LEASE.copy(out, 0);
  writeU64(out, id, PREFIX_META_LEASE.length);
  return out;
}

export function u64(n: number): Buffer {
  const out = Buffer.allocUnsafe(8);
  writeU64(out, n, 0);
  return out;
}

/**
 * The [gte, lt) bounds of a key range inside one family. `rangeEnd` follows etcd: undefined or
 * empty = the single key, `\0` = every key >= `key`, otherwise exclusive end.
 */
export function currentBounds(key: Buffer, rangeEnd: Buffer | undefined): { gte: Buffer; lt: Buffer } {
  const gte = currentKey(key);
  if (rangeEnd === undefined || rangeEnd.length === 0) return { gte, lt: Buffer.concat([gte, Buffer.from([0])]) };
  if (rangeEnd.length === 1 && rangeEnd[0] === 0) return { gte, lt: prefixEnd(PREFIX_CURRENT) };
  return { gte, lt: currentKey(rangeEnd) };
}

/** Like `currentBounds`, over h/ (every version of every key in the range). */
export function historyBounds(key: Buffer, rangeEnd: Buffer | undefined): { gte: Buffer; lt: Buffer } {
  const gte = historyKeyPrefix(key);
  if (rangeEnd === undefined || rangeEnd.length === 0) return { gte, lt: prefixEnd(gte) };
  if (rangeEnd.length === 1 && rangeEnd[0] === 0) return { gte, lt: prefixEnd(PREFIX_HISTORY) };
  return { gte, lt: historyKeyPrefix(rangeEnd) };
}

/** True when `key` lies in the etcd range [start, rangeEnd) (see `currentBounds`). */
export function inRange(key: Buffer, start: Buffer, rangeEnd: Buffer | undefined): boolean {
  if (rangeEnd === undefined || rangeEnd.length === 0) return key.equals(start);
  if (Buffer.compare(key, start) < 0) return false;
  if (rangeEnd.length === 1 && rangeEnd[0] === 0) return true;
  return Buffer.compare(key, rangeEnd) < 0;
}
