/**
 * Property tests of recovery over one segment: whatever single truncation or byte flip hits it,
 * recovery either returns an exact prefix of what was written (a truncation: a torn tail, with a
 * warning) or, for a flipped byte (the last record too: it is complete, so it was damaged, not cut
 * short), refuses with the file and the offset of the damaged record. It never returns altered data.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { WalCorruptionError } from './errors.ts';
import { Wal } from './wal.ts';

const RECORDS = 12;

/** Writes RECORDS records of varied sizes; returns the segment bytes and each frame's start. */
async function pristine(dir: string): Promise<{ bytes: Buffer; starts: number[]; payloads: string[] }> {
  const { wal } = await Wal.open({ dir, log: () => undefined });
  const payloads = Array.from({ length: RECORDS }, (_, i) => `r${i + 1}:${'#'.repeat((i * 13) % 50)}`);
  await wal.append(payloads.slice(0, 5).map((p) => Buffer.from(p)));
  for (const p of payloads.slice(5)) await wal.append([Buffer.from(p)]);
  await wal.close();
  const starts: number[] = [];
  let offset = 0;
  for (const p of payloads) {
    starts.push(offset);
    offset += 16 + Buffer.byteLength(p);
  }
  return { bytes: readFileSync(join(dir, 'wal', '0000000000000001.wal')), starts, payloads };
}

async function recoverFrom(dir: string, segmentBytes: Buffer) {
  writeFileSync(join(dir, 'wal', '0000000000000001.wal'), segmentBytes);
  const warnings: string[] = [];
  const { wal, records } = await Wal.open({ dir, log: (_l, m) => warnings.push(m) });
  await wal.close();
  return { texts: records.map((r) => r.data.toString()), warnings };
}

test('property: any truncation recovers exactly the records wholly before the cut', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'wal-prop-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const { bytes, starts, payloads } = await pristine(dir);
  await fc.assert(
    fc.asyncProperty(fc.integer({ min: 0, max: bytes.length }), async (cut) => {
      const { texts, warnings } = await recoverFrom(dir, bytes.subarray(0, cut));
      const whole = starts.filter((s, i) => s + 16 + Buffer.byteLength(payloads[i]) <= cut).length;
      assert.deepEqual(texts, payloads.slice(0, whole));
      const onBoundary = cut === bytes.length || starts.includes(cut);
      assert.equal(warnings.length, onBoundary ? 0 : 1, warnings.join('\n'));
    }),
    { seed: 424242, numRuns: 120 },
  );
});

test('property: any flipped byte is refused at its record, the last one included', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'wal-prop-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const { bytes, starts } = await pristine(dir);
  await fc.assert(
    fc.asyncProperty(fc.integer({ min: 0, max: bytes.length - 1 }), fc.integer({ min: 1, max: 255 }), async (at, mask) => {
      const damaged = Buffer.from(bytes);
      damaged[at] ^= mask;
      const recordStart = starts.filter((s) => s <= at).at(-1)!;
      await assert.rejects(recoverFrom(dir, damaged), (err: unknown) => {
        assert.ok(err instanceof WalCorruptionError, String(err));
        assert.equal(err.offset, recordStart);
        return true;
      });
    }),
    { seed: 424242, numRuns: 150 },
  );
});

test('property: a flip in the last record is refused even when it is the only byte looked at', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'wal-prop-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const { bytes, starts } = await pristine(dir);
  const lastStart = starts[RECORDS - 1];
  for (let at = lastStart; at < bytes.length; at++) {
    const damaged = Buffer.from(bytes);
    damaged[at] ^= 0x01;
    await assert.rejects(recoverFrom(dir, damaged), (err: unknown) => err instanceof WalCorruptionError && err.offset === lastStart, `flip at ${at}`);
  }
});
