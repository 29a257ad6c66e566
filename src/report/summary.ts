/**
 * `summary.json`: a run's results in one document — side-by-side scenario results per target
 * (with grades and ratios to etcd), the overall grade per target, the SLOs used, the manifest
 * facts and the micro-benchmark table. A `noop` target (a no-op server) is the load generator's
 * ceiling: it is not graded, and every other cell of a scenario it finished carries `ceiling`. Built purely from a `LoadedRun`; `report.md` and
 * `metabench compare` are rendered from it.
 */
import type { Grade, ScenarioEndEvent } from '../events/schema.ts';
import { ceilingMark, isNoopKind, type CeilingMark } from '../grades/ceiling.ts';
import { gradeScenario } from '../grades/rubric.ts';
import { overallGrade, type NamedGrade } from '../grades/overall.ts';
import type { ScenarioRun, TargetState } from '../state/run-state.ts';
import { headlineLatency } from './headline.ts';
import type { LoadedRun, ReportManifest } from './load-run.ts';
import { ratioToEtcd, type EtcdRatio } from './ratio.ts';

/** Format version of `summary.json`. */
export const SUMMARY_VERSION = 1;

/**
 * How the run ended as a whole: `completed` (every target finished), `interrupted` (Ctrl-C or
 * SIGTERM), `crashed` (some runner died), `unfinished` (some target has not written its run-end).
 */
export type RunOutcome = 'completed' | 'interrupted' | 'crashed' | 'unfinished';

/** One scenario on one target. Figures are absent when the scenario produced no result. */
export interface ScenarioCell {
  status: ScenarioRun['state'];
  opsPerSec?: number;
  /** Headline latency (see `headlineLatency`), ms, and the operation type it comes from. */
  p50Ms?: number;
  p99Ms?: number;
  latencyOp?: string;
  /** p50 and p99 (ms) and sample count per operation type (`put`, `watch-delivery`, …). */
  latencyByOp?: Record<string, { p50Ms: number; p99Ms: number; count: number }>;
  /** Scenario-specific figures the runner reported (`lostDeliveries`, phase durations, …). */
  extra?: Record<string, number>;
  /** Attempted operations and failed ones; `errorRate` = errors / ops. */
  ops?: number;
  errors?: number;
  errorRate?: number;
  checks?: { passed: number; total: number; failed: string[] };
  grade?: Grade;
  /** The SLOs this scenario was judged against on this target. */
  slo?: Record<string, number>;
  /** Throughput and p99 relative to etcd's on the same scenario, when etcd ran and passed it. */
  vsEtcd?: EtcdRatio;
  /**
   * The load generator's ceiling on this scenario (the noop target's figure ÷ the fastest other
   * target's) and whether it marks this result client-bound; only on non-noop cells with
   * figures, when a noop target finished the scenario (see `src/grades/ceiling.ts`).
   */
  ceiling?: CeilingMark;
  /** Why the scenario failed or was aborted. */
  error?: string;
}

/** One scenario row: resolved parameters and one cell per target that planned it. */
export interface ScenarioSummary {
  name: string;
  /** Resolved parameters (from the manifest, else the first scenario-start seen). */
  params?: Record<string, unknown>;
  /** Keyed by target name. */
  results: Record<string, ScenarioCell>;
  /** The scenario's ceiling: the noop figure against the fastest other target (named), when both finished. */
  ceiling?: ScenarioCeiling;
}

/** A scenario's ceiling with the targets it was taken from. */
export interface ScenarioCeiling extends CeilingMark {
  /** The noop target. */
  target: string;
  /** The fastest non-noop target on this scenario and its throughput, ops/s. */
  fastest: string;
  fastestOpsPerSec: number;
}

/** One target of the run. */
export interface TargetSummary {
  name: string;
  kind?: string;
  status: TargetState['status']['state'];
  /** Crash or interrupt message, or why the target was unavailable. */
  error?: string;
  hint?: string;
  /** Server version when the runner reported one (etcd's version). */
  serverVersion?: string;
  durationMs?: number;
  /** Weakest scenario grade (see `overallGrade`); absent without graded scenarios and for a noop target. */
  overall?: Grade;
  /** True for a noop target: its results are the load generator's ceiling, not graded. */
  ceiling?: true;
}

