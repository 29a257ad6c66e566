/**
 * `npm run bench:harness`: the load generator's own ceiling. Starts the near no-op etcd v3 server
 * (`src/server/noop/noop-server.ts`) in a child process, runs each scenario shape through the real workload code
 * (`runScenario`) and reports operations per second, with a bare client Put loop (no recorder, no
 * driver) measured in the same run as the baseline, once per client-thread count
 * (`clientThreads`; the runner's own CPU per operation beside each figure, from
 * `extra.runnerCpuUsPerOp`, which load on the machine does not inflate the way it does ops/s).
 * Then shows the harness's memory stays flat: peak RSS and retained heap after N and after 10×N
 * operations.
 *
 *   npm run bench:harness                       # default sizes, 1 and 2 client threads
 *   BENCH_SCALE=0.2 npm run bench:harness       # smaller, for a quick look
 *   BENCH_THREADS=1,2,4 npm run bench:harness   # other thread counts
 *   BENCH_CLIENT=etcd3 npm run bench:harness    # the etcd3 package instead of the native client
 */
import { loadavg } from 'node:os';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { connect, DEFAULT_CLIENT, isClientKind } from '../client/factory.ts';
import type { ClientKind, StoreClient } from '../client/types.ts';
import { execa } from 'execa';
import { resolveScenario } from '../../scenarios/loader.ts';
import { runScenario } from '../workload/index.ts';
import { makeContext } from '../workload/test-support.ts';
import { ClientThreadPool } from '../workload/threads.ts';

const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const THREADS = (process.env.BENCH_THREADS ?? '1,2').split(',').map(Number);
if (THREADS.some((t) => !Number.isInteger(t) || t < 1)) throw new Error(`BENCH_THREADS: '${process.env.BENCH_THREADS}' is not a list of whole numbers ≥ 1`);
const CLIENT_NAME = process.env.BENCH_CLIENT ?? DEFAULT_CLIENT;
if (!isClientKind(CLIENT_NAME)) throw new Error(`BENCH_CLIENT: '${CLIENT_NAME}' is not native or etcd3`);
const CLIENT: ClientKind = CLIENT_NAME;
const sized = (x: number): number => Math.max(1, Math.round(x * SCALE));
const MiB = 1024 * 1024;

async function startChild(signal: AbortSignal): Promise<{ address: string; stop: () => Promise<void> }> {
  const file = fileURLToPath(new URL('../server/noop/noop-server.ts', import.meta.url));
  const child = execa(process.execPath, ['--import', 'tsx', file], { cancelSignal: signal, forceKillAfterDelay: 3000, cleanup: true, stdout: 'pipe', stderr: 'inherit', reject: false });
  const lines = createInterface({ input: child.stdout });
  const [line] = (await Promise.race([once(lines, 'line'), child.then((r) => Promise.reject(new Error(`noop server exited before it was ready (${r.exitCode ?? r.signal})`)))])) as [string];
  lines.close();
  const ready = JSON.parse(line) as { address: string };
  return {
    address: ready.address,
    stop: async () => {
      child.kill('SIGTERM');
      await child;
    },
  };
}

/** Ops/s of a bare client Put loop: `workers` concurrent awaits, no measurement at all. */
async function barePuts(client: StoreClient, workers: number, perWorker: number): Promise<number> {
  const t = performance.now();
  await Promise.all(
    Array.from({ length: workers }, async (_, w) => {
      for (let j = 0; j < perWorker; j++) await client.put(`/bare/${w}/${j % 1000}`, 'x'.repeat(64));
    }),
  );
  return (workers * perWorker) / ((performance.now() - t) / 1000);
}

interface Shape {
  label: string;
  doc: Record<string, unknown>;
}

const shapes: Shape[] = [
  { label: '50 clients × Put+Get pairs', doc: { workload: 'put-get', params: { clients: 50, opsPerClient: sized(200) } } },
  { label: '50 clients × Put', doc: { workload: 'put', params: { clients: 50, opsPerClient: sized(400) } } },
  { label: '30 clients, 40/40/10/10 mix', doc: { workload: 'mixed', params: { clients: 30, opsPerClient: sized(500) } } },
  { label: '10 clients × Txn', doc: { workload: 'txn', params: { clients: 10, opsPerClient: sized(1000) } } },
  { label: '100 watchers × events, 50 in flight', doc: { workload: 'watch', params: { watchers: 100, events: sized(1000), inFlight: 50 } } },
];

