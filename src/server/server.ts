/**
 * The etcd v3 gRPC server in front of a MetaStore: binds, serves, and stops gracefully.
 *
 * Stopping (`stop`): the listener closes and connections are told to go away (no new calls),
 * open watch and keep-alive streams are ended with `etcdserver: server stopped` (clients
 * reconnect elsewhere or retry), in-flight unary calls are answered, then the caller closes the
 * store. Calls still running after the grace period are cut off.
 */
import { Limits } from '../../engine/mvcc/errors.ts';
import type { MetaStore } from '../../engine/mvcc/kv.ts';
import type { Logger, ServiceContext } from './context.ts';
import { grpcJsServer, type GrpcServer } from './grpc-js-server.ts';
import { H2GrpcServer } from './h2-transport.ts';
import { RawGrpcServer } from './raw/raw-server.ts';
import type { TlsFiles } from './tls.ts';
import { kvService } from './kv-service.ts';
import { leaseService } from './lease-service.ts';
import { formatAddress, type ListenAddress } from './listen.ts';
import { clusterService, maintenanceService } from './maintenance-service.ts';
import { loadEtcdServices } from './proto.ts';
import type { RequestLimits } from './validate.ts';
import { watchService } from './watch-service.ts';

/**
 * etcd's allowance on top of `--max-request-bytes` for gRPC framing (grpcOverheadBytes): the
 * transport accepts messages up to limit + overhead and the server answers
 * `request is too large` for writes above the limit itself.
 */
export const GRPC_OVERHEAD_BYTES = 512 * 1024;
/** etcd's default progress-notify interval: 10 minutes, in ms. */
export const DEFAULT_PROGRESS_NOTIFY_MS = 10 * 60 * 1000;

/** Options of `startEtcdServer`. */
export interface EtcdServerOptions {
  store: MetaStore;
  listen: ListenAddress;
  /** Default: etcd's 1.5 MiB per write request. */
  limits?: Partial<RequestLimits>;
  /** Default: lines on stderr. */
  log?: Logger;
  /** Default 10 minutes (etcd's). */
  progressNotifyIntervalMs?: number;
  /**
   * Which gRPC server carries the calls: `raw` (default; `raw/`, HTTP/2 frames on the socket),
   * `h2` (`h2-transport.ts`, on node:http2) or `grpc-js` (its `Server`). Environment:
   * `METABENCH_SERVE_TRANSPORT`.
   */
  transport?: Transport;
  /** Serve TLS (ALPN h2), with client certificates when a CA is given; plaintext by default. */
  tls?: TlsFiles;
  /**
   * A connection with no open call for this long is closed, and the handshake must be done
   * within it when shorter than 10 s; default 5 minutes. Environment:
   * `METABENCH_SERVE_IDLE_TIMEOUT_MS` (tests shorten it).
   */
  idleTimeoutMs?: number;
}

/** The gRPC server implementations `startEtcdServer` can use. */
export type Transport = 'raw' | 'h2' | 'grpc-js';
const TRANSPORTS: readonly Transport[] = ['raw', 'h2', 'grpc-js'];

/** The transport asked for, by option or `METABENCH_SERVE_TRANSPORT`; `raw` by default. */
export function chooseTransport(asked: Transport | undefined, env = process.env.METABENCH_SERVE_TRANSPORT): Transport {
  const t = asked ?? env ?? 'raw';
  if (!(TRANSPORTS as readonly string[]).includes(t)) throw new Error(`METABENCH_SERVE_TRANSPORT must be ${TRANSPORTS.join(', ')}, got '${t}'`);
  return t as Transport;
}

/** The idle timeout asked for, by option or `METABENCH_SERVE_IDLE_TIMEOUT_MS`; 5 minutes by default. */
export function chooseIdleTimeout(asked: number | undefined, env = process.env.METABENCH_SERVE_IDLE_TIMEOUT_MS): number {
  if (asked !== undefined) return asked;
  if (env === undefined || env === '') return DEFAULT_IDLE_TIMEOUT_MS;
  const ms = /^\d+$/.test(env) ? Number(env) : NaN;
  if (!(ms >= 1)) throw new Error(`METABENCH_SERVE_IDLE_TIMEOUT_MS must be a positive integer (ms), got '${env}'`);
  return ms;
}

