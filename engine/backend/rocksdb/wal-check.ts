/**
 * Checks RocksDB's own write-ahead log files before RocksDB opens the database, so that damage
 * to acknowledged writes refuses start-up (naming the file and the byte offset) instead of
 * being replayed away. `rocksdb-native` opens with `wal_recovery_mode` point-in-time: RocksDB
 * stops replaying at the first bad record, drops the rest, and then replaces the log. That is
 * right for a torn tail (a write the crash cut short, never acknowledged) and silent loss for
 * anything else, so this tells the two apart first; RocksDB only ever sees a log whose one
 * possible defect is a torn tail of the newest file. (Stricter recovery modes are no help: they
 * also refuse a batch that a kill cut between two of its fragments, since the zeros we keep
 * ahead of RocksDB's writes, `wal-sync.ts`, then follow an unfinished record.)
 *
 * The format (RocksDB's `db/log_format.h`, read, not copied): the file is a sequence of 32 KiB
 * blocks; each block holds physical records, and fewer than a header's bytes left at a block's
 * end are zero filler. A physical record is
 *
 *   offset  size  field
 *   0       4     crc     CRC32C of type (+ log number) + payload, masked (rotated right 15
 *                         bits, plus 0xa282ead8), little-endian
 *   4       2     length  payload bytes, little-endian; a record never crosses its block
 *   6       1     type    1 FULL, 2 FIRST, 3 MIDDLE, 4 LAST; 5..8 the same for recycled logs,
 *                         whose header adds the 4-byte log number (11 bytes in all); 9, 10, 11
 *                         and >= 128 are metadata records
 *   7       n     payload (a fragment of one WriteBatch)
 *
 * Worked example: a 40,000-byte WriteBatch written at offset 32,000 of a fresh log becomes
 * FIRST (32,000: 7 + 761 bytes, filling block 0), LAST (32,768: 7 + 39,239 bytes). A kill
 * between the two write() calls of that batch leaves FIRST followed by zeros: a torn tail.
 * A flipped byte anywhere in FIRST leaves a complete record with a bad CRC followed by a valid
 * LAST: corruption, refused.
 *
 * What counts as a torn tail (in the newest log, or an older one while every newer log is empty;
 * and no valid record anywhere after it):
 *   - the file ends inside a header or a record (a short record), or after FIRST/MIDDLE
 *     fragments whose LAST never came (followed by the end of file or zeros);
 *   - a complete record with a bad CRC of which some 512-byte sector is all zeros (a write
 *     whose sectors did not all reach the disk, into space we had zeroed ahead; etcd's WAL
 *     applies the same sector test).
 * Either way, not when changing one byte of the length field makes the CRC check out (the
 * length was damaged, not the write cut). Everything else is corruption.
 */
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32c } from '@node-rs/crc32';

/** A RocksDB log file holds damage that is not a torn tail; the database was not opened. */
export class RocksdbWalCorruptionError extends Error {
  override readonly name = 'RocksdbWalCorruptionError';
  /** Absolute path of the damaged log file. */
  readonly file: string;
  /** Byte offset in `file` of the damaged record. */
  readonly offset: number;

  constructor(file: string, offset: number, reason: string) {
    super(`rocksdb: WAL ${file} is corrupt at byte offset ${offset}: ${reason}; refusing to open (nothing was changed)`);
    this.file = file;
    this.offset = offset;
  }
}

/** What checking one log file found. */
export interface WalCheck {
  file: string;
  /** Complete logical records (WriteBatches). */
  records: number;
  /** Start offset of each complete logical record, in order. */
  recordOffsets: number[];
  /** Offset just past the last complete record (where zero padding or a torn tail begins). */
  end: number;
  /** Set when the file ends in a torn tail, which RocksDB's recovery will drop. */
  torn?: { offset: number; reason: string };
}

const BLOCK = 32_768;
const HEADER = 7;
const RECYCLABLE_HEADER = 11;
const SECTOR = 512;
const MASK_DELTA = 0xa282ead8;

const FULL = 1;
const FIRST = 2;
const MIDDLE = 3;
const LAST = 4;
/** Metadata record types (compression, timestamp sizes, predecessor WAL info). */
const META_TYPES = new Set([9, 10, 11, 130, 131]);

function isRecyclable(type: number): boolean {
  return (type >= 5 && type <= 8) || type === 11 || type === 131;
}

/** Fragment kind of a record type, recycled or not. */
function kind(type: number): number {
  return type >= 5 && type <= 8 ? type - 4 : type;
}

function unmask(masked: number): number {
  const rot = (masked - MASK_DELTA) >>> 0;
  return ((rot >>> 17) | (rot << 15)) >>> 0;
}

