/**
 * `metabench compare RUN_A RUN_B`: per scenario and target, the change in throughput and p99
 * from run A to run B, called a regression or an improvement only beyond the runs' own spread
 * over their repeats and the threshold (`compare-noise.ts` has the rule); between runs without
 * repeats the noise is unknown, so no verdict. Runs are compared only when every shared
 * scenario ran with the same parameters: a different client count or profile is a different
 * experiment, not a regression.
 *
 * Worked example, 3 repeats each, threshold 5%: ops/s 4,000 (3,900–4,100) → 3,600 (3,500–3,800)
 * is −10% against a combined noise of ±6.3% (regression); p99 20 (19–21) → 20.8 ms (20–22) is
 * +4% (within noise); so the row is a regression, on ops/s.
 */
import { isDeepStrictEqual } from 'node:util';
import { UsageError } from '../errors.ts';
import type { GradeLetter } from '../grades/letters.ts';
import { CLIENT_BOUND_RULE, clientBoundWhy } from '../views/ceiling.ts';
import { fmtChange, fmtMs, fmtOps } from '../format/figures.ts';
import type { RunSummary, ScenarioCell } from '../views/summary.ts';
import { judgeChange, type MetricChange, type Verdict } from './compare-noise.ts';

export { NOISE_RULE, type MetricChange, type Verdict } from './compare-noise.ts';

/** Default threshold, percent: the smallest change called, however small the spread. */
export const DEFAULT_THRESHOLD_PCT = 5;

/** One scenario on one target. Figures are absent when either run lacks them. */
export interface CompareRow {
  scenario: string;
  target: string;
  opsPerSec?: MetricChange;
  p99Ms?: MetricChange;
  gradeA?: GradeLetter;
  gradeB?: GradeLetter;
  /**
   * Worst of the row: a regression on any figure (or a scenario that stopped passing) wins, then
   * an improvement, then `noise unknown` (a figure without repeats in either run).
   */
  verdict: Verdict | 'not comparable';
  /** Why the row is not comparable, or which figure regressed. */
  note?: string;
  /**
   * Present when the row is client-bound in either run (`isClientBound`): why, in each run that
   * marked it (`at ceiling 1.17×`, `runner CPU 96%`). Its change may then be the load generator's.
   */
  clientBound?: { a?: string; b?: string };
  /** True for the noop target's rows: the load generator's ceiling moved, not a store. */
  ceiling?: true;
}

/** Colours a row's verdict text (the last column, so padding is unaffected); identity for plain text. */
export type VerdictPainter = (verdict: CompareRow['verdict'], text: string) => string;

/** The comparison of two runs. */
export interface Comparison {
  runA: string;
  runB: string;
  thresholdPct: number;
  rows: CompareRow[];
  regressions: number;
  improvements: number;
  /** Rows whose change was not judged because a run has a single repeat of it. */
  noiseUnknown: number;
  /** Differences that do not block the comparison but weaken it (seed, host, mode). */
  warnings: string[];
}

/** The two runs did not run the same experiment. Exit code 2 (bad usage). */
export class ParamMismatchError extends UsageError {}

