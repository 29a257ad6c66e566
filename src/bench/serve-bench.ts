/**
 * `npm run bench:serve`: `metabench serve` on each of its transports against the real etcd, with
 * a client that is not the limit: metabench's native gRPC channel (`src/client/native/`), one
 * connection, requests encoded once per op, N calls in flight. Two shapes, as issue 12 states its
 * goals: `put` (50 clients, Put of its own keys) and `txn` (10 clients, Txn If(Version = 0) Then
 * Put Else Range, etcd's txn-put). The noop server (`src/server/noop/`) runs too, on serve's own
 * transports: its figures are the ceiling of this client on this machine. Each target runs alone, one after the other, on a fresh temp
 * data dir (sync always); etcd runs in the same invocation (when installed) so the ratios compare
 * like with like on whatever load the machine has right now.
 *
 *   npm run bench:serve                                           # all targets, raw + h2 + grpc-js
 *   npm run bench:serve -- --ops 500 --transports raw             # quick
 *   npm run bench:serve -- --targets memory,etcd --shapes put
 *   npm run bench:serve -- --targets memory --transports raw --commit-overlap never,always
 *
 * Besides ops/s it prints each server's CPU time per RPC over the measured phase (from /proc),
 * which other load on the machine disturbs much less than throughput, and its RSS at the end;
 * then issue 12's goals as measured / goal / met. `--commit-overlap` runs the memory engine once
 * per listed value (serve's flag), in that order, so both policies are measured in one run; the
 * goals use the first.
 */
import { existsSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { openH2Channel } from '../client/native/transport/h2-channel.ts';
import type { GrpcChannel } from '../client/native/channel.ts';
import { etcdAvailable, rssBytes, spawnEtcd, spawnNoop, spawnServe, type ServerChild } from '../server/processes.ts';
import { loadEtcdServices } from '../server/proto.ts';
import { tempDir } from '../server/test-support.ts';

type Engine = 'memory' | 'rocksdb' | 'etcd' | 'noop';
type Transport = 'raw' | 'h2' | 'grpc-js';
type Shape = 'put' | 'txn';
type Overlap = 'always' | 'never';

/** Parsed command line. */
interface BenchOptions {
  /** Ops per client in the measured phase, default 2,000 (put) and a fifth of it (txn). */
  ops: number;
  /** Clients (calls in flight) per shape: put 50, txn 10. */
  clients: Record<Shape, number>;
  /**
   * `--warmup`: warm-up ops per client, not measured. Default: enough for `WARMUP_RPCS` per
   * shape (put 100 per client, txn 500), see there.
   */
  warmup: number | undefined;
  engines: Engine[];
  transports: Transport[];
  shapes: Shape[];
  /** `--commit-overlap` values the memory engine runs with, one run each; default `never` (serve's). */
  overlaps: Overlap[];
}

/** What one (target, shape) measured. */
interface BenchResult {
  engine: Engine;
  transport: Transport | '-';
  /** The memory engine's `--commit-overlap`; undefined for the other targets. */
  overlap: Overlap | undefined;
  shape: Shape;
  opsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  /** Server CPU time (user + system) per RPC over the measured phase, us; NaN without /proc. */
  serverCpuUsPerRpc: number;
  rssMiB: number;
}

/** CPU time (user + system) a process has used so far, in us, from /proc; NaN if unreadable. */
function processCpuUs(pid: number): number {
  try {
    // Fields after the command name (which may contain spaces) start at `state`; utime and stime
    // are the 14th and 15th fields overall, in clock ticks (100 per second on Linux).
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10_000;
  } catch {
    return NaN;
  }
}

const ROCKSDB = existsSync(fileURLToPath(new URL('../../engine/backend/rocksdb/index.ts', import.meta.url)));

/**
 * Warm-up RPCs per shape by default. V8 compiles a path only after it ran a few thousand times,
 * and that compiling is server CPU too: with 20 warm-up txns per client (200 in all) the 2,000
 * measured txns cost the memory engine ~375 us of server CPU each, ~90 us after 5,000 warm-up
 * txns (same run, load 15). etcd (Go) has nothing to warm, so a short warm-up penalises only
 * serve and the noop server.
 */
const WARMUP_RPCS = 5000;

/** Warm-up ops per client for `shape`: `--warmup`, else `WARMUP_RPCS` spread over the clients. */
function warmupOps(opts: BenchOptions, shape: Shape): number {
  return opts.warmup ?? Math.ceil(WARMUP_RPCS / opts.clients[shape]);
}

function integer(flag: string, text: string, min: number): number {
  if (!/^\d+$/.test(text) || Number(text) < min) throw new Error(`--${flag} must be an integer >= ${min}, got '${text}'`);
  return Number(text);
}

function list<T extends string>(flag: string, text: string, allowed: readonly T[]): T[] {
  const items = text.split(',').map((t) => t.trim());
  for (const t of items) if (!(allowed as readonly string[]).includes(t)) throw new Error(`--${flag}: unknown '${t}'; expected ${allowed.join(', ')}`);
  return items as T[];
}

function parseOptions(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      ops: { type: 'string', default: '2000' },
      clients: { type: 'string', default: '50' },
      'txn-clients': { type: 'string', default: '10' },
      warmup: { type: 'string' },
      targets: { type: 'string', default: 'etcd,memory,rocksdb,noop' },
      transports: { type: 'string', default: 'raw,h2,grpc-js' },
      shapes: { type: 'string', default: 'put,txn' },
      'commit-overlap': { type: 'string', default: 'never' },
    },
  });
  return {
    ops: integer('ops', values.ops, 1),
    clients: { put: integer('clients', values.clients, 1), txn: integer('txn-clients', values['txn-clients'], 1) },
    warmup: values.warmup === undefined ? undefined : integer('warmup', values.warmup, 0),
    engines: list('targets', values.targets, ['memory', 'rocksdb', 'etcd', 'noop'] as const),
    transports: list('transports', values.transports, ['raw', 'h2', 'grpc-js'] as const),
    shapes: list('shapes', values.shapes, ['put', 'txn'] as const),
    overlaps: list('commit-overlap', values['commit-overlap'], ['always', 'never'] as const),
  };
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

