/**
 * Follows a run folder's files into one `RunStore`: folds what is there already, then polls the
 * tailer. The orchestrator follows the run it started this way (and hands the store to every
 * view); `metabench monitor` follows a run started elsewhere; `loadRun` reads a finished one
 * once. Events come only from the files, never from a child's stdout.
 *
 *   runner ─► <target>.ndjson ─► RunTailer ─► followRun: store.dispatch ─► views
 */
import type { RunnerEvent } from '../events/schema.ts';
import { EventWriter, eventFilePath } from '../results/event-writer.ts';
import { isAlive, type OpenedRun } from '../results/locate-run.ts';
import { RunTailer } from '../results/run-tailer.ts';
import { crashedEvent, initialRunState, isTargetFinal, planOf } from './run-state.ts';
import { RunStore } from './run-store.ts';

/**
 * Default interval between two reads of the event files, ms. Runners write one progress line
 * per target per second, so reading faster only costs frames (each one a full Ink render).
 */
export const DEFAULT_FOLLOW_POLL_MS = 1000;
/** How often a monitor checks that the run's orchestrator is still alive, ms. */
const ORCHESTRATOR_CHECK_MS = 2000;
/** The clock (elapsed, ETA) moves at most this often when no event arrived, ms. */
const CLOCK_TICK_MS = 1000;

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
  /** Where problems reading the files go besides the store's warning (default: only the store). */
  readonly onProblem?: (target: string, error: Error) => void;
}

/** A followed run: its store, and the reads and writes of the one process that follows it. */
export interface FollowedRun {
  readonly store: RunStore;
  /** Reads what is new right now (also done on every poll). */
  poll(): void;
  /** True once `target`'s file holds a run-end. */
  ended(target: string): boolean;
  /**
   * The writer of `target` is gone: reads the rest of its file and stops following it. A last
   * line without its newline is reported and returned; `completeBytes` is where the complete
   * lines end (where the caller may cut the file).
   */
  finishTarget(target: string): { completeBytes: number; truncated?: string };
  /**
   * Appends events to a target whose file is no longer followed (see `finishTarget`) and folds
   * them at once: what this process writes itself it does not read back.
   */
  append(target: string, bodies: readonly Parameters<EventWriter['emit']>[0][]): void;
  /** Stops polling; idempotent. */
  close(): void;
}

/** Starts folding the run's files into a new store; the first read happens before it returns. */
export function followRun(run: OpenedRun, opts: FollowOptions = {}): FollowedRun {
  const store = new RunStore(initialRunState(run.manifest ? planOf(run.manifest) : { targets: run.targets }));
  let batch: RunnerEvent[] = [];
  const problem = (target: string, err: Error): void => {
    store.warn(`${target}: ${err.message}`);
    opts.onProblem?.(target, err);
  };
  const tailer = new RunTailer(run.runDir, run.targets, { onEvent: (e) => batch.push(e), onInvalid: (target, _line, err) => problem(target, err) });
  let lastTick = 0;
  const flush = (): void => {
    const events = batch;
    batch = [];
    const now = Date.now();
    if (events.length > 0) {
      lastTick = now;
      store.dispatch(events, now);
    } else if (!store.getSnapshot().run.finished && now - lastTick >= CLOCK_TICK_MS) {
      // A finished run's clock stands still: no frame unless something changed.
      lastTick = now;
      store.tick(now);
    }
  };
  const poll = (): void => {
    try {
      tailer.poll();
    } catch (err) {
      problem(`reading ${run.runDir}`, err as Error);
    }
    flush();
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
    ended: (target) => tailer.ended.has(target),
    finishTarget: (target) => {
      const res = tailer.finishTarget(target);
      tailer.forget(target);
      flush();
      return res;
    },
    append: (target, bodies) => {
      const writer = new EventWriter(eventFilePath(run.runDir, target), target);
      const events: RunnerEvent[] = [];
      try {
        for (const b of bodies) events.push(writer.emit(b));
      } finally {
        writer.close();
      }
      store.dispatch(events, Date.now());
    },
    close: () => {
      if (closed) return;
      closed = true;
      for (const t of timers) clearInterval(t);
    },
  };
}
