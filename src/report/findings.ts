/**
 * Key findings: the few facts of a run that matter, in words, at the top of report.md and
 * report.html (the seed campaign's report opened with its "关键发现"). Computed from the data,
 * at most `MAX_FINDINGS` lines, and every sentence states figures exactly as the tables below
 * print them (same formatting functions), so a reader can find each one:
 *
 *   fastest target per scenario      → ops/s in "Throughput and latency"
 *   client-bound results             → marks in "Throughput and latency" (the ceiling's in "Load generator's ceiling")
 *   failed checks, errors, aborts    → "Grades and correctness", "Grade reasons"
 *   targets that did not run         → "Overall"
 *   a tail-latency outlier           → p99 and p99.9 in the charts section's percentile table
 *   server CPU per op                → "Throughput and latency" and the percentile table
 *
 * Ratios derived from two such figures stand in parentheses after them. Worked example: memory
 * 2,400 ops/s and etcd 2,000 on large-scale-load give
 * "large-scale-load: memory fastest, 2,400 ops/s vs etcd 2,000 (1.2×)".
 */
import type { ChartRun, LatencyCurve } from './charts/chart-data.ts';
import { CLIENT_BOUND_RULE, clientBoundWhy, fmtCount, fmtCpuPerOp, fmtFactor, fmtMs, fmtOps, fmtPercent, type RunSummary, type ScenarioCell } from './charts/run-inputs.ts';

/** At most this many lines of findings. */
export const MAX_FINDINGS = 8;

/** p99.9 at least this many times p99 is a tail-latency outlier. */
export const TAIL_RATIO = 3;

/** Fewer operations than this make p99.9 the maximum in all but name: no tail finding. */
export const TAIL_MIN_COUNT = 1000;

/** With more scenarios than this, the fastest targets are grouped into one line per winner. */
const ONE_LINE_PER_SCENARIO_UP_TO = 3;

/** What a finding is about (the HTML report styles problems differently). */
export type FindingKind = 'fastest' | 'client-bound' | 'problem' | 'clean' | 'tail' | 'cpu';

/** One line of the key findings. */
export interface Finding {
  kind: FindingKind;
  /** Plain text (no Markdown), one sentence or two. */
  text: string;
}

/** The key findings of a run, most important first, at most `MAX_FINDINGS`. Pure. */
export function keyFindings(s: RunSummary, charts: ChartRun): Finding[] {
  const problems = problemFindings(s, charts);
  const out: Finding[] = [
    ...fastestFindings(s, charts),
    ...clientBoundFindings(s),
    ...(problems.length > 0 ? problems : cleanFinding(s, charts)),
    ...tailFinding(charts),
    ...cpuFinding(charts),
  ];
  if (out.length <= MAX_FINDINGS) return out;
  // Too many: drop the least important kinds first, keep the reading order.
  const kept = new Set([...out].sort((a, b) => PRIORITY[a.kind] - PRIORITY[b.kind]).slice(0, MAX_FINDINGS));
  return out.filter((f) => kept.has(f));
}

/** Lower keeps its place when the findings must be cut: problems decide whether figures can be trusted. */
const PRIORITY: Readonly<Record<FindingKind, number>> = { problem: 0, 'client-bound': 1, fastest: 2, tail: 3, cpu: 4, clean: 5 };

/** Finished throughput of a cell (passed or failed with figures). */
function opsOf(c: ScenarioCell | undefined): number | undefined {
  return c !== undefined && (c.status === 'passed' || c.status === 'failed') ? c.opsPerSec : undefined;
}

interface Win {
  scenario: string;
  fastest: string;
  ops: number;
  runnerUp: string;
  runnerUpOps: number;
}

function fastestFindings(s: RunSummary, charts: ChartRun): Finding[] {
  const wins: Win[] = [];
  for (const sc of s.scenarios) {
    const ranked = charts.targets
      .flatMap((t) => {
        const ops = opsOf(sc.results[t.name]);
        return ops !== undefined ? [{ target: t.name, ops }] : [];
      })
      .sort((a, b) => b.ops - a.ops);
    if (ranked.length >= 2) wins.push({ scenario: sc.name, fastest: ranked[0].target, ops: ranked[0].ops, runnerUp: ranked[1].target, runnerUpOps: ranked[1].ops });
  }
  const by = (w: Win) => `${fmtOps(w.ops)} ops/s vs ${w.runnerUp} ${fmtOps(w.runnerUpOps)}${w.runnerUpOps > 0 ? ` (${fmtFactor(w.ops / w.runnerUpOps)})` : ''}`;
  if (wins.length <= ONE_LINE_PER_SCENARIO_UP_TO) return wins.map((w) => ({ kind: 'fastest', text: `${w.scenario}: ${w.fastest} fastest, ${by(w)}.` }));
  const winners = [...new Set(wins.map((w) => w.fastest))];
  return winners.map((name) => ({ kind: 'fastest', text: `${name} fastest on ${wins.filter((w) => w.fastest === name).map((w) => `${w.scenario} (${by(w)})`).join('; ')}.` }));
}

/**
 * The client-bound results, by the views' one rule (`isClientBound`), as the results table marks
 * them: `large-scale-load: memory (at ceiling 1.17×), etcd (runner CPU 93%)`. The noop target's
 * own cells are left out: at the client's limit is what a ceiling is for.
 */
