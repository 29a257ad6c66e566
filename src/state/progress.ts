/**
 * Progress and ETA arithmetic for the run state. Pure; every duration in ms, every fraction 0..1.
 *
 * Estimates, from most to least exact:
 * - running scenario: bounded by time → duration − elapsed; bounded by count → ops left at the
 *   average rate so far;
 * - target: the running scenario's ETA + each queued scenario's estimate, from most to least
 *   exact: its wall time (scenario-start to scenario-end, warm-up and checks included) on the
 *   targets that finished it; its plan (`scenarioPlans`: warm-up + duration, or warm-up + planned
 *   ops at this target's rate so far); the mean wall time of this target's finished scenarios;
 *   the running one's estimated total. (Not the mean of the ones finished: a short first scenario
 *   made a target with a 4 s one still to come look nearly done.)
 * - run: targets waiting their turn are estimated at the mean total of the targets seen so far;
 *   sequential runs add the remainders up, and for each waiting target not heard from yet the
 *   mean hand-over gap seen between targets (runner and server start-up); parallel runs take
 *   the longest.
 * - repeats (`--repeat N`): a target's fraction is (repeats done + share of the current one) ÷ N,
 *   and its ETA adds each repeat still to come at the mean duration of its finished repeats (or,
 *   before any finished, the current repeat's estimated total). A target waiting between repeats
 *   has an ETA of its own; one that has not started is estimated at N × the mean repeat.
 */
import type { ProgressEvent } from '../events/schema.ts';
import { repeatOf } from './repeats.ts';
import { isTargetFinal, type RunProgress, type RunState, type ScenarioPlan, type ScenarioProgress, type ScenarioRun, type TargetState } from './types.ts';

const clamp01 = (x: number): number => (Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0);

/** Live figures of a scenario from one progress event. */
export function scenarioProgressOf(e: ProgressEvent): ScenarioProgress {
  let fraction = 0;
  let etaMs: number | undefined;
  if (e.totalOps !== undefined && e.totalOps > 0) {
    fraction = clamp01(e.done / e.totalOps);
    if (e.done > 0 && e.elapsedMs > 0) etaMs = Math.max(0, ((e.totalOps - e.done) * e.elapsedMs) / e.done);
  } else if (e.durationMs !== undefined && e.durationMs > 0) {
    fraction = clamp01(e.elapsedMs / e.durationMs);
    etaMs = Math.max(0, e.durationMs - e.elapsedMs);
  }
  return {
    elapsedMs: e.elapsedMs,
    done: e.done,
    totalOps: e.totalOps,
    durationMs: e.durationMs,
    fraction,
    etaMs,
    opsPerSec: e.windowOpsPerSec,
    p50Ms: e.windowP50Ms,
    p99Ms: e.windowP99Ms,
    errors: e.errors,
    t: e.t,
  };
}

/**
 * A target's fraction done and its ETA, over all `repeats` of the suite (1: a run without
 * repeats).
 */
export function targetProgress(t: TargetState, repeats: number, est: Estimates): { fraction: number; etaMs?: number } {
  if (repeats <= 1) return repeatProgress(t, est);
  const settled = settledProgress(t);
  if (settled) return settled;
  const done = t.finishedRepeatsMs?.length ?? 0;
  const between = t.status.state === 'waiting';
  const current = between ? { fraction: 0 } : repeatProgress(t, est);
  const fraction = clamp01((done + current.fraction) / repeats);
  if (!between && t.status.state !== 'running' && t.status.state !== 'starting') return { fraction };
  if (between && done === 0) return { fraction };
  const perRepeat = perRepeatMs(t, current.etaMs);
  if (perRepeat === undefined || (!between && current.etaMs === undefined)) return { fraction };
  const left = repeats - done - (between ? 0 : 1);
  return { fraction, etaMs: (current.etaMs ?? 0) + Math.max(0, left) * perRepeat };
}

