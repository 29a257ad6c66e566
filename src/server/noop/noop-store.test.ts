/**
 * The noop store's lazily merged key index gives the same ranges as sorting every key on every
 * read: any interleaving of Puts (new and existing keys), single and range deletes and range
 * reads, against a plain Map model.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { RangeRequest } from '../../../engine/mvcc/types.ts';
import { NoopStore } from './noop-store.ts';

const key = fc.constantFrom('a', 'b', 'ba', 'bb', 'c', 'd\u00ff', 'e', '\u0000x');
const op = fc.oneof(
  fc.record({ kind: fc.constant('put' as const), key, value: fc.constantFrom('', 'v', 'w1') }),
  fc.record({ kind: fc.constant('delete' as const), key }),
  fc.record({ kind: fc.constant('deleteRange' as const), key, end: key }),
  fc.record({ kind: fc.constant('range' as const), key, end: fc.oneof(key, fc.constant('\u0000')), limit: fc.nat(4) }),
);

const buf = (s: string): Buffer => Buffer.from(s, 'latin1');
const range = (k: string, end: string, limit = 0): RangeRequest => ({ key: buf(k), rangeEnd: buf(end), limit });

describe('noop store', () => {
  it('answers ranges and range deletes as a fully sorted index would', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const store = new NoopStore();
        const model = new Map<string, string>();
        const inRange = (k: string, start: string, end: string): boolean => k >= start && (end === '\u0000' || k < end);
        for (const o of ops) {
          if (o.kind === 'put') {
            store.put({ key: buf(o.key), value: buf(o.value) });
            model.set(o.key, o.value);
          } else if (o.kind === 'delete') {
            const res = store.deleteRange({ key: buf(o.key) });
            assert.equal(res.deleted, model.delete(o.key) ? 1 : 0);
          } else if (o.kind === 'deleteRange') {
            const gone = [...model.keys()].filter((k) => inRange(k, o.key, o.end));
            for (const k of gone) model.delete(k);
            assert.equal(store.deleteRange({ key: buf(o.key), rangeEnd: buf(o.end) }).deleted, gone.length);
          } else {
            const want = [...model.keys()].filter((k) => inRange(k, o.key, o.end)).sort();
            const res = store.range(range(o.key, o.end, o.limit));
            const limited = o.limit > 0 ? want.slice(0, o.limit) : want;
            assert.deepEqual(
              res.kvs.map((kv) => [kv.key.toString('latin1'), kv.value.toString('latin1')]),
              limited.map((k) => [k, model.get(k)]),
            );
            assert.equal(res.count, want.length);
            assert.equal(res.more, limited.length < want.length);
          }
        }
        assert.equal(store.range(range('\u0000', '\u0000')).count, model.size);
      }),
      { numRuns: 300 },
    );
  });
});
