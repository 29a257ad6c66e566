// The sorted index against a plain sorted array: inserts and removes across many leaf splits
// and merges, and scans over random bounds, in byte order.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { SortedIndex } from './sorted-index.ts';

interface Item {
  key: string;
}

function reference(keys: Iterable<string>): string[] {
  return [...new Set(keys)].sort();
}

describe('SortedIndex', () => {
  it('keeps byte order through thousands of inserts and removes', () => {
    const idx = new SortedIndex<Item>();
    const present = new Set<string>();
    let seed = 7;
    const rnd = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    for (let i = 0; i < 6000; i++) {
      const key = String.fromCharCode(rnd(256), rnd(256), rnd(256));
      if (present.has(key)) continue;
      present.add(key);
      idx.insert({ key });
    }
    for (const key of [...present]) {
      if (rnd(2) === 0) {
        assert.equal(idx.remove(key), true);
        present.delete(key);
      }
    }
    assert.equal(idx.remove('\u0000missing\u0000'), false);
    assert.equal(idx.size, present.size);
    assert.deepEqual([...idx.values()].map((x) => x.key), reference(present));
  });

  it('scans [start, end) and from-key ranges exactly like a filtered sorted array', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: fc.integer({ min: 0, max: 255 }).map((c) => String.fromCharCode(c)), maxLength: 3 }), { maxLength: 300 }),
        fc.string({ maxLength: 2 }),
        fc.option(fc.string({ maxLength: 2 }), { nil: null }),
        fc.integer({ min: 0, max: 20 }),
        (keys, start, end, stopAfter) => {
          const idx = new SortedIndex<Item>();
          const sorted = reference(keys);
          for (const key of sorted.slice().reverse()) idx.insert({ key });
          const expected = sorted.filter((k) => k >= start && (end === null || k < end));
          const seen: string[] = [];
          idx.scan(start, end, (item) => {
            seen.push(item.key);
          });
          assert.deepEqual(seen, expected);
          const limited: string[] = [];
          idx.scan(start, end, (item) => {
            limited.push(item.key);
            return limited.length < stopAfter;
          });
          assert.deepEqual(limited, expected.slice(0, Math.max(1, stopAfter)).slice(0, expected.length));
        },
      ),
      { numRuns: 200, seed: 42 },
    );
  });
});
