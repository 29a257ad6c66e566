import assert from 'node:assert/strict';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { RocksDB } from './binding.ts';
import { ROCKSDB_SUBDIR, createRocksdbBackend } from './index.ts';
import { MiniStore, tempDir } from './test-support.ts';

const quiet = { sync: 'always' as const, log: () => {} };

/** Every file of the database directory and its bytes, except RocksDB's info logs. */
async function snapshotFiles(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const name of await readdir(dir)) {
    if (name.startsWith('LOG')) continue;
    out.set(name, (await readFile(join(dir, name))).toString('base64'));
  }
  return out;
}

/** Every file under `dir` (recursively) and its bytes. */
async function snapshotTree(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const e of await readdir(dir, { recursive: true, withFileTypes: true })) {
    const path = join(e.parentPath, e.name);
    out.set(path, e.isFile() ? (await readFile(path)).toString('base64') : 'dir');
  }
  return out;
}

/** A database with a little data in it, closed. */
async function populated(dataDir: string): Promise<void> {
  const be = createRocksdbBackend({ dataDir, ...quiet });
  await be.open();
  await new MiniStore(be).txn([{ put: 'a' }, { put: 'b' }]);
  await be.close();
}

function oneLine(err: unknown, ...parts: string[]): boolean {
  const msg = (err as Error).message;
  assert.ok(!msg.includes('\n'), `message spans lines: ${msg}`);
  for (const p of parts) assert.ok(msg.includes(p), `message lacks ${p}: ${msg}`);
  return true;
}

describe('rocksdb backend: bad data directories', () => {
  it('refuses a directory written by the memory engine', async () => {
    const d = await tempDir();
    try {
      await writeFile(join(d.dir, 'metastore.json'), '{"engine":"memory","format":1}\n');
      const be = createRocksdbBackend({ dataDir: d.dir, ...quiet });
      await assert.rejects(be.open(), (err) => oneLine(err, d.dir, 'memory engine'));
      assert.deepEqual((await readdir(d.dir)).sort(), ['metastore.json']);
    } finally {
      await d.cleanup();
    }
  });

  it('refuses a memory directory whose marker was lost, leaving the memory data as it was', async () => {
    const d = await tempDir();
    try {
      const { openStore } = await import('../../index.ts');
      const memory = await openStore({ engine: 'memory', dataDir: d.dir, sync: 'always', log: () => {} });
      for (let i = 0; i < 20; i++) await memory.put({ key: Buffer.from(`k${i}`), value: Buffer.from('v') });
      await memory.close();
      await rm(join(d.dir, 'metastore.json'));
      const before = await snapshotTree(d.dir);
      const be = createRocksdbBackend({ dataDir: d.dir, ...quiet });
      await assert.rejects(be.open(), (err) => oneLine(err, d.dir, 'no metastore.json', 'memory engine data'));
      assert.deepEqual(await snapshotTree(d.dir), before);
    } finally {
      await d.cleanup();
    }
  });

  for (const [what, file] of [
    ['CURRENT', 'CURRENT'],
    ['MANIFEST', 'MANIFEST-'],
  ] as const) {
    it(`refuses a database with a corrupt ${what} and changes none of its files`, async () => {
      const d = await tempDir();
      try {
        await populated(d.dir);
        const dbDir = join(d.dir, ROCKSDB_SUBDIR);
        const target = (await readdir(dbDir)).find((n) => n.startsWith(file))!;
        await writeFile(join(dbDir, target), 'garbage that is not what RocksDB wrote\n'.repeat(3));
        const before = await snapshotFiles(dbDir);
        const be = createRocksdbBackend({ dataDir: d.dir, ...quiet });
        await assert.rejects(be.open(), (err) => oneLine(err, dbDir, 'cannot open RocksDB database'));
        assert.deepEqual(await snapshotFiles(dbDir), before);
        // The failed open released the data directory's lock.
        await assert.rejects(createRocksdbBackend({ dataDir: d.dir, ...quiet }).open(), /cannot open RocksDB database/);
      } finally {
        await d.cleanup();
      }
    });
  }

  it('refuses a database directory whose CURRENT file is missing instead of creating a new one', async () => {
    const d = await tempDir();
    try {
      await populated(d.dir);
      const dbDir = join(d.dir, ROCKSDB_SUBDIR);
      await writeFile(join(dbDir, 'CURRENT'), '');
      await rm(join(dbDir, 'CURRENT'));
      const before = await snapshotFiles(dbDir);
      await assert.rejects(createRocksdbBackend({ dataDir: d.dir, ...quiet }).open(), (err) => oneLine(err, dbDir, 'no CURRENT'));
      assert.deepEqual(await snapshotFiles(dbDir), before);
    } finally {
      await d.cleanup();
    }
  });

  it('refuses a database that RocksDB has locked, and a second open of the same directory', async () => {
    const d = await tempDir();
    try {
      await populated(d.dir);
      const dbDir = join(d.dir, ROCKSDB_SUBDIR);
      const holder = new RocksDB(dbDir);
      await holder.ready();
      try {
        await assert.rejects(createRocksdbBackend({ dataDir: d.dir, ...quiet }).open(), (err) => oneLine(err, dbDir, 'lock'));
      } finally {
        await holder.close();
      }
      const first = createRocksdbBackend({ dataDir: d.dir, ...quiet });
      await first.open();
      try {
        await assert.rejects(createRocksdbBackend({ dataDir: d.dir, ...quiet }).open(), (err) => oneLine(err, d.dir, 'already open'));
        assert.equal((await first.stats()).keyCount, 2);
      } finally {
        await first.close();
      }
    } finally {
      await d.cleanup();
    }
  });
});
