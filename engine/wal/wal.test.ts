import assert from 'node:assert/strict';
import fs, { appendFileSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { WalCorruptionError, WalWriteError } from './errors.ts';
import { HEADER_BYTES, frameBytes, writeFrame } from './framing.ts';
import { Wal, type WalOptions } from './wal.ts';

interface Logged {
  level: string;
  message: string;
}

function tempDir(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'wal-test-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function rec(i: number): Buffer {
  return Buffer.from(`record-${i}`);
}

async function open(dir: string, extra: Partial<WalOptions> = {}) {
  const logged: Logged[] = [];
  const r = await Wal.open({ dir, log: (level, message) => logged.push({ level, message }), ...extra });
  return { ...r, logged };
}

/** Appends records from..to, `perBatch` at a time. */
async function fill(wal: Wal, from: number, to: number, perBatch = 1): Promise<void> {
  for (let i = from; i <= to; i += perBatch) {
    const batch: Buffer[] = [];
    for (let j = i; j <= Math.min(to, i + perBatch - 1); j++) batch.push(rec(j));
    await wal.append(batch);
  }
}

function texts(records: { data: Buffer }[]): string[] {
  return records.map((r) => r.data.toString());
}

function range(from: number, to: number): string[] {
  const out: string[] = [];
  for (let i = from; i <= to; i++) out.push(`record-${i}`);
  return out;
}

function segmentFiles(dir: string): string[] {
  return readdirSync(join(dir, 'wal')).sort();
}

test('a fresh log is empty; appended batches come back in order after reopening', async (t) => {
  const dir = tempDir(t);
  const a = await open(dir);
  assert.equal(a.snapshot, undefined);
  assert.deepEqual(a.records, []);
  assert.equal(await a.wal.append([rec(1), rec(2), rec(3)]), 3);
  assert.equal(await a.wal.append([rec(4)]), 4);
  assert.equal(await a.wal.append([]), 4);
  assert.equal(a.wal.diskBytes(), statSync(join(dir, 'wal', '0000000000000001.wal')).size);
  await a.wal.close();
  await a.wal.close(); // idempotent

  const b = await open(dir);
  assert.deepEqual(texts(b.records), range(1, 4));
  assert.deepEqual(
    b.records.map((r) => r.index),
    [1, 2, 3, 4],
  );
  assert.deepEqual(b.logged, []);
  await b.wal.close();
});

test('a batch goes out as one contiguous write: the segment is exactly the frames back to back', async (t) => {
  const dir = tempDir(t);
  const { wal } = await open(dir);
  await wal.append([Buffer.from('a'), Buffer.from('bc')]);
  await wal.close();
  const bytes = readFileSync(join(dir, 'wal', '0000000000000001.wal'));
  assert.equal(bytes.length, HEADER_BYTES * 2 + 3);
});

test('segments roll over at segmentBytes and recovery reads across them', async (t) => {
  const dir = tempDir(t);
  const a = await open(dir, { segmentBytes: 4096 });
  await fill(a.wal, 1, 400, 7);
  await a.wal.close();
  const files = segmentFiles(dir);
  assert.ok(files.length >= 3, `expected several segments, got ${files.join(', ')}`);
  assert.equal(files[0], '0000000000000001.wal');
  for (const f of files) assert.ok(statSync(join(dir, 'wal', f)).size <= 4096 + 7 * 40);

  const b = await open(dir, { segmentBytes: 4096 });
  assert.deepEqual(texts(b.records), range(1, 400));
  await fill(b.wal, 401, 420);
  await b.wal.close();
  const c = await open(dir, { segmentBytes: 4096 });
  assert.deepEqual(texts(c.records), range(1, 420));
  await c.wal.close();
});

test('a snapshot deletes the segments it covers; recovery is the snapshot plus later records', async (t) => {
  const dir = tempDir(t);
  const a = await open(dir, { segmentBytes: 4096 });
  await fill(a.wal, 1, 300, 5);
  const before = segmentFiles(dir).length;
  await a.wal.saveSnapshot(Buffer.from('state@300'));
  assert.equal(a.wal.snapshotIndex, 300);
  assert.ok(segmentFiles(dir).length < before);
  await fill(a.wal, 301, 310);
  await assert.rejects(a.wal.saveSnapshot(Buffer.from('x'), 299), /snapshot index 299 is invalid; expected more than the current snapshot's 300/);
  await assert.rejects(a.wal.saveSnapshot(Buffer.from('x'), 311), /snapshot index 311 is invalid; expected an integer in 1\.\.310/);
  await a.wal.close();

  const b = await open(dir, { segmentBytes: 4096 });
  assert.equal(b.snapshot?.index, 300);
  assert.equal(b.snapshot?.data.toString(), 'state@300');
  assert.deepEqual(texts(b.records), range(301, 310));
  await b.wal.saveSnapshot(Buffer.from('state@310'));
  assert.deepEqual(readdirSync(join(dir, 'snap')), ['0000000000000310.snap']);
  await fill(b.wal, 311, 312);
  await b.wal.close();

  const c = await open(dir, { segmentBytes: 4096 });
  assert.equal(c.snapshot?.data.toString(), 'state@310');
  assert.deepEqual(texts(c.records), range(311, 312));
  assert.equal(c.wal.lastIndex, 312);
  await c.wal.close();
});

test('a snapshot at the very end leaves an empty log that continues after it', async (t) => {
  const dir = tempDir(t);
  const a = await open(dir, { segmentBytes: 4096 });
  await fill(a.wal, 1, 200, 10);
  await a.wal.saveSnapshot(Buffer.from('s'));
  await a.wal.close();
  const b = await open(dir, { segmentBytes: 4096 });
  assert.deepEqual(b.records, []);
  assert.equal(b.wal.lastIndex, 200);
  assert.equal(await b.wal.append([rec(201)]), 201);
  await b.wal.close();
  const c = await open(dir, { segmentBytes: 4096 });
  assert.deepEqual(texts(c.records), ['record-201']);
  await c.wal.close();
});

test('a torn tail is truncated with a warning naming file and offset, and appends continue cleanly', async (t) => {
  const dir = tempDir(t);
  const a = await open(dir);
  await fill(a.wal, 1, 10);
  await a.wal.close();
  const seg = join(dir, 'wal', '0000000000000001.wal');
  const size = statSync(seg).size;
  // The last record lost its final 3 bytes (a write cut short by the crash).
  truncateSync(seg, size - 3);

  const b = await open(dir);
  assert.deepEqual(texts(b.records), range(1, 9));
  const lastStart = size - (HEADER_BYTES + 'record-10'.length);
  assert.equal(b.logged.length, 1);
  assert.equal(b.logged[0].level, 'warn');
  assert.ok(b.logged[0].message.includes(seg), b.logged[0].message);
  assert.ok(b.logged[0].message.includes(`byte offset ${lastStart}`), b.logged[0].message);
  assert.equal(statSync(seg).size, lastStart);
  assert.equal(await b.wal.append([rec(10), rec(11)]), 11);
  await b.wal.close();

  const c = await open(dir);
  assert.deepEqual(texts(c.records), range(1, 11));
  assert.deepEqual(c.logged, []);
  await c.wal.close();
});

test('a garbage tail is corruption, not a torn tail: no write leaves bytes that are not a record', async (t) => {
  const dir = tempDir(t);
  const a = await open(dir);
  await fill(a.wal, 1, 5);
  await a.wal.close();
  const seg = join(dir, 'wal', '0000000000000001.wal');
  const size = statSync(seg).size;
  appendFileSync(seg, Buffer.alloc(4096, 0x5a));
  const before = readFileSync(seg);
  await assert.rejects(open(dir), new RegExp(`0000000000000001\\.wal is corrupt at byte offset ${size}: bad length`));
  assert.deepEqual(readFileSync(seg), before);
});

/** The segment as a crash would leave it: closing trims the padding, so copy it before. */
function snapshotSegment(dir: string): Buffer {
  return readFileSync(join(dir, 'wal', '0000000000000001.wal'));
}

/**
 * Appends records 1..`records` one per batch, then returns the first segment as a crash would
 * leave it (preallocated padding included), one frame's size and the segment's path.
 */
async function crashedSegment(dir: string, records: number): Promise<{ crashed: Buffer; frame: number; seg: string }> {
  const a = await open(dir);
  await fill(a.wal, 1, records);
  const crashed = snapshotSegment(dir);
  await a.wal.close();
  return { crashed, frame: HEADER_BYTES + 'record-1'.length, seg: join(dir, 'wal', '0000000000000001.wal') };
}

test('with sync always the segment is preallocated: zero padding after the records, trimmed at close', async (t) => {
  const dir = tempDir(t);
  const a = await open(dir);
  await fill(a.wal, 1, 10, 3);
  const seg = join(dir, 'wal', '0000000000000001.wal');
  const records = 10 * (HEADER_BYTES + 'record-1'.length) + 1; // record-10 is one byte longer
  const live = readFileSync(seg);
  assert.ok(live.length > records + 64 * 1024, `expected a preallocated file, got ${live.length} bytes for ${records} bytes of records`);
  assert.ok(live.subarray(records).every((x) => x === 0), 'the padding is zeros');
  assert.equal(a.wal.diskBytes(), live.length);
  await a.wal.close();
  assert.equal(statSync(seg).size, records);
});

test('zero padding after the last record is the end of the log: no warning, nothing cut, appends continue', async (t) => {
  const dir = tempDir(t);
  const { crashed, seg } = await crashedSegment(dir, 7);
  writeFileSync(seg, crashed);

  const b = await open(dir);
  assert.deepEqual(texts(b.records), range(1, 7));
  assert.deepEqual(b.logged, []);
  assert.equal(statSync(seg).size, crashed.length, 'the preallocated space is kept for the appends to come');
  assert.equal(await b.wal.append([rec(8), rec(9)]), 9);
  const again = snapshotSegment(dir);
  await b.wal.close();
  writeFileSync(seg, again);
  const c = await open(dir);
  assert.deepEqual(texts(c.records), range(1, 9));
  assert.deepEqual(c.logged, []);
  await c.wal.close();
});

test('a torn write into preallocated space is cut off with a warning naming file and offset', async (t) => {
  const dir = tempDir(t);
  const { crashed, frame, seg } = await crashedSegment(dir, 6);
  const end = 6 * frame;
  // Record 7 (1,500 bytes) was cut short: only its first sector reached the disk, the rest is
  // still the preallocated zeros.
  writeFrame(crashed, end, 7, Buffer.alloc(1500, 0x61));
  crashed.fill(0, Math.ceil((end + HEADER_BYTES) / 512) * 512, end + frameBytes(1500));
  writeFileSync(seg, crashed);

  const b = await open(dir);
  assert.deepEqual(texts(b.records), range(1, 6));
  assert.equal(b.logged.length, 1);
  assert.ok(b.logged[0].message.includes(`torn tail in ${seg} at byte offset ${end}`), b.logged[0].message);
  assert.equal(statSync(seg).size, end);
  assert.equal(await b.wal.append([rec(7)]), 7);
  await b.wal.close();
  const c = await open(dir);
  assert.deepEqual(texts(c.records), range(1, 7));
  assert.deepEqual(c.logged, []);
  await c.wal.close();
});

test('a record cut short inside one sector is not torn: a sector is written whole, so it is corruption', async (t) => {
  const dir = tempDir(t);
  const { crashed, frame, seg } = await crashedSegment(dir, 6);
  const end = 6 * frame;
  // Record 7's first 11 bytes, then zeros: impossible for a write, which lands a sector at once.
  crashed.write('\x01\x02\x03\x04\x08\x00\x00\x00\x07\x00\x00', end, 'latin1');
  writeFileSync(seg, crashed);
  await assert.rejects(open(dir), new RegExp(`is corrupt at byte offset ${end}: bad crc .* the record is complete`));
  assert.deepEqual(readFileSync(seg), crashed);
});

test('a flipped byte before the tail of a preallocated segment is corruption, not padding or a torn tail', async (t) => {
  const dir = tempDir(t);
  const { crashed, frame, seg } = await crashedSegment(dir, 6);
  crashed[2 * frame + HEADER_BYTES] ^= 0x10; // record 3's payload
  writeFileSync(seg, crashed);
  await assert.rejects(open(dir), (err: unknown) => {
    assert.ok(err instanceof WalCorruptionError);
    assert.equal(err.file, seg);
    assert.equal(err.offset, 2 * frame);
    assert.match(err.message, /bad crc .* yet a valid record follows/);
    return true;
  });
  assert.deepEqual(readFileSync(seg), crashed);
});

test('appends issued without waiting are written in order and resolve in order', async (t) => {
  const dir = tempDir(t);
  const a = await open(dir, { segmentBytes: 4096 });
  const order: number[] = [];
  const pending = Array.from({ length: 200 }, (_, i) => a.wal.append([rec(i + 1)]).then((idx) => order.push(idx)));
  assert.equal(a.wal.lastIndex, 200, 'every append was written before append returned');
  await Promise.all(pending);
  assert.deepEqual(order, Array.from({ length: 200 }, (_, i) => i + 1));
  await a.wal.close();
  assert.ok(segmentFiles(dir).length > 1, 'the appends rolled over to new segments');
  for (const f of segmentFiles(dir)) assert.ok(statSync(join(dir, 'wal', f)).size <= 4096, `${f} kept its padding`);
  const b = await open(dir, { segmentBytes: 4096 });
  assert.deepEqual(texts(b.records), range(1, 200));
  assert.deepEqual(b.logged, []);
  await b.wal.close();
});

test('a flipped byte in the last record is corruption, not a torn tail: the whole record is there', async (t) => {
  const dir = tempDir(t);
  const a = await open(dir);
  await fill(a.wal, 1, 5);
  await a.wal.close();
  const seg = join(dir, 'wal', '0000000000000001.wal');
  const bytes = readFileSync(seg);
  const last = bytes.length - (HEADER_BYTES + 'record-5'.length);
  bytes[bytes.length - 1] ^= 0x40;
  writeFileSync(seg, bytes);
  await assert.rejects(open(dir), (err: unknown) => {
    assert.ok(err instanceof WalCorruptionError, String(err));
    assert.equal(err.file, seg);
    assert.equal(err.offset, last);
    assert.match(err.message, /bad crc .* the record is complete/);
    return true;
  });
  assert.deepEqual(readFileSync(seg), bytes, 'refused, not repaired');
  // The same flip in a crash image (the zeros preallocated after the records still there).
  const crashDir = tempDir(t);
  const { crashed, frame, seg: crashSeg } = await crashedSegment(crashDir, 5);
  crashed[5 * frame - 1] ^= 0x40;
  writeFileSync(crashSeg, crashed);
  await assert.rejects(open(crashDir), new RegExp(`is corrupt at byte offset ${4 * frame}: bad crc`));
});

test('a damaged length field in the last record is corruption, though the record now seems to run past the end', async (t) => {
  const dir = tempDir(t);
  const a = await open(dir);
  await fill(a.wal, 1, 5);
  await a.wal.close();
  const seg = join(dir, 'wal', '0000000000000001.wal');
  const bytes = readFileSync(seg);
  const last = bytes.length - (HEADER_BYTES + 'record-5'.length);
  bytes[last + 4] ^= 0x20;
  writeFileSync(seg, bytes);
  await assert.rejects(open(dir), new RegExp(`is corrupt at byte offset ${last}: short payload .* length field is damaged`));
});

test('a flipped byte before the tail stops start-up with an error naming file and offset', async (t) => {
  const dir = tempDir(t);
  const a = await open(dir);
  await fill(a.wal, 1, 10);
  await a.wal.close();
  const seg = join(dir, 'wal', '0000000000000001.wal');
  const bytes = readFileSync(seg);
  const frame = HEADER_BYTES + 'record-1'.length;
  const fourth = 3 * frame; // records 1..3 are 'record-N' (8 bytes of payload each)
  bytes[fourth + HEADER_BYTES + 2] ^= 0x01;
  writeFileSync(seg, bytes);

  await assert.rejects(open(dir), (err: unknown) => {
    assert.ok(err instanceof WalCorruptionError);
    assert.equal(err.file, seg);
    assert.equal(err.offset, fourth);
    assert.ok(err.message.includes(seg) && err.message.includes(`byte offset ${fourth}`), err.message);
    return true;
  });
  // Refusing must not have touched the file.
  assert.deepEqual(readFileSync(seg), bytes);
});

test('a damaged length field before the tail is corruption, not a torn tail', async (t) => {
  const dir = tempDir(t);
  const a = await open(dir);
  await fill(a.wal, 1, 10);
  await a.wal.close();
  const seg = join(dir, 'wal', '0000000000000001.wal');
  const bytes = readFileSync(seg);
  bytes.writeUInt32LE(1_000_000, 4); // record 1 now claims to run past the end of the file
  writeFileSync(seg, bytes);
  await assert.rejects(open(dir), /0000000000000001\.wal is corrupt at byte offset 0: short payload.*valid record follows/);
});

test('damage anywhere in an older segment is refused, even at its end', async (t) => {
  const dir = tempDir(t);
  const a = await open(dir, { segmentBytes: 4096 });
  await fill(a.wal, 1, 300, 3);
  await a.wal.close();
  const first = join(dir, 'wal', segmentFiles(dir)[0]);
  const bytes = readFileSync(first);
  bytes[bytes.length - 1] ^= 0x01;
  writeFileSync(first, bytes);
  await assert.rejects(open(dir, { segmentBytes: 4096 }), (err: unknown) => {
    assert.ok(err instanceof WalCorruptionError);
    assert.equal(err.file, first);
    assert.match(err.message, /older segment/);
    return true;
  });
});

test('a missing middle segment is a gap, refused', async (t) => {
  const dir = tempDir(t);
  const a = await open(dir, { segmentBytes: 4096 });
  await fill(a.wal, 1, 400, 4);
  await a.wal.close();
  const files = segmentFiles(dir);
  assert.ok(files.length >= 3);
  rmSync(join(dir, 'wal', files[1]));
  await assert.rejects(open(dir, { segmentBytes: 4096 }), /segment ends at record \d+ but the next segment starts at \d+/);
});

test('a log that starts after record 1 with no snapshot is refused', async (t) => {
  const dir = tempDir(t);
  const a = await open(dir, { segmentBytes: 4096 });
  await fill(a.wal, 1, 400, 4);
  await a.wal.close();
  rmSync(join(dir, 'wal', segmentFiles(dir)[0]));
  await assert.rejects(open(dir, { segmentBytes: 4096 }), /nothing covers records 1\.\.\d+ \(there is no snapshot\)/);
});

test('a corrupt snapshot with no usable older state stops start-up naming the file', async (t) => {
  const dir = tempDir(t);
  const a = await open(dir, { segmentBytes: 4096 });
  await fill(a.wal, 1, 300, 5);
  await a.wal.saveSnapshot(Buffer.from('state@300'));
  await fill(a.wal, 301, 305);
  await a.wal.close();
  const snap = join(dir, 'snap', '0000000000000300.snap');
  const bytes = readFileSync(snap);
  bytes[bytes.length - 2] ^= 0x10;
  writeFileSync(snap, bytes);
  await assert.rejects(open(dir, { segmentBytes: 4096 }), (err: unknown) => {
    assert.ok(err instanceof WalCorruptionError);
    assert.equal(err.file, snap);
    assert.match(err.message, /corrupt at byte offset 12: checksum/);
    return true;
  });
  // A truncated snapshot names the offset where it ends.
  writeFileSync(snap, bytes.subarray(0, 20));
  await assert.rejects(open(dir, { segmentBytes: 4096 }), /0000000000000300\.snap is corrupt at byte offset 20/);
});

test('a corrupt snapshot is skipped with a warning when the whole log is still there', async (t) => {
  const dir = tempDir(t);
  const a = await open(dir);
  await fill(a.wal, 1, 20);
  await a.wal.saveSnapshot(Buffer.from('state@20')); // one segment: nothing to delete
  await fill(a.wal, 21, 22);
  await a.wal.close();
  const snap = join(dir, 'snap', '0000000000000020.snap');
  writeFileSync(snap, Buffer.from('not a snapshot at all, sorry'));
  const b = await open(dir);
  assert.equal(b.snapshot, undefined);
  assert.deepEqual(texts(b.records), range(1, 22));
  assert.ok(b.logged.some((l) => l.level === 'warn' && l.message.includes(snap)));
  assert.deepEqual(readdirSync(join(dir, 'snap')), ['0000000000000020.snap.broken']);
  await b.wal.close();
});

test('a corrupt newest snapshot falls back to an older one when the log still continues from it', async (t) => {
  const dir = tempDir(t);
  const a = await open(dir);
  await fill(a.wal, 1, 10);
  await a.wal.saveSnapshot(Buffer.from('state@10'));
  const older = readFileSync(join(dir, 'snap', '0000000000000010.snap'));
  await fill(a.wal, 11, 20);
  await a.wal.saveSnapshot(Buffer.from('state@20'));
  await fill(a.wal, 21, 21);
  await a.wal.close();
  // As if the process died after renaming the new snapshot, before deleting the old one.
  writeFileSync(join(dir, 'snap', '0000000000000010.snap'), older);
  const newer = join(dir, 'snap', '0000000000000020.snap');
  const bytes = readFileSync(newer);
  bytes[bytes.length - 1] ^= 0x01;
  writeFileSync(newer, bytes);

  const b = await open(dir);
  assert.equal(b.snapshot?.data.toString(), 'state@10');
  assert.deepEqual(texts(b.records), range(11, 21));
  assert.ok(b.logged.some((l) => l.level === 'warn' && l.message.includes(newer) && l.message.includes('older snapshot')), JSON.stringify(b.logged));
  await b.wal.close();
});

test('a snapshot left half-written (.tmp) by a crash is removed and the previous state is used', async (t) => {
  const dir = tempDir(t);
  const a = await open(dir);
  await fill(a.wal, 1, 3);
  await a.wal.close();
  writeFileSync(join(dir, 'snap', '0000000000000003.snap.tmp'), 'partial');
  const b = await open(dir);
  assert.deepEqual(texts(b.records), range(1, 3));
  assert.deepEqual(readdirSync(join(dir, 'snap')), []);
  await b.wal.close();
});

test('sync none still writes every record (only the fdatasync is skipped)', async (t) => {
  const dir = tempDir(t);
  const a = await open(dir, { sync: 'none', segmentBytes: 4096 });
  await fill(a.wal, 1, 500, 64);
  await a.wal.saveSnapshot(Buffer.from('s'), 256);
  await a.wal.close();
  const b = await open(dir, { sync: 'none', segmentBytes: 4096 });
  assert.equal(b.snapshot?.index, 256);
  assert.deepEqual(texts(b.records), range(257, 500));
  await b.wal.close();
});

test('bad options and use after close are refused with clear messages', async (t) => {
  const dir = tempDir(t);
  await assert.rejects(Wal.open({ dir, sync: 'sometimes' as 'none' }), /sync policy "sometimes" is invalid; expected "always" or "none"/);
  await assert.rejects(Wal.open({ dir, segmentBytes: 10 }), /segmentBytes 10 is invalid; expected an integer >= 4096/);
  writeFileSync(join(dir, 'not-a-dir'), '');
  await assert.rejects(Wal.open({ dir: join(dir, 'not-a-dir') }), /wal: cannot create .*not-a-dir\/wal and .*: /);
  const { wal } = await open(dir);
  await wal.close();
  await assert.rejects(wal.append([rec(1)]), /the log is closed/);
  await assert.rejects(wal.saveSnapshot(Buffer.from('s')), /the log is closed/);
});

test('a record too large to read back is refused before anything is written', async (t) => {
  const dir = tempDir(t);
  const { wal } = await open(dir);
  // A view with a huge length: no need to allocate 256 MiB to test the check.
  const huge = { length: 256 * 1024 * 1024 + 1 } as Uint8Array;
  await assert.rejects(wal.append([rec(1), huge]), /record of 268435457 bytes is too large; expected at most 268435456 bytes/);
  assert.equal(await wal.append([rec(1)]), 1); // the log is still usable
  await wal.close();
});

test('batches larger than the frame buffer round-trip, including one past the kept-buffer limit', async (t) => {
  const dir = tempDir(t);
  const { wal } = await open(dir);
  const big = Buffer.alloc(3 * 1024 * 1024, 0x5a);
  const huge = Buffer.alloc(9 * 1024 * 1024, 0xa5);
  await wal.append([rec(1), big]);
  await wal.append([huge, rec(4)]);
  await wal.append([rec(5)]);
  await wal.close();
  const b = await open(dir);
  assert.equal(b.records.length, 5);
  assert.ok(b.records[1].data.equals(big));
  assert.ok(b.records[2].data.equals(huge));
  assert.deepEqual(texts([b.records[0], b.records[3], b.records[4]]), ['record-1', 'record-4', 'record-5']);
  await b.wal.close();
});

test('a failed fdatasync fails every append waiting for it or written after it, and every later one', async (t) => {
  const dir = tempDir(t);
  const a = await open(dir);
  await fill(a.wal, 1, 3);
  const real = fs.fdatasync;
  const failing = (_fd: number, cb: (err: NodeJS.ErrnoException | null) => void): void => {
    setImmediate(() => cb(Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' })));
  };
  (fs as { fdatasync: unknown }).fdatasync = failing;
  syncBuiltinESMExports();
  t.after(() => {
    (fs as { fdatasync: unknown }).fdatasync = real;
    syncBuiltinESMExports();
  });
  const pending = [a.wal.append([rec(4)]), a.wal.append([rec(5)]), a.wal.append([rec(6)])];
  for (const r of await Promise.allSettled(pending)) {
    assert.equal(r.status, 'rejected');
    assert.ok((r as PromiseRejectedResult).reason instanceof WalWriteError);
    assert.match((r as PromiseRejectedResult).reason.message, /EIO/);
  }
  await assert.rejects(a.wal.append([rec(7)]), /an earlier write failed; the log must be reopened/);
  (fs as { fdatasync: unknown }).fdatasync = real;
  syncBuiltinESMExports();
  await a.wal.close();
  // What reached the file is still read back in order: the three acknowledged records at least.
  const b = await open(dir);
  assert.deepEqual(texts(b.records).slice(0, 3), range(1, 3));
  await b.wal.close();
});
