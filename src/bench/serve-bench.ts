/**
 * `npm run bench:serve`: `metabench serve` against the real etcd in the seed's large-scale
 * shape: N clients sharing one connection (as the seed did; `--client native|etcd3`), each doing Put then Get of
 * its own key (`/load-test/client-<c>/key-<j>`) M times, checking that every Get returns the
 * value just put. Each target runs alone, one after the other, on a fresh temp data dir; the
 * real etcd runs in the same invocation (when its binary is installed) so the ratio compares
 * like with like on whatever load the machine has right now.
 *
 *   npm run bench:serve                                 # 50 clients x 1,000 pairs, all targets
 *   npm run bench:serve -- --clients 10 --pairs 100     # quick
 *   npm run bench:serve -- --targets memory,etcd
 *
 * Besides pairs/s it prints each server's CPU time per RPC over the measured phase (from /proc),
 * which other load on the machine disturbs much less than throughput.
 */
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { connect, DEFAULT_CLIENT, isClientKind } from '../client/factory.ts';
import type { ClientKind } from '../client/types.ts';
import { processCpuUs } from '../targets/proc-cpu.ts';
import { etcdAvailable, spawnEtcd, spawnServe, type ServerChild } from '../server/processes.ts';
import { tempDir } from '../server/test-support.ts';

type Target = 'memory' | 'rocksdb' | 'etcd';

/** Parsed command line. */
interface BenchOptions {
  /** Concurrent clients, default 50. */
  clients: number;
  /** Put+Get pairs per client, default 1,000. */
  pairs: number;
  /** Warm-up pairs per client, not measured; default 20. */
  warmup: number;
  targets: Target[];
  /** The load generator's client (`--client`, default native). */
  client: ClientKind;
}

/** What one target measured. */
interface BenchResult {
  target: Target;
  pairsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Failed requests plus Gets that did not return the value just put. */
  errors: number;
  pairs: number;
  /**
   * The server's CPU time (user + system) per RPC over the measured phase, in us; NaN where
   * /proc is not available. Less sensitive to other load on the machine than pairs/s.
   */
  serverCpuUsPerRpc: number;
}

/** CPU µs a process has used so far; NaN where /proc cannot say. */
function cpuUs(pid: number): number {
  return processCpuUs(pid) ?? NaN;
}

const ROCKSDB = existsSync(fileURLToPath(new URL('../../engine/backend/rocksdb/index.ts', import.meta.url)));

function integer(flag: string, text: string, min: number): number {
  if (!/^\d+$/.test(text) || Number(text) < min) throw new Error(`--${flag} must be an integer >= ${min}, got '${text}'`);
  return Number(text);
}