/** Default idle timeout of a connection without calls: 5 minutes, in ms. */
export const DEFAULT_IDLE_TIMEOUT_MS = 5 * 60_000;
/** The client preface and SETTINGS must arrive within this (or the idle timeout if shorter), ms. */
const HANDSHAKE_TIMEOUT_MS = 10_000;

function makeServer(transport: Transport, limits: RequestLimits, opts: EtcdServerOptions, log: Logger): GrpcServer {
  const maxReceiveMessageLength = limits.maxRequestBytes + GRPC_OVERHEAD_BYTES;
  const idleTimeoutMs = chooseIdleTimeout(opts.idleTimeoutMs);
  const handshakeTimeoutMs = Math.min(HANDSHAKE_TIMEOUT_MS, idleTimeoutMs);
  const handlerLog = (m: string): void => log('error', m);
  switch (transport) {
    case 'raw':
      return new RawGrpcServer({ maxReceiveMessageLength, tls: opts.tls, log: handlerLog, limits: { idleTimeoutMs, handshakeTimeoutMs } });
    case 'h2':
      return new H2GrpcServer({ maxReceiveMessageLength, tls: opts.tls, log: handlerLog, idleTimeoutMs, handshakeTimeoutMs });
    case 'grpc-js':
      return grpcJsServer({ maxReceiveMessageLength, log, tls: opts.tls, idleTimeoutMs, handshakeTimeoutMs });
  }
}

/** A bound, serving server. */
export interface RunningEtcdServer {
  /** `host:port` actually bound (the real port when 0 was asked). */
  readonly address: string;
  readonly port: number;
  /**
   * Stops serving (see the file comment). Resolves `true` when every call finished within
   * `graceMs` (default 4,000), `false` when some were cut off. Does not close the store.
   */
  stop(graceMs?: number): Promise<boolean>;
}

/** A listen address that could not be bound (busy port, unknown host, no permission). */
export class BindError extends Error {
  override readonly name = 'BindError';
}

function stderrLog(level: string, message: string): void {
  process.stderr.write(`metabench serve: ${level}: ${message}\n`);
}

function describeBindError(address: string, err: Error): string {
  const m = err.message;
  if (/EADDRINUSE/.test(m)) return `cannot listen on ${address}: address already in use (is another server running there?)`;
  if (/EACCES/.test(m)) return `cannot listen on ${address}: permission denied`;
  if (/EADDRNOTAVAIL|ENOTFOUND|EAI_AGAIN/.test(m)) return `cannot listen on ${address}: no such local address`;
  return `cannot listen on ${address}: ${m}`;
}

/** Starts serving `store` on `listen`; rejects with a `BindError` when the address is unusable. */
export async function startEtcdServer(opts: EtcdServerOptions): Promise<RunningEtcdServer> {
  const limits: RequestLimits = {
    maxRequestBytes: opts.limits?.maxRequestBytes ?? Limits.maxRequestBytes,
  };
  const services = loadEtcdServices();
  const server = makeServer(chooseTransport(opts.transport), limits, opts, opts.log ?? stderrLog);
  let address = formatAddress(opts.listen.host, opts.listen.port);
  const ctx: ServiceContext = {
    store: opts.store,
    limits,
    log: opts.log ?? stderrLog,
    streams: new Set(),
    clientUrl: () => `${opts.tls ? 'https' : 'http'}://${address}`,
    progressNotifyIntervalMs: opts.progressNotifyIntervalMs ?? DEFAULT_PROGRESS_NOTIFY_MS,
  };
  server.addService(services.KV, kvService(ctx));
  server.addService(services.Watch, watchService(ctx));
  server.addService(services.Lease, leaseService(ctx));
  server.addService(services.Maintenance, maintenanceService(ctx));
  server.addService(services.Cluster, clusterService(ctx));

  const port = await server.bind(opts.listen.host, opts.listen.port).catch((err: unknown) => {
    server.forceShutdown();
    throw new BindError(describeBindError(address, err as Error), { cause: err });
  });
  address = formatAddress(opts.listen.host, port);

  let stopping: Promise<boolean> | undefined;
  const stop = (graceMs = 4000): Promise<boolean> => {
    stopping ??= new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => {
        server.forceShutdown();
        resolve(false);
      }, graceMs);
      server.tryShutdown(() => {
        clearTimeout(timer);
        resolve(true);
      });
      // Long-lived streams would hold tryShutdown forever: end them now.
      for (const s of [...ctx.streams]) s.stop();
    });
    return stopping;
  };
  return { address, port, stop };
}
