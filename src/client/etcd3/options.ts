/**
 * `ConnectOptions` → the etcd3 package's `IOptions`: hosts with their scheme, TLS buffers as
 * gRPC credentials, user and password for etcd3's own authentication, the dial timeout.
 */
import type { IOptions } from 'etcd3';
import type { ConnectOptions } from '../types.ts';

/** Default milliseconds to wait for the connection (as `ConnectOptions.dialTimeoutMs`). */
export const DEFAULT_DIAL_TIMEOUT_MS = 5000;

/** The etcd3 options for `opts` (one `Etcd3` per client, so one connection each). */
export function etcd3Options(opts: ConnectOptions): IOptions {
  const scheme = opts.tls ? 'https' : 'http';
  const out: IOptions = { hosts: opts.hosts.map((h) => `${scheme}://${h}`), dialTimeout: opts.dialTimeoutMs ?? DEFAULT_DIAL_TIMEOUT_MS };
  if (opts.tls) {
    // Structured cloning (client threads) turns Buffers into Uint8Arrays; gRPC's TLS wants Buffers.
    const buf = (b: Uint8Array | undefined): Buffer | undefined => (b === undefined ? undefined : Buffer.isBuffer(b) ? b : Buffer.from(b));
    out.credentials = {
      // No CA: null tells gRPC to trust the system's roots.
      rootCertificate: (buf(opts.tls.ca) ?? null) as Buffer,
      certChain: buf(opts.tls.cert),
      privateKey: buf(opts.tls.key),
    };
  }
  if (opts.auth) out.auth = { username: opts.auth.user, password: opts.auth.password };
  return out;
}
