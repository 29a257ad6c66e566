/**
 * Put-path benchmark (`node --import tsx engine/bench/put-bench.ts`): N puts to the memory
 * engine (sync always) at a fixed number in flight, as a plain Put and as a Txn holding one
 * Put, each after 5,000 unmeasured ops, reporting CPU per op and the garbage collections it caused (PerformanceObserver 'gc').
 *
 *   node --import tsx engine/bench/put-bench.ts [--ops 100000] [--inflight 10] [--keys 10000] [--shape put,txn]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir, loadavg } from 'node:os';
import { join } from 'node:path';
import { PerformanceObserver, constants } from 'node:perf_hooks';
import { openStore } from '../index.ts';
import type { MetaStore } from '../mvcc/kv.ts';

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? dflt : (process.argv[i + 1] ?? '');
}

function positive(name: string): number {
  const n = Number(arg(name, ''));
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} ${arg(name, '')}: expected a positive integer`);
  return n;
}

if (process.argv.indexOf('--ops') < 0) process.argv.push('--ops', '100000');
if (process.argv.indexOf('--inflight') < 0) process.argv.push('--inflight', '10');
if (process.argv.indexOf('--keys') < 0) process.argv.push('--keys', '10000');
const ops = positive('ops');
const inflight = positive('inflight');
const keys = positive('keys');
const shapes = arg('shape', 'put,txn').split(',');
for (const s of shapes) if (s !== 'put' && s !== 'txn') throw new Error(`--shape: unknown shape "${s}"; expected put or txn`);

const VALUE = Buffer.alloc(100, 0x61);
/** Unmeasured ops of each shape before its measured run (on keys of their own). */
const WARMUP_OPS = 5000;

/** GC pauses seen since the observer started: count and total ms, per kind. */
const gc = { minor: 0, minorMs: 0, major: 0, majorMs: 0 };
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    const kind = (e as unknown as { detail?: { kind?: number } }).detail?.kind;
    if (kind === constants.NODE_PERFORMANCE_GC_MINOR) {
      gc.minor++;
      gc.minorMs += e.duration;
    } else {
      gc.major++;
      gc.majorMs += e.duration;
    }
  }
}).observe({ entryTypes: ['gc'] });

function op(store: MetaStore, shape: string, i: number, prefix = 'k'): Promise<unknown> {
  const key = Buffer.from(`${prefix}/${i % keys}`);
  if (shape === 'put') return store.put({ key, value: VALUE });
  return store.txn({ success: [{ requestPut: { key, value: VALUE } }] });
}

async function run(shape: string): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'metastore-put-bench-'));
  const store = await openStore({ engine: 'memory', dataDir: dir, sync: 'always' });
  try {
    let next = 0;
    let limit = WARMUP_OPS;
    let prefix = 'warm';
    const worker = async (): Promise<void> => {
      while (next < limit) await op(store, shape, next++, prefix);
    };
    // Warm-up (unmeasured): otherwise the first shape run pays for compiling the write path.
    await Promise.all(Array.from({ length: inflight }, worker));
    [next, limit, prefix] = [0, ops, 'k'];
    Object.assign(gc, { minor: 0, minorMs: 0, major: 0, majorMs: 0 });
    const cpu = process.cpuUsage();
    const start = performance.now();
    await Promise.all(Array.from({ length: inflight }, worker));
    const secs = (performance.now() - start) / 1000;
    const used = process.cpuUsage(cpu);
    await new Promise((r) => setImmediate(r));
    const us = (used.user + used.system) / ops;
    console.log(
      `${shape.padEnd(4)} ${ops} ops x${inflight}: ${Math.round(ops / secs)} ops/s, cpu ${us.toFixed(1)} us/op, ` +
        `gc minor ${gc.minor} (${gc.minorMs.toFixed(0)} ms), major ${gc.major} (${gc.majorMs.toFixed(0)} ms), ` +
        `gc ${(((gc.minorMs + gc.majorMs) * 1000) / ops).toFixed(1)} us/op; heap ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(0)} MiB`,
    );
  } finally {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
}

console.log(`put bench: memory engine, sync always, ${keys} keys, 100-byte values, node ${process.version}, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
for (const s of shapes) await run(s);