/** Mean duration of a target's finished repeats, else the current one's estimated total. */
function perRepeatMs(t: TargetState, currentEtaMs: number | undefined): number | undefined {
  const finished = t.finishedRepeatsMs ?? [];
  if (finished.length > 0) return finished.reduce((a, b) => a + b, 0) / finished.length;
  if (currentEtaMs === undefined) return undefined;
  return (t.lastT ?? 0) - (t.repeatFirstT ?? t.firstT ?? 0) + currentEtaMs;
}

/** A target that is done (1) or never ran (0), nothing left to wait for; undefined otherwise. */
function settledProgress(t: TargetState): { fraction: number; etaMs: number } | undefined {
  switch (t.status.state) {
    case 'completed':
      return { fraction: 1, etaMs: 0 };
    case 'unavailable':
      return { fraction: 0, etaMs: 0 };
    case 'waiting':
    case 'starting':
    case 'running':
    case 'interrupted':
    case 'crashed':
      return undefined;
  }
}

/** What the ETA of a scenario not started yet is estimated from, across the run. */
export interface Estimates {
  /** Planned sizes by scenario name (`RunState.scenarioPlans`). */
  readonly plans: Readonly<Record<string, ScenarioPlan>>;
  /** Mean wall time of each scenario over the runs of it that finished, on any target, ms. */
  readonly wallMs: ReadonlyMap<string, number>;
}

/**
 * Wall time of a finished scenario (its latest repeat's), from scenario-start to scenario-end;
 * none for an aborted one, cut short.
 */
function wallOf(s: ScenarioRun): number | undefined {
  if ((s.state !== 'passed' && s.state !== 'failed') || s.startT === undefined) return undefined;
  const w = (s.repeats?.at(-1) ?? s.end).t - s.startT;
  return w >= 0 ? w : undefined;
}

/** The estimates of a run: its plans and every finished scenario's wall time. */
function estimatesOf(s: RunState): Estimates {
  const sums = new Map<string, { total: number; n: number }>();
  for (const name of s.targetOrder) {
    for (const sc of s.targets[name].scenarios) {
      const w = wallOf(sc);
      if (w === undefined) continue;
      const acc = sums.get(sc.name) ?? { total: 0, n: 0 };
      sums.set(sc.name, { total: acc.total + w, n: acc.n + 1 });
    }
  }
  return { plans: s.scenarioPlans ?? {}, wallMs: new Map([...sums].map(([k, v]) => [k, v.total / v.n])) };
}

/** A scenario's wall time from its plan: warm-up + duration, or warm-up + ops at `opsPerMs`. */
function plannedMs(p: ScenarioPlan | undefined, opsPerMs: number | undefined): number | undefined {
  if (p === undefined) return undefined;
  if (p.durationMs !== undefined) return (p.warmupMs ?? 0) + p.durationMs;
  if (p.totalOps !== undefined && opsPerMs !== undefined && opsPerMs > 0) return (p.warmupMs ?? 0) + p.totalOps / opsPerMs;
  return undefined;
}

const mean = (xs: readonly number[]): number | undefined => (xs.length > 0 ? xs.reduce((a, b) => a + b, 0) / xs.length : undefined);

