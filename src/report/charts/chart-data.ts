/**
 * The charts' input: what each picture of a run shows, as plain data, built once from the
 * summary (figures, ratios, client-bound marks) and the scenario-end events (1 s series and
 * the full percentiles, which the summary does not keep). The SVG files, report.html and the
 * key findings all read this, so they cannot disagree.
 *
 * Every plotted value may carry a `spread` (min–max over repeats of the same run, `run --repeat
 * N`): the throughput point of each second, each latency percentile and each ratio bar (the
 * target's min and max throughput over the baseline's median). The line or bar itself is the
 * median result (for a throughput line, the series of the median repeat). Runs of one repeat
 * have no spread; the charts draw one as a band when present.
 *
 * Which targets are drawn: every target with a result, except the no-op ceiling target (its
 * figures are in the report's ceiling table; on one axis with the real targets it would flatten
 * them whenever it is far faster, which is exactly when the results are worth reading).
 */
import { isClientBound, type LatencySummary, type RunSummary, type ScenarioCell, type ScenarioEndEvent } from './run-inputs.ts';
import { targetColours } from './target-colours.ts';

/** Min–max of a value over repeats (same unit as the value). */
export interface Spread {
  min: number;
  max: number;
}

/** A target on the charts. */
export interface ChartTarget {
  name: string;
  kind?: string;
  /** Hex colour (see `target-colours.ts`). */
  colour: string;
}

/** One point of a throughput line: the 1 s window ending `s` seconds into the scenario. */
export interface ThroughputPoint {
  s: number;
  opsPerSec: number;
  spread?: Spread;
}

/** A target's throughput over its scenario. */
export interface ThroughputLine {
  target: string;
  points: ThroughputPoint[];
}

/** The percentiles a latency curve has, in order, and the field of `LatencySummary` each reads. */
export const PERCENTILES = [
  { label: 'p50', field: 'p50Ms' },
  { label: 'p90', field: 'p90Ms' },
  { label: 'p99', field: 'p99Ms' },
  { label: 'p99.9', field: 'p999Ms' },
  { label: 'max', field: 'maxMs' },
] as const satisfies readonly { label: string; field: keyof LatencySummary }[];

/** `p50` … `max`. */
export type PercentileLabel = (typeof PERCENTILES)[number]['label'];

/** A target's latency percentiles of one operation type, ms. */
export interface LatencyCurve {
  target: string;
  /** Operation type (`put-get`, `get`, `watch-delivery`, …). */
  op: string;
  /** Operations measured. */
  count: number;
  points: { label: PercentileLabel; ms: number; spread?: Spread }[];
}

/** The pictures of one scenario. */
export interface ScenarioCharts {
  name: string;
  /** File-name-safe form of `name`. */
  slug: string;
  throughput: ThroughputLine[];
  /**
   * The operation type the latency curves show: the results table's headline type (`all`, else
   * the slowest type) of the first target that has one; every target's curve is of that type
   * when it measured it.
   */
  latencyOp?: string;
  latency: LatencyCurve[];
  /** Server CPU time per operation (µs), by target, where the runner reported it. */
  serverCpuUsPerOp: Record<string, number>;
}

/** One bar of the ratio chart: a target's throughput ÷ the baseline's on one scenario. */
export interface RatioBar {
  scenario: string;
  target: string;
  ratio: number;
  opsPerSec: number;
  baselineOpsPerSec: number;
  /** This result is client-bound (`isClientBound`: at the no-op ceiling, or the runner's CPU ≥ 90%). */
  clientBound: boolean;
  spread?: Spread;
}

/** Everything the charts of a run show. */
export interface ChartRun {
  runId: string;
  /** Drawn targets, in run order, with their colours. */
  targets: ChartTarget[];
  /** What ratios divide by: etcd when it ran, else the first target with results. */
  baseline?: { name: string; isEtcd: boolean };
  scenarios: ScenarioCharts[];
  /** Ratio bars, scenario by scenario, in target order; the baseline has none (it is the 1× line). */
  ratios: RatioBar[];
}

/**
 * The scenario-end events of a run, by target and scenario: structurally the run state's
 * `targets[name].scenarios[i].end` (present on finished scenarios).
 */
export interface RunEnds {
  readonly targets: Readonly<Record<string, { readonly scenarios: readonly { readonly name: string; readonly end?: ScenarioEndEvent; readonly repeats?: readonly ScenarioEndEvent[] }[] }>>;
}

/** A scenario shorter than this (ms) has no throughput line: too few ops to be a rate. */
const MIN_PARTIAL_WINDOW_MS = 250;