/** One micro-benchmark case, one column per engine. */
export interface MicroRow {
  case: string;
  /** Keyed by engine; times in nanoseconds. */
  results: Record<string, { opsPerSec: number; meanNs: number; p99Ns: number; samples: number }>;
}

/** The whole `summary.json`. */
export interface RunSummary {
  v: typeof SUMMARY_VERSION;
  runId: string;
  status: RunOutcome;
  manifest: {
    startedAt?: string;
    host?: ReportManifest['host'];
    nodeVersion?: string;
    metabenchVersion?: string;
    gitCommit?: string;
    profile?: string;
    seed?: number;
    /** The load generator's client (`native`, `etcd3`). */
    client?: string;
    mode: 'sequential' | 'parallel';
  };
  /** Name of the etcd target ratios are taken against, when etcd ran. */
  baseline?: string;
  /** Name of the noop target whose figures are the load generator's ceiling, when one ran. */
  ceilingTarget?: string;
  targets: TargetSummary[];
  scenarios: ScenarioSummary[];
  micro: { engines: string[]; rows: MicroRow[] };
  /** Lines the reader must see: parallel mode, interrupted run, truncated files. */
  warnings: string[];
}

/** Options of {@link buildSummary}. */
export interface SummaryOptions {
  /** The orchestrator was interrupted: unfinished targets are reported as interrupted. */
  interrupted?: boolean;
}

/** Builds the summary of a run read back by `loadRun`. Pure. */
export function buildSummary(run: LoadedRun, opts: SummaryOptions = {}): RunSummary {
  const { state, manifest } = run;
  const targetNames = state.targetOrder;
  const kindOf = (name: string): string | undefined =>
    state.targets[name]?.targetKind ?? manifest.targets?.find((t) => t.name === name)?.kind;
  const baseline = targetNames.find((n) => kindOf(n) === 'etcd' && hasResults(state.targets[n]));
  const isNoop = (name: string): boolean => isNoopKind(kindOf(name));
  // A failed noop scenario still measured the ceiling (same rule as `finishedOps`).
  const ceilingTarget = targetNames.find((n) => isNoop(n) && state.targets[n].scenarios.some((s) => s.state === 'passed' || s.state === 'failed'));

  const scenarioNames = uniqueScenarioNames(run);
  const scenarios: ScenarioSummary[] = scenarioNames.map((name) => {
    const results: Record<string, ScenarioCell> = {};
    for (const t of targetNames) {
      const scenarioRun = state.targets[t].scenarios.find((s) => s.name === name);
      if (scenarioRun) results[t] = isNoop(t) ? ungraded(cellOf(scenarioRun)) : cellOf(scenarioRun);
    }
    const etcdCell = baseline !== undefined ? results[baseline] : undefined;
    const etcdFigures = etcdCell?.status === 'passed' ? etcdCell : undefined;
    for (const t of targetNames) {
      if (t === baseline || results[t] === undefined || isNoop(t)) continue;
      const vs = ratioToEtcd(results[t], etcdFigures);
      if (vs !== undefined) results[t].vsEtcd = vs;
    }
    const ceiling = markCeiling(results, ceilingTarget, targetNames.filter((t) => !isNoop(t)));
    return { name, params: paramsOf(run, name), results, ...(ceiling ? { ceiling } : {}) };
  });

  const targets: TargetSummary[] = targetNames.map((name) => {
    const t = state.targets[name];
    const graded: NamedGrade[] = [];
    const noop = isNoop(name);
    for (const s of noop ? [] : scenarios) {
      const g = s.results[name]?.grade;
      if (g) graded.push({ scenario: s.name, grade: g });
    }
    const kind = kindOf(name);
    // MetaStore-TS reports the etcd API version it speaks, not a product version: not shown.
    const serverVersion = kind === 'memory' || kind === 'rocksdb' ? undefined : t.server?.version;
    return { name, kind, ...statusFields(t, opts), serverVersion, overall: overallGrade(graded), ...(noop ? { ceiling: true as const } : {}) };
  });

  const mode = manifest.mode ?? (state.parallel ? 'parallel' : 'sequential');
  const status = outcomeOf(targets);
  const warnings: string[] = [];
  if (status !== 'completed') warnings.push(outcomeWarning(status, targets));
  if (mode === 'parallel') {
    warnings.push('Targets ran in parallel on one machine: they competed for CPU, memory and disk, so their figures skew each other. Run sequentially (the default) to compare them.');
  }
  warnings.push(...run.warnings);

  return {
    v: SUMMARY_VERSION,
    runId: run.runId,
    status,
    manifest: {
      startedAt: manifest.startedAt,
      host: manifest.host,
      nodeVersion: manifest.nodeVersion,
      metabenchVersion: manifest.metabenchVersion,
      gitCommit: manifest.gitCommit,
      profile: manifest.profile ?? state.profile,
      seed: manifest.seed ?? state.seed,
      ...(manifest.client ?? state.client ? { client: manifest.client ?? state.client } : {}),
      mode,
    },
    baseline,
    ceilingTarget,
    targets,
    scenarios,
    micro: microOf(run),
    warnings,
  };
}

