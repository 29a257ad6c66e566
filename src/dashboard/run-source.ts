/**
 * Opens a run folder for the dashboard and follows its files into a `RunStore`: reads the
 * manifest (or, without one, finds the `*.ndjson` files), folds what is there already, then
 * polls the tailer. Events come only from the files, never from a child's stdout.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../cli/errors.ts';
import type { RunnerEvent } from '../events/schema.ts';
import { readManifest } from '../results/manifest.ts';
import type { RunManifest } from '../results/manifest.ts';
import { RunTailer } from '../results/run-tailer.ts';
import { crashedEvent, initialRunState, isTargetFinal } from '../state/run-state.ts';
import type { RunManifestLike } from '../state/run-state.ts';
import { RunStore } from './run-store.ts';

/**
 * Default interval between two reads of the event files, ms. Runners write one progress line
 * per target per second, so reading faster only costs frames (each one a full Ink render).
 */
export const DEFAULT_FOLLOW_POLL_MS = 1000;
/** How often a monitor checks that the run's orchestrator is still alive, ms. */
const ORCHESTRATOR_CHECK_MS = 2000;

/** A run folder opened for display. */
export interface OpenedRun {
  readonly runDir: string;
  readonly targets: readonly string[];
  readonly manifest?: RunManifest;
}

/** Validates `runDir` and reads what describes it; throws `UsageError` (one line) when it is not a run. */
export function openRunDir(runDir: string, manifest?: RunManifest): OpenedRun {
  if (!existsSync(runDir)) throw new UsageError(`run folder '${runDir}' does not exist (expected results/<run-id>, or results/latest after a run)`);
  if (!statSync(runDir).isDirectory()) throw new UsageError(`run folder '${runDir}' is not a directory`);
  if (manifest) return { runDir, targets: manifest.targets.map((t) => t.name), manifest };
  if (existsSync(join(runDir, 'run.json'))) {
    let m: RunManifest;
    try {
      m = readManifest(runDir);
    } catch (err) {
      throw new UsageError((err as Error).message, { cause: err });
    }
    return { runDir, targets: m.targets.map((t) => t.name), manifest: m };
  }
  const targets = readdirSync(runDir)
    .filter((f) => f.endsWith('.ndjson'))
    .map((f) => f.slice(0, -'.ndjson'.length))
    .sort();
  if (targets.length === 0) throw new UsageError(`'${runDir}' is not a run folder: no run.json and no <target>.ndjson files`);
  return { runDir, targets };
}

/** The reducer's view of a manifest: target and scenario names, profile, seed, mode. */
export function manifestSummary(m: RunManifest | undefined, targets: readonly string[]): RunManifestLike {
  if (!m) return { targets };
  return {
    runId: m.runId,
    profile: m.profile,
    seed: m.seed,
    targets,
    scenarios: m.scenarios.map((s) => s.name),
    mode: m.mode,
  };
}

/** Options of `followRun`. */
export interface FollowOptions {
  /** Keep polling for new lines (default true); false reads once. */
  readonly follow?: boolean;
  /** Poll interval, ms (default `DEFAULT_FOLLOW_POLL_MS`). */
  readonly pollMs?: number;
  /**
   * Mark targets without a run-end as crashed once the run's orchestrator process is gone
   * (monitor of a run started elsewhere). Default true.
   */
  readonly watchOrchestrator?: boolean;
}

/** A followed run: its store and the teardown that stops polling. */
export interface FollowedRun {
  readonly store: RunStore;
  /** Reads what is new right now (also done on every poll). */
  poll(): void;
  /** Stops polling; idempotent. */
  close(): void;
}

/** Starts folding the run's files into a new store; the first read happens before it returns. */
export function followRun(run: OpenedRun, opts: FollowOptions = {}): FollowedRun {
  const store = new RunStore(initialRunState(manifestSummary(run.manifest, run.targets)));
  let batch: RunnerEvent[] = [];
  const tailer = new RunTailer(run.runDir, run.targets, {
    onEvent: (e) => batch.push(e),
    onInvalid: (target, _line, err) => store.warn(`${target}: ${err.message}`),
  });
  const poll = (): void => {
    try {
      tailer.poll();
    } catch (err) {
      store.warn(`reading ${run.runDir}: ${(err as Error).message}`);
    }
    const events = batch;
    batch = [];
    // A finished run's clock stands still: no frame unless something changed.
    if (events.length > 0 || !store.getSnapshot().run.finished) store.dispatch(events, Date.now());
  };
  poll();
  const timers: NodeJS.Timeout[] = [];
  if (opts.follow ?? true) {
    timers.push(setInterval(poll, opts.pollMs ?? DEFAULT_FOLLOW_POLL_MS));
    const pid = run.manifest?.orchestratorPid;
    if ((opts.watchOrchestrator ?? true) && pid !== undefined && pid !== process.pid) {
      const check = (): void => {
        if (store.getSnapshot().run.finished || isAlive(pid)) return;
        poll();
        const s = store.getSnapshot().run;
        const now = Date.now();
        const orphans = s.targetOrder.filter((n) => !isTargetFinal(s.targets[n].status) && s.targets[n].status.state !== 'waiting');
        const waiting = s.targetOrder.filter((n) => s.targets[n].status.state === 'waiting');
        // Not written to the files: the monitor only reads; this is its own conclusion.
        store.dispatch([
          ...orphans.map((n) => crashedEvent(n, now, `orchestrator (pid ${pid}) is gone and ${n}.ndjson has no run-end`, s.targets[n].firstT ?? now)),
          ...waiting.map((n) => ({ ...crashedEvent(n, now, `orchestrator (pid ${pid}) is gone; never started`), status: 'interrupted' as const })),
        ]);
      };
      check();
      timers.push(setInterval(check, ORCHESTRATOR_CHECK_MS));
    }
  }
  let closed = false;
  return {
    store,
    poll,
    close: () => {
      if (closed) return;
      closed = true;
      for (const t of timers) clearInterval(t);
    },
  };
}

/** True when a process with `pid` exists (EPERM: it exists but belongs to someone else). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