/** Compares run B against run A. Throws ParamMismatchError naming the first parameter that differs. */
export function compareRuns(a: RunSummary, b: RunSummary, thresholdPct: number = DEFAULT_THRESHOLD_PCT): Comparison {
  if (!(Number.isFinite(thresholdPct) && thresholdPct >= 0)) {
    throw new UsageError(`threshold '${thresholdPct}' is not a percentage; expected a number ≥ 0 (default ${DEFAULT_THRESHOLD_PCT})`);
  }
  const shared = a.scenarios.filter((s) => b.scenarios.some((x) => x.name === s.name));
  const sharedMicro = a.micro.rows.some((r) => b.micro.rows.some((x) => x.case === r.case));
  if (shared.length === 0 && !sharedMicro) {
    throw new ParamMismatchError(`runs ${a.runId} and ${b.runId} share no scenario; nothing to compare`);
  }
  for (const sa of shared) {
    const sb = b.scenarios.find((x) => x.name === sa.name);
    const diff = firstDifference(sa.params ?? {}, sb?.params ?? {});
    if (diff !== undefined) {
      throw new ParamMismatchError(
        `runs differ in scenario ${sa.name}: ${diff.path} is ${show(diff.a)} in ${a.runId} but ${show(diff.b)} in ${b.runId}; refusing to compare different experiments`,
      );
    }
  }

  const threshold = thresholdPct / 100;
  const rows: CompareRow[] = [];
  const scenarioNames = [...a.scenarios.map((s) => s.name), ...b.scenarios.map((s) => s.name).filter((n) => !a.scenarios.some((s) => s.name === n))];
  const targetNames = [...a.targets.map((t) => t.name), ...b.targets.map((t) => t.name).filter((n) => !a.targets.some((t) => t.name === n))];
  for (const scenario of scenarioNames) {
    for (const target of targetNames) {
      const ca = a.scenarios.find((s) => s.name === scenario)?.results[target];
      const cb = b.scenarios.find((s) => s.name === scenario)?.results[target];
      if (ca === undefined && cb === undefined) continue;
      const row = compareCells(scenario, target, ca, cb, threshold, a.runId, b.runId);
      if ([a, b].some((s) => s.targets.some((t) => t.name === target && t.ceiling))) row.ceiling = true;
      rows.push(row);
    }
  }
  rows.push(...microRows(a, b, threshold));
  // An interrupted (or crashed, unfinished) run measured part of the experiment, on a machine that
  // may have been winding down: its figures are shown, but no row gets a verdict against it.
  const partial = [a, b].filter((s) => s.status !== 'completed');
  if (partial.length > 0) {
    const why = `no verdict: ${partial.map((s) => `${s.runId} is ${s.status}`).join(' and ')}`;
    for (const [i, r] of rows.entries()) rows[i] = { ...r, verdict: 'not comparable', note: why };
  }
  return {
    runA: a.runId,
    runB: b.runId,
    thresholdPct,
    rows,
    regressions: rows.filter((r) => r.verdict === 'regression').length,
    improvements: rows.filter((r) => r.verdict === 'improvement').length,
    noiseUnknown: rows.filter((r) => r.verdict === 'noise unknown').length,
    warnings: [...contextWarnings(a, b), ...(partial.length > 0 ? [`${partial.map((s) => `${s.runId} is ${s.status}`).join(' and ')}: figures shown, no verdict`] : [])],
  };
}

function compareCells(scenario: string, target: string, ca: ScenarioCell | undefined, cb: ScenarioCell | undefined, threshold: number, runA: string, runB: string): CompareRow {
  const row: CompareRow = { scenario, target, gradeA: ca?.grade?.grade, gradeB: cb?.grade?.grade, verdict: 'not comparable' };
  const bound = clientBoundOf(ca, cb);
  if (bound !== undefined) row.clientBound = bound;
  if (ca === undefined || cb === undefined) return { ...row, note: `only in ${ca ? runA : runB}` };
  if (ca.opsPerSec === undefined || cb.opsPerSec === undefined) {
    return { ...row, note: `no result in ${ca.opsPerSec === undefined ? runA : runB} (${ca.opsPerSec === undefined ? ca.status : cb.status})` };
  }
  row.opsPerSec = judgeChange(ca.opsPerSec, cb.opsPerSec, { a: ca.spread?.opsPerSec, b: cb.spread?.opsPerSec }, threshold, 'higher');
  if (ca.p99Ms !== undefined && cb.p99Ms !== undefined) row.p99Ms = judgeChange(ca.p99Ms, cb.p99Ms, { a: ca.spread?.p99Ms, b: cb.spread?.p99Ms }, threshold, 'lower');
  if (ca.status === 'passed' && cb.status !== 'passed') {
    return { ...row, verdict: 'regression', note: `passed in ${runA}, ${cb.status} in ${runB}` };
  }
  return judge(row);
}

/** The ceiling ratios of the runs where this cell was client-bound; undefined when neither was. */
function clientBoundOf(ca: ScenarioCell | undefined, cb: ScenarioCell | undefined): CompareRow['clientBound'] {
  const a = boundWhy(ca);
  const b = boundWhy(cb);
  if (a === undefined && b === undefined) return undefined;
  return { ...(a !== undefined ? { a } : {}), ...(b !== undefined ? { b } : {}) };
}