function hasResults(t: TargetState | undefined): boolean {
  return t !== undefined && t.scenarios.some((s) => s.state === 'passed');
}

/** A noop target's cell: its figures stay, its grade goes (the ceiling is measured, not judged). */
function ungraded(cell: ScenarioCell): ScenarioCell {
  const { grade: _grade, slo: _slo, ...rest } = cell;
  return rest;
}

/** A finished scenario's throughput (passed or failed with figures; aborted ones are partial). */
function finishedOps(cell: ScenarioCell | undefined): number | undefined {
  return cell !== undefined && (cell.status === 'passed' || cell.status === 'failed') ? cell.opsPerSec : undefined;
}

/**
 * Adds the ceiling mark to every non-noop cell with figures, when the noop target finished this
 * scenario: the ratio is taken against the scenario's fastest non-noop target.
 */
function markCeiling(results: Record<string, ScenarioCell>, ceilingTarget: string | undefined, others: readonly string[]): ScenarioCeiling | undefined {
  if (ceilingTarget === undefined) return undefined;
  let fastest: { target: string; opsPerSec: number } | undefined;
  for (const t of others) {
    const ops = finishedOps(results[t]);
    if (ops !== undefined && (fastest === undefined || ops > fastest.opsPerSec)) fastest = { target: t, opsPerSec: ops };
  }
  const mark = ceilingMark(finishedOps(results[ceilingTarget]), fastest?.opsPerSec);
  if (mark === undefined || fastest === undefined) return undefined;
  for (const t of others) if (results[t]?.opsPerSec !== undefined) results[t].ceiling = { ...mark };
  return { ...mark, target: ceilingTarget, fastest: fastest.target, fastestOpsPerSec: fastest.opsPerSec };
}

function cellOf(run: ScenarioRun): ScenarioCell {
  switch (run.state) {
    case 'queued':
    case 'running':
      return { status: run.state };
    case 'aborted':
      if (!run.end) {
        // Cut off by an interrupt or a crash before it could report: no figures, and F.
        const reason = run.reason ?? 'run ended';
        return { status: 'aborted', error: reason, grade: gradeScenario({ status: 'aborted', ops: 0, errors: 0, opsPerSec: 0, p99Ms: 0, checks: [], slo: {}, error: reason }) };
      }
      return figuresOf(run.end);
    case 'passed':
    case 'failed':
      return figuresOf(run.end);
  }
}

function figuresOf(end: ScenarioEndEvent): ScenarioCell {
  const head = headlineLatency(end.latency);
  const failed = end.checks.filter((c) => !c.ok).map((c) => c.name);
  const cell: ScenarioCell = {
    status: end.status,
    opsPerSec: end.opsPerSec,
    p50Ms: head?.p50Ms,
    p99Ms: head?.p99Ms,
    latencyOp: head?.op,
    latencyByOp: Object.fromEntries(Object.entries(end.latency).map(([op, l]) => [op, { p50Ms: l.p50Ms, p99Ms: l.p99Ms, count: l.count }])),
    ...(end.extra !== undefined ? { extra: end.extra } : {}),
    ops: end.ops,
    errors: end.errors.total,
    errorRate: end.ops > 0 ? end.errors.total / end.ops : 0,
    checks: { passed: end.checks.length - failed.length, total: end.checks.length, failed },
    grade: end.grade ?? fallbackGrade(end, head?.p99Ms),
    slo: end.slo,
    error: end.error,
  };
  return cell;
}

