/**
 * A scenario's headline figures: the one p50/p99 pair that the SLO `maxP99Ms` is judged by
 * (`rubric.ts`) and that every view shows (dashboard, plain table, `--json`, report.md,
 * summary.json): the operation type the scenario file names as its `headline` (`put-get`,
 * `watch-delivery`, `overwrite`, …), the same for every target so a row compares one thing.
 * Without one (older runs, a file that names none, or no samples of it): the `all` entry when
 * the runner reports one, else the operation type with the worst p99 — a slow operation type is
 * never hidden behind a fast one. Ties go to the first name in sorted order.
 */
import type { LatencySummary, ScenarioEndEvent } from '../events/schema.ts';

/** The headline latency of a scenario and which operation type it comes from. */
export interface HeadlineLatency {
  /** Operation type (`all`, `put`, `watch-delivery`, …). */
  op: string;
  p50Ms: number;
  p99Ms: number;
}

/** Picks the headline latency (`op`: the scenario's headline type); undefined when the scenario recorded no latency at all. */
export function headlineLatency(latency: ScenarioEndEvent['latency'], op?: string): HeadlineLatency | undefined {
  const named = op !== undefined ? latency[op] : undefined;
  if (op !== undefined && named !== undefined && named.count > 0) return { op, p50Ms: named.p50Ms, p99Ms: named.p99Ms };
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

/** The headline p99 in ms of a scenario's latency map; undefined when it recorded none. */
export function headlineP99Ms(latency: ScenarioEndEvent['latency'], op?: string): number | undefined {
  return headlineLatency(latency, op)?.p99Ms;
}