function clientBoundFindings(s: RunSummary): Finding[] {
  const real = s.targets.filter((t) => t.ceiling !== true).map((t) => t.name);
  const bound = s.scenarios.flatMap((sc) => {
    const marks = real.flatMap((t) => {
      const why = clientBoundWhy(sc.results[t]);
      return why ? [`${t} (${why})`] : [];
    });
    return marks.length > 0 ? [`${sc.name}: ${marks.join(', ')}`] : [];
  });
  if (bound.length === 0) return [];
  return [{ kind: 'client-bound', text: `Client-bound (${CLIENT_BOUND_RULE}) — ${bound.join('; ')}: these figures may measure the load generator more than the servers.` }];
}

function problemFindings(s: RunSummary, charts: ChartRun): Finding[] {
  const out: Finding[] = [];
  const absent = s.targets.filter((t) => t.status === 'unavailable' || t.status === 'crashed' || t.status === 'interrupted');
  for (const t of absent) out.push({ kind: 'problem', text: `${t.name} ${t.status === 'unavailable' ? 'did not run' : t.status}${t.error ? `: ${t.error}` : ''}.` });
  const drawn = new Set(charts.targets.map((t) => t.name));
  const failedChecks: string[] = [];
  const errors: string[] = [];
  const stopped: string[] = [];
  for (const sc of s.scenarios) {
    for (const t of s.targets) {
      const c = sc.results[t.name];
      if (c === undefined || !drawn.has(t.name)) continue;
      if (c.checks !== undefined && c.checks.failed.length > 0) failedChecks.push(`${t.name} on ${sc.name} (${c.checks.failed.join(', ')})`);
      if (c.errors !== undefined && c.errors > 0) errors.push(`${t.name} ${fmtCount(c.errors)} on ${sc.name} (${fmtPercent(c.errorRate ?? 0)})`);
      if (c.status === 'aborted' && c.opsPerSec !== undefined) stopped.push(`${t.name} on ${sc.name}${c.error ? `: ${c.error}` : ''}`);
    }
  }
  if (failedChecks.length > 0) out.push({ kind: 'problem', text: `Failed checks (grade F): ${failedChecks.join('; ')}.` });
  if (errors.length > 0) out.push({ kind: 'problem', text: `Errors: ${errors.join('; ')}.` });
  if (stopped.length > 0) out.push({ kind: 'problem', text: `Aborted: ${stopped.join('; ')}.` });
  return out;
}

function cleanFinding(s: RunSummary, charts: ChartRun): Finding[] {
  const drawn = new Set(charts.targets.map((t) => t.name));
  const cells = s.scenarios.flatMap((sc) => Object.entries(sc.results).filter(([t, c]) => drawn.has(t) && c.errors !== undefined));
  if (cells.length === 0) return [];
  const checked = cells.some(([, c]) => (c.checks?.total ?? 0) > 0);
  return [{ kind: 'clean', text: `0 errors${checked ? ' and every check passed' : ''}, on every target and scenario.` }];
}

/** The curve with the largest p99.9 ÷ p99, when it is at least `TAIL_RATIO`. */
function tailFinding(charts: ChartRun): Finding[] {
  let worst: { scenario: string; curve: LatencyCurve; p99: number; p999: number } | undefined;
  for (const sc of charts.scenarios) {
    for (const c of sc.latency) {
      const p99 = c.points.find((p) => p.label === 'p99')?.ms;
      const p999 = c.points.find((p) => p.label === 'p99.9')?.ms;
      if (p99 === undefined || p999 === undefined || !(p99 > 0) || c.count < TAIL_MIN_COUNT) continue;
      if (p999 / p99 >= TAIL_RATIO && (worst === undefined || p999 / p99 > worst.p999 / worst.p99)) worst = { scenario: sc.name, curve: c, p99, p999 };
    }
  }
  if (worst === undefined) return [];
  const { curve: c } = worst;
  return [{ kind: 'tail', text: `Tail latency: ${c.target} on ${worst.scenario} (${c.op}) has p99.9 ${fmtMs(worst.p999)} against a p99 of ${fmtMs(worst.p99)} (${fmtFactor(worst.p999 / worst.p99)}).` }];
}

/** The scenario where the targets' server CPU per operation differs most (largest max ÷ min). */
function cpuFinding(charts: ChartRun): Finding[] {
  let best: { scenario: string; hi: [string, number]; lo: [string, number] } | undefined;
  for (const sc of charts.scenarios) {
    const entries = Object.entries(sc.serverCpuUsPerOp).filter(([, us]) => us > 0);
    if (entries.length < 2) continue;
    entries.sort((a, b) => b[1] - a[1]);
    const hi = entries[0];
    const lo = entries[entries.length - 1];
    if (best === undefined || hi[1] / lo[1] > best.hi[1] / best.lo[1]) best = { scenario: sc.name, hi, lo };
  }
  if (best === undefined) return [];
  return [{ kind: 'cpu', text: `Server CPU per operation differs most on ${best.scenario}: ${best.hi[0]} ${fmtCpuPerOp(best.hi[1])} vs ${best.lo[0]} ${fmtCpuPerOp(best.lo[1])} (${fmtFactor(best.hi[1] / best.lo[1])}).` }];
}
