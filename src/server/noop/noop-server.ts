/**
 * A near no-op etcd v3 gRPC server for measuring the load generator's own ceiling: it answers
 * Range, Put, DeleteRange, Txn and Compact at once from a plain Map plus a sorted key index
 * (`noop-store.ts`: no MVCC history, no durability, no limits), and Watch minimally
 * (`noop-watch.ts`: create, cancel, and Put and Delete events to matching watchers), so the
 * benchmark workloads run unchanged and their checks still mean something. Compact only records
 * the revision: a read below it is refused with etcd's "required revision has been compacted";
 * a read at any other past revision gets the latest value (there is no history).
 *
 * It speaks through serve's own pieces, so that it costs less per call than serve and its
 * ceiling bounds serve's figures: serve's transport and service definitions (`../proto.ts`, the
 * KV service on the hand-written codec in `../codec/`, Watch events encoded once for all
 * watchers as `../watch-service.ts` does).
 *
 * It is the `noop` target of `metabench run` (`src/targets/noop.ts`, through
 * `src/targets/noop-entry.js`), and `npm run bench:harness` starts it directly:
 * `node --import tsx src/server/noop/noop-server.ts [host:port]` prints one line
 * `{"ready":true,"address":"127.0.0.1:<port>","pid":<pid>}` on stdout and serves until SIGTERM.
 */
import path from 'node:path';
import type { handleUnaryCall, UntypedServiceImplementation } from '@grpc/grpc-js';
import { toGrpcError } from '../grpc-errors.ts';
import { H2GrpcServer } from '../h2-transport.ts';
import { watchParent } from '../parent-watch.ts';
import { loadEtcdServices } from '../proto.ts';
import { RawGrpcServer } from '../raw/raw-server.ts';
import { chooseTransport } from '../server.ts';
import { NoopStore, type NoopFaults } from './noop-store.ts';
import { NoopWatch } from './noop-watch.ts';

export type { NoopFaults } from './noop-store.ts';

function logError(message: string): void {
  process.stderr.write(`noop server: error: ${message}\n`);
}

/**
 * `fn` as a unary handler, answered in the same tick: a throw is its gRPC status (an etcd error
 * with etcd's code and message). serve's `unary` adapter goes through a promise for its stores'
 * asynchronous answers; this store has none.
 */
function answer<Req, Res>(fn: (req: Req) => Res): handleUnaryCall<Req, Res> {
  return (call, callback) => {
    let res: Res;
    try {
      res = fn(call.request);
    } catch (err) {
      callback(toGrpcError(err, logError));
      return;
    }
    callback(null, res);
  };
}

/** Starts the server on `listen` (default 127.0.0.1:0); resolves with its address and a stop function. */
export async function startNoopServer(listen = '127.0.0.1:0', faults: NoopFaults = {}): Promise<{ address: string; stop: () => Promise<void> }> {
  // serve's service definitions: the KV service's requests and answers go through its codec.
  const services = loadEtcdServices();
  const store = new NoopStore(faults);
  const watch = new NoopWatch(store);
  const kv: UntypedServiceImplementation = {
    Range: answer(store.range.bind(store)),
    Put: answer(store.put.bind(store)),
    DeleteRange: answer(store.deleteRange.bind(store)),
    Txn: answer(store.txn.bind(store)),
    Compact: answer(store.compact.bind(store)),
  };
  const maintenance: UntypedServiceImplementation = {
    Status: answer(() => ({ header: store.header(), version: 'noop', dbSize: 0, leader: 1, raftIndex: store.revision, raftTerm: 1 })),
    Defragment: answer(() => ({ header: store.header() })),
  };

  // The same gRPC transport as `metabench serve` (raw by default, METABENCH_SERVE_TRANSPORT=h2 for
  // node:http2): with a heavier server than serve's, the "no-op" would cost more CPU per call
  // than serve itself and its ceiling would understate the load generator's.
  const maxReceiveMessageLength = 4 * 1024 * 1024;
  const server = chooseTransport(undefined) === 'h2' ? new H2GrpcServer({ maxReceiveMessageLength, log: logError }) : new RawGrpcServer({ maxReceiveMessageLength, log: logError });
  server.addService(services.KV, kv);
  server.addService(services.Watch, watch.service());
  server.addService(services.Maintenance, maintenance);
  const host = listen.slice(0, listen.lastIndexOf(':'));
  const wanted = Number(listen.slice(listen.lastIndexOf(':') + 1));
  const port = await server.bind(host, wanted).catch((err: unknown) => {
    throw new Error(`noop server: cannot bind ${listen}: ${(err as Error).message}`, { cause: err });
  });
  return {
    address: `${host}:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        watch.stop();
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
