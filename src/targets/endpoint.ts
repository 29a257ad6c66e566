/**
 * The `endpoint` target: an existing etcd v3 endpoint or cluster, connect only (no process to
 * start or stop), with optional TLS files and user/password.
 */
import { readFileSync } from 'node:fs';
import type { ConnectOptions } from '../client/types.ts';
import { waitReady } from './readiness.ts';
import type { StartOptions, StartedTarget } from './types.ts';

/** How to reach an endpoint target. */
export interface EndpointConfig {
  /** `host:port` of each member. */
  readonly endpoints: readonly string[];
  readonly tls?: { readonly cacert?: string; readonly cert?: string; readonly key?: string };
  readonly auth?: { readonly user: string; readonly password: string };
}

/** Client options for an endpoint: the TLS files read into buffers (no `--cacert`: the system's roots). */
export function endpointClientOptions(cfg: EndpointConfig): ConnectOptions {
  const t = cfg.tls;
  const tls = t && (t.cacert || t.cert || t.key) ? { ...(t.cacert ? { ca: readFileSync(t.cacert) } : {}), ...(t.cert ? { cert: readFileSync(t.cert) } : {}), ...(t.key ? { key: readFileSync(t.key) } : {}) } : undefined;
  return { hosts: [...cfg.endpoints], ...(tls ? { tls } : {}), ...(cfg.auth ? { auth: { user: cfg.auth.user, password: cfg.auth.password } } : {}) };
}

/** Connects to an existing endpoint and checks that it answers. */
export async function connectEndpoint(name: string, cfg: EndpointConfig, opts: StartOptions): Promise<StartedTarget> {
  const clientOptions = endpointClientOptions(cfg);
  const ready = await waitReady(clientOptions, { what: `endpoint ${cfg.endpoints.join(',')}`, timeoutMs: opts.readyTimeoutMs ?? 10_000, signal: opts.signal, client: opts.client });
  return {
    name,
    kind: 'endpoint',
    clientOptions,
    server: { address: cfg.endpoints.join(','), version: ready.version },
    stop: async () => undefined,
  };
}
