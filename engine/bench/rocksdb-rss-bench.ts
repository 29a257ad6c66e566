/**
 * Shows that the RocksDB engine's memory stays bounded as the dataset grows: RSS after
 * 100,000 keys against after 1,000,000 keys (~100 B values), and the time and RSS of re-opening
 * the 1,000,000-key store (start-up reads a few metadata keys, never the data). The memory
 * engine, which holds every key in memory by design, runs the same load as the baseline.
 *
 *   node --import tsx engine/bench/rocksdb-rss-bench.ts [--keys 1000000] [--engines rocksdb,memory]
 *
 * Keys are loaded through `Backend.commit` in batches of 1,000 puts (sync `none`: this measures
 * memory, not durability), then 20,000 random keys are read back. Loading and re-opening each
 * run in a child process of their own, so each RSS figure is that step's alone. Takes one to
 * three minutes.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Backend, Change } from '../backend/backend.ts';

interface Row {
  engine: string;
  rssAt100kMiB: number;
  rssAtFullMiB: number;
  keys: number;
  loadSec: number;
  reopenMs: number;
  rssAfterReopenMiB: number;
  rssAfterReopenReadsMiB: number;
}

const BATCH = 1000;
const value = Buffer.alloc(100, 0x76);

function flag(name: string, dflt: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? dflt : process.argv[i + 1];
}

function rssMiB(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return Math.round(process.memoryUsage().rss / 2 ** 20);
}

async function open(engine: string, dataDir: string): Promise<Backend> {
  const backend =
    engine === 'rocksdb'
      ? (await import('../backend/rocksdb/index.ts')).createRocksdbBackend({ dataDir, sync: 'none', log: () => {} })
      : (await import('../backend/memory/index.ts')).createMemoryBackend({ dataDir, sync: 'none', log: () => {} });
  await backend.open();
  return backend;
}

function key(i: number): Buffer {
  return Buffer.from(`/rss-bench/key-${String(i).padStart(8, '0')}`);
}

async function readSample(backend: Backend, keys: number, revision: number): Promise<void> {
  for (let i = 0; i < 20_000; i += 100) {
    const gets: Promise<unknown>[] = [];
    for (let j = 0; j < 100; j++) gets.push(backend.get(key(((i + j) * 7919) % keys), revision));
    await Promise.all(gets);
  }
}

/** Loads `keys` keys into a fresh store in `dataDir`; RSS at 100k and at the end. */
async function load(engine: string, dataDir: string, keys: number): Promise<Partial<Row>> {
  const backend = await open(engine, dataDir);
  let revision = 1;
  let rssAt100kMiB = 0;
  const t0 = performance.now();
  for (let start = 0; start < keys; start += BATCH) {
    const main = ++revision;
    const changes: Change[] = [];
    for (let i = start; i < Math.min(keys, start + BATCH); i++) {
      changes.push({ type: 'put', main, sub: i - start, kv: { key: key(i), value, createRevision: main, modRevision: main, version: 1, lease: 0 } });
    }
    await backend.commit({ revision: main, changes, leaseGrants: [], leaseRevokes: [], requests: 1 });
    if (start + BATCH === 100_000) {
      await readSample(backend, 100_000, revision);
      rssAt100kMiB = rssMiB();
    }
  }
  await readSample(backend, keys, revision);
  const rssAtFullMiB = rssMiB();
  const loadSec = Math.round((performance.now() - t0) / 1000);
  await backend.close();
  return { rssAt100kMiB, rssAtFullMiB, loadSec };
}

/** Opens the loaded store in a fresh process: how long it takes and what it costs in RSS. */
async function reopen(engine: string, dataDir: string, keys: number): Promise<Partial<Row>> {
  const t1 = performance.now();
  const backend = await open(engine, dataDir);
  const reopenMs = Math.round(performance.now() - t1);
  const rssAfterReopenMiB = rssMiB();
  await readSample(backend, keys, keys / BATCH + 1);
  const rssAfterReopenReadsMiB = rssMiB();
  await backend.close();
  return { reopenMs, rssAfterReopenMiB, rssAfterReopenReadsMiB };
}

function runChild(self: string, mode: string, engine: string, dataDir: string, keys: number): Partial<Row> {
  const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', self, '--child', mode, engine, dataDir, '--keys', String(keys)], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (r.status !== 0) throw new Error(`rss bench ${mode} child for ${engine} exited with ${r.status ?? r.signal}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as Partial<Row>;
}

async function main(): Promise<void> {
  const keys = Number(flag('keys', '1000000'));
  if (!Number.isInteger(keys) || keys < 100_000) throw new Error(`--keys ${flag('keys', '')}: expected an integer >= 100000`);
  const engines = flag('engines', 'rocksdb,memory').split(',');
  for (const e of engines) if (e !== 'rocksdb' && e !== 'memory') throw new Error(`--engines: unknown engine ${e}; expected rocksdb or memory`);
  const self = fileURLToPath(import.meta.url);
  console.log(`RSS after loading keys (~100 B values); 1-min load average at start ${loadavg()[0].toFixed(1)} on ${process.arch}`);
  const rows: Row[] = [];
  for (const engine of engines) {
    const dataDir = await mkdtemp(join(tmpdir(), `rss-bench-${engine}-`));
    try {
      const loaded = runChild(self, 'load', engine, dataDir, keys);
      const reopened = runChild(self, 'reopen', engine, dataDir, keys);
      rows.push({ engine, keys, ...loaded, ...reopened } as Row);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }
  console.log(['engine', 'RSS@100k MiB', `RSS@${keys / 1000}k MiB`, 'growth', 'load s', 'reopen ms', 'RSS reopened MiB', 'RSS reopened+reads MiB'].join('\t'));
  for (const r of rows) {
    console.log(
      [r.engine, r.rssAt100kMiB, r.rssAtFullMiB, `x${(r.rssAtFullMiB / r.rssAt100kMiB).toFixed(2)}`, r.loadSec, r.reopenMs, r.rssAfterReopenMiB, r.rssAfterReopenReadsMiB].join('\t'),
    );
  }
}

const ci = process.argv.indexOf('--child');
if (ci >= 0) {
  const [mode, engine, dataDir] = process.argv.slice(ci + 1, ci + 4);
  const keys = Number(flag('keys', '1000000'));
  const out = mode === 'load' ? await load(engine, dataDir, keys) : await reopen(engine, dataDir, keys);
  process.stdout.write(JSON.stringify(out) + '\n');
} else {
  await main();
}