/** True when the record at `pos` with header size `hs` and payload `length` has a valid CRC. */
function crcOk(buf: Buffer, pos: number, hs: number, length: number): boolean {
  return crc32c(buf.subarray(pos + 6, pos + hs + length)) === unmask(buf.readUInt32LE(pos));
}

/** Checks one log file's bytes; `newest` = the log RocksDB appends to (may end torn). */
export function checkWalBytes(buf: Buffer, file: string, logNumber: number, newest: boolean): WalCheck {
  let lastNonZero = buf.length - 1;
  while (lastNonZero >= 0 && buf[lastNonZero] === 0) lastNonZero--;
  const zerosFrom = (pos: number) => lastNonZero < pos;
  const recordOffsets: number[] = [];
  /** Offset of the FIRST fragment of the logical record being assembled, or -1. */
  let fragStart = -1;
  let end = 0;

  const done = (torn?: { offset: number; reason: string }): WalCheck => ({ file, records: recordOffsets.length, recordOffsets, end, torn });
  const corrupt = (offset: number, reason: string) => new RocksdbWalCorruptionError(file, offset, reason);

  /** A record at `pos` did not check out: a torn tail, or corruption (throws). */
  const damaged = (pos: number, reason: string, tornLike: boolean): WalCheck => {
    const at = fragStart >= 0 ? fragStart : pos;
    if (!tornLike) throw corrupt(pos, reason);
    if (!newest) throw corrupt(at, `${reason} (in an older log, which must be complete)`);
    const later = validRecordAfter(buf, pos, logNumber);
    if (later >= 0) throw corrupt(pos, `${reason}, yet a valid record follows at offset ${later}`);
    return done({ offset: at, reason });
  };

  let pos = 0;
  while (pos < buf.length) {
    const blockLeft = BLOCK - (pos % BLOCK);
    if (blockLeft < HEADER) {
      pos += blockLeft; // trailer filler
      continue;
    }
    if (zerosFrom(pos)) {
      // Zero padding (preallocated or written ahead) up to the end: the end of the log.
      return fragStart >= 0 ? damaged(pos, 'the last record is unfinished (FIRST without LAST)', true) : done();
    }
    if (buf.length - pos < HEADER) return damaged(pos, 'the file ends inside a record header', true);
    const length = buf.readUInt16LE(pos + 4);
    const type = buf[pos + 6];
    if (type === 0 && length === 0) {
      // A recycling writer leaves up to 10 bytes of filler; otherwise zeros here mean a hole.
      if (blockLeft < RECYCLABLE_HEADER) {
        pos += blockLeft;
        continue;
      }
      return damaged(pos, 'zero bytes where a record should start, with data after them', true);
    }
    const hs = isRecyclable(type) ? RECYCLABLE_HEADER : HEADER;
    // A writer never lets a record cross its block, so a longer length was damaged.
    if (hs + length > blockLeft) throw corrupt(pos, `record length ${length} runs past its 32 KiB block`);
    if (pos + hs + length > buf.length) {
      if (lengthRepairs(buf, pos, hs, buf.length - pos)) throw corrupt(pos, `damaged record length ${length}`);
      return damaged(pos, 'the file ends inside a record', true);
    }
    if (!crcOk(buf, pos, hs, length)) {
      const torn = hasZeroSector(buf, pos, pos + hs + length) && !lengthRepairs(buf, pos, hs, blockLeft);
      return damaged(pos, 'checksum mismatch', torn);
    }
    if (hs === RECYCLABLE_HEADER && buf.readUInt32LE(pos + 7) !== logNumber % 2 ** 32) {
      // A record left from the file's previous life (log recycling): the end of this log.
      return fragStart >= 0 ? damaged(pos, 'the last record is unfinished (FIRST without LAST)', true) : done();
    }
    switch (kind(type)) {
      case FULL:
        if (fragStart >= 0) throw corrupt(fragStart, 'a FIRST fragment without its LAST');
        recordOffsets.push(pos);
        end = pos + hs + length;
        break;
      case FIRST:
        if (fragStart >= 0) throw corrupt(fragStart, 'a FIRST fragment without its LAST');
        fragStart = pos;
        break;
      case MIDDLE:
        if (fragStart < 0) throw corrupt(pos, 'a MIDDLE fragment without its FIRST');
        break;
      case LAST:
        if (fragStart < 0) throw corrupt(pos, 'a LAST fragment without its FIRST');
        recordOffsets.push(fragStart);
        fragStart = -1;
        end = pos + hs + length;
        break;
      default:
        if (!META_TYPES.has(type) && (type & 0x80) === 0) throw corrupt(pos, `unknown record type ${type}`);
        if (fragStart < 0) end = pos + hs + length;
    }
    pos += hs + length;
  }
  return fragStart >= 0 ? damaged(pos, 'the last record is unfinished (FIRST without LAST)', true) : done();
}

