import assert from 'node:assert/strict';
import { test } from 'node:test';
import { crc32c } from '@node-rs/crc32';
import { HEADER_BYTES, frameBytes, readFrame, scanForValidFrame, writeFrame } from './framing.ts';

function frame(index: number, payload: string): Buffer {
  const p = Buffer.from(payload);
  const out = Buffer.alloc(frameBytes(p.length));
  writeFrame(out, 0, index, p);
  return out;
}

test('the worked example in framing.ts: record 7 with payload "abc"', () => {
  const f = frame(7, 'abc');
  const body = Buffer.from('03000000' + '0700000000000000' + '616263', 'hex');
  const crc = Buffer.alloc(4);
  crc.writeUInt32LE(crc32c(body));
  assert.deepEqual(f, Buffer.concat([crc, body]));
  assert.equal(f.length, 19);
});

test('frames round-trip back to back, including empty payloads and large indexes', () => {
  const big = 2 ** 53 - 1;
  const buf = Buffer.concat([frame(1, 'one'), frame(2, ''), frame(big, 'x'.repeat(1000))]);
  const a = readFrame(buf, 0, 1);
  assert.ok(!('problem' in a));
  assert.equal(a.payload.toString(), 'one');
  const b = readFrame(buf, a.end, 2);
  assert.ok(!('problem' in b));
  assert.equal(b.payload.length, 0);
  const c = readFrame(buf, b.end, undefined);
  assert.ok(!('problem' in c));
  assert.equal(c.index, big);
  assert.equal(c.end, buf.length);
});

test('readFrame names what is wrong with a bad frame', () => {
  const f = frame(3, 'hello');
  assert.deepEqual(readFrame(f.subarray(0, 10), 0, 3), { problem: 'short header' });
  assert.deepEqual(readFrame(f.subarray(0, f.length - 1), 0, 3), { problem: 'short payload' });
  assert.deepEqual(readFrame(f, 0, 4), { problem: 'unexpected index', index: 3 });
  const flipped = Buffer.from(f);
  flipped[HEADER_BYTES + 1] ^= 0x01;
  assert.deepEqual(readFrame(flipped, 0, 3), { problem: 'bad crc' });
  const huge = Buffer.from(f);
  huge.writeUInt32LE(0xffff_ffff, 4);
  assert.deepEqual(readFrame(huge, 0, 3), { problem: 'bad length' });
});

test('scanForValidFrame finds a later valid frame and ignores garbage and older indexes', () => {
  const damaged = frame(5, 'payload-five');
  damaged[HEADER_BYTES] ^= 0xff;
  const buf = Buffer.concat([damaged, Buffer.from('garbage'), frame(6, 'six')]);
  assert.equal(scanForValidFrame(buf, 1, 4), damaged.length + 7);
  // Only frames with an index after the last good one count.
  assert.equal(scanForValidFrame(buf, 1, 6), -1);
  assert.equal(scanForValidFrame(Buffer.alloc(4096), 0, 0), -1);
});
