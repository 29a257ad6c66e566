/**
 * Read-only views over a `RunState` that several consumers share: the side-by-side results
 * table (dashboard, plain summary, reports) and the micro-benchmark table.
 */
import type { MicroResultEvent, ScenarioEndEvent } from '../events/schema.ts';
import { ceilingMark, isNoopKind, type CeilingMark } from '../grades/ceiling.ts';
import { isScenarioFinal } from './run-state.ts';
import type { RunState, ScenarioRun } from './run-state.ts';

/** The baseline target that ratios are taken against. */
export const BASELINE_TARGET = 'etcd';

/** One cell of the results table: one scenario on one target. */
export interface ResultCell {
  readonly state: ScenarioRun['state'];
  /** Present once the scenario has ended with a result. */
  readonly end?: ScenarioEndEvent;
  readonly opsPerSec?: number;
  /** Headline p99 latency, ms (see `headlineP99Ms`). */
  readonly p99Ms?: number;
  readonly grade?: string;
  /** opsPerSec ÷ the baseline's opsPerSec on the same scenario; absent without a baseline result. */
  readonly ratioToBaseline?: number;
  /**
   * The load generator's ceiling on this scenario and the client-bound mark (see
   * `src/grades/ceiling.ts`); on finished non-noop cells once a noop target finished the scenario.
   */
  readonly ceiling?: CeilingMark;
}

/** One row of the results table. */
export interface ResultRow {
  readonly scenario: string;
  /** Keyed by target name. */
  readonly cells: Readonly<Record<string, ResultCell>>;
  /** The scenario's ceiling mark (same as on its cells), when a noop target and another target finished it. */
  readonly ceiling?: CeilingMark;
}

/** True when a target is the no-op ceiling server (kind `noop`, from run-start or the manifest). */
export function isCeilingTarget(state: RunState, name: string): boolean {
  return isNoopKind(state.targets[name]?.targetKind);
}

/** The noop target whose results are the ceiling: the first in display order. */
export function ceilingTarget(state: RunState): string | undefined {
  return state.targetOrder.find((n) => isCeilingTarget(state, n));
}

/**
 * The headline p99 of a scenario in ms: the p99 of the `all` entry when the runner reports one,
 * else the worst p99 over its operation types (conservative: a slow op type is not hidden).
 */
export function headlineP99Ms(end: ScenarioEndEvent): number | undefined {
  const all = end.latency.all;
  if (all) return all.p99Ms;
  let worst: number | undefined;
  for (const l of Object.values(end.latency)) if (l.count > 0 && (worst === undefined || l.p99Ms > worst)) worst = l.p99Ms;
  return worst;
}

/** Scenario names over all targets, in first-seen order. */
export function scenarioNames(state: RunState): readonly string[] {
  const seen = new Set<string>(state.plannedScenarios);
  for (const name of state.targetOrder) for (const s of state.targets[name].scenarios) seen.add(s.name);
  return [...seen];
}

/**
 * The side-by-side results table: one row per scenario, one cell per target (targets in
 * `targetOrder`, only those with scenarios). Ratios are against `baseline` (default `etcd`).
 */
export function resultsTable(state: RunState, baseline = BASELINE_TARGET): readonly ResultRow[] {
  const targets = state.targetOrder.filter((n) => state.targets[n].scenarios.length > 0);
  const noop = ceilingTarget(state);
  return scenarioNames(state).map((scenario) => {
    const base = state.targets[baseline]?.scenarios.find((s) => s.name === scenario);
    const baseOps = base && isScenarioFinal(base) && base.end && base.end.status === 'passed' ? base.end.opsPerSec : undefined;
    const cells: Record<string, ResultCell> = {};
    for (const t of targets) {
      const s = state.targets[t].scenarios.find((x) => x.name === scenario);
      if (!s) continue;
      const end = isScenarioFinal(s) ? s.end : undefined;
      cells[t] = end
        ? {
            state: s.state,
            end,
            opsPerSec: end.opsPerSec,
            p99Ms: headlineP99Ms(end),
            // The ceiling is measured, not judged: a noop cell has no grade and no ratio.
            grade: isCeilingTarget(state, t) ? undefined : end.grade?.grade,
            ratioToBaseline: baseOps !== undefined && baseOps > 0 && !isCeilingTarget(state, t) ? end.opsPerSec / baseOps : undefined,
          }
        : { state: s.state };
    }
    return withCeiling(state, { scenario, cells }, noop);
  });
}

/** Same rule as `summary.json`: noop's figure ÷ the fastest other target that passed or failed the scenario. */
function withCeiling(state: RunState, row: ResultRow, noop: string | undefined): ResultRow {
  if (noop === undefined) return row;
  const finished = (c: ResultCell | undefined) => (c?.end !== undefined && (c.state === 'passed' || c.state === 'failed') ? c.opsPerSec : undefined);
  const others = Object.keys(row.cells).filter((t) => !isCeilingTarget(state, t));
  const figures = others.map((t) => finished(row.cells[t])).filter((x): x is number => x !== undefined);
  const mark = ceilingMark(finished(row.cells[noop]), figures.length > 0 ? Math.max(...figures) : undefined);
  if (mark === undefined) return row;
  const cells: Record<string, ResultCell> = { ...row.cells };
  for (const t of others) if (cells[t].end !== undefined) cells[t] = { ...cells[t], ceiling: mark };
  return { ...row, cells, ceiling: mark };
}

/** Micro-benchmark results: one row per case, one column per engine (ops/s). */
export interface MicroTable {
  readonly engines: readonly string[];
  readonly rows: readonly { readonly case: string; readonly byEngine: Readonly<Record<string, MicroResultEvent>> }[];
}

/** All micro results of the run (any target), side by side per engine. */
export function microTable(state: RunState): MicroTable {
  const engines: string[] = [];
  const rows = new Map<string, Record<string, MicroResultEvent>>();
  for (const n of state.targetOrder) {
    for (const m of state.targets[n].micro) {
      if (!engines.includes(m.engine)) engines.push(m.engine);
      const row = rows.get(m.case) ?? {};
      row[m.engine] = m;
      rows.set(m.case, row);
    }
  }
  return { engines, rows: [...rows].map(([c, byEngine]) => ({ case: c, byEngine })) };
}
