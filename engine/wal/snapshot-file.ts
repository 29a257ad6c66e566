/**
 * Snapshot files: `snap/<index>.snap`, the state after WAL record `index`, written atomically.
 *
 * Layout (little-endian):
 *   0   8  magic "MBSNAP01"
 *   8   4  crc     CRC32C of bytes 12 .. end (index, length and payload)
 *   12  8  index   last WAL record the snapshot covers
 *   20  8  length  payload bytes
 *   28  n  payload (opaque to the WAL)
 *
 * Atomicity: the file is written to `<name>.tmp`, fsynced, renamed into place and the directory
 * is fsynced, so after a crash a snapshot is either wholly there or not there at all. Snapshots
 * are always synced, whatever the sync policy: segments are deleted once a snapshot covers
 * them, and losing both would lose everything, not just the last few writes.
 */
import { crc32c } from '@node-rs/crc32';
import { readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { WalCorruptionError } from './errors.ts';
import { closeFd, datasyncFd, openFd, syncDir, writeAll } from './fs-util.ts';

const MAGIC = Buffer.from('MBSNAP01', 'latin1');
const HEADER_BYTES = 28;
const TWO_POW_32 = 0x1_0000_0000;

/** File name of the snapshot that covers records up to `index`: 16 zero-padded digits. */
export function snapshotName(index: number): string {
  return `${String(index).padStart(16, '0')}.snap`;
}

/** Parses a snapshot file name back to its index, or undefined for other files. */
export function parseSnapshotName(name: string): number | undefined {
  const m = /^(\d{16})\.snap$/.exec(name);
  return m ? Number(m[1]) : undefined;
}

function writeU64(buf: Buffer, value: number, offset: number): void {
  buf.writeUInt32LE(value % TWO_POW_32, offset);
  buf.writeUInt32LE(Math.floor(value / TWO_POW_32), offset + 4);
}

function readU64(buf: Buffer, offset: number): number {
  return buf.readUInt32LE(offset) + buf.readUInt32LE(offset + 4) * TWO_POW_32;
}

/** Writes the snapshot of `index` into `dir` atomically and returns its size in bytes. */
export async function writeSnapshotFile(dir: string, index: number, payload: Uint8Array): Promise<number> {
  const buf = Buffer.allocUnsafe(HEADER_BYTES + payload.length);
  MAGIC.copy(buf, 0);
  writeU64(buf, index, 12);
  writeU64(buf, payload.length, 20);
  buf.set(payload, HEADER_BYTES);
  buf.writeUInt32LE(crc32c(buf.subarray(12)), 8);

  const path = join(dir, snapshotName(index));
  const tmp = `${path}.tmp`;
  const fd = await openFd(tmp, 'w');
  try {
    await writeAll(fd, buf, buf.length, 0);
    await datasyncFd(fd);
  } finally {
    await closeFd(fd);
  }
  await rename(tmp, path);
  await syncDir(dir);
  return buf.length;
}

/**
 * Reads and verifies the snapshot at `path`, which its name says covers `index`. Throws
 * `WalCorruptionError` (file and offset) when it does not check out.
 */
export async function readSnapshotFile(path: string, index: number): Promise<{ payload: Buffer; bytes: number }> {
  const buf = await readFile(path);
  if (buf.length < HEADER_BYTES) {
    throw new WalCorruptionError(path, buf.length, `snapshot is ${buf.length} bytes, shorter than its ${HEADER_BYTES}-byte header`);
  }
  if (!buf.subarray(0, 8).equals(MAGIC)) {
    throw new WalCorruptionError(path, 0, `bad magic ${JSON.stringify(buf.subarray(0, 8).toString('latin1'))}, expected "MBSNAP01"`);
  }
  const length = readU64(buf, 20);
  if (HEADER_BYTES + length !== buf.length) {
    throw new WalCorruptionError(
      path,
      Math.min(buf.length, HEADER_BYTES + length),
      `header says ${length} payload bytes but the file holds ${buf.length - HEADER_BYTES}`,
    );
  }
  if (crc32c(buf.subarray(12)) !== buf.readUInt32LE(8)) {
    throw new WalCorruptionError(path, 12, `checksum of bytes 12..${buf.length} does not match the one stored at offset 8`);
  }
  const stored = readU64(buf, 12);
  if (stored !== index) {
    throw new WalCorruptionError(path, 12, `header says index ${stored} but the file name says ${index}`);
  }
  return { payload: buf.subarray(HEADER_BYTES), bytes: buf.length };
}
