/**
 * Folding the repeats of one scenario on one target (`metabench run --repeat N`) into the one
 * result every view shows: each figure is the median over the repeats, and the grade is the
 * rubric's verdict on those medians. Pure.
 *
 * Worked example, three repeats of large-scale-load on memory:
 *
 *   repeat   ops/s   put-get p99   checks
 *   1        4,000   21 ms         ok
 *   2        3,600   25 ms         ok
 *   3        4,200   20 ms         ok
 *   median   4,000   21 ms         ok   → graded on 4,000 ops/s and 21 ms; spread ±7.5% (3,600–4,200)
 *
 * A check holds only if it held in every repeat; a repeat that failed makes the result failed,
 * one cut off (aborted) makes it aborted. Each percentile is the median of that percentile over
 * the repeats (not a percentile of the merged samples, which the events do not keep). The 1 s
 * series is that of the median repeat (the one whose throughput is the median, the lower of the
 * two middle ones for an even count): a real series, not a blend of several.
 */
import type { Check, LatencySummary, ScenarioEndEvent } from '../events/schema.ts';
import { gradeOutcome } from '../grades/scenario-grade.ts';

/** The median of a non-empty list (the mean of the two middle values for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Min–max of a figure over repeats, and half that range as a percentage of the median. */
export interface RepeatSpread {
  min: number;
  max: number;
  /** (max − min) / 2 ÷ median × 100: shown as `±pct%`; 0 when the median is 0. */
  pct: number;
}

/** The spread of a non-empty list of values (see `RepeatSpread`). */
export function spreadOf(values: readonly number[]): RepeatSpread {
  const min = Math.min(...values);
  const max = Math.max(...values);
  const mid = median(values);
  return { min, max, pct: mid === 0 ? 0 : ((max - min) / 2 / Math.abs(mid)) * 100 };
}

/** The repeat a scenario-end came from (1 when it carries none). */
export function repeatOf(e: { readonly repeat?: number }): number {
  return e.repeat ?? 1;
}

/**
 * One scenario-end standing for all of a scenario's repeats: medians of every figure, the worst
 * status, every check, and the grade decided again on the medians (none for an ungraded,
 * noop, result). One repeat is returned as it is. `ends` must not be empty.
 */
export function combineRepeats(ends: readonly ScenarioEndEvent[]): ScenarioEndEvent {
  if (ends.length === 0) throw new Error('combineRepeats: no scenario-end');
  if (ends.length === 1) return ends[0];
  const last = ends[ends.length - 1];
  const byOps = [...ends].sort((a, b) => a.opsPerSec - b.opsPerSec);
  const middle = byOps[(byOps.length - 1) >> 1];
  const status = ends.some((e) => e.status === 'failed') ? 'failed' : ends.some((e) => e.status === 'aborted') ? 'aborted' : 'passed';
  const failing = ends.find((e) => e.status === status && e.error !== undefined);
  const combined: ScenarioEndEvent = {
    ...last,
    status,
    durationMs: median(ends.map((e) => e.durationMs)),
    ops: median(ends.map((e) => e.ops)),
    opsPerSec: median(ends.map((e) => e.opsPerSec)),
    errors: { total: median(ends.map((e) => e.errors.total)), byKind: medianRecord(ends.map((e) => e.errors.byKind)) },
    latency: medianLatency(ends.map((e) => e.latency)),
    series: middle.series,
    checks: combineChecks(ends),
    ...optionalMedian('mix', ends.map((e) => e.mix)),
    ...optionalMedian('extra', ends.map((e) => e.extra)),
    ...(ends.some((e) => e.lateOps !== undefined) ? { lateOps: median(ends.map((e) => e.lateOps ?? 0)) } : {}),
  };
  delete combined.error;
  if (failing?.error !== undefined) combined.error = `repeat ${repeatOf(failing)}: ${failing.error}`;
  delete combined.grade;
  // The runner graded each repeat on its own figures; the result is graded on the medians.
  if (ends.some((e) => e.grade !== undefined)) combined.grade = gradeOutcome(combined, combined.slo ?? {});
  return combined;
}

/**
 * The result of a scenario whose last repeat was cut off (an interrupt, a crash): the median of
 * the repeats that reported, `aborted` with `reason`, graded F like any cut-off scenario.
 */
export function cutOffRepeats(ends: readonly ScenarioEndEvent[], reason: string): ScenarioEndEvent {
  const combined: ScenarioEndEvent = { ...combineRepeats(ends), status: 'aborted', error: reason };
  if (combined.grade !== undefined) combined.grade = gradeOutcome(combined, combined.slo ?? {});
  return combined;
}

/** Per key, the median over the records that have it (a key missing from some is taken as 0). */
function medianRecord(records: readonly Readonly<Record<string, number>>[]): Record<string, number> {
  const keys = [...new Set(records.flatMap((r) => Object.keys(r)))];
  return Object.fromEntries(keys.map((k) => [k, median(records.map((r) => r[k] ?? 0))]));
}

function optionalMedian<K extends 'mix' | 'extra'>(key: K, records: readonly (Readonly<Record<string, number>> | undefined)[]): Partial<Record<K, Record<string, number>>> {
  const present = records.filter((r): r is Readonly<Record<string, number>> => r !== undefined);
  if (present.length === 0) return {};
  // A figure only some repeats report (one measured, one not) is the median of those that did.
  const keys = [...new Set(present.flatMap((r) => Object.keys(r)))];
  const out: Record<string, number> = {};
  for (const k of keys) out[k] = median(present.filter((r) => r[k] !== undefined).map((r) => r[k]));
  return { [key]: out } as Partial<Record<K, Record<string, number>>>;
}

/** Per operation type, the median of each percentile over the repeats that measured it. */
function medianLatency(all: readonly Readonly<Record<string, LatencySummary>>[]): Record<string, LatencySummary> {
  const ops = [...new Set(all.flatMap((l) => Object.keys(l)))];
  const out: Record<string, LatencySummary> = {};
  for (const op of ops) {
    const ls = all.map((l) => l[op]).filter((l): l is LatencySummary => l !== undefined);
    const m = (f: keyof LatencySummary) => median(ls.map((l) => l[f]));
    out[op] = { count: m('count'), meanMs: m('meanMs'), p50Ms: m('p50Ms'), p90Ms: m('p90Ms'), p99Ms: m('p99Ms'), p999Ms: m('p999Ms'), maxMs: m('maxMs') };
  }
  return out;
}

/** Every check by name, in first-seen order: ok only when it held in every repeat that ran it. */
function combineChecks(ends: readonly ScenarioEndEvent[]): Check[] {
  const names = [...new Set(ends.flatMap((e) => e.checks.map((c) => c.name)))];
  return names.map((name) => {
    const runs = ends.flatMap((e) => e.checks.filter((c) => c.name === name).map((c) => ({ c, repeat: repeatOf(e) })));
    const bad = runs.find((r) => !r.c.ok);
    if (bad !== undefined) return { name, ok: false, detail: `repeat ${bad.repeat}: ${bad.c.detail}` };
    return { name, ok: true, detail: runs.length === 1 ? runs[0].c.detail : `held in all ${runs.length} repeats; repeat ${runs[runs.length - 1].repeat}: ${runs[runs.length - 1].c.detail}` };
  });
}
