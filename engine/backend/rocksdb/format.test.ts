import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { KeyValue } from '../../mvcc/types.ts';
import type { Backend } from '../backend.ts';
import { MARKER_FILE } from '../data-dir.ts';
import { RocksDB, collect } from './binding.ts';
import { encodeChanges, encodePut, encodeTombstone, loggedChangeSize, type LoggedChange } from './codec.ts';
import { ROCKSDB_SUBDIR, createRocksdbBackend } from './index.ts';
import { META_KEY_COUNT, META_REVISION, PREFIX_CURRENT, PREFIX_HISTORY, changeKey, currentKey, historyKey, prefixEnd, u64 } from './keys.ts';
import { MiniStore, str, tempDir } from './test-support.ts';

const b = (s: string) => Buffer.from(s);
const keysOf = (r: { kvs: { key: Buffer }[] }) => r.kvs.map((kv) => kv.key.toString());
const all = { key: b('\0'), rangeEnd: b('\0'), limit: 0 };

function kv(key: string, value: string, createRevision: number, modRevision: number, version: number): KeyValue {
  return { key: b(key), value: b(value), createRevision, modRevision, version, lease: 0 };
}

/** Rows of one key family, as `key@main` (h/) or `key` (k/). */
async function rows(dir: string, prefix: Buffer): Promise<string[]> {
  const db = new RocksDB(join(dir, ROCKSDB_SUBDIR));
  await db.ready();
  try {
    const found = await collect(db, { gte: prefix, lt: prefixEnd(prefix) });
    return found.map((r) => {
      const body = r.key.subarray(prefix.length);
      if (prefix.equals(PREFIX_CURRENT)) return body.toString();
      return `${body.subarray(0, body.length - 18).toString()}@${body.readUInt32BE(body.length - 12)}`;
    });
  } finally {
    await db.close();
  }
}

/**
 * A database as the format-1 layout left it (marker format 1): h/ holds every record, the
 * newest too, and the key count lives in m/keys next to an 8-byte m/rev.
 *   2: put a=a1   3: put a=a2, put b (sub 1)   4: delete b, put c (sub 1)
 */
async function writeFormat1(dir: string): Promise<void> {
  await writeFile(join(dir, MARKER_FILE), JSON.stringify({ engine: 'rocksdb', format: 1 }) + '\n');
  await mkdir(join(dir, ROCKSDB_SUBDIR));
  const db = new RocksDB(join(dir, ROCKSDB_SUBDIR), { createIfMissing: true });
  await db.ready();
  const changes: LoggedChange[] = [
    { main: 2, sub: 0, key: b('a'), record: encodePut(kv('a', 'a1', 2, 2, 1)) },
    { main: 3, sub: 0, key: b('a'), record: encodePut(kv('a', 'a2', 2, 3, 2)) },
    { main: 3, sub: 1, key: b('b'), record: encodePut(kv('b', 'b1', 3, 3, 1)) },
    { main: 4, sub: 0, key: b('b'), record: encodeTombstone(4) },
    { main: 4, sub: 1, key: b('c'), record: encodePut(kv('c', 'c1', 4, 4, 1)) },
  ];
  const w = db.write({ autoDestroy: true, capacity: 32 });
  for (const c of changes) {
    w.tryPut(currentKey(c.key), c.record);
    w.tryPut(historyKey(c.key, c.main, c.sub), c.record);
  }
  for (const [from, to] of [[0, 1], [1, 3], [3, 5]]) {
    const bytes = changes.slice(from, to).reduce((n, c) => n + loggedChangeSize(c), 0);
    w.tryPut(changeKey(changes[to - 1].main, changes[to - 1].sub), encodeChanges(changes, from, to, bytes));
  }
  w.tryPut(META_REVISION, u64(4));
  w.tryPut(META_KEY_COUNT, u64(2));
  await w.flush();
  await db.close();
}

async function withBackend(dir: string, fn: (be: Backend) => Promise<void>): Promise<void> {
  const be = createRocksdbBackend({ dataDir: dir, sync: 'always', log: () => {} });
  await be.open();
  try {
    await fn(be);
  } finally {
    await be.close();
  }
}

