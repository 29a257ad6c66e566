/** Defaults shared by `run` and `tail`, in a module light enough to load at every start-up. */

export { DEFAULT_RESULTS_DIR } from '../results/results-dir.ts';

/** Environment variable read for the endpoint password when `--user` has no `:password`. */
export const PASSWORD_ENV = 'METABENCH_ENDPOINT_PASSWORD';

/** Scenario profiles, as `scenarios/schema.ts` defines them (repeated here for `--help`). */
export const PROFILE_NAMES = 'quick, standard, soak';

/** Most client threads `--client-threads` takes (more only adds scheduling on any machine we know). */
export const MAX_CLIENT_THREADS = 64;
