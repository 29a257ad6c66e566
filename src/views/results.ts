/**
 * The side-by-side results: one row per scenario, one cell per target, built once from the
 * folded run state for every view — the dashboard's results table and detail, the plain table,
 * the `--json` summary line, report.md and summary.json (which is these rows serialised).
 *
 * A cell carries the scenario's headline figures (`src/grades/headline.ts`), its grade as the
 * runner decided it (`src/grades/scenario-grade.ts`), its ratio to the etcd baseline
 * (`baseline.ts`) and the load generator's ceiling mark (`ceiling.ts`). A `noop` target's cells
 * keep their figures but carry no grade, no SLO and no ratio: the ceiling is measured, not judged.
 */
import type { Grade, ScenarioEndEvent } from '../events/schema.ts';
import { cutOffGrade, gradeOfEnd } from '../grades/scenario-grade.ts';
import { headlineLatency } from '../grades/headline.ts';
import type { ResolvedScenario } from '../../scenarios/schema.ts';
import type { RunState, ScenarioRun } from '../state/types.ts';
import { baselineTarget, ratioToEtcd, type EtcdRatio } from './baseline.ts';
import { ceilingMark, isNoopKind, scenarioCeiling, type CeilingMark, type ScenarioCeiling } from './ceiling.ts';
import { cellRepeats, type CellRepeats } from './repeat-cell.ts';

/**
 * One scenario on one target. Figures are absent when the scenario produced no result. In a run
 * with repeats every figure is the median over them, and `repeats`, `median`, `spread` say how
 * far the repeats fell apart (`repeat-cell.ts`).
 */
export interface ScenarioCell extends Partial<CellRepeats> {
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
  /** Server CPU per operation, µs (from `extra.serverCpuUsPerOp`, when the runner measured it). */
  serverCpuUsPerOp?: number;
  /** The runner's CPU during the scenario, % of one core (`extra.runnerCpuPercent`); ≥ 90 marks the cell client-bound (`isClientBound`). */
  runnerCpuPercent?: number;
  /** True when this target was judged against its own SLO (a `sloByTarget` entry a user wrote), not the scenario's: views mark the cell. */
  ownSlo?: true;
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
   * The load generator's ceiling on this scenario (the noop target's figure, and its ratio to the
   * fastest other target's) and whether this target reached it (`ceiling.ts`); only on non-noop
   * cells with figures, when a noop target finished the scenario.
   */
  ceiling?: CeilingMark;
  /** Why the scenario failed or was aborted. */
  error?: string;
}

/** One scenario row: resolved parameters and one cell per target that planned it. */
export interface ScenarioRow {
  name: string;
  /** Resolved parameters (from the manifest, else the first scenario-start seen). */
  params?: Record<string, unknown>;
  /** Keyed by target name. */
  results: Record<string, ScenarioCell>;
  /** The scenario's ceiling: the noop figure against the fastest other target (named), when both finished; `clientBound` when the fastest reached it. */
  ceiling?: ScenarioCeiling;
}

/** True when a target is the no-op ceiling server (kind `noop`, from run-start or the manifest). */
export function isCeilingTarget(state: RunState, name: string): boolean {
  return isNoopKind(state.targets[name]?.targetKind);
}

/** The noop target whose figures are the ceiling: the first that passed or failed a scenario. */
export function ceilingTarget(state: RunState): string | undefined {
  return state.targetOrder.find((n) => isCeilingTarget(state, n) && state.targets[n].scenarios.some((s) => s.state === 'passed' || s.state === 'failed'));
}

/** Scenario names over all targets: planned ones first, then any other seen, in first-seen order. */
export function scenarioNames(state: RunState): string[] {
  const seen = new Set<string>(state.plannedScenarios);
  for (const name of state.targetOrder) for (const s of state.targets[name].scenarios) seen.add(s.name);
  return [...seen];
}

/**
 * The results rows of a run. `planned` (the manifest's resolved scenarios) supplies the
 * parameters each row shows; without it they come from the first scenario-start seen.
 */
