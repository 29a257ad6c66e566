/**
 * A scenario's planned size, apart from the workloads so the run state (and the dashboard that
 * reads it) can estimate queued scenarios from the manifest without loading the load generator.
 */
import type { ResolvedScenario } from '../../scenarios/schema.ts';

/**
 * The planned size of a scenario, for `scenario-start` and progress bars: total operations when
 * it is bounded by operations, else its duration in ms. Watch counts events, compaction counts
 * its load + overwrite + compact + read operations.
 */
export function plannedSize(s: ResolvedScenario): { totalOps?: number; durationMs?: number } {
  const p = s.params;
  switch (s.workload) {
    case 'watch':
      return { totalOps: p.events };
    case 'compaction':
      return { totalOps: 2 * p.keys + 1 + p.readKeys };
    case 'txn':
      if (p.durationMs !== undefined) return { durationMs: p.durationMs };
      return { totalOps: p.clients * (p.opsPerClient ?? 0) + (p.counters > 0 ? p.contendedClients * p.contendedOpsPerClient : 0) };
    default:
      return p.durationMs !== undefined ? { durationMs: p.durationMs } : { totalOps: p.clients * (p.opsPerClient ?? 0) };
  }
}
