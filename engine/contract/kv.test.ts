// KV contract: Range, Put, DeleteRange and revisions, as etcd answers them. Runs against every
// engine in engine/testing/engines.ts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ErrorMessages } from '../mvcc/errors.ts';
import { engines } from '../testing/engines.ts';
import { b, show, withStore } from '../testing/harness.ts';

const keysOf = (kvs: { key: Buffer }[]): string[] => kvs.map((kv) => kv.key.toString());

for (const engine of engines) {
  describe(`kv contract: ${engine.name}`, () => {
    it('starts at revision 1 and numbers puts from 2', async () => {
      await withStore(engine, async (s) => {
        assert.equal(s.header().revision, 1);
        const r = await s.put({ key: b('a'), value: b('1') });
        assert.equal(r.header.revision, 2);
        assert.equal(s.header().revision, 2);
      });
    });

    it('tracks create/mod revision and version across generations', async () => {
      await withStore(engine, async (s) => {
        await s.put({ key: b('k'), value: b('1') }); // 2
        await s.put({ key: b('k'), value: b('2') }); // 3
        assert.deepEqual(show((await s.range({ key: b('k') })).kvs[0]), { key: 'k', value: '2', create: 2, mod: 3, version: 2, lease: 0 });
        const d = await s.deleteRange({ key: b('k') }); // 4
        assert.equal(d.deleted, 1);
        assert.equal(d.header.revision, 4);
        await s.put({ key: b('k'), value: b('3') }); // 5: a new generation
        assert.deepEqual(show((await s.range({ key: b('k') })).kvs[0]), { key: 'k', value: '3', create: 5, mod: 5, version: 1, lease: 0 });
        // Historical reads see each generation.
        assert.equal((await s.range({ key: b('k'), revision: 3 })).kvs[0].value.toString(), '2');
        assert.equal((await s.range({ key: b('k'), revision: 4 })).kvs.length, 0);
        assert.equal((await s.range({ key: b('k'), revision: 1 })).kvs.length, 0);
      });
    });

    it('answers prefix, from-key, all-keys and empty ranges', async () => {
      await withStore(engine, async (s) => {
        for (const k of ['a', 'b/1', 'b/2', 'b/3', 'c', '\u00ff']) await s.put({ key: b(k), value: b('v') });
        const prefix = await s.range({ key: b('b/'), rangeEnd: b('b0') });
        assert.deepEqual(keysOf(prefix.kvs), ['b/1', 'b/2', 'b/3']);
        assert.equal(prefix.count, 3);
        assert.deepEqual(keysOf((await s.range({ key: b('b/2'), rangeEnd: Buffer.from([0]) })).kvs), ['b/2', 'b/3', 'c', '\u00ff']);
        assert.equal((await s.range({ key: Buffer.from([0]), rangeEnd: Buffer.from([0]) })).count, 6);
        assert.equal((await s.range({ key: b('c'), rangeEnd: b('a') })).count, 0);
        assert.equal((await s.range({ key: b('zz') })).count, 0);
      });
    });

    it('orders keys by bytes, not by UTF-16 or locale', async () => {
      await withStore(engine, async (s) => {
        const keys = [Buffer.from([0x7f]), Buffer.from([0x80]), Buffer.from([0xff, 0x00]), Buffer.from([0x01])];
        for (const k of keys) await s.put({ key: k, value: b('v') });
        const all = await s.range({ key: Buffer.from([0]), rangeEnd: Buffer.from([0]) });
        assert.deepEqual(
          all.kvs.map((kv) => kv.key.toString('hex')),
          ['01', '7f', '80', 'ff00'],
        );
      });
    });

    it('applies limit with more and count, keysOnly and countOnly', async () => {
      await withStore(engine, async (s) => {
        for (let i = 0; i < 5; i++) await s.put({ key: b(`k${i}`), value: b(`v${i}`) });
        const r = await s.range({ key: b('k'), rangeEnd: b('l'), limit: 2 });
        assert.deepEqual(keysOf(r.kvs), ['k0', 'k1']);
        assert.equal(r.more, true);
        assert.equal(r.count, 5);
        const exact = await s.range({ key: b('k'), rangeEnd: b('l'), limit: 5 });
        assert.equal(exact.more, false);
        const ko = await s.range({ key: b('k'), rangeEnd: b('l'), keysOnly: true });
        assert.deepEqual(ko.kvs.map((kv) => kv.value.length), [0, 0, 0, 0, 0]);
        const co = await s.range({ key: b('k'), rangeEnd: b('l'), countOnly: true });
        assert.deepEqual([co.kvs.length, co.count, co.more], [0, 5, false]);
      });
    });

    it('sorts by every target, then limits (etcd fetches all first)', async () => {
      await withStore(engine, async (s) => {
        await s.put({ key: b('a'), value: b('z') }); // 2
        await s.put({ key: b('b'), value: b('y') }); // 3
        await s.put({ key: b('c'), value: b('x') }); // 4
        await s.put({ key: b('a'), value: b('w') }); // 5: a has version 2
        const range = { key: b('a'), rangeEnd: b('d') };
        assert.deepEqual(keysOf((await s.range({ ...range, sortOrder: 'DESCEND', sortTarget: 'KEY' })).kvs), ['c', 'b', 'a']);
        assert.deepEqual(keysOf((await s.range({ ...range, sortOrder: 'ASCEND', sortTarget: 'MOD' })).kvs), ['b', 'c', 'a']);
        assert.deepEqual(keysOf((await s.range({ ...range, sortOrder: 'DESCEND', sortTarget: 'CREATE' })).kvs), ['c', 'b', 'a']);
        assert.deepEqual(keysOf((await s.range({ ...range, sortOrder: 'DESCEND', sortTarget: 'VERSION' })).kvs)[0], 'a');
        // A non-key target with order NONE sorts ascending, as etcd does.
        assert.deepEqual(keysOf((await s.range({ ...range, sortTarget: 'VALUE' })).kvs), ['a', 'c', 'b']);
        const top = await s.range({ ...range, sortOrder: 'DESCEND', sortTarget: 'MOD', limit: 1 });
        assert.deepEqual([keysOf(top.kvs), top.more, top.count], [['a'], true, 3]);
      });
    });

    it('filters by min/max mod and create revision', async () => {
      await withStore(engine, async (s) => {
        for (const k of ['a', 'b', 'c', 'd']) await s.put({ key: b(k), value: b('v') }); // 2..5
        const range = { key: b('a'), rangeEnd: b('e') };
        assert.deepEqual(keysOf((await s.range({ ...range, minModRevision: 3, maxModRevision: 4 })).kvs), ['b', 'c']);
        assert.deepEqual(keysOf((await s.range({ ...range, minCreateRevision: 5 })).kvs), ['d']);
        const r = await s.range({ ...range, maxCreateRevision: 3, limit: 1 });
        assert.deepEqual([keysOf(r.kvs), r.more, r.count], [['a'], true, 4]);
      });
    });

    it('rejects future and compacted revisions and empty keys with etcd messages', async () => {
      await withStore(engine, async (s) => {
        await s.put({ key: b('a'), value: b('1') });
        await s.put({ key: b('a'), value: b('2') });
        await assert.rejects(s.range({ key: b('a'), revision: 99 }), { message: ErrorMessages.futureRev });
        await s.compact({ revision: 3 });
        await assert.rejects(s.range({ key: b('a'), revision: 2 }), { message: ErrorMessages.compacted });
        assert.equal((await s.range({ key: b('a'), revision: 3 })).kvs[0].value.toString(), '2');
        await assert.rejects(s.range({ key: b('') }), { message: ErrorMessages.emptyKey, code: 'INVALID_ARGUMENT' });
        await assert.rejects(s.put({ key: b(''), value: b('x') }), { message: ErrorMessages.emptyKey });
        await assert.rejects(s.deleteRange({ key: b('') }), { message: ErrorMessages.emptyKey });
      });
    });

    it('returns prevKv on put and delete', async () => {
      await withStore(engine, async (s) => {
        const first = await s.put({ key: b('a'), value: b('1'), prevKv: true });
        assert.equal(first.prevKv, undefined);
        const second = await s.put({ key: b('a'), value: b('2'), prevKv: true });
        assert.deepEqual(show(second.prevKv), { key: 'a', value: '1', create: 2, mod: 2, version: 1, lease: 0 });
        await s.put({ key: b('b'), value: b('3') });
        const d = await s.deleteRange({ key: b('a'), rangeEnd: b('c'), prevKv: true });
        assert.equal(d.deleted, 2);
        assert.deepEqual(d.prevKvs.map((kv) => kv.value.toString()), ['2', '3']);
        assert.equal(d.header.revision, 5);
        const none = await s.deleteRange({ key: b('a'), rangeEnd: b('c') });
        assert.deepEqual([none.deleted, none.header.revision], [0, 5]);
      });
    });

    it('supports ignoreValue and ignoreLease, with etcd errors on a missing key', async () => {
      await withStore(engine, async (s) => {
        await assert.rejects(s.put({ key: b('a'), ignoreValue: true }), { message: 'etcdserver: key not found' });
        await assert.rejects(s.put({ key: b('a'), value: b('x'), ignoreLease: true }), { message: 'etcdserver: key not found' });
        await assert.rejects(s.put({ key: b('a'), value: b('x'), ignoreValue: true }), { message: ErrorMessages.valueProvided });
        await assert.rejects(s.put({ key: b('a'), lease: 5, ignoreLease: true }), { message: ErrorMessages.leaseProvided });
        const lease = await s.leaseGrant(60);
        await s.put({ key: b('a'), value: b('1'), lease: lease.id });
        await s.put({ key: b('a'), ignoreValue: true, lease: lease.id });
        await s.put({ key: b('a'), value: b('2'), ignoreLease: true });
        const kv = (await s.range({ key: b('a') })).kvs[0];
        assert.deepEqual([kv.value.toString(), kv.lease, kv.version], ['2', lease.id, 3]);
        await assert.rejects(s.put({ key: b('x'), value: b('1'), lease: 12345 }), { message: ErrorMessages.leaseNotFound });
      });
    });

    it('does not alias caller buffers', async () => {
      await withStore(engine, async (s) => {
        const key = b('k');
        const value = b('aaaa');
        await s.put({ key, value });
        value.write('bbbb');
        key.write('z');
        assert.equal((await s.range({ key: b('k') })).kvs[0].value.toString(), 'aaaa');
      });
    });

    it('groups concurrent writes without losing or reordering any', async () => {
      await withStore(engine, async (s) => {
        const writes = Array.from({ length: 200 }, (_, i) => s.put({ key: b(`c/${i % 20}`), value: b(String(i)) }));
        const revs = (await Promise.all(writes)).map((r) => r.header.revision);
        assert.deepEqual(revs, Array.from({ length: 200 }, (_, i) => i + 2));
        const all = await s.range({ key: b('c/'), rangeEnd: b('c0') });
        assert.equal(all.count, 20);
        for (const kv of all.kvs) {
          const i = Number(kv.key.toString().slice(2));
          assert.equal(kv.value.toString(), String(180 + i));
          assert.equal(kv.version, 10);
        }
      });
    });

    it('counts live keys in status and refuses requests after close', async () => {
      await withStore(engine, async (s) => {
        await s.put({ key: b('a'), value: b('1') });
        await s.put({ key: b('b'), value: b('1') });
        await s.deleteRange({ key: b('a') });
        const st = await s.status();
        assert.equal(st.keyCount, 1);
        assert.equal(st.engine, engine.engine);
        assert.equal(st.header.revision, 4);
        assert.ok(st.header.clusterId > 0 && st.header.memberId > 0);
        await s.close();
        await assert.rejects(s.put({ key: b('a'), value: b('1') }), { message: ErrorMessages.stopped });
        await assert.rejects(s.range({ key: b('a') }), { message: ErrorMessages.stopped });
      });
    });
  });
}
