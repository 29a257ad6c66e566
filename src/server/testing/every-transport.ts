/**
 * Test support: one memory store (sync none) served on each of serve's transports (raw, h2,
 * grpc-js) on free loopback ports, with etcd's request limit lowered to 1,000 bytes so the size
 * check is cheap to reach. For tests that play the same calls on every transport.
 */
import { join } from 'node:path';
import { openStore, type MetaStore } from '../../../engine/index.ts';
import { startEtcdServer, type RunningEtcdServer, type Transport } from '../server.ts';
import { tempDir } from '../test-support.ts';

/** The transports, in the order tests iterate them. */
export const TRANSPORTS = ['raw', 'h2', 'grpc-js'] as const satisfies readonly Transport[];

/** A store and its servers; `stop()` stops the servers, closes the store and removes its folder. */
export interface EveryTransport {
  readonly store: MetaStore;
  readonly servers: ReadonlyMap<Transport, RunningEtcdServer>;
  stop(): Promise<void>;
}

/** Opens the store under a fresh temp dir named after `prefix` and serves it on every transport. */
export async function serveOnEveryTransport(prefix: string): Promise<EveryTransport> {
  const dir = await tempDir(prefix);
  const store = await openStore({ engine: 'memory', dataDir: join(dir.path, 'data'), sync: 'none', log: () => undefined });
  const servers = new Map<Transport, RunningEtcdServer>();
  const stop = async (): Promise<void> => {
    for (const s of servers.values()) await s.stop(1000);
    await store.close();
    await dir.remove();
  };
  try {
    for (const transport of TRANSPORTS) {
      servers.set(transport, await startEtcdServer({ store, listen: { host: '127.0.0.1', port: 0 }, limits: { maxRequestBytes: 1000 }, log: () => undefined, transport }));
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return { store, servers, stop };
}