const KV = loadEtcdServices().KV;
const VALUE = Buffer.alloc(256, 'v');

/** One op of `shape` for client `c`, op `j`: its method path and encoded request. */
function request(shape: Shape, c: number, j: number, tag: string): [string, Uint8Array] {
  const key = Buffer.from(`/bench/${tag}/client-${c}/key-${j}`);
  if (shape === 'put') return ['/etcdserverpb.KV/Put', KV.Put.requestSerialize({ key, value: VALUE })];
  return [
    '/etcdserverpb.KV/Txn',
    KV.Txn.requestSerialize({
      // target VERSION (0), result EQUAL (0): the key does not exist yet.
      compare: [{ key, target: 0, result: 0, version: 0 }],
      success: [{ requestPut: { key, value: VALUE } }],
      failure: [{ requestRange: { key } }],
    }),
  ];
}

async function drive(channel: GrpcChannel, pid: number, opts: BenchOptions, shape: Shape, tag: string): Promise<Omit<BenchResult, 'engine' | 'transport' | 'overlap' | 'rssMiB'>> {
  const clients = opts.clients[shape];
  const ops = shape === 'txn' ? Math.max(1, Math.round(opts.ops / 5)) : opts.ops;
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      for (let j = 0, n = warmupOps(opts, shape); j < n; j++) await channel.unary(...request(shape, c, j, `${tag}-warm`), { timeoutMs: 10_000 }).catch(() => undefined);
    }),
  );
  const latencies = new Float64Array(clients * ops);
  let n = 0;
  let errors = 0;
  const cpuBefore = processCpuUs(pid);
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      for (let j = 0; j < ops; j++) {
        const [path, msg] = request(shape, c, j, tag);
        const t0 = performance.now();
        try {
          await channel.unary(path, msg, { timeoutMs: 10_000 });
          latencies[n++] = performance.now() - t0;
        } catch {
          // Counted, not fatal: the table shows it next to the throughput.
          errors++;
        }
      }
    }),
  );
  const elapsedSec = (performance.now() - started) / 1000;
  const serverCpuUs = processCpuUs(pid) - cpuBefore;
  const sorted = latencies.subarray(0, n).sort();
  return { shape, opsPerSec: n / elapsedSec, p50Ms: percentile(sorted, 50), p99Ms: percentile(sorted, 99), errors, serverCpuUsPerRpc: serverCpuUs / (clients * ops) };
}

async function runTarget(engine: Engine, transport: Transport | '-', overlap: Overlap | undefined, opts: BenchOptions): Promise<BenchResult[] | string> {
  if (engine === 'rocksdb' && !ROCKSDB) return 'skipped: the rocksdb engine is not in this build';
  if (engine === 'etcd' && !(await etcdAvailable())) return 'skipped: no etcd binary on PATH (Debian: apt-get install etcd-server)';
  const dir = await tempDir(`bench-serve-${engine}`);
  let server: ServerChild | undefined;
  let channel: GrpcChannel | undefined;
  try {
    const env = { METABENCH_SERVE_TRANSPORT: transport };
    server =
      engine === 'etcd'
        ? await spawnEtcd(join(dir.path, 'data'))
        : engine === 'noop'
          ? await spawnNoop({ env })
          : await spawnServe({ engine, dataDir: join(dir.path, 'data'), env, args: overlap === undefined ? [] : ['--commit-overlap', overlap] });
    channel = await openH2Channel({ hosts: [server.address] });
    const out: BenchResult[] = [];
    for (const shape of opts.shapes) {
      const r = await drive(channel, server.pid, opts, shape, `${shape}`);
      out.push({ ...r, engine, transport, overlap, rssMiB: rssBytes(server.pid) / 1048576 });
    }
    return out;
  } finally {
    await channel?.close();
    await server?.stop();
    await dir.remove();
  }
}

