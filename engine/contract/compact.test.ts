// Compaction and reopen contract: which revisions stay readable after Compact, etcd's errors
// for compacted and future revisions, and that data, revisions and history survive a reopen.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ErrorMessages } from '../mvcc/errors.ts';
import { engines } from '../testing/engines.ts';
import { b, WatchRecorder, withStore } from '../testing/harness.ts';

for (const engine of engines) {
  describe(`compact contract: ${engine.name}`, () => {
    it('keeps every revision >= the compaction point readable, exactly as before', async () => {
      await withStore(engine, async (s) => {
        await s.put({ key: b('a'), value: b('1') }); // 2
        await s.put({ key: b('a'), value: b('2') }); // 3
        await s.deleteRange({ key: b('a') }); // 4
        await s.put({ key: b('a'), value: b('3') }); // 5
        await s.put({ key: b('b'), value: b('1') }); // 6
        await s.deleteRange({ key: b('b') }); // 7
        const before = new Map<number, string>();
        for (let rev = 3; rev <= 7; rev++) {
          const r = await s.range({ key: b('a'), rangeEnd: b('c'), revision: rev });
          before.set(rev, JSON.stringify(r.kvs));
        }
        const c = await s.compact({ revision: 3 });
        assert.equal(c.header.revision, 7);
        for (let rev = 3; rev <= 7; rev++) {
          const r = await s.range({ key: b('a'), rangeEnd: b('c'), revision: rev });
          assert.equal(JSON.stringify(r.kvs), before.get(rev), `revision ${rev}`);
        }
        await s.compact({ revision: 7 });
        const r = await s.range({ key: b('a'), rangeEnd: b('c'), revision: 7 });
        assert.deepEqual(r.kvs.map((kv) => `${kv.key}=${kv.value}@${kv.modRevision}`), ['a=3@5']);
        assert.equal((await s.status()).compactRevision, 7);
      });
    });

    it('refuses compacting at or below the compacted revision and above the current one', async () => {
      await withStore(engine, async (s) => {
        await s.put({ key: b('a'), value: b('1') }); // 2
        await s.put({ key: b('a'), value: b('2') }); // 3
        await assert.rejects(s.compact({ revision: 4 }), { message: ErrorMessages.futureRev });
        await s.compact({ revision: 2 });
        await assert.rejects(s.compact({ revision: 2 }), { message: ErrorMessages.compacted });
        await assert.rejects(s.compact({ revision: 1 }), { message: ErrorMessages.compacted });
        await assert.rejects(s.range({ key: b('a'), revision: 1 }), { message: ErrorMessages.compacted });
        await s.compact({ revision: 3 });
      });
    });

    it('replays retained history to a watch from the compaction point', async () => {
      await withStore(engine, async (s) => {
        await s.put({ key: b('w/1'), value: b('a') }); // 2
        await s.put({ key: b('w/2'), value: b('b') }); // 3
        await s.put({ key: b('w/1'), value: b('c') }); // 4
        await s.compact({ revision: 3 });
        const w = WatchRecorder.start(s, { key: b('w/'), rangeEnd: b('w0'), startRevision: 3 });
        await w.waitFor(2);
        assert.deepEqual(w.events, ['PUT w/2=b@3', 'PUT w/1=c@4']);
        w.handle.cancel();
      });
    });
  });

  describe(`reopen contract: ${engine.name}`, () => {
    it('recovers keys, revisions, history and compaction after close and open', async () => {
      await withStore(engine, async (s, ctx) => {
        for (let i = 0; i < 30; i++) await s.put({ key: b(`r/${i % 10}`), value: b(String(i)) }); // 2..31
        await s.deleteRange({ key: b('r/0') }); // 32
        await s.txn({ success: [{ requestPut: { key: b('t'), value: b('x') } }, { requestDeleteRange: { key: b('r/1') } }] }); // 33
        await s.compact({ revision: 20 });
        const before = await s.range({ key: b('r/'), rangeEnd: b('r0') });
        const historical = await s.range({ key: b('r/'), rangeEnd: b('r0'), revision: 25 });
        const again = await ctx.reopen();
        assert.equal(again.header().revision, 33);
        assert.deepEqual(await again.range({ key: b('r/'), rangeEnd: b('r0') }), before);
        assert.deepEqual(
          (await again.range({ key: b('r/'), rangeEnd: b('r0'), revision: 25 })).kvs,
          historical.kvs,
        );
        await assert.rejects(again.range({ key: b('r/2'), revision: 19 }), { message: ErrorMessages.compacted });
        assert.equal((await again.status()).compactRevision, 20);
        assert.equal((await again.status()).keyCount, 9);
        const next = await again.put({ key: b('t'), value: b('y') });
        assert.equal(next.header.revision, 34);
        const t = (await again.range({ key: b('t') })).kvs[0];
        assert.deepEqual([t.createRevision, t.modRevision, t.version], [33, 34, 2]);
      });
    });

    it('recovers a store that crossed several snapshots', async () => {
      await withStore(engine, async (s, ctx) => {
        // A snapshot every 400 requests (the memory engine's cadence; others ignore it).
        const writes: Promise<unknown>[] = [];
        for (let i = 0; i < 3000; i++) writes.push(s.put({ key: b(`s/${i % 500}`), value: b(String(i)) }));
        await Promise.all(writes);
        const again = await ctx.reopen();
        assert.equal(again.header().revision, 3001);
        const r = await again.range({ key: b('s/'), rangeEnd: b('s0'), countOnly: true });
        assert.equal(r.count, 500);
        const one = (await again.range({ key: b('s/7') })).kvs[0];
        assert.deepEqual([one.value.toString(), one.version], ['2507', 6]);
        assert.equal((await again.range({ key: b('s/7'), revision: 9 })).kvs[0]?.value.toString(), '7');
      }, { snapshotCount: 400 });
    });

    it('refuses a second open of the same directory while the first is open', async () => {
      await withStore(engine, async (_s, ctx) => {
        await assert.rejects(engine.open(ctx.dir), /in use|already open|locked/);
      });
    });
  });
}
