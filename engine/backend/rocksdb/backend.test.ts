import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Backend, Change } from '../backend.ts';
import { cp, readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { RocksDB, collect } from './binding.ts';
import { ROCKSDB_SUBDIR, createRocksdbBackend } from './index.ts';
import { encodePut } from './codec.ts';
import { META_REVISION, PREFIX_LEASE_KEYS, changeKey, prefixEnd, u64 } from './keys.ts';
import { MiniStore, str, tempDir } from './test-support.ts';

const b = (s: string) => Buffer.from(s);
const keysOf = (r: { kvs: { key: Buffer }[] }) => r.kvs.map((kv) => kv.key.toString());

describe('rocksdb backend: reads as of a revision', () => {
  let dir: { dir: string; cleanup: () => Promise<void> };
  let be: Backend;
  let s: MiniStore;
  before(async () => {
    dir = await tempDir();
    be = createRocksdbBackend({ dataDir: dir.dir, sync: 'always', log: () => {} });
    const rec = await be.open();
    assert.deepEqual(rec, { revision: 1, compactRevision: 0, leases: [] });
    s = new MiniStore(be);
    // The worked example of backend.ts plus neighbours: put a@2, a@3, del a@4, put a@5.
    await s.txn([{ put: 'a' }, { put: 'b' }]); // 2
    await s.txn([{ put: 'a' }]); // 3
    await s.txn([{ del: 'a' }, { put: 'a\0' }]); // 4
    await s.txn([{ put: 'a' }, { put: 'ab' }, { del: 'b' }]); // 5
  });
  after(async () => {
    await be.close();
    await dir.cleanup();
  });

  it('get answers with the newest version at each revision', async () => {
    assert.equal(str(await be.get(b('a'), 2)), 'a=a@2 c2 m2 v1');
    assert.equal(str(await be.get(b('a'), 3)), 'a=a@3 c2 m3 v2');
    assert.equal(await be.get(b('a'), 4), undefined);
    assert.equal(str(await be.get(b('a'), 5)), 'a=a@5 c5 m5 v1');
    assert.equal(str(await be.get(b('b'), 4)), 'b=b@2 c2 m2 v1');
    assert.equal(await be.get(b('b'), 5), undefined);
    assert.equal(await be.get(b('zz'), 5), undefined);
  });

  it('ranges at the current and at past revisions, with limit and count', async () => {
    const all = { key: b('\0'), rangeEnd: b('\0'), limit: 0 };
    assert.deepEqual(keysOf(await be.range({ ...all, revision: 5 })), ['a', 'a\0', 'ab']);
    assert.deepEqual(keysOf(await be.range({ ...all, revision: 4 })), ['a\0', 'b']);
    assert.deepEqual(keysOf(await be.range({ ...all, revision: 3 })), ['a', 'b']);
    const limited = await be.range({ key: b('a'), rangeEnd: b('b'), limit: 2, revision: 5 });
    assert.deepEqual(keysOf(limited), ['a', 'a\0']);
    assert.equal(limited.count, 3);
    const counted = await be.range({ key: b('a'), rangeEnd: b('c'), limit: 0, revision: 4, countOnly: true });
    assert.deepEqual(counted, { kvs: [], count: 2 });
    const fromKey = await be.range({ key: b('ab'), rangeEnd: b('\0'), limit: 0, revision: 5 });
    assert.deepEqual(keysOf(fromKey), ['ab']);
    const single = await be.range({ key: b('a'), limit: 0, revision: 3 });
    assert.deepEqual(single.kvs.map(str), ['a=a@3 c2 m3 v2']);
  });

  it('history replays changes in revision order, filtered by key range and limited', async () => {
    const h = await be.history(3, b('a'), b('b'), 0);
    assert.deepEqual(
      h.map((c) => `${c.type} ${(c.type === 'put' ? c.kv.key : c.key).toString()} ${c.main}.${c.sub}`),
      ['put a 3.0', 'delete a 4.0', 'put a\0 4.1', 'put a 5.0', 'put ab 5.1'],
    );
    const one = await be.history(2, b('b'), undefined, 1);
    assert.equal(one.length, 1);
    assert.equal(one[0].type === 'put' && one[0].kv.key.toString(), 'b');
    const put = h[0];
    assert.equal(put.type === 'put' && str(put.kv), 'a=a@3 c2 m3 v2');
  });

  it('reports stats from its counters', async () => {
    const st = await be.stats();
    assert.equal(st.engine, 'rocksdb');
    assert.equal(st.keyCount, 3);
    assert.equal(st.revision, 5);
    assert.equal(st.compactRevision, 0);
    assert.ok(st.diskBytes > 0, `diskBytes ${st.diskBytes}`);
  });
});

describe('rocksdb backend: compaction', () => {
  it('drops history below the compact revision, keeps what reads at or above it need', async () => {
    const dir = await tempDir();
    const be = createRocksdbBackend({ dataDir: dir.dir, sync: 'none', log: () => {} });
    try {
      await be.open();
      const s = new MiniStore(be);
      for (let i = 0; i < 50; i++) await s.txn([{ put: 'k1' }, { put: `gone${i % 5}` }]); // 2..51
      await s.txn(['gone0', 'gone1', 'gone2', 'gone3', 'gone4'].map((k) => ({ del: k }))); // 52
      await s.txn([{ put: 'k2' }]); // 53
      await s.txn([{ put: 'gone0' }]); // 54: recreated after the compact revision
      await s.meta({ compact: 53 });
      const { beforeBytes, afterBytes } = await be.defragment(); // waits for the sweep
      assert.ok(beforeBytes > 0 && afterBytes > 0, `${beforeBytes} -> ${afterBytes}`);

      assert.equal(str(await be.get(b('k1'), 53)), 'k1=k1@51 c2 m51 v50');
      assert.equal(str(await be.get(b('gone0'), 54)), 'gone0=gone0@54 c54 m54 v1');
      assert.equal(await be.get(b('gone1'), 53), undefined);
      assert.deepEqual(keysOf(await be.range({ key: b('\0'), rangeEnd: b('\0'), limit: 0, revision: 53 })), ['k1', 'k2']);
      // The backend itself still answers below 53 (the store refuses first): the versions are gone.
      assert.equal(await be.get(b('k1'), 10), undefined);
      assert.equal(await be.get(b('gone1'), 30), undefined);
      // Changes below 53 are gone; 53 and later remain for watchers.
      const h = await be.history(1, b('\0'), b('\0'), 0);
      assert.deepEqual(h.map((c) => c.main), [53, 54]);
      const st = await be.stats();
      assert.equal(st.compactRevision, 53);
      assert.equal(st.keyCount, 3);
    } finally {
      await be.close();
      await dir.cleanup();
    }
  });
});

describe('rocksdb backend: leases and reopening', () => {
  it('tracks lease keys, survives close and reopen with revision, leases and counts', async () => {
    const dir = await tempDir();
    let be = createRocksdbBackend({ dataDir: dir.dir, sync: 'always', log: () => {} });
    await be.open();
    const s = new MiniStore(be);
    await s.meta({ leaseGrants: [{ id: 7, ttlSec: 30 }, { id: 8, ttlSec: 60 }] });
    await s.txn([{ put: 'x', lease: 7 }, { put: 'y', lease: 7 }, { put: 'z', lease: 8 }]); // 2
    await s.txn([{ put: 'y', lease: 8 }, { del: 'x' }]); // 3: y moves to lease 8, x goes
    assert.deepEqual((await be.leaseKeys(7)).map(String), []);
    assert.deepEqual((await be.leaseKeys(8)).map(String).sort(), ['y', 'z']);
    await s.meta({ leaseRevokes: [7] });
    await be.close();

    be = createRocksdbBackend({ dataDir: dir.dir, sync: 'always', log: () => {} });
    try {
      const rec = await be.open();
      assert.deepEqual(rec, { revision: 3, compactRevision: 0, leases: [{ id: 8, ttlSec: 60 }] });
      assert.equal((await be.stats()).keyCount, 2);
      assert.equal(str(await be.get(b('y'), 3)), 'y=y@3 c2 m3 v2');
      assert.equal(str(await be.get(b('x'), 2)), 'x=x@2 c2 m2 v1');
      assert.deepEqual((await be.leaseKeys(8)).map(String).sort(), ['y', 'z']);
    } finally {
      await be.close();
      await dir.cleanup();
    }
  });
});

describe('rocksdb backend: lease attachments on disk', () => {
  it('drops a key from its old lease when it moves to another lease or is deleted', async () => {
    const dir = await tempDir();
    try {
      const be = createRocksdbBackend({ dataDir: dir.dir, sync: 'always', log: () => {} });
      await be.open();
      const s = new MiniStore(be);
      await s.meta({ leaseGrants: [{ id: 9, ttlSec: 30 }, { id: 10, ttlSec: 30 }] });
      await s.txn([{ put: 'p', lease: 9 }, { put: 'q', lease: 9 }, { put: 'r', lease: 9 }]);
      await s.txn([{ put: 'p', lease: 10 }, { del: 'q' }, { put: 'r' }]);
      assert.deepEqual((await be.leaseKeys(9)).map(String), []);
      await be.close();
      const raw = new RocksDB(join(dir.dir, ROCKSDB_SUBDIR));
      await raw.ready();
      try {
        const rows = await collect(raw, { gte: PREFIX_LEASE_KEYS, lt: prefixEnd(PREFIX_LEASE_KEYS) });
        assert.deepEqual(rows.map((r) => `${r.key.readUInt32BE(6)}:${r.key.subarray(10).toString()}`), ['10:p']);
      } finally {
        await raw.close();
      }
    } finally {
      await dir.cleanup();
    }
  });
});

describe('rocksdb backend: change log entries', () => {
  const put = (main: number, sub: number, key: string): Change => ({
    type: 'put',
    main,
    sub,
    kv: { key: b(key), value: b(`${key}@${main}`), createRevision: main, modRevision: main, version: 1, lease: 0 },
  });
  const ids = (h: Change[]) => h.map((c) => `${c.main}.${c.sub}`);

  it('replays a batch of many revisions from any revision in it, and after a compaction inside it', async () => {
    const dir = await tempDir();
    const be = createRocksdbBackend({ dataDir: dir.dir, sync: 'always', log: () => {} });
    try {
      await be.open();
      // One batch of five revisions (a group commit): one r/ entry holds all of them.
      const changes = [2, 3, 4, 5, 6].map((main) => put(main, 0, `k${main}`));
      await be.commit({ revision: 6, changes, leaseGrants: [], leaseRevokes: [], requests: 5 });
      assert.deepEqual(ids(await be.history(4, b('\0'), b('\0'), 0)), ['4.0', '5.0', '6.0']);
      assert.deepEqual(ids(await be.history(3, b('\0'), b('\0'), 2)), ['3.0', '4.0']);
      assert.deepEqual(ids(await be.history(2, b('k5'), undefined, 0)), ['5.0']);
      await be.commit({ revision: 6, changes: [], leaseGrants: [], leaseRevokes: [], requests: 1, compact: 5 });
      await be.defragment();
      assert.deepEqual(ids(await be.history(1, b('\0'), b('\0'), 0)), ['5.0', '6.0']);
    } finally {
      await be.close();
      await dir.cleanup();
    }
  });

  it('splits a revision of more than 256 changes over several entries', async () => {
    const dir = await tempDir();
    const be = createRocksdbBackend({ dataDir: dir.dir, sync: 'none', log: () => {} });
    try {
      await be.open();
      const changes = Array.from({ length: 600 }, (_, sub) => put(2, sub, `key${String(sub).padStart(3, '0')}`));
      await be.commit({ revision: 2, changes, leaseGrants: [], leaseRevokes: [], requests: 1 });
      await be.commit({ revision: 3, changes: [put(3, 0, 'last')], leaseGrants: [], leaseRevokes: [], requests: 1 });
      const h = await be.history(2, b('\0'), b('\0'), 0);
      assert.equal(h.length, 601);
      assert.deepEqual(ids(h).slice(254, 258), ['2.254', '2.255', '2.256', '2.257']);
      assert.deepEqual(ids(h).slice(-2), ['2.599', '3.0']);
      assert.deepEqual(ids(await be.history(2, b('key300'), b('key302'), 0)), ['2.300', '2.301']);
      assert.equal(ids(await be.history(2, b('\0'), b('\0'), 300)).at(-1), '2.299');
    } finally {
      await be.close();
      await dir.cleanup();
    }
  });

  it('still reads the one-change-per-entry log of older databases', async () => {
    const dir = await tempDir();
    try {
      let be = createRocksdbBackend({ dataDir: dir.dir, sync: 'always', log: () => {} });
      await be.open();
      await be.commit({ revision: 2, changes: [put(2, 0, 'new')], leaseGrants: [], leaseRevokes: [], requests: 1 });
      await be.close();
      // An entry as the previous layout wrote it: u32 key length | key | record, under r/<3><0>.
      const raw = new RocksDB(join(dir.dir, ROCKSDB_SUBDIR));
      await raw.ready();
      const record = encodePut({ key: b('old'), value: b('old@3'), createRevision: 3, modRevision: 3, version: 1, lease: 0 });
      const legacy = Buffer.alloc(4 + 3 + record.length);
      legacy.writeUInt32BE(3, 0);
      legacy.write('old', 4);
      record.copy(legacy, 7);
      const w = raw.write({ autoDestroy: true });
      w.tryPut(changeKey(3, 0), legacy);
      w.tryPut(META_REVISION, u64(3));
      await w.flush();
      await raw.close();
      be = createRocksdbBackend({ dataDir: dir.dir, sync: 'always', log: () => {} });
      await be.open();
      try {
        const h = await be.history(2, b('\0'), b('\0'), 0);
        assert.deepEqual(ids(h), ['2.0', '3.0']);
        assert.equal(h[1].type === 'put' && str(h[1].kv), 'old=old@3 c3 m3 v1');
      } finally {
        await be.close();
      }
    } finally {
      await dir.cleanup();
    }
  });
});

describe('rocksdb backend: zeros ahead in the WAL', () => {
  it('keeps zeros past the data of the live WAL, and a copy taken while open (a crash image) reopens with every synced batch', async () => {
    const dir = await tempDir();
    const copy = await tempDir();
    const be = createRocksdbBackend({ dataDir: dir.dir, sync: 'always', log: () => {} });
    await be.open();
    try {
      const s = new MiniStore(be);
      for (let i = 0; i < 20; i++) await s.txn([{ put: `k${i}` }, { put: 'same', value: `v${i}` }]); // 2..21
      const dbDir = join(dir.dir, ROCKSDB_SUBDIR);
      const logs = (await readdir(dbDir)).filter((n) => n.endsWith('.log'));
      const sizes = await Promise.all(logs.map(async (n) => (await stat(join(dbDir, n))).size));
      const live = logs[sizes.indexOf(Math.max(...sizes))];
      const bytes = await readFile(join(dbDir, live));
      assert.ok(bytes.length >= 2 ** 20, `live WAL ${live} is ${bytes.length} bytes`);
      assert.ok(bytes.subarray(bytes.length - 256 * 1024).every((x) => x === 0), 'the WAL ends in zeros');
      assert.ok(bytes.subarray(0, 4096).some((x) => x !== 0), 'the WAL starts with data');
      // The disk figure leaves the zeros out.
      assert.ok((await be.stats()).diskBytes < 512 * 1024, `diskBytes ${(await be.stats()).diskBytes}`);
      await cp(dbDir, join(copy.dir, ROCKSDB_SUBDIR), { recursive: true });
      // The marker too: a directory holding a database but no marker is refused.
      await cp(join(dir.dir, 'metastore.json'), join(copy.dir, 'metastore.json'));
    } finally {
      await be.close();
      await dir.cleanup();
    }
    const again = createRocksdbBackend({ dataDir: copy.dir, sync: 'always', log: () => {} });
    try {
      const rec = await again.open();
      assert.equal(rec.revision, 21);
      assert.equal(str(await again.get(b('same'), 21)), 'same=v19 c2 m21 v20');
      assert.equal(str(await again.get(b('k0'), 21)), 'k0=k0@2 c2 m2 v1');
      assert.equal((await again.history(2, b('\0'), b('\0'), 0)).length, 40);
      const s = new MiniStore(again, 21);
      await s.txn([{ put: 'after' }]); // the recovered store takes writes (and a new WAL)
      assert.equal(str(await again.get(b('after'), 22)), 'after=after@22 c22 m22 v1');
    } finally {
      await again.close();
      await copy.cleanup();
    }
  });
});
