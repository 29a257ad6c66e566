// KeyHistory against a plain array model: reads at every revision and etcd's compaction rule,
// for histories of one change (stored without an array) and of several.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { Change } from '../backend.ts';
import { KeyHistory } from './key-history.ts';

const KEY = Buffer.from('k');

function change(type: 'put' | 'delete', main: number): Change {
  if (type === 'delete') return { type, main, sub: 0, key: KEY };
  return { type, main, sub: 0, kv: { key: KEY, createRevision: 1, modRevision: main, version: 1, value: Buffer.from(`v${main}`), lease: 0 } };
}

/** The model: newest change with main <= revision; compaction as etcd's keyIndex. */
function modelAt(changes: Change[], rev: number): Change | undefined {
  return changes.filter((c) => c.main <= rev).at(-1);
}

function modelCompact(changes: Change[], rev: number): Change[] {
  const i = changes.findLastIndex((c) => c.main <= rev);
  if (i < 0) return changes;
  return changes.slice(changes[i].type === 'delete' ? i + 1 : i);
}

describe('KeyHistory', () => {
  it('follows the worked example of the file comment', () => {
    const h = new KeyHistory('k', change('put', 2));
    for (const [t, m] of [['put', 3], ['delete', 4], ['put', 5]] as const) h.push(change(t, m));
    assert.equal(h.valueAt(3)?.modRevision, 3);
    assert.equal(h.valueAt(4), undefined);
    assert.equal(h.at(1), undefined);
    h.compact(3);
    assert.deepEqual(h.changes.map((c) => c.main), [3, 4, 5]);
    h.compact(4);
    assert.deepEqual(h.changes.map((c) => c.main), [5]);
    assert.equal(h.oldest?.main, 5);
  });

  it('a lone tombstone is compacted away, a lone put is kept', () => {
    const del = new KeyHistory('k', change('delete', 4));
    del.compact(3);
    assert.equal(del.empty, false);
    del.compact(4);
    assert.equal(del.empty, true);
    assert.equal(del.latest(), undefined);
    assert.equal(del.oldest, undefined);
    const put = new KeyHistory('k', change('put', 4));
    put.compact(9);
    assert.equal(put.empty, false);
    assert.equal(put.latest()?.modRevision, 4);
  });

  it('matches the array model for random histories, reads and compactions', () => {
    const step = fc.record({ del: fc.boolean(), gap: fc.integer({ min: 1, max: 3 }), compact: fc.option(fc.integer({ min: 0, max: 4 })) });
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 12 }), (steps) => {
        let main = 1;
        let model: Change[] = [];
        let h: KeyHistory | undefined;
        for (const s of steps) {
          main += s.gap;
          const c = change(s.del ? 'delete' : 'put', main);
          model.push(c);
          if (h === undefined) h = new KeyHistory('k', c);
          else h.push(c);
          if (s.compact !== null) {
            model = modelCompact(model, main - s.compact);
            h.compact(main - s.compact);
          }
          assert.deepEqual(h.changes, model);
          assert.equal(h.empty, model.length === 0);
          assert.equal(h.oldest, model[0]);
          for (let rev = 0; rev <= main + 1; rev++) assert.equal(h.at(rev), modelAt(model, rev));
          const last = model.at(-1);
          assert.equal(h.latest(), last?.type === 'put' ? last.kv : undefined);
        }
      }),
    );
  });
});
