/**
 * Which handler a request path leads to, shared by serve's own transports (`h2-transport.ts` on
 * node:http2, `raw/` on raw frames): services are added as grpc-js service definitions with
 * grpc-js handlers, and a request's headers pick the route or the answer for a path nobody
 * serves (UNIMPLEMENTED with grpc-js's message, or 415 for a request that is not gRPC).
 */
import type { ServiceDefinition, UntypedServiceImplementation } from '@grpc/grpc-js';
import type { AnyMethod, BidiImpl, Route, UnaryImpl } from './h2-call.ts';

/** What a request's headers lead to. */
export type Dispatch = { kind: 'route'; route: Route } | { kind: 'not-grpc' } | { kind: 'unimplemented'; name: string };

/** Routes by `:path`; see the file comment. */
export class GrpcRouter {
  private readonly routes = new Map<string, Route>();
  private readonly unimplemented = new Map<string, string>();

  /**
   * @param maxReceiveMessageLength largest request message in bytes, -1 = no limit.
   * @param log where handler errors go (default: stderr).
   */
  constructor(
    private readonly maxReceiveMessageLength: number,
    private readonly log?: (message: string) => void,
  ) {}

  /** Adds a service: one route per implemented method. Only unary and bidi methods exist in etcd's API. */
  addService(service: ServiceDefinition, impl: UntypedServiceImplementation): void {
    for (const [name, method] of Object.entries(service) as [string, AnyMethod & { originalName?: string }][]) {
      const fn = (impl[name] ?? (method.originalName ? impl[method.originalName] : undefined)) as ((...args: never[]) => void) | undefined;
      if (fn === undefined) {
        this.unimplemented.set(method.path, name);
        continue;
      }
      if (method.requestStream !== method.responseStream) throw new Error(`${method.path}: only unary and bidirectional methods are supported`);
      const route = { path: method.path, name, method, maxReceive: this.maxReceiveMessageLength, log: this.log };
      this.routes.set(method.path, method.requestStream ? { ...route, bidi: fn as unknown as BidiImpl } : { ...route, unary: fn as unknown as UnaryImpl });
    }
  }

  /** Where a request with this `content-type` and `:path` goes. */
  dispatch(contentType: unknown, path: unknown): Dispatch {
    if (typeof contentType !== 'string' || !contentType.startsWith('application/grpc')) return { kind: 'not-grpc' };
    const p = typeof path === 'string' ? path : '';
    const route = this.routes.get(p);
    if (route !== undefined) return { kind: 'route', route };
    return { kind: 'unimplemented', name: this.unimplemented.get(p) ?? p };
  }
}
