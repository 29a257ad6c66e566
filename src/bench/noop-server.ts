/**
 * A near no-op etcd v3 gRPC server for measuring the load generator's own ceiling: it answers
 * Range, Put, DeleteRange, Txn and Compact at once from a plain Map (no MVCC history, no
 * durability, no limits; a range is a linear scan), and Watch minimally (create, cancel, and Put events to matching
 * watchers), so the benchmark workloads run unchanged and their checks still mean something.
 * Protos come from the `etcd3` package at run time.
 *
 * Run as a child process: `node --import tsx src/bench/noop-server.ts` prints one line
 * `{"ready":true,"address":"127.0.0.1:<port>","pid":<pid>}` on stdout and serves until SIGTERM.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';

interface Kv {
  key: Buffer;
  value: Buffer;
  create_revision: number;
  mod_revision: number;
  version: number;
}

interface Registration {
  call: grpc.ServerDuplexStream<WatchRequest, unknown>;
  id: number;
  start: Buffer;
  end: Buffer; // empty: the single key `start`
}

interface WatchRequest {
  create_request?: { key: Buffer; range_end: Buffer };
  cancel_request?: { watch_id: number };
}

interface RequestOp {
  request_range?: { key: Buffer; range_end: Buffer };
  request_put?: { key: Buffer; value: Buffer };
  request_delete_range?: { key: Buffer; range_end: Buffer };
}

type Unary = (call: { request: never }, cb: grpc.sendUnaryData<unknown>) => void;

/** Loads etcd's services from the installed `etcd3` package (enums as wire numbers). */
function loadServices(): Record<'KV' | 'Watch' | 'Maintenance', grpc.ServiceDefinition> {
  const require = createRequire(import.meta.url);
  const proto = path.join(path.dirname(require.resolve('etcd3/package.json')), 'proto', 'rpc.proto');
  const def = loadSync(proto, { keepCase: true, longs: Number, enums: Number, defaults: true, oneofs: true });
  const pkg = grpc.loadPackageDefinition(def) as unknown as { etcdserverpb: Record<string, { service: grpc.ServiceDefinition }> };
  const get = (name: string): grpc.ServiceDefinition => (pkg.etcdserverpb[name] as { service: grpc.ServiceDefinition }).service;
  return { KV: get('KV'), Watch: get('Watch'), Maintenance: get('Maintenance') };
}