/**
 * A scenario-end without a grade (an older runner) is graded here by the same rubric, when its
 * SLOs are known or it did not pass (then it is F whatever the SLOs).
 */
function fallbackGrade(end: ScenarioEndEvent, p99Ms: number | undefined): Grade | undefined {
  if (end.slo === undefined && end.status === 'passed') return undefined;
  return gradeScenario({
    status: end.status,
    ops: end.ops,
    errors: end.errors.total,
    opsPerSec: end.opsPerSec,
    p99Ms: p99Ms ?? 0,
    checks: end.checks,
    slo: end.slo ?? {},
    error: end.error,
  });
}

function statusFields(t: TargetState, opts: SummaryOptions): Pick<TargetSummary, 'status' | 'error' | 'hint' | 'durationMs'> {
  const s = t.status;
  switch (s.state) {
    case 'completed':
      return { status: s.state, durationMs: s.durationMs };
    case 'interrupted':
    case 'crashed':
      return { status: s.state, durationMs: s.durationMs, error: s.error };
    case 'unavailable':
      return { status: s.state, error: s.reason, hint: s.hint };
    case 'waiting':
    case 'starting':
    case 'running':
      return opts.interrupted ? { status: 'interrupted', error: `interrupted while ${s.state}` } : { status: s.state };
  }
}

const FINAL_STATES: ReadonlySet<TargetSummary['status']> = new Set(['completed', 'interrupted', 'crashed', 'unavailable']);

function outcomeOf(targets: readonly TargetSummary[]): RunOutcome {
  const states = targets.map((t) => t.status);
  if (states.includes('crashed')) return 'crashed';
  if (states.includes('interrupted')) return 'interrupted';
  if (targets.some((t) => !FINAL_STATES.has(t.status))) return 'unfinished';
  return 'completed';
}

function outcomeWarning(status: RunOutcome, targets: readonly TargetSummary[]): string {
  const which = (st: string) => targets.filter((t) => t.status === st).map((t) => t.name).join(', ');
  switch (status) {
    case 'interrupted':
      return `Interrupted run (${which('interrupted')}): scenarios cut off are graded F and queued ones never ran; figures are partial.`;
    case 'crashed':
      return `A runner crashed (${which('crashed')}): its remaining scenarios have no results.`;
    case 'unfinished':
      return `Unfinished run: ${targets.filter((t) => !FINAL_STATES.has(t.status)).map((t) => t.name).join(', ')} wrote no run-end yet; figures are partial.`;
    case 'completed':
      return '';
  }
}

function uniqueScenarioNames(run: LoadedRun): string[] {
  const seen = new Set<string>(run.state.plannedScenarios);
  for (const n of run.state.targetOrder) for (const s of run.state.targets[n].scenarios) seen.add(s.name);
  return [...seen];
}

/** The manifest's resolved parameters of a scenario, else those of its first scenario-start. */
function paramsOf(run: LoadedRun, name: string): Record<string, unknown> | undefined {
  const m = run.manifest.scenarios?.find((s) => s.name === name);
  if (m) {
    const params = m.params;
    // Same shape as the runner's scenario-start params: the workload, then its parameters.
    if (params !== null && typeof params === 'object') return { ...(typeof m.workload === 'string' ? { workload: m.workload } : {}), ...(params as Record<string, unknown>) };
    // Where the file came from and its prose are not part of the experiment.
    const { source: _source, description: _description, ...rest } = m;
    return rest;
  }
  for (const t of run.state.targetOrder) {
    const s = run.state.targets[t].scenarios.find((x) => x.name === name);
    if (s && s.state !== 'queued' && s.params && Object.keys(s.params).length > 0) return { ...s.params };
  }
  return undefined;
}

function microOf(run: LoadedRun): RunSummary['micro'] {
  const engines: string[] = [];
  const rows = new Map<string, MicroRow>();
  for (const n of run.state.targetOrder) {
    for (const m of run.state.targets[n].micro) {
      if (!engines.includes(m.engine)) engines.push(m.engine);
      const row = rows.get(m.case) ?? { case: m.case, results: {} };
      row.results[m.engine] = { opsPerSec: m.opsPerSec, meanNs: m.meanNs, p99Ns: m.p99Ns, samples: m.samples };
      rows.set(m.case, row);
    }
  }
  return { engines, rows: [...rows.values()] };
}
