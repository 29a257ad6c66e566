/**
 * Values stored under k/, h/ and r/ (see `keys.ts`).
 *
 * A record is one version of one key without the key itself (the RocksDB key carries it):
 *   put:       0x00 | createRevision f64 | modRevision f64 | version f64 | lease f64 | value
 *   tombstone: 0x01 | modRevision f64 (the deletion's revision)
 * Integers travel as IEEE doubles: exact below 2^53 (see `mvcc/types.ts`) and one machine store.
 *
 * A change log entry (r/) holds a run of consecutive changes of one batch (see `keys.ts`):
 *   0x01 | count u32 | count x (main u64 | sub u64 | key length u32 | key | record length u32 | record)
 * Older databases hold one change per entry: u32 key length | key | record (its first byte is
 * 0x00, as keys are far below 16 MiB), with main and sub in the entry's key; both are read.
 */
import type { KeyValue } from '../../mvcc/types.ts';
import type { Change } from '../backend.ts';
import { readU64, writeU64 } from './keys.ts';

const PUT = 0;
const TOMBSTONE = 1;
const PUT_HEADER = 1 + 8 * 4;

/** A decoded record: the key's state as of `modRevision`. */
export type StoredRecord =
  | { tombstone: false; kv: KeyValue }
  | { tombstone: true; modRevision: number };

/** A value that is not a record this engine wrote. */
export class RecordFormatError extends Error {
  override readonly name = 'RecordFormatError';
}

export function encodePut(kv: KeyValue): Buffer {
  const out = Buffer.allocUnsafe(PUT_HEADER + kv.value.length);
  out[0] = PUT;
  out.writeDoubleBE(kv.createRevision, 1);
  out.writeDoubleBE(kv.modRevision, 9);
  out.writeDoubleBE(kv.version, 17);
  out.writeDoubleBE(kv.lease, 25);
  kv.value.copy(out, PUT_HEADER);
  return out;
}

export function encodeTombstone(modRevision: number): Buffer {
  const out = Buffer.allocUnsafe(9);
  out[0] = TOMBSTONE;
  out.writeDoubleBE(modRevision, 1);
  return out;
}

/** Revision of the record without decoding the rest. */
export function recordRevision(rec: Buffer): number {
  return rec.readDoubleBE(rec[0] === PUT ? 9 : 1);
}

/** Lease of a put record (0 for none or for a tombstone). */
export function recordLease(rec: Buffer): number {
  return rec[0] === PUT ? rec.readDoubleBE(25) : 0;
}

export function isTombstone(rec: Buffer): boolean {
  return rec[0] === TOMBSTONE;
}

/** Decodes a record of `key`. The value is a view of `rec`, not a copy. */
export function decodeRecord(key: Buffer, rec: Buffer): StoredRecord {
  if (rec.length === 9 && rec[0] === TOMBSTONE) return { tombstone: true, modRevision: rec.readDoubleBE(1) };
  if (rec.length < PUT_HEADER || rec[0] !== PUT) {
    throw new RecordFormatError(`record of key ${JSON.stringify(key.toString())} is malformed (${rec.length} bytes, type ${rec[0]})`);
  }
  return {
    tombstone: false,
    kv: {
      key,
      createRevision: rec.readDoubleBE(1),
      modRevision: rec.readDoubleBE(9),
      version: rec.readDoubleBE(17),
      lease: rec.readDoubleBE(25),
      value: rec.subarray(PUT_HEADER),
    },
  };
}

/** The KeyValue of a put record, undefined for a tombstone. */
export function decodeLive(key: Buffer, rec: Buffer): KeyValue | undefined {
  const r = decodeRecord(key, rec);
  return r.tombstone ? undefined : r.kv;
}

/** One change as the change log stores it. */
export interface LoggedChange {
  main: number;
  sub: number;
  key: Buffer;
  record: Buffer;
}

const CHANGES_PACKED = 1;

/** Bytes `encodeChanges` needs for one change. */
export function loggedChangeSize(c: LoggedChange): number {
  return 16 + 4 + c.key.length + 4 + c.record.length;
}

/** Packs `changes[from, to)` into one r/ value; `bytes` is the sum of their `loggedChangeSize`. */
export function encodeChanges(changes: readonly LoggedChange[], from: number, to: number, bytes: number): Buffer {
  const out = Buffer.allocUnsafe(5 + bytes);
  out[0] = CHANGES_PACKED;
  out.writeUInt32BE(to - from, 1);
  let at = 5;
  for (let i = from; i < to; i++) {
    const c = changes[i];
    writeU64(out, c.main, at);
    writeU64(out, c.sub, at + 8);
    out.writeUInt32BE(c.key.length, at + 16);
    at += 20;
    at += c.key.copy(out, at);
    out.writeUInt32BE(c.record.length, at);
    at += 4;
    at += c.record.copy(out, at);
  }
  return out;
}

/**
 * Calls `visit` for each change in an r/ value, in order, until it returns false. `main` and
 * `sub` are the entry key's, used by the one-change format. Keys and records are views of `buf`.
 */
export function visitChanges(main: number, sub: number, buf: Buffer, visit: (main: number, sub: number, key: Buffer, record: Buffer) => boolean): void {
  if (buf[0] !== CHANGES_PACKED) {
    const keyLen = buf.readUInt32BE(0);
    visit(main, sub, buf.subarray(4, 4 + keyLen), buf.subarray(4 + keyLen));
    return;
  }
  const count = buf.readUInt32BE(1);
  let at = 5;
  for (let i = 0; i < count; i++) {
    const m = readU64(buf, at);
    const s = readU64(buf, at + 8);
    const keyLen = buf.readUInt32BE(at + 16);
    at += 20;
    const key = buf.subarray(at, at + keyLen);
    at += keyLen;
    const recLen = buf.readUInt32BE(at);
    at += 4;
    const record = buf.subarray(at, at + recLen);
    at += recLen;
    if (!visit(m, s, key, record)) return;
  }
}

/** The Change a logged change records. */
export function decodeChange(main: number, sub: number, key: Buffer, record: Buffer): Change {
  const r = decodeRecord(key, record);
  return r.tombstone ? { type: 'delete', main, sub, key } : { type: 'put', main, sub, kv: r.kv };
}
