/**
 * A near no-op etcd v3 gRPC server for measuring the load generator's own ceiling: it answers
 * Range, Put, DeleteRange, Txn and Compact at once from a plain Map plus a sorted key index (no
 * MVCC history, no durability, no limits), and Watch minimally (create, cancel, and Put events to
 * matching watchers), so the benchmark workloads run unchanged and their checks still mean
 * something. Compact only records the revision: a read below it is refused with etcd's
 * "required revision has been compacted"; a read at any other past revision gets the latest
 * value (there is no history). Protos come from the `etcd3` package at run time.
 *
 * It is the `noop` target of `metabench run` (`src/targets/noop.ts`, through
 * `src/targets/noop-entry.js`), and `npm run bench:harness` starts it directly:
 * `node --import tsx src/server/noop/noop-server.ts [host:port]` prints one line
 * `{"ready":true,"address":"127.0.0.1:<port>","pid":<pid>}` on stdout and serves until SIGTERM.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { H2GrpcServer } from '../h2-transport.ts';
import { watchParent } from '../parent-watch.ts';
import { RawGrpcServer } from '../raw/raw-server.ts';
import { chooseTransport } from '../server.ts';

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

interface RangeRequest {
  key: Buffer;
  range_end: Buffer;
  limit?: number;
  revision?: number;
}

interface RequestOp {
  request_range?: RangeRequest;
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

/** Faults to plant, so tests can show a check catching a server that misbehaves. */
export interface NoopFaults {
  /** Single-key Ranges of keys matching this answer a value with `stale:` in front. */
  readonly staleGet?: RegExp;
}

