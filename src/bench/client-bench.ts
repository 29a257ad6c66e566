/**
 * `npm run bench:client`: the load generator's own client against etcd and the memory engine,
 * through the real CLI (`metabench run --json` with scenario files, one runner child per target,
 * targets one after another). Shapes: 50 clients Put on one connection, 20 clients Put for a
 * fixed time (sustained-load's shape), 10 clients txn-put (txn-throughput without its contended
 * phase), 50 clients Put+Get pairs (large-scale-load's shape); each with `--client native` and
 * `--client etcd3`, then 50 clients Put with 2 and 4 client threads where the cores exist, then
 * the runner's memory (peak RSS, heap after GC) after N and after 10×N operations. Prints ops/s, p99, the runner's and the
 * server's CPU µs per operation, and each goal of issue 11 as measured / goal / met.
 *
 *   npm run bench:client                          # etcd (when installed) and memory
 *   npm run bench:client -- --scale 0.3           # shorter
 *   npm run bench:client -- --targets memory --clients native --threads 1
 *
 * On a shared machine ops/s move with the load average (printed); CPU µs per operation far less.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { execa } from 'execa';
import { CLIENT_KINDS, isClientKind } from '../client/factory.ts';
import type { ClientKind } from '../client/types.ts';
import type { ScenarioEndEvent } from '../events/schema.ts';
import { resolveScenario } from '../../scenarios/loader.ts';
import { METABENCH_BIN, startMetaStore } from '../targets/metastore.ts';
import { runScenario } from '../workload/index.ts';
import { makeContext } from '../workload/test-support.ts';
import { findEtcd } from '../targets/etcd.ts';
import { evaluateGoals, type Measured } from './client-goals.ts';

/** One shape: a scenario file's name, workload and parameters. */
interface Shape {
  readonly name: string;
  readonly label: string;
  readonly workload: string;
  readonly params: Record<string, unknown>;
}

/** Parsed command line. */
interface Options {
  readonly targets: string[];
  readonly clients: ClientKind[];
  readonly threads: number[];
  /** Multiplies every shape's operations and duration (default 1). */
  readonly scale: number;
}

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      targets: { type: 'string', default: findEtcd() ? 'etcd,memory' : 'memory' },
      clients: { type: 'string', default: CLIENT_KINDS.join(',') },
      threads: { type: 'string', default: '1,2,4' },
      scale: { type: 'string', default: '1' },
    },
  });
  const clients = values.clients.split(',');
  for (const c of clients) if (!isClientKind(c)) throw new Error(`--clients: unknown client '${c}' (expected native, etcd3)`);
  const threads = values.threads.split(',').map(Number);
  if (threads.some((t) => !Number.isInteger(t) || t < 1)) throw new Error(`--threads: '${values.threads}' is not a list of whole numbers >= 1`);
  const scale = Number(values.scale);
  if (!(scale > 0)) throw new Error(`--scale: '${values.scale}' is not a positive number`);
  return { targets: values.targets.split(','), clients: clients as ClientKind[], threads, scale };
}

function shapes(scale: number): Shape[] {
  const n = (x: number): number => Math.max(1, Math.round(x * scale));
  const common = { connections: 1, warmupMs: 1000, valueSize: 64 };
  return [
    { name: 'put-50', label: '50 clients Put, 1 connection', workload: 'put', params: { ...common, clients: 50, opsPerClient: n(600), keySpace: 1000 } },
    { name: 'put-20', label: '20 clients Put (sustained)', workload: 'put', params: { ...common, clients: 20, durationMs: n(8000), keySpace: 1000 } },
    { name: 'txn-10', label: '10 clients txn-put', workload: 'txn', params: { ...common, clients: 10, opsPerClient: n(1500), keySpace: 1_000_000, counters: 0 } },
    { name: 'pairs-50', label: '50 clients Put+Get (large-scale)', workload: 'put-get', params: { ...common, clients: 50, opsPerClient: n(200), keySpace: 1000 } },
  ];
}

/** Writes a shape as a scenario file (no SLOs: nothing is graded on purpose here). */
function writeShape(dir: string, s: Shape): string {
  const file = join(dir, `${s.name}.json`);
  writeFileSync(file, JSON.stringify({ name: s.name, description: s.label, workload: s.workload, params: s.params, slo: { maxErrorRate: 1 } }));
  return file;
}

/** Runs `metabench run --json` and returns its scenario-end events. */
async function run(args: string[], results: string): Promise<ScenarioEndEvent[]> {
  const child = await execa(process.execPath, [METABENCH_BIN, 'run', '--json', '--results', results, '--seed', '1', ...args], { reject: false, stdin: 'ignore', stderr: 'inherit', maxBuffer: 256 * 1024 * 1024 });
  const ends: ScenarioEndEvent[] = [];
  for (const line of child.stdout.split('\n')) {
    if (!line.startsWith('{')) continue;
    const e = JSON.parse(line) as { kind?: string };
    if (e.kind === 'scenario-end') ends.push(e as ScenarioEndEvent);
  }
  if (ends.length === 0) throw new Error(`metabench run ${args.join(' ')}: no scenario ended (exit ${child.exitCode})`);
  return ends;
}

/** What one size of the memory check measured. */
interface MemoryFigure {
  readonly ops: number;
  readonly opsPerSec: number;
  readonly peakRssBytes: number;
  readonly heapAfterGcBytes: number;
}

/**
 * The runner's memory at N and 10×N operations: the runner's own workload path
 * (`runScenario`) in this process against a memory target, peak RSS sampled while it runs and
 * the heap left after a full GC (RSS alone moves with V8's heap reservations; the heap after GC
 * is what the load generator retains).
 */
