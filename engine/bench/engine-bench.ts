/**
 * In-process engine benchmark (`npm run bench:engine`): each engine in `ENGINES` opens a store
 * with sync `always` in a temp directory and runs the same cases; baselines measured in the same
 * run (a bare Map, raw 4 KiB write+fdatasync) let the figures be read as ratios on a loaded box.
 *
 *   npm run bench:engine -- [--seconds 2] [--engines memory,rocksdb]   (default: both)
 *
 * Every engine first runs 0.5 s of the put case unmeasured (JIT warm-up; the first case would
 * otherwise pay for compiling the write path). A 4 KiB write+fdatasync loop runs for 0.5 s right
 * before and right after the durable cases; their mean is that engine's fsync baseline, so the
 * "x fsync/s" ratio (ops per raw fsync) compares with the disk as it was during the case.
 *
 * Cases (ops/s):
 *   put x64       64 concurrent writers, distinct keys per writer, 100-byte values (durable)
 *   get           one awaited Get of an existing key at a time
 *   get x64       64 concurrent readers
 *   range 100     a prefix Range returning 100 keys (the same prefix each time: an engine may
 *                 answer it from a cache, as the RocksDB engine does)
 *   range 100 rr  the same over 64 prefixes in turn, more than any range cache here holds, so
 *                 every Range reads its rows
 *   txn x16       16 writers: If(Version(k) = 0) Then Put(k) Else Get(k), over 10,000 keys
 */
import { open, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir, cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { openStore, type EngineName } from '../index.ts';
import type { MetaStore } from '../mvcc/kv.ts';

/** An engine column of the table. Adding an engine is one entry. */
interface BenchEngine {
  name: EngineName;
  open(dataDir: string): Promise<MetaStore>;
}

const ENGINES: BenchEngine[] = [
  { name: 'memory', open: (dataDir) => openStore({ engine: 'memory', dataDir, sync: 'always' }) },
  { name: 'rocksdb', open: (dataDir) => openStore({ engine: 'rocksdb', dataDir, sync: 'always' }) },
];

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? dflt : (process.argv[i + 1] ?? '');
}

const seconds = Number(arg('seconds', '2'));
if (!Number.isFinite(seconds) || seconds <= 0) throw new Error(`--seconds ${arg('seconds', '')}: expected a positive number`);
const wanted = arg('engines', 'memory,rocksdb').split(',');
for (const w of wanted) {
  if (!ENGINES.some((e) => e.name === w)) throw new Error(`--engines: unknown engine "${w}"; expected one of ${ENGINES.map((e) => e.name).join(', ')}`);
}

const VALUE = Buffer.alloc(100, 0x61);
const durationMs = seconds * 1000;

/** CPU time (user + system, this process) per op of the last `measure`, in microseconds. */
let lastCpuUsPerOp = 0;

/** Runs `workers` loops of `op` for `ms` (default: the configured time); returns ops per second. */
async function measure(workers: number, op: (worker: number, i: number) => Promise<unknown>, ms = durationMs): Promise<number> {
  const end = performance.now() + ms;
  let total = 0;
  const cpu = process.cpuUsage();
  const start = performance.now();
  await Promise.all(
    Array.from({ length: workers }, async (_, w) => {
      let i = 0;
      // Check the clock every 64 ops: performance.now() is not free at these rates.
      for (;;) {
        await op(w, i++);
        total++;
        if ((i & 63) === 0 && performance.now() >= end) return;
      }
    }),
  );
  const used = process.cpuUsage(cpu);
  lastCpuUsPerOp = (used.user + used.system) / total;
  return total / ((performance.now() - start) / 1000);
}

function baselineMap(): number {
  const m = new Map<string, Buffer>();
  const n = 2_000_000;
  const start = performance.now();
  for (let i = 0; i < n; i++) m.set(`k${i & 65535}`, VALUE);
  let hits = 0;
  for (let i = 0; i < n; i++) if (m.get(`k${i & 65535}`) !== undefined) hits++;
  const secs = (performance.now() - start) / 1000;
  if (hits !== n) throw new Error('baseline map lost entries');
  return (2 * n) / secs;
}

async function baselineFsync(dir: string, ms = Math.min(durationMs, 1000)): Promise<number> {
  const fh = await open(join(dir, 'fsync-probe'), 'w');
  const block = Buffer.alloc(4096, 1);
  let n = 0;
  const end = performance.now() + ms;
  const start = performance.now();
  try {
    while (performance.now() < end) {
      await fh.write(block, 0, block.length, 0);
      await fh.datasync();
      n++;
    }
  } finally {
    await fh.close();
  }
  return n / ((performance.now() - start) / 1000);
}

/** Warm-up time of the put case before measuring, in ms. */
const WARMUP_MS = 500;
/** Each of the two fsync baselines around an engine's durable cases, in ms. */
const FSYNC_PROBE_MS = 500;

