/** Placeholder until the watch workload lands. */
import type { Workload } from '../kit.ts';

/** Runs the watch workload. */
export const watch: Workload = async () => {
  throw new Error('workload watch: not implemented yet');
};
