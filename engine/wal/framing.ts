/**
 * Record framing of the write-ahead log: how one opaque record sits in a segment file.
 *
 * Every record is a 16-byte header followed by its payload, all little-endian:
 *
 *   offset  size  field
 *   0       4     crc     CRC32C (Castagnoli) of bytes 4 .. 16+length, i.e. of length, index
 *                         and payload together, so a flipped bit in any of them is caught
 *   4       4     length  payload bytes (0 .. MAX_RECORD_BYTES)
 *   8       8     index   the record's position in the log, 1, 2, 3, ... with no gaps
 *   16      n     payload
 *
 * Worked example: record 7 with the 3-byte payload "abc" (0x61 0x62 0x63) is 19 bytes:
 *
 *   crc          length       index                    payload
 *   xx xx xx xx  03 00 00 00  07 00 00 00 00 00 00 00  61 62 63
 *
 * where xx.. is crc32c(03 00 00 00 07 00 00 00 00 00 00 00 61 62 63) written little-endian.
 * Records follow each other with no padding between them, and a segment's name is the index of
 * its first record (`0000000000000007.wal`). With sync `always` a segment is zero-filled ahead of
 * the records (preallocated, see `wal.ts`), so it may end in zero bytes: the first frame position
 * from which every byte is zero is the end of the log, not damage (`isZeroFrom`).
 *
 * Reading stops at the first frame that does not check out (too short for its header or its
 * length, a CRC mismatch, or an index other than the one expected). Whether that is a torn
 * tail (harmless: a write that never completed) or corruption (data that was once durable is
 * damaged) is decided in `segment.ts`: only the newest segment can end torn, and only when no
 * valid frame follows (`scanForValidFrame`) and the frame is short (the file ends inside it) or
 * was cut by the crash (`hasZeroSector`: part of it is still the zeros preallocated there). A
 * frame whose whole length is present but whose CRC fails is corruption, and so is one whose
 * length field a single changed byte would repair (`lengthRepairs`).
 */
import { crc32c } from '@node-rs/crc32';

/** Bytes of the header in front of every record's payload. */
export const HEADER_BYTES = 16;

/** Largest payload accepted, in bytes (256 MiB); a larger length field marks a bad frame. */
export const MAX_RECORD_BYTES = 256 * 1024 * 1024;

const TWO_POW_32 = 0x1_0000_0000;

/** Bytes a record with `payloadBytes` of payload occupies in a segment. */
export function frameBytes(payloadBytes: number): number {
  return HEADER_BYTES + payloadBytes;
}

/**
 * Writes the frame of record `index` with `payload` into `out` at `offset` and returns the
 * offset just past it. `out` must have room for `frameBytes(payload.length)` bytes.
 */
export function writeFrame(out: Buffer, offset: number, index: number, payload: Uint8Array): number {
  const length = payload.length;
  out.writeUInt32LE(length, offset + 4);
  // Two 32-bit halves: faster than BigInt and exact for every index below 2^53.
  out.writeUInt32LE(index % TWO_POW_32, offset + 8);
  out.writeUInt32LE(Math.floor(index / TWO_POW_32), offset + 12);
  out.set(payload, offset + HEADER_BYTES);
  const end = offset + HEADER_BYTES + length;
  out.writeUInt32LE(crc32c(out.subarray(offset + 4, end)), offset);
  return end;
}

/** One record read back from a segment; `payload` is a view into the segment's buffer. */
export interface Frame {
  index: number;
  payload: Buffer;
  /** Offset just past this frame. */
  end: number;
}

/** Why a frame at some offset did not read back. */
export type FrameProblem = 'short header' | 'bad length' | 'short payload' | 'bad crc' | 'unexpected index';

/**
 * Reads the frame at `offset` of `buf`, expecting record `expectedIndex` (or any index when
 * `expectedIndex` is undefined). Returns the frame, or the reason it is not a valid frame.
 */
