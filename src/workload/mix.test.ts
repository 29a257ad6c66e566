import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createMix, mixDeviationPoints } from './mix.ts';
import { createRng } from './prng.ts';

describe('createMix', () => {
  it('shares are the normalised weights', () => {
    const m = createMix({ put: 40, get: 40, delete: 10, range: 10 });
    assert.deepEqual(m.shares, { put: 0.4, get: 0.4, delete: 0.1, range: 0.1 });
    assert.deepEqual(createMix({ a: 1, b: 3 }).shares, { a: 0.25, b: 0.75 });
  });

  it('chooses per operation in proportion to the weights (seeded, so exact)', () => {
    const m = createMix({ put: 40, get: 40, delete: 10, range: 10 });
    const rng = createRng(9);
    const counts = { put: 0, get: 0, delete: 0, range: 0 };
    for (let i = 0; i < 100_000; i++) counts[m.choose(rng)]++;
    assert.ok(mixDeviationPoints(counts, m.shares) < 0.5, JSON.stringify(counts));
  });

  it('never chooses a zero-weight operation', () => {
    const m = createMix({ put: 1, get: 0 });
    const rng = createRng(1);
    for (let i = 0; i < 1000; i++) assert.equal(m.choose(rng), 'put');
  });

  it('refuses weights that are all zero or not finite', () => {
    assert.throws(() => createMix({ a: 0, b: 0 }), /mix: weights .* must be non-negative with a positive sum/);
    assert.throws(() => createMix({ a: Infinity }), /positive sum/);
  });

  it('same seed, same choices', () => {
    const m = createMix({ put: 40, get: 40, delete: 10, range: 10 });
    const seq = (seed: number) => {
      const r = createRng(seed);
      return Array.from({ length: 200 }, () => m.choose(r)).join(',');
    };
    assert.equal(seq(5), seq(5));
    assert.notEqual(seq(5), seq(6));
  });
});

describe('mixDeviationPoints', () => {
  it('is the largest distance in percentage points', () => {
    assert.ok(Math.abs(mixDeviationPoints({ a: 37, b: 63 }, { a: 0.4, b: 0.6 }) - 3) < 1e-9);
    assert.equal(mixDeviationPoints({ a: 0, b: 0 }, { a: 0.5, b: 0.5 }), 0);
  });
});
