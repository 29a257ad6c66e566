/**
 * `npm run bench:channel`: the native transport's cost per unary RPC. N Put calls, 50 in
 * flight on one connection, against `metabench serve --engine memory` and the real etcd (when
 * installed), each target alone; beside it the etcd3 npm package doing the same on the same
 * server in the same run, as the baseline. Prints the client's CPU time per RPC (from
 * `process.cpuUsage()`, user + system, this process only) and calls/s.
 *
 *   npm run bench:channel                                   # 20,000 Puts per client, both targets
 *   npm run bench:channel -- --calls 5000 --targets memory  # quick
 *
 * The native figure is the transport alone: request bytes are encoded with protobufjs before
 * the clock starts (a pool of 1,000 keys) and responses are not decoded, so the etcd codec's
 * few µs come on top. The etcd3 figure includes its own encoding and decoding.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Etcd3 } from 'etcd3';
import { openH2Channel } from '../client/native/transport/h2-channel.ts';
import { encodeEtcd } from '../client/native/transport/test-etcd-messages.ts';
import { etcdAvailable, spawnEtcd, spawnServe, type ServerChild } from '../server/processes.ts';
import { tempDir } from '../server/test-support.ts';

type Target = 'memory' | 'etcd';
type ClientName = 'native' | 'etcd3';

/** What one client measured on one target. */
interface Measured {
  readonly target: Target;
  readonly client: ClientName;
  readonly calls: number;
  /** Client CPU (user + system) per call, µs. */
  readonly cpuUsPerCall: number;
  readonly callsPerSec: number;
  readonly errors: number;
}

const { values } = parseArgs({
  options: {
    calls: { type: 'string', default: '20000' },
    inflight: { type: 'string', default: '50' },
    warmup: { type: 'string', default: '2000' },
    targets: { type: 'string', default: 'memory,etcd' },
  },
});
const CALLS = Number(values.calls);
const INFLIGHT = Number(values.inflight);
const WARMUP = Number(values.warmup);
const TARGETS = values.targets.split(',') as Target[];
for (const [name, v] of [['calls', CALLS], ['inflight', INFLIGHT], ['warmup', WARMUP]] as const) {
  if (!Number.isInteger(v) || v < 0) throw new Error(`--${name} must be a non-negative integer, got ${String(values[name])}`);
}
for (const t of TARGETS) if (t !== 'memory' && t !== 'etcd') throw new Error(`--targets: unknown target ${JSON.stringify(t)}, expected memory and/or etcd`);

const VALUE = Buffer.alloc(64, 0x76);
const keyOf = (i: number) => `/bench/channel/k${i % 1000}`;

/** Runs `n` calls of `one(i)` with `INFLIGHT` of them in flight; returns CPU µs, wall ms, errors. */
async function drive(n: number, one: (i: number) => Promise<unknown>): Promise<{ cpuUs: number; wallMs: number; errors: number }> {
  let next = 0;
  let errors = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const worker = async () => {
    while (next < n) {
      const i = next++;
      try {
        await one(i);
      } catch (err) {
        if (errors++ === 0) console.error(`first error: ${(err as Error).message}`);
      }
    }
  };
  await Promise.all(Array.from({ length: INFLIGHT }, worker));
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { cpuUs: cpu.user + cpu.system, wallMs, errors };
}

async function measure(target: Target, client: ClientName, address: string): Promise<Measured> {
  let one: (i: number) => Promise<unknown>;
  let close: () => Promise<void>;
  if (client === 'native') {
    const ch = await openH2Channel({ hosts: [address] });
    const requests = Array.from({ length: 1000 }, (_, i) => encodeEtcd('PutRequest', { key: Buffer.from(keyOf(i)), value: VALUE }));
    one = (i) => ch.unary('/etcdserverpb.KV/Put', requests[i % 1000]!, { timeoutMs: 30_000 });
    close = () => ch.close();
  } else {
    const etcd = new Etcd3({ hosts: `http://${address}` });
    one = (i) => etcd.put(keyOf(i)).value(VALUE).exec();
    close = async () => etcd.close();
  }
  try {
    await drive(WARMUP, one);
    const r = await drive(CALLS, one);
    return { target, client, calls: CALLS, cpuUsPerCall: r.cpuUs / CALLS, callsPerSec: (CALLS / r.wallMs) * 1000, errors: r.errors };
  } finally {
    await close();
  }
}

async function start(target: Target, dataDir: string): Promise<ServerChild | undefined> {
  if (target === 'memory') return spawnServe({ engine: 'memory', dataDir });
  if (!(await etcdAvailable().catch(() => false))) {
    console.log('etcd: not installed (apt-get install etcd-server), skipped');
    return undefined;
  }
  return spawnEtcd(dataDir);
}

const results: Measured[] = [];
for (const target of TARGETS) {
  const dir = await tempDir(`bench-channel-${target}`);
  const server = await start(target, join(dir.path, 'data'));
  try {
    if (server) for (const client of ['native', 'etcd3'] as const) results.push(await measure(target, client, server.address));
  } finally {
    await server?.stop();
    await dir.remove();
  }
}

console.log(`\n${CALLS} Put calls per row, ${INFLIGHT} in flight on one connection, ${WARMUP} warm-up calls first`);
console.log('target  client  client CPU µs/call  calls/s  errors');
for (const r of results) {
  console.log(`${r.target.padEnd(7)} ${r.client.padEnd(7)} ${r.cpuUsPerCall.toFixed(1).padStart(18)} ${Math.round(r.callsPerSec).toString().padStart(8)} ${String(r.errors).padStart(7)}`);
}
