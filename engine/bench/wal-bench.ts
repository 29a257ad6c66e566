/**
 * WAL append throughput against the disk's own floor, measured in the same run:
 *
 *   raw fdatasync   write(7.4 KB) + fdatasync in a loop, appending to a plain file: the best any
 *                   durable log can do with one sync per batch on this disk if its file grows
 *   raw preallocated the same, overwriting a file zero-filled beforehand (no size change for
 *                   fdatasync to commit): the floor for a preallocated log like ours
 *   wal always      Wal.append of 64 records of 100 B (one write + one fdatasync per batch)
 *   wal none        the same with sync 'none' (no fdatasync: CPU and write cost only)
 *   memory-log      MemoryLog.append of a 64-put CommitBatch, sync 'always' (adds encoding)
 *
 * Variants run interleaved in short rounds; prints the median records/s and its ratio to the raw
 * loop. Usage:
 *   node --import tsx engine/bench/wal-bench.ts [--seconds 2] [--dir /path/on/the/disk]
 * The machine is shared and small: run it twice and report both.
 */
import { closeSync, fdatasyncSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { CommitBatch } from '../backend/backend.ts';
import { MemoryLog } from '../backend/memory/log.ts';
import { Wal } from '../wal/wal.ts';

const BATCH = 64;
const RECORD_BYTES = 100;

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '2' }, dir: { type: 'string' } } });
const seconds = Number(values.seconds);
if (!Number.isFinite(seconds) || seconds <= 0) {
  throw new Error(`--seconds ${values.seconds} is invalid; expected a positive number`);
}
const root = mkdtempSync(join(values.dir ?? tmpdir(), 'wal-bench-'));

/** One measured variant: `step` does one batch of BATCH records. */
interface Variant {
  name: string;
  step: () => Promise<void> | void;
  close: () => Promise<void> | void;
  /** records/s of each round. */
  rounds: number[];
}

async function timed(v: Variant, sliceSec: number): Promise<void> {
  const start = performance.now();
  const deadline = start + sliceSec * 1000;
  let batches = 0;
  while (performance.now() < deadline) {
    await v.step();
    batches++;
  }
  v.rounds.push((batches * BATCH) / ((performance.now() - start) / 1000));
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** Bytes zero-filled ahead for the preallocated raw variant (rewound when used up). */
const RAW_PREALLOC_BYTES = 64 * 1024 * 1024;

function rawVariant(preallocated: boolean): Variant {
  const fd = openSync(join(root, preallocated ? 'raw-prealloc.log' : 'raw.log'), 'w');
  if (preallocated) {
    const zeros = Buffer.alloc(1 << 20);
    for (let at = 0; at < RAW_PREALLOC_BYTES; at += zeros.length) writeSync(fd, zeros, 0, zeros.length, at);
    fdatasyncSync(fd);
  }
  // Same bytes per batch as the WAL writes: 64 frames of 16-byte header + payload.
  const buf = Buffer.alloc(BATCH * (16 + RECORD_BYTES), 0x61);
  let position = 0;
  return {
    name: preallocated ? 'raw write+fdatasync prealloc' : 'raw write+fdatasync',
    step: () => {
      if (preallocated && position + buf.length > RAW_PREALLOC_BYTES) position = 0;
      position += writeSync(fd, buf, 0, buf.length, position);
      fdatasyncSync(fd);
    },
    close: () => closeSync(fd),
    rounds: [],
  };
}

async function walVariant(sync: 'always' | 'none'): Promise<Variant> {
  const { wal } = await Wal.open({ dir: join(root, `wal-${sync}`), sync });
  const records = Array.from({ length: BATCH }, (_, i) => Buffer.alloc(RECORD_BYTES, i));
  return {
    name: `Wal.append sync ${sync}`,
    step: async () => {
      await wal.append(records);
    },
    close: () => wal.close(),
    rounds: [],
  };
}

async function memoryLogVariant(): Promise<Variant> {
  const { log } = await MemoryLog.open({ dataDir: join(root, 'memory-log'), sync: 'always', snapshotCount: 1e12, log: () => undefined });
  let revision = 1;
  const value = Buffer.alloc(RECORD_BYTES - 20, 0x76);
  return {
    name: 'MemoryLog.append sync always',
    step: async () => {
      const batch: CommitBatch = { revision: revision + BATCH, changes: [], leaseGrants: [], leaseRevokes: [], requests: BATCH };
      for (let i = 0; i < BATCH; i++) {
        const rev = ++revision;
        const key = Buffer.from(`bench/key/${rev}`);
        batch.changes.push({ type: 'put', main: rev, sub: 0, kv: { key, value, createRevision: rev, modRevision: rev, version: 1, lease: 0 } });
      }
      await log.append(batch);
    },
    close: () => log.close(),
    rounds: [],
  };
}

const ROUNDS = 5;
const variants = [rawVariant(false), rawVariant(true), await walVariant('always'), await walVariant('none'), await memoryLogVariant()];
try {
  // Interleaved short slices, so that load from other processes hits every variant alike.
  for (let r = 0; r < ROUNDS; r++) for (const v of variants) await timed(v, seconds / ROUNDS);
  const base = median(variants[0].rounds);
  process.stdout.write(`WAL append, batches of ${BATCH} records x ${RECORD_BYTES} B, ${ROUNDS} interleaved rounds, ${seconds} s per variant; median records/s\n`);
  for (const v of variants) {
    const m = median(v.rounds);
    const spread = `${Math.round(Math.min(...v.rounds)).toLocaleString('en-US')}..${Math.round(Math.max(...v.rounds)).toLocaleString('en-US')}`;
    process.stdout.write(`${v.name.padEnd(30)} ${Math.round(m).toLocaleString('en-US').padStart(10)}  ${(m / base).toFixed(2)}x raw   (rounds ${spread})\n`);
  }
} finally {
  for (const v of variants) await v.close();
  rmSync(root, { recursive: true, force: true });
}
