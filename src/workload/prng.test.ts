import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRng } from './prng.ts';

const draw = (seed: number, stream: number, count: number): number[] => {
  const r = createRng(seed, stream);
  return Array.from({ length: count }, () => r.next());
};

describe('createRng', () => {
  it('same seed and stream, same sequence', () => {
    assert.deepEqual(draw(7, 3, 1000), draw(7, 3, 1000));
  });

  it('neighbouring seeds and streams give different sequences from the first draw', () => {
    assert.notEqual(draw(7, 0, 1)[0], draw(8, 0, 1)[0]);
    assert.notEqual(draw(7, 0, 1)[0], draw(7, 1, 1)[0]);
  });

  it('next() stays in [0, 1) and int(n) in [0, n), covering the range', () => {
    const r = createRng(1);
    const hits = new Array(10).fill(0);
    for (let i = 0; i < 10_000; i++) {
      const x = r.next();
      assert.ok(x >= 0 && x < 1);
      const k = r.int(10);
      assert.ok(Number.isInteger(k) && k >= 0 && k < 10);
      hits[k]++;
    }
    // Each bucket expects 1000; a fixed seed makes this exact, the bound only guards gross bias.
    for (const h of hits) assert.ok(h > 850 && h < 1150, `bucket count ${h}`);
  });

  it('is pinned: a change of algorithm would silently change what a recorded seed replays', () => {
    const r = createRng(42);
    assert.deepEqual([r.int(1000), r.int(1000), r.int(1000)], [180, 279, 459]);
  });
});
