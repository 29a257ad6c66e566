/**
 * serve's own gRPC server transport: HTTP/2 straight on TCP (or TLS with ALPN `h2`) sockets,
 * one `ServerConnection` (`connection.ts`) per socket, on the frame layer shared with
 * metabench's client (`../../h2/`). It offers the subset of grpc-js's `Server` that
 * `../server.ts` uses, like the node:http2 transport (`../h2-transport.ts`), and runs the same
 * gRPC calls (`../h2-call.ts`), so both answer every call alike (`../transports.test.ts`).
 *
 * Why: node:http2 costs about 100 us of CPU per call in stream handling (a JS object, listeners
 * and an `AsyncResource` per stream, header objects both ways); here a unary call is a few
 * buffers in and three frames out, with the common header blocks encoded once.
 */
import net from 'node:net';
import tls from 'node:tls';
import type { ServiceDefinition, UntypedServiceImplementation } from '@grpc/grpc-js';
import { GrpcRouter } from '../grpc-router.ts';
import type { TlsFiles } from '../tls.ts';
import { ServerConnection } from './connection.ts';
import { DEFAULT_LIMITS, type ConnectionLimits } from './limits.ts';
import { bindEveryAddress } from '../bind-every-address.ts';

/** Options of `RawGrpcServer`. */
export interface RawGrpcServerOptions {
  /** Largest request message in bytes, -1 = no limit. */
  maxReceiveMessageLength: number;
  /** Connection limits; defaults in `limits.ts`. */
  limits?: Partial<ConnectionLimits>;
  /** TLS (ALPN h2); plaintext when absent. */
  tls?: TlsFiles;
  /** Where handler errors are reported; default stderr. */
  log?: (message: string) => void;
}

/** See the file comment. */
export class RawGrpcServer {
  private readonly router: GrpcRouter;
  private readonly limits: ConnectionLimits;
  private readonly connections = new Set<ServerConnection>();
  private readonly servers: net.Server[] = [];
  private closing: (() => void) | undefined;

  constructor(private readonly opts: RawGrpcServerOptions) {
    this.router = new GrpcRouter(opts.maxReceiveMessageLength, opts.log);
    this.limits = { ...DEFAULT_LIMITS, ...opts.limits };
  }

  addService(service: ServiceDefinition, impl: UntypedServiceImplementation): void {
    this.router.addService(service, impl);
  }

  /**
   * Binds `host:port` (port 0: a free one) and resolves with the bound port; a host name is
   * bound on every address it resolves to, as grpc-js does, failing only when none could be.
   */
  bind(host: string, port: number): Promise<number> {
    return bindEveryAddress(host, port, (address, p) => this.listenOn(address, p));
  }

  private listenOn(address: string, port: number): Promise<number> {
    const accept = (socket: net.Socket): void => {
      if (this.closing !== undefined) {
        socket.destroy();
        return;
      }
      const c = new ServerConnection(socket, this.router, this.limits, (gone) => {
        this.connections.delete(gone);
        this.maybeClosed();
      });
      this.connections.add(c);
    };
    const t = this.opts.tls;
    const server = t
      ? tls.createServer({ cert: t.cert, key: t.key, ca: t.ca, requestCert: t.ca !== undefined, rejectUnauthorized: t.ca !== undefined, ALPNProtocols: ['h2'] }, accept)
      : net.createServer({ noDelay: true }, accept);
    // A failed TLS handshake is the peer's problem, not ours.
    server.on('tlsClientError', (_err: Error, socket: net.Socket) => socket.destroy());
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, address, () => {
        server.removeListener('error', reject);
        server.on('error', () => undefined);
        this.servers.push(server);
        const a = server.address();
        resolve(typeof a === 'object' && a !== null ? a.port : port);
      });
    });
  }

  /** Stops accepting, sends GOAWAY everywhere; `done` once every connection has closed. */
  tryShutdown(done: () => void): void {
    let listeners = this.servers.length;
    let connectionsGone = false;
    const check = (): void => {
      if (listeners === 0 && connectionsGone) done();
    };
    this.closing = () => {
      connectionsGone = true;
      check();
    };
    for (const s of this.servers) s.close(() => --listeners === 0 && check());
    for (const c of [...this.connections]) c.shutdown();
    this.maybeClosed();
    if (this.servers.length === 0) check();
  }

  /** Closes every connection at once, cancelling calls still running. */
  forceShutdown(): void {
    this.closing ??= () => undefined;
    for (const c of [...this.connections]) c.destroy();
    for (const s of this.servers) s.close();
  }

  private maybeClosed(): void {
    if (this.closing !== undefined && this.connections.size === 0) {
      const fn = this.closing;
      this.closing = () => undefined;
      fn();
    }
  }
}