/** Fraction and ETA of the repeat a target is in (the whole run when it has no repeats). */
function repeatProgress(t: TargetState, est: Estimates): { fraction: number; etaMs?: number } {
  const settled = settledProgress(t);
  if (settled) return settled;
  const n = t.scenarios.length;
  if (n === 0) return { fraction: 0 };
  let finished = 0;
  let runningShare = 0;
  let runningEta: number | undefined;
  let runningTotal: number | undefined;
  let running: Extract<ScenarioRun, { state: 'running' }> | undefined;
  const queued: string[] = [];
  const walls: number[] = [];
  // This target's rate so far (measured operations per measured ms), for scenarios planned by count.
  let ops = 0;
  let opsMs = 0;
  for (const s of t.scenarios) {
    switch (s.state) {
      case 'queued':
        queued.push(s.name);
        break;
      case 'running': {
        running = s;
        runningShare = s.progress?.fraction ?? 0;
        runningEta = s.progress?.etaMs ?? (s.durationMs !== undefined ? Math.max(0, s.durationMs - ((t.lastT ?? s.startT) - s.startT)) : undefined);
        if (runningEta !== undefined) runningTotal = (s.progress?.elapsedMs ?? 0) + runningEta;
        if (s.progress !== undefined) {
          ops += s.progress.done;
          opsMs += s.progress.elapsedMs;
        }
        break;
      }
      case 'passed':
      case 'failed':
      case 'aborted': {
        // With repeats, a result of an earlier repeat is still to come in this one.
        if (t.repeat !== undefined && !(s.repeats ?? []).some((e) => repeatOf(e) === t.repeat)) {
          queued.push(s.name);
          break;
        }
        finished++;
        const w = wallOf(s);
        if (w !== undefined) walls.push(w);
        if (s.end !== undefined && s.end.durationMs > 0) {
          ops += s.end.ops;
          opsMs += s.end.durationMs;
        }
        break;
      }
    }
  }
  const fraction = clamp01((finished + runningShare) / n);
  if (t.status.state !== 'running' && t.status.state !== 'starting') return { fraction };
  const ownMean = mean(walls) ?? runningTotal;
  const opsPerMs = opsMs > 0 ? ops / opsMs : undefined;
  const estimate = (name: string): number | undefined => est.wallMs.get(name) ?? plannedMs(est.plans[name], opsPerMs) ?? ownMean;
  let etaMs = 0;
  if (runningEta !== undefined) etaMs += runningEta;
  else if (running !== undefined) {
    const whole = estimate(running.name);
    if (whole === undefined) return { fraction };
    etaMs += Math.max(0, whole - ((t.lastT ?? running.startT) - running.startT));
  }
  for (const name of queued) {
    const e = estimate(name);
    if (e === undefined) return { fraction };
    etaMs += e;
  }
  return { fraction, etaMs };
}

/**
 * Recomputes each target's `progress`/`etaMs` and the run-level figures. Targets whose figures
 * did not change keep their identity, so views can skip re-rendering them.
 */
export function computeRunProgress(s: RunState): { targets: RunState['targets']; progress: RunProgress } {
  const targets: Record<string, TargetState> = {};
  let changed = false;
  const est = estimatesOf(s);
  for (const name of s.targetOrder) {
    const t = s.targets[name];
    const p = targetProgress(t, s.repeats ?? 1, est);
    if (p.fraction === t.progress && p.etaMs === t.etaMs) {
      targets[name] = t;
    } else {
      targets[name] = { ...t, progress: p.fraction, etaMs: p.etaMs };
      changed = true;
    }
  }
  const perTarget = s.targetOrder.map((name) => ({ target: name, fraction: targets[name].progress }));
  const able = s.targetOrder.map((n) => targets[n]).filter((t) => t.status.state !== 'unavailable');
  const total = able.length === 0 ? (s.targetOrder.length > 0 ? 1 : 0) : able.reduce((a, t) => a + t.progress, 0) / able.length;
  const repeats = s.repeats ?? 1;
  return { targets: changed ? targets : s.targets, progress: { perTarget, total, etaMs: repeats > 1 ? repeatedRunEta(able, s.parallel, repeats) : runEta(able, s.parallel) } };
}

/**
 * The run's ETA with repeats: every target with an ETA of its own (running, or waiting between
 * repeats) adds its remainder; one not started yet is estimated at `repeats` × the mean repeat
 * duration seen so far. Sequential runs add the remainders up, parallel runs take the longest.
 */