/** `at ceiling 1.17×` or `runner CPU 96%` (the views' one rule, `isClientBound`); undefined when not client-bound. */
function boundWhy(c: ScenarioCell | undefined): string | undefined {
  return clientBoundWhy(c) || undefined;
}

/** `client-bound in A (at ceiling 1.17×) and B (runner CPU 96%)`; empty when neither run marked the row. */
export function clientBoundNote(r: CompareRow): string {
  const cb = r.clientBound;
  if (cb === undefined) return '';
  const parts = [cb.a !== undefined ? `A (${cb.a})` : undefined, cb.b !== undefined ? `B (${cb.b})` : undefined].filter(Boolean);
  return `client-bound in ${parts.join(' and ')}`;
}

/** The row's verdict from its figures: any regression wins over any improvement. */
function judge(row: CompareRow): CompareRow {
  const regressed = [row.opsPerSec?.verdict === 'regression' ? 'ops/s' : undefined, row.p99Ms?.verdict === 'regression' ? 'p99' : undefined].filter(Boolean);
  if (regressed.length > 0) return { ...row, verdict: 'regression', note: `${regressed.join(' and ')} worse` };
  if (row.opsPerSec?.verdict === 'improvement' || row.p99Ms?.verdict === 'improvement') return { ...row, verdict: 'improvement' };
  if (row.opsPerSec?.verdict === 'noise unknown' || row.p99Ms?.verdict === 'noise unknown') return { ...row, verdict: 'noise unknown' };
  return { ...row, verdict: 'within noise' };
}

/**
 * Micro-benchmark cases present in both runs, as rows `micro/<case>` with the engine as target.
 * Their budgets follow the profile, but each figure is per operation, so runs of different
 * profiles still compare (more samples only make the figure steadier). They run once per run
 * (in its last repeat), so their run-to-run noise is unknown: changes shown, never called.
 */
function microRows(a: RunSummary, b: RunSummary, threshold: number): CompareRow[] {
  const rows: CompareRow[] = [];
  for (const ra of a.micro.rows) {
    const rb = b.micro.rows.find((r) => r.case === ra.case);
    if (rb === undefined) continue;
    for (const engine of a.micro.engines) {
      const ma = ra.results[engine];
      const mb = rb.results[engine];
      if (ma === undefined || mb === undefined) continue;
      rows.push(
        judge({
          scenario: `micro/${ra.case}`,
          target: engine,
          opsPerSec: judgeChange(ma.opsPerSec, mb.opsPerSec, {}, threshold, 'higher'),
          p99Ms: judgeChange(ma.p99Ns / 1e6, mb.p99Ns / 1e6, {}, threshold, 'lower'),
          verdict: 'within noise',
        }),
      );
    }
  }
  return rows;
}

function contextWarnings(a: RunSummary, b: RunSummary): string[] {
  const out: string[] = [];
  const ma = a.manifest;
  const mb = b.manifest;
  if (ma.seed !== mb.seed) out.push(`seeds differ (${ma.seed} vs ${mb.seed}): the operation streams are not identical`);
  if (ma.mode !== mb.mode) out.push(`modes differ (${ma.mode} vs ${mb.mode}): parallel runs skew each other`);
  else if (ma.mode === 'parallel') out.push('both runs ran targets in parallel: figures skew each other');
  const host = (m: RunSummary['manifest']) => (m.host ? `${m.host.cpus ?? '?'} CPUs ${m.host.cpuModel ?? ''} ${m.host.os ?? ''}`.trim() : undefined);
  if (host(ma) !== host(mb)) out.push(`hosts differ (${host(ma) ?? 'unknown'} vs ${host(mb) ?? 'unknown'})`);
  if (ma.nodeVersion !== mb.nodeVersion) out.push(`Node.js versions differ (${ma.nodeVersion ?? '?'} vs ${mb.nodeVersion ?? '?'})`);
  for (const [s, name] of [[a, a.runId], [b, b.runId]] as const) {
    if (s.status !== 'completed') out.push(`run ${name} is ${s.status}: some figures are partial`);
  }
  const single = [a, b].filter((s) => (s.manifest.repeats ?? 1) < 2).map((s) => s.runId);
  if (single.length > 0) out.push(`${single.join(' and ')} ${single.length === 1 ? 'has' : 'have'} no repeats: noise unknown, no change is called (run with --repeat 3)`);
  else if (ma.repeats !== mb.repeats) out.push(`repeats differ (${ma.repeats} vs ${mb.repeats})`);
  return out;
}

