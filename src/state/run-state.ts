/**
 * The run's state: a pure fold of runner events (`src/events/schema.ts`) from any number of
 * targets. The live dashboard, `metabench monitor`, the plain / `--json` summary and the reports
 * all read runs through this one reducer, so nothing else holds the truth.
 *
 * ```ts
 * let state = initialRunState(manifest);          // manifest optional (run.json)
 * for (const ev of events) state = reduceRunState(state, ev);
 * state.targets.memory.status.state;              // 'running'
 * state.progress.total;                           // 0..1
 * ```
 *
 * The reducer never mutates its input and never reads the clock: every time figure comes from
 * event timestamps `t` (ms since the epoch), so replaying a file gives the same state as watching
 * it live. A runner that died without writing `run-end` is recorded by folding a synthetic
 * `run-end` event with status `crashed` (see `crashedEvent`).
 */
import { SCHEMA_VERSION, TargetKind as TargetKindSchema } from '../events/schema.ts';
import type { Grade, LatencySummary, MicroResultEvent, RunEndEvent, RunnerEvent, ScenarioEndEvent, TargetKind } from '../events/schema.ts';
import type { RunManifest } from '../results/manifest.ts';
import { plannedSize } from '../workload/planned-size.ts';
import { computeRunProgress, scenarioProgressOf } from './progress.ts';
import { combineRepeats, cutOffRepeats, repeatOf } from './repeats.ts';
import { addSample } from './series.ts';
import { isScenarioFinal, isTargetFinal, MAX_LOG_LINES } from './types.ts';
import type { RunPlan, RunState, ScenarioPlan, ScenarioRun, TargetState, TargetStatus } from './types.ts';

export * from './types.ts';

const nameOf = (x: string | { readonly name: string }): string => (typeof x === 'string' ? x : x.name);

/** A manifest target's kind when it is one this version knows (an unknown kind is left unset). */
function kindOf(x: string | { readonly name: string; readonly kind?: string }): TargetKind | undefined {
  if (typeof x === 'string') return undefined;
  const res = TargetKindSchema.safeParse(x.kind);
  return res.success ? res.data : undefined;
}

/** A target before any event: `waiting`, its scenarios queued; `kind` from the manifest when known. */
export function emptyTarget(name: string, planned: readonly string[] = [], kind?: TargetKind): TargetState {
  return {
    name,
    ...(kind !== undefined ? { targetKind: kind } : {}),
    status: { state: 'waiting' },
    scenarios: planned.map((s) => ({ state: 'queued', name: s })),
    micro: [],
    logs: [],
    progress: 0,
  };
}

/** The reducer's plan of a run from its manifest: targets with kinds, scenario names, profile, seed, mode. */
export function planOf(manifest: RunManifest): RunPlan {
  return {
    runId: manifest.runId,
    profile: manifest.profile,
    seed: manifest.seed,
    client: manifest.client,
    targets: manifest.targets,
    scenarios: manifest.scenarios.map((s) => ({ name: s.name, sloByTarget: s.sloByTarget, ...planOfScenario(s) })),
    mode: manifest.mode,
    ...(manifest.repeats !== undefined ? { repeats: manifest.repeats } : {}),
  };
}

/**
 * A manifest scenario's planned size and warm-up, when it has the resolved shape (the manifest
 * checks only that each scenario has a name).
 */
function planOfScenario(s: RunManifest['scenarios'][number]): { plan?: ScenarioPlan } {
  if (typeof s.params !== 'object' || s.params === null || typeof s.workload !== 'string') return {};
  return { plan: { ...plannedSize(s), warmupMs: s.params.warmupMs } };
}

/** The state before any event; with a plan, its targets are listed as `waiting`. */
export function initialRunState(manifest?: RunPlan): RunState {
  const planned = (manifest?.scenarios ?? []).map(nameOf);
  const order = (manifest?.targets ?? []).map(nameOf);
  const targets: Record<string, TargetState> = {};
  for (const t of manifest?.targets ?? []) targets[nameOf(t)] = emptyTarget(nameOf(t), planned, kindOf(t));
  const base: RunState = {
    runId: manifest?.runId,
    profile: manifest?.profile,
    seed: manifest?.seed,
    client: manifest?.client,
    targetOrder: order,
    targets,
    plannedScenarios: planned,
    ...ownSloOf(manifest?.scenarios ?? []),
    ...plansOf(manifest?.scenarios ?? []),
    parallel: manifest?.parallel ?? manifest?.mode === 'parallel',
    ...((manifest?.repeats ?? 1) > 1 ? { repeats: manifest?.repeats } : {}),
    finished: false,
    progress: { perTarget: [], total: 0 },
  };
  return withDerived(base);
}

