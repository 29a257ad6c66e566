/**
 * Damaged memory-engine logs, end to end through `openStore`: a torn tail opens with a warning
 * and loses only the write that never completed; a flipped byte before the tail refuses to
 * open, naming the file and the offset, and leaves the directory unlocked for a repair.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { openStore } from '../index.ts';

function tempDir(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'wal-damage-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Puts k0..k(n-1) one at a time (one WAL record each) and returns the segment file. */
async function populate(dataDir: string, n: number): Promise<string> {
  const store = await openStore({ engine: 'memory', dataDir, sync: 'always', log: () => undefined });
  for (let i = 0; i < n; i++) await store.put({ key: Buffer.from(`k${i}`), value: Buffer.from(`value-${i}`) });
  await store.close();
  const segments = readdirSync(join(dataDir, 'wal'));
  assert.equal(segments.length, 1);
  return join(dataDir, 'wal', segments[0]);
}

async function keys(dataDir: string, warnings: string[]): Promise<string[]> {
  const store = await openStore({ engine: 'memory', dataDir, sync: 'always', log: (level, msg) => warnings.push(`${level}: ${msg}`) });
  try {
    const res = await store.range({ key: Buffer.from('k'), rangeEnd: Buffer.from('l') });
    return res.kvs.map((kv) => kv.key.toString()).sort();
  } finally {
    await store.close();
  }
}

test('memory engine: a torn tail opens with a warning and keeps every complete write', async (t) => {
  const dataDir = tempDir(t);
  const segment = await populate(dataDir, 5);
  truncateSync(segment, statSync(segment).size - 2);
  const warnings: string[] = [];
  assert.deepEqual(await keys(dataDir, warnings), ['k0', 'k1', 'k2', 'k3']);
  assert.equal(warnings.filter((w) => w.startsWith('warn: wal: torn tail in ' + segment)).length, 1, warnings.join('\n'));
  // The next start is clean: the tail was cut off for good.
  const again: string[] = [];
  assert.deepEqual(await keys(dataDir, again), ['k0', 'k1', 'k2', 'k3']);
  assert.deepEqual(again, []);
});

test('memory engine: a flipped byte before the tail refuses to open, naming file and offset', async (t) => {
  const dataDir = tempDir(t);
  const segment = await populate(dataDir, 5);
  const bytes = readFileSync(segment);
  bytes[20] ^= 0x04; // inside the first record's payload
  writeFileSync(segment, bytes);
  await assert.rejects(openStore({ engine: 'memory', dataDir, sync: 'always', log: () => undefined }), (err: Error) => {
    assert.ok(err.message.includes(`${segment} is corrupt at byte offset 0`), err.message);
    return true;
  });
  // Refused, not repaired: the file is untouched, and a second attempt says the same.
  assert.deepEqual(readFileSync(segment), bytes);
  await assert.rejects(openStore({ engine: 'memory', dataDir, sync: 'always', log: () => undefined }), /is corrupt at byte offset 0/);
});

test('memory engine: a flipped byte in the last record refuses to open too (the write was acknowledged)', async (t) => {
  const dataDir = tempDir(t);
  const segment = await populate(dataDir, 5);
  const bytes = readFileSync(segment);
  bytes[bytes.length - 3] ^= 0x04; // inside the last record's payload
  writeFileSync(segment, bytes);
  await assert.rejects(openStore({ engine: 'memory', dataDir, sync: 'always', log: () => undefined }), (err: Error) => {
    assert.match(err.message, new RegExp(`${segment} is corrupt at byte offset \\d+: bad crc`));
    assert.ok(!err.message.includes('\n'), err.message);
    return true;
  });
  assert.deepEqual(readFileSync(segment), bytes);
});