function parseOptions(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      clients: { type: 'string', default: '50' },
      pairs: { type: 'string', default: '1000' },
      warmup: { type: 'string', default: '20' },
      targets: { type: 'string', default: 'memory,rocksdb,etcd' },
      client: { type: 'string', default: DEFAULT_CLIENT },
    },
  });
  const targets = values.targets.split(',').map((t) => t.trim());
  for (const t of targets) {
    if (t !== 'memory' && t !== 'rocksdb' && t !== 'etcd') throw new Error(`--targets: unknown target '${t}'; expected memory, rocksdb, etcd`);
  }
  if (!isClientKind(values.client)) throw new Error(`--client: unknown client '${values.client}'; expected native or etcd3`);
  return {
    client: values.client,
    clients: integer('clients', values.clients, 1),
    pairs: integer('pairs', values.pairs, 1),
    warmup: integer('warmup', values.warmup, 0),
    targets: targets as Target[],
  };
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function drive(address: string, pid: number, opts: BenchOptions, target: Target): Promise<BenchResult> {
  const client = await connect(opts.client, { hosts: [address] });
  try {
    let errors = 0;
    const pair = async (key: string, value: string): Promise<void> => {
      await client.put(key, value);
      const got = (await client.range(key)).kvs[0]?.value.toString();
      if (got !== value) throw new Error(`${key}: got ${got}, expected ${value}`);
    };
    await Promise.all(
      Array.from({ length: opts.clients }, async (_, c) => {
        for (let j = 0; j < opts.warmup; j++) await pair(`/warmup/client-${c}/key-${j}`, `w${j}`).catch(() => undefined);
      }),
    );
    const latencies = new Float64Array(opts.clients * opts.pairs);
    let n = 0;
    const cpuBefore = cpuUs(pid);
    const started = performance.now();
    await Promise.all(
      Array.from({ length: opts.clients }, async (_, c) => {
        for (let j = 0; j < opts.pairs; j++) {
          const t0 = performance.now();
          try {
            await pair(`/load-test/client-${c}/key-${j}`, `value-${c}-${j}`);
            latencies[n++] = performance.now() - t0;
          } catch {
            // Counted, not fatal: the report shows it next to the throughput.
            errors++;
          }
        }
      }),
    );
    const elapsedSec = (performance.now() - started) / 1000;
    const serverCpuUs = cpuUs(pid) - cpuBefore;
    const sorted = latencies.subarray(0, n).sort();
    return {
      target,
      pairsPerSec: n / elapsedSec,
      p50Ms: percentile(sorted, 50),
      p99Ms: percentile(sorted, 99),
      maxMs: sorted[n - 1] ?? NaN,
      errors,
      pairs: n,
      // Two RPCs per pair, failed ones included.
      serverCpuUsPerRpc: serverCpuUs / (2 * opts.clients * opts.pairs),
    };
  } finally {
    await client.close();
  }
}

async function runTarget(target: Target, opts: BenchOptions): Promise<BenchResult | string> {
  if (target === 'rocksdb' && !ROCKSDB) return 'skipped: the rocksdb engine is not in this build';
  if (target === 'etcd' && !(await etcdAvailable())) return 'skipped: no etcd binary on PATH (Debian: apt-get install etcd-server)';
  const dir = await tempDir(`bench-serve-${target}`);
  let server: ServerChild | undefined;
  try {
    server = target === 'etcd' ? await spawnEtcd(join(dir.path, 'data')) : await spawnServe({ engine: target, dataDir: join(dir.path, 'data') });
    return await drive(server.address, server.pid, opts, target);
  } finally {
    await server?.stop();
    await dir.remove();
  }
}

function fmt(n: number, digits = 0): string {
  return Number.isFinite(n) ? n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : '-';
}

async function main(): Promise<void> {
  const opts = parseOptions(process.argv.slice(2));
  // etcd first, so the baseline is measured before the others heat the machine up.
  const order = [...opts.targets].sort((a, b) => Number(b === 'etcd') - Number(a === 'etcd'));
  const load = loadavg().map((l) => l.toFixed(1)).join(' ');
  process.stdout.write(`serve bench: ${opts.clients} clients x ${opts.pairs} Put+Get pairs (one shared ${opts.client} connection), ${opts.warmup} warm-up pairs each; load average ${load}\n`);
  const results: BenchResult[] = [];
  for (const target of order) {
    process.stdout.write(`  ${target} ...\n`);
    const r = await runTarget(target, opts);
    if (typeof r === 'string') process.stdout.write(`  ${target}: ${r}\n`);
    else results.push(r);
  }
  const etcd = results.find((r) => r.target === 'etcd');
  const rows = [['target', 'pairs/s', 'p50 ms', 'p99 ms', 'max ms', 'errors', 'vs etcd', 'server us/RPC']];
  for (const r of results) {
    rows.push([r.target, fmt(r.pairsPerSec), fmt(r.p50Ms, 1), fmt(r.p99Ms, 1), fmt(r.maxMs, 1), String(r.errors), etcd ? `${(r.pairsPerSec / etcd.pairsPerSec).toFixed(2)}x` : '-', fmt(r.serverCpuUsPerRpc)]);
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  for (const row of rows) process.stdout.write(row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ') + '\n');
  process.stdout.write(`load average after: ${loadavg().map((l) => l.toFixed(1)).join(' ')} (2 cores shared; figures are noisy)\n`);
  if (results.some((r) => r.errors > 0)) process.exitCode = 1;
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:serve: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
