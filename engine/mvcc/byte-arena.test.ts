// ByteArena: copies are independent of the caller's buffer, packed into shared slabs, and
// large or empty inputs take their own paths.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ByteArena, MAX_PACKED_BYTES, SLAB_BYTES } from './byte-arena.ts';

describe('ByteArena', () => {
  it('copies bytes so that reusing the input does not change them', () => {
    const arena = new ByteArena();
    const input = Buffer.from('hello');
    const a = arena.copy(input);
    input.fill(0x7a);
    assert.equal(a.toString(), 'hello');
    assert.ok(Buffer.isBuffer(a));
  });

  it('packs small copies back to back in one slab and opens a new one when full', () => {
    const arena = new ByteArena();
    const a = arena.copy(Buffer.from('abc'));
    const b = arena.copy(new Uint8Array([100, 101, 102, 103, 104]));
    assert.equal(a.buffer, b.buffer);
    assert.equal(b.byteOffset, a.byteOffset + 3);
    assert.equal(b.toString(), 'defgh');
    const copies: Buffer[] = [];
    const chunk = Buffer.alloc(MAX_PACKED_BYTES, 1);
    for (let i = 0; i < SLAB_BYTES / MAX_PACKED_BYTES; i++) copies.push(arena.copy(chunk));
    assert.notEqual(copies.at(-1)!.buffer, a.buffer);
    for (const c of copies) assert.deepEqual(c, chunk);
    assert.equal(a.toString() + b.toString(), 'abcdefgh');
  });

  it('gives large inputs a buffer of their own and empty ones a shared empty buffer', () => {
    const arena = new ByteArena();
    const big = Buffer.alloc(MAX_PACKED_BYTES + 1, 2);
    const c = arena.copy(big);
    assert.deepEqual(c, big);
    assert.notEqual(c.buffer, big.buffer);
    assert.equal(arena.copy(undefined).length, 0);
    assert.equal(arena.copy(Buffer.alloc(0)).length, 0);
  });
});