/** The kinds with a non-empty `sloByTarget` entry, per scenario; nothing when no scenario has one. */
function ownSloOf(scenarios: NonNullable<RunPlan['scenarios']>): Pick<RunState, 'ownSloKinds'> {
  const out: Record<string, string[]> = {};
  for (const s of scenarios) {
    if (typeof s === 'string' || s.sloByTarget === undefined) continue;
    const kinds = Object.entries(s.sloByTarget).filter(([, v]) => v !== undefined && Object.keys(v).length > 0).map(([k]) => k);
    if (kinds.length > 0) out[s.name] = kinds;
  }
  return Object.keys(out).length > 0 ? { ownSloKinds: out } : {};
}

/** The planned size of each scenario that has one, by name; nothing when none has. */
function plansOf(scenarios: NonNullable<RunPlan['scenarios']>): Pick<RunState, 'scenarioPlans'> {
  const out: Record<string, ScenarioPlan> = {};
  for (const s of scenarios) if (typeof s !== 'string' && s.plan !== undefined) out[s.name] = s.plan;
  return Object.keys(out).length > 0 ? { scenarioPlans: out } : {};
}

/** Folds one event into the state; returns a new state and leaves the old one untouched. */
export function reduceRunState(state: RunState, event: RunnerEvent): RunState {
  const known = state.targets[event.target];
  const before = known ?? emptyTarget(event.target, state.plannedScenarios);
  const target = reduceTarget(touch(before, event), event, state.repeats ?? 1);
  let next: RunState = {
    ...state,
    targetOrder: known ? state.targetOrder : [...state.targetOrder, event.target],
    targets: { ...state.targets, [event.target]: target },
    startT: state.startT === undefined ? event.t : Math.min(state.startT, event.t),
    lastT: state.lastT === undefined ? event.t : Math.max(state.lastT, event.t),
  };
  if (event.kind === 'run-start') {
    next = { ...next, runId: next.runId ?? event.runId, profile: next.profile ?? event.profile, seed: next.seed ?? event.seed, client: next.client ?? event.client };
  }
  if (!next.parallel && target.status.state === 'running') {
    const others = Object.values(next.targets).some((o) => o.name !== target.name && (o.status.state === 'running' || o.status.state === 'starting'));
    if (others) next = { ...next, parallel: true };
  }
  return withDerived(next);
}

/** Folds a sequence of events (a replay). */
export function reduceRunEvents(state: RunState, events: Iterable<RunnerEvent>): RunState {
  let s = state;
  for (const e of events) s = reduceRunState(s, e);
  return s;
}

/**
 * A `run-end` event with status `crashed` for a target whose runner died without writing one
 * (the orchestrator or monitor saw the process exit). `t` in ms since the epoch.
 */
export function crashedEvent(target: string, t: number, error: string, startT = t): RunEndEvent {
  return { v: SCHEMA_VERSION, t, target, kind: 'run-end', status: 'crashed', durationMs: Math.max(0, t - startT), error };
}

function touch(t: TargetState, e: RunnerEvent): TargetState {
  const at = e.t;
  // The first event of a new repeat starts that repeat's clock (the ETA's per-repeat figures).
  const newRepeat = e.repeat !== undefined && e.repeat !== t.repeat;
  return {
    ...t,
    firstT: t.firstT === undefined ? at : Math.min(t.firstT, at),
    lastT: t.lastT === undefined ? at : Math.max(t.lastT, at),
    ...(newRepeat ? { repeat: e.repeat, repeatFirstT: at } : {}),
  };
}

/** The repeats a scenario has reported so far (runs with repeats), if any. */
function repeatsOf(s: ScenarioRun | undefined): readonly ScenarioEndEvent[] | undefined {
  return s !== undefined && s.state !== 'queued' ? s.repeats : undefined;
}