describe('rocksdb backend: on-disk format', () => {
  it('reads a format-1 database, upgrades its marker, writes on and compacts it', async () => {
    const d = await tempDir();
    try {
      await writeFormat1(d.dir);
      await withBackend(d.dir, async (be) => {
        assert.deepEqual(JSON.parse(await readFile(join(d.dir, MARKER_FILE), 'utf8')), { engine: 'rocksdb', format: 2 });
        assert.deepEqual(await be.stats().then((s) => [s.revision, s.keyCount]), [4, 2]);
        assert.equal(str(await be.get(b('a'), 2)), 'a=a1 c2 m2 v1');
        assert.equal(str(await be.get(b('b'), 3)), 'b=b1 c3 m3 v1');
        assert.equal(await be.get(b('b'), 4), undefined);
        assert.deepEqual(keysOf(await be.range({ ...all, revision: 3 })), ['a', 'b']);
        assert.deepEqual(keysOf(await be.range({ ...all, revision: 4 })), ['a', 'c']);
        assert.deepEqual((await be.history(2, b('\0'), b('\0'), 0)).map((c) => `${c.type}:${c.main}`), ['put:2', 'put:3', 'put:3', 'delete:4', 'put:4']);

        // 5: a's third version (by hand: MiniStore knows only the versions it wrote itself).
        await be.commit({ revision: 5, changes: [{ type: 'put', main: 5, sub: 0, kv: kv('a', 'a3', 2, 5, 3) }], leaseGrants: [], leaseRevokes: [], requests: 1 });
        const s = new MiniStore(be, 5);
        await s.txn([{ del: 'c' }]); // 6
        assert.equal((await be.get(b('a'), 4))?.value.toString(), 'a2');
        assert.deepEqual(keysOf(await be.range({ ...all, revision: 5 })), ['a', 'c']);
        assert.deepEqual(keysOf(await be.range({ ...all, revision: 6 })), ['a']);
        await s.meta({ compact: 6 });
        await be.defragment(); // waits for the sweep
        assert.deepEqual(keysOf(await be.range({ ...all, revision: 6 })), ['a']);
        assert.equal((await be.get(b('a'), 6))?.value.toString(), 'a3');
      });
      // k/ answers every read from 6 on: no history is left, and c's tombstone went too.
      assert.deepEqual(await rows(d.dir, PREFIX_HISTORY), []);
      assert.deepEqual(await rows(d.dir, PREFIX_CURRENT), ['a']);
      await withBackend(d.dir, async (be) => {
        // The count now travels in m/rev; the stale m/keys of format 1 is not read.
        assert.deepEqual(await be.stats().then((s) => [s.revision, s.keyCount]), [6, 1]);
      });
    } finally {
      await d.cleanup();
    }
  });

  it('keeps only replaced records in h/, and compaction drops those k/ answers for', async () => {
    const d = await tempDir();
    try {
      await withBackend(d.dir, (be) => new MiniStore(be).txn([{ put: 'w' }]).then(() => undefined));
      // A key written once has its record in k/ only.
      assert.deepEqual(await rows(d.dir, PREFIX_HISTORY), []);
      await d.cleanup();
      await withBackend(d.dir, async (be) => {
        const s = new MiniStore(be);
        await s.txn([{ put: 'x' }, { put: 'y' }, { put: 'z' }]); // 2
        await s.txn([{ put: 'x' }, { del: 'y' }]); // 3
        await s.txn([{ put: 'x' }]); // 4
        await s.txn([{ put: 'y' }]); // 5: y again, over its tombstone
        assert.equal(await be.get(b('y'), 3), undefined);
        assert.equal(str(await be.get(b('y'), 2)), 'y=y@2 c2 m2 v1');
        assert.equal(str(await be.get(b('x'), 3)), 'x=x@3 c2 m3 v2');
        assert.deepEqual(keysOf(await be.range({ ...all, revision: 3 })), ['x', 'z']);
        assert.deepEqual(keysOf(await be.range({ ...all, revision: 4, limit: 1 })), ['x']);
        await s.meta({ compact: 4 });
        await be.defragment();
        assert.equal(str(await be.get(b('x'), 4)), 'x=x@4 c2 m4 v3');
        assert.equal(await be.get(b('y'), 4), undefined);
        assert.deepEqual(keysOf(await be.range({ ...all, revision: 4 })), ['x', 'z']);
      });
      // x@2 and x@3 went (k/x = x@4 answers from 4 on); y's tombstone@3 (newest <= 4) and y@2 too.
      assert.deepEqual(await rows(d.dir, PREFIX_HISTORY), []);
    } finally {
      await d.cleanup();
    }
  });
});