/** Builds the chart input of a run. Pure. */
export function chartRun(summary: RunSummary, run: RunEnds): ChartRun {
  const drawn = summary.targets.filter((t) => !t.ceiling && summary.scenarios.some((s) => s.results[t.name]?.opsPerSec !== undefined));
  const colours = targetColours(summary.targets.filter((t) => !t.ceiling));
  const targets: ChartTarget[] = drawn.map((t) => ({ name: t.name, ...(t.kind !== undefined ? { kind: t.kind } : {}), colour: colours.get(t.name)!.hex }));
  const names = targets.map((t) => t.name);
  const endOf = (target: string, scenario: string): ScenarioEndEvent | undefined => run.targets[target]?.scenarios.find((s) => s.name === scenario)?.end;
  // Two or more repeats, or none: a spread of one value says nothing.
  const repeatsOf = (target: string, scenario: string): readonly ScenarioEndEvent[] => {
    const all = run.targets[target]?.scenarios.find((s) => s.name === scenario)?.repeats ?? [];
    return all.length >= 2 ? all : [];
  };

  const slugs = new Set<string>();
  const scenarios: ScenarioCharts[] = summary.scenarios.map((sc) => {
    const ends = names.flatMap((t) => {
      const end = endOf(t, sc.name);
      return end !== undefined ? [{ target: t, end }] : [];
    });
    const latencyOp = names.map((t) => sc.results[t]?.latencyOp).find((op) => op !== undefined);
    const serverCpuUsPerOp: Record<string, number> = {};
    for (const { target, end } of ends) {
      const cpu = end.extra?.serverCpuUsPerOp;
      if (cpu !== undefined && Number.isFinite(cpu)) serverCpuUsPerOp[target] = cpu;
    }
    return {
      name: sc.name,
      slug: uniqueSlug(slugOf(sc.name), slugs),
      throughput: ends.map(({ target, end }) => ({ target, points: withSeriesSpread(throughputPoints(end), repeatsOf(target, sc.name)) })).filter((l) => l.points.length > 0),
      ...(latencyOp !== undefined ? { latencyOp } : {}),
      latency: ends.flatMap(({ target, end }) => {
        const op = latencyOp !== undefined && end.latency[latencyOp] !== undefined ? latencyOp : sc.results[target]?.latencyOp;
        const l = op !== undefined ? end.latency[op] : undefined;
        if (l === undefined || !(l.count > 0)) return [];
        const reps = repeatsOf(target, sc.name).map((e) => e.latency[op!]).filter((x): x is LatencySummary => x !== undefined);
        const points = PERCENTILES.map((p) => ({ label: p.label, ms: l[p.field], ...(reps.length >= 2 ? { spread: rangeOf(reps.map((x) => x[p.field])) } : {}) }));
        return [{ target, op: op!, count: l.count, points }];
      }),
      serverCpuUsPerOp,
    };
  });

  const baseline = baselineOf(summary, names);
  const ratios: RatioBar[] = [];
  if (baseline !== undefined) {
    for (const sc of summary.scenarios) {
      const base = sc.results[baseline.name];
      if (base?.status !== 'passed' || base.opsPerSec === undefined || !(base.opsPerSec > 0)) continue;
      for (const t of names) {
        const c: ScenarioCell | undefined = sc.results[t];
        if (t === baseline.name || c?.opsPerSec === undefined) continue;
        const sp = c.spread?.opsPerSec;
        ratios.push({
          scenario: sc.name,
          target: t,
          ratio: c.opsPerSec / base.opsPerSec,
          opsPerSec: c.opsPerSec,
          baselineOpsPerSec: base.opsPerSec,
          clientBound: isClientBound(c),
          ...(sp !== undefined ? { spread: { min: sp.min / base.opsPerSec, max: sp.max / base.opsPerSec } } : {}),
        });
      }
    }
  }
  return { runId: summary.runId, targets, ...(baseline ? { baseline } : {}), scenarios, ratios };
}

/**
 * The 1 s series as rates: window i ends at i + 1 s. The runner appends the last, partial window
 * when it saw operations; it is left off, since its length is only known up to the ticker's
 * drift on a busy machine (a count over "0.7 s" that was 0.5 s reads as a spike or a dip) —
 * unless it is the only window (a scenario shorter than a second), which is then scaled to its
 * rate over the scenario's duration.
 */
export function throughputPoints(end: Pick<ScenarioEndEvent, 'series' | 'durationMs'>): ThroughputPoint[] {
  const n = end.series.length;
  const lastMs = end.durationMs - (n - 1) * 1000;
  const partial = n > 0 && lastMs > 0 && lastMs < 1000;
  if (n === 1 && partial) return lastMs >= MIN_PARTIAL_WINDOW_MS ? [{ s: round(lastMs / 1000, 3), opsPerSec: round(end.series[0] / (lastMs / 1000), 1) }] : [];
  const points: ThroughputPoint[] = end.series.map((ops, i) => ({ s: i + 1, opsPerSec: ops }));
  return partial ? points.slice(0, -1) : points;
}

/** Each point with the min–max of the same second over the repeats that have it. */
function withSeriesSpread(points: ThroughputPoint[], repeats: readonly ScenarioEndEvent[]): ThroughputPoint[] {
  if (repeats.length < 2) return points;
  const perRepeat = repeats.map((e) => new Map(throughputPoints(e).map((p) => [p.s, p.opsPerSec])));
  return points.map((p) => {
    const values = perRepeat.map((m) => m.get(p.s)).filter((v): v is number => v !== undefined);
    return values.length >= 2 ? { ...p, spread: rangeOf(values) } : p;
  });
}

function rangeOf(values: readonly number[]): Spread {
  return { min: Math.min(...values), max: Math.max(...values) };
}

function baselineOf(summary: RunSummary, drawn: readonly string[]): ChartRun['baseline'] {
  if (summary.baseline !== undefined && drawn.includes(summary.baseline)) return { name: summary.baseline, isEtcd: true };
  const first = drawn.find((t) => summary.scenarios.some((s) => s.results[t]?.status === 'passed'));
  return first !== undefined ? { name: first, isEtcd: false } : undefined;
}

/** A scenario name as a file name: lower case letters, digits, `-`, `_` and `.` only. */
export function slugOf(name: string): string {
  const s = name.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/\.{2,}/g, '.').replace(/^[-.]+|-+$/g, '');
  return s === '' ? 'scenario' : s;
}

/** `slug`, or `slug-2`, `slug-3`… when two scenario names give the same file name. */
function uniqueSlug(slug: string, used: Set<string>): string {
  let s = slug;
  for (let i = 2; used.has(s); i++) s = `${slug}-${i}`;
  used.add(s);
  return s;
}

function round(x: number, digits: number): number {
  const k = 10 ** digits;
  return Math.round(x * k) / k;
}
