/**
 * Compares the two RocksDB bindings that install here with prebuilt binaries, on the shape of
 * work the RocksDB engine does: synced write batches of 64 puts (~100 B values), point gets,
 * an iterator over 100 keys, and the process's RSS afterwards.
 *
 *   node --import tsx engine/bench/rocksdb-binding-bench.ts [--keys 50000] [--batches 400]
 *
 * Each binding runs in its own child process (so RSS is its own), on its own temp directory.
 * `rocksdb-native` has no per-write sync option (its writes go through RocksDB with default
 * WriteOptions, i.e. sync=false, checked with strace); it is measured both as-is and with an
 * fdatasync of RocksDB's current WAL file after each batch, which is what durability would cost.
 */
import { spawnSync } from 'node:child_process';
import { open, mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);

interface Figures {
  binding: string;
  syncBatchesPerSec: number;
  syncPutsPerSec: number;
  unsyncedPutsPerSec?: number;
  getsPerSecSerial: number;
  getsPerSecConcurrent64: number;
  range100PerSec: number;
  rssMiB: number;
}

const BATCH = 64;

function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return dflt;
  const n = Number(process.argv[i + 1]);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} ${process.argv[i + 1]}: expected a positive integer`);
  return n;
}

function key(i: number): Buffer {
  return Buffer.from(`k/bench/${String(i).padStart(9, '0')}`);
}

const value = Buffer.alloc(100, 0x61);

function perSec(n: number, startNs: bigint): number {
  return Math.round(n / (Number(process.hrtime.bigint() - startNs) / 1e9));
}

/* ---------------- @nxtedition/rocksdb ---------------- */

interface NxtBatch {
  put(k: Buffer, v: Buffer): void;
  write(opts: { sync: boolean }): Promise<void>;
}
interface NxtIterator {
  nextv(n: number): Promise<[Buffer, Buffer][]>;
  close(): Promise<void>;
}
interface NxtDb {
  open(): Promise<void>;
  close(): Promise<void>;
  batch(): NxtBatch;
  getMany(keys: Buffer[], opts: object): Promise<(Buffer | undefined)[]>;
  _getManySync(keys: Buffer[], opts: object): (Buffer | undefined)[];
  iterator(opts: object): NxtIterator;
}

async function benchNxt(dir: string, keys: number, batches: number): Promise<Figures> {
  const { RocksLevel } = require('@nxtedition/rocksdb') as { RocksLevel: new (loc: string, o: object) => NxtDb };
  const db = new RocksLevel(dir, { keyEncoding: 'buffer', valueEncoding: 'buffer' });
  await db.open();
  let t = process.hrtime.bigint();
  for (let b = 0; b < batches; b++) {
    const wb = db.batch();
    for (let j = 0; j < BATCH; j++) wb.put(key((b * BATCH + j) % keys), value);
    await wb.write({ sync: true });
  }
  const syncBatchesPerSec = perSec(batches, t);
  for (let i = batches * BATCH; i < keys; i += BATCH) {
    const wb = db.batch();
    for (let j = i; j < Math.min(keys, i + BATCH); j++) wb.put(key(j), value);
    await wb.write({ sync: false });
  }
  const gets = 100_000;
  t = process.hrtime.bigint();
  for (let i = 0; i < gets; i++) {
    const [v] = db._getManySync([key((i * 7919) % keys)], {});
    if (!v) throw new Error('missing key');
  }
  const getsPerSecSerial = perSec(gets, t);
  t = process.hrtime.bigint();
  for (let i = 0; i < gets; i += 64) {
    const ks: Buffer[] = [];
    for (let j = 0; j < 64; j++) ks.push(key(((i + j) * 7919) % keys));
    await Promise.all(ks.map((k) => db.getMany([k], {})));
  }
  const getsPerSecConcurrent64 = perSec(gets, t);
  const ranges = 3000;
  t = process.hrtime.bigint();
  for (let i = 0; i < ranges; i++) {
    const it = db.iterator({ gte: key((i * 131) % (keys - 200)), limit: 100 });
    const rows = await it.nextv(100);
    await it.close();
    if (rows.length !== 100) throw new Error(`range returned ${rows.length}`);
  }
  const range100PerSec = perSec(ranges, t);
  const rssMiB = Math.round(process.memoryUsage().rss / 2 ** 20);
  await db.close();
  return {
    binding: '@nxtedition/rocksdb',
    syncBatchesPerSec,
    syncPutsPerSec: syncBatchesPerSec * BATCH,
    getsPerSecSerial,
    getsPerSecConcurrent64,
    range100PerSec,
    rssMiB,
  };
}

/* ---------------- rocksdb-native ---------------- */

interface NativeWrite {
  tryPut(k: Buffer, v: Buffer): void;
  flush(): Promise<void>;
}
interface NativeRead {
  get(k: Buffer): Promise<Buffer | null>;
  tryFlush(): void;
}
interface NativeDb {
  ready(): Promise<void>;
  close(): Promise<void>;
  write(o?: object): NativeWrite;
  read(o?: object): NativeRead;
  get(k: Buffer): Promise<Buffer | null>;
  iterator(range: object): AsyncIterable<{ key: Buffer; value: Buffer }>;
  currentWalFile(): Promise<{ path: string }>;
}

async function benchNative(dir: string, keys: number, batches: number): Promise<Figures> {
  const RocksDB = require('rocksdb-native') as new (path: string) => NativeDb;
  const db = new RocksDB(dir);
  await db.ready();
  // Durable variant: fdatasync the WAL file RocksDB is appending to after each batch.
  let walPath = '';
  let wal: Awaited<ReturnType<typeof open>> | undefined;
  let t = process.hrtime.bigint();
  for (let b = 0; b < batches; b++) {
    const w = db.write({ autoDestroy: true });
    for (let j = 0; j < BATCH; j++) w.tryPut(key((b * BATCH + j) % keys), value);
    await w.flush();
    const cur = (await db.currentWalFile()).path;
    if (cur !== walPath) {
      await wal?.datasync();
      await wal?.close();
      wal = await open(join(dir, cur), 'r');
      walPath = cur;
    }
    await wal!.datasync();
  }
  await wal?.close();
  const syncBatchesPerSec = perSec(batches, t);
  t = process.hrtime.bigint();
  for (let b = 0; b < batches; b++) {
    const w = db.write({ autoDestroy: true });
    for (let j = 0; j < BATCH; j++) w.tryPut(key((b * BATCH + j) % keys), value);
    await w.flush();
  }
  const unsyncedPutsPerSec = perSec(batches * BATCH, t);
  for (let i = batches * BATCH; i < keys; i += BATCH) {
    const w = db.write({ autoDestroy: true });
    for (let j = i; j < Math.min(keys, i + BATCH); j++) w.tryPut(key(j), value);
    await w.flush();
  }
  const gets = 100_000;
  t = process.hrtime.bigint();
  for (let i = 0; i < gets; i++) {
    const v = await db.get(key((i * 7919) % keys));
    if (!v) throw new Error('missing key');
  }
  const getsPerSecSerial = perSec(gets, t);
  t = process.hrtime.bigint();
  for (let i = 0; i < gets; i += 64) {
    // 64 gets in one read batch: what coalescing concurrent gets within a tick buys.
    const r = db.read({ capacity: 64, autoDestroy: true });
    const ps: Promise<Buffer | null>[] = [];
    for (let j = 0; j < 64; j++) ps.push(r.get(key(((i + j) * 7919) % keys)));
    r.tryFlush();
    await Promise.all(ps);
  }
  const getsPerSecConcurrent64 = perSec(gets, t);
  const ranges = 3000;
  t = process.hrtime.bigint();
  for (let i = 0; i < ranges; i++) {
    let n = 0;
    for await (const _row of db.iterator({ gte: key((i * 131) % (keys - 200)), limit: 100, capacity: 100 } as object)) n++;
    if (n !== 100) throw new Error(`range returned ${n}`);
  }
  const range100PerSec = perSec(ranges, t);
  const rssMiB = Math.round(process.memoryUsage().rss / 2 ** 20);
  await db.close();
  return {
    binding: 'rocksdb-native',
    syncBatchesPerSec,
    syncPutsPerSec: syncBatchesPerSec * BATCH,
    unsyncedPutsPerSec,
    getsPerSecSerial,
    getsPerSecConcurrent64,
    range100PerSec,
    rssMiB,
  };
}

async function child(which: string): Promise<void> {
  const keys = arg('keys', 50_000);
  const batches = arg('batches', 400);
  const dir = await mkdtemp(join(tmpdir(), `binding-bench-${which}-`));
  try {
    const f = which === 'nxt' ? await benchNxt(dir, keys, batches) : await benchNative(dir, keys, batches);
    process.stdout.write(JSON.stringify(f) + '\n');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function main(): void {
  const self = fileURLToPath(import.meta.url);
  const rows: Figures[] = [];
  for (const which of ['nxt', 'native']) {
    const r = spawnSync(process.execPath, ['--import', 'tsx', self, '--child', which, ...process.argv.slice(2)], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    if (r.status !== 0) throw new Error(`binding bench child ${which} exited with ${r.status ?? r.signal}`);
    rows.push(JSON.parse(r.stdout.trim().split('\n').pop()!) as Figures);
  }
  const base = rows[0];
  console.log(`machine load: ${(process.platform === 'linux' ? require('node:os').loadavg()[0] : 0).toFixed(2)} (1-min loadavg)`);
  const cols: (keyof Figures)[] = ['syncPutsPerSec', 'unsyncedPutsPerSec', 'getsPerSecSerial', 'getsPerSecConcurrent64', 'range100PerSec', 'rssMiB'];
  console.log(['metric', ...rows.map((r) => r.binding), 'ratio'].join('\t'));
  for (const c of cols) {
    const vals = rows.map((r) => r[c] as number | undefined);
    const ratio = vals[0] && vals[1] ? (vals[1] / vals[0]).toFixed(2) : '-';
    console.log([c, ...vals.map((v) => (v === undefined ? '-' : String(v))), ratio].join('\t'));
  }
  void base;
}

const ci = process.argv.indexOf('--child');
if (ci >= 0) await child(process.argv[ci + 1]);
else main();
