/**
 * Values stored under k/, h/ and r/ (see `keys.ts`).
 *
 * A record is one version of one key without the key itself (the RocksDB key carries it):
 *   put:       0x00 | createRevision f64 | modRevision f64 | version f64 | lease f64 | value
 *   tombstone: 0x01 | modRevision f64 (the deletion's revision)
 * Integers travel as IEEE doubles: exact below 2^53 (see `mvcc/types.ts`) and one machine store.
 *
 * A change (r/) is the record prefixed with its key: u32 key length | key | record.
 */
import type { KeyValue } from '../../mvcc/types.ts';
import type { Change } from '../backend.ts';

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

export function encodeChange(key: Buffer, record: Buffer): Buffer {
  const out = Buffer.allocUnsafe(4 + key.length + record.length);
  out.writeUInt32BE(key.length, 0);
  key.copy(out, 4);
  record.copy(out, 4 + key.length);
  return out;
}

/** Decodes an r/ value back into the Change the store committed. */
export function decodeChange(main: number, sub: number, buf: Buffer): Change {
  const keyLen = buf.readUInt32BE(0);
  const key = buf.subarray(4, 4 + keyLen);
  const r = decodeRecord(key, buf.subarray(4 + keyLen));
  return r.tombstone ? { type: 'delete', main, sub, key } : { type: 'put', main, sub, kv: r.kv };
}

/** The key of an r/ value without decoding the record. */
export function changeKeyOf(buf: Buffer): Buffer {
  return buf.subarray(4, 4 + buf.readUInt32BE(0));
}