/** True when some 512-byte sector's share of [start, end) is all zeros. */
function hasZeroSector(buf: Buffer, start: number, end: number): boolean {
  for (let s = start; s < end; ) {
    const e = Math.min(end, (Math.floor(s / SECTOR) + 1) * SECTOR);
    let zero = true;
    for (let i = s; i < e && zero; i++) zero = buf[i] === 0;
    if (zero) return true;
    s = e;
  }
  return false;
}

/**
 * True when replacing one byte of the length field of the record at `pos` gives a record of at
 * most `room` bytes whose CRC checks out: then the length was damaged, not the write cut short.
 */
function lengthRepairs(buf: Buffer, pos: number, hs: number, room: number): boolean {
  const length = buf.readUInt16LE(pos + 4);
  for (const shift of [0, 8]) {
    for (let v = 0; v < 256; v++) {
      const candidate = (length & ~(0xff << shift)) | (v << shift);
      if (candidate === length || hs + candidate > room) continue;
      if (crcOk(buf, pos, hs, candidate)) return true;
    }
  }
  return false;
}

/** True when a valid record with a known type starts at `start`. */
function validRecordAt(buf: Buffer, start: number, logNumber: number): boolean {
  const blockLeft = BLOCK - (start % BLOCK);
  if (blockLeft < HEADER || start + HEADER > buf.length) return false;
  const length = buf.readUInt16LE(start + 4);
  const type = buf[start + 6];
  const k = kind(type);
  if (type === 0 || ((k < FULL || k > LAST) && !META_TYPES.has(type))) return false;
  const hs = isRecyclable(type) ? RECYCLABLE_HEADER : HEADER;
  if (hs + length > blockLeft || start + hs + length > buf.length) return false;
  if (hs === RECYCLABLE_HEADER && buf.readUInt32LE(start + 7) !== logNumber % 2 ** 32) return false;
  return crcOk(buf, start, hs, length);
}

/**
 * Offset of a valid record after the damaged one at `pos`, or -1: anywhere in the rest of its
 * block (record boundaries there are lost, so every offset is tried; the cheap type and length
 * checks reject most before the CRC), then at every later block start, where RocksDB's reader
 * picks up again. Error path only.
 */
function validRecordAfter(buf: Buffer, pos: number, logNumber: number): number {
  const blockEnd = (Math.floor(pos / BLOCK) + 1) * BLOCK;
  for (let start = pos + 1; start < blockEnd && start + HEADER <= buf.length; start++) {
    if (validRecordAt(buf, start, logNumber)) return start;
  }
  for (let start = blockEnd; start + HEADER <= buf.length; start += BLOCK) {
    if (validRecordAt(buf, start, logNumber)) return start;
  }
  return -1;
}

/** RocksDB's log files in `dbDir` (`000123.log`), oldest first. */
export async function listWalFiles(dbDir: string): Promise<{ path: string; number: number }[]> {
  const out: { path: string; number: number }[] = [];
  for (const name of await readdir(dbDir)) {
    const m = /^(\d+)\.log$/.exec(name);
    if (m) out.push({ path: join(dbDir, name), number: Number(m[1]) });
  }
  return out.sort((a, b) => a.number - b.number);
}

/**
 * Checks every log file of the database in `dbDir` (none if the directory does not exist).
 * Throws `RocksdbWalCorruptionError` for damage; returns what it found, torn tails included.
 *
 * A torn tail is normally in the newest log only. An older one may end torn too when a kill
 * landed inside RocksDB's open right after it recovered that tail (it then starts a new, still
 * empty log and deletes the old one a moment later): harmless while every newer log is empty,
 * and refused otherwise, since point-in-time recovery would stop at the tear and drop the newer
 * logs' batches.
 */
export async function checkWalFiles(dbDir: string): Promise<WalCheck[]> {
  let files: { path: string; number: number }[];
  try {
    files = await listWalFiles(dbDir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const out: WalCheck[] = [];
  for (const { path, number } of files) out.push(checkWalBytes(await readFile(path), path, number, true));
  for (let i = 0; i < out.length - 1; i++) {
    const torn = out[i].torn;
    const later = out.slice(i + 1).reduce((n, c) => n + c.records, 0);
    if (torn !== undefined && later > 0) {
      throw new RocksdbWalCorruptionError(out[i].file, torn.offset, `${torn.reason} in an older log, while newer logs hold ${later} batches after it`);
    }
  }
  return out;
}
