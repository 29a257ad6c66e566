/**
 * The `endpoint` target: an existing etcd v3 endpoint or cluster, connect only (no process to
 * start or stop), with optional TLS files and user/password.
 */
import { readFileSync } from 'node:fs';
import type { IOptions } from 'etcd3';
import { waitReady } from './readiness.ts';
import type { StartOptions, StartedTarget } from './types.ts';

/** How to reach an endpoint target. */
export interface EndpointConfig {
  /** `host:port` of each member. */
  readonly endpoints: readonly string[];
  readonly tls?: { readonly cacert?: string; readonly cert?: string; readonly key?: string };
  readonly auth?: { readonly user: string; readonly password: string };
}

/** Client options for an endpoint (reads the TLS files). */
export function endpointClientOptions(cfg: EndpointConfig): IOptions {
  const tls = cfg.tls && (cfg.tls.cacert || cfg.tls.cert || cfg.tls.key);
  const scheme = tls ? 'https' : 'http';
  const opts: IOptions = { hosts: cfg.endpoints.map((e) => `${scheme}://${e}`) };
  if (tls && cfg.tls) {
    opts.credentials = {
      // No --cacert: null tells gRPC to trust the system's roots.
      rootCertificate: (cfg.tls.cacert ? readFileSync(cfg.tls.cacert) : null) as Buffer,
      certChain: cfg.tls.cert ? readFileSync(cfg.tls.cert) : undefined,
      privateKey: cfg.tls.key ? readFileSync(cfg.tls.key) : undefined,
    };
  }
  if (cfg.auth) opts.auth = { username: cfg.auth.user, password: cfg.auth.password };
  return opts;
}

/** Connects to an existing endpoint and checks that it answers. */
export async function connectEndpoint(name: string, cfg: EndpointConfig, opts: StartOptions): Promise<StartedTarget> {
  const clientOptions = endpointClientOptions(cfg);
  const ready = await waitReady(clientOptions, { what: `endpoint ${cfg.endpoints.join(',')}`, timeoutMs: opts.readyTimeoutMs ?? 10_000, signal: opts.signal });
  return {
    name,
    kind: 'endpoint',
    clientOptions,
    server: { address: cfg.endpoints.join(','), version: ready.version },
    stop: async () => undefined,
  };
}
