/**
 * Opens MetaStore-TS on a data directory with the chosen engine. This is the one entry point
 * that `metabench serve`, the micro-benchmarks and the tests use.
 */
import type { BackendOptions } from './backend/backend.ts';
import type { MetaStore } from './mvcc/kv.ts';
import type { MvccOptions } from './mvcc/store.ts';

export type EngineName = 'memory' | 'rocksdb';

/** Engine choice, data directory and sync policy, plus optional MVCC tuning (lease timing). */
export interface OpenStoreOptions extends BackendOptions, MvccOptions {
  engine: EngineName;
}

export type { MetaStore } from './mvcc/kv.ts';
export type { MvccOptions } from './mvcc/store.ts';
export type { OpenStoreOptions as StoreOptions };

/** Opens (creating if needed) a store. Rejects with a clear error on a foreign or locked dir. */
export async function openStore(opts: OpenStoreOptions): Promise<MetaStore> {
  const backend =
    opts.engine === 'memory'
      ? (await import('./backend/memory/index.ts')).createMemoryBackend(opts)
      : (await import('./backend/rocksdb/index.ts')).createRocksdbBackend(opts);
  const { MvccStore } = await import('./mvcc/store.ts');
  return MvccStore.open(backend, opts);
}
