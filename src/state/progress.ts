/**
 * Progress and ETA arithmetic for the run state. Pure; every duration in ms, every fraction 0..1.
 *
 * Estimates, from most to least exact:
 * - running scenario: bounded by time → duration − elapsed; bounded by count → ops left at the
 *   average rate so far;
 * - target: the running scenario's ETA + each queued scenario at the mean duration of the ones
 *   already finished (or, before any finished, the running one's estimated total);
 * - run: targets waiting their turn are estimated at the mean total of the targets seen so far;
 *   sequential runs add the remainders up, parallel runs take the longest.
 * - repeats (`--repeat N`): a target's fraction is (repeats done + share of the current one) ÷ N,
 *   and its ETA adds each repeat still to come at the mean duration of its finished repeats (or,
 *   before any finished, the current repeat's estimated total). A target waiting between repeats
 *   has an ETA of its own; one that has not started is estimated at N × the mean repeat.
 */
import type { ProgressEvent } from '../events/schema.ts';
import { repeatOf } from './repeats.ts';
import { isTargetFinal, type RunProgress, type RunState, type ScenarioProgress, type TargetState } from './types.ts';

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
export function targetProgress(t: TargetState, repeats = 1): { fraction: number; etaMs?: number } {
  if (repeats <= 1) return repeatProgress(t);
  const settled = settledProgress(t);
  if (settled) return settled;
  const done = t.finishedRepeatsMs?.length ?? 0;
  const between = t.status.state === 'waiting';
  const current = between ? { fraction: 0 } : repeatProgress(t);
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

/** Fraction and ETA of the repeat a target is in (the whole run when it has no repeats). */
function repeatProgress(t: TargetState): { fraction: number; etaMs?: number } {
  const settled = settledProgress(t);
  if (settled) return settled;
  const n = t.scenarios.length;
  if (n === 0) return { fraction: 0 };
  let finished = 0;
  let runningShare = 0;
  let runningEta: number | undefined;
  let runningTotal: number | undefined;
  let queued = 0;
  const durations: number[] = [];
  for (const s of t.scenarios) {
    switch (s.state) {
      case 'queued':
        queued++;
        break;
      case 'running': {
        runningShare = s.progress?.fraction ?? 0;
        runningEta = s.progress?.etaMs ?? (s.durationMs !== undefined ? Math.max(0, s.durationMs - ((t.lastT ?? s.startT) - s.startT)) : undefined);
        if (runningEta !== undefined) runningTotal = (s.progress?.elapsedMs ?? 0) + runningEta;
        break;
      }
      case 'passed':
      case 'failed':
      case 'aborted':
        // With repeats, a result of an earlier repeat is still to come in this one.
        if (t.repeat !== undefined && !(s.repeats ?? []).some((e) => repeatOf(e) === t.repeat)) {
          queued++;
          break;
        }
        finished++;
        if (s.end) durations.push(s.end.durationMs);
        break;
    }
  }
  const fraction = clamp01((finished + runningShare) / n);
  if (t.status.state !== 'running' && t.status.state !== 'starting') return { fraction };
  const perScenario = durations.length > 0 ? durations.reduce((a, b) => a + b, 0) / durations.length : runningTotal;
  if (queued > 0 && perScenario === undefined) return { fraction };
  const runningPart = runningEta ?? (t.scenarios.some((s) => s.state === 'running') ? perScenario : 0);
  if (runningPart === undefined) return { fraction };
  return { fraction, etaMs: runningPart + queued * (perScenario ?? 0) };
}

/**
 * Recomputes each target's `progress`/`etaMs` and the run-level figures. Targets whose figures
 * did not change keep their identity, so views can skip re-rendering them.
 */
export function computeRunProgress(s: RunState): { targets: RunState['targets']; progress: RunProgress } {
  const targets: Record<string, TargetState> = {};
  let changed = false;
  for (const name of s.targetOrder) {
    const t = s.targets[name];
    const p = targetProgress(t, s.repeats ?? 1);
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
  for (const t of able) {
    switch (t.status.state) {
      case 'waiting':
        waiting++;
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
  const mean = meanTotal ?? 0;
  // Sequential runs (the default, DESIGN section 7.2) do targets one after another; parallel
  // runs finish with their slowest target.
  if (parallel) return Math.max(0, ...remaining, waiting > 0 ? mean : 0);
  return remaining.reduce((a, b) => a + b, 0) + waiting * mean;
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
