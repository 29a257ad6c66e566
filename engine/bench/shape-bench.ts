/**
 * bench:serve's two shapes in process, without the transport: `put` (50 writers, Put of fresh
 * keys) and `txn` (10 writers, Txn If(Version = 0) Then Put Else Range, fresh keys), 256-byte
 * values, sync always. Prints ops/s, CPU per op of the whole process and of its main (JS)
 * thread, and changes per commit. The main thread's share is what the engine takes from the
 * thread that also serves gRPC; the rest is RocksDB's and libuv's threads (writes, fdatasync).
 *
 *   node --import tsx engine/bench/shape-bench.ts [engines=memory,rocksdb] [shapes=put,txn] [ops=20000]
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Backend, CommitBatch } from '../backend/backend.ts';
import { openStore, type EngineName } from '../index.ts';

const VALUE = Buffer.alloc(256, 0x76);
const CLIENTS = { put: 50, txn: 10 } as const;
type Shape = keyof typeof CLIENTS;

function usage(message: string): never {
  process.stderr.write(`shape-bench: ${message}\n`);
  process.exit(2);
}

function list<T extends string>(what: string, text: string | undefined, dflt: string, known: readonly T[]): T[] {
  const items = (text ?? dflt).split(',');
  for (const i of items) if (!(known as readonly string[]).includes(i)) usage(`${what}: unknown "${i}"; expected ${known.join(', ')}`);
  return items as T[];
}
const engines = list<EngineName>('engines', process.argv[2], 'memory,rocksdb', ['memory', 'rocksdb']);
const shapes = list<Shape>('shapes', process.argv[3], 'put,txn', ['put', 'txn']);
const total = Number(process.argv[4] ?? '20000');
if (!Number.isInteger(total) || total < 100) usage(`ops ${process.argv[4]}: expected an integer >= 100`);

/** CPU time (user + system) of this process's main thread so far, in us (Linux /proc). */
function mainThreadCpuUs(): number {
  const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
}

for (const engine of engines) {
  const dir = await mkdtemp(join(tmpdir(), `shape-bench-${engine}-`));
  const store = await openStore({ engine, dataDir: dir, sync: 'always' });
  // Counts commits (the store's backend is private; this bench only wraps its commit calls).
  const backend = (store as unknown as { backend: Backend }).backend;
  let commits = 0;
  for (const name of ['commit', 'commitKeyed'] as const) {
    const inner = backend[name]?.bind(backend) as ((b: CommitBatch, k?: readonly string[]) => Promise<void>) | undefined;
    if (inner !== undefined) (backend as unknown as Record<string, unknown>)[name] = (b: CommitBatch, k?: readonly string[]) => (commits++, inner(b, k));
  }
  try {
    for (const shape of shapes) {
      const clients = CLIENTS[shape];
      const run = async (tag: string, perClient: number): Promise<string> => {
        commits = 0;
        const cpu = process.cpuUsage();
        const main = mainThreadCpuUs();
        const t0 = performance.now();
        await Promise.all(
          Array.from({ length: clients }, async (_, c) => {
            for (let j = 0; j < perClient; j++) {
              const key = Buffer.from(`/bench/${tag}/client-${c}/key-${j}`);
              if (shape === 'put') await store.put({ key, value: VALUE });
              else await store.txn({ compare: [{ key, target: 'VERSION', result: 'EQUAL', version: 0 }], success: [{ requestPut: { key, value: VALUE } }], failure: [{ requestRange: { key } }] });
            }
          }),
        );
        const n = clients * perClient;
        const secs = (performance.now() - t0) / 1000;
        const used = process.cpuUsage(cpu);
        const perOp = (us: number): string => (us / n).toFixed(1);
        return `${Math.round(n / secs).toLocaleString('en-US')} ops/s, cpu ${perOp(used.user + used.system)} us/op (main thread ${perOp(mainThreadCpuUs() - main)}), ${(n / commits).toFixed(1)} changes/commit`;
      };
      await run(`${shape}-warm`, Math.max(1, Math.round(total / clients / 4)));
      const line = await run(shape, Math.max(1, Math.round(total / clients)));
      console.log(`${engine} ${shape} x${clients}: ${line}, load ${loadavg()[0].toFixed(1)}`);
    }
  } finally {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
}