function reduceTarget(t: TargetState, e: RunnerEvent, repeats: number): TargetState {
  switch (e.kind) {
    case 'run-start': {
      // run-start carries the authoritative scenario list; keep whatever already happened.
      const byName = new Map(t.scenarios.map((s) => [s.name, s]));
      const listed = e.scenarios.map((n) => byName.get(n) ?? ({ state: 'queued', name: n } as const));
      const extra = t.scenarios.filter((s) => !e.scenarios.includes(s.name));
      return {
        ...t,
        targetKind: e.targetKind,
        server: e.server,
        status: isTargetFinal(t.status) && !startsNewRepeat(t, e) ? t.status : { state: 'starting', sinceT: e.t },
        scenarios: [...listed, ...extra],
      };
    }
    case 'target-unavailable':
      return { ...t, status: { state: 'unavailable', reason: e.reason, hint: e.hint } };
    case 'scenario-start': {
      const earlier = e.repeat !== undefined ? repeatsOf(t.scenarios.find((s) => s.name === e.scenario)) : undefined;
      const run: ScenarioRun = { state: 'running', name: e.scenario, startT: e.t, params: e.params, totalOps: e.totalOps, durationMs: e.durationMs, ...(earlier ? { repeats: earlier } : {}) };
      return {
        ...t,
        status: isTargetFinal(t.status) ? t.status : { state: 'running', sinceT: t.status.state === 'running' ? t.status.sinceT : e.t },
        scenarios: upsertScenario(t.scenarios, run),
      };
    }
    case 'progress': {
      const prev = t.scenarios.find((s) => s.name === e.scenario);
      const progress = scenarioProgressOf(e);
      const running: ScenarioRun =
        prev?.state === 'running'
          ? { ...prev, progress, totalOps: e.totalOps ?? prev.totalOps, durationMs: e.durationMs ?? prev.durationMs }
          : { state: 'running', name: e.scenario, startT: e.t - e.elapsedMs, params: {}, totalOps: e.totalOps, durationMs: e.durationMs, progress };
      // A late progress line after the scenario ended must not reopen it.
      const scenarios = prev && isScenarioFinal(prev) ? t.scenarios : upsertScenario(t.scenarios, running);
      return {
        ...t,
        status: t.status.state === 'waiting' || t.status.state === 'starting' ? { state: 'running', sinceT: e.t } : t.status,
        sample: e.server ?? t.sample,
        ...(e.server ? { peakSample: peakOf(t.peakSample, e.server) } : {}),
        scenarios,
        live: { ...progress, scenario: e.scenario },
        // A late line of a finished scenario belongs to no run of it that is still going.
        ...(prev && isScenarioFinal(prev)
          ? {}
          : { series: addSample(t.series ?? [], { scenario: e.scenario, t: e.t, elapsedMs: e.elapsedMs, opsPerSec: e.windowOpsPerSec, durationMs: e.durationMs }) }),
      };
    }
    case 'scenario-end': {
      const prev = t.scenarios.find((s) => s.name === e.scenario);
      const startT = prev?.state === 'running' ? prev.startT : e.t - e.durationMs;
      const params = prev && prev.state !== 'queued' ? prev.params : undefined;
      // With repeats, the scenario's result is the median of every repeat so far.
      const all = e.repeat !== undefined ? [...(repeatsOf(prev) ?? []).filter((x) => repeatOf(x) !== e.repeat), e] : undefined;
      const end = all ? combineRepeats(all) : e;
      const kept = all ? { repeats: all } : {};
      const done: ScenarioRun =
        end.status === 'aborted'
          ? { state: 'aborted', name: e.scenario, startT, params, end, reason: end.error, ...kept }
          : { state: end.status, name: e.scenario, startT, params, end, ...kept };
      return { ...t, scenarios: upsertScenario(t.scenarios, done) };
    }
    case 'micro':
      return { ...t, micro: [...t.micro.filter((m) => m.engine !== e.engine || m.case !== e.case), e] };
    case 'log':
      return { ...t, logs: bounded(t.logs, { t: e.t, level: e.level, message: e.message }, MAX_LOG_LINES) };
    case 'run-end': {
      const reason = e.status === 'completed' ? undefined : `run ${e.status}`;
      const scenarios = t.scenarios.map((s): ScenarioRun => {
        if (s.state !== 'running') return s;
        const why = e.error ?? reason;
        // Cut off in a later repeat: the repeats that reported keep their figures, marked aborted.
        const end = s.repeats !== undefined && s.repeats.length > 0 ? { end: cutOffRepeats(s.repeats, `repeat ${repeatOf(e)} cut off: ${why ?? 'run ended'}`) } : {};
        return { state: 'aborted', name: s.name, startT: s.startT, params: s.params, reason: why, ...end, ...(s.repeats ? { repeats: s.repeats } : {}) };
      });
      if (t.status.state === 'unavailable') return { ...t, scenarios };
      if (e.repeat === undefined) {
        const status: TargetStatus =
          e.status === 'completed' ? { state: 'completed', durationMs: e.durationMs } : { state: e.status, durationMs: e.durationMs, error: e.error };
        return { ...t, status, scenarios };
      }
      // Runs with repeats: a repeat that completed before the last leaves the target waiting its turn.
      const finished = e.status === 'completed' ? [...(t.finishedRepeatsMs ?? []), e.durationMs] : (t.finishedRepeatsMs ?? []);
      const totalMs = finished.reduce((a, b) => a + b, 0) + (e.status === 'completed' ? 0 : e.durationMs);
      const status: TargetStatus =
        e.status !== 'completed' ? { state: e.status, durationMs: totalMs, error: e.error } : e.repeat < repeats ? { state: 'waiting' } : { state: 'completed', durationMs: totalMs };
      return { ...t, status, scenarios, finishedRepeatsMs: finished };
    }
  }
}

