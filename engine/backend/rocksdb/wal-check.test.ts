/**
 * The WAL check on logs built by hand in RocksDB's format (`wal-check.ts`): what is a torn tail
 * (dropped by RocksDB's recovery, with a warning) and what is corruption (refused).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { crc32c } from '@node-rs/crc32';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RocksdbWalCorruptionError, checkWalBytes, checkWalFiles } from './wal-check.ts';

const BLOCK = 32_768;

function masked(crc: number): number {
  return ((((crc >>> 15) | (crc << 17)) >>> 0) + 0xa282ead8) >>> 0;
}

/** A log with one logical record per payload (fragmented across blocks as RocksDB does), then `zeros` zero bytes. */
function log(payloads: Buffer[], zeros = 0): { bytes: Buffer; starts: number[] } {
  const parts: Buffer[] = [];
  const starts: number[] = [];
  let pos = 0;
  const emit = (type: number, data: Buffer) => {
    const rec = Buffer.alloc(7 + data.length);
    rec.writeUInt16LE(data.length, 4);
    rec[6] = type;
    data.copy(rec, 7);
    rec.writeUInt32LE(masked(crc32c(rec.subarray(6))), 0);
    parts.push(rec);
    pos += rec.length;
  };
  for (const p of payloads) {
    let left = p;
    let first = true;
    for (;;) {
      const room = BLOCK - (pos % BLOCK);
      if (room < 7) {
        parts.push(Buffer.alloc(room));
        pos += room;
        continue;
      }
      if (first) starts.push(pos);
      const take = Math.min(left.length, room - 7);
      const end = take === left.length;
      emit(first && end ? 1 : first ? 2 : end ? 4 : 3, left.subarray(0, take));
      left = left.subarray(take);
      first = false;
      if (end) break;
    }
  }
  parts.push(Buffer.alloc(zeros));
  return { bytes: Buffer.concat(parts), starts };
}

const small = (n: number) => Array.from({ length: n }, (_, i) => Buffer.from(`batch-${i}-${'x'.repeat(i % 17)}`));
const refused = (offset: number, reason: RegExp) => (err: unknown) => {
  assert.ok(err instanceof RocksdbWalCorruptionError, String(err));
  assert.equal(err.offset, offset);
  assert.match(err.message, reason);
  return true;
};

test('zero padding after the last record, and the trailer of a block, are the end of the log', () => {
  const big = Buffer.alloc(70_000, 7);
  const { bytes } = log([...small(5), big, ...small(3)], 1 << 20);
  const scan = checkWalBytes(bytes, 'x.log', 4, true);
  assert.equal(scan.records, 9);
  assert.equal(scan.torn, undefined);
});

test('a short last record and an unfinished fragmented batch are torn tails', () => {
  const { bytes, starts } = log([...small(4), Buffer.alloc(50_000, 3)]);
  assert.deepEqual(checkWalBytes(bytes.subarray(0, bytes.length - 10), 'x.log', 4, true).torn?.offset, starts[4]);
  assert.deepEqual(checkWalBytes(bytes.subarray(0, starts[4] + 3), 'x.log', 4, true).torn?.offset, starts[4]);
  // FIRST (and a MIDDLE) written, LAST never: zeros follow.
  const cut = Buffer.concat([bytes.subarray(0, BLOCK + 100), Buffer.alloc(BLOCK)]);
  cut.fill(0, BLOCK, BLOCK + 100);
  assert.equal(checkWalBytes(cut, 'x.log', 4, true).torn?.offset, starts[4]);
  // The same in an older log (one RocksDB no longer appends to) is refused.
  assert.throws(() => checkWalBytes(cut, 'x.log', 4, false), refused(starts[4], /older log/));
});

test('a complete last record with a bad CRC is corruption, unless a whole sector of it is still zeros', () => {
  const { bytes, starts } = log([...small(4), Buffer.alloc(3000, 9)], 4096);
  const flipped = Buffer.from(bytes);
  flipped[starts[4] + 100] ^= 1;
  assert.throws(() => checkWalBytes(flipped, 'x.log', 4, true), refused(starts[4], /checksum mismatch/));
  const torn = Buffer.from(bytes);
  const sector = Math.ceil((starts[4] + 7) / 512) * 512;
  torn.fill(0, sector, sector + 512); // one sector of the write never reached the disk
  assert.equal(checkWalBytes(torn, 'x.log', 4, true).torn?.offset, starts[4]);
});

test('a damaged length is corruption even at the tail, and damage followed by a valid record is corruption', () => {
  const { bytes, starts } = log(small(6));
  const longer = Buffer.from(bytes);
  longer[starts[5] + 4] += 40; // the last record now claims to run past the end of the file
  assert.throws(() => checkWalBytes(longer, 'x.log', 4, true), refused(starts[5], /damaged record length/));
  const { bytes: two, starts: twoStarts } = log([Buffer.alloc(40_000, 1), ...small(2)], 100);
  const holed = Buffer.from(two);
  holed.fill(0, 1024, 1536); // a whole sector of the FIRST fragment
  assert.throws(() => checkWalBytes(holed, 'x.log', 4, true), refused(twoStarts[0], /valid record follows at offset 32768/));
});

test('a hole of zeros inside the last block with records after it is corruption (RocksDB would skip the rest of the block)', () => {
  const { bytes, starts } = log(small(8), 4096);
  const holed = Buffer.from(bytes);
  holed.fill(0, starts[3], starts[4]); // record 3 zeroed; 4..7 still there
  assert.throws(() => checkWalBytes(holed, 'x.log', 4, true), refused(starts[3], new RegExp(`valid record follows at offset ${starts[4]}`)));
});

test('a torn older log passes only while every newer log is empty', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'wal-check-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const { bytes, starts } = log(small(5));
  writeFileSync(join(dir, '000004.log'), bytes.subarray(0, bytes.length - 3));
  writeFileSync(join(dir, '000009.log'), Buffer.alloc(0));
  assert.equal((await checkWalFiles(dir))[0].torn?.offset, starts[4]);
  writeFileSync(join(dir, '000009.log'), log(small(2)).bytes);
  await assert.rejects(checkWalFiles(dir), refused(starts[4], /in an older log, while newer logs hold 2 batches after it/));
});