async function main(): Promise<void> {
  const ac = new AbortController();
  process.once('SIGINT', () => ac.abort());
  const server = await startChild(ac.signal);
  const clientOptions = { hosts: [server.address] };
  const client = await connect(CLIENT, clientOptions);
  // Warm client threads shared by every shape, as a runner keeps them across scenarios.
  const clientThreads = new ClientThreadPool();
  const run = async (name: string, doc: Record<string, unknown>) => runScenario(resolveScenario({ name, ...doc }, 'standard', 'bench'), { ...makeContext({ clientOptions, client: CLIENT, signal: ac.signal }), clientThreads });
  try {
    console.log(`metabench harness ceiling against a no-op etcd v3 server at ${server.address} (${CLIENT} client, one connection per client thread; scale ${SCALE}; load average ${loadavg().map((x) => x.toFixed(2)).join(' ')})`);
    await barePuts(client, 50, sized(100)); // JIT warm-up of the client path
    await run('warm', { workload: 'put', params: { clients: 50, opsPerClient: sized(100) } });
    for (const threads of THREADS.filter((t) => t > 1)) await run('warm', { workload: 'put-get', params: { clients: 50, opsPerClient: sized(100), clientThreads: threads } });
    const bare = await barePuts(client, 50, sized(400));
    console.log(`\nbaseline: bare ${CLIENT} Put loop, 50 workers: ${fmt(bare)} ops/s\n`);
    console.log(pad('shape', 38) + pad('threads', 9) + pad('ops/s', 10) + pad('× bare Put', 12) + pad('CPU µs/op', 11) + pad('CPU %', 8) + pad('p50 ms', 9) + pad('p99 ms', 9) + 'status');
    for (const s of shapes) {
      for (const threads of s.doc.workload === 'watch' ? [1] : THREADS) {
        const doc = { ...s.doc, params: { ...(s.doc.params as object), ...(threads > 1 ? { clientThreads: threads } : {}) } };
        const o = await run(s.label.replace(/[^a-z0-9]+/gi, '-').toLowerCase().replace(/^-|-$/g, ''), doc);
        const main = Object.entries(o.latency).sort((a, b) => b[1].count - a[1].count)[0]?.[1];
        const extra = s.doc.workload === 'watch' ? `  (delivery p50 ${o.latency['watch-delivery']?.p50Ms} / p99 ${o.latency['watch-delivery']?.p99Ms} ms)` : '';
        const cpu = (k: string): string => String(o.extra?.[k] ?? '-');
        console.log(
          pad(s.label, 38) + pad(String(threads), 9) + pad(fmt(o.opsPerSec), 10) + pad((o.opsPerSec / bare).toFixed(2), 12) + pad(cpu('runnerCpuUsPerOp'), 11) + pad(cpu('runnerCpuPercent'), 8) + pad(String(main?.p50Ms ?? '-'), 9) + pad(String(main?.p99Ms ?? '-'), 9) + o.status + extra + `  load ${loadavg()[0]?.toFixed(2)}`,
        );
      }
    }

    console.log('\nmemory of the harness process (50 clients × Put): peak RSS while running, heap retained after GC');
    const gc = (globalThis as { gc?: () => void }).gc;
    for (const perClient of [sized(200), sized(2000)]) {
      gc?.();
      let peak = process.memoryUsage().rss;
      const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
      const o = await run('memory', { workload: 'put', params: { clients: 50, opsPerClient: perClient } });
      clearInterval(sampler);
      gc?.();
      const heap = process.memoryUsage().heapUsed;
      console.log(`  ${pad(fmt(o.ops) + ' ops', 14)} peak RSS ${(peak / MiB).toFixed(1)} MiB   heap after GC ${(heap / MiB).toFixed(1)} MiB   ${fmt(o.opsPerSec)} ops/s`);
    }
    if (!gc) console.log('  (run with --expose-gc for the heap figure after a full GC)');
  } finally {
    await client.close();
    await clientThreads.close();
    await server.stop();
  }
}

function fmt(x: number): string {
  return Math.round(x).toLocaleString('en-US');
}

function pad(s: string, n: number): string {
  return s.length >= n ? `${s} ` : s + ' '.repeat(n - s.length);
}

await main();
