/** The micro-benchmark table: one row per case, one column per engine, for every view. */
import type { RunState } from '../state/types.ts';

/** One micro-benchmark case, one column per engine. */
export interface MicroRow {
  case: string;
  /** Keyed by engine; times in nanoseconds. */
  results: Record<string, { opsPerSec: number; meanNs: number; p99Ns: number; samples: number }>;
}

/** All micro results of the run (any target), side by side per engine, in first-seen order. */
export interface MicroTable {
  engines: string[];
  rows: MicroRow[];
}

/** Builds the micro table of a run. */
export function microTable(state: RunState): MicroTable {
  const engines: string[] = [];
  const rows = new Map<string, MicroRow>();
  for (const n of state.targetOrder) {
    for (const m of state.targets[n].micro) {
      if (!engines.includes(m.engine)) engines.push(m.engine);
      const row = rows.get(m.case) ?? { case: m.case, results: {} };
      row.results[m.engine] = { opsPerSec: m.opsPerSec, meanNs: m.meanNs, p99Ns: m.p99Ns, samples: m.samples };
      rows.set(m.case, row);
    }
  }
  return { engines, rows: [...rows.values()] };
}
