/** Placeholder until the txn workload lands. */
import type { Workload } from '../kit.ts';

/** Runs the txn workload. */
export const txn: Workload = async () => {
  throw new Error('workload txn: not implemented yet');
};
