import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KeyValue } from '../../mvcc/types.ts';
import { createRocksdbBackend } from './index.ts';
import { RangeCache } from './range-cache.ts';
import { MiniStore, str, tempDir } from './test-support.ts';

const b = (s: string) => Buffer.from(s);
const kv = (key: string, value = 'v'): KeyValue => ({ key: b(key), value: b(value), createRevision: 2, modRevision: 2, version: 1, lease: 0 });
const keys = (kvs: KeyValue[] | undefined) => kvs?.map((x) => x.key.toString());

describe('range cache', () => {
  it('answers at or above the revision it was filled at, until a commit touches its range', () => {
    const c = new RangeCache(1 << 20);
    c.set(b('a'), b('c'), 7, [kv('a'), kv('b')]);
    assert.equal(c.get(b('a'), b('c'), 6), undefined);
    assert.deepEqual(keys(c.get(b('a'), b('c'), 9)), ['a', 'b']);
    assert.equal(c.get(b('a'), b('d'), 9), undefined);
    c.invalidate(['c', 'x', '']);
    assert.deepEqual(keys(c.get(b('a'), b('c'), 9)), ['a', 'b']);
    c.invalidate(['bz']);
    assert.equal(c.get(b('a'), b('c'), 9), undefined);
    c.set(b('m'), b('\0'), 3, [kv('m')]);
    c.invalidate(['l']);
    assert.equal(c.size, 1);
    c.invalidate(['\xff\xff']);
    assert.equal(c.size, 0);
  });

  it('stays within its byte and entry bounds, dropping the least recently used', () => {
    const c = new RangeCache(64 * 1024);
    const big = Array.from({ length: 100 }, (_, i) => kv(`k${i}`, 'x'.repeat(100)));
    assert.equal(big.reduce((n, x) => n + x.key.length + x.value.length + 96, 0) > 16 * 1024, true);
    c.set(b('k'), b('l'), 1, big); // over a quarter of the budget: not kept
    assert.equal(c.size, 0);
    const small = big.slice(0, 20); // ~4.4 KiB each time
    for (let i = 0; i < 10; i++) c.set(b(`p${i}`), b(`p${i}z`), 1, small);
    assert.ok(c.get(b('p0'), b('p0z'), 1) !== undefined); // p0 is now the most recently used
    for (let i = 10; i < 20; i++) c.set(b(`p${i}`), b(`p${i}z`), 1, small);
    assert.ok(c.size < 20 && c.size > 5, `size ${c.size}`);
    assert.ok(c.get(b('p0'), b('p0z'), 1) !== undefined);
    assert.equal(c.get(b('p1'), b('p1z'), 1), undefined);
    const many = new RangeCache(1 << 30);
    for (let i = 0; i < 100; i++) many.set(b(`q${i}`), b(`q${i}z`), 1, [kv(`q${i}a`)]);
    assert.equal(many.size, 32);
    assert.equal(new RangeCache(0).size, 0);
  });

  it('serves repeated ranges of the backend exactly, including limit, count and revisions', async () => {
    const d = await tempDir();
    const be = createRocksdbBackend({ dataDir: d.dir, sync: 'always', log: () => {} });
    await be.open();
    try {
      const s = new MiniStore(be);
      await s.txn([{ put: 'a/1' }, { put: 'a/2' }, { put: 'a/3' }, { put: 'b/1' }]); // 2
      const q = { key: b('a/'), rangeEnd: b('a0'), limit: 0 };
      const first = await be.range({ ...q, revision: 2 });
      assert.deepEqual(first.kvs.map(str), ['a/1=a/1@2 c2 m2 v1', 'a/2=a/2@2 c2 m2 v1', 'a/3=a/3@2 c2 m2 v1']);
      first.kvs.pop(); // a caller's copy: the cached answer is not changed
      assert.equal((await be.range({ ...q, revision: 2 })).kvs.length, 3);
      assert.deepEqual(await be.range({ ...q, revision: 2, countOnly: true }), { kvs: [], count: 3 });
      const limited = await be.range({ ...q, revision: 2, limit: 2 });
      assert.deepEqual([limited.kvs.length, limited.count], [2, 3]);
      await s.txn([{ put: 'b/2' }]); // 3: outside the range
      assert.equal((await be.range({ ...q, revision: 3 })).kvs.length, 3);
      await s.txn([{ put: 'a/2', value: 'new' }, { del: 'a/3' }]); // 4
      assert.deepEqual((await be.range({ ...q, revision: 4 })).kvs.map(str), ['a/1=a/1@2 c2 m2 v1', 'a/2=new c2 m4 v2']);
      // An older revision is read from RocksDB, not from the answer cached at 4.
      assert.equal((await be.range({ ...q, revision: 3 })).kvs.length, 3);
      await s.txn([{ put: 'a/4' }]); // 5
      assert.equal((await be.range({ ...q, revision: 5 })).count, 3);
    } finally {
      await be.close();
      await d.cleanup();
    }
  });
});