async function benchEngine(engine: BenchEngine): Promise<{ figures: Map<string, number>; cpu: Map<string, number>; fsyncPerSec: number }> {
  const dir = await mkdtemp(join(tmpdir(), `metastore-bench-${engine.name}-`));
  const out = new Map<string, number>();
  const cpu = new Map<string, number>();
  const store = await engine.open(dir);
  let fsyncPerSec: number;
  try {
    const put = (w: number, i: number): Promise<unknown> => store.put({ key: Buffer.from(`put/${w}/${i % 1000}`), value: VALUE });
    await measure(64, (w, i) => put(w, i + 1000), WARMUP_MS);
    const before = await baselineFsync(dir, FSYNC_PROBE_MS);
    out.set('put x64', await measure(64, put));
    cpu.set('put x64', lastCpuUsPerOp);
    for (let i = 0; i < 100; i++) await store.put({ key: Buffer.from(`range/${String(i).padStart(3, '0')}`), value: VALUE });
    const getKey = Buffer.from('range/042');
    out.set('get', await measure(1, () => store.range({ key: getKey })));
    out.set('get x64', await measure(64, () => store.range({ key: getKey })));
    const rangeReq = { key: Buffer.from('range/'), rangeEnd: Buffer.from('range0') };
    const check = await store.range(rangeReq);
    if (check.kvs.length !== 100) throw new Error(`range returned ${check.kvs.length} keys; expected 100`);
    out.set('range 100', await measure(1, () => store.range(rangeReq)));
    const prefix = (w: number): string => `rr/${String(w).padStart(2, '0')}`;
    for (let w = 0; w < 64; w++) {
      await Promise.all(Array.from({ length: 100 }, (_, i) => store.put({ key: Buffer.from(`${prefix(w)}/${String(i).padStart(3, '0')}`), value: VALUE })));
    }
    const prefixes = Array.from({ length: 64 }, (_, w) => ({ key: Buffer.from(`${prefix(w)}/`), rangeEnd: Buffer.from(`${prefix(w)}0`) }));
    const rr = await store.range(prefixes[63]);
    if (rr.kvs.length !== 100) throw new Error(`range over rr/63/ returned ${rr.kvs.length} keys; expected 100`);
    out.set('range 100 rr', await measure(1, (_, i) => store.range(prefixes[i % 64])));
    out.set(
      'txn x16',
      await measure(16, (w, i) => {
        const key = Buffer.from(`txn/${(w * 7919 + i * 104729) % 10000}`);
        return store.txn({
          compare: [{ key, target: 'VERSION', result: 'EQUAL', version: 0 }],
          success: [{ requestPut: { key, value: VALUE } }],
          failure: [{ requestRange: { key } }],
        });
      }),
    );
    cpu.set('txn x16', lastCpuUsPerOp);
    fsyncPerSec = (before + (await baselineFsync(dir, FSYNC_PROBE_MS))) / 2;
  } finally {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
  return { figures: out, cpu, fsyncPerSec };
}

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

async function main(): Promise<void> {
  const probeDir = await mkdtemp(join(tmpdir(), 'metastore-bench-probe-'));
  let fsyncPerSec: number;
  try {
    fsyncPerSec = await baselineFsync(probeDir);
  } finally {
    await rm(probeDir, { recursive: true, force: true });
  }
  const mapPerSec = baselineMap();
  console.log(`engine bench: ${seconds}s per case, sync always, node ${process.version}, ${cpus().length} cpus, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  console.log(`baselines: Map get/set ${fmt(mapPerSec)} ops/s; 4 KiB write+fdatasync ${fmt(fsyncPerSec)}/s`);
  const results: { engine: string; figures: Map<string, number>; cpu: Map<string, number>; fsyncPerSec: number }[] = [];
  for (const engine of ENGINES.filter((e) => wanted.includes(e.name))) {
    results.push({ engine: engine.name, ...(await benchEngine(engine)) });
  }
  console.log(`fsync baseline around each engine's cases: ${results.map((r) => `${r.engine} ${fmt(r.fsyncPerSec)}/s`).join(', ')}; load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  const cases = [...results[0].figures.keys()];
  const header = [
    'case',
    ...results.map((r) => `${r.engine} ops/s`),
    ...results.map((r) => `${r.engine} vs baseline`),
    ...results.map((r) => `${r.engine} cpu us/op`),
  ];
  const rows = cases.map((c) => [
    c,
    ...results.map((r) => fmt(r.figures.get(c) ?? 0)),
    ...results.map((r) => {
      const v = r.figures.get(c) ?? 0;
      // Durable writes compare with the raw fsync rate (ops per fsync); reads with the Map.
      return c.startsWith('put') || c.startsWith('txn') ? `${(v / r.fsyncPerSec).toFixed(1)}x fsync/s` : `${((v / mapPerSec) * 100).toFixed(1)}% of Map`;
    }),
    // CPU time per op (whole process: engine, pipeline and the bench's own loops) is the
    // figure least moved by other load; shown for the durable write cases.
    ...results.map((r) => (r.cpu.has(c) ? (r.cpu.get(c) ?? 0).toFixed(1) : '')),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  console.log(line(header));
  for (const r of rows) console.log(line(r));
}

await main();
