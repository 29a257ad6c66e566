/** Placeholder until the compaction workload lands. */
import type { Workload } from '../kit.ts';

/** Runs the compaction workload. */
export const compaction: Workload = async () => {
  throw new Error('workload compaction: not implemented yet');
};
