/** Defaults shared by `run` and `tail`, in a module light enough to load at every start-up. */

export { DEFAULT_RESULTS_DIR } from '../results/results-dir.ts';

/** Environment variable read for the endpoint password when `--user` has no `:password`. */
export const PASSWORD_ENV = 'METABENCH_ENDPOINT_PASSWORD';

/** Scenario profiles, as `scenarios/schema.ts` defines them (repeated here for `--help`). */
export const PROFILE_NAMES = 'quick, standard, soak';

/**
 * The profile `metabench` / `npm start` runs: `quick`, so the README's first command finishes in
 * a few minutes with every default target (2m47s for memory, rocksdb and etcd on the project's
 * 2-core machine at load average 20); `standard` is the seed's parameters (ETA ≈ 30 min).
 */
export const DEFAULT_PROFILE = 'quick';

/**
 * How long each profile takes with the three default targets, for `--help` and the README
 * (measured on the project's 2-core machine; a faster one takes less).
 */
export const PROFILE_DURATIONS = 'quick ≈ 3 min (≈ 1 min per target, the default), standard ≈ 30 min (the seed\'s parameters), soak ≈ 1.5 h (5-10 min per scenario)';

/**
 * The built-in scenarios in run order, repeated from `scenarios/loader.ts` so `--help` loads
 * no scenario code (a test keeps the two lists equal).
 */
export const SCENARIO_NAMES = ['large-scale-load', 'sustained-load', 'mixed-workload', 'watch-scalability', 'txn-throughput', 'compaction'] as const;

/** Most client threads `--client-threads` takes (more only adds scheduling on any machine we know). */
export const MAX_CLIENT_THREADS = 64;

/**
 * Most repeats `--repeat` takes: 20 quick runs of the default targets is already an hour on the
 * project's 2-core machine; a larger count is more likely a typo than a plan.
 */
export const MAX_REPEATS = 20;