/** Starts the server on `listen` (default 127.0.0.1:0); resolves with its address and a stop function. */
export async function startNoopServer(listen = '127.0.0.1:0', faults: NoopFaults = {}): Promise<{ address: string; stop: () => Promise<void> }> {
  const services = loadServices();
  const store = new Map<string, Kv>();
  // Keys in byte order (latin1 strings compare as their bytes), for ranges without a scan.
  const sorted: string[] = [];
  const watchers = new Set<Registration>();
  let revision = 1;
  let compacted = 0;
  let nextWatchId = 1;
  const header = (): { revision: number; cluster_id: number; member_id: number; raft_term: number } => ({ revision, cluster_id: 1, member_id: 1, raft_term: 1 });

  const inRange = (key: Buffer, start: Buffer, end: Buffer): boolean =>
    end.length === 0 ? key.equals(start) : key.compare(start) >= 0 && (end.length === 1 && end[0] === 0 ? true : key.compare(end) < 0);

  /** First index in `sorted` whose key is ≥ `id`. */
  const lowerBound = (id: string): number => {
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((sorted[mid] as string) < id) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  /** Index bounds [from, to) of the keys in [key, range_end); range_end "\0" means to the end. */
  const bounds = (key: Buffer, end: Buffer): [number, number] => {
    if (end.length === 0) {
      const i = lowerBound(key.toString('latin1'));
      return [i, sorted[i] === key.toString('latin1') ? i + 1 : i];
    }
    const from = lowerBound(key.toString('latin1'));
    const to = end.length === 1 && end[0] === 0 ? sorted.length : lowerBound(end.toString('latin1'));
    return [from, Math.max(from, to)];
  };
  const compactedError = (): grpc.ServiceError =>
    Object.assign(new Error('etcdserver: mvcc: required revision has been compacted'), { code: grpc.status.OUT_OF_RANGE, details: 'etcdserver: mvcc: required revision has been compacted', metadata: new grpc.Metadata() });

  const range = (r: RangeRequest): { header: unknown; kvs: Kv[]; count: number; more: boolean } => {
    if (r.revision && r.revision > 0 && r.revision < compacted) throw compactedError();
    if (r.range_end.length === 0) {
      const id = r.key.toString('latin1');
      let kv = store.get(id);
      if (kv && faults.staleGet?.test(id)) kv = { ...kv, value: Buffer.concat([Buffer.from('stale:'), kv.value]) };
      return { header: header(), kvs: kv ? [kv] : [], count: kv ? 1 : 0, more: false };
    }
    const [from, to] = bounds(r.key, r.range_end);
    const count = to - from;
    const limit = r.limit && r.limit > 0 ? Math.min(r.limit, count) : count;
    const kvs: Kv[] = [];
    for (let i = from; i < from + limit; i++) kvs.push(store.get(sorted[i] as string) as Kv);
    return { header: header(), kvs, count, more: count > limit };
  };
  const put = (r: { key: Buffer; value: Buffer }): { header: unknown } => {
    revision++;
    const id = r.key.toString('latin1');
    const prev = store.get(id);
    const kv: Kv = { key: r.key, value: r.value, create_revision: prev?.create_revision ?? revision, mod_revision: revision, version: (prev?.version ?? 0) + 1 };
    if (!prev) sorted.splice(lowerBound(id), 0, id);
    store.set(id, kv);
    for (const w of watchers) {
      if (inRange(r.key, w.start, w.end)) w.call.write({ header: header(), watch_id: w.id, events: [{ type: 0, kv }] });
    }
    return { header: header() };
  };
  const del = (r: { key: Buffer; range_end: Buffer }): { header: unknown; deleted: number } => {
    const [from, to] = bounds(r.key, r.range_end);
    for (let i = from; i < to; i++) store.delete(sorted[i] as string);
    sorted.splice(from, to - from);
    if (to > from) revision++;
    return { header: header(), deleted: to - from };
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
    Range: (call, cb) => {
      try {
        cb(null, range(call.request));
      } catch (err) {
        cb(err as grpc.ServiceError);
      }
    },
    Put: (call, cb) => cb(null, put(call.request)),
    DeleteRange: (call, cb) => cb(null, del(call.request)),
    Txn: (call, cb) => {
      const req = call.request as { compare: Parameters<typeof holds>[0][]; success: RequestOp[]; failure: RequestOp[] };
      const ok = req.compare.every(holds);
      try {
        cb(null, { header: header(), succeeded: ok, responses: (ok ? req.success : req.failure).map(apply) });
      } catch (err) {
        cb(err as grpc.ServiceError);
      }
    },
    Compact: (call, cb) => {
      const rev = Number((call.request as { revision: number }).revision);
      if (rev > revision) {
        cb(Object.assign(new Error('etcdserver: mvcc: required revision is a future revision'), { code: grpc.status.OUT_OF_RANGE, details: 'etcdserver: mvcc: required revision is a future revision', metadata: new grpc.Metadata() }));
        return;
      }
      if (rev <= compacted) {
        cb(compactedError());
        return;
      }
      compacted = rev;
      cb(null, { header: header() });
    },
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

  // The same gRPC transport as `metabench serve` (raw by default, METABENCH_SERVE_TRANSPORT=h2 for
  // node:http2): with a heavier server than serve's, the "no-op" would cost more CPU per call
  // than serve itself and its ceiling would understate the load generator's.
  const maxReceiveMessageLength = 4 * 1024 * 1024;
  const server = chooseTransport(undefined) === 'h2' ? new H2GrpcServer({ maxReceiveMessageLength }) : new RawGrpcServer({ maxReceiveMessageLength });
  server.addService(services.KV, kv as unknown as grpc.UntypedServiceImplementation);
  server.addService(services.Watch, watch as unknown as grpc.UntypedServiceImplementation);
  server.addService(services.Maintenance, maintenance as unknown as grpc.UntypedServiceImplementation);
  const host = listen.slice(0, listen.lastIndexOf(':'));
  const wanted = Number(listen.slice(listen.lastIndexOf(':') + 1));
  const port = await server.bind(host, wanted).catch((err: unknown) => {
    throw new Error(`noop server: cannot bind ${listen}: ${(err as Error).message}`, { cause: err });
  });
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

/**
 * Serves on `listen` until SIGTERM or SIGINT (or, with `exitWithParent`, stdin's end-of-file:
 * the parent is gone), after one ready line on stdout; exits 0 once stopped (through
 * `process.exit`, so a `--cpu-prof` profile is written).
 */
export async function serveNoop(listen?: string, opts: { readonly exitWithParent?: boolean } = {}): Promise<void> {
  // Watched before listening: a runner killed while we start must not leave us running.
  const parent = opts.exitWithParent ? watchParent() : undefined;
  const { address, stop } = await startNoopServer(listen);
  process.stdout.write(`${JSON.stringify({ ready: true, address, pid: process.pid })}\n`);
  let stopping = false;
  const quit = (): void => {
    if (stopping) return;
    stopping = true;
    void stop().then(() => process.exit(0));
  };
  process.on('SIGTERM', quit);
  process.on('SIGINT', quit);
  void parent?.gone.then(quit);
}

// Run directly: serve until SIGTERM/SIGINT.
if (process.argv[1] && import.meta.url.endsWith(path.basename(process.argv[1]))) await serveNoop(process.argv[2]);