function repeatedRunEta(able: readonly TargetState[], parallel: boolean, repeats: number): number | undefined {
  const remaining: number[] = [];
  const repeatMs: number[] = [];
  let notStarted = 0;
  for (const t of able) {
    const finished = t.finishedRepeatsMs ?? [];
    repeatMs.push(...finished);
    // In its first repeat, a target's ETA is all N repeats at that repeat's estimated total:
    // etaMs = (N − 1) × elapsed + N × left, so one repeat is (etaMs + elapsed) ÷ N.
    if (finished.length === 0 && t.etaMs !== undefined && !isTargetFinal(t.status)) repeatMs.push((t.etaMs + (t.lastT ?? 0) - (t.repeatFirstT ?? t.firstT ?? 0)) / repeats);
    if (isTargetFinal(t.status)) continue;
    if (t.etaMs !== undefined) remaining.push(t.etaMs);
    else if (t.status.state === 'waiting' && (t.finishedRepeatsMs?.length ?? 0) === 0) notStarted++;
    else return undefined;
  }
  if (notStarted > 0 && repeatMs.length === 0) return undefined;
  const mean = repeatMs.length > 0 ? repeatMs.reduce((a, b) => a + b, 0) / repeatMs.length : 0;
  const waitingMs = repeats * mean;
  if (parallel) return Math.max(0, ...remaining, notStarted > 0 ? waitingMs : 0);
  return remaining.reduce((a, b) => a + b, 0) + notStarted * waitingMs;
}

function runEta(able: readonly TargetState[], parallel: boolean): number | undefined {
  const totals: number[] = [];
  const remaining: number[] = [];
  let waiting = 0;
  // Waiting targets with no event yet: their hand-over from the target before has not begun.
  let unheard = 0;
  for (const t of able) {
    switch (t.status.state) {
      case 'waiting':
        waiting++;
        if (t.firstT === undefined) unheard++;
        break;
      case 'completed':
      case 'interrupted':
      case 'crashed':
        totals.push(t.status.durationMs);
        break;
      case 'starting':
      case 'running': {
        if (t.etaMs === undefined) return undefined;
        remaining.push(t.etaMs);
        totals.push((t.lastT ?? 0) - (t.firstT ?? 0) + t.etaMs);
        break;
      }
      case 'unavailable':
        break;
    }
  }
  if (remaining.length === 0 && waiting === 0) return able.length > 0 ? 0 : undefined;
  const meanTotal = totals.length > 0 ? totals.reduce((a, b) => a + b, 0) / totals.length : undefined;
  if (waiting > 0 && meanTotal === undefined) return undefined;
  const meanMs = meanTotal ?? 0;
  // Sequential runs (the default, DESIGN section 7.2) do targets one after another; parallel
  // runs finish with their slowest target.
  if (parallel) return Math.max(0, ...remaining, waiting > 0 ? meanMs : 0);
  return remaining.reduce((a, b) => a + b, 0) + waiting * meanMs + unheard * (mean(handoverGapsMs(able)) ?? 0);
}

/**
 * Sequential runs: the time from a target's last event to the next one's first (its runner and
 * server starting, about 2–3 s in the quick profile), which no target's own duration counts.
 */
function handoverGapsMs(able: readonly TargetState[]): number[] {
  const seen = able.filter((t) => t.firstT !== undefined && t.lastT !== undefined).sort((a, b) => (a.firstT ?? 0) - (b.firstT ?? 0));
  const gaps: number[] = [];
  for (let i = 1; i < seen.length; i++) {
    const prev = seen[i - 1];
    if (isTargetFinal(prev.status)) gaps.push(Math.max(0, (seen[i].firstT ?? 0) - (prev.lastT ?? 0)));
  }
  return gaps;
}

/**
 * The ETA shown `nowMs` after the latest event (`lastT`): counts down between events instead of
 * freezing. Never below 0.
 */
export function etaAt(etaMs: number | undefined, lastT: number | undefined, nowMs: number): number | undefined {
  if (etaMs === undefined) return undefined;
  if (lastT === undefined) return etaMs;
  return Math.max(0, etaMs - Math.max(0, nowMs - lastT));
}
