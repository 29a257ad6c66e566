import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Backend } from '../backend.ts';
import { createRocksdbBackend } from './index.ts';
import { MiniStore, str, tempDir } from './test-support.ts';

const b = (s: string) => Buffer.from(s);
const all = { key: b('\0'), rangeEnd: b('\0'), limit: 0 };

async function withBackend(body: (be: Backend, s: MiniStore) => Promise<void>, rowCacheBytes?: number): Promise<void> {
  const d = await tempDir();
  const be = createRocksdbBackend({ dataDir: d.dir, sync: 'always', log: () => {}, rowCacheBytes });
  await be.open();
  try {
    await body(be, new MiniStore(be));
  } finally {
    await be.close();
    await d.cleanup();
  }
}

describe('rocksdb backend: reads while a commit is in flight', () => {
  for (const cache of [undefined, 0]) {
    it(`answer as of the asked revision, never the newer one (row cache ${cache === 0 ? 'off' : 'on'})`, async () => {
      await withBackend(async (be, s) => {
        await s.txn([{ put: 'a', value: 'a1' }, { put: 'b', value: 'b1' }, { put: 'c', value: 'c1' }]); // 2
        for (let round = 0; round < 30; round++) {
          const rev = s.revision;
          const before = {
            a: str(await be.get(b('a'), rev)),
            b: str(await be.get(b('b'), rev)),
            range: (await be.range({ ...all, revision: rev })).kvs.map(str),
          };
          // Start the next commit and read at the old revision while RocksDB applies it.
          const commit = s.txn(round % 2 === 0 ? [{ put: 'a' }, { del: 'b' }, { put: 'd' }] : [{ put: 'b' }, { del: 'd' }]);
          const reads: Promise<unknown>[] = [];
          for (let i = 0; i < 20; i++) {
            reads.push(
              (async () => {
                await new Promise((r) => setImmediate(r));
                assert.equal(str(await be.get(b('a'), rev)), before.a, `get a at ${rev}, round ${round}`);
                assert.equal(str(await be.get(b('b'), rev)), before.b, `get b at ${rev}, round ${round}`);
                assert.deepEqual((await be.range({ ...all, revision: rev })).kvs.map(str), before.range, `range at ${rev}, round ${round}`);
              })(),
            );
          }
          await Promise.all([commit, ...reads]);
        }
      }, cache);
    });
  }
});

describe('rocksdb backend: compaction in chunks', () => {
  it('sweeps thousands of keys in several chunks while commits continue, and keeps recreated keys', async () => {
    await withBackend(async (be, s) => {
      const n = 2500;
      const keys = Array.from({ length: n }, (_, i) => `k${String(i).padStart(5, '0')}`);
      await s.txn(keys.map((k) => ({ put: k })));
      await s.txn(keys.map((k) => ({ put: k })));
      const deleted = await s.txn(keys.map((k) => ({ del: k }))); // every key gets a tombstone
      await s.txn([{ put: 'k00007' }]);
      await s.meta({ compact: deleted + 1 });
      // Commits keep coming while the sweep runs; one recreates a key whose tombstone is swept.
      await s.txn([{ put: 'k00042' }]);
      await s.txn([{ put: 'late' }]);
      await be.defragment();
      const r = await be.range({ ...all, revision: s.revision });
      assert.deepEqual(r.kvs.map((kv) => kv.key.toString()), ['k00007', 'k00042', 'late']);
      assert.equal(str(await be.get(b('k00042'), s.revision)), `k00042=k00042@${deleted + 2} c${deleted + 2} m${deleted + 2} v1`);
      assert.equal((await be.stats()).keyCount, 3);
      // Every record below the compact revision is gone: even the backend itself finds nothing.
      assert.equal(await be.get(b('k00001'), deleted - 1), undefined);
      assert.equal((await be.range({ ...all, revision: deleted + 1 })).count, 1);
    });
  });

  it('finishes when the deletions fill the last chunk exactly', async () => {
    await withBackend(async (be, s) => {
      const keys = Array.from({ length: 1000 }, (_, i) => ({ put: `e${i}` }));
      for (let i = 0; i < 3; i++) await s.txn(keys); // 2 old versions per key: 2,000 deletions
      await s.meta({ compact: s.revision });
      await be.defragment();
      assert.equal(await be.get(b('e1'), 2), undefined);
      assert.equal((await be.range({ ...all, revision: s.revision, countOnly: true })).count, 1000);
    });
  });

  it('runs an interrupted sweep again on the next open', async () => {
    const d = await tempDir();
    try {
      let be = createRocksdbBackend({ dataDir: d.dir, sync: 'always', log: () => {} });
      await be.open();
      let s = new MiniStore(be);
      for (let i = 0; i < 20; i++) await s.txn([{ put: 'x' }]);
      await s.meta({ compact: s.revision });
      await be.close(); // close stops the sweep at its next chunk (or it already finished)
      be = createRocksdbBackend({ dataDir: d.dir, sync: 'always', log: () => {} });
      const rec = await be.open();
      assert.equal(rec.compactRevision, 21);
      s = new MiniStore(be, rec.revision);
      await be.defragment();
      assert.equal(await be.get(b('x'), 5), undefined);
      assert.equal(str(await be.get(b('x'), 21)), 'x=x@21 c2 m21 v20');
      await be.close();
    } finally {
      await d.cleanup();
    }
  });
});
