// The memory engine's index on its own: versioned reads, history for watch catch-up, etcd's
// compaction rule (keep the newest version at or below the point unless it is a tombstone),
// lease attachment and the live-key count, and recovery of all of it from the log.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Backend, Change, CommitBatch } from '../backend.ts';
import type { KeyValue } from '../../mvcc/types.ts';
import { tempDir } from '../../testing/harness.ts';
import { createMemoryBackend } from './index.ts';

const b = (s: string): Buffer => Buffer.from(s);
const kv = (key: string, value: string, create: number, mod: number, version: number, lease = 0): KeyValue => ({
  key: b(key),
  value: b(value),
  createRevision: create,
  modRevision: mod,
  version,
  lease,
});
const put = (main: number, v: KeyValue): Change => ({ type: 'put', main, sub: 0, kv: v });
const del = (main: number, key: string): Change => ({ type: 'delete', main, sub: 0, key: b(key) });
const batch = (revision: number, changes: Change[], extra: Partial<CommitBatch> = {}): CommitBatch => ({
  revision,
  changes,
  leaseGrants: [],
  leaseRevokes: [],
  requests: 1,
  ...extra,
});
const describeChange = (c: Change): string => (c.type === 'put' ? `put ${c.kv.key}@${c.main}` : `del ${c.key}@${c.main}`);

async function withBackend(body: (be: Backend, reopen: () => Promise<Backend>) => Promise<void>): Promise<void> {
  const { dir, remove } = await tempDir('memory-index');
  let be = createMemoryBackend({ dataDir: dir, sync: 'none' });
  await be.open();
  try {
    await body(be, async () => {
      await be.close();
      be = createMemoryBackend({ dataDir: dir, sync: 'none' });
      await be.open();
      return be;
    });
  } finally {
    await be.close();
    await remove();
  }
}

/** put a@2, put a@3, del a@4, put a@5, put b@6 (the worked example of backend.ts, plus b). */
async function example(be: Backend): Promise<void> {
  await be.commit(batch(2, [put(2, kv('a', '1', 2, 2, 1))]));
  await be.commit(batch(3, [put(3, kv('a', '2', 2, 3, 2))]));
  await be.commit(batch(4, [del(4, 'a')]));
  await be.commit(batch(5, [put(5, kv('a', '3', 5, 5, 1))]));
  await be.commit(batch(6, [put(6, kv('b', 'x', 6, 6, 1))]));
}

describe('memory engine index', () => {
  it('answers reads as of a revision', async () => {
    await withBackend(async (be) => {
      await example(be);
      assert.equal((await be.get(b('a'), 3))?.value.toString(), '2');
      assert.equal(await be.get(b('a'), 4), undefined);
      assert.equal((await be.get(b('a'), 5))?.version, 1);
      const r = await be.range({ key: b('a'), rangeEnd: b('c'), revision: 4, limit: 0 });
      assert.deepEqual([r.count, r.kvs.length], [0, 0]);
      const now = await be.range({ key: b('a'), rangeEnd: b('c'), revision: 6, limit: 1 });
      assert.deepEqual([now.count, now.kvs.map((x) => x.key.toString())], [2, ['a']]);
      assert.equal((await be.stats()).keyCount, 2);
    });
  });

  it('returns history in revision order for a key and for a range, with a limit', async () => {
    await withBackend(async (be) => {
      await example(be);
      assert.deepEqual((await be.history(3, b('a'), undefined, 0)).map(describeChange), ['put a@3', 'del a@4', 'put a@5']);
      assert.deepEqual((await be.history(4, b('a'), b('z'), 2)).map(describeChange), ['del a@4', 'put a@5']);
      assert.deepEqual((await be.history(1, b('b'), Buffer.from([0]), 0)).map(describeChange), ['put b@6']);
    });
  });

  it('compacts as etcd does and survives a reopen', async () => {
    await withBackend(async (be, reopen) => {
      await example(be);
      await be.commit(batch(6, [], { compact: 3 }));
      assert.equal((await be.get(b('a'), 3))?.value.toString(), '2', 'newest version <= 3 is kept');
      assert.deepEqual((await be.history(1, b('a'), b('z'), 0)).map(describeChange), ['put a@3', 'del a@4', 'put a@5', 'put b@6']);
      await be.commit(batch(6, [], { compact: 4 }));
      // The newest version <= 4 is a tombstone: it goes, with everything before it.
      assert.deepEqual((await be.history(1, b('a'), undefined, 0)).map(describeChange), ['put a@5']);
      await be.commit(batch(7, [del(7, 'b')]));
      await be.commit(batch(7, [], { compact: 7 }));
      assert.deepEqual((await be.history(1, b('a'), b('z'), 0)).map(describeChange), ['put a@5']);
      const again = await reopen();
      const st = await again.stats();
      assert.deepEqual([st.revision, st.compactRevision, st.keyCount], [7, 7, 1]);
      assert.deepEqual((await again.history(1, b('a'), b('z'), 0)).map(describeChange), ['put a@5']);
    });
  });

  it('tracks which keys a lease holds through puts, overwrites, deletes and revokes', async () => {
    await withBackend(async (be, reopen) => {
      await be.commit(batch(1, [], { leaseGrants: [{ id: 7, ttlSec: 30 }] }));
      await be.commit(batch(2, [put(2, kv('x', '1', 2, 2, 1, 7))]));
      await be.commit(batch(3, [put(3, kv('y', '1', 3, 3, 1, 7))]));
      await be.commit(batch(4, [put(4, kv('x', '2', 2, 4, 2, 0))]));
      assert.deepEqual((await be.leaseKeys(7)).map(String), ['y']);
      const again = await reopen();
      assert.deepEqual((await again.leaseKeys(7)).map(String), ['y']);
      await again.commit(batch(5, [del(5, 'y')], { leaseRevokes: [7] }));
      assert.deepEqual(await again.leaseKeys(7), []);
      const state = await reopen();
      assert.deepEqual(await state.leaseKeys(7), []);
    });
  });
});
