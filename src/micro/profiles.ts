/**
 * Time budgets of the micro-benchmarks per run profile. tinybench runs a case until both its
 * measured time and its minimum iterations are reached; warm-up is run first and discarded.
 */

/** The run profiles (same names as the scenarios' profiles). */
export type MicroProfile = 'quick' | 'standard' | 'soak';

/** tinybench budgets of one case. */
export interface MicroBudget {
  /** Measured time per case, ms (time inside the operation only; setup hooks excluded). */
  timeMs: number;
  /** Minimum measured iterations per case. */
  iterations: number;
  /** Warm-up time per case, ms (not recorded). */
  warmupMs: number;
  /** Minimum warm-up iterations per case. */
  warmupIterations: number;
}

/** Budgets per profile: `quick` keeps the whole suite to a few seconds for CI. */
export const MICRO_BUDGETS: Readonly<Record<MicroProfile, MicroBudget>> = {
  quick: { timeMs: 40, iterations: 5, warmupMs: 5, warmupIterations: 2 },
  standard: { timeMs: 500, iterations: 50, warmupMs: 100, warmupIterations: 10 },
  soak: { timeMs: 3000, iterations: 200, warmupMs: 500, warmupIterations: 20 },
};
