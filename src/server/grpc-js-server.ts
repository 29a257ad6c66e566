/**
 * serve on grpc-js's own `Server` (`METABENCH_SERVE_TRANSPORT=grpc-js`), with the defences the
 * other transports have (`hardening*.test.ts`): a stream limit advertised and kept, and every
 * HTTP/2 session guarded as the h2 transport's are (`session-guard.ts`: handshake and idle
 * timeouts, a budget for requests that never become calls).
 *
 * grpc-js offers no hook on its sessions, so the guard reaches its node:http2 servers through
 * the private `http2Servers` map (grpc-js 1.14); `bind` fails loudly if a grpc-js upgrade
 * removes it, rather than serving unguarded.
 */
import type http2 from 'node:http2';
import { Server, ServerCredentials, type ServiceDefinition, type UntypedServiceImplementation } from '@grpc/grpc-js';
import type { Logger } from './context.ts';
import { GrpcRouter } from './grpc-router.ts';
import { H2_MAX_CONCURRENT_STREAMS } from './h2-transport.ts';
import { formatAddress } from './listen.ts';
import { guardSession } from './session-guard.ts';
import type { TlsFiles } from './tls.ts';

/** Options of `grpcJsServer`. */
export interface GrpcJsServerOptions {
  /** Largest request message in bytes (`grpc.max_receive_message_length`). */
  maxReceiveMessageLength: number;
  log: Logger;
  tls?: TlsFiles;
  /** A session without open streams for this long is destroyed, ms. */
  idleTimeoutMs: number;
  /** The client's SETTINGS must arrive within this, ms. */
  handshakeTimeoutMs: number;
}

/** What `server.ts` needs from a gRPC server (the subset of grpc-js's `Server` it uses). */
export interface GrpcServer {
  addService(service: ServiceDefinition, impl: UntypedServiceImplementation): void;
  /** Resolves with the bound port; rejects with the bind error. */
  bind(host: string, port: number): Promise<number>;
  tryShutdown(done: () => void): void;
  forceShutdown(): void;
}

/** The part of grpc-js 1.14's private state the guard needs. */
type Http2Servers = Map<http2.Http2Server | http2.Http2SecureServer, { sessions: Set<http2.ServerHttp2Session> }>;

function http2ServersOf(server: Server): Http2Servers {
  const servers = (server as unknown as { http2Servers?: unknown }).http2Servers;
  if (!(servers instanceof Map)) throw new Error('grpc-js Server has no http2Servers map (grpc-js upgraded?): cannot guard its sessions');
  return servers as Http2Servers;
}

/** A grpc-js `Server` as `server.ts` uses it; see the file comment. */
export function grpcJsServer(opts: GrpcJsServerOptions): GrpcServer {
  const server = new Server({
    'grpc.max_receive_message_length': opts.maxReceiveMessageLength,
    'grpc.max_send_message_length': -1,
    // Per-call bookkeeping (counters, timestamps, a tracker per session) nobody reads here.
    'grpc.enable_channelz': 0,
    'grpc.max_concurrent_streams': H2_MAX_CONCURRENT_STREAMS,
  });
  // Only to tell calls from requests that are none, as grpc-js's own dispatch does.
  const router = new GrpcRouter(opts.maxReceiveMessageLength);
  const guard = {
    idleTimeoutMs: opts.idleTimeoutMs,
    handshakeTimeoutMs: opts.handshakeTimeoutMs,
    isCall: (headers: http2.IncomingHttpHeaders) => router.dispatch(headers['content-type'], headers[':path']).kind === 'route',
  };
  const guarded = new WeakSet<object>();
  const guardOnce = (session: http2.ServerHttp2Session): void => {
    if (guarded.has(session)) return;
    guarded.add(session);
    guardSession(session, guard);
  };
  /** Guards the sessions of every server bound so far, and the sessions to come. */
  const guardServers = (): void => {
    for (const [h2, info] of http2ServersOf(server)) {
      if (guarded.has(h2)) continue;
      guarded.add(h2);
      h2.on('session', guardOnce);
      for (const s of info.sessions) guardOnce(s);
    }
  };
  return {
    addService: (service, impl) => {
      server.addService(service, impl);
      router.addService(service, impl);
    },
    bind: (host, port) =>
      new Promise((resolve, reject) => {
        const t = opts.tls;
        const creds = t ? ServerCredentials.createSsl(t.ca ?? null, [{ cert_chain: t.cert, private_key: t.key }], t.ca !== undefined) : ServerCredentials.createInsecure();
        server.bindAsync(formatAddress(host, port), creds, (err, boundPort) => {
          if (err) return reject(err);
          try {
            guardServers();
            resolve(boundPort);
          } catch (e) {
            reject(e as Error);
          }
        });
      }),
    tryShutdown: (done) =>
      server.tryShutdown((err) => {
        if (err) opts.log('warn', `graceful shutdown: ${err.message}`);
        done();
      }),
    forceShutdown: () => server.forceShutdown(),
  };
}