function fmt(n: number, digits = 0): string {
  return Number.isFinite(n) ? n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : '-';
}

/** Aligns `rows`: the first `left` columns to the left, the rest (figures) to the right. */
function table(rows: string[][], left: number): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  return rows.map((row) => '  ' + row.map((cell, i) => (i < left ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ')).join('\n') + '\n';
}

/** Issue 12's goals that this bench measures, against the results at hand. */
function goals(results: BenchResult[], overlap: Overlap): string[][] {
  const find = (engine: Engine, shape: Shape, transport: Transport | '-' = 'raw') =>
    results.find((r) => r.engine === engine && r.shape === shape && r.transport === transport && (r.overlap === undefined || r.overlap === overlap));
  const rows = [['goal', 'measured', 'goal', 'met']];
  const ratio = (engine: Engine, shape: Shape, want: number, label: string): void => {
    const r = find(engine, shape);
    const e = find('etcd', shape, '-');
    if (r === undefined || e === undefined) return;
    const x = r.opsPerSec / e.opsPerSec;
    rows.push([label, `${x.toFixed(2)}x`, `>= ${want.toFixed(1)}x`, x >= want ? 'met' : 'not met']);
  };
  const noop = find('noop', 'put');
  const etcdPut = find('etcd', 'put', '-');
  if (noop && etcdPut) {
    const x = noop.opsPerSec / etcdPut.opsPerSec;
    rows.push(['noop ceiling vs etcd, put (raw)', `${x.toFixed(2)}x`, '>= 2.5x', x >= 2.5 ? 'met' : 'not met']);
  }
  const cpu = find('memory', 'put');
  if (cpu) rows.push(['serve CPU per Put RPC (memory, raw)', `${fmt(cpu.serverCpuUsPerRpc)} us`, '<= 40 us', cpu.serverCpuUsPerRpc <= 40 ? 'met' : 'not met']);
  ratio('memory', 'put', 1.5, 'memory vs etcd, put (raw)');
  ratio('rocksdb', 'put', 1.0, 'rocksdb vs etcd, put (raw)');
  ratio('memory', 'txn', 2.0, 'memory vs etcd, txn (raw)');
  ratio('rocksdb', 'txn', 2.0, 'rocksdb vs etcd, txn (raw)');
  return rows;
}

async function main(): Promise<void> {
  const opts = parseOptions(process.argv.slice(2));
  const load = loadavg().map((l) => l.toFixed(1)).join(' ');
  process.stdout.write(
    `serve bench: native client, one connection; put ${opts.clients.put} clients x ${opts.ops}, txn ${opts.clients.txn} clients x ${Math.max(1, Math.round(opts.ops / 5))}; warm-up ops per client: put ${warmupOps(opts, 'put')}, txn ${warmupOps(opts, 'txn')}; load average ${load}\n`,
  );
  // etcd first, so the baseline is measured before the others heat the machine up.
  const runs: [Engine, Transport | '-', Overlap | undefined][] = [];
  if (opts.engines.includes('etcd')) runs.push(['etcd', '-', undefined]);
  for (const engine of opts.engines) {
    if (engine === 'etcd') continue;
    // The noop server runs on serve's own transports only (raw, h2).
    for (const t of opts.transports) {
      if (engine === 'memory') for (const o of opts.overlaps) runs.push([engine, t, o]);
      else if (engine !== 'noop' || t !== 'grpc-js') runs.push([engine, t, undefined]);
    }
  }
  const results: BenchResult[] = [];
  for (const [engine, transport, overlap] of runs) {
    process.stdout.write(`  ${engine}${transport === '-' ? '' : ` (${transport})`}${overlap === undefined ? '' : ` overlap ${overlap}`} ...\n`);
    const r = await runTarget(engine, transport, overlap, opts);
    if (typeof r === 'string') process.stdout.write(`  ${engine}: ${r}\n`);
    else results.push(...r);
  }
  const etcd = (shape: Shape) => results.find((r) => r.engine === 'etcd' && r.shape === shape);
  const rows = [['target', 'transport', 'overlap', 'shape', 'ops/s', 'p50 ms', 'p99 ms', 'errors', 'vs etcd', 'server us/RPC', 'RSS MiB']];
  for (const r of results) {
    const e = etcd(r.shape);
    rows.push([r.engine, r.transport, r.overlap ?? '-', r.shape, fmt(r.opsPerSec), fmt(r.p50Ms, 1), fmt(r.p99Ms, 1), String(r.errors), e ? `${(r.opsPerSec / e.opsPerSec).toFixed(2)}x` : '-', fmt(r.serverCpuUsPerRpc), fmt(r.rssMiB)]);
  }
  process.stdout.write(table(rows, 4));
  process.stdout.write('issue 12 goals:\n' + table(goals(results, opts.overlaps[0]), 3));
  process.stdout.write(`load average after: ${loadavg().map((l) => l.toFixed(1)).join(' ')} (2 cores shared; ops/s are noisy, CPU per RPC less so)\n`);
  if (results.some((r) => r.errors > 0)) process.exitCode = 1;
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:serve: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
