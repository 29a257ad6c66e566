/**
 * The engines every contract test runs against. Adding an engine to the suite is one entry
 * here: a name and a function that opens a store on a (possibly existing) data directory.
 */
import { openStore, type EngineName, type MvccOptions } from '../index.ts';
import type { BackendOptions } from '../backend/backend.ts';
import type { MetaStore } from '../mvcc/kv.ts';

/** Timing and cadence overrides a test may ask for (engines ignore what they do not use). */
export type StoreTuning = MvccOptions & Pick<BackendOptions, 'snapshotCount'>;

/** An engine under test. */
export interface TestEngine {
  /** Shown in test names. */
  name: string;
  /** The engine the store reports in its status. */
  engine: EngineName;
  /**
   * Opens a store on `dataDir` (created if missing; reopening an existing one recovers it).
   * `tuning` shortens lease timing and the memory engine's snapshot cadence for tests.
   */
  open(dataDir: string, tuning?: StoreTuning): Promise<MetaStore>;
}

/** Every engine the contract suite covers. */
export const engines: TestEngine[] = [
  {
    name: 'memory',
    engine: 'memory',
    open: (dataDir, tuning) => openStore({ engine: 'memory', dataDir, sync: 'always', ...tuning }),
  },
  {
    // How `metabench serve` runs the memory engine by default: the next batch is applied while
    // the previous one syncs, so every contract must hold in that mode too.
    name: 'memory (commit overlap)',
    engine: 'memory',
    open: (dataDir, tuning) => openStore({ engine: 'memory', dataDir, sync: 'always', commitOverlap: 'always', ...tuning }),
  },
  {
    name: 'rocksdb',
    engine: 'rocksdb',
    open: (dataDir, tuning) => openStore({ engine: 'rocksdb', dataDir, sync: 'always', ...tuning }),
  },
];
