/**
 * A scenario's headline figures: the one p50/p99 pair the results table shows. Same rule as the
 * dashboard (`headlineP99Ms` in `src/state/selectors.ts`) and as the SLO `maxP99Ms` is judged
 * (scenarios/schema.ts): the `all` entry when the runner reports one, else the operation type
 * with the worst p99 — a slow operation type is never hidden behind a fast one.
 */
import type { LatencySummary, ScenarioEndEvent } from '../events/schema.ts';

/** The headline latency of a scenario and which operation type it comes from. */
export interface HeadlineLatency {
  /** Operation type (`all`, `put`, `watch-delivery`, …). */
  op: string;
  p50Ms: number;
  p99Ms: number;
}

/** Picks the headline latency; undefined when the scenario recorded no latency at all. */
export function headlineLatency(latency: ScenarioEndEvent['latency']): HeadlineLatency | undefined {
  const all: LatencySummary | undefined = latency.all;
  if (all) return { op: 'all', p50Ms: all.p50Ms, p99Ms: all.p99Ms };
  let best: HeadlineLatency | undefined;
  // Sorted names make the pick deterministic when two types tie on p99.
  for (const op of Object.keys(latency).sort()) {
    const l = latency[op];
    if (l.count > 0 && (best === undefined || l.p99Ms > best.p99Ms)) best = { op, p50Ms: l.p50Ms, p99Ms: l.p99Ms };
  }
  return best;
}