export function resultRows(state: RunState, planned: readonly ResolvedScenario[] = []): ScenarioRow[] {
  const targets = state.targetOrder;
  const baseline = baselineTarget(state);
  const noop = ceilingTarget(state);
  const others = targets.filter((t) => !isCeilingTarget(state, t));
  return scenarioNames(state).map((name) => {
    const results: Record<string, ScenarioCell> = {};
    for (const t of targets) {
      const run = state.targets[t].scenarios.find((s) => s.name === name);
      if (run) results[t] = isCeilingTarget(state, t) ? ungraded(cellOf(run)) : withOwnSlo(cellOf(run), state.ownSloKinds?.[name], state.targets[t].targetKind);
    }
    const etcd = baseline !== undefined && results[baseline]?.status === 'passed' ? results[baseline] : undefined;
    for (const t of others) {
      if (t === baseline || results[t] === undefined) continue;
      const vs = ratioToEtcd(results[t], etcd);
      if (vs !== undefined) results[t].vsEtcd = vs;
    }
    const ceiling = scenarioCeiling(results, noop, others);
    if (ceiling) {
      for (const t of others) {
        const mark = ceilingMark(ceiling.opsPerSec, ceiling.fastestOpsPerSec, results[t]?.opsPerSec);
        if (results[t]?.opsPerSec !== undefined && mark !== undefined) results[t].ceiling = mark;
      }
    }
    return { name, params: paramsOf(state, planned, name), results, ...(ceiling ? { ceiling } : {}) };
  });
}

/** A finished scenario's cell from its scenario-end (figures, grade, SLOs, error). */
export function cellOfEnd(end: ScenarioEndEvent): ScenarioCell {
  const head = headlineLatency(end.latency, end.headline);
  const failed = end.checks.filter((c) => !c.ok).map((c) => c.name);
  const cpu = end.extra?.serverCpuUsPerOp;
  const runnerCpu = end.extra?.runnerCpuPercent;
  return {
    status: end.status,
    opsPerSec: end.opsPerSec,
    p50Ms: head?.p50Ms,
    p99Ms: head?.p99Ms,
    latencyOp: head?.op,
    latencyByOp: Object.fromEntries(Object.entries(end.latency).map(([op, l]) => [op, { p50Ms: l.p50Ms, p99Ms: l.p99Ms, count: l.count }])),
    ...(end.extra !== undefined ? { extra: end.extra } : {}),
    ...(cpu !== undefined ? { serverCpuUsPerOp: cpu } : {}),
    ...(runnerCpu !== undefined ? { runnerCpuPercent: runnerCpu } : {}),
    ops: end.ops,
    errors: end.errors.total,
    errorRate: end.ops > 0 ? end.errors.total / end.ops : 0,
    checks: { passed: end.checks.length - failed.length, total: end.checks.length, failed },
    grade: gradeOfEnd(end),
    slo: end.slo,
    error: end.error,
  };
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
        return { status: 'aborted', error: reason, grade: cutOffGrade(reason) };
      }
      return withRepeats(cellOfEnd(run.end), run.repeats);
    case 'passed':
    case 'failed':
      return withRepeats(cellOfEnd(run.end), run.repeats);
  }
}

/** A cell with its repeats' figures, median and spread, in a run with repeats. */
function withRepeats(cell: ScenarioCell, ends: readonly ScenarioEndEvent[] | undefined): ScenarioCell {
  const r = ends !== undefined ? cellRepeats(ends) : undefined;
  return r !== undefined ? { ...cell, ...r } : cell;
}

/** Marks a graded cell whose target has its own SLO in the scenario file (`sloByTarget`). */
function withOwnSlo(cell: ScenarioCell, ownKinds: readonly string[] | undefined, kind: string | undefined): ScenarioCell {
  return kind !== undefined && ownKinds?.includes(kind) === true && cell.grade !== undefined ? { ...cell, ownSlo: true } : cell;
}

/** A noop target's cell: its figures stay, its grade goes (the ceiling is measured, not judged). */
function ungraded(cell: ScenarioCell): ScenarioCell {
  const { grade: _grade, slo: _slo, ...rest } = cell;
  return rest;
}

/** The manifest's resolved parameters of a scenario (workload first), else those of its first scenario-start. */
function paramsOf(state: RunState, planned: readonly ResolvedScenario[], name: string): Record<string, unknown> | undefined {
  const m = planned.find((s) => s.name === name);
  if (m) {
    if (m.params !== null && typeof m.params === 'object') return { ...(typeof m.workload === 'string' ? { workload: m.workload } : {}), ...m.params };
    // Where the file came from and its prose are not part of the experiment.
    const { source: _source, description: _description, ...rest } = m;
    return rest;
  }
  for (const t of state.targetOrder) {
    const s = state.targets[t].scenarios.find((x) => x.name === name);
    if (s && s.state !== 'queued' && s.params && Object.keys(s.params).length > 0) return { ...s.params };
  }
  return undefined;
}