/** The first path (in sorted key order) where two parameter objects differ. */
export function firstDifference(a: unknown, b: unknown, path = ''): { path: string; a: unknown; b: unknown } | undefined {
  if (isDeepStrictEqual(a, b)) return undefined;
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    for (const k of keys) {
      const d = firstDifference(a[k], b[k], path ? `${path}.${k}` : k);
      if (d !== undefined) return d;
    }
    return undefined;
  }
  return { path: path || '(parameters)', a, b };
}

function isPlainObject(x: unknown): x is Record<string, unknown> {
  return x !== null && typeof x === 'object' && !Array.isArray(x);
}

function show(v: unknown): string {
  return v === undefined ? 'absent' : JSON.stringify(v);
}

/** `-12.0% ±6.8%` (the change, and the combined spread it was judged against), or the change alone. */
function changeText(m: MetricChange): string {
  return m.noise === undefined ? fmtChange(m.change) : `${fmtChange(m.change)} ±${fmtPct(m.noise)}`;
}

function fmtPct(x: number): string {
  const pct = x * 100;
  return Number.isFinite(pct) ? `${pct < 10 ? pct.toFixed(1) : Math.round(pct)}%` : '∞';
}

/** The comparison as aligned plain text for a terminal (no escape codes). */
export function renderComparison(c: Comparison, paint: VerdictPainter = (_v, text) => text): string {
  const lines = [`metabench compare ${c.runA} → ${c.runB} (threshold ±${c.thresholdPct}%; a change is called only beyond it and the runs' combined spread)`];
  for (const w of c.warnings) lines.push(`warning: ${w}`);
  const table: string[][] = [['scenario', 'target', 'ops/s', 'change ±noise', 'p99 ms', 'change ±noise', 'grade', 'verdict']];
  for (const r of c.rows) {
    table.push([
      r.scenario,
      r.ceiling ? `${r.target} (ceiling)` : r.target,
      r.opsPerSec ? `${fmtOps(r.opsPerSec.a)} → ${fmtOps(r.opsPerSec.b)}` : '—',
      r.opsPerSec ? changeText(r.opsPerSec) : '',
      r.p99Ms ? `${fmtMs(r.p99Ms.a, false)} → ${fmtMs(r.p99Ms.b, false)}` : '—',
      r.p99Ms ? changeText(r.p99Ms) : '',
      r.gradeA || r.gradeB ? `${r.gradeA ?? '—'} → ${r.gradeB ?? '—'}` : '',
      paint(r.verdict, [r.note ? `${r.verdict} (${r.note})` : r.verdict, clientBoundNote(r)].filter(Boolean).join('; ')),
    ]);
  }
  const widths = table[0].map((_, i) => Math.max(...table.map((row) => row[i].length)));
  lines.push('');
  for (const row of table) lines.push(row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]))).join('  ').trimEnd());
  const noise = c.rows.filter((r) => r.verdict === 'within noise').length;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const other = c.rows.length - c.regressions - c.improvements - noise - c.noiseUnknown;
  lines.push('', `${plural(c.regressions, 'regression')}, ${plural(c.improvements, 'improvement')}, ${noise} within noise${c.noiseUnknown > 0 ? `, ${c.noiseUnknown} noise unknown` : ''}${other > 0 ? `, ${other} not comparable` : ''}`);
  if (c.noiseUnknown > 0) {
    lines.push(`noise unknown: a run without repeats has no spread to judge a change against, so none is called; run both with --repeat 3 (or more) for verdicts.`);
  }
  const bound = c.rows.filter((r) => r.clientBound !== undefined).length;
  if (bound > 0) {
    lines.push(`${plural(bound, 'row')} client-bound in at least one run (${CLIENT_BOUND_RULE}), so a change may be the load generator's, not the target's.`);
  }
  return lines.join('\n') + '\n';
}