export function readFrame(
  buf: Buffer,
  offset: number,
  expectedIndex: number | undefined,
): Frame | { problem: FrameProblem; index?: number } {
  if (buf.length - offset < HEADER_BYTES) return { problem: 'short header' };
  const length = buf.readUInt32LE(offset + 4);
  if (length > MAX_RECORD_BYTES) return { problem: 'bad length' };
  const end = offset + HEADER_BYTES + length;
  if (end > buf.length) return { problem: 'short payload' };
  if (crc32c(buf.subarray(offset + 4, end)) !== buf.readUInt32LE(offset)) return { problem: 'bad crc' };
  const index = buf.readUInt32LE(offset + 8) + buf.readUInt32LE(offset + 12) * TWO_POW_32;
  if (expectedIndex !== undefined && index !== expectedIndex) return { problem: 'unexpected index', index };
  return { index, payload: buf.subarray(offset + HEADER_BYTES, end), end };
}

/** True when every byte of `buf` from `offset` on is zero (preallocated space never written). */
export function isZeroFrom(buf: Buffer, offset: number): boolean {
  return lastNonZero(buf, offset) < offset;
}

/** Offset of the last non-zero byte of `buf` at or after `from`, or `from - 1` if there is none. */
export function lastNonZero(buf: Buffer, from: number): number {
  let i = buf.length - 1;
  while (i >= from && buf[i] === 0) i--;
  return i;
}

/**
 * Looks for any valid frame starting after `from` whose index is greater than `afterIndex`.
 * Returns its offset, or -1. Used only on the error path, so a byte-by-byte scan is fine; the
 * cheap index check runs before the CRC so garbage is rejected quickly. A frame's index is never
 * 0, so no frame starts past the last non-zero byte: the scan stops there rather than walking
 * through a preallocated segment's zero padding.
 */
export function scanForValidFrame(buf: Buffer, from: number, afterIndex: number): number {
  const stop = lastNonZero(buf, from);
  for (let pos = from; pos <= stop && pos + HEADER_BYTES <= buf.length; pos++) {
    const hi = buf.readUInt32LE(pos + 12);
    if (hi > 0x1f_ffff) continue; // beyond 2^53: never a real index
    const index = buf.readUInt32LE(pos + 8) + hi * TWO_POW_32;
    // Every frame takes at least HEADER_BYTES, which bounds how far ahead the index can be.
    if (index <= afterIndex || index > afterIndex + 1 + (buf.length - from) / HEADER_BYTES) continue;
    const length = buf.readUInt32LE(pos + 4);
    if (pos + HEADER_BYTES + length > buf.length) continue;
    if (crc32c(buf.subarray(pos + 4, pos + HEADER_BYTES + length)) === buf.readUInt32LE(pos)) return pos;
  }
  return -1;
}

/** Sector size assumed for torn writes: a device writes at least this many bytes at once. */
export const SECTOR_BYTES = 512;

/**
 * True when some 512-byte sector's share of [start, end) is all zeros: a write into
 * preallocated space of which not every sector reached the disk (etcd's WAL uses the same test).
 * A frame inside one sector is written whole or not at all, so it never qualifies.
 */
export function hasZeroSector(buf: Buffer, start: number, end: number): boolean {
  for (let s = start; s < end; ) {
    const e = Math.min(end, (Math.floor(s / SECTOR_BYTES) + 1) * SECTOR_BYTES);
    let zero = true;
    for (let i = s; i < e && zero; i++) zero = buf[i] === 0;
    if (zero) return true;
    s = e;
  }
  return false;
}

/**
 * True when changing one byte of the length field of the frame at `offset` gives a frame that
 * fits in `buf` and whose CRC checks out: the length was damaged, the frame itself is complete.
 * Error path only (up to 1,020 CRCs).
 */
export function lengthRepairs(buf: Buffer, offset: number): boolean {
  if (buf.length - offset < HEADER_BYTES) return false;
  const stored = buf.readUInt32LE(offset);
  const room = buf.length - offset - HEADER_BYTES;
  const header = Buffer.from(buf.subarray(offset + 4, offset + HEADER_BYTES));
  const length = header.readUInt32LE(0);
  for (let byte = 0; byte < 4; byte++) {
    for (let v = 0; v < 256; v++) {
      if (v === header[byte]) continue;
      const candidate = Buffer.from(header);
      candidate[byte] = v;
      const n = candidate.readUInt32LE(0);
      if (n === length || n > room) continue;
      const crc = crc32c(buf.subarray(offset + HEADER_BYTES, offset + HEADER_BYTES + n), crc32c(candidate));
      if (crc === stored) return true;
    }
  }
  return false;
}
