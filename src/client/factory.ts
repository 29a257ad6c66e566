/**
 * The one place clients are built: the runner's scenarios, its client threads, readiness checks
 * and the benches all call `connect(kind, opts)`, so `--client` decides every connection a run
 * makes.
 */
import { openEtcd3Client } from './etcd3/index.ts';
import { openNativeClient } from './native/index.ts';
import type { ClientKind, ConnectOptions, StoreClient } from './types.ts';

/** Every client kind, the default first. */
export const CLIENT_KINDS: readonly ClientKind[] = ['native', 'etcd3'];

/** The client `metabench run` uses without `--client`. */
export const DEFAULT_CLIENT: ClientKind = 'native';

/** True for a known client kind. */
export function isClientKind(s: string): s is ClientKind {
  return (CLIENT_KINDS as readonly string[]).includes(s);
}

/**
 * A client of kind `kind` to `opts.hosts[0]`: one connection. The native client resolves once
 * the connection is up; the etcd3 one dials on its first call. Rejects with a `StoreError`.
 */
export function connect(kind: ClientKind, opts: ConnectOptions): Promise<StoreClient> {
  switch (kind) {
    case 'native':
      return openNativeClient(opts);
    case 'etcd3':
      return openEtcd3Client(opts);
  }
}