/** Starts the server on `listen` (default 127.0.0.1:0); resolves with its address and a stop function. */
export async function startNoopServer(listen = '127.0.0.1:0'): Promise<{ address: string; stop: () => Promise<void> }> {
  const services = loadServices();
  const store = new Map<string, Kv>();
  const watchers = new Set<Registration>();
  let revision = 1;
  let nextWatchId = 1;
  const header = (): { revision: number; cluster_id: number; member_id: number; raft_term: number } => ({ revision, cluster_id: 1, member_id: 1, raft_term: 1 });

  const inRange = (key: Buffer, start: Buffer, end: Buffer): boolean =>
    end.length === 0 ? key.equals(start) : key.compare(start) >= 0 && (end.length === 1 && end[0] === 0 ? true : key.compare(end) < 0);

  const range = (r: { key: Buffer; range_end: Buffer; limit?: number }): { header: unknown; kvs: Kv[]; count: number; more: boolean } => {
    if (r.range_end.length === 0) {
      const kv = store.get(r.key.toString('latin1'));
      return { header: header(), kvs: kv ? [kv] : [], count: kv ? 1 : 0, more: false };
    }
    // A scan: fine for the bounded key spaces the workloads use.
    const found = [...store.values()].filter((kv) => inRange(kv.key, r.key, r.range_end)).sort((a, b) => a.key.compare(b.key));
    const limit = r.limit && r.limit > 0 ? r.limit : found.length;
    return { header: header(), kvs: found.slice(0, limit), count: found.length, more: found.length > limit };
  };
  const put = (r: { key: Buffer; value: Buffer }): { header: unknown } => {
    revision++;
    const id = r.key.toString('latin1');
    const prev = store.get(id);
    const kv: Kv = { key: r.key, value: r.value, create_revision: prev?.create_revision ?? revision, mod_revision: revision, version: (prev?.version ?? 0) + 1 };
    store.set(id, kv);
    for (const w of watchers) {
      if (inRange(r.key, w.start, w.end)) w.call.write({ header: header(), watch_id: w.id, events: [{ type: 0, kv }] });
    }
    return { header: header() };
  };
  const del = (r: { key: Buffer; range_end: Buffer }): { header: unknown; deleted: number } => {
    const existed = store.delete(r.key.toString('latin1'));
    if (existed) revision++;
    return { header: header(), deleted: existed ? 1 : 0 };
  };
  const apply = (op: RequestOp): unknown => {
    if (op.request_put) return { response_put: put(op.request_put) };
    if (op.request_delete_range) return { response_delete_range: del(op.request_delete_range) };
    return { response_range: range(op.request_range ?? { key: Buffer.alloc(0), range_end: Buffer.alloc(0) }) };
  };
  // Compares: enough for the workloads (Version/Mod/Create with =, !=, <, >).
  const holds = (c: { key: Buffer; target: number; result: number; version: number; create_revision: number; mod_revision: number }): boolean => {
    const kv = store.get(c.key.toString('latin1'));
    const [have, want] =
      c.target === 0 ? [kv?.version ?? 0, c.version] : c.target === 1 ? [kv?.create_revision ?? 0, c.create_revision] : [kv?.mod_revision ?? 0, c.mod_revision];
    return c.result === 0 ? have === want : c.result === 1 ? have > want : c.result === 2 ? have < want : have !== want;
  };

  const kv: Record<string, Unary> = {
    Range: (call, cb) => cb(null, range(call.request)),
    Put: (call, cb) => cb(null, put(call.request)),
    DeleteRange: (call, cb) => cb(null, del(call.request)),
    Txn: (call, cb) => {
      const req = call.request as { compare: Parameters<typeof holds>[0][]; success: RequestOp[]; failure: RequestOp[] };
      const ok = req.compare.every(holds);
      cb(null, { header: header(), succeeded: ok, responses: (ok ? req.success : req.failure).map(apply) });
    },
    Compact: (_call, cb) => cb(null, { header: header() }),
  };
  const maintenance: Record<string, Unary> = {
    Status: (_call, cb) => cb(null, { header: header(), version: 'noop', dbSize: 0, leader: 1, raftIndex: revision, raftTerm: 1 }),
    Defragment: (_call, cb) => cb(null, { header: header() }),
  };
  const watch = {
    Watch: (call: grpc.ServerDuplexStream<WatchRequest, unknown>) => {
      const mine = new Map<number, Registration>();
      call.on('data', (req: WatchRequest) => {
        if (req.create_request) {
          const reg: Registration = { call, id: nextWatchId++, start: req.create_request.key, end: req.create_request.range_end };
          mine.set(reg.id, reg);
          watchers.add(reg);
          call.write({ header: header(), watch_id: reg.id, created: true });
        } else if (req.cancel_request) {
          const reg = mine.get(req.cancel_request.watch_id);
          if (reg) watchers.delete(reg);
          call.write({ header: header(), watch_id: req.cancel_request.watch_id, canceled: true });
        }
      });
      const drop = (): void => {
        for (const reg of mine.values()) watchers.delete(reg);
        mine.clear();
      };
      call.on('end', () => {
        drop();
        call.end();
      });
      call.on('error', drop);
      call.on('cancelled', drop);
    },
  };

  const server = new grpc.Server();
  server.addService(services.KV, kv as unknown as grpc.UntypedServiceImplementation);
  server.addService(services.Watch, watch as unknown as grpc.UntypedServiceImplementation);
  server.addService(services.Maintenance, maintenance as unknown as grpc.UntypedServiceImplementation);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(listen, grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(new Error(`noop server: cannot bind ${listen}: ${err.message}`, { cause: err })) : resolve(p))),
  );
  const host = listen.slice(0, listen.lastIndexOf(':'));
  return {
    address: `${host}:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const w of watchers) w.call.end();
        server.tryShutdown(() => resolve());
        setTimeout(() => {
          server.forceShutdown();
          resolve();
        }, 2000).unref();
      }),
  };
}

// Run directly: serve until SIGTERM/SIGINT.
if (process.argv[1] && import.meta.url.endsWith(path.basename(process.argv[1]))) {
  const { address, stop } = await startNoopServer(process.argv[2]);
  process.stdout.write(`${JSON.stringify({ ready: true, address, pid: process.pid })}\n`);
  const quit = (): void => {
    void stop().then(() => process.exit(0));
  };
  process.on('SIGTERM', quit);
  process.on('SIGINT', quit);
}