/** A run-start of a repeat after the ones the target completed reopens a completed target. */
function startsNewRepeat(t: TargetState, e: RunnerEvent): boolean {
  return t.status.state === 'completed' && e.repeat !== undefined && e.repeat > (t.finishedRepeatsMs?.length ?? 0);
}

function peakOf(peak: TargetState['peakSample'], s: { readonly cpuPercent: number; readonly rssBytes: number }): NonNullable<TargetState['peakSample']> {
  return peak === undefined ? { cpuPercent: s.cpuPercent, rssBytes: s.rssBytes } : { cpuPercent: Math.max(peak.cpuPercent, s.cpuPercent), rssBytes: Math.max(peak.rssBytes, s.rssBytes) };
}

function upsertScenario(list: readonly ScenarioRun[], s: ScenarioRun): readonly ScenarioRun[] {
  const i = list.findIndex((x) => x.name === s.name);
  if (i < 0) return [...list, s];
  const copy = list.slice();
  copy[i] = s;
  return copy;
}

function bounded<T>(list: readonly T[], item: T, max: number): readonly T[] {
  const next = list.length >= max ? list.slice(list.length - max + 1) : list.slice();
  next.push(item);
  return next;
}

function withDerived(s: RunState): RunState {
  const { targets, progress } = computeRunProgress(s);
  const finished = s.targetOrder.length > 0 && s.targetOrder.every((n) => isTargetFinal(s.targets[n].status));
  return { ...s, targets, progress, finished };
}

/** Runs with repeats: the newest repeat any target has reached (1-based; 1 before any event). */
export function currentRepeat(s: RunState): number {
  return Math.max(1, ...s.targetOrder.map((n) => s.targets[n].repeat ?? 1));
}

/** The scenario currently running on a target, if any. */
export function runningScenario(t: TargetState): Extract<ScenarioRun, { state: 'running' }> | undefined {
  for (const s of t.scenarios) if (s.state === 'running') return s;
  return undefined;
}

/** Final results of a target's finished scenarios, in planned order. */
export function scenarioResults(t: TargetState): readonly ScenarioEndEvent[] {
  const out: ScenarioEndEvent[] = [];
  for (const s of t.scenarios) if (isScenarioFinal(s) && s.end) out.push(s.end);
  return out;
}

export type { Grade, LatencySummary, ScenarioEndEvent, MicroResultEvent, RunnerEvent };
