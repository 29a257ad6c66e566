/**
 * Segment files: `wal/<first index>.wal`, records back to back (see `framing.ts`), possibly
 * followed by zero padding (preallocated space). Reading a segment back tells apart the outcomes
 * that recovery cares about: every frame valid, up to the end of the file or to zero padding
 * (the end of the log); a torn tail (the last write never completed: safe to cut off); damage
 * (refused). Torn means cut short: the file ends inside the last frame, or a sector of it is
 * still preallocated zeros. A last frame that is all there but fails its CRC was written whole
 * and then damaged: an acknowledged write, so it is refused like damage before the tail.
 */
import { readFile } from 'node:fs/promises';
import { WalCorruptionError } from './errors.ts';
import { HEADER_BYTES, hasZeroSector, isZeroFrom, lengthRepairs, readFrame, scanForValidFrame } from './framing.ts';

/** File name of the segment whose first record is `firstIndex`: 16 zero-padded digits. */
export function segmentName(firstIndex: number): string {
  return `${String(firstIndex).padStart(16, '0')}.wal`;
}

/** Parses a segment file name back to its first index, or undefined for other files. */
export function parseSegmentName(name: string): number | undefined {
  const m = /^(\d{16})\.wal$/.exec(name);
  return m ? Number(m[1]) : undefined;
}

/** One record recovered from the log; `data` is a view into the segment's buffer. */
export interface WalRecord {
  index: number;
  data: Buffer;
  /** Segment file and byte offset of the record's frame, for error messages. */
  file: string;
  offset: number;
}

/** What reading one segment found. */
export interface SegmentScan {
  /** Records in index order, starting at the segment's first index. */
  records: WalRecord[];
  /** Bytes of valid frames from the start of the file. */
  validBytes: number;
  /** File size on disk. */
  fileBytes: number;
  /** Set when the segment ends in a torn tail at `validBytes` (only for the newest segment). */
  torn?: { problem: string };
  /** Set when the valid frames are followed by zero bytes up to the end of the file. */
  padded?: boolean;
}

/**
 * Reads segment `path`, whose name says it starts at record `firstIndex`. Zero bytes from the
 * first invalid frame to the end of the file are padding: the segment ends there. Otherwise
 * `newest` says whether it is the last segment of the log: only there may an invalid tail be a
 * torn write; anywhere else, and anywhere a valid frame still follows, it is corruption and this
 * throws `WalCorruptionError` naming the file and the offset of the first bad frame.
 */
export async function readSegment(path: string, firstIndex: number, newest: boolean): Promise<SegmentScan> {
  const buf = await readFile(path);
  const records: WalRecord[] = [];
  let offset = 0;
  let expected = firstIndex;
  while (offset < buf.length) {
    const frame = readFrame(buf, offset, expected);
    if ('problem' in frame) {
      // Preallocated space that no record reached: the end of the log, in any segment (an older
      // one keeps its padding if the process died between starting the next one and trimming it).
      if (frame.problem !== 'unexpected index' && isZeroFrom(buf, offset)) {
        return { records, validBytes: offset, fileBytes: buf.length, padded: true };
      }
      const what =
        frame.problem === 'unexpected index'
          ? `record has index ${frame.index}, expected ${expected}`
          : `${frame.problem} in the record expected to be index ${expected}`;
      if (frame.problem === 'unexpected index') {
        // A well-formed frame in the wrong place is never a torn write.
        throw new WalCorruptionError(path, offset, what);
      }
      if (!newest) {
        throw new WalCorruptionError(path, offset, `${what} (in an older segment, which must be complete)`);
      }
      const later = scanForValidFrame(buf, offset + 1, expected - 1);
      if (later >= 0) {
        throw new WalCorruptionError(path, offset, `${what}, yet a valid record follows at offset ${later}`);
      }
      // Torn means cut short: the file ends inside the frame, or part of it is still the zeros
      // preallocated there. A complete frame with a bad CRC, or one whose length field a single
      // changed byte repairs, is damage to a record that was written whole.
      if (lengthRepairs(buf, offset)) throw new WalCorruptionError(path, offset, `${what}: its length field is damaged`);
      if (frame.problem === 'bad length') throw new WalCorruptionError(path, offset, `${what} (not a write cut short)`);
      if (frame.problem === 'bad crc') {
        const end = offset + HEADER_BYTES + buf.readUInt32LE(offset + 4);
        if (!hasZeroSector(buf, offset, end)) {
          throw new WalCorruptionError(path, offset, `${what}: the record is complete, so it was damaged, not cut short`);
        }
      }
      return { records, validBytes: offset, fileBytes: buf.length, torn: { problem: what } };
    }
    records.push({ index: frame.index, data: frame.payload, file: path, offset });
    offset = frame.end;
    expected++;
  }
  return { records, validBytes: offset, fileBytes: buf.length };
}
