/**
 * What a target's throughput chart shows, as a pure function of the run state (drawn by
 * `line-chart.ts`, coloured by `ThroughputChart.tsx`). Two views:
 *
 * - `scenario`, while a target runs (or waits): x is seconds into the scenario it runs (or runs
 *   next), from 0 to its planned duration or the longest run of it seen so far. Its own curve is
 *   in front; every other target's latest run of the same scenario is drawn dimmed behind, so
 *   targets that ran one after another are compared on one axis while the next one runs.
 * - `span`, once a target is finished: its own data span only, from its first scenario's start to
 *   its last window (never to "now"), one piece per scenario (not joined across the pause between
 *   them) and a mark with the name where each scenario starts.
 */
import { isTargetFinal, runningScenario } from '../state/run-state.ts';
import type { RunState, TargetState } from '../state/run-state.ts';
import type { ScenarioSeries } from '../state/series.ts';
import { kindColour } from '../report/charts/target-colours.ts';
import type { InkColour } from '../report/charts/target-colours.ts';

/** One point of a chart line: x in seconds from the chart's origin, y in operations per second. */
export interface ChartPoint {
  readonly xSec: number;
  readonly opsPerSec: number;
}

/** A run of points drawn joined (a gap wider than `joinSec` stays open: a pause in the data). */
export interface ChartPiece {
  readonly joinSec: number;
  readonly points: readonly ChartPoint[];
}

/** One target's curve. */
export interface ChartLine {
  readonly target: string;
  readonly colour: InkColour;
  readonly pieces: readonly ChartPiece[];
}

/** Where a scenario starts on the `span` view. */
export interface ChartMark {
  readonly xSec: number;
  readonly scenario: string;
}

/** The chart of one target: `front` bright, `behind` dimmed (nearest first), x from 0 to `xMaxSec`. */
export type ChartView =
  | { readonly kind: 'scenario'; readonly scenario: string; readonly xMaxSec: number; readonly front: ChartLine; readonly behind: readonly ChartLine[] }
  | { readonly kind: 'span'; readonly xMaxSec: number; readonly front: ChartLine; readonly marks: readonly ChartMark[] };

/** The x axis of the `scenario` view while nothing tells how long the scenario runs, seconds. */
export const MIN_SCENARIO_AXIS_SEC = 10;

/** A series' points on seconds into its scenario. */
function piece(s: ScenarioSeries, xOf: (p: ScenarioSeries['points'][number]) => number): ChartPiece {
  // Points a stride of windows apart are neighbours; more than 2.5 strides apart is a gap.
  return { joinSec: 2.5 * s.stride, points: s.points.map((p) => ({ xSec: xOf(p), opsPerSec: p.opsPerSec })) };
}

const colourOf = (t: TargetState): InkColour => kindColour(t.targetKind).ink;

/** The newest series of `scenario` on a target. */
function latestOf(t: TargetState, scenario: string): ScenarioSeries | undefined {
  const list = t.series ?? [];
  for (let i = list.length - 1; i >= 0; i--) if (list[i].scenario === scenario) return list[i];
  return undefined;
}

/** The scenario a live target's chart is about: the running one, else its newest, else its next. */
function currentScenario(t: TargetState): string | undefined {
  return runningScenario(t)?.name ?? t.series?.at(-1)?.scenario ?? t.scenarios.find((s) => s.state === 'queued')?.name;
}

/**
 * The chart of `target`; `run` supplies the other targets to compare with (none when absent).
 * Undefined when there is nothing to draw yet (no scenario known).
 */
export function chartViewOf(target: TargetState, run?: Pick<RunState, 'targets' | 'targetOrder'>): ChartView | undefined {
  if (isTargetFinal(target.status) && (target.series?.length ?? 0) > 0) return spanView(target);
  const scenario = currentScenario(target);
  if (scenario === undefined) return undefined;
  const own = latestOf(target, scenario);
  const byElapsed = (p: { elapsedMs: number }) => p.elapsedMs / 1000;
  const front: ChartLine = { target: target.name, colour: colourOf(target), pieces: own ? [piece(own, byElapsed)] : [] };
  const behind: ChartLine[] = [];
  // The axis: the planned duration, else the running scenario's estimated length, and at least
  // as long as any run of it drawn; only with none of these known, a short default.
  let known = 0;
  const stretch = (s: ScenarioSeries | undefined) => {
    if (s) known = Math.max(known, (s.durationMs ?? 0) / 1000, (s.points.at(-1)?.elapsedMs ?? 0) / 1000);
  };
  const ownSec = (own?.points.at(-1)?.elapsedMs ?? 0) / 1000;
  if (own?.durationMs !== undefined) known = own.durationMs / 1000;
  const running = runningScenario(target);
  if (running?.name === scenario) {
    const p = running.progress;
    const estimateMs = running.durationMs ?? (p?.etaMs !== undefined ? p.elapsedMs + p.etaMs : 0);
    known = Math.max(known, estimateMs / 1000);
  }
  for (const name of run?.targetOrder ?? []) {
    const other = run?.targets[name];
    if (name === target.name || !other) continue;
    const s = latestOf(other, scenario);
    if (!s) continue;
    stretch(s);
    behind.push({ target: name, colour: colourOf(other), pieces: [piece(s, byElapsed)] });
  }
  return { kind: 'scenario', scenario, xMaxSec: Math.max(ownSec, known > 0 ? known : MIN_SCENARIO_AXIS_SEC), front, behind };
}

/**
 * A finished target over its own data span, scenario by scenario: from its first scenario's
 * start to its last scenario's end (or last window), marks where each scenario started, so a
 * scenario too short for a progress window still gets its mark and name.
 */
function spanView(target: TargetState): ChartView {
  const list = [...(target.series ?? [])].sort((a, b) => a.startT - b.startT);
  const started = new Map<string, { startT: number; endT?: number }>();
  for (const sc of target.scenarios) {
    if (sc.state === 'queued' || sc.startT === undefined) continue;
    started.set(sc.name, { startT: sc.startT, endT: sc.state === 'running' ? undefined : sc.end?.t });
  }
  // A series without its scenario-start line (a file read from the middle) marks its own start.
  for (const s of list) if (!started.has(s.scenario)) started.set(s.scenario, { startT: s.startT });
  const starts = [...started.entries()].sort((a, b) => a[1].startT - b[1].startT);
  const origin = starts[0][1].startT;
  const pieces = list.map((s) => piece(s, (p) => (p.t - origin) / 1000));
  const marks = starts.map(([scenario, at]) => ({ xSec: (at.startT - origin) / 1000, scenario }));
  const ends = [...list.map((s) => s.points.at(-1)?.t ?? s.startT), ...starts.map(([, at]) => at.endT ?? at.startT)];
  return { kind: 'span', xMaxSec: Math.max(1, ...ends.map((t) => (t - origin) / 1000)), front: { target: target.name, colour: colourOf(target), pieces }, marks };
}