async function memoryAtScale(client: ClientKind, scale: number): Promise<MemoryFigure[]> {
  v8.setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const signal = new AbortController().signal;
  const target = await startMetaStore('memory', 'memory', { keepData: false, signal, log: () => undefined, client });
  const out: MemoryFigure[] = [];
  try {
    for (const k of [0.1, 1, 10]) {
      const s = resolveScenario({ name: `memory-${k * 10}-tenths`, workload: 'put', params: { clients: 50, opsPerClient: Math.max(1, Math.round(200 * k * scale)), warmupMs: 0, keySpace: 1000 } }, 'standard', 'bench');
      gc();
      let peak = process.memoryUsage.rss();
      const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 50);
      const o = await runScenario(s, makeContext({ clientOptions: target.clientOptions, client, targetKind: 'memory', signal }));
      clearInterval(sampler);
      gc();
      gc();
      // The first, small run only warms the code up (JIT, lazily loaded modules).
      if (k >= 1) out.push({ ops: o.ops, opsPerSec: o.opsPerSec, peakRssBytes: peak, heapAfterGcBytes: process.memoryUsage().heapUsed });
    }
  } finally {
    await target.stop();
  }
  return out;
}

/** p99 of the operation type with the most samples (the scenario's own op). */
function mainP99(e: ScenarioEndEvent): number | undefined {
  return Object.values(e.latency).sort((a, b) => b.count - a.count)[0]?.p99Ms;
}

const fmt = (x: number | undefined, digits = 0): string => (x === undefined || !Number.isFinite(x) ? '-' : x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }));
const pad = (s: string, n: number): string => (s.length >= n ? `${s} ` : s + ' '.repeat(n - s.length));
const load = (): string => loadavg().map((l) => l.toFixed(2)).join(' ');

async function main(): Promise<void> {
  const opts = parseOptions(process.argv.slice(2));
  const dir = mkdtempSync(join(tmpdir(), 'metabench-client-bench-'));
  const cores = availableParallelism();
  const measured: Measured[] = [];
  try {
    const all = shapes(opts.scale);
    const files = all.map((s) => writeShape(dir, s));
    const byName = new Map(all.map((s) => [s.name, s]));
    process.stdout.write(`bench:client: targets ${opts.targets.join(', ')}; clients ${opts.clients.join(', ')}; scale ${opts.scale}; ${cores} cores; load average ${load()}\n\n`);
    process.stdout.write(pad('target', 8) + pad('shape', 34) + pad('client', 8) + pad('threads', 8) + pad('ops/s', 9) + pad('p99 ms', 8) + pad('runner µs/op', 13) + pad('server µs/op', 13) + 'status\n');
    const record = (client: ClientKind, threads: number, ends: ScenarioEndEvent[]): void => {
      for (const e of ends) {
        const target = (e as ScenarioEndEvent & { target: string }).target;
        const m: Measured = { target, shape: e.scenario, client, threads, opsPerSec: e.opsPerSec, p99Ms: mainP99(e), runnerCpuUsPerOp: e.extra?.runnerCpuUsPerOp, serverCpuUsPerOp: e.extra?.serverCpuUsPerOp, status: e.status };
        measured.push(m);
        process.stdout.write(
          pad(target, 8) + pad(byName.get(e.scenario)?.label ?? e.scenario, 34) + pad(client, 8) + pad(String(threads), 8) + pad(fmt(m.opsPerSec), 9) + pad(fmt(m.p99Ms, 1), 8) + pad(fmt(m.runnerCpuUsPerOp, 1), 13) + pad(fmt(m.serverCpuUsPerOp, 1), 13) + `${e.status}${e.errors.total ? ` (${e.errors.total} errors)` : ''}  load ${loadavg()[0]?.toFixed(2)}\n`,
        );
      }
    };
    for (const client of opts.clients) {
      record(client, 1, await run(['--targets', opts.targets.join(','), '--client', client, ...files.flatMap((f) => ['--scenario-file', f])], join(dir, 'results')));
    }
    const put50 = files[0]!;
    for (const threads of opts.threads.filter((t) => t > 1)) {
      if (threads > cores) {
        process.stdout.write(`(${threads} client threads skipped: ${cores} cores)\n`);
        continue;
      }
      for (const client of opts.clients) record(client, threads, await run(['--targets', opts.targets.join(','), '--client', client, '--client-threads', String(threads), '--scenario-file', put50], join(dir, 'results')));
    }

    const client = opts.clients[0]!;
    process.stdout.write(`\nrunner memory after N and 10×N operations (50 clients Put, memory, ${client}; the runner's workload path in this process):\n`);
    const mem = await memoryAtScale(client, opts.scale);
    for (const m of mem) process.stdout.write(`  ${pad(fmt(m.ops) + ' ops', 14)} peak RSS ${fmt(m.peakRssBytes / 2 ** 20, 1)} MiB   heap after GC ${fmt(m.heapAfterGcBytes / 2 ** 20, 1)} MiB   ${fmt(m.opsPerSec)} ops/s\n`);
    const [small, big] = mem;
    if (small && big) measured.push({ target: 'memory', shape: 'rss', client, threads: 1, opsPerSec: 0, rssRatio: big.heapAfterGcBytes / small.heapAfterGcBytes, status: 'passed' });

    process.stdout.write(`\ngoals (issue 11), measured / goal / met; load average ${load()}:\n`);
    for (const g of evaluateGoals(measured)) process.stdout.write(`  ${pad(g.goal, 62)} ${pad(g.measured, 12)} ${pad(g.target, 12)} ${g.met === undefined ? 'not measured' : g.met ? 'met' : 'NOT met'}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:client: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
