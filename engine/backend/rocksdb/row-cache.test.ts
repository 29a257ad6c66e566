import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RowCache } from './row-cache.ts';

const b = (s: string) => Buffer.from(s);

describe('row cache', () => {
  it('returns what was set, forgets deleted keys, and replaces values', () => {
    const c = new RowCache(1 << 20);
    c.set(b('a'), b('1'));
    c.set(b('b'), b('2'));
    c.set(b('a'), b('3'));
    assert.equal(c.get(b('a'))?.toString(), '3');
    c.delete(b('b'));
    assert.equal(c.get(b('b')), undefined);
    assert.equal(c.size, 1);
  });

  it('stays within its byte bound and keeps recently used keys', () => {
    const c = new RowCache(64 * 1024);
    const value = Buffer.alloc(100);
    c.set(b('hot'), value);
    for (let i = 0; i < 10_000; i++) {
      c.set(b(`k${i}`), value);
      if (i % 50 === 0) assert.ok(c.get(b('hot')) !== undefined, `hot key evicted at ${i}`);
    }
    // ~200 bytes per entry charged: at most 64 KiB / 200 entries stay.
    assert.ok(c.size <= (64 * 1024) / 200 + 1, `size ${c.size}`);
    assert.ok(c.get(b('k9999')) !== undefined);
    assert.equal(c.get(b('k0')), undefined);
  });

  it('caches nothing with a zero budget', () => {
    const c = new RowCache(0);
    c.set(b('a'), b('1'));
    assert.equal(c.get(b('a')), undefined);
  });
});
